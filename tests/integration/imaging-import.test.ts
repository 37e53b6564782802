/**
 * Importing a patient's imaging from a folder (issue 20 point 1), through the router, on a real database of each
 * engine, with test "CDs" written by dcmjs (tests/fixtures/dicomStudies.ts): the preview says what the folder
 * holds before anything is stored; a folder with a DICOMDIR (offsets filled in, or zero) and one without; damaged
 * files, a JPEG and a text file listed as skipped with the reason; a second import skips what is stored; a patient
 * on the disc who differs from the chart is imported only when confirmed; Cancel keeps what was stored whole;
 * opening a study is audited; `verify` names an image whose stored bytes were changed; migrate-to-postgres carries
 * the studies and their bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ChannelOutput } from '../../shared/contract'
import { openDatabase } from '../../electron/db/connect'
import { getBlob } from '../../electron/services/blobStore'
import { scanFolder } from '../../electron/services/imaging/folderScan'
import { imagingImportSettled } from '../../electron/services/imaging/importJobs'
import { newProgress, planImport, runImport } from '../../electron/services/imaging/importStudies'
import { verifyDatabase } from '../../electron/services/integrity'
import { writeDisc, type TestPatient } from '../fixtures/dicomStudies'
import { admin } from './cliHarness'
import { describeEachEngine, expectError, onPostgres, openClinic, openTestDatabase, PG_URL, SAMPLE_PATIENT, type Clinic } from './harness'

/** The chart's patient (SAMPLE_PATIENT: Núñez-García, María José, born 02/29/1948) as an imaging centre writes her. */
const ON_DISC: TestPatient = { name: 'NUNEZ-GARCIA^MARIA JOSE', birthDate: '19480229', id: 'IMG-55012' }

const count = async (c: Clinic, table: 'imaging_studies' | 'imaging_series' | 'imaging_instances' | 'blobs') =>
  Number((await c.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

const auditActions = async (c: Clinic, prefix: string) =>
  (await c.database.db.selectFrom('audit_log').select(['action', 'details', 'patient_id']).where('action', 'like', `${prefix}%`).orderBy('id').execute()).map((r) => ({
    ...r,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }))

describeEachEngine('imaging import on %s', (engine) => {
  let c: Clinic
  let dir: string
  let w: string
  let patientId: number

  beforeEach(async () => {
    c = await openClinic({ engine })
    dir = mkdtempSync(join(tmpdir(), 'clinic-cd-'))
    w = await c.as('physician')
    const desk = await c.as('frontDesk')
    patientId = (await c.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
  })
  afterEach(async () => {
    await c?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function importAll(input: { confirmedStudyUids?: string[]; folder?: string } = {}): Promise<ChannelOutput<'imaging.import.status'>> {
    const job = await c.ok(w, 'imaging.import.start', { patientId, folder: input.folder ?? dir, confirmedStudyUids: input.confirmedStudyUids ?? [] })
    expect(job.state).toBe('running')
    await imagingImportSettled(job.jobId)
    return c.ok(w, 'imaging.import.status', { jobId: job.jobId })
  }

  it('a folder with a DICOMDIR: the preview lists its studies before anything is stored, then every image is stored', async () => {
    const disc = writeDisc(dir, ON_DISC, { mrSlices: 4 })
    const scan = await c.ok(w, 'imaging.scan', { patientId, folder: dir })
    expect(scan).toMatchObject({ source: 'dicomdir', files: 5, skippedCount: 0 })
    expect(scan.studies.map((s) => [s.studyDate, s.modalities, s.description, s.images, s.alreadyStored])).toEqual([
      ['2026-11-02', ['CR'], 'LUMBAR SPINE 2 VIEWS', 1, 0],
      ['2026-11-04', ['MR'], 'MRI LUMBAR SPINE', 4, 0],
    ])
    expect(scan.studies[0]).toMatchObject({ patientName: 'NUNEZ-GARCIA, MARIA JOSE', patientBirthDate: '1948-02-29', patientIdOnDisc: 'IMG-55012', identity: { matches: true, differences: [] } })
    // nothing stored by looking
    expect([await count(c, 'imaging_instances'), await count(c, 'blobs')]).toEqual([0, 0])

    const done = await importAll()
    expect(done).toMatchObject({ state: 'done', filesDone: 5, filesTotal: 5, stored: 5, newStudies: 2, duplicates: 0, skippedCount: 0, error: null })
    const { studies } = await c.ok(w, 'imaging.studies.forPatient', { patientId })
    expect(studies.map((s) => [s.studyDate, s.modalities, s.series, s.images, s.identityConfirmedBy])).toEqual([
      ['2026-11-04', ['MR'], 1, 4, null],
      ['2026-11-02', ['CR'], 1, 1, null],
    ])
    // the file's bytes, unchanged, and what the viewer and morphometry need
    const lateral = await c.database.db.selectFrom('imaging_instances').selectAll().where('sop_instance_uid', '=', disc.lateral.sopInstanceUid).executeTakeFirstOrThrow()
    expect(Buffer.from((await getBlob(c.database.db, lateral.sha256))!).equals(Buffer.from(disc.lateral.bytes))).toBe(true)
    expect(lateral).toMatchObject({ pixel_rows: 400, pixel_columns: 200, pixel_spacing_row: 0.2, pixel_spacing_column: 0.2, imager_spacing_row: null, window_center: 110, window_width: 220, instance_number: 1, patient_id: patientId })
    const audit = await auditActions(c, 'imaging.')
    expect(audit.map((a) => a.action)).toEqual(['imaging.study.import', 'imaging.study.import', 'imaging.import'])
    expect(audit.every((a) => a.patient_id === patientId)).toBe(true)
    expect(audit[2]!.details).toMatchObject({ ended: 'done', source: 'dicomdir', stored: 5, duplicates: 0, skipped: 0 })
  })

  it('a DICOMDIR whose records carry no offsets is read in the order it stores them', async () => {
    writeDisc(dir, ON_DISC, { mrSlices: 3, offsets: false })
    const scan = await c.ok(w, 'imaging.scan', { patientId, folder: dir })
    expect(scan.source).toBe('dicomdir')
    expect(scan.studies.map((s) => [s.modalities, s.images])).toEqual([
      [['CR'], 1],
      [['MR'], 3],
    ])
    expect((await importAll()).stored).toBe(4)
  })

  it('a folder without a DICOMDIR is walked; damaged files, a JPEG and a text file are skipped and listed with why', async () => {
    writeDisc(dir, ON_DISC, { dicomdir: false, mrSlices: 4, junk: true })
    const scan = await c.ok(w, 'imaging.scan', { patientId, folder: dir })
    expect(scan.source).toBe('walk')
    const reasons = Object.fromEntries(scan.skipped.map((s) => [s.file, s.reason]))
    expect(reasons).toEqual({
      [join('IMAGES', 'BROKEN1')]: expect.stringMatching(/^damaged DICOM file/),
      'README.TXT': 'not a DICOM file',
      'REPORT.JPG': 'not a DICOM file (a JPEG image)',
    })
    // BROKEN2's header is whole: only reading its image data finds it cut short
    expect(scan.files).toBe(6)

    const done = await importAll()
    expect(done).toMatchObject({ state: 'done', stored: 5, skippedCount: 4 })
    expect(done.skipped.find((s) => s.file === join('IMAGES', 'BROKEN2'))?.reason).toMatch(/^damaged DICOM file/)
    expect(await count(c, 'imaging_instances')).toBe(5)
  })

  it('a second import of the same disc stores nothing again: its images are already on the chart', async () => {
    writeDisc(dir, ON_DISC, { mrSlices: 4 })
    expect((await importAll()).stored).toBe(5)
    const blobs = await count(c, 'blobs')
    const scan = await c.ok(w, 'imaging.scan', { patientId, folder: dir })
    expect(scan.studies.map((s) => [s.images, s.alreadyStored])).toEqual([
      [1, 1],
      [4, 4],
    ])
    const again = await importAll()
    expect(again).toMatchObject({ state: 'done', stored: 0, duplicates: 5, newStudies: 0, skippedCount: 0 })
    expect([await count(c, 'imaging_studies'), await count(c, 'imaging_series'), await count(c, 'imaging_instances'), await count(c, 'blobs')]).toEqual([2, 2, 5, blobs])
  })

  it('a patient on the disc whose name or birth date differ is imported only when the user confirms it', async () => {
    const disc = writeDisc(dir, { name: 'NUNEZ^MARIA', birthDate: '19480301', id: 'X1' }, { mrSlices: 2 })
    const scan = await c.ok(w, 'imaging.scan', { patientId, folder: dir })
    expect(scan.studies[0]!.identity).toEqual({
      matches: false,
      differences: ['Name on the disc is NUNEZ, MARIA, the chart\'s is Núñez-García, María José', "Birth date on the disc is 03/01/1948, the chart's is 02/29/1948"],
    })
    const refused = await c.call(w, 'imaging.import.start', { patientId, folder: dir })
    expectError(refused, 'conflict', 'confirmedStudyUids')
    if (!refused.ok) {
      expect(refused.error.message).toContain("Birth date on the disc is 03/01/1948, the chart's is 02/29/1948")
      expect((refused.error.detail as { needsConfirmation: { studyInstanceUid: string }[] }).needsConfirmation.map((s) => s.studyInstanceUid).sort()).toEqual(disc.studies.map((s) => s.studyInstanceUid).sort())
    }
    expect([await count(c, 'imaging_studies'), await count(c, 'imaging_instances'), await count(c, 'blobs')]).toEqual([0, 0, 0])

    // confirming one study imports that one only
    const partial = await c.call(w, 'imaging.import.start', { patientId, folder: dir, confirmedStudyUids: [disc.studies[0]!.studyInstanceUid] })
    expectError(partial, 'conflict')
    const done = await importAll({ confirmedStudyUids: disc.studies.map((s) => s.studyInstanceUid) })
    expect(done).toMatchObject({ state: 'done', stored: 3, newStudies: 2 })
    const { studies } = await c.ok(w, 'imaging.studies.forPatient', { patientId })
    expect(studies.map((s) => [s.patientNameOnDisc, s.identityConfirmedBy])).toEqual([
      ['NUNEZ, MARIA', expect.stringContaining('physician')],
      ['NUNEZ, MARIA', expect.stringContaining('physician')],
    ])
    const studyAudit = (await auditActions(c, 'imaging.study.import'))[0]!
    expect(studyAudit.details.identityConfirmed).toEqual(["Name on the disc is NUNEZ, MARIA, the chart's is Núñez-García, María José", "Birth date on the disc is 03/01/1948, the chart's is 02/29/1948"])
  })

  it('refuses a folder that does not exist, a file, or a relative path, naming the folder; and a patient that does not exist', async () => {
    writeDisc(dir, ON_DISC, { mrSlices: 1 })
    expectError(await c.call(w, 'imaging.scan', { patientId, folder: join(dir, 'nowhere') }), 'invalid_input', 'folder')
    expectError(await c.call(w, 'imaging.scan', { patientId, folder: join(dir, 'DICOMDIR') }), 'invalid_input', 'folder')
    expectError(await c.call(w, 'imaging.import.start', { patientId, folder: 'IMAGES' }), 'invalid_input', 'folder')
    expectError(await c.call(w, 'imaging.import.start', { patientId: 999_999, folder: dir }), 'invalid_input', 'patientId')
    const empty = mkdtempSync(join(tmpdir(), 'clinic-empty-'))
    try {
      expectError(await c.call(w, 'imaging.import.start', { patientId, folder: empty }), 'invalid_input', 'folder')
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
    expect(await count(c, 'imaging_instances')).toBe(0)
  })

  it('only the front desk and physicians import; a manager sees the list but cannot import', async () => {
    writeDisc(dir, ON_DISC, { mrSlices: 1 })
    const manager = await c.as('manager')
    expectError(await c.call(manager, 'imaging.import.start', { patientId, folder: dir }), 'forbidden')
    expectError(await c.call(manager, 'imaging.scan', { patientId, folder: dir }), 'forbidden')
    expect((await c.ok(manager, 'imaging.studies.forPatient', { patientId })).studies).toEqual([])
  })

  it('Cancel stops between two files; what was stored stays whole, and importing again finishes the rest', async () => {
    const disc = writeDisc(dir, ON_DISC, { mrSlices: 30 })
    const job = await c.ok(w, 'imaging.import.start', { patientId, folder: dir })
    const cancelled = await c.ok(w, 'imaging.import.cancel', { jobId: job.jobId })
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.stored).toBeLessThan(31)
    // every stored image has its bytes, series and study (one transaction per file)
    const rows = await c.database.db
      .selectFrom('imaging_instances as i')
      .innerJoin('imaging_series as s', 's.id', 'i.series_id')
      .innerJoin('imaging_studies as t', 't.id', 's.study_id')
      .innerJoin('blobs as b', 'b.sha256', 'i.sha256')
      .select(['i.sop_instance_uid', 'b.size'])
      .execute()
    expect(rows).toHaveLength(cancelled.stored)
    expect(await count(c, 'imaging_instances')).toBe(cancelled.stored)
    expect((await auditActions(c, 'imaging.import')).at(-1)!.details).toMatchObject({ ended: 'cancelled', stored: cancelled.stored })

    const rest = await importAll()
    expect(rest).toMatchObject({ state: 'done', stored: 31 - cancelled.stored, duplicates: cancelled.stored })
    expect(await count(c, 'imaging_instances')).toBe(disc.files.size)
    // a job is its starter's: another physician cannot see or cancel it
    const other = await c.as('physician')
    expectError(await c.call(other, 'imaging.import.status', { jobId: job.jobId }), 'not_found')
  })

  it('opening a study gives its series and images and is audited', async () => {
    const disc = writeDisc(dir, ON_DISC, { mrSlices: 3 })
    await importAll()
    const { studies } = await c.ok(w, 'imaging.studies.forPatient', { patientId })
    const mr = studies.find((s) => s.modalities.includes('MR'))!
    const opened = await c.ok(w, 'imaging.studies.open', { studyId: mr.id })
    expect(opened).toMatchObject({ patientId, accessionNumber: 'ACC1002', patientBirthDateOnDisc: '1948-02-29', images: 3 })
    expect(opened.seriesList).toHaveLength(1)
    expect(opened.seriesList[0]).toMatchObject({ modality: 'MR', description: 'SAG STIR', bodyPart: 'LSPINE' })
    expect(opened.seriesList[0]!.instances.map((i) => [i.instanceNumber, i.sliceLocation, i.rows, i.columns, i.pixelSpacing])).toEqual([
      [1, -8, 64, 64, { row: 0.9, column: 0.9 }],
      [2, -4, 64, 64, { row: 0.9, column: 0.9 }],
      [3, 0, 64, 64, { row: 0.9, column: 0.9 }],
    ])
    expect(opened.seriesList[0]!.instances.map((i) => i.sopInstanceUid)).toEqual(disc.mr.map((m) => m.sopInstanceUid))
    const opens = await auditActions(c, 'imaging.study.open')
    expect(opens).toHaveLength(1)
    expect(opens[0]).toMatchObject({ patient_id: patientId, details: { studyInstanceUid: mr.studyInstanceUid } })
    expectError(await c.call(w, 'imaging.studies.open', { studyId: 999_999 }), 'not_found')
  })

  it('a file over the size limit is skipped with the reason, never read into memory', async () => {
    const disc = writeDisc(dir, ON_DISC, { mrSlices: 2 })
    const plan = { ...(await planImport(c.database.db, { patientId, confirmedStudyUids: [] }, await scanFolder(dir))), maxFileBytes: 40_000 }
    const progress = newProgress(plan)
    const actor = { userId: null, username: 'test', workstation: 'test-ws' }
    expect(await runImport(c.database, { actor, userId: null, now: () => c.clock.now }, plan, progress)).toBe('done')
    // the lateral radiograph (80 kB) is over the limit; the MR slices (8 kB) are not
    expect(progress).toMatchObject({ stored: 2, skippedCount: 1 })
    expect(progress.skipped).toEqual([{ file: join('IMAGES', 'IM0001'), reason: 'larger than 0 MB (0 MB): not imported' }])
    expect(await c.database.db.selectFrom('imaging_instances').select('sop_instance_uid').where('sop_instance_uid', '=', disc.lateral.sopInstanceUid).executeTakeFirst()).toBeUndefined()
  })

  it('verify names the image whose stored bytes were changed outside the app', async () => {
    const disc = writeDisc(dir, ON_DISC, { mrSlices: 1 })
    await importAll()
    const lateral = await c.database.db.selectFrom('imaging_instances').select(['id', 'sha256']).where('sop_instance_uid', '=', disc.lateral.sopInstanceUid).executeTakeFirstOrThrow()
    const tampered = Buffer.from(disc.lateral.bytes)
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0xff
    await c.database.db.updateTable('blobs').set({ bytes: tampered }).where('sha256', '=', lateral.sha256).execute()
    const report = await verifyDatabase(c.database)
    expect(report.ok).toBe(false)
    const problems = report.checks.flatMap((ch) => ch.problems.map((p) => p.problem))
    expect(problems.some((p) => p.includes(lateral.sha256) && p.includes(`imaging instance ${lateral.id}`))).toBe(true)
  })
})

it.skipIf(!PG_URL)(onPostgres('migrate-to-postgres carries the studies, series, images and their bytes; a second import there skips them all'), async () => {
  const c = await openClinic()
  const dir = mkdtempSync(join(tmpdir(), 'clinic-cd-m2p-'))
  const pgDb = await openTestDatabase('postgres', dir)
  try {
    const w = await c.as('physician')
    const patientId = (await c.ok(w, 'patients.register', SAMPLE_PATIENT)).id
    const disc = writeDisc(join(dir, 'cd'), ON_DISC, { mrSlices: 3 })
    const job = await c.ok(w, 'imaging.import.start', { patientId, folder: disc.dir })
    await imagingImportSettled(job.jobId)
    const url = (pgDb.target as { url: string }).url
    const r = await admin(['migrate-to-postgres', '--db', (c.database.target as { file: string }).file, '--db-url', url])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    const target = openDatabase(pgDb.target)
    try {
      const rows = await target.db.selectFrom('imaging_instances').select(['sop_instance_uid', 'sha256', 'pixel_spacing_row']).execute()
      expect(rows.map((x) => x.sop_instance_uid).sort()).toEqual([disc.lateral, ...disc.mr].map((i) => i.sopInstanceUid).sort())
      const lateral = rows.find((x) => x.sop_instance_uid === disc.lateral.sopInstanceUid)!
      expect(lateral.pixel_spacing_row).toBe(0.2)
      expect(Buffer.from((await getBlob(target.db, lateral.sha256))!).equals(Buffer.from(disc.lateral.bytes))).toBe(true)
      const again = await admin(['import', 'dicom', '--db-url', url, '--patient', (await target.db.selectFrom('patients').select('mrn').executeTakeFirstOrThrow()).mrn, '--dir', disc.dir])
      expect(again.out).toContain('Stored 0 image(s); 4 stored already')
    } finally {
      await target.close()
    }
  } finally {
    await c.close()
    await pgDb.drop()
    rmSync(dir, { recursive: true, force: true })
  }
}, 120_000)
