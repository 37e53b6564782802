/**
 * Saving a consultation note is one call (consultations.saveNote): the parts that changed (fields, findings,
 * care plan, decision) in one transaction with one version bump. A refusal in any part leaves the note exactly
 * as it was, so the editor never has a half-saved note to repair.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import type { ConsultationView } from '../../shared/schemas/consultations'
import { openClinic, PASSWORD, SAMPLE_PATIENT, tableCounts, type Clinic } from './harness'

let clinic: Clinic
let doc: string
let patientId: number

type SaveNote = ChannelInput<'consultations.saveNote'>

const FIELDS: NonNullable<SaveNote['fields']> = {
  visitDate: '2026-11-30',
  chiefComplaint: 'Sudden mid-back pain after lifting a grandchild',
  onsetDate: '2026-11-02',
  mechanism: 'Lifting',
  trauma: false,
  history: '',
  medications: 'Paracetamol 1 g qds',
  osteoporosis: true,
  steroidUse: false,
  priorFractures: '',
  asaClass: 2,
  tScore: -2.8,
  tScoreDate: '2026-06-01',
  hospitalized: false,
  painNrs: 8,
  odiAnswers: null,
  rmdqAnswers: null,
  examination: 'Tender over T12',
  assessment: 'Subacute T12 osteoporotic compression fracture',
  plan: '',
  boneDensityReferred: true,
  osteoporosisEducation: true,
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

const PLAN = { bracing: 'TLSO brace', painMedication: 'Paracetamol', otherMeasures: '', startDate: '2026-11-30', reassessmentDate: null }
const DECISION = { decision: 'kyphoplasty' as const, levels: ['T12' as const], reason: 'Failed conservative care', contraindications: [], overrideReason: '' }

/** The note as stored, its parts, and every table's count: "unchanged" means these are equal. */
async function stored(id: number) {
  const db = clinic.database.db
  return {
    counts: await tableCounts(clinic.database),
    note: await db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    findings: await db.selectFrom('consultation_findings').selectAll().where('consultation_id', '=', id).orderBy('id').execute(),
    plans: await db.selectFrom('conservative_care_plans').selectAll().where('consultation_id', '=', id).execute(),
  }
}

async function openNote(): Promise<ConsultationView> {
  return clinic.ok(doc, 'consultations.open', { patientId })
}

beforeEach(async () => {
  clinic = await openClinic()
  doc = await clinic.as('physician', 'drbones')
  const desk = await clinic.as('frontDesk', 'desk')
  patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
})
afterEach(async () => clinic?.close())

describe('saving a consultation note in one call', () => {
  it('saves every part named, with one version bump and each part’s audit row', async () => {
    const n = await openNote()
    const v = await clinic.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: FIELDS, findings: [T12], plan: PLAN, decision: DECISION })
    expect(v.version).toBe(n.version + 1)
    expect(v.fields).toMatchObject({ chiefComplaint: FIELDS.chiefComplaint, painNrs: 8, tScore: -2.8 })
    expect(v.findings).toMatchObject([{ level: 'T12', heightLossPercent: 32, genantGrade: 2 }])
    expect(v.carePlan).toMatchObject({ bracing: 'TLSO brace', reassessmentDate: '2027-01-11' })
    expect(v.decision).toMatchObject({ decision: 'kyphoplasty', levels: ['T12'] })
    // what the physician sees on opening it again is what was saved
    const again = await clinic.ok(doc, 'consultations.get', { id: n.id })
    expect({ ...again, signing: undefined }).toMatchObject({ ...v, signing: undefined })

    const audit = await clinic.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(n.id)).where('action', 'like', 'consultation.%').orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['consultation.create', 'consultation.update', 'consultation.findings', 'consultation.decision', 'consultation.view'])
    const care = await clinic.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'care.%').execute()
    expect(care.map((a) => a.action)).toEqual(['care.create'])
  })

  it('saves only the parts named: a later save of the decision leaves the findings and plan as they were', async () => {
    const n = await openNote()
    const first = await clinic.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: FIELDS, findings: [T12], plan: PLAN })
    const second = await clinic.ok(doc, 'consultations.saveNote', { id: n.id, version: first.version, decision: DECISION })
    expect(second.version).toBe(first.version + 1)
    expect(second.findings).toEqual(first.findings)
    expect(second.carePlan).toEqual(first.carePlan)
    // null removes the plan
    const third = await clinic.ok(doc, 'consultations.saveNote', { id: n.id, version: second.version, plan: null })
    expect(third.carePlan).toBeNull()
  })

  it('a stale version saves nothing and names the version', async () => {
    const n = await openNote()
    const saved = await clinic.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: FIELDS })
    const before = await stored(n.id)
    // another window still holds the version it opened
    const r = await clinic.call(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { ...FIELDS, chiefComplaint: 'Overwritten?' }, findings: [T12], plan: PLAN })
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', fields: { version: 'is out of date' } } })
    expect(await stored(n.id)).toEqual(before)
    expect((await clinic.ok(doc, 'consultations.get', { id: n.id })).fields.chiefComplaint).toBe(saved.fields.chiefComplaint)
  })

  it('when a later part is refused (a finding imaged tomorrow), the parts before it are not saved either, and the error names the field', async () => {
    const n = await openNote()
    const before = await stored(n.id)
    const r = await clinic.call(doc, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      fields: { ...FIELDS, chiefComplaint: 'Saved before the refusal?' },
      findings: [T12, { ...T12, level: 'L1', imagingDate: '2026-12-01' }],
      decision: DECISION,
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('invalid_input')
    expect(r.error.fields).toEqual({ 'findings.1.imagingDate': 'cannot be in the future (today is 2026-11-30)' })
    // the sentence names the field as the screen does, never by its path
    expect(r.error.message).toBe('Please correct: Finding 2, imaging date cannot be in the future (today is 2026-11-30).')
    // the note is unchanged: not its fields, not its version, no finding, no audit row of a change
    expect(await stored(n.id)).toEqual(before)
    const view = await clinic.ok(doc, 'consultations.get', { id: n.id })
    expect(view.version).toBe(n.version)
    expect(view.fields.chiefComplaint).toBe('')
  })

  it('refuses a call that names no part, and another physician’s or a signed note, writing nothing', async () => {
    const n = await openNote()
    const empty = await clinic.call(doc, 'consultations.saveNote', { id: n.id, version: n.version } as SaveNote)
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    if (!empty.ok) expect(Object.keys(empty.error.fields ?? {})).toEqual(['fields'])

    const other = await clinic.as('physician', 'drother')
    const before = await stored(n.id)
    expect(await clinic.call(other, 'consultations.saveNote', { id: n.id, version: n.version, fields: FIELDS })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await stored(n.id)).toEqual(before)

    const saved = await clinic.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: FIELDS })
    const signed = await clinic.ok(doc, 'consultations.sign', { id: n.id, version: saved.version, password: PASSWORD })
    const locked = await stored(n.id)
    expect(await clinic.call(doc, 'consultations.saveNote', { id: n.id, version: signed.version, decision: DECISION })).toMatchObject({ ok: false, error: { code: 'locked' } })
    expect(await stored(n.id)).toEqual(locked)
  })
})
