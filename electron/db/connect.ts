import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely'
import pg from 'pg'
import type { Engine } from './engine'
import { preparingStatements } from './preparedStatements'
import { keptStatements } from './sqliteStatements'
import type { DB } from './types'

export type DbTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string }

/**
 * The better-sqlite3 library this process loads: the one in node_modules, or (`npm start`'s Electron) a build
 * made for Electron's ABI. It belongs to the process, not to a database, so the Electron adapter names it once at
 * start (only an unpackaged build: see electron/desktop/devSwitches.ts) and every SQLite handle the process opens
 * uses it; under Node (the bridge, the admin commands, the tests) nothing is named and the default loads.
 */
let sqliteNativeBinding: string | undefined

export function useSqliteNativeBinding(file: string | undefined): void {
  sqliteNativeBinding = file || undefined
}

/** better-sqlite3's options for the library in use, for every `new Database(...)`. */
export function sqliteLibraryOptions(): { nativeBinding?: string } {
  return sqliteNativeBinding ? { nativeBinding: sqliteNativeBinding } : {}
}

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
  /** Hears of connections the server dropped (PostgreSQL); console.error by default. */
  log?: (message: string, err?: unknown) => void
}

/** PostgreSQL's and the network's ways of saying a connection is gone or cannot be made now. */
const CONNECTION_LOST_CODES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast or immediate shutdown, a restart
  '57P02', // crash_shutdown: another backend crashed and the server is resetting
  '57P03', // cannot_connect_now: the server is starting up or shutting down
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
])
// pg's own words for a socket that ended or a client that can no longer be used, and pg-pool's for a
// connection that could not be made within connectionTimeoutMillis.
const CONNECTION_LOST_MESSAGES = /Connection terminated|is not queryable|timeout exceeded when trying to connect|terminating connection/i

/**
 * Whether a failed database call failed because the connection to the server went away (or could not be
 * made), rather than because of what the call asked. The router answers these with `unavailable`.
 */
export function isConnectionLost(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  const { code, message, errors } = err as { code?: unknown; message?: unknown; errors?: unknown }
  if (typeof code === 'string' && CONNECTION_LOST_CODES.has(code)) return true
  if (typeof message === 'string' && CONNECTION_LOST_MESSAGES.test(message)) return true
  // Node reports a refused connection to a name with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  return Array.isArray(errors) && errors.length > 0 && errors.every(isConnectionLost)
}

/**
 * Runs a read, and once more a moment later when its connection had been lost: the server dropped it while it
 * sat idle in the pool (a restart that is already over, pg_terminate_backend, a firewall), and the pool had not
 * yet heard, so it handed the dead one out. The pool discards it on the failure, so the second run gets a fresh
 * connection. Only for what is harmless to run twice.
 */
export async function onceMoreIfLost<T>(read: () => Promise<T>, beforeRetry?: () => void): Promise<T> {
  try {
    return await read()
  } catch (err) {
    if (!isConnectionLost(err)) throw err
    await new Promise((r) => setTimeout(r, LOST_RETRY_MS))
    beforeRetry?.()
    return await read()
  }
}

/** How long a call waits before it runs again after a lost connection (the pool has discarded the dead one by then). */
export const LOST_RETRY_MS = 250

/**
 * The PostgreSQL pool. A connection the server drops (a restart, pg_terminate_backend, a firewall that ends
 * idle connections) makes pg emit 'error' on the client and, for an idle client, on the pool; an 'error'
 * event nobody listens to is thrown, and would end the main process. Listening is enough: pg marks such a
 * client unusable and the pool discards it (at once when idle, when released when it was in use), so the
 * next call gets a fresh connection. The call that was using it fails on its own, and the router answers
 * `unavailable`.
 */
function openPool(url: string, log: (message: string, err?: unknown) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    // No JIT compilation of the app's statements: they are short lookups and writes, for which compiling costs
    // more than it saves (PostgreSQL's manual, "JIT Accelerated Operations": beneficial primarily for long-running
    // CPU-bound, analytical queries), and a statement whose estimate crosses jit_above_cost on a large clinic
    // would otherwise pay tens of milliseconds now and then. The server's own setting is left alone.
    options: '-c jit=off',
    max: 10,
    // An unreachable server answers within seconds instead of after the system's TCP timeout (minutes).
    connectionTimeoutMillis: 10_000,
    // Finds connections a network device dropped silently while they sat idle.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  })
  const lost = (err: unknown) => log(`a database connection was lost (${(err as Error)?.message ?? String(err)}); it is replaced on the next call`)
  // An idle client's error reaches both its own listener (which logs it) and the pool's.
  pool.on('error', () => undefined)
  pool.on('connect', (client) => {
    client.on('error', lost)
  })
  return pool
}

export function openDatabase(target: DbTarget, options: OpenOptions = {}): AppDatabase {
  const log = options.onQuery
    ? (event: LogEvent) => {
        if (event.level === 'query') options.onQuery!(event.query.sql, event.query.parameters)
      }
    : undefined
  if (target.engine === 'postgres') {
    const pool = preparingStatements(openPool(target.url, options.log ?? ((m) => console.error(`[db] ${m}`))))
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log })
    return { db, engine: 'postgres', target, close: () => db.destroy() }
  }
  const sqlite = new Database(target.file, sqliteLibraryOptions())
  walMode(sqlite)
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  // 64 MB of pages kept in memory (SQLite's default is 2 MB): a seeded clinic of 100 000 patients is a 2.5 GB
  // file, and a week of its schedule reads about 1 500 scattered pages; BENCHMARKS.md, session 14.
  sqlite.pragma('cache_size = -65536')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: keptStatements(sqlite) }), log })
  return { db, engine: 'sqlite', target, sqlite, close: () => db.destroy() }
}

/**
 * Write-ahead logging. Turning it on in a new file takes an exclusive lock, and two workstations opening the same
 * new file at once each hold a shared one while they ask for it: SQLite then answers SQLITE_BUSY at once instead of
 * waiting (it would be a deadlock), so the busy timeout does not help. Each tries again a moment later, a few
 * times; by then the other has finished (the CI run on c0bbfa6 met this in migrations.test's two starting together).
 */
function walMode(sqlite: Database.Database): void {
  for (let attempt = 1; ; attempt++) {
    try {
      sqlite.pragma('journal_mode = WAL')
      return
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 50) throw err
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.random() * 80)
    }
  }
}

/** `postgres://…` URLs select PostgreSQL; anything else is a SQLite file path. */
export function parseDbTarget(spec: string): DbTarget {
  return /^postgres(ql)?:\/\//i.test(spec) ? { engine: 'postgres', url: spec } : { engine: 'sqlite', file: spec }
}
