/**
 * The SQLite engine adapter (db/engine.ts): a file the app opens itself, one writer at a time, other processes
 * on the same file heard by polling.
 */
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/sqlite'
import { searchWords } from '../../shared/text'
import { sqliteLibraryOptions, type AppDatabase } from './connect'
import type { EngineAdapter } from './engine'
import { DENSE_MATCHES } from './patientWords'
import type { Tx } from './tx'

export const sqliteEngine: EngineAdapter = {
  engine: 'sqlite',

  writeTransaction(database, fn) {
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
  },

  appendsAuditAlone: false,

  async startChangeFeed(database, onRemoteChange, opts) {
    const raw = database.sqlite!
    let seen = raw.pragma('data_version', { simple: true }) as number
    const timer = setInterval(() => {
      try {
        const now = raw.pragma('data_version', { simple: true }) as number
        if (now !== seen) {
          seen = now
          onRemoteChange('*')
        }
      } catch {
        clearInterval(timer)
      }
    }, opts.pollMs ?? 500)
    timer.unref()
    return {
      async publish() {},
      async close() {
        clearInterval(timer)
      },
    }
  },

  joinedInOrder({ value, from, where, orderBy }) {
    return sql<string>`(select group_concat(x.item, ' ') from (select ${value} as item from ${from} where ${where} order by ${orderBy}) x)`
  },

  // json_object / json_group_array over the subquery's named columns; the value comes back as its JSON text
  jsonObjectFrom: (query) => jsonObjectFrom(query) as never,
  jsonArrayFrom: (query) => jsonArrayFrom(query) as never,
  readJson: (value) => (typeof value === 'string' ? JSON.parse(value) : value),

  async *keysetPages(database: AppDatabase, query, paging) {
    const target = database.target
    if (target.engine !== 'sqlite') throw new Error('the SQLite adapter was asked to read a database that is not a SQLite file')
    const [k1, k2] = paging.orderBy
    const [c1, c2] = paging.keys.map((k) => paging.columns.indexOf(k)) as [number, number]
    // Pages with .all() rather than one .iterate(): a page crosses from SQLite into JavaScript at once, where
    // the iterator crosses once per row. The next page starts after the last row's (date, id), a row value
    // SQLite answers from an index on the keys (the outcome rows': procedures_date).
    const ordered = (q: typeof query) => q.orderBy(k1).orderBy(k2).limit(paging.batch).compile()
    const first = ordered(query)
    const next = ordered(query.where((eb: any) => eb(eb.refTuple(k1, k2), '>', eb.tuple('', 0))))
    const reader = new Database(target.file, { readonly: true, fileMustExist: true, ...sqliteLibraryOptions() })
    try {
      const firstStmt = reader.prepare(first.sql).raw(true)
      const nextStmt = reader.prepare(next.sql).raw(true)
      const nextParams = next.parameters.slice() as unknown[]
      let page = firstStmt.all(...(first.parameters as unknown[])) as unknown[][]
      for (;;) {
        if (page.length) yield page
        if (page.length < paging.batch) return
        const last = page[page.length - 1]!
        // the row value's two parameters come just before the limit's
        nextParams.splice(nextParams.length - 3, 2, last[c1], last[c2])
        page = nextStmt.all(...nextParams) as unknown[][]
      }
    } finally {
      reader.close()
    }
  },

  patientWords: {
    query: (typed, mrnDigits) => (mrnDigits ? `mrn : "${mrnDigits}"*` : ftsQuery(typed)),
    async page(db, base, match, limit) {
      const [id, ids] = await sqliteMatches(db, match)
      return base.where(id, 'in', ids).orderBy('last_name').orderBy('first_name').orderBy('id').limit(limit).execute()
    },
  },
}

/**
 * The FTS5 query: every word starts a word of the name, the MRN or the phone digits; every single letter
 * starts a word of the name (the `name` column only: "s" would otherwise match every MRN's "SC").
 */
export function ftsQuery(q: string): string | null {
  const { words, initials } = searchWords(q)
  if (words.length === 0) return null
  return [...words.map((w) => `"${w}"*`), ...initials.map((i) => `name : "${i}"*`)].join(' ')
}

async function sqliteMatches(db: Tx, match: string) {
  const probe = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ${match} LIMIT ${DENSE_MATCHES})`.execute(db)
  const ids = sql<number>`(SELECT rowid FROM patients_fts WHERE patients_fts MATCH ${match})`
  // "+id" keeps SQLite from looking the matches up by id, so that it reads patients in name order instead.
  return (probe.rows[0]?.n ?? 0) >= DENSE_MATCHES ? ([sql<number>`+id`, ids] as const) : (['id', ids] as const)
}
