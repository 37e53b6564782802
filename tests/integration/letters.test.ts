/**
 * Letters to the referrer (issue 19 point 4) through the router on a real database, both engines: the letter for a
 * signed vertebroplasty of L1 read back with pdftotext (the levels, the plan, the physician's signature line), a
 * consultation's letter due once the note is signed and gone from the due list once produced, an unsigned note
 * refused with nothing stored, marking sent (how and when), and the refusals (who, twice, a referrer who did not
 * refer the patient, a time in the future), each audited; the PDF kept in the blob store and refused once changed there.
 * The patient's primary care physician (migration 0034): a second letter when they are not the referrer, one when
 * they are; a primary care physician not in the directory refused on the patient form, naming the field.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import { verifyBlobs } from '../../electron/services/blobStore'
import '../../electron/services/letters/tables'
import { PatientFields } from '../../shared/schemas/patients'
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
  async function consultation(sign = true, forPatient = patientId) {
    let n = await c.ok(c.drA, 'consultations.open', { patientId: forPatient })
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

  /** Saves the patient's form with this primary care physician, as the patient page does. */
  async function setPrimaryCare(id: number | null, forPatient = patientId) {
    const p = await c.ok(c.desk, 'patients.get', { id: forPatient })
    const fields = Object.fromEntries(PatientFields.keyof().options.map((k) => [k, p[k]])) as ChannelInput<'patients.update'>
    return c.call(c.desk, 'patients.update', { ...fields, primaryCareReferrerId: id, id: forPatient, version: p.version })
  }

  it.skipIf(!HAS_PDFTOTEXT)(`writes to the primary care physician too: two letters naming each, one when they are the referrer${SKIP}`, async () => {
    const park = await c.ok(c.desk, 'referrers.add', { name: 'Dr. Hye-jin Park', practice: 'Riverside Family Practice', address: '9 River Road', letterDelivery: 'post' })
    // not in the directory: refused naming the field, the record as it was, nothing audited as changed
    const before = await c.ok(c.desk, 'patients.get', { id: patientId })
    const bad = await setPrimaryCare(999_999)
    expectError(bad, 'invalid_input', 'primaryCareReferrerId')
    expect(bad.ok ? '' : bad.error.message).toContain('Primary care physician')
    const after = await c.ok(c.desk, 'patients.get', { id: patientId })
    expect([after.version, after.primaryCareReferrerId, after.updatedAt]).toEqual([before.version, null, before.updatedAt])
    expect(await c.database.db.selectFrom('audit_log').select('id').where('action', '=', 'patient.update').execute()).toEqual([])
    // an inactive clinician is refused too
    const gone = await c.ok(c.desk, 'referrers.add', { name: 'Dr. Retired', letterDelivery: 'post', active: false })
    expectError(await setPrimaryCare(gone.id), 'invalid_input', 'primaryCareReferrerId')

    // the referrer is also the primary care physician: one letter
    const same = await setPrimaryCare(referrerId)
    expect(same.ok && same.value.primaryCare).toMatchObject({ id: referrerId, name: DURAND.name })
    const signed = await consultation()
    expect((await c.ok(c.desk, 'letters.worklist', {})).due.map((d) => [d.recipientKind, d.referrerId])).toEqual([['referrer', referrerId]])

    // another clinician: two letters due, the referrer's first
    const changed = await setPrimaryCare(park.id)
    expect(changed.ok).toBe(true)
    const audit = await c.database.db.selectFrom('audit_log').select('details').where('action', '=', 'patient.update').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details!)).toEqual({ changed: ['primaryCareReferrerId'], primaryCareReferrerId: park.id })
    const due = (await c.ok(c.drA, 'letters.forPatient', { patientId })).due
    expect(due.map((d) => [d.recipientKind, d.referrerId, d.referrerName, d.delivery])).toEqual([
      ['referrer', referrerId, `${DURAND.name}, ${DURAND.practice}`, 'fax'],
      ['primaryCare', park.id, 'Dr. Hye-jin Park, Riverside Family Practice', 'post'],
    ])
    // as the primary care physician, only the one the patient record names
    expectError(
      await c.call(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: signed.id }, referrerId, recipientKind: 'primaryCare', password: PASSWORD }),
      'invalid_input',
      'referrer',
    )
    const letters = []
    for (const d of due) {
      letters.push(await c.ok(c.drA, 'letters.produce', { source: { kind: d.kind, recordId: d.recordId }, referrerId: d.referrerId, recipientKind: d.recipientKind, password: PASSWORD }))
    }
    expect(letters.map((l) => [l.recipientKind, l.recipientName, l.delivery])).toEqual([
      ['referrer', DURAND.name, 'fax'],
      ['primaryCare', 'Dr. Hye-jin Park', 'post'],
    ])
    const rows = await c.database.db.selectFrom('letters').select(['recipient_kind', 'referral_id']).orderBy('id').execute()
    expect(rows.map((r) => [r.recipient_kind, r.referral_id === null])).toEqual([
      ['referrer', false],
      ['primaryCare', true],
    ])
    const [toDurand, toPark] = [
      pdfText((await c.ok(c.drA, 'letters.pdf', { id: letters[0]!.id, purpose: 'export' })).base64, 'durand.pdf'),
      pdfText((await c.ok(c.drA, 'letters.pdf', { id: letters[1]!.id, purpose: 'export' })).base64, 'park.pdf'),
    ]
    expect(toDurand).toContain('Dear Dr. Amélie Durand,')
    expect(toDurand).not.toContain('Park')
    expect(toPark).toContain('Dear Dr. Hye-jin Park,')
    expect(toPark).toContain('9 River Road')
    expect(toPark).not.toContain('Durand')
    expect(toPark).toContain('Vertebroplasty of L1 within two weeks; start alendronate')
    expect((await c.ok(c.desk, 'letters.worklist', {})).due).toEqual([])
    expect((await c.ok(c.desk, 'letters.worklist', {})).unsent.map((l) => l.recipientKind)).toEqual(['referrer', 'primaryCare'])
  })

  it.skipIf(!HAS_PDFTOTEXT)(`writes to the primary care physician of a patient with no referral, about what is signed after they were recorded${SKIP}`, async () => {
    const walkIn = c.patients[1]!
    const park = await c.ok(c.desk, 'referrers.add', { name: 'Dr. Hye-jin Park', practice: 'Riverside Family Practice', letterDelivery: 'post' })
    // no referral and no primary care physician: nothing is due
    await consultation(true, walkIn)
    const dueFor = async () => (await c.ok(c.drA, 'letters.forPatient', { patientId: walkIn })).due
    expect(await dueFor()).toEqual([])
    // recording the family doctor does not make the note signed before it due (years of them, on an old patient)
    c.clock.now = new Date(c.clock.now.getTime() + 60_000)
    expect((await setPrimaryCare(park.id, walkIn)).ok).toBe(true)
    expect(await dueFor()).toEqual([])
    // the next signed note is, to the primary care physician, filed under no referral
    c.clock.now = new Date(c.clock.now.getTime() + 60_000)
    const later = await consultation(true, walkIn)
    const due = await dueFor()
    expect(due.map((d) => [d.recordId, d.recipientKind, d.referrerId, d.referralId, d.referrerName, d.delivery])).toEqual([
      [later.id, 'primaryCare', park.id, null, 'Dr. Hye-jin Park, Riverside Family Practice', 'post'],
    ])
    expect((await c.ok(c.desk, 'letters.worklist', {})).due.filter((d) => d.patientId === walkIn)).toEqual(due)
    const letter = await c.ok(c.drA, 'letters.produce', { source: { kind: 'consultation', recordId: later.id }, referrerId: park.id, recipientKind: 'primaryCare', password: PASSWORD })
    expect(pdfText((await c.ok(c.drA, 'letters.pdf', { id: letter.id, purpose: 'export' })).base64, 'walk-in.pdf')).toContain('Dear Dr. Hye-jin Park,')
    expect(await dueFor()).toEqual([])
    expect(await c.database.db.selectFrom('letters').select(['recipient_kind', 'referral_id', 'patient_id']).execute()).toEqual([{ recipient_kind: 'primaryCare', referral_id: null, patient_id: walkIn }])
  })

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

