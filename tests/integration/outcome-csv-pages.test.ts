/**
 * The outcome CSV is read from the database a page of 1000 procedures at a time (memory stays flat). A
 * synthetic clinic with more than a thousand procedures checks the pages join up: every procedure once, in
 * date-then-id order, the same as one query for all of them would give.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { exportOutcomesCsvFile } from '../../electron/services/outcomes/exports'
import { seedClinic } from '../../electron/seed/seedClinic'
import { openClinic, type Clinic } from './harness'

let c: Clinic
beforeAll(async () => {
  c = await openClinic({ setup: false })
  await seedClinic(c.database, { patients: 2000, seed: 5, today: '2026-11-29' })
}, 120_000)
afterAll(async () => c?.close())

it('exports every procedure once, in date then id order, across pages of 1000', async () => {
  // (procedures entered in error are not outcomes)
  const all = c.database.sqlite!
    .prepare("SELECT id, procedure_date FROM procedures WHERE id NOT IN (SELECT record_id FROM entered_in_error WHERE record_type = 'procedure') ORDER BY procedure_date, id").all() as { id: number; procedure_date: string }[]
  expect(all.length).toBeGreaterThan(1000)
  const file = join(c.dir, 'outcomes.csv')
  const run = { actor: { userId: null, username: 'test', workstation: 'test' }, now: () => new Date('2026-11-29T12:00:00Z') }
  const n = await exportOutcomesCsvFile(c.database, { from: '1990-01-01', to: '2026-12-31', physicianId: null, kind: null }, file, { deidentify: false }, run)
  const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as { procedure_id: string; procedure_date: string }[]
  rmSync(file)
  expect(n).toBe(all.length)
  expect(rows.map((r) => [Number(r.procedure_id), r.procedure_date])).toEqual(all.map((p) => [p.id, p.procedure_date]))
})
