/**
 * `npm run bench -- [--patients N] [--seed S] [--engines sqlite,postgres] [--out FILE]`
 *
 * Builds a synthetic clinic in a temporary database and measures, side by side in one run, the app's
 * hot paths through the real router against the physical limit (the same query as a raw prepared
 * statement). Prints a table and writes JSON. Small by default so that it runs in about a minute.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { sql } from 'kysely'
import pg from 'pg'
import { openDatabase, type AppDatabase, type DbTarget } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter } from '../../electron/rpc'
import { ftsQuery } from '../../electron/services/patients'
import { Rng } from '../../electron/seed/random'
import { SEED_PASSWORD, seedClinic } from '../../electron/seed/seedClinic'
import { fmt, measure, type Timing } from './stats'

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '42' },
    engines: { type: 'string' },
    queries: { type: 'string', default: '400' },
    out: { type: 'string', default: 'bench-results/bench.json' },
  },
})

const PATIENTS = Number(values.patients)
const SEED = Number(values.seed)
const QUERIES = Number(values.queries)
const pgUrl = process.env.CLINIC_TEST_PG_URL ?? process.env.CLINIC_BENCH_PG_URL
const engines = (values.engines ?? (pgUrl ? 'sqlite,postgres' : 'sqlite')).split(',') as ('sqlite' | 'postgres')[]

interface Row {
  engine: string
  operation: string
  app: Timing
  baseline?: Timing
}

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

async function benchEngine(engine: 'sqlite' | 'postgres', dir: string): Promise<Row[]> {
  let target: DbTarget
  let dropPg: (() => Promise<void>) | undefined
  if (engine === 'sqlite') target = { engine, file: join(dir, 'bench.sqlite') }
  else {
    const name = `clinic_bench_${Date.now()}`
    const admin = new pg.Client({ connectionString: pgUrl })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = new URL(pgUrl!)
    url.pathname = `/${name}`
    target = { engine, url: url.toString() }
    dropPg = async () => {
      const c = new pg.Client({ connectionString: pgUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    }
  }
  const rows: Row[] = []
  let database = openDatabase(target)
  try {
    await migrateToLatest(database)
    const t0 = Date.now()
    await seedClinic(database, { patients: PATIENTS, seed: SEED, today: '2026-11-29', onProgress: (m) => process.stderr.write(`  [${engine}] ${m}\n`) })
    process.stderr.write(`  [${engine}] seeded ${PATIENTS} patients in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
    await sql`ANALYZE`.execute(database.db)

    // Opening the database and checking its migrations, as the app does at start.
    if (engine === 'sqlite') {
      await database.close()
      const opens: number[] = []
      for (let i = 0; i < 10; i++) {
        const s = process.hrtime.bigint()
        const d = openDatabase(target)
        await migrateToLatest(d)
        opens.push(Number(process.hrtime.bigint() - s) / 1e6)
        await d.close()
      }
      opens.sort((a, b) => a - b)
      rows.push({ engine, operation: `open + migration check (${(statSync((target as { file: string }).file).size / 1e6).toFixed(0)} MB file)`, app: { name: 'open', n: 10, p50: opens[4]!, p95: opens[9]!, mean: opens.reduce((a, b) => a + b) / 10 } })
      database = openDatabase(target)
    }

    const router = createRouter({ database, log: () => {} })
    const w = 'bench-window'
    const signIn = await router.call(w, 'session.signIn', { username: 'desk1', password: SEED_PASSWORD })
    if (!signIn.ok) throw new Error(signIn.error.message)

    const queries = await searchInputs(database, QUERIES)
    const app = await measure('router', queries, async (q: string) => {
      const r = await router.call(w, 'patients.search', { q, limit: 50 })
      if (!r.ok) throw new Error(r.error.message)
    })
    let baseline: Timing | undefined
    if (engine === 'sqlite') {
      // The physical limit: the same FTS5 query as one prepared statement, no router, no validation.
      const stmt = database.sqlite!.prepare(
        `SELECT id, mrn, first_name, last_name, date_of_birth, sex, phone FROM patients
         WHERE id IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?) ORDER BY last_name, first_name, id LIMIT 50`,
      )
      const byDob = database.sqlite!.prepare(`SELECT id, mrn, first_name, last_name, date_of_birth, sex, phone FROM patients WHERE date_of_birth = ? ORDER BY last_name, first_name LIMIT 50`)
      baseline = await measure('raw', queries, (q: string) => (/^\d{4}-\d{2}-\d{2}$/.test(q) ? byDob.all(q) : stmt.all(ftsQuery(q))))
    }
    rows.push({ engine, operation: `patient search (${PATIENTS} patients)`, app, baseline })

    const ids = Array.from({ length: 300 }, (_, i) => 1 + ((i * 7919) % PATIENTS))
    rows.push({
      engine,
      operation: 'open a patient record',
      app: await measure('router', ids, async (id: number) => {
        const r = await router.call(w, 'patients.get', { id })
        if (!r.ok) throw new Error(r.error.message)
      }),
    })
  } finally {
    await database.close()
    await dropPg?.()
  }
  return rows
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-bench-'))
  const all: Row[] = []
  try {
    for (const engine of engines) all.push(...(await benchEngine(engine, dir)))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() }
  console.log(`\nSpine Clinic benchmark · ${PATIENTS} patients · seed ${SEED} · ${machine.cpus} × ${machine.cpu} · Node ${machine.node}\n`)
  console.log('engine    operation                                     app p50 ms  app p95 ms  raw p95 ms  ratio')
  for (const r of all) {
    const ratio = r.baseline ? (r.app.p95 / r.baseline.p95).toFixed(2) + 'x' : ''
    console.log(
      `${r.engine.padEnd(9)} ${r.operation.padEnd(45)} ${fmt(r.app.p50).padStart(10)}  ${fmt(r.app.p95).padStart(10)}  ${(r.baseline ? fmt(r.baseline.p95) : '').padStart(10)}  ${ratio}`,
    )
  }
  mkdirSync(dirname(values.out!), { recursive: true })
  writeFileSync(values.out!, JSON.stringify({ machine, patients: PATIENTS, seed: SEED, results: all }, null, 2))
  console.log(`\nJSON: ${values.out}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
