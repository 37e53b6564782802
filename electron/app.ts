/** Opens the clinic: the database, its migrations and the router. Shared by Electron's main process and the bridge. */
import { mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import type { AppEvent } from '../shared/contract'
import { startChangeFeed } from './db/changeFeed'
import { openDatabase, type AppDatabase, type DbTarget } from './db/connect'
import type { ConnectionHost } from './db/connectionSettings'
import { narrowToOwner } from './fileModes'
import { createRouter, type Router } from './rpc'
import { migrateWithBackup } from './services/backup'
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
 * db/connectionSettings.ts for how the target is picked at start).
 */
export async function openClinicApp(
  target: DbTarget,
  opts: { emit?: (e: AppEvent) => void; backups?: boolean; connection?: ConnectionHost } = {},
): Promise<ClinicApp> {
  if (target.engine === 'sqlite') mkdirSync(dirname(target.file), { recursive: true, mode: 0o700 })
  const database = openDatabase(target)
  if (target.engine === 'sqlite') narrowToOwner(target.file)
  try {
    // A database that holds data is backed up before its schema changes.
    await migrateWithBackup(database, { actor: { userId: null, username: 'app-start', workstation: hostname() } })
  } catch (err) {
    await database.close()
    throw err
  }
  // Export files a crashed run left in the temporary folder hold patient data: gone before anything else.
  sweepExportLeftovers({ ownJobs: false })
  // Changes made by other workstations (or processes) refresh this one's open screens.
  const startFeed = (db: AppDatabase) => startChangeFeed(db, (entity) => opts.emit?.({ type: 'dataChanged', entity }))
  // The daily backup at the clinic's backup time (SQLite only); it catches up a missed one after start.
  const startBackups = (db: AppDatabase) => (opts.backups === false ? undefined : startBackupScheduler({ database: db }))
  let feed = await startFeed(database)
  let backups = startBackups(database)
  const router = createRouter({
    database,
    emit: opts.emit,
    connection: opts.connection,
    changeFeed: { publish: (trx, entity) => feed.publish(trx, entity) },
    // A restore from the administrator's screen swaps the file: these let go of it first and follow it after.
    lifecycle: {
      async suspend() {
        await backups?.stop()
        await feed.close()
      },
      async resume(db) {
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
      await feed.close()
      await router.database().close()
    },
  }
}
