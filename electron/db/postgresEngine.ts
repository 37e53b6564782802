/**
 * The PostgreSQL engine adapter (db/engine.ts): a server several workstations share, SERIALIZABLE writes retried
 * on conflict, changes announced with NOTIFY and heard with LISTEN.
 */
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import pg from 'pg'
import { AREAS, type Area } from '../../shared/contract'
import { searchWords } from '../../shared/text'
import { isConnectionLost, LOST_RETRY_MS, type AppDatabase } from './connect'
import type { EngineAdapter, NameOrder, PatientsQuery } from './engine'
import { DENSE_MATCHES } from './patientWords'
import type { Tx } from './tx'
import type { DB } from './types'

/** The NOTIFY channel of the change feed (db/changeFeed.ts). */
export const CHANGE_CHANNEL = 'clinic_changes'

/** PostgreSQL's unique index (migration 0012) that lets no two audit rows follow the same row (services/audit.ts). */
export const ONE_SUCCESSOR = 'audit_log_one_successor'

/**
 * The advisory lock appenders of audit rows take turns with when guessing the chain's head has failed twice
 * (services/audit.ts; any constant: "SPINE").
 */
export const APPEND_TURNS = 0x5350494e45

const PG_RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 8
/** A change whose audit row keeps losing the head to a burst of reads' rows waits its turn instead (see below). */
const MAX_SUCCESSOR_LOSSES = 20

export const postgresEngine: EngineAdapter = {
  engine: 'postgres',

  async writeTransaction(database, fn) {
    let losses = 0
    let lostBeforeBegin = false
    for (let attempt = 1; ; attempt++) {
      let began = false
      try {
        // After two lost heads, the change takes the appenders' turn lock first, as a read's row does after two
        // failed guesses: under a burst of reads on several workstations it would otherwise lose every time.
        const turn = losses >= 2
        return await database.db
          .transaction()
          .setIsolationLevel('serializable')
          .execute(async (trx) => {
            began = true
            if (turn) await sql`SELECT pg_advisory_xact_lock(${APPEND_TURNS})`.execute(trx)
            return fn(trx)
          })
      } catch (err) {
        // A connection that died while it sat idle in the pool fails at BEGIN, before the change sent anything:
        // running it once more, on the fresh connection the pool now gives, cannot do it twice. Once it began,
        // a lost connection is never retried here (around COMMIT nobody can tell whether the server committed).
        if (!began && !lostBeforeBegin && isConnectionLost(err)) {
          lostBeforeBegin = true
          await new Promise((r) => setTimeout(r, LOST_RETRY_MS))
          continue
        }
        const { code, constraint } = err as { code?: string; constraint?: string }
        // also: another workstation's audit row took the head this transaction's row was hashed onto (services/audit.ts)
        const lostHead = constraint === ONE_SUCCESSOR
        if (lostHead) losses++
        const retryable = lostHead ? losses < MAX_SUCCESSOR_LOSSES : code !== undefined && PG_RETRYABLE.has(code) && attempt < MAX_ATTEMPTS
        if (!retryable) throw err
        await new Promise((r) => setTimeout(r, Math.random() * 10 * Math.min(attempt, MAX_ATTEMPTS)))
      }
    }
  },

  appendsAuditAlone: true,

  async startChangeFeed(database: AppDatabase, onRemoteChange, opts) {
    const target = database.target
    if (target.engine !== 'postgres') throw new Error('the PostgreSQL adapter was asked to listen to a database that is not on a server')
    const origin = randomUUID()
    const url = target.url
    const log = opts.log ?? ((m: string) => console.error(`[changes] ${m}`))
    const firstRetryMs = opts.retryMs ?? 500
    const maxRetryMs = opts.maxRetryMs ?? 15_000
    let listener: pg.Client | null = null
    let closed = false
    let retryMs = firstRetryMs
    let retryTimer: NodeJS.Timeout | undefined

    const onNotification = (msg: pg.Notification) => {
      try {
        const { origin: from, areas } = JSON.parse(msg.payload ?? '{}') as { origin?: string; areas?: unknown }
        if (from === origin || !Array.isArray(areas)) return
        // a workstation of a newer version may name an area this one does not know: refresh everything then
        const known = areas.filter((a): a is Area => (AREAS as readonly unknown[]).includes(a))
        onRemoteChange(known.length === areas.length ? known : '*')
      } catch {
        /* a malformed payload is ignored */
      }
    }

    /** A client that LISTENs, or a thrown error (with the half-made client ended). */
    async function listen(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: url, keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 10_000 })
      // An 'error' nobody listens to would end the process; the 'end' that follows it brings the reconnect.
      client.on('error', (err) => log(`the change listener lost its connection (${err.message})`))
      client.on('notification', onNotification)
      try {
        await client.connect()
        await client.query(`LISTEN ${CHANGE_CHANNEL}`)
      } catch (err) {
        void client.end().catch(() => undefined)
        throw err
      }
      client.once('end', () => {
        if (closed || listener !== client) return
        listener = null
        opts.onListening?.(false)
        scheduleReconnect()
      })
      return client
    }

    /**
     * The server went away (a restart, a dropped network). Try again with a growing wait; once listening
     * again, every open screen refreshes, since other workstations' changes meanwhile were not heard.
     */
    function scheduleReconnect() {
      if (closed || retryTimer) return
      const wait = retryMs
      retryMs = Math.min(retryMs * 2, maxRetryMs)
      retryTimer = setTimeout(() => {
        retryTimer = undefined
        listen().then(
          (client) => {
            if (closed) {
              void client.end().catch(() => undefined)
              return
            }
            listener = client
            retryMs = firstRetryMs
            log('the change listener is connected again')
            opts.onListening?.(true)
            onRemoteChange('*')
          },
          () => scheduleReconnect(),
        )
      }, wait)
      retryTimer.unref?.()
    }

    listener = await listen()
    return {
      async publish(trx, areas) {
        await sql`SELECT pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify({ origin, areas })})`.execute(trx)
      },
      async close() {
        closed = true
        clearTimeout(retryTimer)
        await listener?.end().catch(() => undefined)
      },
    }
  },

  joinedInOrder({ value, from, where, orderBy }) {
    return sql<string>`(select string_agg(${value}, ' ' order by ${orderBy}) from ${from} where ${where})`
  },

  // to_json / json_agg over the subquery (in its order); pg parses json values as it reads them
  jsonObjectFrom: (query) => jsonObjectFrom(query) as never,
  jsonArrayFrom: (query) => jsonArrayFrom(query) as never,
  readJson: (value) => value,

  // pg-cursor (streaming) is not installed: keyset pages in the same order keep memory just as flat.
  async *keysetPages(_database, query, paging) {
    const [k1, k2] = paging.orderBy
    let after: [unknown, unknown] | null = null
    for (;;) {
      let q = query
      if (after) {
        const a = after
        q = q.where((eb: any) => eb.or([eb(k1, '>', a[0]), eb.and([eb(k1, '=', a[0]), eb(k2, '>', a[1])])]))
      }
      const page = (await q.orderBy(k1).orderBy(k2).limit(paging.batch).execute()) as Record<string, unknown>[]
      if (page.length) yield page.map((r) => paging.columns.map((n) => r[n] ?? null))
      if (page.length < paging.batch) return
      const last = page[page.length - 1]!
      after = [last[paging.keys[0]], last[paging.keys[1]]]
    }
  },

  patientWords: {
    query: (typed, mrnDigits) => (mrnDigits ? `'${mrnDigits}':*` : tsQuery(typed)),
    page: (db, base, query, limit) => postgresMatches(db, base, query, limit),
  },
}

/** The same for PostgreSQL's tsquery over search_words, where "_m" says a word of the name starts with m (migration 0008). */
export function tsQuery(q: string): string | null {
  const { words, initials } = searchWords(q)
  if (words.length === 0) return null
  const quote = (w: string) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
  return [...words.map((w) => `${quote(w)}:*`), ...initials.map((i) => quote(`_${i}`))].join(' & ')
}

/**
 * PostgreSQL's planner chose between the same two ways as SQLite (DENSE_MATCHES) by its estimate of the
 * matches, and chose the walk for a surname matched a thousand times under one letter: "mill" at 100k patients
 * passed 53 000 names before the first Miller (68 ms, SQLite 3.6 ms). So the choice is made here, as on SQLite:
 * the matches are read through the word index up to DENSE_MATCHES and sorted, in one statement that also says
 * how many there were (3-4 ms for a thousand); a word with more matches than that is looked for by walking the
 * name index instead ("ma": 1.9 ms), the word index kept out of that plan by wrapping the condition. Reading
 * 2 500 matches only to learn that a word is common costs 8-15 ms, and the same few common starts ("ma", "ha")
 * are typed all day, so the words found common are remembered (DENSE_WORDS) and walked straight away. A word
 * remembered wrongly (its patients since moved away) costs only time: both ways give the same rows.
 */
const DENSE_WORDS = new Set<string>()
const DENSE_WORDS_KEPT = 5000
async function postgresMatches<R extends NameOrder>(db: Tx, patients: PatientsQuery<R>, query: string, limit: number): Promise<R[]> {
  const base = patients as PatientsQuery<any>
  const matching = sql<boolean>`search_words @@ ${query}::tsquery`
  const walk = () => base.where(sql<boolean>`coalesce(${matching}, false)`).orderBy('last_name').orderBy('first_name').orderBy('id').limit(limit).execute()
  if (DENSE_WORDS.has(query)) return walk()
  const sparse = await (db as Kysely<DB>)
    .with((cte) => cte('m').materialized(), () => base.where(matching).limit(DENSE_MATCHES))
    .selectFrom('m')
    .selectAll()
    .select(sql<number>`(SELECT count(*) FROM m)`.as('matches'))
    .orderBy('last_name')
    .orderBy('first_name')
    .orderBy('id')
    .limit(limit)
    .execute()
  if ((sparse[0]?.matches ?? 0) < DENSE_MATCHES) return sparse as R[]
  if (DENSE_WORDS.size >= DENSE_WORDS_KEPT) DENSE_WORDS.clear()
  DENSE_WORDS.add(query)
  return walk()
}
