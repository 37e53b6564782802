/**
 * Guard rail for the screens a physician opens per patient: every statement the chart and a procedure issue
 * is answered through an index. Tables indexed by record only once made a chart read all 171k signatures of
 * a 100k-patient clinic (240 ms); a later change that brings a whole-table read back fails here.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter, type Router } from '../../electron/rpc'
import { SEED_PASSWORD, seedClinic } from '../../electron/seed/seedClinic'

let dir: string
let database: AppDatabase
let router: Router
let captured: { sql: string; parameters: readonly unknown[] }[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clinic-chart-plans-'))
  database = openDatabase({ engine: 'sqlite', file: join(dir, 'plans.sqlite') }, { onQuery: (sql, parameters) => captured.push({ sql, parameters }) })
  await migrateToLatest(database)
  await seedClinic(database, { patients: 400, seed: 11, today: '2026-11-29' })
  database.sqlite!.exec('ANALYZE')
  router = createRouter({ database, log: () => {} })
  expect((await router.call('dr', 'session.signIn', { username: 'dr1', password: SEED_PASSWORD })).ok).toBe(true)
}, 120_000)
afterAll(async () => {
  await database.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Plan lines that read a whole table. The audit chain's head (ORDER BY id DESC LIMIT 1) reads one row. */
function wholeTableReads(): string[] {
  const out: string[] = []
  for (const q of captured.filter((c) => /^\s*(select|with)/i.test(c.sql))) {
    if (/from "audit_log" order by "id" desc limit/i.test(q.sql)) continue
    const plan = (database.sqlite!.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail)
    for (const line of plan) if (/^SCAN (?!.*USING (COVERING )?INDEX)(?!CONSTANT)/.test(line) && !/^SCAN (settings|users|rooms|appointment_types|clinic_hours|counters)\b/.test(line)) out.push(`${line}  ←  ${q.sql}`)
  }
  return out
}

it('opening the chart of a patient with procedures, signed notes and follow-ups reads nothing whole', async () => {
  const ids = database.sqlite!.prepare('SELECT DISTINCT patient_id FROM procedures ORDER BY patient_id LIMIT 3').pluck().all() as number[]
  expect(ids.length).toBe(3)
  for (const patientId of ids) {
    captured = []
    const r = await router.call('dr', 'chart.get', { patientId })
    expect(r.ok, JSON.stringify(r)).toBe(true)
    expect(wholeTableReads()).toEqual([])
  }
})
