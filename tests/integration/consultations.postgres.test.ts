import { expect, it } from 'vitest'
import { onPostgres, openClinic, PASSWORD, PG_URL, SAMPLE_PATIENT } from './harness'

/**
 * The consultation flow and the database's lock triggers on PostgreSQL. Runs when CLINIC_TEST_PG_URL names
 * a server where the user may create databases (see TOOLCHAIN.md), e.g. postgres://postgres@127.0.0.1:5433/postgres.
 */

it.skipIf(!PG_URL)(onPostgres('consultations on PostgreSQL: signing, locks, addenda, entered in error, chart'), async () => {
  const clinic = await openClinic({ engine: 'postgres' })
  try {
    const doc = await clinic.as('physician', 'drbones')
    const desk = await clinic.as('frontDesk', 'desk')
    const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
    let n = await clinic.ok(doc, 'consultations.open', { patientId })
    n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: '2026-11-30', painNrs: 8, tScore: -2.5, tScoreDate: '2026-01-01', odiAnswers: [1, 2, 3, 4, 5, null, 1, 2, 3, 4] } })
    n = await clinic.ok(doc, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings: [{ level: 'T12', modality: 'mri', imagingDate: '2026-11-20', acuity: 'acute', heightLossPercent: 26.5 }] })
    n = await clinic.ok(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: { bracing: 'TLSO', startDate: '2026-11-30' } })
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12'] } })
    n = await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
    expect(n.signing.signature!.valid).toBe(true)
    expect(n.findings[0]!.genantGrade).toBe(2)
    expect(await clinic.call(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: '2026-11-30' } })).toMatchObject({ ok: false, error: { code: 'locked' } })
    await expect(clinic.database.db.updateTable('consultations').set({ pain_nrs: 0 }).execute()).rejects.toThrow(/signed/)
    await expect(clinic.database.db.updateTable('conservative_care_plans').set({ bracing: 'x' }).execute()).rejects.toThrow(/signed/)
    await expect(clinic.database.db.deleteFrom('signatures').execute()).rejects.toThrow(/never/)
    await clinic.ok(doc, 'care.recordOutcome', { planId: n.carePlan!.id, version: n.carePlan!.version, outcome: 'failed', reason: 'pain' })
    await clinic.ok(doc, 'consultations.addAddendum', { id: n.id, text: 'addendum', password: PASSWORD })
    const chart = await clinic.ok(doc, 'chart.get', { patientId })
    expect(chart.spine.find((s) => s.level === 'T12')!.proposed).toBe(true)
    expect(await clinic.ok(desk, 'procedureRequests.list', {})).toHaveLength(1)
    expect(await clinic.ok(desk, 'care.dueReassessments', { through: '2027-12-01' })).toHaveLength(0)
    const e = await clinic.ok(doc, 'consultations.markEnteredInError', { id: n.id, reason: 'wrong patient' })
    expect(e.signing.status).toBe('enteredInError')
    expect(await clinic.ok(doc, 'consultations.listForPatient', { patientId })).toHaveLength(1)
  } finally {
    await clinic.close()
  }
})
