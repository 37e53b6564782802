/**
 * Issue 17 point 7, the consultation's half, through the router on a real database (SQLite, and PostgreSQL where a
 * server is given): per finding the fracture cause, tenderness at the level and an intravertebral cleft; per note the
 * baseline leg neurology, osteoporosis treatment and a fracture-liaison referral. Saved, read back, signed (the
 * signed view holds them), shown on the chart; a bad value names its field and changes nothing; a note signed before
 * these fields existed keeps its signature.
 */
import { afterEach, describe, expect } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import { loadNote } from '../../electron/services/consultations/rows'
import { signedContent } from '../../electron/services/consultations/view'
import { verifyDatabase } from '../../electron/services/integrity'
import { canonicalJson, sha256 } from '../../electron/services/signing'
import { itEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic, type TestEngine } from './harness'

let clinic: Clinic | undefined
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
})

type Finding = NonNullable<ChannelInput<'consultations.saveNote'>['findings']>[number]
const finding = (level: Finding['level'], over: Partial<Finding> = {}): Finding => ({
  level,
  modality: 'mri',
  imagingDate: '2026-11-20',
  acuity: 'subacute',
  marrowOedema: true,
  heightLossPercent: 30,
  retropulsion: false,
  canalCompromise: false,
  fractureType: 'wedge',
  notes: '',
  ...over,
})

/** A clinic with a physician and one patient; the clinic's today is 2026-11-30. */
async function start(engine: TestEngine) {
  clinic = await openClinic({ engine })
  const doc = await clinic.as('physician', 'drvance')
  const desk = await clinic.as('frontDesk', 'desk')
  const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
  return { c: clinic, doc, patientId }
}

const EXAM = {
  visitDate: '2026-11-30',
  chiefComplaint: 'Mid-back pain',
  painNrs: 7,
  neuroExam: 'abnormal',
  neuroExamDetails: 'Right EHL 4/5, reduced sensation L5 dermatome, reflexes symmetrical',
  osteoporosisTreatment: 'startedToday',
  flsReferred: true,
  flsReferralDate: '2026-11-30',
} as const

describe('consultation exam and bone-health fields through the router', () => {
  itEachEngine('are saved, read back, signed and shown on the chart (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    // a new note records nothing yet: "not recorded", not a guess
    expect(n.fields).toMatchObject({ neuroExam: null, neuroExamDetails: '', osteoporosisTreatment: null, flsReferred: false, flsReferralDate: null })
    n = await c.ok(doc, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      fields: EXAM,
      findings: [
        finding('T12', { fractureCause: 'tumour', tenderness: 'yes', intravertebralCleft: 'yes' }),
        finding('L1', { fractureCause: 'osteoporotic', tenderness: 'notExamined', intravertebralCleft: 'notAssessed' }),
        finding('L2'),
      ],
    })
    const read = await c.ok(doc, 'consultations.get', { id: n.id })
    expect(read.fields).toMatchObject(EXAM)
    expect(read.findings.map((f) => [f.level, f.fractureCause, f.tenderness, f.intravertebralCleft])).toEqual([
      ['T12', 'tumour', 'yes', 'yes'],
      ['L1', 'osteoporotic', 'notExamined', 'notAssessed'],
      ['L2', null, null, null],
    ])

    const signed = await c.ok(doc, 'consultations.sign', { id: n.id, version: read.version, password: PASSWORD })
    expect(signed.signing).toMatchObject({ status: 'signed', signature: { valid: true } })
    expect(signed.fields).toMatchObject(EXAM)
    expect(signed.findings[0]).toMatchObject({ level: 'T12', fractureCause: 'tumour', tenderness: 'yes', intravertebralCleft: 'yes' })
    // the signature binds them: the stored snapshot holds the new facts
    const sig = await c.database.db.selectFrom('signatures').select('content').where('record_type', '=', 'consultation').where('record_id', '=', n.id).executeTakeFirstOrThrow()
    const content = JSON.parse(sig.content) as { fields: Record<string, unknown>; findings: Record<string, unknown>[] }
    expect(content.fields).toMatchObject({ neuroExam: 'abnormal', osteoporosisTreatment: 'startedToday', flsReferred: true, flsReferralDate: '2026-11-30' })
    expect(content.findings[0]).toMatchObject({ fractureCause: 'tumour', tenderness: 'yes', intravertebralCleft: 'yes' })
    // and the database refuses to change them on the signed note (0003's whole-row lock covers the new columns)
    await expect(c.database.db.updateTable('consultations').set({ neuro_exam: 'normal' }).where('id', '=', n.id).execute()).rejects.toThrow(/signed or entered in error/)
    await expect(c.database.db.updateTable('consultation_findings').set({ fracture_cause: 'osteoporotic' }).where('consultation_id', '=', n.id).execute()).rejects.toThrow(/signed or entered in error/)

    // the chart: the level's findings carry the cause and the examination, the spine's latest finding the cause
    const chart = await c.ok(doc, 'chart.get', { patientId })
    const t12 = chart.spine.find((l) => l.level === 'T12')!
    expect(t12.latest).toMatchObject({ fractureCause: 'tumour' })
    expect(t12.findings[0]).toMatchObject({ fractureCause: 'tumour', tenderness: 'yes', intravertebralCleft: 'yes' })
    expect(chart.spine.find((l) => l.level === 'L2')!.latest).toMatchObject({ fractureCause: null })
  })

  itEachEngine('a bad value names its field and changes nothing (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { ...EXAM, neuroExam: 'normal', neuroExamDetails: '' }, findings: [finding('T12', { fractureCause: 'trauma' })] })
    const db = c.database.db
    const rows = async () => ({
      note: await db.selectFrom('consultations').selectAll().where('id', '=', n.id).executeTakeFirstOrThrow(),
      findings: await db.selectFrom('consultation_findings').selectAll().where('consultation_id', '=', n.id).orderBy('id').execute(),
    })
    const before = await rows()

    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ fields: { ...EXAM, neuroExamDetails: '   ' } }, 'fields.neuroExamDetails', /required when the neurological exam is abnormal/],
      [{ fields: { ...EXAM, neuroExam: 'weak' } }, 'fields.neuroExam', /normal, abnormal or not examined/],
      [{ fields: { ...EXAM, osteoporosisTreatment: 'maybe' } }, 'fields.osteoporosisTreatment', /already on treatment, started today/],
      [{ fields: { ...EXAM, flsReferralDate: null } }, 'fields.flsReferralDate', /required with a fracture liaison referral/],
      [{ fields: { ...EXAM, flsReferred: false } }, 'fields.flsReferralDate', /only goes with a fracture liaison referral/],
      // the service's check against the clinic's own today (2026-11-30), with a valid finding saved alongside
      [{ fields: { ...EXAM, flsReferralDate: '2026-12-01' }, findings: [finding('L1')] }, 'fields.flsReferralDate', /cannot be in the future/],
      [{ findings: [finding('T12', { fractureCause: 'infection' as never })] }, 'findings.0.fractureCause', /osteoporotic, tumour, trauma or unknown/],
      [{ findings: [finding('T12', { tenderness: true as never })] }, 'findings.0.tenderness', /yes, no or not examined/],
      [{ findings: [finding('T12', { intravertebralCleft: 'maybe' as never })] }, 'findings.0.intravertebralCleft', /yes, no or not assessed/],
    ]
    for (const [parts, field, message] of refusals) {
      const r = await c.call(doc, 'consultations.saveNote', { id: n.id, version: n.version, ...parts } as ChannelInput<'consultations.saveNote'>)
      expect(r, field).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { [field]: expect.stringMatching(message) } } })
    }
    expect(await rows()).toEqual(before)
    // a description with a normal exam is kept (e.g. "power 5/5"), and "not examined" needs none
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { ...EXAM, neuroExam: 'notExamined', neuroExamDetails: '' } })
    expect(n.fields).toMatchObject({ neuroExam: 'notExamined', neuroExamDetails: '' })
  })

  itEachEngine('a note signed before these fields existed keeps its signature and reads "not recorded" (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { visitDate: '2026-11-30', chiefComplaint: 'Mid-back pain', painNrs: 8 }, findings: [finding('T12')] })
    // the content the app signed before this change: none of the new keys, in the fields or the findings
    const db = c.database.db
    const current = (await signedContent(db, await loadNote(db, n.id))) as { fields: Record<string, unknown>; findings: Record<string, unknown>[] }
    const { neuroExam: _a, neuroExamDetails: _b, osteoporosisTreatment: _c, flsReferred: _d, flsReferralDate: _e, ...oldFields } = current.fields
    const oldFindings = current.findings.map(({ fractureCause: _f, tenderness: _t, intravertebralCleft: _i, ...f }) => f)
    const content = canonicalJson({ ...current, fields: oldFields, findings: oldFindings })
    expect(content).not.toContain('neuroExam')
    expect(content).not.toContain('fractureCause')
    const user = await db.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'drvance').executeTakeFirstOrThrow()
    await db
      .insertInto('signatures')
      .values({ record_type: 'consultation', record_id: n.id, patient_id: patientId, signed_by: user.id, signer_name: user.display_name, signed_at: '2026-06-01T15:00:00.000Z', content_hash: sha256(content), content })
      .execute()

    const read = await c.ok(doc, 'consultations.get', { id: n.id })
    expect(read.signing).toMatchObject({ status: 'signed', signature: { valid: true, contentHash: sha256(content) } })
    expect(read.fields).toMatchObject({ neuroExam: null, osteoporosisTreatment: null, flsReferred: false, flsReferralDate: null })
    expect(read.findings[0]).toMatchObject({ fractureCause: null, tenderness: null, intravertebralCleft: null })
    const report = await verifyDatabase(c.database)
    expect(report.checks.filter((x) => !x.ok)).toEqual([])
  })
})
