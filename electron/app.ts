/** Opens the clinic: the database, its migrations and the router. Shared by Electron's main process and the bridge. */
import { mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import type { AppEvent } from '../shared/contract'
import { startChangeFeed } from './db/changeFeed'
import { openDatabase, type AppDatabase, type DbTarget } from './db/connect'
import type { ConnectionHost } from './db/connectionSettings'
import { createRouter, type Router } from './rpc'
import { migrateWithBackup } from './services/backup'
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
  if (target.engine === 'sqlite') mkdirSync(dirname(target.file), { recursive: true })
  const database = openDatabase(target)
  try {
    // A database that holds data is backed up before its schema changes.
    await migrateWithBackup(database, { actor: { userId: null, username: 'app-start', workstation: hostname() } })
  } catch (err) {
    await database.close()
    throw err
  }
  // Changes made by other workstations (or processes) refresh this one's open screens.
  const feed = await startChangeFeed(database, (entity) => opts.emit?.({ type: 'dataChanged', entity }))
  const router = createRouter({ database, emit: opts.emit, changeFeed: feed, connection: opts.connection })
  // The daily backup at the clinic's backup time (SQLite only); it catches up a missed one after start.
  const backups = opts.backups === false ? undefined : startBackupScheduler({ database })
  return {
    database,
    router,
    async close() {
      await backups?.stop()
      await feed.close()
      await database.close()
    },
  }
}
