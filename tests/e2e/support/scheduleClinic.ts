/**
 * Builds a clinic for tests/e2e/schedule-layout.spec.ts (run with `node --import tsx`, since Playwright's loader
 * cannot load the main process's modules): the seed's staff (desk1, admin, dr1-dr6; the seed's password) and
 * `--providers` generated physicians, each with about 13 appointments a day in the week that ends on `--day`.
 * Of the seed's own physicians only `--keep` (comma-separated user names) stay active: they have no appointments
 * and would only widen the day. Prints `{ "dayBlocks": N }`: the day's appointments the schedule shows.
 *
 *   node --import tsx tests/e2e/support/scheduleClinic.ts --db FILE --providers 8 --day YYYY-MM-DD [--keep dr1]
 */
import { parseArgs } from 'node:util'
import { openDatabase } from '../../../electron/db/connect'
import { migrateToLatest } from '../../../electron/db/migrate'
import { generateSchedule } from '../../../electron/seed/schedule'
import { seedClinic } from '../../../electron/seed/seedClinic'
import { localDayBounds, zonedParts } from '../../../shared/scheduling/time'

const { values } = parseArgs({ options: { db: { type: 'string' }, providers: { type: 'string' }, day: { type: 'string' }, keep: { type: 'string', default: '' } } })
const TZ = 'America/New_York' // the clinic's default
const today = zonedParts(Date.now(), TZ).date
const database = openDatabase({ engine: 'sqlite', file: values.db! })
try {
  await migrateToLatest(database)
  await seedClinic(database, { patients: 120, seed: 22, today, clinical: false, appointments: 0 })
  const providers = Number(values.providers)
  generateSchedule(database, { appointments: providers * 13 * 5, providers, patients: 200, lastDay: values.day!, today, timeZone: TZ, seed: 9 })
  const sqlite = database.sqlite!
  const keep = values.keep!.split(',').filter(Boolean)
  for (const u of sqlite.prepare(`SELECT username FROM users WHERE role = 'physician' AND username LIKE 'dr%'`).all() as { username: string }[]) {
    if (!keep.includes(u.username)) sqlite.prepare('UPDATE users SET active = 0 WHERE username = ?').run(u.username)
  }
  const { start, end } = localDayBounds(values.day!, TZ)
  const day = sqlite.prepare(`SELECT COUNT(*) AS n FROM appointments WHERE starts_at >= ? AND starts_at < ? AND status NOT IN ('cancelled', 'noshow')`).get(start, end) as { n: number }
  console.log(JSON.stringify({ dayBlocks: day.n }))
} finally {
  await database.close()
}
