/**
 * Issue 17, points 4 and 5, through the router on a real database (SQLite, and PostgreSQL where a server is given):
 * coverage readiness as LCD L33569 writes it (imaging per proposed level, care in the current fracture episode that
 * has lasted, the severity criteria with the pain trend and kyphotic angle, the contraindication review with who and
 * when, each point naming its criterion) and the contraindication suggestions from what the chart holds. Notes
 * that hold the old combined cement-or-contrast allergy still read, and a note signed before the change still
 * verifies.
 */
import { join } from 'node:path'
import { afterEach, describe, expect } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import type { ConsultationView } from '../../shared/schemas/consultations'
import { loadNote } from '../../electron/services/consultations/rows'
import { signedContent } from '../../electron/services/consultations/view'
import { verifyDatabase } from '../../electron/services/integrity'
import { canonicalJson, sha256 } from '../../electron/services/signing'
import { admin } from './cliHarness'
import { itEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, tableCounts, type Clinic, type TestEngine } from './harness'

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

/** A clinic with a physician, the front desk and one patient; the clinic's today is 2026-11-30. */
async function start(engine: TestEngine) {
  clinic = await openClinic({ engine })
  const doc = await clinic.as('physician', 'drvance')
  const desk = await clinic.as('frontDesk', 'desk')
  const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
  return { c: clinic, doc, desk, patientId }
}

const byKey = (v: ConsultationView) => Object.fromEntries(v.coverage.items.map((i) => [i.key, i]))

describe('coverage readiness (LCD L33569) through the router', () => {
  itEachEngine('imaging is judged per proposed level; X-ray alone and CT without an MRI contraindication do not confirm (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    n = await c.ok(doc, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      fields: { visitDate: '2026-11-30', onsetDate: '2026-11-10', painNrs: 7 },
      findings: [finding('T12'), finding('L1', { modality: 'xray', acuity: 'acute', marrowOedema: null }), finding('L2', { modality: 'ct', acuity: 'acute', marrowOedema: null })],
      decision: { decision: 'kyphoplasty', levels: ['T12'] },
    })
    expect(byKey(n).imagingConfirmedFracture).toMatchObject({ met: true, evidence: 'T12 subacute on MRI 2026-11-20 with marrow oedema', source: expect.stringContaining('LCD L33569') })

    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12', 'L1', 'L2'] } })
    const imaging = byKey(n).imagingConfirmedFracture!
    expect(imaging.met).toBe(false)
    expect(imaging.evidence).toContain('L1 acute on X-ray 2026-11-20: an X-ray does not confirm acuity')
    expect(imaging.evidence).toContain('L2 acute on CT 2026-11-20: CT counts only where MRI is contraindicated')
    expect(imaging.missing).toBe('confirm L1, L2 with MRI showing marrow oedema (STIR), or CT / bone scan if MRI is contraindicated')

    // MRI contraindicated: the CT confirms L2; the X-ray still confirms nothing
    const fields = { ...n.fields, mriContraindicated: true }
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields })
    expect(n.fields.mriContraindicated).toBe(true)
    expect(byKey(n).imagingConfirmedFracture!.missing).toBe('confirm L1 with MRI showing marrow oedema (STIR), CT or a bone scan')
  })

  itEachEngine('care counts for the current fracture only, and care started today is not "pain despite care" (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    // an old T8 fracture, braced in 2025, signed
    let old = await c.ok(doc, 'consultations.open', { patientId, visitDate: '2025-03-03' })
    old = await c.ok(doc, 'consultations.saveNote', {
      id: old.id,
      version: old.version,
      fields: { visitDate: '2025-03-03', painNrs: 6 },
      findings: [finding('T8', { imagingDate: '2025-03-01', acuity: 'acute' })],
      plan: { bracing: 'TLSO', startDate: '2025-03-03' },
    })
    await c.ok(doc, 'consultations.sign', { id: old.id, version: old.version, password: PASSWORD })

    // today's new L1 fracture, found at this consultation (no onset recorded), bracing from today
    let n = await c.ok(doc, 'consultations.open', { patientId })
    n = await c.ok(doc, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      fields: { visitDate: '2026-11-30', painNrs: 8 },
      findings: [finding('L1', { acuity: 'acute' })],
      plan: { bracing: 'TLSO', startDate: '2026-11-30' },
    })
    expect(n.coverage.episodeStart).toEqual({ date: '2026-11-30', from: 'consultation' })
    expect(n.coverage.conservativeWeeks).toBe(0)
    const r = byKey(n)
    expect(r.conservativeCareDuration!.evidence).toContain('1 earlier plan before this fracture not counted')
    expect(r.painDespiteCare).toMatchObject({ met: false, missing: 'the care started 2026-11-30: pain despite care needs care that has lasted at least 7 days (from 2026-12-07)' })

    // the physician records the onset three weeks back and that bracing began at the emergency visit then
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { ...n.fields, onsetDate: '2026-11-09' }, plan: { bracing: 'TLSO', startDate: '2026-11-10' } })
    expect(n.coverage.episodeStart).toEqual({ date: '2026-11-09', from: 'onset' })
    expect(byKey(n).painDespiteCare!.met).toBe(true)
    expect(n.coverage.conservativeWeeks).toBe(2)
  })

  itEachEngine('the severity criteria: worsening pain, or pain 5+ with two of height loss > 25 %, kyphosis, RMDQ > 17 (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    const rmdq18 = Array.from({ length: 24 }, (_, i) => i < 18)
    n = await c.ok(doc, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      fields: { visitDate: '2026-11-30', painNrs: 6, painTrend: 'stable', kyphoticAngle: 14.5, rmdqAnswers: rmdq18 },
      findings: [finding('L1', { heightLossPercent: 25 })],
      decision: { decision: 'vertebroplasty', levels: ['L1'] },
    })
    expect(n.fields).toMatchObject({ painTrend: 'stable', kyphoticAngle: 14.5 })
    expect(byKey(n).severityCriteria).toMatchObject({ met: false, evidence: expect.stringContaining('1 of the criteria met') })
    // a 15° kyphosis makes two
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { ...n.fields, kyphoticAngle: 15 } })
    expect(byKey(n).severityCriteria!.met).toBe(true)
    // worsening pain qualifies on its own
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { ...n.fields, kyphoticAngle: null, rmdqAnswers: null, painTrend: 'worsening' } })
    expect(byKey(n).severityCriteria).toMatchObject({ met: true, evidence: 'pain worsening (qualifies on its own)' })
    expect(byKey(n).severityCriteria!.source).toContain('RDQ over 17')

    // bad values are refused naming the field, and change nothing
    const before = await tableCounts(c.database)
    const row = await c.database.db.selectFrom('consultations').selectAll().where('id', '=', n.id).executeTakeFirstOrThrow()
    for (const [over, field] of [
      [{ kyphoticAngle: 90.5 }, 'fields.kyphoticAngle'],
      [{ painTrend: 'better' }, 'fields.painTrend'],
      [{ mriContraindicated: 'perhaps' }, 'fields.mriContraindicated'],
    ] as const) {
      const r = await c.call(doc, 'consultations.saveNote', { id: n.id, version: n.version, fields: { ...n.fields, ...over } as never })
      expect(r.ok).toBe(false)
      if (!r.ok) expect(Object.keys(r.error.fields ?? {}), JSON.stringify(r.error)).toContain(field)
    }
    expect(await tableCounts(c.database)).toEqual(before)
    expect(await c.database.db.selectFrom('consultations').selectAll().where('id', '=', n.id).executeTakeFirstOrThrow()).toEqual(row)
  })

  itEachEngine('the contraindication review is recorded with who and when, and cleared when unticked (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    expect(byKey(n).contraindicationsReviewed).toMatchObject({ met: false, evidence: 'not recorded' })
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { decision: 'continueConservative', contraindicationsReviewed: true } })
    expect(n.decision.contraindicationsReviewed).toBe(true)
    expect(n.contraindicationsReview).toEqual({ byName: 'physician drvance', at: '2026-11-30T14:00:00.000Z' })
    expect(byKey(n).contraindicationsReviewed).toMatchObject({ met: true, evidence: expect.stringMatching(/^reviewed by physician drvance at 2026-11-30 /) })
    const audit = await c.database.db.selectFrom('audit_log').select('details').where('action', '=', 'consultation.decision').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details)).toMatchObject({ contraindicationsReviewed: true })

    // an hour later the decision's reasons change but not the checklist: the review keeps its time
    c.clock.now = new Date('2026-11-30T15:00:00.000Z')
    await c.ok(doc, 'session.unlock', { password: PASSWORD })
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { ...n.decision, reason: 'Brace first' } })
    expect(n.contraindicationsReview!.at).toBe('2026-11-30T14:00:00.000Z')
    // ticking an item changes what was reviewed: stamped again
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { ...n.decision, contraindications: ['spinalInstability'] } })
    expect(n.contraindicationsReview!.at).toBe('2026-11-30T15:00:00.000Z')
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { ...n.decision, contraindicationsReviewed: false } })
    expect(n.contraindicationsReview).toBeNull()
    const row = await c.database.db.selectFrom('consultations').select(['contraindications_reviewed', 'contraindications_reviewed_by', 'contraindications_reviewed_at']).where('id', '=', n.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ contraindications_reviewed: 0, contraindications_reviewed_by: null, contraindications_reviewed_at: null })
  })
})

describe('contraindication suggestions from what the chart holds', () => {
  itEachEngine('anticoagulants, separate cement and contrast allergies, retropulsion only at proposed levels, vertebra plana, level warnings (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    await c.ok(doc, 'chart.updateHistory', { patientId, version: 0, history: { allergyCement: true, anticoagulants: 'apixaban 5 mg twice daily', antiplatelets: 'aspirin 81 mg' } })
    let n = await c.ok(doc, 'consultations.open', { patientId })
    n = await c.ok(doc, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      findings: [finding('T12', { retropulsion: true }), finding('L1', { heightLossPercent: 71 }), finding('L3', { acuity: 'chronic' })],
      decision: { decision: 'kyphoplasty', levels: ['L1'] },
    })
    expect(n.contraindicationSuggestions.map((s) => s.item)).toEqual(['cementAllergy', 'bleedingRisk', 'vertebraPlana'])
    expect(n.contraindicationSuggestions.find((s) => s.item === 'bleedingRisk')!.because).toBe('the patient record lists anticoagulant: apixaban 5 mg twice daily; antiplatelet: aspirin 81 mg')
    expect(n.contraindicationSuggestions.find((s) => s.item === 'vertebraPlana')!.source).toContain('Diagnostics 2023')
    expect(n.levelWarnings).toEqual([])

    // T12 (retropulsed) and L3 (chronic only) and C7 (nothing) proposed too
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['C7', 'T12', 'L1', 'L3'] } })
    expect(n.contraindicationSuggestions.map((s) => s.item)).toEqual(['cementAllergy', 'bleedingRisk', 'neurologicalCompromiseOrRetropulsion', 'moreThanThreeLevels', 'vertebraPlana'])
    expect(n.levelWarnings.map((w) => w.because)).toEqual(['C7 is outside T1 to L5', 'no imaging finding is recorded at C7', 'no acute or subacute finding at L3 (chronic)'])

    // the contrast allergy is its own item
    await c.ok(doc, 'chart.updateHistory', { patientId, version: 1, history: { allergyContrast: true } })
    n = await c.ok(doc, 'consultations.get', { id: n.id })
    expect(n.contraindicationSuggestions.map((s) => s.item)).toEqual(['contrastAllergy', 'neurologicalCompromiseOrRetropulsion', 'moreThanThreeLevels', 'vertebraPlana'])
  })
})

describe('the old combined cement-or-contrast allergy item', () => {
  itEachEngine('a draft holding it still reads and re-saves; a note cannot take it anew, and the refusal changes nothing (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { decision: 'vertebroplasty', levels: ['L1'] } })
    // as the app wrote it before the two allergies were separate items
    await c.database.db.updateTable('consultations').set({ contraindications: JSON.stringify(['cementOrContrastAllergy', 'spinalInstability']) }).where('id', '=', n.id).execute()
    n = await c.ok(doc, 'consultations.get', { id: n.id })
    expect(n.decision.contraindications).toEqual(['cementOrContrastAllergy', 'spinalInstability'])
    n = await c.ok(doc, 'consultations.saveNote', { id: n.id, version: n.version, decision: { ...n.decision, reason: 'Pain despite bracing' } })
    expect(n.decision.contraindications).toEqual(['spinalInstability', 'cementOrContrastAllergy'])

    let other = await c.ok(doc, 'consultations.open', { patientId })
    other = await c.ok(doc, 'consultations.saveNote', { id: other.id, version: other.version, fields: { visitDate: '2026-11-30', chiefComplaint: 'Second opinion' } })
    const before = await c.database.db.selectFrom('consultations').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow()
    const r = await c.call(doc, 'consultations.saveNote', { id: other.id, version: other.version, fields: { ...other.fields, painNrs: 6 }, decision: { decision: 'vertebroplasty', levels: ['L1'], contraindications: ['cementOrContrastAllergy'] } })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { 'decision.contraindications': expect.stringContaining('no longer offered') } } })
    expect(await c.database.db.selectFrom('consultations').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow()).toEqual(before)
  })

  itEachEngine('a note signed before the change keeps its signature, shows the item, and the database verifies (%s)', async (engine) => {
    const { c, doc, patientId } = await start(engine)
    let n = await c.ok(doc, 'consultations.open', { patientId })
    n = await c.ok(doc, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      fields: { visitDate: '2026-11-30', chiefComplaint: 'Mid-back pain', painNrs: 8 },
      findings: [finding('T12')],
      decision: { decision: 'kyphoplasty', levels: ['T12'], reason: 'Failed bracing' },
    })
    await c.database.db.updateTable('consultations').set({ contraindications: JSON.stringify(['cementOrContrastAllergy']) }).where('id', '=', n.id).execute()
    // the content the app signed before this change: no pain trend, kyphotic angle, MRI contraindication or review
    const db = c.database.db
    const current = (await signedContent(db, await loadNote(db, n.id))) as { fields: Record<string, unknown>; decision: Record<string, unknown> }
    const { painTrend: _t, kyphoticAngle: _k, mriContraindicated: _m, ...oldFields } = current.fields
    const { contraindicationsReviewed: _r, ...oldDecision } = current.decision
    const content = canonicalJson({ ...current, fields: oldFields, decision: oldDecision })
    expect(content).toContain('"contraindications":["cementOrContrastAllergy"]')
    const user = await db.selectFrom('users').select(['id', 'display_name']).where('username', '=', 'drvance').executeTakeFirstOrThrow()
    await db
      .insertInto('signatures')
      .values({ record_type: 'consultation', record_id: n.id, patient_id: patientId, signed_by: user.id, signer_name: user.display_name, signed_at: '2026-06-01T15:00:00.000Z', content_hash: sha256(content), content })
      .execute()

    const read = await c.ok(doc, 'consultations.get', { id: n.id })
    expect(read.signing).toMatchObject({ status: 'signed', signature: { valid: true, contentHash: sha256(content) } })
    expect(read.decision.contraindications).toEqual(['cementOrContrastAllergy'])
    expect(read.fields).toMatchObject({ painTrend: null, kyphoticAngle: null, mriContraindicated: false })
    // the stored snapshot was never rewritten
    const sig = await db.selectFrom('signatures').select(['content', 'content_hash']).where('record_id', '=', n.id).executeTakeFirstOrThrow()
    expect(sig).toEqual({ content, content_hash: sha256(content) })

    const report = await verifyDatabase(c.database)
    expect(report.checks.filter((x) => !x.ok)).toEqual([])
    if (engine === 'sqlite') {
      const r = await admin(['verify', '--db', join(c.dir, 'clinic.sqlite')])
      expect(r.code, r.out).toBe(0)
      expect(r.out).toMatch(/OK +signed records \(current content\): 1 signed record/)
    }
  })
})
