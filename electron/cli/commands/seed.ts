import { migrateToLatest } from '../../db/migrate'
import { SEED_PASSWORD, seedClinic } from '../../seed/seedClinic'
import { STORY_PATIENTS, STORY_PHYSICIAN } from '../../seed/throughServices'
import { formatReport, verifyDatabase } from '../../services/integrity'
import path from 'node:path'
import { defaultDatabaseFile } from '../../paths'
import { EXIT_FAILED, EXIT_OK, openTarget, UsageError, type Command } from '../common'

/**
 * A synthetic clinic goes into a new database only: seeding adds thousands of invented patients and audit rows
 * that could never be told apart from a real clinic's, so a file that already holds anything is refused.
 */
const DATA_TABLES = ['users', 'patients', 'settings', 'audit_log'] as const

function wholeNumber(v: unknown, name: string, def: number, max: number): number {
  if (v === undefined) return def
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max} (got "${v}").`)
  return n
}

export const seedCommand: Command = {
  name: 'seed',
  summary: 'fill a database with a synthetic clinic (for demonstrations and benchmarks)',
  help: `Usage: npm run admin -- seed --db FILE [--patients N] [--seed S] [--today DATE] [--appointments N] [--patients-only] [--no-verify]

Creates a synthetic clinic of twenty years in a new database: staff users (password "${SEED_PASSWORD}"),
patients with realistic names and ages (mostly older women, as in osteoporotic fractures), their
consultations with findings, conservative-care trials, procedures with levels, recovery records and
observation checks, overnight-stay decisions, follow-up visits with pain and ODI scores, appointments,
signatures and the audit log. The same seed and --today give the same clinic. Every record passes the
app's own validation, signed notes are signed over their stored content, and "verify" runs at the end.
It refuses a database that already holds anything, and never writes to the clinic's own file: --db is
required. SQLite files only: for PostgreSQL, seed a file and copy it
with "migrate-to-postgres".

  --patients N       how many patients (default 1000; 100000 is a busy clinic's twenty years), and six
                     more followed through the app's own services (every kind of record the app makes,
                     signed discharge summaries with their PDFs, names in several scripts)
  --seed S           the random seed (default 42)
  --today DATE       the synthetic clinic's "today" (default: today)
  --appointments N   appointments to generate (default: ten per patient)
  --patients-only    staff and patients only (no clinical records, no appointments)
  --no-verify        skip the verify step at the end`,
  options: {
    patients: { type: 'string' },
    seed: { type: 'string' },
    today: { type: 'string' },
    appointments: { type: 'string' },
    'patients-only': { type: 'boolean' },
    'no-verify': { type: 'boolean' },
  },
  async run({ io, values, target }) {
    const patients = wholeNumber(values.patients, 'patients', 1000, 2_000_000)
    const seed = wholeNumber(values.seed, 'seed', 42, 2 ** 31)
    const appointments = values.appointments === undefined ? undefined : wholeNumber(values.appointments, 'appointments', 0, 20_000_000)
    const today = (values.today as string | undefined) ?? new Date().toISOString().slice(0, 10)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError(`--today must be a date written YYYY-MM-DD (got "${today}").`)
    if (target.engine !== 'sqlite') throw new UsageError('seed writes a SQLite file (--db FILE); copy it to PostgreSQL with "npm run admin -- migrate-to-postgres".')
    if (typeof values.db !== 'string') throw new UsageError('--db is required: seed writes a synthetic clinic into a new file, never into the clinic\'s own database.')
    if (path.resolve(target.file) === path.resolve(defaultDatabaseFile(io.env))) {
      throw new UsageError(`--db: ${target.file} is the clinic's own database file; seed a new file elsewhere.`)
    }
    const database = openTarget(target, { create: true })
    try {
      const present = new Set((database.sqlite!.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name))
      const holding = DATA_TABLES.filter((t) => present.has(t) && database.sqlite!.prepare(`SELECT 1 FROM "${t}" LIMIT 1`).get() !== undefined)
      if (holding.length > 0) {
        io.err(`Seed refused: ${target.file} is not a new database (it holds ${holding.join(', ')}). Nothing was changed. Seed a new file.`)
        return EXIT_FAILED
      }
      await migrateToLatest(database)
      const started = Date.now()
      const result = await seedClinic(database, { patients, seed, today, appointments, clinical: !values['patients-only'], onProgress: (m) => io.err(`  ${m}`) })
      io.out(`Seeded ${result.patients} patients and ${Object.keys(result.users).length} staff users in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
      io.out(`Rows: ${Object.entries(result.counts).map(([t, n]) => `${t} ${n}`).join(', ')}`)
      io.out(`Seconds: ${Object.entries(result.timings).map(([t, n]) => `${t} ${n.toFixed(1)}`).join(', ')}`)
      io.out(`Sign in as admin, manager, desk1..desk3 or dr1..dr${Object.keys(result.users).filter((u) => u.startsWith('dr')).length} with the password ${SEED_PASSWORD}${values['patients-only'] ? '' : `; ${STORY_PHYSICIAN.username} (${STORY_PHYSICIAN.displayName}) follows the patients registered through the app (${STORY_PATIENTS.map((p) => `${p.firstName} ${p.lastName}`).join(', ')})`}.`)
      if (values['no-verify']) return EXIT_OK
      const v0 = Date.now()
      const report = await verifyDatabase(database)
      io.out(`Verify (${((Date.now() - v0) / 1000).toFixed(1)} s):\n${formatReport(report)}`)
      return report.ok ? EXIT_OK : EXIT_FAILED
    } finally {
      await database.close()
    }
  },
}
