/**
 * The audit viewer on both engines: each filter (user, patient, action, dates in the clinic's time zone),
 * paging without gaps, the CSV export of exactly the filtered rows (and its own audit row), the filter lists.
 */
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { AuditEntry } from '../../shared/schemas/audit'
import { describeEachEngine, openClinic, SAMPLE_PATIENT, type Clinic } from './harness'
import { databaseDigest } from './digest'

describeEachEngine('audit viewer on %s', (engine) => {
  let clinic: Clinic
  let admin: string
  let manager: string
  let desk: string
  let doc: string
  let deskId: number
  let p1: number
  let p2: number

  /** Moves the clock; the test's windows count as active (not idle-locked) at the new time. */
  function setClock(iso: string) {
    clinic.clock.now = new Date(iso)
    for (const w of [admin, manager, desk, doc]) clinic.router.sessions.get(w)!.lastActivity = clinic.clock.now.getTime()
  }

  beforeAll(async () => {
    clinic = await openClinic({ engine })
    admin = await clinic.as('admin', 'itdept')
    const s = await clinic.ok(admin, 'settings.get')
    await clinic.ok(admin, 'settings.update', { version: s.version, settings: { ...s.settings, timeZone: 'America/New_York' } })
    manager = await clinic.as('manager', 'boss')
    desk = await clinic.as('frontDesk', 'desk')
    doc = await clinic.as('physician', 'drbones')
    deskId = (await clinic.ok(desk, 'session.state'))!.user!.id
    // 30 November in New York: registrations in the afternoon; 1 December 03:00 UTC is still 30 November there.
    setClock('2026-11-30T15:00:00.000Z')
    p1 = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    p2 = (await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Ernesto', lastName: 'Lindqvist', dateOfBirth: '1939-07-14' })).id
    setClock('2026-12-01T03:00:00.000Z')
    await clinic.ok(doc, 'patients.get', { id: p1 })
    // 1 December in New York
    setClock('2026-12-01T16:00:00.000Z')
    await clinic.ok(doc, 'patients.get', { id: p2 })
    await clinic.ok(desk, 'patients.get', { id: p1 })
    // 2 December
    setClock('2026-12-02T14:00:00.000Z')
    for (let i = 0; i < 7; i++) await clinic.ok(doc, 'patients.get', { id: i % 2 ? p1 : p2 })
  })
  afterAll(async () => clinic?.close())

  /** Every row of a filter, paging 3 at a time. */
  async function allPages(filter: Record<string, unknown>): Promise<AuditEntry[]> {
    const out: AuditEntry[] = []
    let beforeId: number | undefined
    for (;;) {
      const page = await clinic.ok(manager, 'audit.list', { ...filter, limit: 3, ...(beforeId ? { beforeId } : {}) })
      out.push(...page)
      if (page.length < 3) return out
      beforeId = page.at(-1)!.id
    }
  }

  it('filters by user', async () => {
    const rows = await allPages({ userId: deskId })
    expect(rows.length).toBeGreaterThan(0)
    expect(new Set(rows.map((r) => r.username))).toEqual(new Set(['desk']))
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['patient.create', 'patient.view', 'session.signIn']))
  })

  it('filters by patient, naming its MRN', async () => {
    const rows = await allPages({ patientId: p2 })
    // created, viewed once on 1 December and four times on 2 December
    expect(rows.map((r) => r.action)).toEqual(['patient.view', 'patient.view', 'patient.view', 'patient.view', 'patient.view', 'patient.create'])
    expect(new Set(rows.map((r) => r.patientMrn))).toEqual(new Set(['SC-000002']))
  })

  it('filters by action, together with a user', async () => {
    expect((await allPages({ action: 'patient.view' })).length).toBe(10)
    const drViews = await allPages({ action: 'patient.view', userId: (await clinic.ok(doc, 'session.state'))!.user!.id })
    expect(drViews.length).toBe(9)
    expect(await clinic.ok(manager, 'audit.list', { action: 'no.such-action' })).toEqual([])
  })

  it('filters by dates, calendar days in the clinic\'s time zone with both ends included', async () => {
    const nov30 = await allPages({ action: 'patient.view', from: '2026-11-30', to: '2026-11-30' })
    expect(nov30.map((r) => r.at)).toEqual(['2026-12-01T03:00:00.000Z'])
    const dec1 = await allPages({ from: '2026-12-01', to: '2026-12-01' })
    expect(dec1.map((r) => r.at)).toEqual(['2026-12-01T16:00:00.000Z', '2026-12-01T16:00:00.000Z'])
    expect((await allPages({ from: '2026-12-02' })).filter((r) => r.action === 'patient.view')).toHaveLength(7)
    expect((await allPages({ to: '2026-12-01', action: 'patient.view' })).length).toBe(3)
  })

  it('pages newest first without gaps or repeats', async () => {
    const paged = await allPages({})
    const whole = await clinic.ok(manager, 'audit.list', { limit: 500 })
    expect(paged.map((r) => r.id)).toEqual(whole.map((r) => r.id))
    expect([...whole.map((r) => r.id)].sort((a, b) => b - a)).toEqual(whole.map((r) => r.id))
  })

  it('refuses an end date before the start date, or a malformed action, naming the field', async () => {
    const before = await databaseDigest(clinic.database)
    const r = await clinic.call(manager, 'audit.list', { from: '2026-12-02', to: '2026-12-01' })
    expect(r.ok || r.error).toMatchObject({ code: 'invalid_input', fields: { to: expect.stringContaining('on or after') } })
    const e = await clinic.call(manager, 'audit.export', { action: "x' OR 1=1 --" })
    expect(e.ok || e.error).toMatchObject({ code: 'invalid_input', fields: { action: expect.any(String) } })
    expect(await databaseDigest(clinic.database)).toEqual(before)
  })

  it('exports exactly the filtered rows as CSV and audits the export with who, the filter and the count', async () => {
    const filter = { patientId: p1, action: 'patient.view', from: '2026-11-30', to: '2026-12-02' }
    const listed = await allPages(filter)
    const file = await clinic.ok(manager, 'audit.export', filter)
    expect(file.fileName).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/)
    expect(file.rows).toBe(listed.length)
    const records = parse(file.content, { columns: true }) as Record<string, string>[]
    expect(records.map((r) => Number(r.id))).toEqual(listed.map((r) => r.id))
    expect(records[0]).toEqual({
      id: String(listed[0]!.id),
      at: listed[0]!.at,
      user_id: String(listed[0]!.userId),
      username: listed[0]!.username,
      workstation: 'test-ws',
      action: 'patient.view',
      entity: 'patient',
      entity_id: String(p1),
      patient_id: String(p1),
      patient_mrn: 'SC-000001',
      details: listed[0]!.details,
    })
    const audit = await clinic.ok(manager, 'audit.list', { action: 'audit.export', limit: 1 })
    expect(audit[0]).toMatchObject({ username: 'boss', entity: 'audit_log' })
    // and names the patients of the exported rows, so the export is found under each of them
    expect(JSON.parse(audit[0]!.details)).toEqual({ filter, rows: listed.length, fileName: file.fileName, patientIds: [p1] })
    expect((await clinic.ok(manager, 'audit.list', { patientId: p1, action: 'audit.export' })).map((r) => r.id)).toEqual([audit[0]!.id])
  })

  it('offers every user and every logged action, and finds patients for administrators too', async () => {
    const options = await clinic.ok(manager, 'audit.filterOptions')
    expect(options.users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'itdept', 'boss', 'desk', 'drbones']))
    expect(options.actions).toEqual(expect.arrayContaining(['patient.create', 'patient.view', 'session.signIn', 'user.create']))
    expect(await clinic.ok(admin, 'audit.findPatients', { q: 'lindq' })).toEqual([{ id: p2, mrn: 'SC-000002', name: 'Lindqvist, Ernesto', dateOfBirth: '1939-07-14' }])
    expect((await clinic.call(desk, 'audit.export', {})).ok).toBe(false)
  })
})
