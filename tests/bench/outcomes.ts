/**
 * `npx tsx tests/bench/outcomes.ts [--procedures N] [--runs R] [--keep FILE]`
 *
 * The outcome CSV export against the sqlite3 command-line tool writing CSV from the same file, side by side,
 * in two ways: the CLI writing the same rows as the export (SQLite scoring, counting and formatting them as
 * the export does: tests/bench/outcomesCliSql.ts; the bench checks that both files parse to the same
 * records), which is the issue's measure; and the CLI writing the raw rows of the app's query (no ODI scores,
 * ages, counts or changes, JSON lists as stored), the cost of reading the data alone. Builds a synthetic
 * clinic of N procedures (default 50 000) with levels, stays, baselines, follow-ups and visits, then times
 * R runs of each (median printed). Also prints the peak heap during exports of a quarter and of the whole
 * range, which should be about the same (rows are streamed). Needs `sqlite3` on the PATH.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse/sync'
import { openDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { hashPassword } from '../../electron/services/passwords'
import { exportLabels, exportOutcomesCsvFile } from '../../electron/services/outcomes/exports'
import { outcomeQuery } from '../../electron/services/outcomes/outcomeRows'
import { createSettings } from '../../electron/services/settings'
import { Rng } from '../../electron/seed/random'
import { cliSameRowsSql } from './outcomesCliSql'
import { ClinicSettings } from '../../shared/schemas/settings'
import type { OutcomeFilter } from '../../shared/schemas/outcomes'

const { values } = parseArgs({ options: { procedures: { type: 'string', default: '50000' }, runs: { type: 'string', default: '3' }, keep: { type: 'string' }, json: { type: 'string' } } })
const N = Number(values.procedures)
const RUNS = Number(values.runs)

const dir = mkdtempSync(join(tmpdir(), 'outcomes-bench-'))
const file = values.keep ?? join(dir, 'clinic.sqlite')
const database = openDatabase({ engine: 'sqlite', file })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function build(): Promise<void> {
  await migrateToLatest(database)
  const at = '2026-01-01T00:00:00.000Z'
  await createSettings(database.db, ClinicSettings.parse({ clinicName: 'Bench Clinic' }), at)
  const s = database.sqlite!
  const rng = new Rng(7)
  const hash = await hashPassword('bench-password-1')
  const user = s.prepare(`INSERT INTO users (username, display_name, role, password_hash, active, failed_attempts, created_at, updated_at, version) VALUES (?, ?, 'physician', ?, 1, 0, ?, ?, 0)`)
  const docs = [1, 2, 3, 4].map((i) => Number(user.run(`doc${i}`, `Dr. Bench ${i}, MD`, hash, at, at).lastInsertRowid))
  const patient = s.prepare(`INSERT INTO patients (mrn, first_name, last_name, name_key, date_of_birth, sex, phone, phone_digits, email, address, referring_physician, notes, created_at, created_by, updated_at, updated_by, version)
    VALUES (?, ?, ?, ?, ?, 'female', '555-0100', '5550100', 'p@example.org', '1 Main St, Springfield', '', '', ?, ?, ?, ?, 0)`)
  const consult = s.prepare(`INSERT INTO consultations (patient_id, provider_id, visit_date, pain_nrs, odi_answers, created_at, created_by, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`)
  const proc = s.prepare(`INSERT INTO procedures (patient_id, provider_id, kind, procedure_date, intra_complications, post_complications, created_at, created_by, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, 0)`)
  const level = s.prepare(`INSERT INTO procedure_levels (procedure_id, patient_id, treated_order, level, cement_type, cement_volume_ml, leakage, leakage_symptomatic) VALUES (?, ?, ?, ?, 'PMMA', ?, ?, ?)`)
  const stay = s.prepare(`INSERT INTO stay_decisions (procedure_id, patient_id, disposition, night, reasons, decided_by, decided_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`)
  const fu = s.prepare(`INSERT INTO procedure_follow_ups (procedure_id, patient_id, label, target_date, status, created_at, version) VALUES (?, ?, ?, ?, 'proposed', ?, 0)`)
  const visit = s.prepare(`INSERT INTO follow_up_visits (follow_up_id, procedure_id, patient_id, label, visit_date, pain_nrs, odi_answers, odi_score, analgesics, brace, new_fracture, new_fracture_levels, complications, satisfaction, recorded_at, recorded_by)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'nonOpioid', 'partTime', 0, '', '[]', 'satisfied', ?, ?)`)
  const LEVELS = ['T8', 'T9', 'T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4']
  const day = (base: number, plus: number) => new Date(Date.UTC(2020, 0, 1) + (base + plus) * 86_400_000).toISOString().slice(0, 10)
  s.transaction(() => {
    for (let i = 0; i < N; i++) {
      const doc = docs[i % docs.length]!
      const last = i % 97 === 0 ? `O'Neil, "Jr"` : `Name${i}`
      const pid = Number(patient.run(`SC-${String(i + 1).padStart(6, '0')}`, i % 50 === 0 ? 'Ann\nMarie' : `First${i}`, last, `first${i} ${last}`.toLowerCase(), `19${30 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, at, doc, at, doc).lastInsertRowid)
      const d = Math.floor((i / N) * 2000)
      const answers = JSON.stringify(Array.from({ length: 10 }, () => rng.int(1, 5)))
      consult.run(pid, doc, day(d, 0), rng.int(5, 10), answers, at, doc, at, doc)
      const procId = Number(proc.run(pid, doc, i % 3 === 0 ? 'vertebroplasty' : 'kyphoplasty', day(d, 30), i % 20 === 0 ? '["hypotension"]' : '[]', at, doc, at, doc).lastInsertRowid)
      const n = 1 + (i % 3)
      for (let k = 0; k < n; k++) level.run(procId, pid, k + 1, LEVELS[(i + k) % LEVELS.length], 2 + rng.int(0, 30) / 10, i % 7 === 0 && k === 0 ? 'segmentalVein' : 'none', i % 7 === 0 && k === 0 ? 0 : null)
      const overnight = i % 3 === 0
      stay.run(procId, pid, overnight ? 'overnight' : 'sameDay', overnight ? day(d, 30) : null, overnight ? '["uncontrolledPain"]' : '[]', doc, at)
      for (const [label, plus] of [['2 weeks', 14], ['6 weeks', 42], ['3 months', 91]] as const) {
        const fid = Number(fu.run(procId, pid, label, day(d, 30 + plus), at).lastInsertRowid)
        if (rng.int(0, 9) < 7) visit.run(fid, procId, pid, label, day(d, 31 + plus), rng.int(0, 6), answers, rng.int(0, 60), at, doc)
      }
    }
  })()
  s.pragma('wal_checkpoint(TRUNCATE)')
  s.exec('ANALYZE')
}

function inline(sqlText: string, parameters: readonly unknown[]): string {
  let i = 0
  return sqlText.replace(/\?/g, () => {
    const p = parameters[i++]
    return typeof p === 'number' ? String(p) : `'${String(p).replace(/'/g, "''")}'`
  })
}

async function main(): Promise<void> {
  const t0 = Date.now()
  await build()
  console.log(`Built ${N} procedures in ${((Date.now() - t0) / 1000).toFixed(1)} s (${(statSync(file).size / 1e6).toFixed(0)} MB), ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`)
  const filter: OutcomeFilter = { from: '2000-01-01', to: '2099-12-31', physicianId: null, kind: null }
  const labels = await exportLabels(database, filter)
  const compiled = outcomeQuery(database.db, 'sqlite', filter, labels).orderBy('p.procedure_date').orderBy('p.id').compile()
  const appSql = inline(compiled.sql, compiled.parameters)
  const cliScript = (name: string, query: string) => {
    const script = join(dir, `${name}.sql`)
    writeFileSync(script, `.headers on\n.mode csv\n.output ${join(dir, `${name}.csv`)}\n${query};\n`)
    return script
  }
  const scripts = { same: cliScript('cli-same', cliSameRowsSql(appSql, labels)), raw: cliScript('cli-raw', appSql) }
  const run = { actor: { userId: null, username: 'bench', workstation: 'bench' }, now: () => new Date() }

  // wall time, and CPU time (the machine may be shared: CPU time is what the work itself costs)
  type Times = { wall: number[]; cpu: number[] }
  const times = (): Times => ({ wall: [], cpu: [] })
  const cliSame = times()
  const cliRaw = times()
  const app = times()
  const deid = times()
  const cpuNow = () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const timeApp = async (into: Times, op: () => Promise<unknown>) => {
    const c = cpuNow()
    const t = process.hrtime.bigint()
    await op()
    into.wall.push(Number(process.hrtime.bigint() - t) / 1e6)
    into.cpu.push(cpuNow() - c)
  }
  const timeCli = (into: Times, script: string) => {
    const t = process.hrtime.bigint()
    // bash's `times` prints the CPU time of its children (the sqlite3 process) on its second line
    const out = execFileSync('bash', ['-c', 'sqlite3 -bail "$1" < "$2"; times', 'bench', file, script], { encoding: 'utf8' })
    into.wall.push(Number(process.hrtime.bigint() - t) / 1e6)
    const secs = (out.trim().split('\n')[1] ?? '').split(/\s+/).map((x) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(x)
      return m ? Number(m[1]) * 60 + Number(m[2]) : 0
    })
    into.cpu.push((secs[0]! + secs[1]!) * 1000)
  }
  let rows = 0
  const appFile = join(dir, 'app.csv')
  for (let r = 0; r < RUNS; r++) {
    // interleaved, so that a busy minute on a shared machine weighs on all four alike
    timeCli(cliSame, scripts.same)
    timeCli(cliRaw, scripts.raw)
    rmSync(appFile, { force: true })
    await timeApp(app, async () => (rows = await exportOutcomesCsvFile(database, filter, appFile, { deidentify: false }, run)))
    await timeApp(deid, () => exportOutcomesCsvFile(database, filter, join(dir, `deid-${r}.csv`), { deidentify: true }, run))
    rmSync(join(dir, `deid-${r}.csv`))
  }
  const differing = differingFields(appFile, join(dir, 'cli-same.csv'))
  const cliRows = execFileSync('sqlite3', [file, `select count(*) from procedures`], { encoding: 'utf8' }).trim()
  console.log(`\nOutcome CSV, ${rows} rows (sqlite3 CLI counts ${cliRows} procedures); median of ${RUNS} runs:`)
  const line = (name: string, t: Times, base: Times) =>
    console.log(
      `  ${name.padEnd(44)} wall ${median(t.wall).toFixed(0).padStart(6)} ms (${(median(t.wall) / median(base.wall)).toFixed(2)}x)   cpu ${median(t.cpu).toFixed(0).padStart(6)} ms (${(median(t.cpu) / median(base.cpu)).toFixed(2)}x)`,
    )
  console.log(`  against the CLI writing the same rows (its file and the app's parse to the same records: ${differing === 0 ? 'yes' : `NO, ${differing} fields differ`}):`)
  line('sqlite3 CLI, the same rows', cliSame, cliSame)
  line('app: export outcomes', app, cliSame)
  line('app: export outcomes --deidentify', deid, cliSame)
  console.log('  against the CLI writing the raw rows of the app\'s query (reading the data alone):')
  line('sqlite3 CLI, raw rows', cliRaw, cliRaw)
  line('app: export outcomes', app, cliRaw)
  line('app: export outcomes --deidentify', deid, cliRaw)
  console.log('  (target: the app within 1.5x of the sqlite3 CLI writing the same rows)')
  if (values.json) {
    const m = (t: Times, base: Times) => ({ wallMs: median(t.wall), cpuMs: median(t.cpu), wallRatio: median(t.wall) / median(base.wall), cpuRatio: median(t.cpu) / median(base.cpu) })
    writeFileSync(
      values.json,
      JSON.stringify({ rows, runs: RUNS, sameRecords: differing === 0, cli: m(cliSame, cliSame), app: m(app, cliSame), deidentified: m(deid, cliSame), cliRaw: m(cliRaw, cliRaw), appVsRaw: m(app, cliRaw) }),
    )
  }
  rmSync(appFile)

  // memory: peak heap while exporting a quarter of the range, then all of it
  const peak = async (f: OutcomeFilter, name: string) => {
    global.gc?.()
    const base = process.memoryUsage().heapUsed
    let max = base
    const timer = setInterval(() => (max = Math.max(max, process.memoryUsage().heapUsed)), 5)
    const n = await exportOutcomesCsvFile(database, f, join(dir, name), { deidentify: false }, run)
    clearInterval(timer)
    rmSync(join(dir, name))
    return { n, mb: (max - base) / 1e6 }
  }
  const quarter = await peak({ ...filter, from: '2020-01-01', to: day0(500) }, 'q.csv')
  const whole = await peak(filter, 'w.csv')
  console.log(`\nPeak heap growth during the export: ${quarter.n} rows ${quarter.mb.toFixed(1)} MB; ${whole.n} rows ${whole.mb.toFixed(1)} MB`)
  await database.close()
  if (!values.keep) rmSync(dir, { recursive: true, force: true })
}

/** How many fields differ between two CSV files, read as records (the CLI quotes more fields than it must). */
function differingFields(a: string, b: string): number {
  const x = parse(readFileSync(a, 'utf8')) as string[][]
  const y = parse(readFileSync(b, 'utf8')) as string[][]
  let n = 0
  for (let r = 0; r < Math.max(x.length, y.length); r++) {
    const p = x[r] ?? []
    const q = y[r] ?? []
    for (let k = 0; k < Math.max(p.length, q.length); k++) if (p[k] !== q[k]) n++
  }
  return n
}

const day0 = (plus: number) => new Date(Date.UTC(2020, 0, 1) + plus * 86_400_000).toISOString().slice(0, 10)

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
