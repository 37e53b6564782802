/**
 * Tells this workstation when another one changed the data, so that open screens refresh without a
 * manual reload. PostgreSQL: NOTIFY inside the writing transaction (delivered on commit) and a LISTEN
 * connection here. SQLite (another process on the same file, such as the admin command line): polling
 * `PRAGMA data_version`, which changes only when a different connection commits.
 *
 * The PostgreSQL listener outlives the server going away: it connects again with a growing wait, LISTENs
 * again, and then announces a change of everything ('*'), because changes made meanwhile were not heard.
 */
import type { Area } from '../../shared/contract'
import type { AppDatabase } from './connect'
import { engineOf } from './engine'
import type { Tx } from './tx'

export { CHANGE_CHANNEL } from './postgresEngine'

export interface ChangeFeed {
  /** Announces the areas a write changed to the other workstations; call inside the writing transaction. */
  publish(trx: Tx, areas: readonly Area[]): Promise<void>
  close(): Promise<void>
}

export interface ChangeFeedOptions {
  /** SQLite: how often `PRAGMA data_version` is read. */
  pollMs?: number
  /** PostgreSQL: the first wait before connecting the listener again after it was lost (doubles, up to maxRetryMs). */
  retryMs?: number
  maxRetryMs?: number
  log?: (message: string, err?: unknown) => void
  /** PostgreSQL: the listener lost its connection (`false`) or is listening again (`true`). */
  onListening?: (listening: boolean) => void
}

/** Starts the engine's feed (db/sqliteEngine.ts, db/postgresEngine.ts). */
export function startChangeFeed(database: AppDatabase, onRemoteChange: (areas: readonly Area[] | '*') => void, opts: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  return engineOf(database).startChangeFeed(database, onRemoteChange, opts)
}
