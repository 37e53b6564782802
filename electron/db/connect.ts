import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely'
import pg from 'pg'
import type { Engine } from '../../migrations'
import { preparingStatements } from './preparedStatements'
import { keptStatements } from './sqliteStatements'
import type { DB } from './types'

export type DbTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string }

export interface AppDatabase {
  db: Kysely<DB>
  engine: Engine
  target: DbTarget
  /** The raw better-sqlite3 handle (SQLite only): backups, integrity checks, benchmarks. */
  sqlite?: Database.Database
  close(): Promise<void>
}

// COUNT(*) and BIGINT come back from pg as strings; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v))

/**
 * Opens the clinic database. For SQLite: WAL so readers never wait for the writer, synchronous=FULL
 * so an acknowledged write survives power loss, foreign keys on, and a busy timeout for other processes.
 */
export interface OpenOptions {
  /** Sees every query the app runs (the query-plan tests use it). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void
}

export function openDatabase(target: DbTarget, options: OpenOptions = {}): AppDatabase {
  const log = options.onQuery
    ? (event: LogEvent) => {
        if (event.level === 'query') options.onQuery!(event.query.sql, event.query.parameters)
      }
    : undefined
  if (target.engine === 'postgres') {
    const pool = preparingStatements(new pg.Pool({ connectionString: target.url, max: 10 }))
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log })
    return { db, engine: 'postgres', target, close: () => db.destroy() }
  }
  // The Electron main process points this at a better-sqlite3 build made for Electron's ABI.
  const nativeBinding = process.env.CLINIC_SQLITE_NATIVE_BINDING || undefined
  const sqlite = new Database(target.file, nativeBinding ? { nativeBinding } : {})
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: keptStatements(sqlite) }), log })
  return { db, engine: 'sqlite', target, sqlite, close: () => db.destroy() }
}

/** `postgres://…` URLs select PostgreSQL; anything else is a SQLite file path. */
export function parseDbTarget(spec: string): DbTarget {
  return /^postgres(ql)?:\/\//i.test(spec) ? { engine: 'postgres', url: spec } : { engine: 'sqlite', file: spec }
}
