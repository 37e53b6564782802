/**
 * Issue 17 point 7, the procedure note and follow-up half, through the router on each engine: the per-level
 * cement lot, device identifiers, kyphotic angle after and biopsy; the leak locations (new notes) beside the old
 * classification (old notes keep it, signed ones still verify); biopsy results appended to a signed note; the
 * Roland-Morris questionnaire at a follow-up visit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import type { ProcedureView } from '../../shared/schemas/procedures'
import { canonicalJson, sha256 } from '../../electron/services/signing'
import { verifyDatabase } from '../../electron/services/integrity'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic, expectError } from './harness'

type LevelInput = ChannelInput<'procedures.save'>['levels'][number]

const T12: LevelInput = {
  level: 'T12',
  approach: 'bipedicular',
  needleGauge: 11,
  balloonVolumeMl: 3.2,
  balloonPressurePsi: 220,
  cementType: 'PMMA',
  cementVolumeMl: 4.5,
  leakage: ['epidural', 'venous'],
  leakageSymptomatic: true,
  cementLot: 'KX-2291-B',
  deviceIds: 'Kit lot 44817\n(01)00643169007222(17)281231(10)A1B2',
  kyphoticAngleAfter: 9.5,
  biopsyTaken: true,
}
const L1: LevelInput = { level: 'L1', approach: 'unipedicular', needleGauge: 11, balloonVolumeMl: 2.8, balloonPressurePsi: 180, cementType: 'PMMA', cementVolumeMl: 3.5, leakage: ['none'], biopsyTaken: false }

const FIELDS = {
  kind: 'kyphoplasty' as const,
  procedureDate: '2026-11-30',
  anaesthesia: 'moderateSedation' as const,
  startedAt: '2026-11-30T12:30:00Z',
  endedAt: '2026-11-30T13:05:00Z',
}

describeEachEngine('procedure level details on %s', (engine) => {
  let clinic: Clinic
  let doc: string
  let desk: string
  let patientId: number

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    doc = await clinic.as('physician', 'drbones')
    desk = await clinic.as('frontDesk', 'desk')
    patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
  })
  afterEach(async () => clinic?.close())

  /** A signed consultation (kyphotic angle 22°) deciding kyphoplasty at T12 and L1, and the note opened for it. */
  async function openNote(): Promise<ProcedureView> {
    let n = await clinic.ok(doc, 'consultations.open', { patientId })
    n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: n.fields.visitDate, chiefComplaint: 'Back pain', painNrs: 7, kyphoticAngle: 22 } })
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12', 'L1'], reason: 'Failed conservative care' } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    return clinic.ok(doc, 'procedures.open', { patientId })
  }

  /** Days later: the windows left open lock when idle; their users unlock them. */
  async function at(iso: string, windows: string[]) {
    clinic.clock.now = new Date(iso)
    for (const w of windows) await clinic.ok(w, 'session.unlock', { password: PASSWORD })
  }

  const levelsRows = () => clinic.database.db.selectFrom('procedure_levels').selectAll().orderBy('id').execute()

  it('saves and reads back each level’s lot, devices, angle after (beside the consultation’s angle before) and biopsy', async () => {
    let p = await openNote()
    p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12, { ...L1, kyphoticAngleAfter: -90 }] })
    expect(p.kyphoticAngleBefore).toBe(22)
    expect(p.levels[0]).toMatchObject({ level: 'T12', cementLot: 'KX-2291-B', deviceIds: T12.deviceIds, kyphoticAngleAfter: 9.5, biopsyTaken: true, leakage: ['epidural', 'venous'], leakageSymptomatic: true })
    expect(p.levels[1]).toMatchObject({ level: 'L1', cementLot: '', deviceIds: '', kyphoticAngleAfter: -90, biopsyTaken: false, leakage: ['none'] })
    // the boundary the other way, and every new location
    p = await clinic.ok(doc, 'procedures.save', {
      id: p.id,
      version: p.version,
      fields: FIELDS,
      levels: [{ ...T12, kyphoticAngleAfter: 90, leakage: ['epidural', 'foraminal', 'paravertebral', 'venous', 'disc'] }, L1],
    })
    expect(p.levels[0]!.kyphoticAngleAfter).toBe(90)
    expect(p.levels[0]!.leakage).toEqual(['epidural', 'foraminal', 'paravertebral', 'venous', 'disc'])
    const again = await clinic.ok(doc, 'procedures.get', { id: p.id })
    expect(again.levels.map((l) => [l.level, l.cementLot, l.kyphoticAngleAfter, l.biopsyTaken])).toEqual([
      ['T12', 'KX-2291-B', 90, true],
      ['L1', '', null, false],
    ])
    // a symptomatic leak at any location still refuses a same-day discharge without an override (shared/clinical/discharge.ts)
    p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    const refused = await clinic.call(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay' })
    expect(refused.ok).toBe(false)
    expect(JSON.stringify(refused)).toContain('Symptomatic cement leak at T12')
  })

  it('refuses a bad level value naming the field, and changes nothing', async () => {
    let p = await openNote()
    p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12, L1] })
    const before = { note: await clinic.ok(doc, 'procedures.get', { id: p.id }), rows: await levelsRows() }
    const save = (levels: unknown[]) => clinic.call(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: levels as LevelInput[] })
    expectError(await save([{ ...T12, kyphoticAngleAfter: 91 }]), 'invalid_input', 'levels.0.kyphoticAngleAfter')
    expectError(await save([L1, { ...T12, kyphoticAngleAfter: -91 }]), 'invalid_input', 'levels.1.kyphoticAngleAfter')
    expectError(await save([{ ...T12, cementLot: 'L'.repeat(61) }]), 'invalid_input', 'levels.0.cementLot')
    expectError(await save([{ ...T12, deviceIds: 'D'.repeat(1001) }]), 'invalid_input', 'levels.0.deviceIds')
    expectError(await save([{ ...T12, biopsyTaken: 'yes' }]), 'invalid_input', 'levels.0.biopsyTaken')
    expectError(await save([{ ...T12, leakage: ['subdural'] }]), 'invalid_input', 'levels.0.leakage.0')
    // the old classification cannot be given to a level anew
    const old = await clinic.call(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [{ ...T12, leakage: ['segmentalVein'] }, L1] })
    expectError(old, 'invalid_input', 'levels.0.leakage')
    expect(old.ok ? '' : old.error.fields!['levels.0.leakage']).toContain('choose epidural, foraminal, paravertebral, venous or disc')
    // the limits themselves are accepted
    const atLimit = await clinic.call(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [{ ...T12, cementLot: 'L'.repeat(60), deviceIds: 'D'.repeat(1000) }, L1] })
    expect(atLimit.ok, JSON.stringify(atLimit)).toBe(true)
    const after = await clinic.ok(doc, 'procedures.get', { id: p.id })
    expect(after.version).toBe(before.note.version + 1)
    expect(after.levels[0]!.cementLot).toBe('L'.repeat(60))
    // the refused calls changed nothing: only the accepted one did
    const rows = await levelsRows()
    expect(rows.map((r) => r.cement_lot)).toEqual(['L'.repeat(60), ''])
    expect(rows.map(({ id: _i, cement_lot: _c, device_ids: _d, ...r }) => r)).toEqual(before.rows.map(({ id: _i, cement_lot: _c, device_ids: _d, ...r }) => r))
  })

  it('an old draft keeps its old leak type when saved, and signed notes of the old classification read and verify', async () => {
    let p = await openNote()
    p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [{ ...T12, leakage: ['venous'] }, L1] })
    // a draft written before migration 0022 holds a value of the old classification
    await clinic.database.db.updateTable('procedure_levels').set({ leakage: 'segmentalVein,disc' }).where('procedure_id', '=', p.id).where('level', '=', 'T12').execute()
    p = await clinic.ok(doc, 'procedures.get', { id: p.id })
    expect(p.levels[0]!.leakage).toEqual(['disc', 'segmentalVein'])
    // saving it for another change keeps it; a second old value is refused
    p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [{ ...T12, cementVolumeMl: 5, leakage: p.levels[0]!.leakage }, L1] })
    expect(p.levels[0]).toMatchObject({ cementVolumeMl: 5, leakage: ['disc', 'segmentalVein'] })
    expectError(
      await clinic.call(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [{ ...T12, leakage: ['segmentalVein', 'corticalDefect'] }, L1] }),
      'invalid_input',
      'levels.0.leakage',
    )
    p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    const read = await clinic.ok(doc, 'procedures.get', { id: p.id })
    expect(read.signing).toMatchObject({ status: 'signed', signature: { valid: true } })
    expect(read.levels[0]!.leakage).toEqual(['disc', 'segmentalVein'])

    // A note signed by the app before migration 0022: its snapshot has none of the new keys and an old leak type.
    let q = await clinic.ok(doc, 'procedures.open', { patientId, kind: 'vertebroplasty' })
    q = await clinic.ok(doc, 'procedures.save', { id: q.id, version: q.version, fields: { ...FIELDS, kind: 'vertebroplasty' }, levels: [{ level: 'L3', approach: 'bipedicular', needleGauge: 13, cementType: 'PMMA', cementVolumeMl: 3, leakage: ['none'] }] })
    await clinic.database.db.updateTable('procedure_levels').set({ leakage: 'basivertebralVein', leakage_symptomatic: 0 }).where('procedure_id', '=', q.id).execute()
    q = await clinic.ok(doc, 'procedures.get', { id: q.id })
    const NEW_KEYS = ['cementLot', 'deviceIds', 'kyphoticAngleAfter', 'biopsyTaken']
    const oldLevel = Object.fromEntries(Object.entries(q.levels[0]!).filter(([k]) => !NEW_KEYS.includes(k) && !['id', 'position', 'heightRestoration'].includes(k)))
    const content = { recordType: 'procedure', id: q.id, patientId, providerId: q.providerId, appointmentId: null, procedureRequestId: null, fields: q.fields, levels: [oldLevel] }
    const text = canonicalJson(content)
    const docId = q.providerId
    await clinic.database.db
      .insertInto('signatures')
      .values({ record_type: 'procedure', record_id: q.id, patient_id: patientId, signed_by: docId, signer_name: q.providerName, signed_at: '2026-11-30T13:30:00.000Z', content_hash: sha256(text), content: text })
      .execute()
    const oldSigned = await clinic.ok(doc, 'procedures.get', { id: q.id })
    expect(oldSigned.signing).toMatchObject({ status: 'signed', signature: { valid: true } })
    expect(oldSigned.levels[0]).toMatchObject({ leakage: ['basivertebralVein'], cementLot: '', biopsyTaken: null, kyphoticAngleAfter: null })
    const report = await verifyDatabase(clinic.database)
    expect(report.checks.filter((c) => !c.ok)).toEqual([])
  })

  describe('biopsy results', () => {
    it('are appended to the signed note for a level with a biopsy; refused on a draft, at another level, or for a non-physician', async () => {
      let p = await openNote()
      p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12, L1] })
      expectError(await clinic.call(doc, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'T12', result: 'benign' }), 'conflict', 'procedureId')
      p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
      const count = async () => (await clinic.database.db.selectFrom('procedure_biopsy_results').select('id').execute()).length

      // days later, another physician records the pathology report
      const colleague = await clinic.as('physician', 'drpath')
      const manager = await clinic.as('manager', 'boss')
      await at('2026-12-04T10:00:00.000Z', [doc, desk, colleague, manager])
      expectError(await clinic.call(desk, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'T12', result: 'benign' }), 'forbidden')
      expectError(await clinic.call(manager, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'T12', result: 'benign' }), 'forbidden')
      expectError(await clinic.call(colleague, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'L1', result: 'benign' }), 'invalid_input', 'level')
      expectError(await clinic.call(colleague, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'L4', result: 'benign' }), 'invalid_input', 'level')
      expectError(await clinic.call(colleague, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'T12', result: 'maybe' as never }), 'invalid_input', 'result')
      expect(await count()).toBe(0)

      let v = await clinic.ok(colleague, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'T12', result: 'malignant', text: 'Metastatic adenocarcinoma (report P-26-4411)' })
      expect(v.biopsyResults).toEqual([
        { id: expect.any(Number), level: 'T12', result: 'malignant', text: 'Metastatic adenocarcinoma (report P-26-4411)', recordedAt: '2026-12-04T10:00:00.000Z', recordedBy: 'physician drpath' },
      ])
      // the signed note is unchanged and its signature still holds
      expect(v.signing).toMatchObject({ status: 'signed', signature: { valid: true } })
      // a corrected report, two days later, is a new row; the first stays
      await at('2026-12-06T09:00:00.000Z', [doc, colleague, manager])
      v = await clinic.ok(doc, 'procedures.recordBiopsyResult', { procedureId: p.id, level: 'T12', result: 'benign', text: 'Amended: osteoporotic fracture, no tumour' })
      expect(v.biopsyResults.map((r) => r.result)).toEqual(['malignant', 'benign'])
      expect((await clinic.ok(manager, 'procedures.get', { id: p.id })).biopsyResults).toHaveLength(2)
      // the chart's timeline lists both, newest first, under Procedures
      const chart = await clinic.ok(doc, 'chart.get', { patientId })
      expect(chart.timeline.filter((i) => i.kind === 'biopsyResult').map((i) => i.title)).toEqual([
        'Biopsy result at T12 (kyphoplasty of 2026-11-30): Benign (osteoporotic or other non-malignant)',
        'Biopsy result at T12 (kyphoplasty of 2026-11-30): Malignant (tumour)',
      ])

      const audit = await clinic.database.db.selectFrom('audit_log').select(['action', 'patient_id', 'details']).where('action', '=', 'procedure.biopsyResult').orderBy('id').execute()
      expect(audit).toHaveLength(2)
      expect(audit[0]).toMatchObject({ patient_id: patientId })
      expect(JSON.parse(audit[0]!.details)).toMatchObject({ procedureId: p.id, level: 'T12', result: 'malignant' })

      // never changed or deleted, whoever tries
      await expect(clinic.database.db.updateTable('procedure_biopsy_results').set({ result: 'infection' }).execute()).rejects.toThrow(/never changed/)
      await expect(clinic.database.db.deleteFrom('procedure_biopsy_results').execute()).rejects.toThrow(/never deleted/)
      expect(await count()).toBe(2)
    })
  })

  it('records the Roland-Morris questionnaire at a follow-up visit, scored', async () => {
    let p = await openNote()
    p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [{ ...T12, leakageSymptomatic: false }, L1] })
    p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'overnight', reasons: ['uncontrolledPain'] })
    const d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
    await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
    await at('2026-12-14T15:00:00.000Z', [doc, desk])
    const twoWeeks = (await clinic.ok(desk, 'followUps.list', { patientId })).find((f) => f.label === '2 weeks')!
    const answers = Array.from({ length: 24 }, (_, i) => i % 3 === 0) // 8 ticked
    const bad = await clinic.call(doc, 'followUpVisits.record', { followUpId: twoWeeks.id, fields: { visitDate: '2026-12-14', rmdqAnswers: answers.slice(0, 23) } })
    expectError(bad, 'invalid_input', 'fields.rmdqAnswers')
    expect(await clinic.database.db.selectFrom('follow_up_visits').select('id').execute()).toHaveLength(0)
    const v = await clinic.ok(doc, 'followUpVisits.record', { followUpId: twoWeeks.id, fields: { visitDate: '2026-12-14', painNrs: 3, rmdqAnswers: answers } })
    expect(v.rmdqScore).toBe(8)
    expect(v.fields.rmdqAnswers).toEqual(answers)
    const outcomes = await clinic.ok(doc, 'outcomes.patient', { patientId })
    expect(outcomes.visits[0]).toMatchObject({ rmdqScore: 8 })
    // a visit without it: not recorded, not zero
    const sixWeeks = (await clinic.ok(desk, 'followUps.list', { patientId })).find((f) => f.label !== '2 weeks')
    if (sixWeeks) {
      await at(`${sixWeeks.targetDate}T15:00:00.000Z`, [doc])
      const w = await clinic.ok(doc, 'followUpVisits.record', { followUpId: sixWeeks.id, fields: { visitDate: sixWeeks.targetDate, painNrs: 2 } })
      expect(w.rmdqScore).toBeNull()
    }
  })
})
