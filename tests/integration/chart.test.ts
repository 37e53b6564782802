import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'
import { insertAppointmentRow } from './scheduleFixture'

let clinic: Clinic
let doc: string
let desk: string
let patientId: number

async function travel(iso: string, ...windows: string[]) {
  clinic.clock.now = new Date(iso)
  for (const w of windows) await clinic.ok(w, 'session.unlock', { password: PASSWORD })
}

const finding = (level: 'T12' | 'L1' | 'T8', over: Record<string, unknown> = {}) => ({
  level,
  modality: 'mri' as const,
  imagingDate: '2026-11-20',
  acuity: 'subacute' as const,
  marrowOedema: true,
  heightLossPercent: 30,
  ...over,
})

/** Opens, fills and signs a note; returns it. */
async function signedNote(window: string, opts: { visitDate?: string; findings?: ReturnType<typeof finding>[]; plan?: { bracing: string; startDate: string }; decision?: 'kyphoplasty' | 'continueConservative'; levels?: ('T12' | 'L1')[]; pain?: number; odi?: (number | null)[] } = {}) {
  let n = await clinic.ok(window, 'consultations.open', { patientId, visitDate: opts.visitDate })
  n = await clinic.ok(window, 'consultations.save', {
    id: n.id,
    version: n.version,
    fields: { visitDate: n.fields.visitDate, chiefComplaint: 'Back pain', painNrs: opts.pain ?? null, odiAnswers: opts.odi ?? null },
  })
  if (opts.findings) n = await clinic.ok(window, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings: opts.findings })
  if (opts.plan) n = await clinic.ok(window, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: opts.plan })
  if (opts.decision) n = await clinic.ok(window, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: opts.decision, levels: opts.levels ?? [] } })
  return clinic.ok(window, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
}

beforeEach(async () => {
  clinic = await openClinic()
  doc = await clinic.as('physician', 'drbones')
  desk = await clinic.as('frontDesk', 'desk')
  patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
})
afterEach(async () => clinic?.close())

describe('conservative care and its reassessment', () => {
  it('a due reassessment appears on the front desk list, is booked from it, and the physician records failed and why', async () => {
    const first = await signedNote(doc, { plan: { bracing: 'TLSO brace', startDate: '2026-11-30' }, findings: [finding('T12')], pain: 7, decision: 'continueConservative' })
    const plan = first.carePlan!
    expect(plan.reassessmentDate).toBe('2027-01-11')

    // not due yet today; due when the list looks ahead to the date
    expect(await clinic.ok(desk, 'care.dueReassessments', {})).toEqual([])
    const [due] = await clinic.ok(desk, 'care.dueReassessments', { through: '2027-01-11' })
    expect(due).toMatchObject({ planId: plan.id, mrn: 'SC-000001', patientName: 'Núñez-García, María José', providerName: 'physician drbones', reassessmentDate: '2027-01-11', overdue: false, appointmentId: null })
    // the list carries no clinical content
    expect(Object.keys(due!)).not.toContain('bracing')

    // six weeks later it is overdue, and the front desk books it
    await travel('2027-01-13T15:00:00.000Z', desk, doc)
    const [overdue] = await clinic.ok(desk, 'care.dueReassessments', {})
    expect(overdue).toMatchObject({ planId: plan.id, overdue: true })
    await insertAppointmentRow(clinic.database.db, { id: 41, patientId, providerUsername: 'drbones', startsAt: '2027-01-14T15:00:00.000Z' })
    const linked = await clinic.ok(desk, 'care.linkAppointment', { planId: plan.id, version: overdue!.version, appointmentId: 41 })
    expect(linked.appointmentId).toBe(41)
    expect(await clinic.ok(desk, 'care.dueReassessments', {})).toEqual([])
    expect(await clinic.ok(desk, 'care.dueReassessments', { includeBooked: true })).toHaveLength(1)

    // the reassessment visit: outcome recorded once, with the reason
    const visit = await clinic.ok(doc, 'consultations.open', { patientId })
    const missingReason = await clinic.call(doc, 'care.recordOutcome', { planId: plan.id, version: linked.version, outcome: 'failed', reason: ' ' })
    expect(missingReason).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { reason: expect.stringContaining('is required') } } })
    const outcome = await clinic.ok(doc, 'care.recordOutcome', { planId: plan.id, version: linked.version, outcome: 'failed', reason: 'Pain 8/10 despite brace and opioids; constipation', consultationId: visit.id })
    expect(outcome).toMatchObject({ outcome: 'failed', outcomeReason: 'Pain 8/10 despite brace and opioids; constipation', outcomeByName: 'physician drbones', outcomeConsultationId: visit.id })
    const again = await clinic.call(doc, 'care.recordOutcome', { planId: plan.id, version: outcome.version, outcome: 'improved', reason: 'changed my mind' })
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await clinic.ok(desk, 'care.dueReassessments', { includeBooked: true })).toEqual([])

    // the new note's coverage readiness now counts six weeks of failed care from the record
    const v = await clinic.ok(doc, 'consultations.save', { id: visit.id, version: visit.version, fields: { visitDate: '2027-01-13', painNrs: 8 } })
    const byKey = Object.fromEntries(v.coverage.items.map((i) => [i.key, i]))
    expect(v.coverage.conservativeWeeks).toBe(6)
    expect(byKey.conservativeCareDuration!.met).toBe(true)
    expect(byKey.painDespiteCare).toMatchObject({ met: true, evidence: expect.stringContaining('recorded as failed') })
    // imaging from the earlier note counts too
    expect(byKey.imagingConfirmedFracture!.met).toBe(true)
  })

  it('a plan in an unsigned note is not on the due list, and its outcome cannot be recorded yet', async () => {
    let n = await clinic.ok(doc, 'consultations.open', { patientId })
    n = await clinic.ok(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: { bracing: 'TLSO', startDate: '2026-10-01' } })
    expect(await clinic.ok(desk, 'care.dueReassessments', {})).toEqual([])
    const r = await clinic.call(doc, 'care.recordOutcome', { planId: n.carePlan!.id, version: 0, outcome: 'improved', reason: 'better' })
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } })
  })

  it('the database keeps a signed plan’s prescription but lets the outcome be recorded', async () => {
    const n = await signedNote(doc, { plan: { bracing: 'TLSO', startDate: '2026-11-30' } })
    await expect(clinic.database.db.updateTable('conservative_care_plans').set({ reassessment_date: '2027-06-01' }).execute()).rejects.toThrow(/signed/)
    await clinic.ok(doc, 'care.recordOutcome', { planId: n.carePlan!.id, version: n.carePlan!.version, outcome: 'improved', reason: 'Pain 2/10, walking' })
    expect((await clinic.ok(doc, 'consultations.get', { id: n.id })).carePlan).toMatchObject({ outcome: 'improved', reassessmentDate: '2027-01-11' })
    // the signature still covers exactly what was prescribed
    expect((await clinic.ok(doc, 'consultations.get', { id: n.id })).signing.signature!.valid).toBe(true)
  })
})

describe('the patient chart', () => {
  it('the header: name, age, sex, MRN, allergies with cement and contrast called out, anticoagulants, osteoporosis and latest bone density', async () => {
    const h = await clinic.ok(doc, 'chart.updateHistory', {
      patientId,
      version: 0,
      history: { allergies: 'Iodinated contrast (hives), penicillin', anticoagulants: 'Apixaban 5 mg bd', antiplatelets: '', osteoporosis: true, dexaTScore: -2.6, dexaDate: '2025-03-01' },
    })
    expect(h.historyVersion).toBe(1)
    // a later T-score recorded in a consultation is the latest
    await signedNote(doc)
    const n = await clinic.ok(doc, 'consultations.open', { patientId })
    await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: '2026-11-30', tScore: -3.2, tScoreDate: '2026-10-15' } })

    const { header } = await clinic.ok(doc, 'chart.get', { patientId })
    expect(header).toMatchObject({ mrn: 'SC-000001', firstName: 'María José', lastName: 'Núñez-García', age: 78, sex: 'female', history: { osteoporosis: true } })
    expect(header.alerts.map((a) => a.kind)).toEqual(['contrastAllergy', 'anticoagulant'])
    expect(header.alerts[1]!.text).toBe('Anticoagulant: Apixaban 5 mg bd')
    expect(header.latestBoneDensity).toEqual({ tScore: -3.2, date: '2026-10-15', source: 'consultation of 2026-11-30' })

    // the history is versioned on its own: a stale edit is a conflict; the front desk's demographic edit is not
    const p = await clinic.ok(desk, 'patients.get', { id: patientId })
    await clinic.ok(desk, 'patients.update', { ...SAMPLE_PATIENT, id: patientId, version: p.version, phone: '555 000 1111' })
    const stale = await clinic.call(doc, 'chart.updateHistory', { patientId, version: 0, history: { allergies: 'none' } })
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } })
    const ok = await clinic.ok(doc, 'chart.updateHistory', { patientId, version: 1, history: { ...header.history, allergyCement: true } })
    expect(ok.alerts.map((a) => a.kind)).toEqual(['cementAllergy', 'contrastAllergy', 'anticoagulant'])
    // demographics stay as the front desk sees them, without clinical history
    expect(Object.keys(await clinic.ok(desk, 'patients.get', { id: patientId }))).not.toContain('allergies')
  })

  it('the timeline lists everything newest first, and the spine shows findings and proposed levels C1 to S5', async () => {
    await travel('2026-10-01T14:00:00.000Z', doc, desk)
    const first = await signedNote(doc, {
      visitDate: '2026-10-01',
      findings: [finding('T12', { imagingDate: '2026-09-28', heightLossPercent: 22 }), finding('T8', { acuity: 'chronic', imagingDate: '2026-09-28', heightLossPercent: 45, marrowOedema: false })],
      plan: { bracing: 'TLSO', startDate: '2026-10-01' },
      decision: 'continueConservative',
      pain: 8,
    })
    await travel('2026-11-30T14:00:00.000Z', doc, desk)
    await clinic.ok(doc, 'care.recordOutcome', { planId: first.carePlan!.id, version: first.carePlan!.version, outcome: 'failed', reason: 'Still 8/10' })
    const second = await signedNote(doc, { findings: [finding('T12', { heightLossPercent: 35 }), finding('L1', { acuity: 'acute' })], decision: 'kyphoplasty', levels: ['T12', 'L1'], pain: 8 })
    await travel('2026-12-01T14:00:00.000Z', doc, desk)
    await clinic.ok(doc, 'consultations.addAddendum', { id: second.id, text: 'Discussed risks of cement leakage.', password: PASSWORD })

    const chart = await clinic.ok(doc, 'chart.get', { patientId })
    expect(chart.timeline.map((i) => [i.date, i.kind, i.status])).toEqual([
      ['2026-12-01', 'addendum', 'Signed'],
      ['2026-11-30', 'procedureRequest', 'open'],
      ['2026-11-30', 'consultation', 'Signed'],
      ['2026-11-30', 'reassessment', 'failed'],
      ['2026-10-01', 'consultation', 'Signed'],
      ['2026-10-01', 'conservativeCare', 'Reassessed: failed'],
    ])
    expect(chart.timeline[1]!.title).toBe('Kyphoplasty requested: T12, L1')
    expect(chart.lastDecision).toBe('kyphoplasty')

    expect(chart.spine).toHaveLength(29)
    expect(chart.spine[0]).toMatchObject({ level: 'C1', region: 'cervical', findingCount: 0, latest: null, proposed: false, treated: false })
    expect(chart.spine.at(-1)).toMatchObject({ level: 'S5', region: 'sacral' })
    const at = (l: string) => chart.spine.find((s) => s.level === l)!
    expect(at('T12')).toMatchObject({ findingCount: 2, proposed: true, latest: { imagingDate: '2026-11-20', heightLossPercent: 35, genantGrade: 2, acuity: 'subacute' } })
    expect(at('L1')).toMatchObject({ findingCount: 1, proposed: true, latest: { acuity: 'acute', genantGrade: 2 } })
    expect(at('T8')).toMatchObject({ findingCount: 1, proposed: false, latest: { acuity: 'chronic', genantGrade: 3, marrowOedema: false } })
    expect(chart.spine.filter((s) => s.findingCount > 0).map((s) => s.level)).toEqual(['T8', 'T12', 'L1'])
    // opening a vertebra lists every finding there, newest imaging first, with the note it came from
    expect(at('T12').findings.map((f) => [f.imagingDate, f.heightLossPercent, f.genantGrade, f.consultationId, f.visitDate, f.noteStatus])).toEqual([
      ['2026-11-20', 35, 2, second.id, '2026-11-30', 'signed'],
      ['2026-09-28', 22, 1, first.id, '2026-10-01', 'signed'],
    ])
    expect(at('T12').findings[0]).toMatchObject({ modality: 'mri', acuity: 'subacute', marrowOedema: true, providerName: 'physician drbones' })
    expect(at('C1').findings).toEqual([])

    // a note entered in error drops out of the diagram
    await clinic.ok(doc, 'consultations.markEnteredInError', { id: second.id, reason: 'Wrong patient' })
    const after = await clinic.ok(doc, 'chart.get', { patientId })
    expect(after.spine.find((s) => s.level === 'T12')!.findings.map((f) => f.consultationId)).toEqual([first.id])
    expect(after.spine.find((s) => s.level === 'L1')!.findings).toEqual([])
  })

  it('a chart for a patient that does not exist is not_found', async () => {
    expect(await clinic.call(doc, 'chart.get', { patientId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found', fields: { patientId: 'no such patient' } } })
  })
})

describe('opening a note from the day’s appointment', () => {
  it('the appointment id is kept and opening it again returns the same note', async () => {
    await insertAppointmentRow(clinic.database.db, { id: 5, patientId, providerUsername: 'drbones', startsAt: '2026-11-30T15:00:00.000Z' })
    const a = await clinic.ok(doc, 'consultations.open', { patientId, appointmentId: 5 })
    const b = await clinic.ok(doc, 'consultations.open', { patientId, appointmentId: 5 })
    expect(a.appointmentId).toBe(5)
    expect(b.id).toBe(a.id)
  })

  it('with the scheduling table, the appointment must exist, be this patient’s and the caller’s; the visit date is its clinic date', async () => {
    const other = await clinic.as('physician', 'drother')
    const second = (await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Pedro', dateOfBirth: '1950-01-01' })).id
    // 02:30 UTC on 1 December is still 30 November in New York
    await insertAppointmentRow(clinic.database.db, { id: 1, patientId, providerUsername: 'drbones', startsAt: '2026-12-01T02:30:00.000Z' })
    await insertAppointmentRow(clinic.database.db, { id: 2, patientId: second, providerUsername: 'drbones', startsAt: '2026-11-30T15:00:00.000Z' })
    await insertAppointmentRow(clinic.database.db, { id: 3, patientId, providerUsername: 'drother', startsAt: '2026-11-30T15:00:00.000Z' })

    expect(await clinic.call(doc, 'consultations.open', { patientId, appointmentId: 99 })).toMatchObject({ ok: false, error: { code: 'not_found', fields: { appointmentId: 'no such appointment' } } })
    expect(await clinic.call(doc, 'consultations.open', { patientId, appointmentId: 2 })).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { appointmentId: 'is for another patient' } } })
    expect(await clinic.call(doc, 'consultations.open', { patientId, appointmentId: 3 })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const n = await clinic.ok(doc, 'consultations.open', { patientId, appointmentId: 1 })
    expect(n).toMatchObject({ appointmentId: 1, fields: { visitDate: '2026-11-30' } })
    expect((await clinic.ok(other, 'consultations.open', { patientId, appointmentId: 3 })).providerName).toBe('physician drother')
    expect(await clinic.call(desk, 'procedureRequests.markBooked', { id: 1, version: 0, appointmentId: 99 })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})
