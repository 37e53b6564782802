/**
 * The pre-procedure checklist (issue 17, point 3) through the router, on SQLite and PostgreSQL: bad input named and
 * nothing changed; failed items (INR above the threshold, a lab too old, warfarin not held long enough) refuse the
 * sign-off until an override reason is given, which is kept and audited; a signed-off checklist is final (the
 * service and the database refuse a change); the clinic's thresholds change the verdict; each antithrombotic's
 * restart date reaches the discharge summary (view and PDF). `admin settings set` takes the thresholds (SQLite file).
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import { admin } from './cliHarness'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, tableCounts, type Clinic, expectError } from './harness'
import { insertAppointmentRow } from './scheduleFixture'

type Checklist = ChannelInput<'procedures.checklist.save'>['checklist']

// The harness's clock is 2026-11-30 14:00 UTC; the procedure's appointment starts at 15:00 UTC that day.
const START = '2026-11-30T15:00:00.000Z'
const hoursBefore = (h: number) => new Date(Date.parse(START) - h * 3_600_000).toISOString()

const CLEAR: Checklist = {
  consent: { obtainedBy: 'Dr Bones', obtainedAt: '2026-11-23T15:00:00.000Z', procedureKind: 'kyphoplasty', levels: ['T12', 'L1'] },
  inr: { value: 1.1, date: '2026-11-27' },
  platelets: { value: 210, date: '2026-11-27' },
  antithrombotics: [{ drug: 'warfarin', lastDoseAt: hoursBefore(6 * 24), restartOn: '2026-12-02' }],
  pregnancy: 'notRecorded',
  infectionScreen: 'noSigns',
  allergiesConfirmed: true,
  fastingSince: hoursBefore(8),
}
/** INR 1.6 (threshold 1.5), platelets 46 days old (30 accepted), warfarin 3 days before (5 needed). */
const FAILING: Checklist = {
  ...CLEAR,
  inr: { value: 1.6, date: '2026-11-27' },
  platelets: { value: 210, date: '2026-10-15' },
  antithrombotics: [{ drug: 'warfarin', lastDoseAt: hoursBefore(3 * 24), restartOn: '2026-12-02' }],
}

describeEachEngine('the pre-procedure checklist on %s', (engine) => {
  let clinic: Clinic
  let doc: string
  let patientId: number
  let procedureId: number

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    doc = await clinic.as('physician', 'drbones')
    const desk = await clinic.as('frontDesk', 'desk')
    patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    await insertAppointmentRow(clinic.database.db, { id: 77, patientId, providerUsername: 'drbones', startsAt: START })
    // a signed consultation decides kyphoplasty at T12 and L1; the note opens from the procedure's appointment
    let n = await clinic.ok(doc, 'consultations.open', { patientId })
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12', 'L1'], reason: 'Failed conservative care' } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    procedureId = (await clinic.ok(doc, 'procedures.open', { patientId, appointmentId: 77 })).id
  })
  afterEach(async () => clinic?.close())

  const rows = () => clinic.database.db.selectFrom('pre_procedure_checklists').selectAll().execute()
  const audits = (action: string) => clinic.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute()
  const status = (v: { items: { key: string; status: string }[] }) => Object.fromEntries(v.items.map((i) => [i.key, i.status]))

  it('judges the planned procedure before anything is saved: its levels, the appointment as its start, the chart', async () => {
    const v = await clinic.ok(doc, 'procedures.checklist.get', { procedureId })
    expect(v).toMatchObject({ version: null, signOff: null, plannedLevels: ['T12', 'L1'], startsAt: START, startsAtSource: 'appointment', policy: { inrMax: 1.5, plateletsMin: 50, labMaxAgeDays: 30, fastingHours: 6 } })
    // a woman of 78: pregnancy status is not required; nothing recorded on the chart, so no hold is needed
    expect(status(v)).toMatchObject({ consent: 'failed', inr: 'failed', antithrombotics: 'notApplicable', pregnancy: 'notApplicable', fasting: 'failed' })
    expect(v.failedCount).toBe(6)
    expect((await audits('preProcedureChecklist.view')).map((a) => a.patient_id)).toEqual([patientId])
  })

  it('refuses bad input naming the field, and changes nothing', async () => {
    const before = { counts: await tableCounts(clinic.database), rows: await rows() }
    const bad: [Checklist, string, string][] = [
      [{ ...CLEAR, inr: { value: 1.2, date: null } }, 'checklist.inr.date', 'invalid_input'],
      [{ ...CLEAR, platelets: { value: 0, date: '2026-11-27' } }, 'checklist.platelets.value', 'invalid_input'],
      [{ ...CLEAR, antithrombotics: [{ drug: 'heparinX' as never, lastDoseAt: null, restartOn: null }] }, 'checklist.antithrombotics.0.drug', 'invalid_input'],
      [{ ...CLEAR, antithrombotics: [CLEAR.antithrombotics![0]!, CLEAR.antithrombotics![0]!] }, 'checklist.antithrombotics.1.drug', 'invalid_input'],
      [{ ...CLEAR, consent: { ...CLEAR.consent!, levels: ['T12', 'Q7' as never] } }, 'checklist.consent.levels.1', 'invalid_input'],
      [{ ...CLEAR, fastingSince: '30/11/2026 07:00' }, 'checklist.fastingSince', 'invalid_input'],
      // the clinic's today is 2026-11-30; a lab dated tomorrow, a meal in an hour
      [{ ...CLEAR, inr: { value: 1.1, date: '2026-12-01' } }, 'checklist.inr.date', 'invalid_input'],
      [{ ...CLEAR, fastingSince: '2026-11-30T15:00:00.000Z' }, 'checklist.fastingSince', 'invalid_input'],
    ]
    for (const [checklist, field, code] of bad) expectError(await clinic.call(doc, 'procedures.checklist.save', { procedureId, version: null, checklist }), code, field)
    expectError(await clinic.call(doc, 'procedures.checklist.save', { procedureId, version: 3, checklist: CLEAR }), 'conflict', 'version')
    expect({ counts: await tableCounts(clinic.database), rows: await rows() }).toEqual(before)
    // the front desk may not record it (a manager neither: the same writers as the procedure note)
    for (const role of ['frontDesk', 'manager'] as const) {
      expectError(await clinic.call(await clinic.as(role), 'procedures.checklist.save', { procedureId, version: null, checklist: CLEAR }), 'forbidden')
    }
    expect(await rows()).toEqual([])
  })

  it('signs off a clear checklist without a reason; a signed-off checklist is final, in the service and in the database', async () => {
    let v = await clinic.ok(doc, 'procedures.checklist.save', { procedureId, version: null, checklist: CLEAR })
    expect(v.failedCount).toBe(0)
    expect(v.items.find((i) => i.key === 'antithrombotics')!.detail).toBe('Warfarin held 6 days before the procedure; 5 days needed (and an INR within the clinic threshold on the day)')
    v = await clinic.ok(doc, 'procedures.checklist.save', { procedureId, version: v.version, checklist: { ...CLEAR, infectionScreen: 'noSigns', allergiesConfirmed: true } })
    expectError(await clinic.call(doc, 'procedures.checklist.signOff', { procedureId, version: v.version!, overrideReason: '', password: 'wrong-password' }), 'unauthenticated', 'password')
    v = await clinic.ok(doc, 'procedures.checklist.signOff', { procedureId, version: v.version!, overrideReason: 'not needed', password: PASSWORD })
    expect(v.signOff).toEqual({ byName: 'physician drbones', at: '2026-11-30T14:00:00.000Z', overrideReason: '' })
    expect((await audits('preProcedureChecklist.create')).length).toBe(1)
    expect((await audits('preProcedureChecklist.signOff')).map((a) => JSON.parse(a.details))).toEqual([{ startsAt: START }])

    const before = await rows()
    expectError(await clinic.call(doc, 'procedures.checklist.save', { procedureId, version: v.version, checklist: { ...CLEAR, allergiesConfirmed: false } }), 'locked')
    expectError(await clinic.call(doc, 'procedures.checklist.signOff', { procedureId, version: v.version!, overrideReason: '', password: PASSWORD }), 'locked')
    // behind the app's back: the database refuses to change or delete it
    await expect(clinic.database.db.updateTable('pre_procedure_checklists').set({ override_reason: 'edited' }).execute()).rejects.toThrow(/signed off and cannot be changed/)
    await expect(clinic.database.db.deleteFrom('pre_procedure_checklists').execute()).rejects.toThrow(/never deleted/)
    expect(await rows()).toEqual(before)
  })

  it('a failed item refuses the sign-off until an override reason is given; the reason and the failed items are kept and audited', async () => {
    let v = await clinic.ok(doc, 'procedures.checklist.save', { procedureId, version: null, checklist: FAILING })
    expect(status(v)).toMatchObject({ inr: 'failed', platelets: 'failed', antithrombotics: 'failed', consent: 'met', fasting: 'met' })
    expect(v.failedCount).toBe(3)
    expect(v.items.find((i) => i.key === 'inr')!.detail).toBe("INR 1.6 (2026-11-27) is outside the clinic's threshold (at most 1.5)")
    expect(v.items.find((i) => i.key === 'platelets')!.detail).toBe('platelets 210 is 46 days old; at most 30 days are accepted')
    expect(v.items.find((i) => i.key === 'antithrombotics')!.detail).toMatch(/^Warfarin held only 3 days; 5 days needed/)

    const before = await rows()
    const refused = await clinic.call(doc, 'procedures.checklist.signOff', { procedureId, version: v.version!, overrideReason: '  ', password: PASSWORD })
    expectError(refused, 'invalid_input', 'overrideReason')
    expect(!refused.ok && refused.error.message).toContain('INR 1.6')
    expect(await rows()).toEqual(before)
    expect(await audits('preProcedureChecklist.signOff')).toEqual([])

    const reason = 'Vitamin K given; INR rechecked at the bedside 1.4, platelets stable on the ward'
    v = await clinic.ok(doc, 'procedures.checklist.signOff', { procedureId, version: v.version!, overrideReason: reason, password: PASSWORD })
    expect(v.signOff).toMatchObject({ overrideReason: reason, byName: 'physician drbones' })
    expect(v.failedCount).toBe(3)
    const [row] = await rows()
    expect(row).toMatchObject({ override_reason: reason, signed_off_at: '2026-11-30T14:00:00.000Z' })
    const [audit] = await audits('preProcedureChecklist.signOff')
    expect(audit!.patient_id).toBe(patientId)
    const details = JSON.parse(audit!.details) as { overrideReason: string; failed: string[] }
    expect(details.overrideReason).toBe(reason)
    expect(details.failed).toHaveLength(3)
    expect(details.failed[0]).toContain('INR 1.6')

    // what was signed off stays as it was shown, whatever the thresholds become
    const admin = await clinic.as('admin', 'root')
    const s = await clinic.ok(admin, 'settings.get')
    await clinic.ok(admin, 'settings.update', { version: s.version, settings: { ...s.settings, inrMax: 1.8 } })
    expect((await clinic.ok(doc, 'procedures.checklist.get', { procedureId })).failedCount).toBe(3)
  })

  it("follows the clinic's thresholds; a threshold out of range is refused naming the setting", async () => {
    const admin = await clinic.as('admin', 'root')
    let s = await clinic.ok(admin, 'settings.get')
    expect(s.settings).toMatchObject({ inrMax: 1.5, plateletsMin: 50, labMaxAgeDays: 30, fastingHours: 6, pregnancyAgeFrom: 12, pregnancyAgeTo: 55 })
    for (const [key, value] of [['inrMax', 3.1], ['plateletsMin', 9], ['labMaxAgeDays', 181], ['fastingHours', 6.5], ['pregnancyAgeTo', 11]] as const) {
      expectError(await clinic.call(admin, 'settings.update', { version: s.version, settings: { ...s.settings, [key]: value } as never }), 'invalid_input', `settings.${key}`)
    }
    let v = await clinic.ok(doc, 'procedures.checklist.save', { procedureId, version: null, checklist: { ...FAILING, antithrombotics: CLEAR.antithrombotics } })
    expect(status(v)).toMatchObject({ inr: 'failed', platelets: 'failed' })
    s = await clinic.ok(admin, 'settings.update', { version: s.version, settings: { ...s.settings, inrMax: 1.6, labMaxAgeDays: 46, fastingHours: 9 } })
    v = await clinic.ok(doc, 'procedures.checklist.get', { procedureId })
    // exactly at the thresholds is accepted; 8 hours of fasting no longer is
    expect(status(v)).toMatchObject({ inr: 'met', platelets: 'met', fasting: 'failed' })
    expect(v.policy).toMatchObject({ inrMax: 1.6, labMaxAgeDays: 46, fastingHours: 9 })
    // the pregnancy ages: this patient is 78
    await clinic.ok(admin, 'settings.update', { version: s.version, settings: { ...s.settings, pregnancyAgeTo: 80 } })
    v = await clinic.ok(doc, 'procedures.checklist.get', { procedureId })
    expect(v.items.find((i) => i.key === 'pregnancy')).toMatchObject({ status: 'failed', detail: 'pregnancy status not recorded (required for women aged 12 to 80)' })
  })

  it("asks for each drug the chart records, and puts each drug's restart date on the discharge summary (view and PDF)", async () => {
    const chart = await clinic.ok(doc, 'chart.get', { patientId })
    await clinic.ok(doc, 'chart.updateHistory', { patientId, version: chart.header.historyVersion, history: { ...chart.header.history, anticoagulants: 'Warfarin 5 mg daily', antiplatelets: 'Aspirin 81 mg' } })
    let v = await clinic.ok(doc, 'procedures.checklist.get', { procedureId })
    expect(v.chart.antithrombotics).toBe('Warfarin 5 mg daily; Aspirin 81 mg')
    v = await clinic.ok(doc, 'procedures.checklist.save', { procedureId, version: null, checklist: { ...CLEAR, antithrombotics: [] } })
    expect(v.items.find((i) => i.key === 'antithrombotics')).toMatchObject({ status: 'failed', detail: 'the chart records "Warfarin 5 mg daily; Aspirin 81 mg": list each drug with its last dose' })
    v = await clinic.ok(doc, 'procedures.checklist.save', {
      procedureId,
      version: v.version,
      checklist: { ...CLEAR, antithrombotics: [...CLEAR.antithrombotics!, { drug: 'aspirin', lastDoseAt: hoursBefore(5 * 24), restartOn: null }] },
    })
    expect(v.items.find((i) => i.key === 'antithrombotics')).toMatchObject({ status: 'failed', detail: 'Aspirin: no restart date for the discharge summary' })

    const d = await clinic.ok(doc, 'discharge.open', { procedureId })
    expect(d.content.antithromboticRestarts).toEqual([
      { drug: 'Warfarin', restartOn: '2026-12-02' },
      { drug: 'Aspirin', restartOn: null },
    ])
    const pdf = await clinic.ok(doc, 'discharge.pdf', { id: d.id })
    const file = join(clinic.dir, 'summary.pdf')
    writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
    expect(text).toContain('Anticoagulants and antiplatelets held for the procedure:')
    expect(text).toContain('Warfarin: restart on 2026-12-02')
    expect(text).toContain('Aspirin: restart date not recorded: ask the clinic')
  })
})

describe("the checklist's thresholds from the administrator's command line", () => {
  let clinic: Clinic | undefined
  afterEach(async () => clinic?.close())

  it('settings set takes each threshold with the Settings screen\'s validation, naming the setting', async () => {
    clinic = await openClinic()
    const file = join(clinic.dir, 'clinic.sqlite')
    expect(await admin(['settings', 'set', 'inrMax', '1.8', '--db', file])).toMatchObject({ code: 0, out: 'inrMax: 1.5 -> 1.8\n' })
    expect(await admin(['settings', 'set', 'pregnancyAgeTo', '50', '--db', file])).toMatchObject({ code: 0, out: 'pregnancyAgeTo: 55 -> 50\n' })
    const refused: [string, string, RegExp][] = [
      ['plateletsMin', '9', /^plateletsMin must be 10 to 200 x10\^9\/L\. Nothing was changed\./],
      ['fastingHours', '6.5', /^fastingHours must be whole hours\. Nothing was changed\./],
      ['pregnancyAgeTo', '11', /^pregnancyAgeTo must not be below the first age \(12\)\. Nothing was changed\./],
    ]
    for (const [key, value, message] of refused) {
      const r = await admin(['settings', 'set', key, value, '--db', file])
      expect(r.code, r.err).toBe(2)
      expect(r.err).toMatch(message)
    }
    const s = await clinic.ok(await clinic.as('admin'), 'settings.get')
    expect(s.settings).toMatchObject({ inrMax: 1.8, plateletsMin: 50, fastingHours: 6, pregnancyAgeFrom: 12, pregnancyAgeTo: 50 })
  })
})
