/**
 * Documents on the chart (issue 19 point 3) through the router on a real database, both engines: a PDF letter made
 * here with pdfkit attached by the front desk and read back byte for byte by a physician; the refusals (over the
 * clinic's limit, a program renamed .pdf, an empty file, a PNG named .pdf, text that is not base64, another
 * patient's referral) leave every table as it was; who opens what; marked entered in error keeps the row and says
 * who, when and why; opening, printing, saving and marking are audited; verify names a file changed behind the
 * app's back with the document using it. `admin import document`, including a file that does not exist.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import '../../electron/services/documentTables'
import { verifyDatabase } from '../../electron/services/integrity'
import { makePdf, PNG_1X1, REFERRAL_LETTER_LINES, TIFF_HEADER, WINDOWS_PROGRAM } from '../fixtures/documentFiles'
import { admin } from './cliHarness'
import { allTableCounts, describeEachEngine, expectError, openClinic, SAMPLE_PATIENT, type Clinic } from './harness'

const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64')

async function auditActions(c: Clinic) {
  return (await c.database.db.selectFrom('audit_log').select(['action', 'entity_id', 'patient_id', 'username']).where('entity', '=', 'document').orderBy('id').execute()).map((r) => ({ ...r, entity_id: Number(r.entity_id) }))
}

describeEachEngine('documents on %s', (engine) => {
  let c: Clinic
  let desk: string
  let doc: string
  let manager: string
  let patientId: number
  let letter: Buffer
  beforeEach(async () => {
    c = await openClinic({ engine })
    desk = await c.as('frontDesk', 'fran')
    doc = await c.as('physician', 'drbones')
    manager = await c.as('manager', 'meg')
    patientId = (await c.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    letter = await makePdf([REFERRAL_LETTER_LINES])
  })
  afterEach(async () => c?.close())

  const attach = (over: Partial<ChannelInput<'documents.attach'>> = {}): ChannelInput<'documents.attach'> => ({
    patientId,
    kind: 'referralLetter',
    title: 'Letter from Dr. Durand',
    documentDate: '2026-11-20',
    fileName: 'durand-letter.pdf',
    content: b64(letter),
    ...over,
  })

  it('stores a PDF the front desk attaches and gives a physician the same bytes; listed for every clinical role', async () => {
    const saved = await c.ok(desk, 'documents.attach', attach())
    expect(saved).toMatchObject({ patientId, kind: 'referralLetter', title: 'Letter from Dr. Durand', documentDate: '2026-11-20', fileName: 'durand-letter.pdf', mediaType: 'application/pdf', size: letter.length, createdBy: 'frontDesk fran', enteredInError: null, mayOpen: true })
    const opened = await c.ok(doc, 'documents.open', { id: saved.id })
    expect(Buffer.from(opened.content, 'base64').equals(letter)).toBe(true)
    expect(Buffer.from(opened.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    const listed = await c.ok(manager, 'documents.forPatient', { patientId })
    expect(listed.documents.map((d) => [d.title, d.mayOpen])).toEqual([['Letter from Dr. Durand', false]])
    expect(listed.maxBytes).toBe(50 * 1024 * 1024)
    // a manager sees the list but opens nothing
    expectError(await c.call(manager, 'documents.open', { id: saved.id }), 'forbidden')
  })

  it('keeps one copy of a file attached twice (two documents, one blob), and images and text as they are', async () => {
    const a = await c.ok(desk, 'documents.attach', attach())
    const b = await c.ok(doc, 'documents.attach', attach({ kind: 'correspondence', title: 'The same letter again' }))
    expect(b.sha256).toBe(a.sha256)
    const png = await c.ok(doc, 'documents.attach', attach({ kind: 'imagingReport', title: 'Lateral view', fileName: 'lateral.PNG', content: b64(PNG_1X1) }))
    const text = 'Pain 8/10 since the fall.\nÉmilie O’Brien — Zürich\n'
    const txt = await c.ok(desk, 'documents.attach', attach({ kind: 'other', title: 'Phone note', fileName: 'note', content: b64(text) }))
    const tif = await c.ok(desk, 'documents.attach', attach({ kind: 'other', title: 'Fax', fileName: 'fax.tiff', content: b64(TIFF_HEADER) }))
    expect([png.mediaType, txt.mediaType, tif.mediaType]).toEqual(['image/png', 'text/plain', 'image/tiff'])
    expect(Buffer.from((await c.ok(doc, 'documents.open', { id: txt.id })).content, 'base64').toString('utf8')).toBe(text)
    expect(Buffer.from((await c.ok(doc, 'documents.open', { id: png.id })).content, 'base64').equals(PNG_1X1)).toBe(true)
    const counts = await allTableCounts(c.database)
    expect([counts.documents, counts.blobs]).toEqual([5, 4])
  })

  it('refuses, naming the file, and stores nothing: over the limit, a program named .pdf, an empty file, a PNG named .pdf, not base64', async () => {
    const adminW = await c.as('admin', 'ada2')
    const current = await c.ok(adminW, 'settings.get')
    await c.ok(adminW, 'settings.update', { version: current.version, settings: { ...current.settings, documentMaxMegabytes: 1 } })
    const before = await allTableCounts(c.database)
    const refused = async (input: ChannelInput<'documents.attach'>, code: string, text: string | RegExp) => {
      const r = await c.call(desk, 'documents.attach', input)
      expectError(r, code)
      expect(r.ok === false && r.error.message).toMatch(text)
      expect(await allTableCounts(c.database)).toEqual(before)
    }
    const big = Buffer.concat([letter, Buffer.alloc(1024 * 1024)])
    await refused(attach({ fileName: 'scan.pdf', content: b64(big) }), 'invalid_input', /"scan\.pdf" is 1\.\d MB, over the clinic's limit of 1\.0 MB/)
    // exactly the limit is allowed (checked below, after the refusals)
    await refused(attach({ fileName: 'letter.pdf', content: b64(WINDOWS_PROGRAM) }), 'invalid_input', '"letter.pdf" is a Windows program (MZ), not a document: programs are never attached to a chart. Nothing was stored.')
    await refused(attach({ fileName: 'run.txt', content: b64('#!/bin/sh\nrm -rf /\n') }), 'invalid_input', '"run.txt" is a script (#!)')
    await refused(attach({ fileName: 'empty.pdf', content: '' }), 'invalid_input', '"empty.pdf" is empty (0 bytes)')
    await refused(attach({ fileName: 'xray.pdf', content: b64(PNG_1X1) }), 'invalid_input', '"xray.pdf" is named as a PDF but its content is a PNG image')
    await refused(attach({ fileName: 'notes.docx', content: b64('plain words') }), 'invalid_input', '"notes.docx" is a .docx file: only PDF, JPEG, PNG, TIFF and plain text files can be attached.')
    await refused(attach({ fileName: 'broken.pdf', content: b64(Buffer.from([0x25, 0x50, 0x44, 0x00, 0xff, 0xfe])) }), 'invalid_input', '"broken.pdf" is named as a PDF but its content is not one')
    await refused(attach({ content: 'not base64!' }), 'invalid_input', 'Content is not base64-encoded')
    await refused(attach({ documentDate: '2099-01-01' }), 'invalid_input', /Document date cannot be in the future/)
    const other = await c.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Tom', lastName: 'Other', dateOfBirth: '1950-01-01' })
    const otherReferral = await c.ok(desk, 'referrals.add', { patientId: other.id, receivedOn: '2026-11-20', referrerId: null, referrerText: 'Dr. Okafor', reason: 'L2 fracture' })
    const before2 = await allTableCounts(c.database)
    const r = await c.call(desk, 'documents.attach', attach({ referralId: otherReferral.id }))
    expectError(r, 'invalid_input', 'referralId')
    expect(r.ok === false && r.error.message).toContain("is another patient's referral")
    expect(await allTableCounts(c.database)).toEqual(before2)
    // exactly 1 MB is within a 1 MB limit
    const exact = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 - 9, 0x20)])
    expect((await c.ok(desk, 'documents.attach', attach({ content: b64(exact) }))).size).toBe(1024 * 1024)
  })

  it('attaches to the patient’s own referral; the front desk opens letters but not results', async () => {
    const referral = await c.ok(desk, 'referrals.add', { patientId, receivedOn: '2026-11-20', referrerId: null, referrerText: 'Dr. Durand', reason: 'L1 fracture' })
    const withReferral = await c.ok(desk, 'documents.attach', attach({ referralId: referral.id }))
    expect(withReferral.referralId).toBe(referral.id)
    const lab = await c.ok(desk, 'documents.attach', attach({ kind: 'labResult', title: 'INR', fileName: 'inr.txt', content: b64('INR 1.1') }))
    expect(lab.mayOpen).toBe(false)
    expectError(await c.call(desk, 'documents.open', { id: lab.id }), 'forbidden')
    expect((await c.ok(doc, 'documents.open', { id: lab.id })).document.mayOpen).toBe(true)
    expect((await c.ok(desk, 'documents.open', { id: withReferral.id })).document.title).toBe('Letter from Dr. Durand')
  })

  it('marked entered in error keeps the row and the file, with who, when and why; a second mark or a stale version is refused', async () => {
    const png = await c.ok(desk, 'documents.attach', attach({ kind: 'imagingReport', title: 'Wrong patient’s X-ray', fileName: 'xray.png', content: b64(PNG_1X1) }))
    c.clock.now = new Date('2026-11-30T14:05:00.000Z')
    const marked = await c.ok(doc, 'documents.markEnteredInError', { id: png.id, version: png.version, reason: 'Another patient’s X-ray' })
    expect(marked.enteredInError).toEqual({ at: '2026-11-30T14:05:00.000Z', by: 'physician drbones', reason: 'Another patient’s X-ray' })
    expect(marked.version).toBe(png.version + 1)
    const listed = await c.ok(desk, 'documents.forPatient', { patientId })
    expect(listed.documents.map((d) => [d.id, d.enteredInError?.reason])).toEqual([[png.id, 'Another patient’s X-ray']])
    // still readable: the record of what was wrong
    expect(Buffer.from((await c.ok(doc, 'documents.open', { id: png.id })).content, 'base64').equals(PNG_1X1)).toBe(true)
    const before = await allTableCounts(c.database)
    expectError(await c.call(doc, 'documents.markEnteredInError', { id: png.id, version: marked.version, reason: 'again' }), 'conflict')
    const other = await c.ok(desk, 'documents.attach', attach())
    const before2 = await allTableCounts(c.database)
    expectError(await c.call(desk, 'documents.markEnteredInError', { id: other.id, version: other.version + 1, reason: 'stale' }), 'conflict')
    expectError(await c.call(desk, 'documents.markEnteredInError', { id: other.id, version: other.version, reason: '  ' }), 'invalid_input', 'reason')
    expect(await allTableCounts(c.database)).toEqual(before2)
    expect(before2.documents).toBe(before.documents! + 1)
  })

  it('audits attaching, viewing, printing, saving a copy and marking entered in error, with the patient', async () => {
    const saved = await c.ok(desk, 'documents.attach', attach())
    await c.ok(doc, 'documents.open', { id: saved.id, use: 'view' })
    await c.ok(doc, 'documents.printed', { id: saved.id })
    await c.ok(desk, 'documents.open', { id: saved.id, use: 'export' })
    await c.ok(doc, 'documents.markEnteredInError', { id: saved.id, version: saved.version, reason: 'Duplicate scan' })
    expect(await auditActions(c)).toEqual([
      { action: 'document.attach', entity_id: saved.id, patient_id: patientId, username: 'fran' },
      { action: 'document.view', entity_id: saved.id, patient_id: patientId, username: 'drbones' },
      { action: 'document.print', entity_id: saved.id, patient_id: patientId, username: 'drbones' },
      { action: 'document.export', entity_id: saved.id, patient_id: patientId, username: 'fran' },
      { action: 'document.enteredInError', entity_id: saved.id, patient_id: patientId, username: 'drbones' },
    ])
  })

  it('verify names the file changed outside the app and the document that uses it', async () => {
    const saved = await c.ok(desk, 'documents.attach', attach())
    expect((await verifyDatabase(c.database)).checks.find((x) => x.name === 'stored files')?.ok).toBe(true)
    // one byte of the stored letter changed, as a disk error or an edit with a database tool would
    const changed = Buffer.from(letter)
    changed[200] = changed[200]! ^ 0x01
    await sql`UPDATE blobs SET bytes = ${changed} WHERE sha256 = ${saved.sha256}`.execute(c.database.db)
    const check = (await verifyDatabase(c.database)).checks.find((x) => x.name === 'stored files')!
    expect(check.ok).toBe(false)
    expect(check.problems).toEqual([{ table: 'blobs', rowId: saved.sha256, problem: expect.stringContaining(`used by document ${saved.id}`) }])
  })
})

describe('admin import document', () => {
  let c: Clinic
  beforeEach(async () => {
    c = await openClinic()
  })
  afterEach(async () => c?.close())

  it('attaches a file to the patient with that MRN, audited as admin-cli; a missing file or a program stores nothing', async () => {
    const desk = await c.as('frontDesk', 'fran')
    const p = await c.ok(desk, 'patients.register', SAMPLE_PATIENT)
    const db = (c.database.target as { file: string }).file
    const pdf = join(c.dir, 'MRI_report_L1.pdf')
    const bytes = await makePdf([['MRI lumbar spine', 'Acute L1 compression fracture with marrow oedema.']])
    writeFileSync(pdf, bytes)
    const r = await admin(['import', 'document', '--db', db, '--patient', p.mrn, '--file', pdf, '--kind', 'imagingReport', '--date', '2026-11-18'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.out).toContain(`Attached "MRI report L1" (MRI_report_L1.pdf, ${bytes.length} bytes) to María José Núñez-García (${p.mrn}) as document`)
    const docW = await c.as('physician', 'drbones')
    const [listed] = (await c.ok(docW, 'documents.forPatient', { patientId: p.id })).documents
    expect(listed).toMatchObject({ title: 'MRI report L1', kind: 'imagingReport', documentDate: '2026-11-18', mediaType: 'application/pdf', createdBy: 'Imported (admin import document)' })
    expect(Buffer.from((await c.ok(docW, 'documents.open', { id: listed!.id })).content, 'base64').equals(bytes)).toBe(true)
    expect(await auditActions(c)).toContainEqual({ action: 'document.import', entity_id: listed!.id, patient_id: p.id, username: 'admin-cli' })

    const before = await allTableCounts(c.database)
    const missing = await admin(['import', 'document', '--db', db, '--patient', p.mrn, '--file', join(c.dir, 'gone.pdf'), '--kind', 'labResult'])
    expect(missing.code).toBe(1)
    expect(missing.err).toContain(`${join(c.dir, 'gone.pdf')} does not exist (or was removed while it was being imported). Nothing was stored.`)
    const program = join(c.dir, 'setup.pdf')
    writeFileSync(program, WINDOWS_PROGRAM)
    const exe = await admin(['import', 'document', '--db', db, '--patient', p.mrn, '--file', program, '--kind', 'other'])
    expect(exe.code).toBe(2)
    expect(exe.err).toContain('"setup.pdf" is a Windows program (MZ), not a document')
    const nobody = await admin(['import', 'document', '--db', db, '--patient', 'SC-999999', '--file', pdf, '--kind', 'other'])
    expect(nobody.code).toBe(2)
    expect(nobody.err).toContain('There is no patient with MRN SC-999999. Nothing was stored.')
    const kind = await admin(['import', 'document', '--db', db, '--patient', p.mrn, '--file', pdf, '--kind', 'xray'])
    expect(kind.code).toBe(2)
    expect(kind.err).toContain('--kind must be one of referralLetter, imagingReport, labResult, consentForm, correspondence, other (not "xray")')
    expect(await allTableCounts(c.database)).toEqual(before)
  })
})
