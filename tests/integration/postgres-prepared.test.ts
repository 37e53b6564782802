/**
 * On PostgreSQL each connection prepares the app's statements once (electron/db/preparedStatements.ts), so
 * that the server does not parse and plan the same text thousands of times a day. Checked on the server's own
 * list of a connection's prepared statements: the app's statements are there after use, a full-text search is
 * not (its plan must follow the word typed), and a statement whose result changed under it (a column added
 * while the app runs) still answers, with the new column.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres, openClinic, PG_URL, SAMPLE_PATIENT, type Clinic } from './harness'

describe.skipIf(!PG_URL)(onPostgres('prepared statements on PostgreSQL'), () => {
  let c: Clinic
  let desk: string

  beforeAll(async () => {
    c = await openClinic({ engine: 'postgres' })
    desk = await c.as('frontDesk')
    await c.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Grace', lastName: "O'Hara" })
  })
  afterAll(async () => c?.close())

  /** The statements prepared on one connection, after `work` ran on that same connection. */
  const preparedAfter = (work: (db: typeof c.database.db) => Promise<unknown>) =>
    c.database.db.connection().execute(async (db) => {
      await work(db)
      await work(db)
      return (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) => r.statement)
    })

  it('prepares a statement the app runs, once per connection, and answers from it', async () => {
    const lookup = (db: typeof c.database.db) => db.selectFrom('patients').select(['id', 'last_name']).where('last_name', '=', "O'Hara").execute()
    const prepared = await preparedAfter(lookup)
    expect(prepared.filter((s) => s.includes('"last_name" = $1'))).toHaveLength(1)
    expect(await c.database.db.connection().execute(lookup)).toMatchObject([{ last_name: "O'Hara" }])
  })

  it('plans a full-text search for each call (not prepared)', async () => {
    const search = (db: typeof c.database.db) => db.selectFrom('patients').select('id').where(sql<boolean>`search_words @@ ${"'oh':*"}::tsquery`).execute()
    const prepared = await preparedAfter(search)
    expect(prepared.some((s) => s.includes('search_words'))).toBe(false)
    expect((await c.ok(desk, 'patients.search', { q: 'oh gr', limit: 50 })).map((p) => p.lastName)).toEqual(["O'Hara"])
  })

  it('still answers a prepared statement whose result gained a column', async () => {
    await c.database.db.connection().execute(async (db) => {
      await sql`create table prepared_probe (id integer primary key)`.execute(db)
      await sql`insert into prepared_probe values (1)`.execute(db)
      const all = () => db.selectFrom('prepared_probe' as never).selectAll().execute() as Promise<Record<string, unknown>[]>
      expect(await all()).toEqual([{ id: 1 }])
      await sql`alter table prepared_probe add column note text default 'added'`.execute(db)
      expect(await all()).toEqual([{ id: 1, note: 'added' }])
      expect(await all()).toEqual([{ id: 1, note: 'added' }])
    })
  })
})
