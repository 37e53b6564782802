/**
 * Letters to the referrer (issue 19 point 4) through the router on a real database, both engines: the letter for a
 * signed vertebroplasty of L1 read back with pdftotext (the levels, the plan, the physician's signature line), a
 * consultation's letter due once the note is signed and gone from the due list once produced, an unsigned note
 * refused with nothing stored, marking sent (how and when), and the refusals (who, twice, a referrer who did not
 * refer the patient, a time in the future), each audited; the PDF kept in the blob store and refused once changed there.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import { verifyBlobs } from '../../electron/services/blobStore'
import '../../electron/services/letters/tables'
import { describeEachEngine, expectError, PASSWORD } from './harness'
import { openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0
const SKIP = HAS_PDFTOTEXT ? '' : ' (skipped: pdftotext, from poppler-utils, is not installed)'

let c: ScheduleClinic

const DURAND: ChannelInput<'referrers.add'> = {
  name: 'Dr. Amélie Durand',
  specialty: 'Orthopaedics',
  practice: "St. Mary's Clinic",
  address: '1 Main Street\nSpringfield, IL 62701',
  phone: '(555) 418-7720',
  fax: '(555) 418-7721',
  email: 'a.durand@example.org',
  letterDelivery: 'fax',
}

const PROCEDURE: ChannelInput<'procedures.save'>['fields'] = {
  kind: 'vertebroplasty',
  procedureDate: '2026-11-30',
  anaesthesia: 'moderateSedation',
  fluoroscopySeconds: 142,
  doseAirKermaMgy: 95.5,
  doseDapMgyCm2: 2100,
  startedAt: '2026-11-30T12:30:00Z',
  endedAt: '2026-11-30T13:05:00Z',
  narrative: 'Uneventful bilateral transpedicular vertebroplasty.',
}
const L1: ChannelInput<'procedures.save'>['levels'][number] = { level: 'L1', approach: 'bipedicular', needleGauge: 11, cementType: 'PMMA', cementVolumeMl: 4.5, leakage: ['none'] }

async function letterCount() {
  return Number((await c.database.db.selectFrom('letters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
}

function pdfText(base64: string, name: string): string {
  const file = join(c.dir, name)
  writeFileSync(file, Buffer.from(base64, 'base64'))
  // lines joined: a sentence the PDF wraps reads as one
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
}

describeEachEngine('letters to the referrer on %s', (engine) => {
  let patientId: number
  let referrerId: number

  beforeEach(async () => {
    c = await openScheduleClinic(engine)
    patientId = c.patients[0]!
    referrerId = (await c.ok(c.desk, 'referrers.add', DURAND)).id
    await c.ok(c.desk, 'referrals.add', { patientId, receivedOn: '2026-11-20', referrerId, referrerText: '', reason: 'L1 fracture after a fall, severe pain' })
  })
  afterEach(async () => c?.close())

  /** A consultation note deciding a vertebroplasty of L1, with an MRI finding and a plan; signed unless told. */
  async function consultation(sign = true) {
    let n = await c.ok(c.drA, 'consultations.open', { patientId })
    n = await c.ok(c.drA, 'consultations.saveNote', {
      id: n.id,
      version: n.version,
      fields: { ...n.fields, chiefComplaint: 'Back pain since a fall', assessment: 'Acute osteoporotic L1 fracture', plan: 'Vertebroplasty of L1 within two weeks; start alendronate' },
      findings: [{ level: 'L1', modality: 'mri', imagingDate: '2026-11-25', acuity: 'acute', marrowOedema: true, heightLossPercent: 30, fractureType: 'wedge' }],
      decision: { decision: 'vertebroplasty', levels: ['L1'], reason: 'Painful acute fracture despite analgesia' },
    })
    if (sign) n = await c.ok(c.drA, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    return n
  }

  async function signedVertebroplasty() {
    let p = await c.ok(c.drA, 'procedures.open', { patientId })
    p = await c.ok(c.drA, 'procedures.save', { id: p.id, version: p.version, fields: PROCEDURE, levels: [L1] })
    p = await c.ok(c.drA, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    await c.ok(c.drA, 'stays.decide', { procedureId: p.id, disposition: 'sameDay', overrideReason: 'Recovery recorded on paper during a network outage' })
    let d = await c.ok(c.drA, 'discharge.open', { procedureId: p.id })
    d = await c.ok(c.drA, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: 'Paracetamol 1 g four times a day' } })
    await c.ok(c.drA, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
    return p
  }

  it.skipIf(!HAS_PDFTOTEXT)(`writes the letter for a signed vertebroplasty of L1: the levels, the plan and the signature line${SKIP}`, async () => {
    await consultation()
    const p = await signedVertebroplasty()
    const due = (await c.ok(c.desk, 'letters.worklist', {})).due
    expect(due.map((d) => [d.kind, d.recordId, d.referrerId, d.delivery])).toEqual([
      ['consultation', expect.any(Number), referrerId, 'fax'],
      ['procedure', p.id, referrerId, 'fax'],
    ])
    const letter = await c.ok(c.drA, 'letters.produce', { source: { kind: 'procedure', recordId: p.id }, referrerId, signerCredentials: 'MD, FRCPC', password: PASSWORD })
    expect(letter).toMatchObject({ kind: 'procedure', recordId: p.id, recipientName: DURAND.name, delivery: 'fax', recipientFax: DURAND.fax, signerCredentials: 'MD, FRCPC', sentAt: null })
    const pdf = await c.ok(c.desk, 'letters.pdf', { id: letter.id, purpose: 'export' })
    expect(pdf.sha256).toBe(letter.sha256)
    const text = pdfText(pdf.base64, 'vertebroplasty.pdf')
    expect(text).toContain('Test Spine Clinic')
    expect(text).toContain('Dear Dr. Amélie Durand,')
    expect(text).toContain('Re: María José Núñez-García, born 02/29/1948')
    expect(text).toContain('had a vertebroplasty on 11/30/2026')
    expect(text).toMatch(/L1: bipedicular, 4\.5 mL of PMMA; cement leakage: none/)
    expect(text).toContain('Paracetamol 1 g four times a day')
    expect(text).toMatch(/6 weeks: around \d\d\/\d\d\/2027|6 weeks: around \d\d\/\d\d\/2026/)
    expect(text).toContain('MD, FRCPC')
    expect(text).toMatch(/Electronically signed on 2026-11-30 \d\d:\d\d/)
    expect(text).toContain(letter.signerName)
    // the signature names who signed; the audit log has the production and the export
    const actions = (await c.database.db.selectFrom('audit_log').select('action').where('entity', '=', 'letter').orderBy('id').execute()).map((a) => a.action)
    expect(actions).toEqual(['letter.create', 'letter.export'])
    // the procedure letter is no longer due; the consultation's still is
    expect((await c.ok(c.desk, 'letters.worklist', {})).due.map((d) => d.kind)).toEqual(['consultation'])
  })

  it('refuses an unsigned note (nothing stored), lists the signed one as due, and marks the letter sent by fax', async () => {
    const draft = await consultation(false)
    expect((await c.ok(c.desk, 'letters.worklist', {})).due).toEqual([])
    const refused = await c.call(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: draft.id }, referrerId, signerCredentials: 'MD', password: PASSWORD })
    expectError(refused, 'invalid_input', 'record')
    expect(refused.ok ? '' : refused.error.message).toContain('is not signed yet')
    expectError(await c.call(c.drA, 'letters.draftPdf', { source: { kind: 'consultation', recordId: draft.id }, referrerId }), 'invalid_input', 'record')
    expect(await letterCount()).toBe(0)

    const signed = await c.ok(c.drA, 'consultations.sign', { id: draft.id, version: draft.version, password: PASSWORD })
    const due = await c.ok(c.desk, 'letters.worklist', {})
    expect(due.due).toEqual([
      expect.objectContaining({ kind: 'consultation', recordId: signed.id, recordDate: '2026-11-30', patientId, referrerId, referrerName: `${DURAND.name}, ${DURAND.practice}`, delivery: 'fax' }),
    ])
    expect((await c.ok(c.manager, 'letters.forPatient', { patientId })).due).toHaveLength(1)

    // the front desk does not sign letters; a wrong password signs nothing
    expectError(await c.call(c.desk, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, password: PASSWORD }), 'forbidden')
    expect((await c.call(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, password: 'wrong-password' })).ok).toBe(false)
    expect(await letterCount()).toBe(0)

    const draftPdf = await c.ok(c.drA, 'letters.draftPdf', { source: { kind: 'consultation', recordId: signed.id }, referrerId, signerCredentials: 'MD' })
    expect(draftPdf.signed).toBe(false)
    if (HAS_PDFTOTEXT) expect(pdfText(draftPdf.base64, 'draft.pdf')).toContain('DRAFT - NOT SIGNED')

    const letter = await c.ok(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, signerCredentials: 'MD', password: PASSWORD })
    if (HAS_PDFTOTEXT) {
      const text = pdfText((await c.ok(c.drA, 'letters.pdf', { id: letter.id, purpose: 'print' })).base64, 'consultation.pdf')
      expect(text).toContain('L1: MRI of 11/25/2026, acute, marrow oedema, 30% height loss, wedge fracture')
      expect(text).toContain('Vertebroplasty at L1. Painful acute fracture despite analgesia')
      expect(text).toContain('Vertebroplasty of L1 within two weeks; start alendronate')
    }
    let list = await c.ok(c.desk, 'letters.worklist', {})
    expect(list.due).toEqual([])
    expect(list.unsent.map((l) => l.id)).toEqual([letter.id])
    // a second letter to the same referrer about the same note is refused
    expectError(await c.call(c.drB, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, password: PASSWORD }), 'conflict', 'referrer')

    // marking sent: not in the future; then by fax at the clinic's now, by whom
    expectError(await c.call(c.desk, 'letters.markSent', { id: letter.id, version: letter.version, method: 'fax', sentAt: '2026-12-30T10:00:00.000Z' }), 'invalid_input', 'sentAt')
    const sent = await c.ok(c.desk, 'letters.markSent', { id: letter.id, version: letter.version, method: 'fax' })
    expect(sent).toMatchObject({ sentMethod: 'fax', sentAt: c.clock.now.toISOString(), sentByName: expect.stringContaining('desk') })
    expectError(await c.call(c.desk, 'letters.markSent', { id: letter.id, version: sent.version, method: 'post' }), 'conflict')
    list = await c.ok(c.desk, 'letters.worklist', {})
    expect(list.unsent).toEqual([])
    expect((await c.ok(c.drA, 'letters.forPatient', { patientId })).letters.map((l) => [l.id, l.sentMethod])).toEqual([[letter.id, 'fax']])
    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'details']).where('entity', '=', 'letter').orderBy('id').execute()
    expect(audit.map((a) => a.action)).toEqual(['letter.create', 'letter.print', 'letter.sent'])
    expect(JSON.parse(audit[2]!.details!)).toEqual({ method: 'fax', sentAt: c.clock.now.toISOString() })
  })

  it('sends letters only to a referrer of the patient; one entered in error is kept and the record is due again', async () => {
    const signed = await consultation()
    const other = await c.ok(c.desk, 'referrers.add', { name: 'Dr. Hye-jin Park', practice: 'Riverside', letterDelivery: 'post' })
    expectError(await c.call(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId: other.id, password: PASSWORD }), 'invalid_input', 'referrer')
    const letter = await c.ok(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, password: PASSWORD })
    expectError(await c.call(c.drB, 'letters.markEnteredInError', { id: letter.id, version: letter.version, reason: 'Wrong referrer' }), 'forbidden')
    const wrong = await c.ok(c.drA, 'letters.markEnteredInError', { id: letter.id, version: letter.version, reason: 'Sent before the addendum' })
    expect(wrong.enteredInError).toMatchObject({ reason: 'Sent before the addendum' })
    expectError(await c.call(c.desk, 'letters.markSent', { id: letter.id, version: wrong.version, method: 'fax' }), 'locked')
    expect((await c.ok(c.desk, 'letters.worklist', {})).due.map((d) => d.recordId)).toEqual([signed.id])
    // kept on the chart, and prints saying so
    expect((await c.ok(c.drA, 'letters.forPatient', { patientId })).letters.map((l) => l.id)).toEqual([letter.id])
    if (HAS_PDFTOTEXT) expect(pdfText((await c.ok(c.drA, 'letters.pdf', { id: letter.id, purpose: 'view' })).base64, 'eie.pdf')).toContain('ENTERED IN ERROR: Sent before the addendum')
    const again = await c.ok(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, password: PASSWORD })
    expect(again.id).not.toBe(letter.id)
    expect(await letterCount()).toBe(2)
  })

  it('keeps the PDF in the blob store, and refuses to show or export one changed behind the app\'s back', async () => {
    const signed = await consultation()
    const letter = await c.ok(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, password: PASSWORD })
    const blob = await c.database.db.selectFrom('blobs').select(['size', 'bytes']).where('sha256', '=', letter.sha256).executeTakeFirstOrThrow()
    expect(Number(blob.size)).toBe(letter.bytes)
    const pdf = await c.ok(c.desk, 'letters.pdf', { id: letter.id, purpose: 'view' })
    expect(Buffer.from(pdf.base64, 'base64').equals(Buffer.from(blob.bytes))).toBe(true)
    const changed = Buffer.from(blob.bytes)
    changed[changed.length - 10] = changed[changed.length - 10]! ^ 1
    await c.database.db.updateTable('blobs').set({ bytes: changed }).where('sha256', '=', letter.sha256).execute()
    const r = await c.call(c.desk, 'letters.pdf', { id: letter.id, purpose: 'export' })
    expectError(r, 'conflict')
    expect(r.ok ? '' : r.error.message).toContain('changed outside the app')
    // and `verify` names the letter whose PDF changed
    const { problems } = await verifyBlobs(c.database.db, new Set(['letters', 'documents']))
    expect(problems.map((p) => p.problem)).toEqual([expect.stringContaining(`used by letter ${letter.id}`)])
  })
})

