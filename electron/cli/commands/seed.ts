import { migrateToLatest } from '../../db/migrate'
import { SEED_PASSWORD, seedClinic } from '../../seed/seedClinic'
import { EXIT_OK, openTarget, UsageError, type Command } from '../common'

function wholeNumber(v: unknown, name: string, def: number, max: number): number {
  if (v === undefined) return def
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max} (got "${v}").`)
  return n
}

export const seedCommand: Command = {
  name: 'seed',
  summary: 'fill a database with a synthetic clinic (for demonstrations and benchmarks)',
  help: `Usage: npm run admin -- seed --db FILE [--patients N] [--seed S] [--today DATE]

Creates (or adds to) a synthetic clinic: staff users (password "${SEED_PASSWORD}"), and patients with
realistic names and ages (mostly older women, as in osteoporotic fractures). The same seed gives the
same clinic. Every record passes the app's own validation and carries its audit row, so
"npm run admin -- verify" passes afterwards. Never run it on a clinic's real database.

  --patients N   how many patients (default 1000)
  --seed S       the random seed (default 42)
  --today DATE   the synthetic clinic's "today" (default: today)`,
  options: { patients: { type: 'string' }, seed: { type: 'string' }, today: { type: 'string' } },
  async run({ io, values, target }) {
    const patients = wholeNumber(values.patients, 'patients', 1000, 2_000_000)
    const seed = wholeNumber(values.seed, 'seed', 42, 2 ** 31)
    const today = (values.today as string | undefined) ?? new Date().toISOString().slice(0, 10)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new UsageError(`--today must be a date written YYYY-MM-DD (got "${today}").`)
    const database = openTarget(target, { create: true })
    try {
      await migrateToLatest(database)
      const started = Date.now()
      const result = await seedClinic(database, { patients, seed, today, onProgress: (m) => io.err(`  ${m}`) })
      io.out(`Seeded ${result.patients} patients and ${Object.keys(result.users).length} staff users in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
      io.out(`Sign in as admin, manager, desk1..desk3 or dr1..dr6 with the password ${SEED_PASSWORD}.`)
      return EXIT_OK
    } finally {
      await database.close()
    }
  },
}
