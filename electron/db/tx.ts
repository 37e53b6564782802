import type { Kysely, Transaction } from 'kysely'
import type { AppDatabase } from './connect'
import { engineOf } from './engine'
import type { DB } from './types'

export type Tx = Kysely<DB> | Transaction<DB>

export { ONE_SUCCESSOR } from './postgresEngine'

/**
 * Runs `fn` in one write transaction, as the engine's adapter does it (db/engine.ts): on SQLite BEGIN IMMEDIATE
 * takes the write lock up front, so a check-then-write (the booking rule, the audit chain) cannot interleave
 * with another connection; on PostgreSQL the transaction is SERIALIZABLE and retried when the server reports a
 * conflict.
 */
export function withWriteTransaction<T>(database: AppDatabase, fn: (trx: Tx) => Promise<T>): Promise<T> {
  return engineOf(database).writeTransaction(database, fn)
}
