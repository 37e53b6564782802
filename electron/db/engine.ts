/**
 * What differs between SQLite and PostgreSQL, behind one adapter per engine, as Kysely keeps its dialects:
 * the router, the services and the rest of the database layer ask `engineOf(database)` and never test which
 * engine they run on. The adapters are db/sqliteEngine.ts and db/postgresEngine.ts; each answers every
 * question below (tests/integration/engine-adapters.test.ts asks both the same ones).
 */
import type { RawBuilder, SelectQueryBuilder } from 'kysely'
import type { Area } from '../../shared/contract'
import type { ChangeFeed, ChangeFeedOptions } from './changeFeed'
import type { AppDatabase } from './connect'
import { postgresEngine } from './postgresEngine'
import { sqliteEngine } from './sqliteEngine'
import type { Tx } from './tx'
import type { DB } from './types'

/** The two engines a clinic's database can be kept in. */
export type Engine = 'sqlite' | 'postgres'

/** The columns a patient word search orders by, which its query must select (PostgreSQL pages them in a CTE). */
export interface NameOrder {
  id: number
  last_name: string
  first_name: string
}

/** A query of patients that a word search narrows and pages. */
export type PatientsQuery<R extends NameOrder> = SelectQueryBuilder<DB, 'patients', R>

/** What a long read in pages needs to know of its query (see `EngineAdapter.keysetPages`). */
export interface KeysetPaging {
  /** The query's output columns, in the order each row's array gives them. */
  columns: readonly string[]
  /** The two ordering keys as the query refers to them (e.g. 'p.procedure_date', 'p.id'), unique together. */
  orderBy: readonly [string, string]
  /** The same two keys as output columns (their names in `columns`). */
  keys: readonly [string, string]
  /** Rows a page. */
  batch: number
}

export interface EngineAdapter {
  readonly engine: Engine
  /**
   * Runs `fn` in one write transaction. SQLite: BEGIN IMMEDIATE takes the write lock up front, so that a
   * check-then-write (the booking rule, the audit chain) cannot interleave with another connection.
   * PostgreSQL: SERIALIZABLE, retried when the server reports a conflict.
   */
  writeTransaction<T>(database: AppDatabase, fn: (trx: Tx) => Promise<T>): Promise<T>
  /**
   * True where an audit row that records no change of its own (a record read, an access refused) is appended
   * in one statement outside a transaction (services/audit.ts appendAuditAlone: one round trip to the server
   * instead of four); false where it is appended in a write transaction (SQLite: local and cheap).
   */
  readonly appendsAuditAlone: boolean
  /**
   * Hears other connections' commits. PostgreSQL: NOTIFY in the writing transaction, a LISTEN connection here.
   * SQLite: `PRAGMA data_version` polled (another process on the same file), which names no areas ('*').
   */
  startChangeFeed(database: AppDatabase, onRemoteChange: (areas: readonly Area[] | '*') => void, opts: ChangeFeedOptions): Promise<ChangeFeed>
  /**
   * A subquery's first row (jsonObjectFrom; null when it has none) or all its rows in its order (jsonArrayFrom) as
   * one value of the outer select, so that several small reads are one statement: in a PostgreSQL transaction every
   * statement is a round trip (the booking's references were five). The subquery names its columns (SQLite builds
   * the object from them); `readJson` turns what the driver gives back into the value (SQLite gives the JSON text).
   */
  jsonObjectFrom<O>(query: SelectQueryBuilder<any, any, O>): RawBuilder<O | null>
  jsonArrayFrom<O>(query: SelectQueryBuilder<any, any, O>): RawBuilder<O[]>
  readJson<T>(value: T): T
  /** A correlated subquery's values joined by single spaces in the given order (null when it has no rows). */
  joinedInOrder(parts: { value: RawBuilder<unknown>; from: RawBuilder<unknown>; where: RawBuilder<unknown>; orderBy: RawBuilder<unknown> }): RawBuilder<string>
  /**
   * A long read (an export of every outcome row) as pages of rows given as arrays, in the order of two keys, so
   * that memory stays flat however many rows there are. Breaking out of the loop ends the read.
   */
  keysetPages(database: AppDatabase, query: SelectQueryBuilder<any, any, any>, paging: KeysetPaging): AsyncGenerator<unknown[][]>
  /** Patient search by the words of the name, the MRN and the phone (migration 0008's word index). */
  readonly patientWords: {
    /** The word index's query for what was typed (an MRN's digits, or words and initials); null: nothing to look for. */
    query(typed: string, mrnDigits: string | null): string | null
    /** The first `limit` patients of `base` whose words match `query`, in name order (last, first, id). */
    page<R extends NameOrder>(db: Tx, base: PatientsQuery<R>, query: string, limit: number): Promise<R[]>
  }
}

const ADAPTERS: Record<Engine, EngineAdapter> = { sqlite: sqliteEngine, postgres: postgresEngine }

/** The adapter of a database's engine (or of an engine by name). */
export function engineOf(of: Engine | { engine: Engine }): EngineAdapter {
  return ADAPTERS[typeof of === 'string' ? of : of.engine]
}
