/**
 * Guard rails: the hot queries, captured as the services really run them, must be answered through an
 * index. A later change that makes one scan a whole table fails here instead of quietly slowing down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEED_PASSWORD } from '../../electron/seed/seedClinic'
import { openPlanClinic, type PlanClinic } from './planClinic'

let c: PlanClinic

beforeAll(async () => {
  c = await openPlanClinic({ patients: 3000, seed: 7, clinical: false }, 'w', 'desk1')
})
afterAll(async () => c?.close())

/** Runs a channel in a window and returns the query plans of the SELECTs it issued against `table`. */
async function plansOf(channel: string, input: unknown, table: string, windowId = 'w'): Promise<string[]> {
  c.forget()
  const r = await c.router.call(windowId, channel, input)
  expect(r.ok, JSON.stringify(r)).toBe(true)
  const selects = c.recorded().filter((q) => /^\s*select/i.test(q.sql) && new RegExp(`\\b"?${table}"?\\b`).test(q.sql))
  expect(selects.length, `no SELECT on ${table} captured`).toBeGreaterThan(0)
  return selects.map((q) => c.planOf(q).join('\n'))
}

const FULL_SCAN = /^SCAN (patients|audit_log|users)\b(?! USING (COVERING )?INDEX)/m

describe('query plans of the hot paths (SQLite)', () => {
  it.each([
    ['name words', 'smi mar'],
    ['MRN', 'SC-000123'],
    ['phone prefix', '555-20'],
  ])('patient search by %s uses the FTS index and primary key', async (_label, q) => {
    for (const plan of await plansOf('patients.search', { q, limit: 50 }, 'patients')) {
      expect(plan).not.toMatch(FULL_SCAN)
      expect(plan).toMatch(/patients_fts VIRTUAL TABLE/)
    }
  })

  it('a search matching thousands of patients walks the name index in order instead of sorting them all', async () => {
    // "sc" starts every MRN: 3000 matches
    const plans = await plansOf('patients.search', { q: 'sc', limit: 50 }, 'patients')
    expect(plans.some((plan) => /SCAN patients USING (COVERING )?INDEX patients_last_first/.test(plan))).toBe(true)
    for (const plan of plans) expect(plan).not.toMatch(/TEMP B-TREE FOR ORDER BY/)
  })

  it('patient search by birth date uses the birth-date index', async () => {
    for (const plan of await plansOf('patients.search', { q: '1950-03-04', limit: 50 }, 'patients')) {
      expect(plan).toMatch(/USING INDEX patients_dob/)
    }
  })

  it('the duplicate check uses the name-and-birth-date index', async () => {
    for (const plan of await plansOf('patients.findDuplicates', { firstName: 'Mary', lastName: 'Smith', dateOfBirth: '1950-03-04' }, 'patients')) {
      expect(plan).toMatch(/USING INDEX patients_name_key_dob/)
    }
  })

  it('the patient list pages through the name index from a cursor (no scan, no sort)', async () => {
    for (const plan of await plansOf('patients.search', { q: '', limit: 100, after: { lastName: 'Miller', firstName: 'Mary', id: 5 } }, 'patients')) {
      expect(plan).toMatch(/SEARCH patients USING INDEX patients_last_first/)
      expect(plan).not.toMatch(/TEMP B-TREE/)
    }
  })

  it('paging through the whole list gives every patient once, in name order', async () => {
    const seen: { id: number; lastName: string; firstName: string }[] = []
    let after: { lastName: string; firstName: string; id: number } | undefined
    for (;;) {
      const r = await c.router.call('w', 'patients.search', { q: '', limit: 200, ...(after ? { after } : {}) })
      if (!r.ok) throw new Error(r.error.message)
      const page = r.value as { id: number; lastName: string; firstName: string }[]
      seen.push(...page)
      if (page.length < 200) break
      after = { lastName: page.at(-1)!.lastName, firstName: page.at(-1)!.firstName, id: page.at(-1)!.id }
    }
    expect(seen).toHaveLength(3000)
    expect(new Set(seen.map((p) => p.id)).size).toBe(3000)
    const key = (p: (typeof seen)[number]) => [p.lastName, p.firstName, p.id] as const
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [key(seen[i - 1]!), key(seen[i]!)]
      expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))).toBe(true)
    }
  })

  it('opening a patient reads one row by primary key', async () => {
    for (const plan of await plansOf('patients.get', { id: 42 }, 'patients')) {
      expect(plan).toMatch(/SEARCH patients USING INTEGER PRIMARY KEY/)
    }
  })
})

describe('query plans of the audit viewer (SQLite)', () => {
  /** Signs a manager into window `m` (the viewer is for managers and administrators). */
  async function managerPlans(input: Record<string, unknown>): Promise<string[]> {
    const state = await c.router.call('m', 'session.state', {})
    if (!(state.ok && (state.value as { user?: unknown } | null)?.user)) {
      const r = await c.router.call('m', 'session.signIn', { username: 'manager', password: SEED_PASSWORD })
      expect(r.ok, JSON.stringify(r)).toBe(true)
    }
    return plansOf('audit.list', { limit: 100, ...input }, 'audit_log', 'm')
  }

  it.each([
    ['user', { userId: 3 }, /USING (COVERING )?INDEX audit_log_user/],
    ['patient', { patientId: 42 }, /USING (COVERING )?INDEX audit_log_patient/],
    ['action', { action: 'patient.view' }, /USING (COVERING )?INDEX audit_log_action/],
    ['dates', { from: '2026-11-01', to: '2026-11-15' }, /USING (COVERING )?INDEX audit_log_at|USING INTEGER PRIMARY KEY/],
    ['patient and dates', { patientId: 42, from: '2026-11-01', to: '2026-11-15' }, /USING (COVERING )?INDEX audit_log_(patient|at)/],
  ])('filtering by %s reads through an index, not the whole log', async (_label, input, index) => {
    for (const plan of await managerPlans(input)) {
      expect(plan).not.toMatch(FULL_SCAN)
      expect(plan).toMatch(index)
    }
  })

  it('a search matching hundreds of patients under one late letter sorts them rather than walking the whole name index', async () => {
    // (last: it adds patients the tests above count) 600 Westbrooks: a walk in name order would pass every patient from A to W before the first of them
    const insert = c.database.sqlite!.prepare(
      `INSERT INTO patients (mrn, first_name, last_name, name_key, date_of_birth, sex, phone, phone_digits, email, address, referring_physician, notes, created_at, created_by, updated_at, updated_by, version)
       VALUES (?, ?, 'Westbrook', ?, '1950-01-01', 'female', '', '', '', '', '', '', '2026-01-01T00:00:00.000Z', 1, '2026-01-01T00:00:00.000Z', 1, 0)`,
    )
    c.database.sqlite!.transaction(() => {
      for (let i = 0; i < 600; i++) insert.run(`WB-${String(i).padStart(6, '0')}`, `Ann${i}`, `ann${i} westbrook`)
    })()
    const plans = await plansOf('patients.search', { q: 'westb', limit: 50 }, 'patients')
    for (const plan of plans) expect(plan).not.toMatch(/SCAN patients USING (COVERING )?INDEX patients_last_first/)
    const r = await c.router.call('w', 'patients.search', { q: 'westb', limit: 50 })
    expect(r.ok && (r.value as { lastName: string }[]).map((p) => p.lastName)).toEqual(new Array(50).fill('Westbrook'))
  })
})
