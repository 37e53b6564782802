/** Opens the clinic: the database, its migrations and the router. Shared by Electron's main process and the bridge. */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { AppEvent } from '../shared/contract'
import { startChangeFeed } from './db/changeFeed'
import { openDatabase, parseDbTarget, type AppDatabase, type DbTarget } from './db/connect'
import { migrateToLatest } from './db/migrate'
import { defaultDatabaseFile } from './paths'
import { createRouter, type Router } from './rpc'

export interface ClinicApp {
  database: AppDatabase
  router: Router
  close(): Promise<void>
}

/** `--db-url` / CLINIC_DB_URL win over `--db`; the default is the app's own SQLite file. */
export function resolveDbTarget(opts: { db?: string; dbUrl?: string }, env: NodeJS.ProcessEnv = process.env): DbTarget {
  const url = opts.dbUrl ?? env.CLINIC_DB_URL
  if (url) return parseDbTarget(url)
  return { engine: 'sqlite', file: opts.db ?? defaultDatabaseFile(env) }
}

export async function openClinicApp(target: DbTarget, opts: { emit?: (e: AppEvent) => void } = {}): Promise<ClinicApp> {
  if (target.engine === 'sqlite') mkdirSync(dirname(target.file), { recursive: true })
  const database = openDatabase(target)
  try {
    await migrateToLatest(database)
  } catch (err) {
    await database.close()
    throw err
  }
  // Changes made by other workstations (or processes) refresh this one's open screens.
  const feed = await startChangeFeed(database, (entity) => opts.emit?.({ type: 'dataChanged', entity }))
  const router = createRouter({ database, emit: opts.emit, changeFeed: feed })
  return {
    database,
    router,
    async close() {
      await feed.close()
      await database.close()
    },
  }
}
