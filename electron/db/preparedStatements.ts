/**
 * PostgreSQL parses and plans every statement it is sent unless the statement is named. The app's statements
 * are a fixed set of texts (Kysely compiles values to parameters), run thousands of times a day, so each
 * connection prepares each text once: planning a booking's lane checks took longer than running them. Kysely
 * has no switch for this, so the pool's clients are taught it: a statement text gets a name the first time it
 * is seen, and pg prepares a name once per connection.
 *
 * Not named, and so planned for each call with its values:
 * - full-text searches (`@@`): the best plan for a common prefix ("ma": walk the name index) and for a rare
 *   one (read the few matches, sort them) differ, and a cached generic plan cannot tell them apart;
 * - anything that is not a plain select, insert, update, delete or with (transaction control, DDL, SET);
 * - texts past the first MAX_NAMED (a guard against unbounded texts, e.g. IN lists of every length).
 * A named statement whose result columns changed under it (a migration while the app runs) fails with
 * "cached plan must not change result type"; its text is then never named again and the call is retried. (Inside
 * a transaction the retry cannot help: the failure has aborted the transaction, which fails as on any error.)
 * Every statement the app sends goes through `answered` below, named or not.
 */
import type pg from 'pg'

const MAX_NAMED = 2000
const NAMEABLE = /^\s*(select|insert|update|delete|with)\b/i

const names = new Map<string, string>()
const unnamed = new Set<string>()

function nameFor(text: string): string | undefined {
  if (unnamed.has(text) || !NAMEABLE.test(text) || text.includes('@@')) return undefined
  let name = names.get(text)
  if (name === undefined && names.size < MAX_NAMED) {
    name = `clinic_${names.size}`
    names.set(text, name)
  }
  return name
}

/**
 * pg's query asked with its callback, as a promise of our own. Asked without one, pg makes the promise itself and
 * attaches the callback to the query afterwards; measured with raw pg and no app code (BENCHMARKS.md, session
 * 16), that form made the rows of a few-hundred-row result survive V8's young-generation scavenges: about 2.8 MB
 * survived and was promoted at each one, so a scavenge paused the process for 5-7 ms instead of 0.2 to 0.9, in
 * about one call in ten of a 200-row list. Asked with the callback, a few KB survive. The error keeps the
 * caller's stack, as pg's own promise does (tests/integration/postgres-young-garbage.test.ts guards the rest).
 */
function answered(query: Query, config: unknown, values?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    query(config, values, (err: unknown, result: unknown) => (err ? reject(err) : resolve(result)))
  }).catch((err: unknown) => {
    if (err instanceof Error) Error.captureStackTrace(err)
    throw err
  })
}

const TAUGHT = Symbol('preparesStatements')

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown

/** Makes a pool's clients prepare the app's statements (see above); returns the pool. */
export function preparingStatements(pool: pg.Pool): pg.Pool {
  pool.on('connect', (client) => {
    const c = client as pg.PoolClient & { [TAUGHT]?: true }
    if (c[TAUGHT]) return
    c[TAUGHT] = true
    // the class's method, looked up at each call (so that anything that wraps pg.Client's query still sees it)
    const query: Query = (...args) => (Object.getPrototypeOf(c) as { query: Query }).query.apply(c, args)
    ;(c as unknown as { query: Query }).query = (config, values, callback) => {
      if (typeof callback === 'function' || typeof values === 'function' || typeof config !== 'string') return query(config, values, callback)
      const name = nameFor(config)
      if (name === undefined) return answered(query, config, values)
      return answered(query, { name, text: config, values }).catch((err: { code?: string; message?: string }) => {
        if (err?.code !== '0A000' || !/cached plan must not change result type/.test(err.message ?? '')) throw err
        unnamed.add(config)
        return answered(query, config, values)
      })
    }
  })
  return pool
}
