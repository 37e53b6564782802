/**
 * verify and signed discharge summaries: a summary whose text was changed behind the app's back (its lock
 * trigger dropped first, as a tamperer would) is named by table and row, and the app shows it as changed.
 */
import { sql } from 'kysely'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { admin } from './cliHarness'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

describeEachEngine('verify and discharge summaries on %s', (engine) => {
  let clinic: Clinic
  let doc: string
  let summaryId: number

  const verifyArgs = () =>
    clinic.database.target.engine === 'sqlite' ? ['verify', '--db', clinic.database.target.file] : ['verify', '--db-url', clinic.database.target.url]

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    doc = await clinic.as('physician', 'drbones')
    const desk = await clinic.as('frontDesk', 'desk')
    const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    let n = await clinic.ok(doc, 'consultations.open', { patientId })
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12'], reason: 'Failed conservative care' } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    let p = await clinic.ok(doc, 'procedures.open', { patientId })
    p = await clinic.ok(doc, 'procedures.save', {
      id: p.id,
      version: p.version,
      fields: { kind: 'kyphoplasty', procedureDate: '2026-11-30', anaesthesia: 'moderateSedation', startedAt: '2026-11-30T12:30:00Z', endedAt: '2026-11-30T13:05:00Z', narrative: 'Uneventful kyphoplasty.', diagnoses: [{ code: 'm8008xa', description: 'Osteoporotic fracture' }] },
      levels: [{ level: 'T12', approach: 'bipedicular', needleGauge: 11, balloonVolumeMl: 3.2, balloonPressurePsi: 220, cementType: 'PMMA', cementVolumeMl: 4.5, leakage: ['none'] }],
    })
    await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    // no recovery is recorded here: the same-day discharge goes against the (empty) record, with a reason
    await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay', overrideReason: 'Recovery recorded on paper during a network outage' })
    let d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
    d = await clinic.ok(doc, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: 'Paracetamol 1 g four times a day as needed' } })
    d = await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
    summaryId = d.id
  })
  afterEach(async () => clinic?.close())

  it('passes on a signed summary nobody touched, and counts it', async () => {
    const r = await admin(verifyArgs())
    expect(r.code, r.out).toBe(0)
    // the consultation, the procedure note and the discharge summary
    expect(r.out).toMatch(/OK +signed records \(current content\): 3 signed record/)
    expect(r.out).not.toContain('no content loader')
  })

  it('names a signed summary edited behind the app\'s back, and the app shows it changed', async () => {
    await sql
      .raw(engine === 'sqlite' ? 'DROP TRIGGER discharge_summaries_locked' : 'DROP TRIGGER discharge_summaries_locked ON discharge_summaries')
      .execute(clinic.database.db)
    await clinic.database.db.updateTable('discharge_summaries').set({ medications: 'Oxycodone 10 mg every 4 hours' }).where('id', '=', summaryId).execute()
    const r = await admin(verifyArgs())
    expect(r.code).toBe(1)
    expect(r.out).toContain(`discharge_summaries row ${summaryId}: no longer matches what was signed`)
    const view = await clinic.ok(doc, 'discharge.get', { id: summaryId })
    expect(view.signing.signature!.valid).toBe(false)
  })
})
