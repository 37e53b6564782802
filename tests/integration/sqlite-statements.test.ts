/**
 * The SQLite handle Kysely is given keeps statements and reads rows as arrays (electron/db/sqliteStatements.ts).
 * The rows must be exactly what better-sqlite3 itself returns, including after a table changes under a kept
 * statement, and a query that streams (prepared afresh) must still stream.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'

describe('kept SQLite statements', () => {
  let dir: string
  let database: AppDatabase
  let db: Kysely<any>

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clinic-stmts-'))
    database = openDatabase({ engine: 'sqlite', file: join(dir, 'k.sqlite') })
    db = database.db as unknown as Kysely<any>
    await sql`create table t (id integer primary key, name text, n real)`.execute(db)
    await db.insertInto('t').values([{ id: 1, name: 'Ann', n: 1.5 }, { id: 2, name: null, n: null }]).execute()
  })
  afterEach(async () => {
    await database.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('returns the rows better-sqlite3 returns, the same on every run', async () => {
    const text = 'select t.*, t.name as label, 7 as id from t order by t.id'
    const expected = database.sqlite!.prepare(text).all()
    expect(expected).toEqual([{ id: 7, name: 'Ann', n: 1.5, label: 'Ann' }, { id: 7, name: null, n: null, label: null }])
    for (let i = 0; i < 3; i++) expect((await sql.raw(text).execute(db)).rows).toEqual(expected)
    const inserted = await db.insertInto('t').values({ id: 3, name: 'Bo', n: 2 }).returningAll().executeTakeFirst()
    expect(inserted).toEqual({ id: 3, name: 'Bo', n: 2 })
  })

  it('sees a column added through Kysely or behind its back', async () => {
    const all = () => db.selectFrom('t').selectAll().where('id', '=', 1).execute()
    expect(await all()).toEqual([{ id: 1, name: 'Ann', n: 1.5 }])
    await sql`alter table t add column note text default 'a'`.execute(db)
    expect(await all()).toEqual([{ id: 1, name: 'Ann', n: 1.5, note: 'a' }])
    database.sqlite!.exec("alter table t add column flag integer default 0")
    expect(await all()).toEqual([{ id: 1, name: 'Ann', n: 1.5, note: 'a', flag: 0 }])
  })

  it('streams a query that is also kept, and runs it again afterwards', async () => {
    const q = db.selectFrom('t').select(['id', 'name']).orderBy('id')
    const rows = [{ id: 1, name: 'Ann' }, { id: 2, name: null }]
    expect(await q.execute()).toEqual(rows)
    const seen: unknown[] = []
    for await (const row of q.stream()) seen.push(row)
    expect(seen).toEqual(rows)
    expect(await q.execute()).toEqual(rows)
  })
})
