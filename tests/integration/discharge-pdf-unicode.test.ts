/**
 * The discharge summary writes every name as it was registered: patients named in Polish, Vietnamese, Russian
 * and Chinese, and a physician with diacritics, signed through the app and read back from the stored PDF with
 * pdftotext (poppler-utils), the way a person copies or searches it. A summary stored before the PDFs embedded
 * their fonts (Helvetica) is still found reproducible.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import type { DischargeContent } from '../../shared/schemas/discharge'
import { verifyDischargePdf } from '../../electron/services/procedures/discharge'
import { makeDischargePdf } from '../../electron/services/procedures/pdf'
import { ADMIN, newWindow, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0
const SKIP = HAS_PDFTOTEXT ? '' : ' (skipped: pdftotext, from poppler-utils, is not installed)'

/** Given and family names as the front desk registers them; the summary prints "given family". */
const PATIENTS = [
  { firstName: 'Łukasz', lastName: 'Wiśniewski' },
  { firstName: 'Thị Mai', lastName: 'Nguyễn' },
  { firstName: 'Дмитрий', lastName: 'Иванов' },
  { firstName: '伟', lastName: '王' },
]
const PHYSICIAN = 'Dr. Zoë Ødegaard-Nuñez'

const FIELDS: ChannelInput<'procedures.save'>['fields'] = {
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
const T12: ChannelInput<'procedures.save'>['levels'][number] = {
  level: 'T12',
  approach: 'bipedicular',
  needleGauge: 11,
  cementType: 'PMMA',
  cementVolumeMl: 4.5,
  leakage: ['none'],
}

describe('the discharge summary PDF in other scripts', () => {
  let clinic: Clinic
  let doc: string
  let desk: string
  let manager: string

  beforeEach(async () => {
    clinic = await openClinic()
    const admin = newWindow()
    await clinic.ok(admin, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    await clinic.ok(admin, 'users.create', { displayName: PHYSICIAN, username: 'drzoe', role: 'physician', password: PASSWORD })
    // as the harness's users: one who has since chosen PASSWORD as their own (an administrator-set one must be changed first)
    await clinic.database.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'drzoe').execute()
    doc = newWindow()
    await clinic.ok(doc, 'session.signIn', { username: 'drzoe', password: PASSWORD })
    desk = await clinic.as('frontDesk', 'desk')
    manager = await clinic.as('manager', 'boss')
  })
  afterEach(async () => clinic?.close())

  /** Registration to signed summary, as the front desk and the physician do it. */
  async function signedSummary(name: { firstName: string; lastName: string }, overnight = false) {
    const patient = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, ...name, email: '' })
    let n = await clinic.ok(doc, 'consultations.open', { patientId: patient.id })
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'vertebroplasty', levels: ['T12'], reason: 'Painful acute fracture' } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    let p = await clinic.ok(doc, 'procedures.open', { patientId: patient.id })
    p = await clinic.ok(doc, 'procedures.save', { id: p.id, version: p.version, fields: FIELDS, levels: [T12] })
    p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    // the clinic has two overnight beds a night
    // no recovery is recorded here: a same-day discharge goes against the (empty) record, with a reason
    await clinic.ok(doc, 'stays.decide', overnight ? { procedureId: p.id, disposition: 'overnight', reasons: ['livesAloneOrFar'] } : { procedureId: p.id, disposition: 'sameDay', overrideReason: 'Recovery recorded on paper during a network outage' })
    let d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
    d = await clinic.ok(doc, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: `Paracetamol 1 g four times a day; ask ${name.firstName} ${name.lastName}'s family to help` } })
    return clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
  }

  it.skipIf(!HAS_PDFTOTEXT)(`prints patients' and the physician's names exactly, in a small file${SKIP}`, async () => {
    for (const [i, name] of PATIENTS.entries()) {
      const d = await signedSummary(name, i === 0)
      const pdf = await clinic.ok(manager, 'discharge.pdf', { id: d.id, purpose: 'export' })
      expect(pdf.stored).toBe(true)
      const bytes = Buffer.from(pdf.base64, 'base64')
      // only the glyphs used are embedded: a summary is kilobytes, not the fonts' megabytes
      expect(bytes.length).toBeLessThan(40_000)
      const file = join(clinic.dir, `${name.lastName}.pdf`)
      writeFileSync(file, bytes)
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      const full = `${name.firstName} ${name.lastName}`
      expect(text).toContain(`Patient: ${full}`)
      expect(text).toContain(`ask ${full}'s family to help`)
      expect(text).toContain(`Physician: ${PHYSICIAN}`)
      expect(text).toContain(`Decided by ${PHYSICIAN}`)
      expect(text).toContain(`Electronically signed by ${PHYSICIAN}`)
      // the document's title (shown by PDF readers) too
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
      expect(info).toContain(`Title:           Discharge summary - ${full} - 2026-11-30`)
      expect(await verifyDischargePdf(clinic.database.db, d.id)).toEqual({ storedIntact: true, reproducible: true })
    }
  })

  it('still finds a summary stored in Helvetica (before embedded fonts) reproducible, and a changed one not', async () => {
    const d = await signedSummary({ firstName: 'Ana', lastName: 'Lopez' })
    const row = await clinic.database.db.selectFrom('discharge_pdfs').selectAll().where('summary_id', '=', d.id).executeTakeFirstOrThrow()
    const sig = await clinic.database.db.selectFrom('signatures').selectAll().where('record_type', '=', 'dischargeSummary').where('record_id', '=', d.id).executeTakeFirstOrThrow()
    const data = JSON.parse(row.data) as DischargeContent
    const signature = { signerName: sig.signer_name, signedAt: sig.signed_at, contentHash: sig.content_hash }
    const put = async (bytes: Buffer) => {
      const { createHash } = await import('node:crypto')
      await clinic.database.db.updateTable('discharge_pdfs').set({ pdf: bytes, sha256: createHash('sha256').update(bytes).digest('hex') }).where('summary_id', '=', d.id).execute()
    }
    // the PDF table refuses updates; this stands in for a summary stored by the earlier version
    await sql.raw('DROP TRIGGER discharge_pdfs_no_update').execute(clinic.database.db)
    await put(await makeDischargePdf(data, { signature, createdAt: row.created_at, fonts: 'standard' }))
    expect(await verifyDischargePdf(clinic.database.db, d.id)).toEqual({ storedIntact: true, reproducible: true })
    await put(await makeDischargePdf({ ...data, medications: 'something else' }, { signature, createdAt: row.created_at, fonts: 'standard' }))
    expect(await verifyDischargePdf(clinic.database.db, d.id)).toEqual({ storedIntact: true, reproducible: false })
  })
})
