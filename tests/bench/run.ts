/**
 * `npm run bench -- [--patients N] [--seed S] [--engines sqlite,postgres] [--pg-url URL] [--big-file FILE]
 *                   [--outcomes N | --no-outcomes] [--browser [--keystroke-port N]] [--chunk N] [--out FILE]
 *                   [--no-imaging | --imaging-only] [--imaging-images N] [--static DIR --bundle DIR (the built app the Chromium benches run)]`
 *
 * Builds a synthetic clinic (electron/seed: N patients with their twenty years of records and ten appointments
 * each) in a temporary SQLite file, copies it to PostgreSQL where one is reachable (CLINIC_TEST_PG_URL,
 * CLINIC_BENCH_PG_URL or --pg-url), and measures the app's hot paths through the real router on each engine,
 * side by side (interleaved in chunks of --chunk calls, 50 by default: stats.ts), against the physical limit
 * where there is one (the same query as a raw prepared statement).
 * Also: opening a ~1 GB database and checking its migrations (the file is made once and cached under .tmp/),
 * the outcome CSV against the sqlite3 command-line tool (tests/bench/outcomes.ts), and with --browser the
 * Chromium timings (tests/bench/browser.ts) and the cost of a key in the note editors (tests/bench/keystrokes.ts). Prints a table and writes JSON. Small by default (2000 patients).
 * Then issue 20's imaging figures (about 30 s; --no-imaging skips them, --imaging-only runs them alone): a 2 000-image
 * disc imported on every engine (tests/bench/imagingImport.ts: the main process's peak memory above idle, the import's time, the
 * first stored image read), and with --browser the first image on screen after View (tests/bench/imagingViewer.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase, type AppDatabase, type DbTarget } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter } from '../../electron/rpc'
import { migrateSqliteToPostgres } from '../../electron/services/migrateToPostgres'
import { DENSE_MATCHES } from '../../electron/db/patientWords'
import { ftsQuery } from '../../electron/db/sqliteEngine'
import { mrnQuery } from '../../shared/text'
import { Rng } from '../../electron/seed/random'
import { SEED_PASSWORD, seedClinic } from '../../electron/seed/seedClinic'
import { addDays, startOfWeek } from '../../shared/scheduling/time'
import { FREEING_STATUSES } from '../../shared/schemas/scheduling'
import { describePace, startPace, type MachinePace } from './machinePace'
import { fmt, measureSideBySide, percentile, type Timing } from './stats'

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '42' },
    engines: { type: 'string' },
    'pg-url': { type: 'string' },
    queries: { type: 'string', default: '400' },
    chunk: { type: 'string', default: '50' },
    'big-file': { type: 'string' },
    'no-big-file': { type: 'boolean' },
    outcomes: { type: 'string' },
    'no-outcomes': { type: 'boolean' },
    browser: { type: 'boolean' },
    'browser-patients': { type: 'string', default: '100000' },
    'keystroke-port': { type: 'string', default: '4760' },
    out: { type: 'string', default: 'bench-results/bench.json' },
    'no-imaging': { type: 'boolean' },
    'imaging-only': { type: 'boolean' },
    'imaging-images': { type: 'string', default: '2000' },
    /** the built renderer and main-process bundles for the Chromium benches (theirs by default: dist/renderer, dist-electron) */
    static: { type: 'string' },
    bundle: { type: 'string' },
  },
})

const PATIENTS = Number(values.patients)
const SEED = Number(values.seed)
const QUERIES = Number(values.queries)
const CHUNK = Number(values.chunk)
// diagnostic (stats.ts): BENCH_SETTLE_GC=1 node --expose-gc --import tsx tests/bench/run.ts collects the young
// generation between chunks, untimed, so that no engine pays for another's garbage (nor, within a chunk, all of its own)
const SETTLE = process.env.BENCH_SETTLE_GC && (globalThis as { gc?: (o: object) => void }).gc ? () => (globalThis as unknown as { gc: (o: object) => void }).gc({ type: 'minor' }) : undefined
const TODAY = '2026-11-29'
const pgUrl = values['pg-url'] ?? process.env.CLINIC_TEST_PG_URL ?? process.env.CLINIC_BENCH_PG_URL
const engines = (values.engines ?? (pgUrl ? 'sqlite,postgres' : 'sqlite')).split(',') as ('sqlite' | 'postgres')[]
if (engines.includes('postgres') && !pgUrl) throw new Error('--engines postgres needs a server: set CLINIC_TEST_PG_URL or pass --pg-url URL')

interface Row {
  engine: string
  operation: string
  app: Timing
  baseline?: Timing
  note?: string
}

const log = (m: string) => process.stderr.write(`  ${m}\n`)
/** --static and --bundle, passed on to the Chromium benches when given */
const builtApp = [...(values.static ? ['--static', values.static] : []), ...(values.bundle ? ['--bundle', values.bundle] : [])]

/** What a front desk types: name fragments in either order, MRNs, birth dates, phone prefixes. */
async function searchInputs(db: AppDatabase, n: number): Promise<string[]> {
  const rng = new Rng(SEED + 1)
  const sample = await db.db.selectFrom('patients').select(['first_name', 'last_name', 'mrn', 'date_of_birth', 'phone_digits']).orderBy('id').limit(2000).execute()
  return Array.from({ length: n }, () => {
    const p = rng.pick(sample)
    switch (rng.int(0, 4)) {
      case 0:
        return p.last_name.slice(0, rng.int(2, 5))
      case 1:
        return `${p.last_name.slice(0, 4)} ${p.first_name.slice(0, 3)}`
      case 2:
        return `${p.first_name.slice(0, 3)} ${p.last_name.slice(0, 3)}`
      case 3:
        return p.mrn
      default:
        return rng.chance(0.5) ? p.date_of_birth : p.phone_digits.slice(0, 6)
    }
  })
}

async function pgDatabase(): Promise<{ target: DbTarget; drop(): Promise<void> }> {
  const name = `clinic_bench_${Date.now()}`
  const admin = new pg.Client({ connectionString: pgUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(pgUrl!)
  url.pathname = `/${name}`
  return {
    target: { engine: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

type Engine = 'sqlite' | 'postgres'

/** One engine's clinic as the bench drives it: its router, with a front desk and a physician signed in. */
interface Side {
  engine: Engine
  database: AppDatabase
  must(windowId: string, channel: string, input: unknown): Promise<any>
  call: ReturnType<typeof createRouter>['call']
}

async function openSide(engine: Engine, database: AppDatabase): Promise<Side> {
  const router = createRouter({ database, log: () => {} })
  const must = async (w: string, ch: string, input: unknown) => {
    const r = await router.call(w, ch, input)
    if (!r.ok) throw new Error(`${engine} ${ch}: ${r.error.message}`)
    return r.value as any
  }
  await must('desk', 'session.signIn', { username: 'desk1', password: SEED_PASSWORD })
  await must('dr', 'session.signIn', { username: 'dr1', password: SEED_PASSWORD })
  return { engine, database, must, call: (w, ch, input) => router.call(w, ch, input) }
}

/**
 * The same operations on every engine, through the router, as the front desk and a physician use them, measured
 * side by side (stats.ts, measureSideBySide): each engine gets the same inputs in the same order, interleaved in
 * chunks, so that a ratio between engines compares them under the same load. SQLite's raw statements (the
 * physical limit) are interleaved with them too.
 */
async function benchOperations(sides: Side[], source: AppDatabase): Promise<Row[]> {
  const rows: Row[] = []
  const sqliteSide = sides.find((s) => s.engine === 'sqlite')
  /** Measures `op` on every side (and `raw` beside them), and adds a row per engine. */
  const sideBySide = async <T,>(operation: string, inputs: T[], op: (side: Side, input: T) => unknown, raw?: Partial<Record<Engine, (input: T) => unknown>>, options?: { warmup?: number }, note?: (engine: Engine) => string | undefined) => {
    const ops: Record<string, (input: T) => unknown> = Object.fromEntries(sides.map((side) => [side.engine, (input: T) => op(side, input)]))
    for (const side of sides) if (raw?.[side.engine]) ops[`${side.engine} raw`] = raw[side.engine]!
    const t = await measureSideBySide(inputs, ops, { chunk: CHUNK, between: SETTLE, ...options })
    for (const side of sides) rows.push({ engine: side.engine, operation, app: t[side.engine]!, baseline: t[`${side.engine} raw`], note: note?.(side.engine) })
  }

  const queries = await searchInputs(source, QUERIES)
  let rawSearch: ((q: string) => unknown) | undefined
  if (sqliteSide) {
    // The physical limit: the same FTS5 query as prepared statements, no router, no validation (the same
    // choice as the app: count up to DENSE_MATCHES matches, then sort them or walk the name index).
    const s = sqliteSide.database.sqlite!
    const cols = 'SELECT id, mrn, first_name, last_name, date_of_birth, sex, phone FROM patients'
    const fts = '(SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?)'
    const probe = s.prepare(`SELECT count(*) AS n FROM (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ? LIMIT ${DENSE_MATCHES})`).pluck()
    const sparse = s.prepare(`${cols} WHERE id IN ${fts} ORDER BY last_name, first_name, id LIMIT 50`)
    const dense = s.prepare(`${cols} WHERE +id IN ${fts} ORDER BY last_name, first_name, id LIMIT 50`)
    const byDob = s.prepare(`${cols} WHERE date_of_birth = ? ORDER BY last_name, first_name, id LIMIT 50`)
    rawSearch = (q: string) => {
      if (/^\d{4}-\d{2}-\d{2}$/.test(q)) return byDob.all(q)
      const mrn = mrnQuery(q)
      const match = mrn ? `mrn : "${mrn.digits}"*` : ftsQuery(q)
      if (!match) return [] // (a query without a searchable word runs no statement in the app either)
      return ((probe.get(match) as number) >= DENSE_MATCHES ? dense : sparse).all(match)
    }
  }
  await sideBySide(`patient search (${PATIENTS} patients)`, queries, (side, q) => side.must('desk', 'patients.search', { q, limit: 50 }), { sqlite: rawSearch })

  // The patient list, a page of 100 from a cursor anywhere in the alphabet.
  const cursors = source.sqlite!.prepare('SELECT last_name AS lastName, first_name AS firstName, id FROM patients ORDER BY random() LIMIT 300').all() as { lastName: string; firstName: string; id: number }[]
  const page = 'SELECT id, mrn, first_name, last_name, date_of_birth, sex, phone FROM patients WHERE (last_name, first_name, id) > (?, ?, ?) ORDER BY last_name, first_name, id LIMIT 100'
  const pageStmt = sqliteSide?.database.sqlite!.prepare(page)
  // PostgreSQL's limit: the same statement, prepared, on a bare pg client (no pool, no Kysely, no router)
  const pgSide = sides.find((s) => s.engine === 'postgres')
  const pgClient = pgSide && new pg.Client({ connectionString: (pgSide.database.target as { url: string }).url })
  await pgClient?.connect()
  try {
    const pgPage = { name: 'bench_page', text: page.replace(/\?/g, (() => { let n = 0; return () => `$${++n}` })()) }
    await sideBySide('patient list, next page of 100', cursors, (side, after) => side.must('desk', 'patients.search', { q: '', limit: 100, after }), {
      sqlite: pageStmt && ((c) => pageStmt.all(c.lastName, c.firstName, c.id)),
      postgres: pgClient && ((c) => pgClient.query({ ...pgPage, values: [c.lastName, c.firstName, c.id] })),
    })
  } finally {
    await pgClient?.end()
  }

  const ids = Array.from({ length: 300 }, (_, i) => 1 + ((i * 7919) % PATIENTS))
  await sideBySide('open a patient record (read + audit, commit)', ids, (side, id) => side.must('desk', 'patients.get', { id }))
  const withHistory = (source.sqlite!.prepare('SELECT DISTINCT patient_id AS id FROM procedures ORDER BY random() LIMIT 200').all() as { id: number }[]).map((r) => r.id)
  await sideBySide('open a chart (physician; read + audit, commit)', withHistory, (side, patientId) => side.must('dr', 'chart.get', { patientId }))
  await benchChartWithDocuments(sides, withHistory, sideBySide)

  // The schedule: a week of 10 lanes (five physicians and their rooms), then booking the next free slot.
  const setup = await sides[0]!.must('desk', 'schedule.setup.get', {})
  // active physicians only: the seed's story deactivates one, and an inactive physician cannot be booked
  const doctors = (setup.providers as { id: number; active: boolean }[]).filter((p) => p.active).map((p) => p.id)
  const rooms = (setup.rooms as { id: number; kind: string; active: boolean }[]).filter((r) => r.kind === 'consultation' && r.active).map((r) => r.id)
  const range = source.sqlite!.prepare('SELECT min(starts_at) AS a, max(starts_at) AS b FROM appointments').get() as { a: string; b: string }
  const span = Math.max(7, Math.round((Date.parse(range.b) - Date.parse(range.a)) / 86_400_000) - 7)
  const rng = new Rng(SEED + 2)
  const weeks = Array.from({ length: 200 }, () => {
    const p = rng.int(0, Math.max(0, Math.min(doctors.length, rooms.length) - 5))
    return { from: startOfWeek(addDays(range.a.slice(0, 10), rng.int(0, span))), days: 7, providerIds: doctors.slice(p, p + 5), roomIds: rooms.slice(p, p + 5) }
  })
  type WeekQuery = (typeof weeks)[number]
  /** schedule.view for each week on every engine, noting how many appointments a week showed on average. */
  const benchWeeks = async (operation: string, inputs: WeekQuery[]) => {
    const shown: Partial<Record<Engine, number>> = {}
    await sideBySide(
      operation,
      inputs,
      async (side, q) => (shown[side.engine] = (shown[side.engine] ?? 0) + (await side.must('desk', 'schedule.view', q)).appointments.length),
      undefined,
      undefined,
      (engine) => `~${Math.round(shown[engine]! / (inputs.length + 20))} appointments a week`,
    )
  }
  await benchWeeks('schedule week, 10 lanes', weeks)
  // Issue 22 point 4 names the busiest weeks: the 20 with the most live appointments in the whole clinic (a seeded
  // clinic's weeks differ little, the busiest about a seventh above the average, but the goal is about these), each
  // read for every group of five physicians and their rooms, in a shuffled order, as the random weeks above are.
  const live = `status NOT IN (${FREEING_STATUSES.map(() => '?').join(', ')})`
  const busiestMondays = (source.sqlite!.prepare(`SELECT date(starts_at, '-6 days', 'weekday 1') AS monday, count(*) AS n FROM appointments WHERE ${live} GROUP BY monday ORDER BY n DESC LIMIT 20`).all(...FREEING_STATUSES) as { monday: string }[]).map((r) => startOfWeek(r.monday))
  const groups = Math.max(1, Math.min(doctors.length, rooms.length) - 4)
  const busiest: WeekQuery[] = busiestMondays.flatMap((from) => Array.from({ length: Math.min(groups, 10) }, (_, p) => ({ from, days: 7, providerIds: doctors.slice(p, p + 5), roomIds: rooms.slice(p, p + 5) })))
  for (let i = busiest.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[busiest[i], busiest[j]] = [busiest[j]!, busiest[i]!]
  }
  await benchWeeks('schedule week, 10 lanes, the 20 busiest weeks', busiest)
  const followUp = (setup.types as { id: number; code: string }[]).find((t) => t.code === 'follow-up')!.id
  const slots = Array.from({ length: 100 }, (_, i) => ({ p: i % Math.min(doctors.length, rooms.length), patientId: ids[i]! }))
  const refused: Partial<Record<Engine, number>> = {}
  await sideBySide(
    'book the next free slot (find + book, commit)',
    slots,
    async (side, { p, patientId }) => {
      const slot = await side.must('desk', 'schedule.slots.next', { typeId: followUp, providerId: doctors[p], roomId: rooms[p], after: new Date(Date.now() + 86_400_000).toISOString(), stepMinutes: 5, withinDays: 60 })
      if (!slot.found) return
      const r = await side.call('desk', 'schedule.appointments.book', { patientId, typeId: followUp, providerId: doctors[p], roomId: slot.roomId, startsAt: slot.startsAt })
      if (!r.ok) refused[side.engine] = (refused[side.engine] ?? 0) + 1
    },
    undefined,
    { warmup: 5 },
    (engine) => (refused[engine] ? `${refused[engine]} refused (patient busy)` : undefined),
  )
  return rows
}

/** Documents attached to each chart of the second chart measurement (issue 19 point 3's Done-when). */
const DOCUMENTS_PER_CHART = 200
/** How many of the measured charts get them: 200 x 200 attaches through the router take minutes on PostgreSQL. */
const CHARTS_WITH_DOCUMENTS = 50

/**
 * Opening a chart with 200 documents, beside the plain chart: the same charts (the first CHARTS_WITH_DOCUMENTS of
 * those just measured) get 200 small files each through the router on every engine (documents.attach, as the
 * physician drops them), then the chart is opened as the Chart screen opens it: chart.get and the documents' list
 * (documents.forPatient, which reads the documents' rows, never the blobs) together. The list alone is a row too.
 */
async function benchChartWithDocuments(
  sides: Side[],
  charts: number[],
  sideBySide: <T>(operation: string, inputs: T[], op: (side: Side, input: T) => unknown, raw?: Partial<Record<Engine, (input: T) => unknown>>, options?: undefined, note?: (engine: Engine) => string | undefined) => Promise<void>,
): Promise<void> {
  const chosen = charts.slice(0, CHARTS_WITH_DOCUMENTS)
  const kinds = ['referralLetter', 'imagingReport', 'labResult', 'consentForm', 'correspondence', 'other'] as const
  for (const side of sides) {
    const t = Date.now()
    for (const patientId of chosen) {
      for (let i = 0; i < DOCUMENTS_PER_CHART; i++) {
        // distinct bytes per document (a blob each, as real letters are), a few hundred bytes of text
        const text = `Patient ${patientId}, document ${i + 1} of ${DOCUMENTS_PER_CHART}.\n${'Findings and plan as dictated. '.repeat(8)}\n`
        await side.must('dr', 'documents.attach', {
          patientId,
          kind: kinds[i % kinds.length],
          title: `Document ${i + 1}`,
          documentDate: addDays('2026-11-28', -i * 9),
          fileName: `document-${i + 1}.txt`,
          content: Buffer.from(text).toString('base64'),
        })
      }
    }
    log(`${side.engine}: attached ${DOCUMENTS_PER_CHART} documents to each of ${chosen.length} charts in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    // as after the copy to PostgreSQL: measure the clinic as it runs, not while the engine writes the attaches out
    if (side.database.sqlite) side.database.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    else await sql`CHECKPOINT`.execute(side.database.db).catch(() => log('CHECKPOINT needs a superuser; measuring while the server may still be writing the documents out'))
  }
  // the same inputs count as the plain chart's row: each chart opened four times, in a shuffled order
  const rng = new Rng(SEED + 3)
  const opens = Array.from({ length: charts.length }, (_, i) => chosen[i % chosen.length]!)
  for (let i = opens.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    ;[opens[i], opens[j]] = [opens[j]!, opens[i]!]
  }
  const listed: Partial<Record<Engine, number>> = {}
  // the plain chart (chart.get alone, today's chart figure) is measured in the baseline's place, interleaved with
  // the chart and its list on the same charts, so that the ratio compares them under the same load
  const plain = Object.fromEntries(sides.map((side) => [side.engine, (patientId: number) => side.must('dr', 'chart.get', { patientId })]))
  await sideBySide(
    `open a chart with ${DOCUMENTS_PER_CHART} documents (chart.get + list)`,
    opens,
    async (side, patientId) => {
      const [, docs] = await Promise.all([side.must('dr', 'chart.get', { patientId }), side.must('dr', 'documents.forPatient', { patientId })])
      listed[side.engine] = docs.documents.length
    },
    plain,
    undefined,
    (engine) => `${listed[engine]} documents listed, no bytes read (the Chart screen's two calls); "raw" here is chart.get alone on the same charts, interleaved`,
  )
  await sideBySide(`  of which the list of ${DOCUMENTS_PER_CHART} documents alone`, opens, (side, patientId) => side.must('dr', 'documents.forPatient', { patientId }))
}

/** A ~1 GB clinic file (--big-file, e.g. a 100k-patient seed), by default a small seed padded to 1 GB, made once and cached. */
async function bigFile(): Promise<string> {
  const wanted = values['big-file'] ?? '.tmp/bench-1gb.sqlite'
  if (existsSync(wanted)) return wanted
  log(`making ${wanted} (once: a 2000-patient clinic padded to 1 GB)`)
  mkdirSync(dirname(wanted), { recursive: true })
  const d = openDatabase({ engine: 'sqlite', file: wanted })
  await migrateToLatest(d)
  await seedClinic(d, { patients: 2000, seed: SEED, today: TODAY })
  const s = d.sqlite!
  s.pragma('synchronous = OFF')
  s.exec('CREATE TABLE bench_padding (id INTEGER PRIMARY KEY, filler BLOB NOT NULL)')
  const pad = s.prepare('INSERT INTO bench_padding (filler) VALUES (randomblob(1000000))')
  while ((s.pragma('page_count', { simple: true }) as number) * (s.pragma('page_size', { simple: true }) as number) < 1.0e9) s.transaction(() => { for (let i = 0; i < 50; i++) pad.run() })()
  s.pragma('wal_checkpoint(TRUNCATE)')
  await d.close()
  return wanted
}

async function openCheck(file: string): Promise<Row> {
  const opens: number[] = []
  for (let i = 0; i < 12; i++) {
    const t = process.hrtime.bigint()
    const d = openDatabase({ engine: 'sqlite', file })
    await migrateToLatest(d)
    opens.push(Number(process.hrtime.bigint() - t) / 1e6)
    await d.close()
  }
  const first = opens[0]!
  const rest = opens.slice(1).sort((a, b) => a - b)
  return {
    engine: 'sqlite',
    operation: `open + migration check (${(statSync(file).size / 1e9).toFixed(2)} GB file)`,
    app: { name: 'open', n: rest.length, p50: rest[Math.floor(rest.length / 2)]!, p95: percentile(rest, 95), p99: percentile(rest, 99), max: rest.at(-1)!, mean: rest.reduce((a, b) => a + b) / rest.length },
    note: `first open ${first.toFixed(1)} ms; ${file}`,
  }
}

function outcomesCsv(dir: string): Record<string, any> | null {
  if (values['no-outcomes']) return null
  try {
    execFileSync('sqlite3', ['-version'], { stdio: 'ignore' })
  } catch {
    log('outcome CSV: the sqlite3 command-line tool is not installed; skipped')
    return null
  }
  const n = Number(values.outcomes ?? Math.max(1000, Math.round(PATIENTS * 2.5)))
  const json = join(dir, 'outcomes.json')
  log(`outcome CSV vs sqlite3 on ${n} procedures (tests/bench/outcomes.ts)`)
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tests/bench/outcomes.ts', '--procedures', String(n), '--runs', '3', '--json', json], { stdio: ['ignore', 'inherit', 'inherit'] })
  if (r.status !== 0 || !existsSync(json)) return null
  return { procedures: n, ...JSON.parse(readFileSync(json, 'utf8')) }
}

/**
 * Issue 20's import on every engine, each in its own process (its memory is the figure) and, on PostgreSQL, its own
 * fresh database; then with --browser the viewer's first image in Chromium. Prints each figure beside its goal.
 */
async function imagingBench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-bench-imaging-'))
  const out: Record<string, unknown> = {}
  try {
    for (const engine of engines) {
      const json = join(dir, `import-${engine}.json`)
      let target: Awaited<ReturnType<typeof pgDatabase>> | null = null
      const args = ['--import', 'tsx', 'tests/bench/imagingImport.ts', '--images', values['imaging-images']!, '--engine', engine, '--json', json]
      if (engine === 'postgres') {
        target = await pgDatabase()
        args.push('--pg-url', (target.target as { url: string }).url)
      }
      log(`imaging import, ${engine}: ${values['imaging-images']} images (tests/bench/imagingImport.ts)`)
      try {
        const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] })
        if (r.status === 0 && existsSync(json)) out[`import_${engine}`] = JSON.parse(readFileSync(json, 'utf8'))
        else log(`imaging import on ${engine} failed (exit ${r.status})`)
      } finally {
        await target?.drop()
      }
    }
    if (values.browser) {
      const json = join(dir, 'viewer.json')
      log('imaging viewer in Chromium (tests/bench/imagingViewer.ts)')
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'tests/bench/imagingViewer.ts', '--images', values['imaging-images']!, '--out', json, ...builtApp], { stdio: ['ignore', 'inherit', 'inherit'] })
      if (r.status === 0 && existsSync(json)) out.viewer = JSON.parse(readFileSync(json, 'utf8'))
      else log(`imaging viewer bench failed (exit ${r.status})`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const n = (x: unknown) => Number(x).toFixed(0)
  console.log(`\nImaging (issue 20), ${values['imaging-images']} images · load average ${loadavg()[0]!.toFixed(1)}`)
  console.log(`${'figure'.padEnd(60)} ${'SQLite'.padStart(14)} ${'PostgreSQL'.padStart(14)}   goal`)
  const both = (f: (x: Record<string, unknown>) => string) => `${(out.import_sqlite ? f(out.import_sqlite as Record<string, unknown>) : '').padStart(14)} ${(out.import_postgres ? f(out.import_postgres as Record<string, unknown>) : '').padStart(14)}`
  console.log(`${'import: main process peak memory above idle (MB)'.padEnd(60)} ${both((x) => n(x.peakAboveIdleMB))}   < 300 MB, flat whatever the disc's size`)
  console.log(`${'import: idle -> peak (MB)'.padEnd(60)} ${both((x) => `${n(x.idleMB)}->${n(x.peakMB)}`)}`)
  console.log(`${'import: peak above idle in each quarter of the files (MB)'.padEnd(60)} ${both((x) => (x.peakAboveIdleByQuarterMB as number[]).map(n).join('/'))}   about the same (flat)`)
  console.log(`${'import: time (s), files a second'.padEnd(60)} ${both((x) => `${(Number(x.importMs) / 1000).toFixed(1)}, ${n(x.filesPerSecond)}`)}   none set`)
  console.log(`${'first stored image found and read in the main process (ms)'.padEnd(60)} ${both((x) => Number(x.firstImageReadMs).toFixed(1))}   part of the 1 s below`)
  const v = (out.viewer as { results?: Record<string, Record<string, number | string>> } | undefined)?.results
  const a = v?.importThroughTheApp
  if (a) console.log(`${'import in the app (built bridge): peak above idle (MB)'.padEnd(60)} ${n(a.peakAboveIdleMB).padStart(14)} ${''.padStart(14)}   < 300 MB (${n(a.bridgeIdleMB)}->${n(a.bridgePeakMB)}; ${(Number(a.ms) / 1000).toFixed(1)} s)`)
  const f = v?.viewToFirstImage
  if (f) console.log(`${'View -> first image painted, Chromium, p50/p95/max (ms)'.padEnd(60)} ${`${n(f.p50)}/${n(f.p95)}/${n(f.max)}`.padStart(14)} ${''.padStart(14)}   < 1000 ms (${f.n} runs; load ${f.loadBefore} -> ${f.loadAfter})`)
  return out
}

async function main() {
  if (values['imaging-only']) {
    const imaging = await imagingBench()
    mkdirSync(dirname(values.out!), { recursive: true })
    writeFileSync(values.out!, JSON.stringify({ machine: { node: process.version, date: new Date().toISOString(), loadAverage: loadavg()[0]!.toFixed(1) }, imaging }, null, 2))
    console.log(`\nJSON: ${values.out}`)
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'clinic-bench-'))
  const byEngine: Row[] = []
  const extra: Row[] = []
  let outcomes: Record<string, any> | null = null
  const load0 = loadavg()[0]!
  // how fast the machine itself was across the measurements (machinePace.ts)
  let pace: MachinePace | undefined
  try {
    const file = join(dir, 'bench.sqlite')
    const source = openDatabase({ engine: 'sqlite', file })
    await migrateToLatest(source)
    const t0 = Date.now()
    const seeded = await seedClinic(source, { patients: PATIENTS, seed: SEED, today: TODAY, onProgress: (m) => /: \d+ of/.test(m) || log(m) })
    log(`seeded ${PATIENTS} patients in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Object.entries(seeded.counts).filter(([t]) => ['patients', 'consultations', 'procedures', 'appointments', 'audit_log'].includes(t)).map(([t, n]) => `${t} ${n}`).join(', ')}`)
    // Every engine gets its copy of the clinic before any is measured (the bookings change it), then all are measured together.
    const sides: Side[] = []
    const teardown: (() => Promise<void>)[] = []
    try {
      for (const engine of engines) {
        if (engine === 'sqlite') {
          sides.push(await openSide('sqlite', openDatabase({ engine: 'sqlite', file })))
          continue
        }
        const target = await pgDatabase()
        const database = openDatabase(target.target)
        teardown.push(target.drop, () => database.close())
        const t1 = Date.now()
        await migrateSqliteToPostgres(source, database, { userId: null, username: 'bench', workstation: 'bench' }, new Date())
        log(`copied to PostgreSQL (and vacuumed, analyzed) in ${((Date.now() - t1) / 1000).toFixed(1)} s`)
        // measure the clinic as it runs, not while the server writes the load out: flush it first
        await sql`CHECKPOINT`.execute(database.db).catch(() => log('CHECKPOINT needs a superuser; measuring while the server may still be writing the copy out'))
        sides.push(await openSide('postgres', database))
      }
      const endPace = startPace()
      byEngine.push(...(await benchOperations(sides, source)))
      pace = endPace()
    } finally {
      for (const side of sides) if (side.engine === 'sqlite') await side.database.close()
      for (const step of teardown.reverse()) await step()
    }
    await source.close()
    if (!values['no-big-file']) extra.push(await openCheck(await bigFile()))
    outcomes = outcomesCsv(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString(), loadAverage: [load0, loadavg()[0]!].map((l) => l.toFixed(1)), pace }
  console.log(`\nSpine Clinic benchmark · ${PATIENTS} patients · seed ${SEED} · ${machine.cpus} × ${machine.cpu} · Node ${machine.node} · load average ${machine.loadAverage.join(' -> ')}${pace ? `\n${describePace(pace)}` : ''}\n`)
  const ops = [...new Set(byEngine.map((r) => r.operation))]
  const pgOn = engines.includes('postgres')
  // p99 and max beside p50 and p95: a slow tail on opening a record hides behind p95 (issue 22)
  console.log(`${'operation'.padEnd(52)} ${'SQLite p50'.padStart(10)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'raw p95'.padStart(8)} ${'app/raw'.padStart(8)}${pgOn ? ` ${'PG p50'.padStart(9)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'raw p95'.padStart(8)} ${'PG/SQLite'.padStart(9)} ${'(p50)'.padStart(6)}` : ''}   (ms)`)
  for (const op of ops) {
    const s = byEngine.find((r) => r.operation === op && r.engine === 'sqlite')
    const p = byEngine.find((r) => r.operation === op && r.engine === 'postgres')
    const cell = (t: Timing | undefined, w: number, f: keyof Timing) => (t ? fmt(t[f] as number) : '').padStart(w)
    let line = `${op.padEnd(52)} ${cell(s?.app, 10, 'p50')} ${cell(s?.app, 8, 'p95')} ${cell(s?.app, 8, 'p99')} ${cell(s?.app, 8, 'max')} ${cell(s?.baseline, 8, 'p95')} ${(s?.baseline ? `${(s.app.p95 / s.baseline.p95).toFixed(2)}x` : '').padStart(8)}`
    if (pgOn) line += ` ${cell(p?.app, 9, 'p50')} ${cell(p?.app, 8, 'p95')} ${cell(p?.app, 8, 'p99')} ${cell(p?.app, 8, 'max')} ${cell(p?.baseline, 8, 'p95')} ${(s && p ? `${(p.app.p95 / s.app.p95).toFixed(2)}x` : '').padStart(9)} ${(s && p ? `${(p.app.p50 / s.app.p50).toFixed(2)}x` : '').padStart(6)}`
    console.log(line + (s?.note ?? p?.note ? `   ${s?.note ?? p?.note}` : ''))
  }
  for (const r of extra) console.log(`${r.operation.padEnd(52)} ${fmt(r.app.p50).padStart(10)} ${fmt(r.app.p95).padStart(8)} ${fmt(r.app.p99).padStart(8)} ${fmt(r.app.max).padStart(8)}   ${r.note ?? ''}`)
  if (outcomes) {
    const o = outcomes
    console.log(
      `outcome CSV, ${o.rows} rows: sqlite3 CLI writing the same rows${o.sameRecords ? '' : ' (NOT the same records)'} ${o.cli.wallMs.toFixed(0)} ms wall / ${o.cli.cpuMs.toFixed(0)} ms CPU; app ${o.app.wallMs.toFixed(0)} ms (${o.app.wallRatio.toFixed(2)}x wall, ${o.app.cpuRatio.toFixed(2)}x CPU); de-identified ${o.deidentified.wallRatio.toFixed(2)}x wall`,
    )
    console.log(`  (the CLI writing the raw rows of the app's query, reading the data alone: ${o.cliRaw.wallMs.toFixed(0)} ms; app ${o.appVsRaw.wallRatio.toFixed(2)}x that)`)
  }
  let browser: unknown = null
  let keystrokes: unknown = null
  if (values.browser) {
    const out = join(dirname(values.out!), 'browser.json')
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'tests/bench/browser.ts', '--patients', values['browser-patients']!, '--out', out, ...builtApp], { stdio: 'inherit' })
    if (r.status === 0 && existsSync(out)) browser = JSON.parse(readFileSync(out, 'utf8'))
    // what a key costs in the note editors, each p95 beside its goal (issue 22 point 3; tests/bench/keystrokes.ts
    // runs the Playwright measurement tests/e2e/keystroke-cost.spec.ts and prints its table)
    const keysOut = join(dirname(values.out!), 'keystrokes.json')
    const k = spawnSync(process.execPath, ['--import', 'tsx', 'tests/bench/keystrokes.ts', '--port', values['keystroke-port']!, '--out', keysOut], { stdio: 'inherit' })
    if (k.status === 0 && existsSync(keysOut)) keystrokes = JSON.parse(readFileSync(keysOut, 'utf8'))
  }
  const imaging = values['no-imaging'] ? null : await imagingBench()
  mkdirSync(dirname(values.out!), { recursive: true })
  writeFileSync(values.out!, JSON.stringify({ machine, patients: PATIENTS, seed: SEED, results: byEngine, extra, outcomes, browser, keystrokes, imaging }, null, 2))
  console.log(`\nJSON: ${values.out}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
