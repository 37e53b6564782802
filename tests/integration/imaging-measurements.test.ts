/**
 * Vertebral morphometry saved into a consultation (issue 20 point 3), through the router on a real database of
 * each engine, on the dcmjs test radiograph (tests/fixtures/dicomStudies.ts): L1 is drawn with walls of 60, 80 and
 * 100 pixels at 0.2 mm, so six points on its corners give 12, 16 and 20 mm, a 40% loss against its own posterior
 * height, Genant grade 2, a wedge. The figures the screen might send are never read: only the points travel.
 * An image without a calibrated spacing and a signed consultation are refused, and nothing is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { imagingImportSettled } from '../../electron/services/imaging/importJobs'
import { cornersOf, writeDisc, type TestPatient } from '../fixtures/dicomStudies'
import { describeEachEngine, expectError, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

const ON_DISC: TestPatient = { name: 'NUNEZ-GARCIA^MARIA JOSE', birthDate: '19480229', id: 'IMG-55012' }

describeEachEngine('imaging measurements on %s', (engine) => {
  let c: Clinic
  let dirs: string[]
  let doc: string
  let patientId: number

  beforeEach(async () => {
    c = await openClinic({ engine })
    dirs = []
    doc = await c.as('physician', 'drbones')
    const desk = await c.as('frontDesk')
    patientId = (await c.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
  })
  afterEach(async () => {
    await c?.close()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  /** Imports a disc for the patient; the lateral radiograph's stored instance id. */
  async function lateralImage(lateral: NonNullable<Parameters<typeof writeDisc>[2]>['lateral'] = {}): Promise<number> {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-cd-'))
    dirs.push(dir)
    const disc = writeDisc(dir, ON_DISC, { mrSlices: 1, lateral })
    const job = await c.ok(doc, 'imaging.import.start', { patientId, folder: dir })
    await imagingImportSettled(job.jobId)
    const { studies } = await c.ok(doc, 'imaging.studies.forPatient', { patientId })
    const uid = disc.lateral.studyInstanceUid
    const study = await c.ok(doc, 'imaging.studies.open', { studyId: studies.find((s) => s.studyInstanceUid === uid)!.id })
    return study.seriesList[0]!.instances[0]!.id
  }

  const measurementCount = async () => Number((await c.database.db.selectFrom('imaging_measurements').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('six points on L1 give its heights in mm, the loss and grade, stored with the points and put into the L1 finding', async () => {
    const instanceId = await lateralImage()
    const content = await c.ok(doc, 'imaging.instances.content', { instanceId })
    expect(Buffer.from(content.content, 'base64').subarray(128, 132).toString('latin1')).toBe('DICM')

    let note = await c.ok(doc, 'consultations.open', { patientId })
    const saved = await c.ok(doc, 'imaging.measurements.save', {
      instanceId,
      consultationId: note.id,
      version: note.version,
      level: 'L1',
      points: cornersOf('L1'),
      reference: { kind: 'posterior' },
      // what a tampered screen might add is not part of the input: zod strips it, the figures are computed here
      ...({ heightLossPercent: 5, grade: 0 } as object),
    })
    expect(saved).toMatchObject({ level: 'L1', heightsMm: { anterior: 12, middle: 16, posterior: 20 }, heightLossPercent: 40, genantGrade: 2, shape: 'wedge', reference: 'posterior', referenceHeightMm: 20, spacing: { row: 0.2, column: 0.2 }, spacingSource: 'patient', measuredBy: 'physician drbones' })

    note = await c.ok(doc, 'consultations.get', { id: note.id })
    expect(saved.consultation).toEqual(note)
    expect(note.findings).toHaveLength(1)
    expect(note.findings[0]).toMatchObject({ level: 'L1', modality: 'xray', imagingDate: '2026-11-02', acuity: 'indeterminate', heightLossPercent: 40, genantGrade: 2, fractureType: 'wedge' })

    const row = await c.database.db.selectFrom('imaging_measurements').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ instance_id: instanceId, consultation_id: note.id, level: 'L1', anterior_mm: 12, middle_mm: 16, posterior_mm: 20, height_loss_percent: 40, genant_grade: 2, shape: 'wedge' })
    expect(JSON.parse(row.points)).toEqual(cornersOf('L1'))

    // a finding typed before keeps its other fields; the measured loss replaces the typed one
    note = await c.ok(doc, 'consultations.saveFindings', {
      consultationId: note.id,
      version: note.version,
      findings: [{ level: 'T12', modality: 'mri', imagingDate: '2026-11-20', acuity: 'acute', marrowOedema: true, heightLossPercent: 10, notes: 'STIR bright' }],
    })
    await c.ok(doc, 'imaging.measurements.save', { instanceId, consultationId: note.id, version: note.version, level: 'T12', points: cornersOf('T12'), reference: { kind: 'adjacent', posteriorHeightsMm: [20, 20] } })
    note = await c.ok(doc, 'consultations.get', { id: note.id })
    // T12: anterior 95 px of the adjacent 100 px: 5% loss, grade 0, no deformity named
    expect(note.findings.find((f) => f.level === 'T12')).toMatchObject({ modality: 'mri', acuity: 'acute', marrowOedema: true, notes: 'STIR bright', heightLossPercent: 5, genantGrade: 0, fractureType: '' })

    // the chart lists them, newest first, with the points to show them on the image again
    const { measurements } = await c.ok(doc, 'imaging.measurements.forPatient', { patientId })
    expect(measurements.map((m) => m.level)).toEqual(['T12', 'L1'])
    expect(measurements[1]).toMatchObject({ instanceId, consultationId: note.id, points: cornersOf('L1'), heightsMm: { anterior: 12, middle: 16, posterior: 20 }, genantGrade: 2, measuredBy: 'physician drbones' })
    expect(measurements[0]).toMatchObject({ reference: 'adjacent', referenceHeightMm: 20 })

    // a stale version is refused as any note change is
    expectError(await c.call(doc, 'imaging.measurements.save', { instanceId, consultationId: note.id, version: note.version - 1, level: 'L2', points: cornersOf('L2'), reference: { kind: 'posterior' } }), 'conflict')
    expect(await measurementCount()).toBe(2)
  })

  it('an image without a calibrated pixel spacing is refused with the reason, and nothing is stored', async () => {
    const instanceId = await lateralImage({ noSpacing: true })
    const note = await c.ok(doc, 'consultations.open', { patientId })
    const r = await c.call(doc, 'imaging.measurements.save', { instanceId, consultationId: note.id, version: note.version, level: 'L1', points: cornersOf('L1'), reference: { kind: 'posterior' } })
    expectError(r, 'invalid_input')
    expect(r.ok ? {} : r.error.fields).toEqual({ instanceId: 'has no calibrated pixel spacing' })
    expect(r.ok ? '' : r.error.message).toContain('This image has no calibrated pixel spacing')
    expect(await measurementCount()).toBe(0)
    const after = await c.ok(doc, 'consultations.get', { id: note.id })
    expect(after.version).toBe(note.version)
    expect(after.findings).toEqual([])
  })

  it('a signed consultation is refused (locked), and nothing is stored', async () => {
    const instanceId = await lateralImage()
    let note = await c.ok(doc, 'consultations.open', { patientId })
    note = await c.ok(doc, 'consultations.save', { id: note.id, version: note.version, fields: { visitDate: '2026-11-30', chiefComplaint: 'Back pain', painNrs: 7 } })
    note = await c.ok(doc, 'consultations.sign', { id: note.id, version: note.version, password: PASSWORD })
    const r = await c.call(doc, 'imaging.measurements.save', { instanceId, consultationId: note.id, version: note.version, level: 'L1', points: cornersOf('L1'), reference: { kind: 'posterior' } })
    expectError(r, 'locked')
    expect(r.ok ? '' : r.error.message).toMatch(/signed by .* and is locked/)
    expect(await measurementCount()).toBe(0)
  })
})
