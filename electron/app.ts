/** Opens the clinic: the database, its migrations and the router. Shared by Electron's main process and the bridge. */
import { existsSync, mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import type { AppEvent } from '../shared/contract'
import { startChangeFeed } from './db/changeFeed'
import { openDatabase, type AppDatabase, type DbTarget } from './db/connect'
import type { ConnectionHost } from './db/connectionSettings'
import { checkClinicFile } from './db/clinicFile'
import { storageProblemAtStart } from './db/storageErrors'
import { narrowToOwner } from './fileModes'
import { anchorDir } from './paths'
import { createRouter, type Router, type RouterOptions } from './rpc'
import { anchorFileFor, databaseIdentity, registerAnchorDir } from './services/auditAnchors'
import { createAuditWatch, forgetAuditWatch, type AuditWatch } from './services/auditWatch'
import { migrateWithBackup } from './services/migrateWithBackup'
import { sweepExportLeftovers } from './services/outcomes/exportJobs'
import { startBackupScheduler } from './services/backupScheduler'
import { startReminderSender } from './services/reminders/scheduler'

export interface OpenClinicOptions {
  emit?: (e: AppEvent) => void
  backups?: boolean
  /** false: no reminder sender (on by default: services/reminders/scheduler.ts) */
  reminders?: boolean
  connection?: ConnectionHost
  log?: RouterOptions['log']
  anchors?: { dir: string } | false
  createFolder?: boolean
  chooseFolder?: RouterOptions['chooseFolder']
}

export interface ClinicApp {
  database: AppDatabase
  router: Router
  close(): Promise<void>
}

/**
 * `backups: false` leaves out the daily backup scheduler (it is on by default). `connection` tells the
 * Database screen which database is in effect, why, and where a new choice is saved (see
 * db/connectionSettings.ts for how the target is picked at start). `log` receives what goes wrong (the app's
 * log file, electron/appLog.ts; the console when not given). `anchors` is the folder of this computer's audit
 * anchors (paths.anchorDir() by default; `false`: none, and no audit check at start). `createFolder`: a SQLite
 * file's folder may be made (the app's own data folder on a first start); elsewhere a missing folder is refused.
 * `chooseFolder`: the system's folder dialog over a window (Settings > Backups, an imaging import), in the desktop app only.
 */
export async function openClinicApp(target: DbTarget, opts: OpenClinicOptions = {}): Promise<ClinicApp> {
  const anchorsDir = opts.anchors === false ? null : (opts.anchors?.dir ?? anchorDir(process.env))
  const database = await openAndMigrate(target, anchorsDir, opts)
  // Export files a crashed run left in the temporary folder hold patient data: gone before anything else.
  sweepExportLeftovers({ ownJobs: false })
  const audit = await watchAuditLog(target, database, anchorsDir, opts.log)
  const background = await startBackgroundWork(database, audit.watch, opts)
  const router = createRouter({
    database,
    emit: opts.emit,
    log: opts.log,
    connection: opts.connection,
    chooseFolder: opts.chooseFolder,
    changeFeed: background.changeFeed,
    // A restore from the administrator's screen swaps the file: these let go of it first and follow it after.
    lifecycle: background,
  })
  return {
    get database() {
      return router.database()
    },
    router,
    async close() {
      sweepExportLeftovers({ ownJobs: true })
      await background.suspend()
      audit.forget(router.database().target)
      await router.database().close()
    },
  }
}

/**
 * Opens the database and brings its schema up to date (a database that holds data is backed up first). A
 * missing SQLite file is a new clinic only where nothing says a clinic was there (db/clinicFile.ts); a file
 * that cannot be opened or written says why in words (db/storageErrors.ts).
 */
async function openAndMigrate(target: DbTarget, anchorsDir: string | null, opts: OpenClinicOptions): Promise<AppDatabase> {
  if (target.engine === 'sqlite') {
    checkClinicFile(target.file, { createFolder: opts.createFolder ?? false, formerlyUsed: () => (anchorsDir ? formerAnchors(anchorsDir, target) : null) })
    mkdirSync(dirname(target.file), { recursive: true, mode: 0o700 })
  }
  const atStart = (err: unknown) => (target.engine === 'sqlite' ? (storageProblemAtStart(err, target.file) ?? err) : err)
  let database: AppDatabase
  try {
    database = openDatabase(target, opts.log ? { log: opts.log } : {})
  } catch (err) {
    throw atStart(err)
  }
  if (target.engine === 'sqlite') narrowToOwner(target.file)
  try {
    await migrateWithBackup(database, { actor: { userId: null, username: 'app-start', workstation: hostname() }, anchorDir: anchorsDir })
  } catch (err) {
    await database.close()
    throw atStart(err)
  }
  return database
}

/** This computer's audit anchors for the file, if it has any: a clinic was kept there. */
function formerAnchors(dir: string, target: DbTarget): string | null {
  const file = anchorFileFor(dir, databaseIdentity(target))
  return existsSync(file) ? `this computer's audit anchors for it in ${file}` : null
}

/**
 * The audit log's tail is checked against this computer's anchors before anyone works, and anchored from then
 * on (services/auditWatch.ts); a failure is shown to administrators. None without an anchor folder.
 */
async function watchAuditLog(target: DbTarget, database: AppDatabase, anchorsDir: string | null, log: OpenClinicOptions['log']) {
  const unregisterAnchors = anchorsDir ? registerAnchorDir(target, anchorsDir) : () => {}
  const watch: AuditWatch | undefined = anchorsDir ? createAuditWatch({ database, dir: anchorsDir, ...(log ? { log } : {}) }) : undefined
  if (watch) {
    await watch.check('start')
    await watch.checkpoint('start')
    watch.start()
  }
  return {
    watch,
    /** After the watch has stopped, at close. */
    forget(openTarget: DbTarget) {
      if (watch) forgetAuditWatch(watch, openTarget)
      unregisterAnchors()
    },
  }
}

/**
 * What holds the open database besides the router: the change feed (other workstations' changes refresh this
 * one's open screens), the daily backup at the clinic's backup time (SQLite only; it catches up a missed one
 * after start) and the audit watch. `suspend` lets go of the database (a restore, the app's close) and `resume`
 * follows the reopened one.
 */
async function startBackgroundWork(
  database: AppDatabase,
  watch: AuditWatch | undefined,
  opts: OpenClinicOptions,
): Promise<{ changeFeed: NonNullable<RouterOptions['changeFeed']> } & NonNullable<RouterOptions['lifecycle']>> {
  const beforeBackup = watch
    ? async () => {
        const s = await watch.check('backup')
        return { ok: s.state !== 'failed', summary: s.summary }
      }
    : undefined
  // Changes made by other workstations (or processes) refresh this one's open screens.
  const startFeed = (db: AppDatabase) => startChangeFeed(db, (areas) => opts.emit?.({ type: 'dataChanged', areas }), opts.log ? { log: opts.log } : {})
  const startBackups = (db: AppDatabase) => (opts.backups === false ? undefined : startBackupScheduler({ database: db, beforeBackup, ...(opts.log ? { log: opts.log } : {}) }))
  // The reminder outbox every minute (issue 21 point 3), with this computer's SMTP password (the settings folder's keystore).
  const startReminders = (db: AppDatabase) =>
    opts.reminders === false
      ? undefined
      : startReminderSender({
          database: db,
          ...(opts.connection ? { configDir: opts.connection.configDir, secrets: opts.connection.secrets } : {}),
          ...(opts.log ? { log: opts.log } : {}),
          changed: () => opts.emit?.({ type: 'dataChanged', areas: ['worklists'] }),
        })
  let feed = await startFeed(database)
  let backups = startBackups(database)
  let reminders = startReminders(database)
  return {
    changeFeed: { publish: (trx, entity) => feed.publish(trx, entity) },
    async suspend() {
      await backups?.stop()
      await reminders?.stop()
      await watch?.stop()
      await feed.close()
    },
    async resume(db: AppDatabase) {
      if (watch) {
        // The restore wrote its own anchor line; the restored log is checked against it before anyone works.
        watch.attach(db)
        await watch.check('restore')
        watch.start()
      }
      feed = await startFeed(db)
      backups = startBackups(db)
      reminders = startReminders(db)
    },
  }
}
