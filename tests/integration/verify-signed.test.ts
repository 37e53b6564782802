/**
 * verify and signed consultation notes: a note, its signature snapshot or an addendum changed behind the
 * app's back (the database's lock triggers dropped first, as a tamperer would) is named by table and row.
 */
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { admin } from './cliHarness'
import { openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

let clinic: Clinic
let file: string
let noteId: number

beforeEach(async () => {
  clinic = await openClinic()
  file = join(clinic.dir, 'clinic.sqlite')
  const doc = await clinic.as('physician', 'drbones')
  const desk = await clinic.as('frontDesk', 'desk')
  const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
  let n = await clinic.ok(doc, 'consultations.open', { patientId })
  n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: '2026-11-30', chiefComplaint: 'Mid-back pain', painNrs: 8, tScore: -2.5, tScoreDate: '2026-01-01' } })
  n = await clinic.ok(doc, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings: [{ level: 'T12', modality: 'mri', imagingDate: '2026-11-20', acuity: 'acute', heightLossPercent: 26.5 }] })
  n = await clinic.ok(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: { bracing: 'TLSO', startDate: '2026-11-30' } })
  n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12'] } })
  n = await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
  await clinic.ok(doc, 'consultations.addAddendum', { id: n.id, text: 'Correction: pain 7/10.', password: PASSWORD })
  noteId = n.id
})
afterEach(async () => clinic.close())

function tamper(statements: string) {
  const db = new Database(file)
  try {
    db.exec(statements)
  } finally {
    db.close()
  }
}

it('passes on signed notes and addenda nobody touched', async () => {
  const r = await admin(['verify', '--db', file])
  expect(r.code, r.out).toBe(0)
  expect(r.out).toMatch(/OK +signatures \(signed snapshots\): 1 signed record/)
  expect(r.out).toMatch(/OK +addenda: 1 signed record/)
  expect(r.out).toMatch(/OK +signed records \(current content\): 1 signed record/)
})

it('names a signed note edited behind the app\'s back', async () => {
  tamper(`DROP TRIGGER consultations_locked; UPDATE consultations SET pain_nrs = 2 WHERE id = ${noteId};`)
  const r = await admin(['verify', '--db', file])
  expect(r.code).toBe(1)
  expect(r.out).toContain(`consultations row ${noteId}: no longer matches what was signed`)
})

it('names a signed finding edited behind the app\'s back', async () => {
  tamper(`DROP TRIGGER findings_locked_update; UPDATE consultation_findings SET height_loss_percent = 10 WHERE consultation_id = ${noteId};`)
  const r = await admin(['verify', '--db', file])
  expect(r.code).toBe(1)
  expect(r.out).toContain(`consultations row ${noteId}: no longer matches what was signed`)
})

it('names a signature whose stored snapshot was rewritten, and an edited addendum', async () => {
  const sig = (() => {
    const db = new Database(file, { readonly: true })
    try {
      return db.prepare('SELECT id FROM signatures').get() as { id: number }
    } finally {
      db.close()
    }
  })()
  tamper(
    `DROP TRIGGER signatures_no_update; DROP TRIGGER addenda_no_update;
     UPDATE signatures SET content = replace(content, '"painNrs":8', '"painNrs":3') WHERE id = ${sig.id};
     UPDATE addenda SET text = 'Correction: pain 2/10.';`,
  )
  const r = await admin(['verify', '--db', file])
  expect(r.code).toBe(1)
  expect(r.out).toContain(`signatures row ${sig.id}: content does not match the hash it was signed with`)
  expect(r.out).toMatch(/addenda row \d+: text, author or time does not match/)
})
