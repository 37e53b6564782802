/**
 * Each engine's adapter (electron/db/engine.ts) answers the same questions with the same answers, on a real
 * database of its engine: a write transaction commits or leaves nothing, a correlated list joins in order, a
 * subquery's row or rows come back as JSON values, a long read comes in pages of arrays in key order, the patient word search finds the same patients, and
 * another connection's commit is heard.
 */
import { sql, type Kysely } from 'kysely'
import { afterEach, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { engineOf } from '../../electron/db/engine'
import { withWriteTransaction } from '../../electron/db/tx'
import { describeEachEngine, openClinic, SAMPLE_PATIENT, type Clinic, type TestEngine } from './harness'

let clinic: Clinic | undefined
let other: AppDatabase | undefined
afterEach(async () => {
  await other?.close()
  await clinic?.close()
  clinic = other = undefined
})

async function probeTable(engine: TestEngine): Promise<Clinic> {
  clinic = await openClinic({ engine })
  await sql`CREATE TABLE engine_probe (n integer NOT NULL, word text NOT NULL, grp integer NOT NULL)`.execute(clinic.database.db)
  return clinic
}

const count = async (c: Clinic) => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM engine_probe`.execute(c.database.db)).rows[0]!.n)

describeEachEngine('the %s engine adapter', (engine) => {
  it(`names its engine`, async () => {
    expect(engineOf(engine).engine).toBe(engine)
    expect(typeof engineOf(engine).appendsAuditAlone).toBe('boolean')
  })

  it(`a write transaction commits its work, and leaves nothing when the work throws`, async () => {
    const c = await probeTable(engine)
    await withWriteTransaction(c.database, (trx) => sql`INSERT INTO engine_probe (n, word, grp) VALUES (1, 'kept', 1)`.execute(trx))
    await expect(
      withWriteTransaction(c.database, async (trx) => {
        await sql`INSERT INTO engine_probe (n, word, grp) VALUES (2, 'lost', 1)`.execute(trx)
        throw new Error('the work failed')
      }),
    ).rejects.toThrow('the work failed')
    expect(await count(c)).toBe(1)
  })

  it(`joins a correlated list in the order asked for, null when it is empty`, async () => {
    const c = await probeTable(engine)
    await sql`INSERT INTO engine_probe (n, word, grp) VALUES (3, 'gamma', 1), (1, 'alpha', 1), (2, 'beta', 1), (1, 'solo', 2)`.execute(c.database.db)
    const joined = engineOf(c.database).joinedInOrder({ value: sql`e.word`, from: sql`engine_probe e`, where: sql`e.grp = g.grp`, orderBy: sql`e.n` })
    const rows = await sql<{ grp: number; words: string | null }>`SELECT g.grp, ${joined} AS words FROM (SELECT 1 AS grp UNION ALL SELECT 2 UNION ALL SELECT 3) g ORDER BY g.grp`.execute(c.database.db)
    expect(rows.rows.map((r) => [Number(r.grp), r.words])).toEqual([
      [1, 'alpha beta gamma'],
      [2, 'solo'],
      [3, null],
    ])
  })

  it(`reads a row and a list as JSON beside other columns: numbers as numbers, null and [] when there are none, the list in its order`, async () => {
    const c = await probeTable(engine)
    await sql`INSERT INTO engine_probe (n, word, grp) VALUES (3, 'gamma', 1), (1, 'alpha', 1), (2, 'beta', 1)`.execute(c.database.db)
    const adapter = engineOf(c.database)
    const db = c.database.db as unknown as Kysely<any>
    const probe = (grp: number) => db.selectFrom('engine_probe').select(['n', 'word']).where('grp', '=', grp)
    const row = await db
      .selectNoFrom((eb) => [
        eb.val(7).as('plain'),
        adapter.jsonObjectFrom(probe(1).where('n', '=', 2)).as('one'),
        adapter.jsonObjectFrom(probe(1).where('n', '=', 9)).as('none'),
        adapter.jsonArrayFrom(probe(1).orderBy('n')).as('list'),
        adapter.jsonArrayFrom(probe(2)).as('empty'),
      ])
      .executeTakeFirstOrThrow()
    expect({ ...row, plain: Number(row.plain), one: adapter.readJson(row.one), none: adapter.readJson(row.none), list: adapter.readJson(row.list), empty: adapter.readJson(row.empty) }).toEqual({
      plain: 7,
      one: { n: 2, word: 'beta' },
      none: null,
      list: [
        { n: 1, word: 'alpha' },
        { n: 2, word: 'beta' },
        { n: 3, word: 'gamma' },
      ],
      empty: [],
    })
  })

  it(`reads a long query in pages of arrays, in key order, each row once`, async () => {
    const c = await probeTable(engine)
    // ties on the first key, so that the second decides
    await sql`INSERT INTO engine_probe (n, word, grp) VALUES (2, 'b1', 1), (1, 'a1', 1), (2, 'b2', 2), (3, 'c1', 1), (1, 'a2', 2)`.execute(c.database.db)
    const query = (c.database.db as unknown as Kysely<any>).selectFrom('engine_probe as e').select(['e.n', 'e.grp', 'e.word'])
    const pages: unknown[][][] = []
    for await (const page of engineOf(c.database).keysetPages(c.database, query, { columns: ['n', 'grp', 'word'], orderBy: ['e.n', 'e.grp'], keys: ['n', 'grp'], batch: 2 })) pages.push(page)
    expect(pages).toEqual([
      [
        [1, 1, 'a1'],
        [1, 2, 'a2'],
      ],
      [
        [2, 1, 'b1'],
        [2, 2, 'b2'],
      ],
      [[3, 1, 'c1']],
    ])
  })

  it(`the patient word search finds by name words, initials and MRN, in name order`, async () => {
    clinic = await openClinic({ engine })
    const desk = await clinic.as('frontDesk')
    const nunez = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    const smith = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Anna', lastName: 'Smith', dateOfBirth: '1950-01-01', phone: '(555) 000-1111' })
    const smithers = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Bob', lastName: 'Smithers', dateOfBirth: '1951-01-01', phone: '(555) 000-2222' })
    const words = engineOf(clinic.database).patientWords
    const base = clinic.database.db.selectFrom('patients').select(['id', 'last_name', 'first_name'])
    const find = async (typed: string, mrnDigits: string | null = null) => {
      const query = words.query(typed, mrnDigits)
      return query === null ? null : (await words.page(clinic!.database.db, base, query, 10)).map((r) => r.id)
    }
    expect(await find('smi')).toEqual([smith.id, smithers.id])
    expect(await find('smi b')).toEqual([smithers.id])
    expect(await find('nunez maria')).toEqual([nunez.id])
    expect(await find('smi', nunez.mrn.replace(/\D/g, ''))).toEqual([nunez.id])
    expect(await find('   ')).toBeNull()
    expect(await find('zzz')).toEqual([])
  })

  it(`hears a commit made on another connection`, async () => {
    await probeTable(engine)
    clinic = clinic!
    const heard: unknown[] = []
    const feed = await engineOf(clinic.database).startChangeFeed(clinic.database, (areas) => heard.push(areas), { pollMs: 50 })
    other = openDatabase(clinic.database.target)
    const theirs = await engineOf(other).startChangeFeed(other, () => {}, { pollMs: 50 })
    try {
      await withWriteTransaction(other, async (trx) => {
        await sql`INSERT INTO engine_probe (n, word, grp) VALUES (1, 'theirs', 1)`.execute(trx)
        await theirs.publish(trx, ['schedule'])
      })
      await expect.poll(() => heard.length, { timeout: 3000 }).toBeGreaterThan(0)
      // PostgreSQL's NOTIFY names the areas; SQLite's data_version only says that something changed
      expect([['schedule'], '*']).toContainEqual(heard[0])
    } finally {
      await theirs.close()
      await feed.close()
    }
  })
})
