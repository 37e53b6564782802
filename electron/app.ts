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
 */
export async function openClinicApp(
  target: DbTarget,
  opts: { emit?: (e: AppEvent) => void; backups?: boolean; connection?: ConnectionHost; log?: RouterOptions['log']; anchors?: { dir: string } | false; createFolder?: boolean } = {},
): Promise<ClinicApp> {
  const anchorsDir = opts.anchors === false ? null : (opts.anchors?.dir ?? anchorDir(process.env))
  if (target.engine === 'sqlite') {
    // A missing file is a new clinic only where nothing says a clinic was there (db/clinicFile.ts).
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
    // A database that holds data is backed up before its schema changes.
    await migrateWithBackup(database, { actor: { userId: null, username: 'app-start', workstation: hostname() }, anchorDir: anchorsDir })
  } catch (err) {
    await database.close()
    throw atStart(err)
  }
  // Export files a crashed run left in the temporary folder hold patient data: gone before anything else.
  sweepExportLeftovers({ ownJobs: false })
  // The audit log's tail is checked against this computer's anchors before anyone works, and anchored from
  // then on (services/auditWatch.ts); a failure is shown to administrators.
  const unregisterAnchors = anchorsDir ? registerAnchorDir(target, anchorsDir) : () => {}
  const watch: AuditWatch | undefined = anchorsDir ? createAuditWatch({ database, dir: anchorsDir, ...(opts.log ? { log: opts.log } : {}) }) : undefined
  if (watch) {
    await watch.check('start')
    await watch.checkpoint('start')
    watch.start()
  }
  const beforeBackup = watch
    ? async () => {
        const s = await watch.check('backup')
        return { ok: s.state !== 'failed', summary: s.summary }
      }
    : undefined
  // Changes made by other workstations (or processes) refresh this one's open screens.
  const startFeed = (db: AppDatabase) => startChangeFeed(db, (areas) => opts.emit?.({ type: 'dataChanged', areas }), opts.log ? { log: opts.log } : {})
  // The daily backup at the clinic's backup time (SQLite only); it catches up a missed one after start.
  const startBackups = (db: AppDatabase) => (opts.backups === false ? undefined : startBackupScheduler({ database: db, beforeBackup, ...(opts.log ? { log: opts.log } : {}) }))
  let feed = await startFeed(database)
  let backups = startBackups(database)
  const router = createRouter({
    database,
    emit: opts.emit,
    log: opts.log,
    connection: opts.connection,
    changeFeed: { publish: (trx, entity) => feed.publish(trx, entity) },
    // A restore from the administrator's screen swaps the file: these let go of it first and follow it after.
    lifecycle: {
      async suspend() {
        await backups?.stop()
        await watch?.stop()
        await feed.close()
      },
      async resume(db) {
        if (watch) {
          // The restore wrote its own anchor line; the restored log is checked against it before anyone works.
          watch.attach(db)
          await watch.check('restore')
          watch.start()
        }
        feed = await startFeed(db)
        backups = startBackups(db)
      },
    },
  })
  return {
    get database() {
      return router.database()
    },
    router,
    async close() {
      sweepExportLeftovers({ ownJobs: true })
      await backups?.stop()
      if (watch) {
        await watch.stop()
        forgetAuditWatch(watch, router.database().target)
      }
      unregisterAnchors()
      await feed.close()
      await router.database().close()
    },
  }
}

/** This computer's audit anchors for the file, if it has any: a clinic was kept there. */
function formerAnchors(dir: string, target: DbTarget): string | null {
  const file = anchorFileFor(dir, databaseIdentity(target))
  return existsSync(file) ? `this computer's audit anchors for it in ${file}` : null
}
