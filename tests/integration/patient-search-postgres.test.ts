/**
 * PostgreSQL's patient search must stay an index lookup at clinic size, whatever the user types: a
 * two-letter start of a name (which a trigram index cannot serve), a name and a first name, MRN digits.
 * This fills 20 000 patients, runs each search through the router, records the statements the server is
 * sent and checks their EXPLAIN: patients is never read by a sequential scan.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres, openClinic, PG_URL, type Clinic } from './harness'
import { planNodesOf, recordingStatements, type SentStatement } from './pgStatements'

const LAST = ['Garcia', 'Martin', 'Johnson', 'Nguyen', 'Kowalczyk', "O'Hara", 'Smith-Jones', 'Müller', 'Rossi', 'Okafor']
const FIRST = ['Maria', 'Joan', 'Ana', 'Helen', 'Rosa', 'Emilie', 'Grace', 'Lucia', 'Irene', 'Ada']
const SYLLABLES = ['ba', 'de', 'ki', 'lo', 'nu', 'pe', 'ri', 'so', 'ta', 've', 'wi', 'yo', 'zu', 'fe', 'hi', 'ku', 'me']

describe.skipIf(!PG_URL)(onPostgres('patient search on PostgreSQL'), () => {
  let c: Clinic
  let desk: string
  let server: pg.Client

  beforeAll(async () => {
    c = await openClinic({ engine: 'postgres' })
    desk = await c.as('frontDesk')
    server = new pg.Client({ connectionString: (c.database.target as { url: string }).url })
    await server.connect()
    // Every hundredth patient has a name below; the others names made of syllables, so that word starts
    // are as varied as a real clinic's (a two-letter start matches a few per cent of patients, not half).
    await server.query(
      `INSERT INTO patients (mrn, first_name, last_name, name_key, date_of_birth, sex, created_at, created_by, updated_at, updated_by)
       SELECT 'PS-' || lpad(i::text, 6, '0'), f, l, lower(f || ' ' || l), '1950-01-01', 'female', now()::text, 1, now()::text, 1
       FROM generate_series(1, 20000) i,
            LATERAL (SELECT CASE WHEN i % 100 = 0 THEN ($1::text[])[1 + (i / 1000) % 10] ELSE initcap(s[1 + (i / 7) % 17] || s[1 + (i / 119) % 17] || s[1 + (i / 2023) % 17]) END AS l,
                            CASE WHEN i % 100 = 0 THEN ($2::text[])[1 + (i / 100) % 10] ELSE initcap(s[1 + i % 17] || s[1 + (i / 17) % 17]) END AS f
                     FROM (SELECT $3::text[] AS s) syllables) n`,
      [LAST, FIRST, SYLLABLES],
    )
    await server.query('ANALYZE patients')
  }, 120_000)
  afterAll(async () => {
    await server?.end()
    await c?.close()
  })

  const recording = (fn: () => Promise<void>, sent: SentStatement[]) => recordingStatements(/from "patients"/, sent, fn)

  /** The plan nodes of a statement as the server would run it: "Index Only Scan on patients using patients_by_name", "Sort", ... */
  async function planNodes(s: SentStatement): Promise<string[]> {
    return (await planNodesOf(server, s)).map((n) => [n['Node Type'], n['Relation Name'] && `on ${n['Relation Name']}`, n['Index Name'] && `using ${n['Index Name']}`].filter(Boolean).join(' '))
  }

  it('finds by a two-letter start, by name and first name, and by MRN digits, each through the word index', async () => {
    const sent: SentStatement[] = []
    const found = async (q: string) => (await c.ok(desk, 'patients.search', { q, limit: 50 })).map((p) => `${p.lastName}, ${p.firstName}`)
    await recording(async () => {
      expect(new Set(await found('ga'))).toEqual(new Set(FIRST.map((f) => `Garcia, ${f}`)))
      expect(await found('ohara gr')).toEqual(["O'Hara, Grace", "O'Hara, Grace"])
      expect(new Set(await found('jones'))).toEqual(new Set(FIRST.map((f) => `Smith-Jones, ${f}`)))
      expect(new Set(await found('muller ir'))).toEqual(new Set(['Müller, Irene']))
      expect(await c.ok(desk, 'patients.search', { q: '012345' })).toMatchObject([{ mrn: 'PS-012345' }])
      // a quote joins, a percent sign separates, as on SQLite: neither is SQL
      expect(await found("o'h%")).toEqual(await found('oh'))
      expect(await found("x' OR ''='")).toEqual([])
    }, sent)

    expect(sent.length).toBeGreaterThanOrEqual(5)
    for (const s of sent) expect(await planNodes(s), `${s.text} ${JSON.stringify(s.values)}`).not.toContain('Seq Scan on patients')
  })

  it('reads a page of the patient list as a range of the name index, without a sort or a visit to the table', async () => {
    await server.query('VACUUM patients') // (marks the pages visible, as autovacuum and migrate-to-postgres do)
    const sent: SentStatement[] = []
    let page: { lastName: string; firstName: string; id: number }[] = []
    await recording(async () => {
      page = await c.ok(desk, 'patients.search', { q: '', limit: 100, after: { lastName: 'Kiba', firstName: 'A', id: 1 } })
    }, sent)
    expect(page).toHaveLength(100)
    expect(page[0]!.lastName >= 'Kiba').toBe(true)
    expect(sent).toHaveLength(1)
    const nodes = await planNodes(sent[0]!)
    expect(nodes).toContain('Index Only Scan on patients using patients_by_name')
    expect(nodes.filter((n) => /Sort/.test(n))).toEqual([])
  })

  it('sorts the matches of a name common under one letter instead of walking the alphabet to it, and walks for a word common everywhere', async () => {
    // (last: it adds patients) 1 500 Zimmermans, all under Z; 3 000 Quinns spread through the alphabet
    await server.query(
      `INSERT INTO patients (mrn, first_name, last_name, name_key, date_of_birth, sex, created_at, created_by, updated_at, updated_by)
       SELECT 'ZQ-' || lpad(i::text, 6, '0'), f, l, lower(f || ' ' || l), '1950-01-01', 'female', now()::text, 1, now()::text, 1
       FROM generate_series(1, 4500) i,
            LATERAL (SELECT CASE WHEN i <= 1500 THEN 'Ann' || i ELSE 'Quinn' END AS f,
                            CASE WHEN i <= 1500 THEN 'Zimmerman' ELSE initcap(s[1 + i % 17] || s[1 + (i / 17) % 17]) END AS l
                     FROM (SELECT $1::text[] AS s) syllables) n`,
      [SYLLABLES],
    )
    await server.query('VACUUM ANALYZE patients')
    const expected = async (tsquery: string) =>
      (await server.query(`SELECT id FROM patients WHERE search_words @@ $1::tsquery ORDER BY last_name, first_name, id LIMIT 50`, [tsquery])).rows.map((r) => r.id)
    const search = async (q: string) => {
      const sent: SentStatement[] = []
      let ids: number[] = []
      await recording(async () => {
        ids = (await c.ok(desk, 'patients.search', { q, limit: 50 })).map((p) => p.id)
      }, sent)
      return { ids, sent }
    }

    const zimm = await search('zimm')
    expect(zimm.ids).toEqual(await expected("'zimm':*"))
    expect(zimm.sent).toHaveLength(1)
    const nodes = await planNodes(zimm.sent[0]!)
    expect(nodes.some((n) => /using patients_search_words/.test(n)), nodes.join(', ')).toBe(true)
    expect(nodes.filter((n) => /using patients_by_name/.test(n))).toEqual([])

    // a common word: the sorted read finds 2 500 matches and stops, the name walk answers (from the index
    // alone), and the word is walked straight away the next time
    const quinn = await search('quin')
    expect(quinn.ids).toEqual(await expected("'quin':*"))
    expect(quinn.sent).toHaveLength(2)
    expect(await planNodes(quinn.sent[1]!)).toContain('Index Only Scan on patients using patients_by_name')
    const again = await search('quin')
    expect(again.ids).toEqual(quinn.ids)
    expect(again.sent.map((s) => s.text)).toEqual([quinn.sent[1]!.text])
  })
})

