import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import type { ConsultationView } from '../../shared/schemas/consultations'
import { newWindow, openClinic, PASSWORD, SAMPLE_PATIENT, tableCounts, type Clinic, expectError } from './harness'
import { insertAppointmentRow } from './scheduleFixture'

let clinic: Clinic
let doc: string
let desk: string
let patientId: number

const CLINICAL_TABLES = ['consultations', 'consultation_findings', 'conservative_care_plans', 'procedure_requests', 'signatures', 'addenda', 'entered_in_error'] as const

/** Row counts and the note rows themselves: "the database is unchanged" means these are equal. */
async function snapshot() {
  const counts: Record<string, number> = { ...(await tableCounts(clinic.database)) }
  for (const t of CLINICAL_TABLES) {
    const r = await clinic.database.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    counts[t] = Number(r.n)
  }
  const notes = await clinic.database.db.selectFrom('consultations').selectAll().orderBy('id').execute()
  const findings = await clinic.database.db.selectFrom('consultation_findings').selectAll().orderBy('id').execute()
  const plans = await clinic.database.db.selectFrom('conservative_care_plans').selectAll().orderBy('id').execute()
  return { counts, notes, findings, plans }
}

const ODI_WITH_SKIP = [3, 2, 4, 1, 3, 2, 2, null, 3, 2]

function fields(over: Partial<NonNullable<ChannelInput<'consultations.save'>['fields']>> = {}): ChannelInput<'consultations.save'>['fields'] {
  return {
    visitDate: '2026-11-30',
    chiefComplaint: 'Sudden mid-back pain after lifting a grandchild',
    onsetDate: '2026-11-02',
    mechanism: 'Lifting',
    trauma: false,
    medications: 'Paracetamol 1 g qds, oxycodone 5 mg prn',
    osteoporosis: true,
    steroidUse: false,
    priorFractures: 'Left wrist 2019',
    asaClass: 2,
    tScore: -2.8,
    tScoreDate: '2026-06-01',
    painNrs: 8,
    odiAnswers: ODI_WITH_SKIP,
    examination: 'Tender over T12',
    assessment: 'Subacute T12 osteoporotic compression fracture',
    boneDensityReferred: true,
    osteoporosisEducation: true,
    ...over,
  }
}

const T12 = {
  level: 'T12' as const,
  modality: 'mri' as const,
  imagingDate: '2026-11-20',
  acuity: 'subacute' as const,
  marrowOedema: true,
  heightLossPercent: 32,
  retropulsion: false,
  canalCompromise: false,
  fractureType: 'wedge' as const,
  notes: 'STIR hyperintense',
}

async function openNote(window = doc): Promise<ConsultationView> {
  return clinic.ok(window, 'consultations.open', { patientId })
}

/** A note with fields, a T12 finding, a care plan and a kyphoplasty decision, not yet signed. */
async function fullDraft(window = doc): Promise<ConsultationView> {
  let n = await openNote(window)
  n = await clinic.ok(window, 'consultations.save', { id: n.id, version: n.version, fields: fields() })
  n = await clinic.ok(window, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings: [T12] })
  n = await clinic.ok(window, 'consultations.saveCarePlan', {
    consultationId: n.id,
    version: n.version,
    plan: { bracing: 'TLSO brace', painMedication: 'Paracetamol, oxycodone prn', startDate: '2026-11-30' },
  })
  n = await clinic.ok(window, 'consultations.saveDecision', {
    consultationId: n.id,
    version: n.version,
    decision: { decision: 'kyphoplasty', levels: ['T12'], reason: 'Failed conservative care', contraindications: [] },
  })
  return n
}

async function signed(window = doc): Promise<ConsultationView> {
  const n = await fullDraft(window)
  return clinic.ok(window, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
}

/** Moves the clinic's clock; windows idle past the lock time unlock with their password, as a user would. */
async function travel(iso: string, ...windows: string[]) {
  clinic.clock.now = new Date(iso)
  for (const w of windows) await clinic.ok(w, 'session.unlock', { password: PASSWORD })
}

beforeEach(async () => {
  clinic = await openClinic()
  doc = await clinic.as('physician', 'drbones')
  desk = await clinic.as('frontDesk', 'desk')
  patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
})
afterEach(async () => clinic?.close())

describe('the consultation note', () => {
  it('opens from the chart for the physician, pre-filled from the patient history, and scores ODI and RMDQ', async () => {
    await clinic.ok(doc, 'chart.updateHistory', {
      patientId,
      version: 0,
      history: { osteoporosis: true, steroidUse: true, priorFractures: 'Hip 2020', asaClass: 3, dexaTScore: -3.1, dexaDate: '2026-01-10' },
    })
    let n = await openNote()
    expect(n).toMatchObject({ providerName: 'physician drbones', appointmentId: null, signing: { status: 'draft', signature: null } })
    expect(n.fields).toMatchObject({ visitDate: '2026-11-30', osteoporosis: true, steroidUse: true, priorFractures: 'Hip 2020', asaClass: 3, tScore: -3.1, tScoreDate: '2026-01-10' })
    expect(n.patient).toMatchObject({ mrn: 'SC-000001', ageAtVisit: 78 })

    const rmdq = Array.from({ length: 24 }, (_, i) => i < 15)
    n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: fields({ rmdqAnswers: rmdq }) })
    // 22 of 45 with the skipped section left out of the denominator
    expect(n.odi).toEqual({ score: 48.9, band: 'severe', answered: 9 })
    expect(n.rmdqScore).toBe(15)
    expect(n.fields.odiAnswers).toEqual(ODI_WITH_SKIP)
    expect(n.version).toBe(1)
  })

  it('records imaging findings per vertebra with the Genant grade derived from the height loss', async () => {
    let n = await openNote()
    n = await clinic.ok(doc, 'consultations.saveFindings', {
      consultationId: n.id,
      version: n.version,
      findings: [
        { ...T12, heightLossPercent: 40 },
        { ...T12, level: 'L1', heightLossPercent: 20, acuity: 'acute', retropulsion: true },
        { ...T12, level: 'T8', heightLossPercent: 19.9, acuity: 'chronic', marrowOedema: null, modality: 'xray' },
        { ...T12, level: 'L2', heightLossPercent: null },
      ],
    })
    expect(n.findings.map((f) => [f.level, f.genantGrade])).toEqual([
      ['T8', 0],
      ['T12', 2],
      ['L1', 1],
      ['L2', null],
    ])
    // retropulsion at L1 bears on the checklist only once L1 is proposed (issue 17.5)
    expect(n.contraindicationSuggestions.map((s) => s.item)).toEqual([])
    // replacing the list replaces the findings
    n = await clinic.ok(doc, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings: [T12] })
    expect(n.findings.map((f) => f.level)).toEqual(['T12'])
  })

  it('a conservative-care plan is reassessed six weeks after it starts unless the physician says otherwise', async () => {
    let n = await openNote()
    n = await clinic.ok(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: { bracing: 'TLSO', startDate: '2026-11-30' } })
    expect(n.carePlan).toMatchObject({ bracing: 'TLSO', startDate: '2026-11-30', reassessmentDate: '2027-01-11', outcome: null })
    n = await clinic.ok(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: { bracing: 'TLSO', startDate: '2026-11-30', reassessmentDate: '2026-12-28' } })
    expect(n.carePlan!.reassessmentDate).toBe('2026-12-28')
    n = await clinic.ok(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: null })
    expect(n.carePlan).toBeNull()
  })

  it('only the note’s provider edits it, and a stale version is a conflict, not an overwrite', async () => {
    const other = await clinic.as('physician', 'drother')
    const n = await openNote()
    expectError(await clinic.call(other, 'consultations.save', { id: n.id, version: n.version, fields: fields() }), 'forbidden')
    await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: fields({ painNrs: 6 }) })
    expectError(await clinic.call(doc, 'consultations.save', { id: n.id, version: n.version, fields: fields({ painNrs: 2 }) }), 'conflict')
    expect((await clinic.ok(doc, 'consultations.get', { id: n.id })).fields.painNrs).toBe(6)
  })

  it('shows coverage readiness filled from the record, and what is missing, without blocking', async () => {
    let n = await openNote()
    expect(n.coverage.metCount).toBe(0)
    n = await fullDraft()
    const byKey = Object.fromEntries(n.coverage.items.map((i) => [i.key, i]))
    expect(byKey.imagingConfirmedFracture).toMatchObject({ met: true, evidence: expect.stringContaining('T12 subacute on MRI 2026-11-20 with marrow oedema') })
    expect(byKey.functionScore).toMatchObject({ met: true, evidence: 'ODI 48.9%' })
    expect(byKey.boneDensityAndEducation).toMatchObject({ met: true })
    // the care plan in this note starts today: no weeks of care yet, and care started today is not "pain despite
    // care" (issue 17.4); saying so does not stop the decision
    expect(byKey.conservativeCareDuration).toMatchObject({ met: false, missing: '0 of the 6 weeks the policy expects' })
    expect(byKey.painDespiteCare).toMatchObject({ met: false, missing: expect.stringContaining('needs care that has lasted at least 7 days') })
    expect(n.decision.decision).toBe('kyphoplasty')
  })
})

describe('the candidacy decision', () => {
  it('refuses a procedure despite an absolute contraindication without an override reason, and changes nothing', async () => {
    const n = await openNote()
    const before = await snapshot()
    const r = await clinic.call(doc, 'consultations.saveDecision', {
      consultationId: n.id,
      version: n.version,
      decision: { decision: 'vertebroplasty', levels: ['T12'], contraindications: ['activeInfection', 'uncorrectedCoagulopathy'] },
    })
    expectError(r, 'invalid_input', 'decision.overrideReason')
    if (!r.ok) expect(r.error.fields!['decision.overrideReason']).toContain('Active infection')
    expect(await snapshot()).toEqual(before)

    const ok = await clinic.ok(doc, 'consultations.saveDecision', {
      consultationId: n.id,
      version: n.version,
      decision: { decision: 'vertebroplasty', levels: ['T12'], contraindications: ['activeInfection'], overrideReason: 'Infection treated, cultures negative x2' },
    })
    expect(ok.decision).toMatchObject({ decision: 'vertebroplasty', contraindications: ['activeInfection'], overrideReason: 'Infection treated, cultures negative x2' })
    const audit = await clinic.database.db.selectFrom('audit_log').select('details').where('action', '=', 'consultation.decision').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details)).toMatchObject({ overridden: true })
  })

  it('a relative contraindication needs no override; a procedure needs its levels; other decisions need neither', async () => {
    let n = await openNote()
    expectError(
      await clinic.call(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: [] } }),
      'invalid_input',
      'decision.levels',
    )
    n = await clinic.ok(doc, 'consultations.saveDecision', {
      consultationId: n.id,
      version: n.version,
      decision: { decision: 'kyphoplasty', levels: ['L1', 'T12'], contraindications: ['uncorrectedCoagulopathy'] },
    })
    expect(n.decision.levels).toEqual(['T12', 'L1'])
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'notCandidate', contraindications: ['pregnancy'] } })
    expect(n.decision).toMatchObject({ decision: 'notCandidate', levels: [] })
  })

  it('suggests contraindications the record already shows (allergy, more than three levels)', async () => {
    await clinic.ok(doc, 'chart.updateHistory', { patientId, version: 0, history: { allergies: 'PMMA bone cement', allergyCement: true } })
    let n = await openNote()
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'vertebroplasty', levels: ['T10', 'T11', 'T12', 'L1'] } })
    expect(n.contraindicationSuggestions.map((s) => s.item)).toEqual(['cementAllergy', 'moreThanThreeLevels'])
  })
})

describe('signing', () => {
  it('records who, when and the hash of the exact content, and locks the note', async () => {
    await travel('2026-11-30T16:30:00.000Z', doc)
    const n = await signed()
    expect(n.signing.status).toBe('signed')
    expect(n.signing.signature).toMatchObject({ signerName: 'physician drbones', signedAt: '2026-11-30T16:30:00.000Z', valid: true })
    const row = await clinic.database.db.selectFrom('signatures').selectAll().executeTakeFirstOrThrow()
    expect(row.content_hash).toBe(createHash('sha256').update(row.content).digest('hex'))
    expect(n.signing.signature!.contentHash).toBe(row.content_hash)
    const content = JSON.parse(row.content)
    expect(content).toMatchObject({ recordType: 'consultation', id: n.id, patientId, decision: { decision: 'kyphoplasty', levels: ['T12'] } })
    expect(content.fields.painNrs).toBe(8)
    expect(content.findings[0]).toMatchObject({ level: 'T12', heightLossPercent: 32, acuity: 'subacute', marrowOedema: true })
    expect(content.findings[0]).not.toHaveProperty('genantGrade')
    expect(content.carePlan).toMatchObject({ bracing: 'TLSO brace', reassessmentDate: '2027-01-11' })
    const audit = await clinic.database.db.selectFrom('audit_log').select(['username', 'patient_id', 'details']).where('action', '=', 'consultation.sign').executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ username: 'drbones', patient_id: patientId })
  })

  it('a signed note refuses edits through every channel, and the database refuses them too', async () => {
    const n = await signed()
    const before = await snapshot()
    const attempts = [
      clinic.call(doc, 'consultations.save', { id: n.id, version: n.version, fields: fields({ painNrs: 2 }) }),
      clinic.call(doc, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings: [] }),
      clinic.call(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: null }),
      clinic.call(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: { bracing: 'none', startDate: '2026-11-30' } }),
      clinic.call(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'refer' } }),
      clinic.call(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD }),
    ]
    for (const r of await Promise.all(attempts)) {
      expectError(r, 'locked')
      if (!r.ok) expect(r.error.message).toMatch(/signed by physician drbones .* locked\. Add an addendum/)
    }
    expect(await snapshot()).toEqual(before)

    // Even a program writing to the file directly cannot change or delete a signed note.
    const db = clinic.database.db
    await expect(db.updateTable('consultations').set({ pain_nrs: 0 }).where('id', '=', n.id).execute()).rejects.toThrow(/signed or entered in error/)
    await expect(db.deleteFrom('consultations').where('id', '=', n.id).execute()).rejects.toThrow(/never deleted/)
    await expect(db.updateTable('consultation_findings').set({ height_loss_percent: 0 }).execute()).rejects.toThrow(/signed or entered in error/)
    await expect(db.deleteFrom('consultation_findings').execute()).rejects.toThrow(/signed or entered in error/)
    await expect(db.updateTable('conservative_care_plans').set({ bracing: 'none' }).execute()).rejects.toThrow(/signed or entered in error/)
    await expect(db.updateTable('signatures').set({ content_hash: 'x' }).execute()).rejects.toThrow(/never changed/)
    await expect(db.deleteFrom('signatures').execute()).rejects.toThrow(/never deleted/)
    expect(await snapshot()).toEqual(before)
  })

  it('a signature no longer reads valid when the content no longer matches its hash', async () => {
    const n = await signed()
    // Simulate tampering that got past the triggers.
    await sql`DROP TRIGGER consultations_locked`.execute(clinic.database.db)
    await clinic.database.db.updateTable('consultations').set({ pain_nrs: 3 }).where('id', '=', n.id).execute()
    const after = await clinic.ok(doc, 'consultations.get', { id: n.id })
    expect(after.signing.signature!.valid).toBe(false)
  })

  it('only the note’s provider signs, and signs the version they read', async () => {
    const n = await fullDraft()
    const other = await clinic.as('physician', 'drother')
    expectError(await clinic.call(other, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD }), 'forbidden')
    expectError(await clinic.call(doc, 'consultations.sign', { id: n.id, version: n.version - 1, password: PASSWORD }), 'conflict')
    expect((await clinic.ok(doc, 'consultations.get', { id: n.id })).signing.status).toBe('draft')
  })

  it('a signed decision for a procedure becomes a request the front desk sees and books', async () => {
    const draft = await fullDraft()
    expect(await clinic.ok(desk, 'procedureRequests.list', {})).toEqual([])
    const n = await clinic.ok(doc, 'consultations.sign', { id: draft.id, version: draft.version, password: PASSWORD })
    const [req] = await clinic.ok(desk, 'procedureRequests.list', {})
    expect(req).toMatchObject({ consultationId: n.id, patientId, mrn: 'SC-000001', kind: 'kyphoplasty', levels: ['T12'], status: 'open', providerName: 'physician drbones' })
    expect(n.procedureRequest).toMatchObject({ id: req!.id, status: 'open' })
    await insertAppointmentRow(clinic.database.db, { id: 77, patientId, providerUsername: 'drbones', startsAt: '2026-12-07T15:00:00.000Z', minutes: 60 })
    await insertAppointmentRow(clinic.database.db, { id: 78, patientId, providerUsername: 'drbones', startsAt: '2026-12-08T15:00:00.000Z', minutes: 60 })
    const booked = await clinic.ok(desk, 'procedureRequests.markBooked', { id: req!.id, version: req!.version, appointmentId: 77 })
    expect(booked).toMatchObject({ status: 'booked', appointmentId: 77 })
    expect(await clinic.ok(desk, 'procedureRequests.list', {})).toEqual([])
    expectError(await clinic.call(desk, 'procedureRequests.markBooked', { id: req!.id, version: booked.version, appointmentId: 78 }), 'conflict')
  })

  it('a decision to continue conservative care creates no request', async () => {
    let n = await openNote()
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'continueConservative' } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    expect(await clinic.ok(desk, 'procedureRequests.list', {})).toEqual([])
  })
})

describe('addenda', () => {
  it('a correction is a dated, signed addendum by any physician; the note itself is unchanged', async () => {
    const n = await signed()
    const other = await clinic.as('physician', 'drother')
    await travel('2026-12-02T10:00:00.000Z', other)
    const a = await clinic.ok(other, 'consultations.addAddendum', { id: n.id, text: 'Correction: pain 7/10, not 8/10.', password: PASSWORD })
    expect(a.signing.addenda).toEqual([
      { id: expect.any(Number), text: 'Correction: pain 7/10, not 8/10.', authorId: expect.any(Number), authorName: 'physician drother', signedAt: '2026-12-02T10:00:00.000Z', contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ])
    expect(a.fields.painNrs).toBe(8)
    expect(a.signing).toMatchObject({ status: 'signed', signature: { valid: true } })
    await expect(clinic.database.db.updateTable('addenda').set({ text: 'edited' }).execute()).rejects.toThrow(/never changed/)
  })

  it('a draft takes no addendum, an empty one is refused, and the front desk cannot add one', async () => {
    const n = await openNote()
    expectError(await clinic.call(doc, 'consultations.addAddendum', { id: n.id, text: 'x', password: PASSWORD }), 'conflict')
    const s = await signed()
    expectError(await clinic.call(doc, 'consultations.addAddendum', { id: s.id, text: '   ', password: PASSWORD }), 'invalid_input', 'text')
    expectError(await clinic.call(desk, 'consultations.addAddendum', { id: s.id, text: 'hello', password: PASSWORD }), 'forbidden')
    expect((await clinic.ok(doc, 'consultations.get', { id: s.id })).signing.addenda).toEqual([])
  })
})

describe('entered in error', () => {
  it('marks the note with who and why; it stays readable, no longer reads Signed, and cancels its open request', async () => {
    const n = await signed()
    await travel('2026-12-01T09:00:00.000Z', doc, desk)
    const e = await clinic.ok(doc, 'consultations.markEnteredInError', { id: n.id, reason: 'Charted on the wrong patient' })
    expect(e.signing).toMatchObject({
      status: 'enteredInError',
      enteredInError: { markerName: 'physician drbones', markedAt: '2026-12-01T09:00:00.000Z', reason: 'Charted on the wrong patient' },
      signature: { valid: false },
    })
    const read = await clinic.ok(doc, 'consultations.get', { id: n.id })
    expect(read.fields.chiefComplaint).toBe('Sudden mid-back pain after lifting a grandchild')
    expect(read.signing.status).toBe('enteredInError')
    const chart = await clinic.ok(doc, 'chart.get', { patientId })
    const item = chart.timeline.find((i) => i.kind === 'consultation')!
    expect(item).toMatchObject({ status: 'Entered in error', enteredInError: true })
    expect(chart.timeline.map((i) => i.status)).not.toContain('Signed')
    expect(chart.spine.find((l) => l.level === 'T12')).toMatchObject({ findingCount: 0, proposed: false })
    expect(await clinic.ok(desk, 'procedureRequests.list', {})).toEqual([])
    const [cancelled] = await clinic.ok(desk, 'procedureRequests.list', { status: 'cancelled' })
    expect(cancelled!.cancelReason).toContain('Charted on the wrong patient')
    // and it is locked for good
    expectError(await clinic.call(doc, 'consultations.addAddendum', { id: n.id, text: 'late', password: PASSWORD }), 'locked')
    expectError(await clinic.call(doc, 'consultations.markEnteredInError', { id: n.id, reason: 'again' }), 'conflict')
  })

  it('a draft can be entered in error too, and then cannot be edited or signed', async () => {
    const n = await fullDraft()
    await clinic.ok(doc, 'consultations.markEnteredInError', { id: n.id, reason: 'Duplicate note' })
    expectError(await clinic.call(doc, 'consultations.save', { id: n.id, version: n.version, fields: fields() }), 'locked')
    expectError(await clinic.call(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD }), 'locked')
    expect((await clinic.ok(doc, 'consultations.get', { id: n.id })).signing).toMatchObject({ status: 'enteredInError', signature: null })
  })

  it('needs a reason, and only the provider or a manager may mark it', async () => {
    const n = await signed()
    expectError(await clinic.call(doc, 'consultations.markEnteredInError', { id: n.id, reason: '' }), 'invalid_input', 'reason')
    const other = await clinic.as('physician', 'drother')
    expectError(await clinic.call(other, 'consultations.markEnteredInError', { id: n.id, reason: 'not mine' }), 'forbidden')
    expectError(await clinic.call(desk, 'consultations.markEnteredInError', { id: n.id, reason: 'oops' }), 'forbidden')
    const manager = await clinic.as('manager', 'boss')
    const e = await clinic.ok(manager, 'consultations.markEnteredInError', { id: n.id, reason: 'Provider left; duplicate of note 2' })
    expect(e.signing.enteredInError).toMatchObject({ markerName: 'manager boss' })
  })
})

describe('who may see and do what', () => {
  it('the front desk sees the schedule lists and demographics, never a clinical note or the chart', async () => {
    const n = await signed()
    const before = await snapshot()
    for (const [channel, input] of [
      ['consultations.get', { id: n.id }],
      ['consultations.listForPatient', { patientId }],
      ['consultations.open', { patientId }],
      ['consultations.save', { id: n.id, version: n.version, fields: fields() }],
      ['consultations.sign', { id: n.id, version: n.version, password: PASSWORD }],
      ['chart.get', { patientId }],
      ['chart.updateHistory', { patientId, version: 0, history: {} }],
      ['care.recordOutcome', { planId: n.carePlan!.id, version: 0, outcome: 'failed', reason: 'x' }],
    ] as const) {
      const r = await clinic.router.call(desk, channel, input)
      expectError(r, 'forbidden')
    }
    const counts = (await snapshot()).counts
    expect({ ...counts, audit_log: 0 }).toEqual({ ...before.counts, audit_log: 0 })
    const denied = await clinic.database.db.selectFrom('audit_log').select('details').where('action', '=', 'access.denied').where('username', '=', 'desk').execute()
    expect(denied.map((d) => JSON.parse(d.details).channel)).toContain('consultations.get')
    // what the front desk does see
    expect((await clinic.ok(desk, 'patients.get', { id: patientId })).mrn).toBe('SC-000001')
    expect(await clinic.ok(desk, 'procedureRequests.list', {})).toHaveLength(1)
    expect(await clinic.ok(desk, 'care.dueReassessments', { through: '2027-02-01' })).toHaveLength(1)
  })

  it('a manager reads notes (audited) but writes none; an administrator sees no clinical data', async () => {
    const n = await signed()
    const manager = await clinic.as('manager', 'boss')
    expect((await clinic.ok(manager, 'consultations.get', { id: n.id })).id).toBe(n.id)
    expectError(await clinic.call(manager, 'consultations.open', { patientId }), 'forbidden')
    expectError(await clinic.call(manager, 'consultations.addAddendum', { id: n.id, text: 'x', password: PASSWORD }), 'forbidden')
    const admin = await clinic.as('admin', 'root2')
    expectError(await clinic.call(admin, 'consultations.get', { id: n.id }), 'forbidden')
    expectError(await clinic.call(admin, 'chart.get', { patientId }), 'forbidden')
    expectError(await clinic.call(newWindow(), 'consultations.get', { id: n.id }), 'unauthenticated')
  })

  it('every view of a clinical note is audited with who, which patient and which note', async () => {
    const n = await signed()
    const manager = await clinic.as('manager', 'boss')
    await clinic.ok(doc, 'consultations.get', { id: n.id })
    await clinic.ok(manager, 'consultations.get', { id: n.id })
    await clinic.ok(doc, 'chart.get', { patientId })
    await clinic.ok(doc, 'consultations.listForPatient', { patientId })
    const rows = await clinic.database.db
      .selectFrom('audit_log')
      .select(['action', 'username', 'entity_id', 'patient_id', 'workstation'])
      .where('action', 'in', ['consultation.view', 'chart.view', 'consultation.list'])
      .orderBy('id')
      .execute()
    expect(rows).toEqual([
      { action: 'consultation.view', username: 'drbones', entity_id: String(n.id), patient_id: patientId, workstation: 'test-ws' },
      { action: 'consultation.view', username: 'boss', entity_id: String(n.id), patient_id: patientId, workstation: 'test-ws' },
      { action: 'chart.view', username: 'drbones', entity_id: String(patientId), patient_id: patientId, workstation: 'test-ws' },
      { action: 'consultation.list', username: 'drbones', entity_id: String(patientId), patient_id: patientId, workstation: 'test-ws' },
    ])
  })
})

describe('bad input', () => {
  it('is refused naming the field, and leaves the database unchanged', async () => {
    const n = await fullDraft()
    const before = await snapshot()
    const v = n.version
    const cases: [Parameters<Clinic['router']['call']>[1], unknown, string][] = [
      ['consultations.save', { id: n.id, version: v, fields: fields({ painNrs: 11 }) }, 'fields.painNrs'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ painNrs: 4.5 }) }, 'fields.painNrs'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ odiAnswers: [1, 2, 3] }) }, 'fields.odiAnswers'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ odiAnswers: [6, 0, 0, 0, 0, 0, 0, 0, 0, 0] }) }, 'fields.odiAnswers.0'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ rmdqAnswers: [true] }) }, 'fields.rmdqAnswers'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ asaClass: 7 }) }, 'fields.asaClass'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ tScoreDate: null }) }, 'fields.tScoreDate'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ visitDate: '2026-02-30' }) }, 'fields.visitDate'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ visitDate: '2026-12-25' }) }, 'fields.visitDate'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ onsetDate: '2026-12-01' }) }, 'fields.onsetDate'],
      ['consultations.save', { id: n.id, version: v, fields: fields({ chiefComplaint: 'x'.repeat(501) }) }, 'fields.chiefComplaint'],
      ['consultations.saveFindings', { consultationId: n.id, version: v, findings: [T12, { ...T12 }] }, 'findings.1.level'],
      ['consultations.saveFindings', { consultationId: n.id, version: v, findings: [{ ...T12, level: 'T13' }] }, 'findings.0.level'],
      ['consultations.saveFindings', { consultationId: n.id, version: v, findings: [{ ...T12, heightLossPercent: 120 }] }, 'findings.0.heightLossPercent'],
      ['consultations.saveFindings', { consultationId: n.id, version: v, findings: [{ ...T12, acuity: 'old' }] }, 'findings.0.acuity'],
      ['consultations.saveFindings', { consultationId: n.id, version: v, findings: [{ ...T12, imagingDate: '2027-01-01' }] }, 'findings.0.imagingDate'],
      ['consultations.saveCarePlan', { consultationId: n.id, version: v, plan: { startDate: '2026-11-30' } }, 'plan.bracing'],
      ['consultations.saveCarePlan', { consultationId: n.id, version: v, plan: { bracing: 'TLSO', startDate: '2026-11-30', reassessmentDate: '2026-11-01' } }, 'plan.reassessmentDate'],
      ['consultations.saveDecision', { consultationId: n.id, version: v, decision: { decision: 'surgery' } }, 'decision.decision'],
      ['consultations.saveDecision', { consultationId: n.id, version: v, decision: { decision: 'kyphoplasty', levels: ['T12'], contraindications: ['bad'] } }, 'decision.contraindications.0'],
      ['consultations.open', { patientId: 9999 }, 'patientId'],
      ['consultations.open', { patientId: 'one' }, 'patientId'],
      ['consultations.sign', { id: n.id, password: PASSWORD }, 'version'],
      ['chart.updateHistory', { patientId, version: 0, history: { asaClass: 0 } }, 'history.asaClass'],
      ['chart.updateHistory', { patientId, version: 0, history: { dexaTScore: -2.5 } }, 'history.dexaDate'],
      ['chart.updateHistory', { patientId, version: 0, history: { dexaTScore: -2.5, dexaDate: '2027-05-01' } }, 'history.dexaDate'],
    ]
    for (const [channel, input, field] of cases) {
      const r = await clinic.router.call(doc, channel, input)
      expect(r.ok, `${channel} ${field}`).toBe(false)
      if (!r.ok) {
        expect(['invalid_input', 'not_found'], `${channel} ${field}: ${r.error.code} ${r.error.message}`).toContain(r.error.code)
        expect(Object.keys(r.error.fields ?? {}), `${channel} ${JSON.stringify(r.error)}`).toContain(field)
      }
    }
    const after = await snapshot()
    expect({ ...after, counts: { ...after.counts, audit_log: 0 } }).toEqual({ ...before, counts: { ...before.counts, audit_log: 0 } })
    expect(after.counts.audit_log).toBe(before.counts.audit_log)
  })
})
