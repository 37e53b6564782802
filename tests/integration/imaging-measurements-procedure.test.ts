/**
 * A vertebra measured on an image saved as a procedure note's heights before or after (issue 20 point 3), through
 * the router on a real database of each engine, on the dcmjs test radiograph (tests/fixtures/dicomStudies.ts): L1 is
 * drawn with walls of 60, 80 and 100 pixels at 0.2 mm, so six points on its corners give 12, 16 and 20 mm. Only the
 * points travel; the heights go in through the note's own save (version, audit). Heights already recorded are
 * replaced only when the physician confirmed, and the audit keeps them. A signed note, a level not treated and a
 * stale version are refused, and nothing is stored.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { imagingImportSettled } from '../../electron/services/imaging/importJobs'
import { cornersOf, writeDisc, type TestPatient } from '../fixtures/dicomStudies'
import { describeEachEngine, expectError, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

const ON_DISC: TestPatient = { name: 'NUNEZ-GARCIA^MARIA JOSE', birthDate: '19480229', id: 'IMG-55012' }

const T12_TYPED = { anterior: 14, middle: 12, posterior: 24 }
const level = (name: 'T12' | 'L1', extra: object = {}) => ({ level: name, approach: 'bipedicular', needleGauge: 11, cementType: 'PMMA', cementVolumeMl: 3.5, leakage: ['none'], ...extra })
const FIELDS = { kind: 'vertebroplasty', procedureDate: '2026-11-30', anaesthesia: 'local', startedAt: '2026-11-30T12:30:00Z', endedAt: '2026-11-30T13:05:00Z' } as const

describeEachEngine('imaging measurements into a procedure note on %s', (engine) => {
  let c: Clinic
  let dirs: string[]
  let doc: string
  let patientId: number
  let instanceId: number

  beforeEach(async () => {
    c = await openClinic({ engine })
    dirs = []
    doc = await c.as('physician', 'drbones')
    const desk = await c.as('frontDesk')
    patientId = (await c.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    const dir = mkdtempSync(join(tmpdir(), 'clinic-cd-'))
    dirs.push(dir)
    const disc = writeDisc(dir, ON_DISC, { mrSlices: 1 })
    const job = await c.ok(doc, 'imaging.import.start', { patientId, folder: dir })
    await imagingImportSettled(job.jobId)
    const { studies } = await c.ok(doc, 'imaging.studies.forPatient', { patientId })
    const study = await c.ok(doc, 'imaging.studies.open', { studyId: studies.find((s) => s.studyInstanceUid === disc.lateral.studyInstanceUid)!.id })
    instanceId = study.seriesList[0]!.instances[0]!.id
  })
  afterEach(async () => {
    await c?.close()
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  /** A draft vertebroplasty note treating T12 (heights before typed by hand) and L1 (none yet). */
  async function draftNote() {
    const p = await c.ok(doc, 'procedures.open', { patientId, kind: 'vertebroplasty' })
    return c.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [level('T12', { heightBefore: T12_TYPED }), level('L1')] } as never)
  }
  const measurementCount = async () => Number((await c.database.db.selectFrom('imaging_measurements').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  const audits = async (action: string) => (await c.database.db.selectFrom('audit_log').select(['entity_id', 'details']).where('action', '=', action).orderBy('id').execute()).map((r) => ({ ...r, details: JSON.parse(r.details) }))
  const save = (note: { id: number; version: number }, extra: object = {}) =>
    c.call(doc, 'imaging.measurements.saveToProcedure', { instanceId, procedureId: note.id, version: note.version, level: 'L1', heights: 'before', points: cornersOf('L1'), reference: { kind: 'posterior' }, ...extra })

  it("six points on L1 become its heights before, through the note's save, with the link back to the image", async () => {
    let note = await draftNote()
    const updatesBefore = (await audits('procedure.update')).length
    const r = await save(note, { ...({ heightsMm: { anterior: 30, middle: 30, posterior: 30 } } as object) })
    expect(r.ok, JSON.stringify(r)).toBe(true)
    const saved = r.ok ? r.value : null!
    expect(saved).toMatchObject({ level: 'L1', procedureId: note.id, procedureHeights: 'before', consultationId: null, heightsMm: { anterior: 12, middle: 16, posterior: 20 }, spacing: { row: 0.2, column: 0.2 }, measuredBy: 'physician drbones' })

    const read = await c.ok(doc, 'procedures.get', { id: note.id })
    expect(saved.procedure).toEqual({ ...read, signing: saved.procedure.signing })
    expect(read.version).toBe(note.version + 1)
    expect(read.levels.map((l) => [l.level, l.heightBefore, l.heightAfter])).toEqual([
      ['T12', T12_TYPED, null],
      ['L1', { anterior: 12, middle: 16, posterior: 20 }, null],
    ])
    // everything else on the note is as it was
    expect(read.fields).toEqual(note.fields)
    expect(read.levels.map(({ id: _i, heightBefore: _h, ...l }) => l)).toEqual(note.levels.map(({ id: _i, heightBefore: _h, ...l }) => l))
    // the note's own save wrote its audit row, and the measurement's names what it replaced (nothing)
    expect((await audits('procedure.update')).length).toBe(updatesBefore + 1)
    expect((await audits('imaging.measurement.saveToProcedure')).map((a) => a.details)).toEqual([
      { instanceId, procedureId: note.id, level: 'L1', heights: 'before', replaced: null, measured: { anterior: 12, middle: 16, posterior: 20 } },
    ])
    const row = await c.database.db.selectFrom('imaging_measurements').selectAll().executeTakeFirstOrThrow()
    expect(row).toMatchObject({ instance_id: instanceId, consultation_id: null, procedure_id: note.id, procedure_heights: 'before', level: 'L1', anterior_mm: 12, middle_mm: 16, posterior_mm: 20 })
    expect(JSON.parse(row.points)).toEqual(cornersOf('L1'))
    const { measurements } = await c.ok(doc, 'imaging.measurements.forPatient', { patientId })
    expect(measurements).toEqual([expect.objectContaining({ procedureId: note.id, procedureHeights: 'before', consultationId: null, level: 'L1', points: cornersOf('L1') })])

    // T12 has heights before typed by hand: refused until the physician confirms, then replaced, the old kept in the audit
    note = read
    const asked = await save(note, { level: 'T12', points: cornersOf('T12') })
    expectError(asked, 'conflict', 'replace')
    expect(asked.ok ? '' : asked.error.message).toBe('T12 already has heights before (anterior 14, middle 12, posterior 24 mm). Confirm to replace them with the measured heights.')
    expect((await c.ok(doc, 'procedures.get', { id: note.id })).version).toBe(note.version)
    expect(await measurementCount()).toBe(1)
    await c.ok(doc, 'imaging.measurements.saveToProcedure', { instanceId, procedureId: note.id, version: note.version, level: 'T12', heights: 'before', points: cornersOf('T12'), reference: { kind: 'posterior' }, replace: true })
    note = await c.ok(doc, 'procedures.get', { id: note.id })
    expect(note.levels[0]!.heightBefore).toEqual({ anterior: 19, middle: 19, posterior: 20 })
    expect((await audits('imaging.measurement.saveToProcedure')).at(-1)!.details).toMatchObject({ level: 'T12', replaced: T12_TYPED, measured: { anterior: 19, middle: 19, posterior: 20 } })

    // after: both sets of six heights, so the note computes the restoration
    await c.ok(doc, 'imaging.measurements.saveToProcedure', { instanceId, procedureId: note.id, version: note.version, level: 'L1', heights: 'after', points: cornersOf('L2'), reference: { kind: 'posterior' } })
    note = await c.ok(doc, 'procedures.get', { id: note.id })
    expect(note.levels[1]!.heightAfter).toEqual({ anterior: 20, middle: 19.6, posterior: 20 })
    expect(note.levels[1]!.heightRestoration?.walls.find((w) => w.wall === 'anterior')?.gainMm).toBe(8)

    // a stale version is refused as any change to the note is
    expectError(await save({ id: note.id, version: note.version - 1 }, { heights: 'after', replace: true }), 'conflict')
    expect(await measurementCount()).toBe(3)
  })

  it('a level the note does not treat is refused naming the field, and nothing is stored', async () => {
    const note = await draftNote()
    const r = await save(note, { level: 'L2', points: cornersOf('L2') })
    expectError(r, 'invalid_input', 'level')
    expect(r.ok ? {} : r.error.fields).toEqual({ level: 'L2 is not one of the levels treated in this procedure note (T12, L1)' })
    expect(r.ok ? '' : r.error.message).toBe('Please correct: Level L2 is not one of the levels treated in this procedure note (T12, L1).')
    expect(await measurementCount()).toBe(0)
    const after = await c.ok(doc, 'procedures.get', { id: note.id })
    expect(after.version).toBe(note.version)
    expect(after.levels.map((l) => l.heightBefore)).toEqual([T12_TYPED, null])
  })

  it('a signed procedure note is refused (locked), and nothing is stored', async () => {
    let note = await draftNote()
    note = await c.ok(doc, 'procedures.sign', { id: note.id, version: note.version, password: PASSWORD })
    expect(note.signing.status).toBe('signed')
    const r = await save(note)
    expectError(r, 'locked')
    expect(r.ok ? '' : r.error.message).toMatch(/^This procedure note was signed by .* and is locked\. Add an addendum to correct it\.$/)
    expect(await measurementCount()).toBe(0)
    expect((await c.ok(doc, 'procedures.get', { id: note.id })).levels[1]!.heightBefore).toBeNull()
    expect(await audits('imaging.measurement.saveToProcedure')).toEqual([])
  })
})
