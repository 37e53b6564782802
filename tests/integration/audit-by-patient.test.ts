/**
 * Issue 16.8: every patient search and bulk export writes an audit row that the audit viewer finds by patient,
 * and the de-identified export's codes are random per patient (HIPAA 164.514(c)), kept by the database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { exportOutcomesCsvFile } from '../../electron/services/outcomes/exports'
import { OUTCOME_PATIENTS, seedOutcomeFixture } from '../fixtures/outcomesData'
import { describeEachEngine, openClinic, SAMPLE_PATIENT, type Clinic } from './harness'

const YEAR = { from: '2026-01-01', to: '2026-12-31', physicianId: null, kind: null }

describeEachEngine('audit rows by patient on %s', (engine) => {
  let clinic: Clinic
  let desk: string
  let manager: string
  let out: string
  const run = () => ({ actor: { userId: null, username: 'admin-cli', workstation: 'test' }, now: () => clinic.clock.now })
  const patientIdOf = async (mrn: string) => (await clinic.database.db.selectFrom('patients').select('id').where('mrn', '=', mrn).executeTakeFirstOrThrow()).id
  const viewerActions = async (patientId: number) => (await clinic.ok(manager, 'audit.list', { patientId })).map((r) => r.action)

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    desk = await clinic.as('frontDesk', 'desk')
    manager = await clinic.as('manager', 'boss')
    const doctor = async (u: string) => {
      await clinic.as('physician', u)
      return (await clinic.database.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id
    }
    await seedOutcomeFixture(clinic.database.db, await doctor('dra'), await doctor('drb'))
    out = mkdtempSync(join(tmpdir(), 'audit-by-patient-'))
  })
  afterEach(async () => {
    rmSync(out, { recursive: true, force: true })
    await clinic?.close()
  })

  it('a patient search is found in the viewer under every patient it showed, with who searched for what', async () => {
    const other = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, acknowledgeDuplicate: false })
    const hits = await clinic.ok(desk, 'patients.search', { q: 'Núñez', limit: 20 })
    expect(hits.map((h) => h.id)).toEqual([other.id])
    const rows = await clinic.ok(manager, 'audit.list', { patientId: other.id, action: 'patient.search' })
    expect(rows).toHaveLength(1)
    expect(rows[0]!.username).toBe('desk')
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ query: 'Núñez', shown: 1, patientIds: [other.id] })
    // a patient the search did not show is not named by it
    expect(await viewerActions(await patientIdOf(OUTCOME_PATIENTS.p1.mrn))).not.toContain('patient.search')
    // the whole list (an empty search) names every patient on the page
    await clinic.ok(desk, 'patients.search', { q: '', limit: 50 })
    expect(await viewerActions(await patientIdOf(OUTCOME_PATIENTS.p1.mrn))).toContain('patient.search')
  })

  it('a search for text PostgreSQL cannot read as JSON (a lone surrogate) is still answered, audited and found by patient', async () => {
    const other = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, acknowledgeDuplicate: false })
    const hits = await clinic.call(desk, 'patients.search', { q: 'Núñez \ud800', limit: 20 })
    expect(hits.ok, JSON.stringify(hits)).toBe(true)
    const signIn = await clinic.call('stranger', 'session.signIn', { username: '\ud800', password: 'x' })
    expect(signIn.ok).toBe(false)
    if (!signIn.ok) expect(signIn.error.code).not.toBe('internal')
    // a row with such text that names a patient is indexed all the same
    const { appendAudit } = await import('../../electron/services/audit')
    await appendAudit(clinic.database.db, { userId: null, username: 'desk', workstation: 'test' }, clinic.clock.now.toISOString(), { action: 'patient.search', details: { query: 'N\ud800' }, patientIds: [other.id] })
    const rows = await clinic.ok(manager, 'audit.list', { patientId: other.id, action: 'patient.search' })
    expect(rows.map((r) => JSON.parse(r.details).query)).toContain('N\ud800')
  })

  it('a bulk export is found under each exported patient, and not under a patient it left out', async () => {
    const notExported = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, acknowledgeDuplicate: false })
    await exportOutcomesCsvFile(clinic.database, YEAR, join(out, 'outcomes.csv'), { deidentify: false }, run())
    for (const p of Object.values(OUTCOME_PATIENTS)) expect(await viewerActions(await patientIdOf(p.mrn)), p.mrn).toContain('export.outcomes')
    expect(await viewerActions(notExported.id)).not.toContain('export.outcomes')
    // the audit log's own CSV export lists the patients of its rows too
    await clinic.ok(manager, 'audit.export', { patientId: notExported.id })
    expect(await viewerActions(notExported.id)).toContain('audit.export')
  })

  it('de-identified exports carry a random code per patient, the same in every export, kept only in the database', async () => {
    const first = parse(readFileSync(join(out, await exportTo('a.csv')), 'utf8'), { columns: true }) as Record<string, string>[]
    const second = parse(readFileSync(join(out, await exportTo('b.csv')), 'utf8'), { columns: true }) as Record<string, string>[]
    expect(second.map((r) => r.patient_pseudonym)).toEqual(first.map((r) => r.patient_pseudonym))
    const kept = await clinic.database.db.selectFrom('export_pseudonyms').select(['patient_id', 'code']).execute()
    expect(kept).toHaveLength(3)
    expect(new Set(first.map((r) => r.patient_pseudonym))).toEqual(new Set(kept.map((k) => k.code)))
    for (const k of kept) expect(k.code).toMatch(/^P-[0-9a-f]{20}$/)
    // not derived from the record: a code made again for the same patient is another one
    const { newPseudonymCode } = await import('../../electron/services/outcomes/pseudonym')
    expect(new Set(Array.from({ length: 1000 }, newPseudonymCode)).size).toBe(1000)
  })

  async function exportTo(name: string) {
    await exportOutcomesCsvFile(clinic.database, YEAR, join(out, name), { deidentify: true }, run())
    return name
  }

  it('the index of patients by audit row is append-only, like the log', async () => {
    await clinic.ok(desk, 'patients.search', { q: '', limit: 50 })
    await expect(clinic.database.db.deleteFrom('audit_patients').execute()).rejects.toThrow(/append-only/)
    await expect(clinic.database.db.updateTable('audit_patients').set({ patient_id: 1 }).execute()).rejects.toThrow(/append-only/)
  })
})
