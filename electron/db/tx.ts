import { sql, type Kysely, type Transaction } from 'kysely'
import type { AppDatabase } from './connect'
import type { DB } from './types'

export type Tx = Kysely<DB> | Transaction<DB>

const PG_RETRYABLE = new Set(['40001', '40P01'])

/** PostgreSQL's unique index (migration 0012) that lets no two audit rows follow the same row (services/audit.ts). */
export const ONE_SUCCESSOR = 'audit_log_one_successor'
const MAX_ATTEMPTS = 8

/**
 * Runs `fn` in one write transaction. On SQLite, BEGIN IMMEDIATE takes the write lock up front, so
 * a check-then-write (the booking rule, the audit chain) cannot interleave with another connection.
 * On PostgreSQL the transaction is SERIALIZABLE and retried when the server reports a conflict.
 */
export async function withWriteTransaction<T>(database: AppDatabase, fn: (trx: Tx) => Promise<T>): Promise<T> {
  if (database.engine === 'sqlite') {
    return database.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn)
      try {
        const result = await fn(conn)
        await sql`COMMIT`.execute(conn)
        return result
      } catch (err) {
        // After SQLITE_FULL, SQLITE_IOERR and a few others SQLite has already rolled the transaction back by
        // itself (https://www.sqlite.org/lang_transaction.html, "Response To Errors Within A Transaction"); a
        // second ROLLBACK would fail and hide the error that says what happened.
        if (database.sqlite?.inTransaction !== false) await sql`ROLLBACK`.execute(conn)
        throw err
      }
    })
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().setIsolationLevel('serializable').execute(fn)
    } catch (err) {
      const { code, constraint } = err as { code?: string; constraint?: string }
      // also: another workstation's audit row took the head this transaction's row was hashed onto (services/audit.ts)
      const retryable = (code !== undefined && PG_RETRYABLE.has(code)) || constraint === ONE_SUCCESSOR
      if (!retryable || attempt >= MAX_ATTEMPTS) throw err
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt))
    }
  }
}
