/**
 * `admin import dicom --patient MRN --dir PATH` (issue 20 point 1) on a real SQLite file: it prints what the folder
 * holds, stores it (audited as admin-cli), skips what is stored on a second run, refuses a patient on the disc who
 * differs from the chart unless --confirm-identity (storing nothing), and refuses a folder that does not exist.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import '../../electron/services/imaging/imagingTables'
import { writeDisc } from '../fixtures/dicomStudies'
import { admin } from './cliHarness'
import { openClinic, SAMPLE_PATIENT, type Clinic } from './harness'

describe('admin import dicom', () => {
  let c: Clinic
  let dir: string
  let db: string
  let mrn: string
  beforeEach(async () => {
    c = await openClinic()
    dir = mkdtempSync(join(tmpdir(), 'clinic-cd-'))
    const desk = await c.as('frontDesk')
    mrn = (await c.ok(desk, 'patients.register', SAMPLE_PATIENT)).mrn
    db = (c.database.target as { file: string }).file
  })
  afterEach(async () => {
    await c?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const instances = async () => Number((await c.database.db.selectFrom('imaging_instances').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('prints what the disc holds, stores it, and skips it on a second run', async () => {
    writeDisc(dir, { name: 'NUNEZ-GARCIA^MARIA JOSE', birthDate: '19480229', id: 'IMG-1' }, { mrSlices: 3, junk: true })
    const r = await admin(['import', 'dicom', '--db', db, '--patient', mrn, '--dir', dir])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`DICOMDIR read in ${dir}: 2 studies, 4 image(s).`)
    expect(r.out).toContain('11/02/2026  CR  LUMBAR SPINE 2 VIEWS: 1 series, 1 image(s)')
    expect(r.out).toContain('11/04/2026  MR  MRI LUMBAR SPINE: 1 series, 3 image(s)')
    expect(r.out).toContain('patient on the disc: NUNEZ-GARCIA, MARIA JOSE, born 02/29/1948: matches the chart')
    expect(r.out).toContain('Stored 4 image(s) (2 new studies); 0 stored already, not stored again; 0 file(s) skipped.')
    expect(await instances()).toBe(4)
    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'username']).where('action', 'like', 'imaging.%').orderBy('id').execute()
    expect(audit).toEqual([
      { action: 'imaging.study.import', username: 'admin-cli' },
      { action: 'imaging.study.import', username: 'admin-cli' },
      { action: 'imaging.import', username: 'admin-cli' },
    ])

    const again = await admin(['import', 'dicom', '--db', db, '--patient', mrn, '--dir', dir])
    expect(again.code).toBe(0)
    expect(again.out).toContain('1 image(s), 1 stored already')
    expect(again.out).toContain('Stored 0 image(s); 4 stored already, not stored again; 0 file(s) skipped.')
    expect(await instances()).toBe(4)
  })

  it('lists the files it skipped and why (no DICOMDIR: every file read)', async () => {
    writeDisc(dir, { name: 'NUNEZ-GARCIA^MARIA JOSE', birthDate: '19480229', id: 'IMG-1' }, { dicomdir: false, mrSlices: 2, junk: true })
    const r = await admin(['import', 'dicom', '--db', db, '--patient', mrn, '--dir', dir])
    expect(r.code).toBe(0)
    expect(r.out).toContain(`Every file read in ${dir}`)
    expect(r.out).toContain('4 file(s) skipped.')
    expect(r.out).toContain('skipped REPORT.JPG: not a DICOM file (a JPEG image)')
    expect(r.out).toContain('skipped README.TXT: not a DICOM file')
    expect(r.out).toMatch(/skipped IMAGES.BROKEN2: damaged DICOM file/)
  })

  it('stores nothing for a patient who differs from the chart until --confirm-identity', async () => {
    writeDisc(dir, { name: 'NUNEZ^MARIA', birthDate: '19480301', id: 'X1' }, { mrSlices: 1 })
    const refused = await admin(['import', 'dicom', '--db', db, '--patient', mrn, '--dir', dir])
    expect(refused.code).toBe(1)
    expect(refused.out).toContain("DIFFERS: Name on the disc is NUNEZ, MARIA, the chart's is Núñez-García, María José; Birth date on the disc is 03/01/1948, the chart's is 02/29/1948")
    expect(refused.err).toContain('Nothing was stored.')
    expect(refused.err).toContain('--confirm-identity')
    expect(await instances()).toBe(0)

    const confirmed = await admin(['import', 'dicom', '--db', db, '--patient', mrn, '--dir', dir, '--confirm-identity'])
    expect(confirmed.code).toBe(0)
    expect(await instances()).toBe(2)
    const studies = await c.database.db.selectFrom('imaging_studies').select(['identity_confirmed_at', 'identity_confirmed_by', 'imported_by']).execute()
    expect(studies.every((s) => s.identity_confirmed_at !== null && s.identity_confirmed_by === null && s.imported_by === null)).toBe(true)
  })

  it('refuses a missing folder or patient, and wrong arguments, storing nothing', async () => {
    expect((await admin(['import', 'dicom', '--db', db, '--patient', mrn, '--dir', join(dir, 'nope')])).err).toContain('does not exist')
    expect((await admin(['import', 'dicom', '--db', db, '--patient', 'SC-999999', '--dir', dir])).code).toBe(2)
    expect((await admin(['import', 'dicom', '--db', db, '--patient', mrn])).code).toBe(2)
    expect(await instances()).toBe(0)
  })
})
