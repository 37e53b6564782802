/**
 * A save over a stale version is refused with who changed the record since it was read, when, and (where the
 * screen compares) the current values (issue 23 point 1): the clinical history, the settings, a draft note,
 * the patient's details and a user account. Nothing of the refused save is written. SQLite and PostgreSQL.
 */
import { afterEach, describe, expect } from 'vitest'
import { staleVersionDetail } from '../../shared/conflicts'
import { expectError, itEachEngine, newWindow, openClinic, ADMIN, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

let clinic: Clinic | undefined
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
})

/** Two physicians and the front desk on one clinic, and a patient. */
async function twoPhysicians(engine: 'sqlite' | 'postgres') {
  const c = (clinic = await openClinic({ engine }))
  await c.ok(newWindow(), 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
  const ana = await c.as('physician', 'ana')
  const ben = await c.as('physician', 'ben')
  const desk = await c.as('frontDesk', 'desk')
  const patientId = (await c.ok(desk, 'patients.register', SAMPLE_PATIENT)).id
  return { c, ana, ben, desk, patientId }
}

describe('a stale save names who changed the record', () => {
  itEachEngine('%s: clinical history: the second physician is told who, when and what is stored now; nothing of theirs is written', async (engine) => {
    const { c, ana, ben, patientId } = await twoPhysicians(engine)
    const chart = await c.ok(ben, 'chart.get', { patientId })
    const read = chart.header.historyVersion
    c.clock.now = new Date('2026-11-30T15:04:00.000Z')
    for (const w of [ana, ben]) await c.ok(w, 'session.unlock', { password: PASSWORD })
    await c.ok(ana, 'chart.updateHistory', { patientId, version: read, history: { ...chart.header.history, allergies: 'penicillin (rash)' } })
    const r = await c.call(ben, 'chart.updateHistory', { patientId, version: read, history: { ...chart.header.history, allergies: 'latex' } })
    expectError(r, 'conflict', 'version')
    if (r.ok) return
    expect(r.error.message).toMatch(/^physician ana changed this clinical history \(2026-11-30 \d\d:04 [A-Z]+\) since you opened it\. Your changes were not saved/)
    const d = staleVersionDetail(r.error.detail)
    expect(d).toMatchObject({ changedBy: 'physician ana', changedAt: '2026-11-30T15:04:00.000Z', current: { allergies: 'penicillin (rash)' } })
    expect((await c.ok(ben, 'chart.get', { patientId })).header.history.allergies).toBe('penicillin (rash)')
  })

  itEachEngine('%s: settings: the second administrator sees who saved the settings and the settings as they are', async (engine) => {
    const c = (clinic = await openClinic({ engine }))
    const a1 = newWindow()
    await c.ok(a1, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    const a2 = await c.as('admin', 'second')
    const s = await c.ok(a1, 'settings.get', {})
    await c.ok(a2, 'settings.update', { version: s.version, settings: { ...s.settings, clinicName: 'North Spine Clinic' } })
    const r = await c.call(a1, 'settings.update', { version: s.version, settings: { ...s.settings, clinicName: 'South Spine Clinic' } })
    expectError(r, 'conflict')
    if (r.ok) return
    expect(r.error.message).toMatch(/^admin second changed the settings \(.+\) since you opened it\./)
    const d = staleVersionDetail(r.error.detail)
    expect(d?.changedBy).toBe('admin second')
    expect(d?.changedAt).toBe(c.clock.now.toISOString())
    expect((d?.current as { settings: { clinicName: string } }).settings.clinicName).toBe('North Spine Clinic')
    expect((await c.ok(a1, 'settings.get', {})).settings.clinicName).toBe('North Spine Clinic')
  })

  itEachEngine('%s: draft note: a save from a stale window names the provider and when; the note keeps the saved text', async (engine) => {
    const { c, ana, patientId } = await twoPhysicians(engine)
    const n = await c.ok(ana, 'consultations.open', { patientId })
    const other = newWindow()
    await c.ok(other, 'session.signIn', { username: 'ana', password: PASSWORD })
    await c.ok(other, 'consultations.save', { id: n.id, version: n.version, fields: { ...n.fields, chiefComplaint: 'Sudden mid-back pain' } })
    const r = await c.call(ana, 'consultations.save', { id: n.id, version: n.version, fields: { ...n.fields, chiefComplaint: 'Fell from a chair' } })
    expectError(r, 'conflict', 'version')
    if (r.ok) return
    expect(r.error.message).toMatch(/^physician ana changed this note \(.+\) since you opened it\. Your changes were not saved/)
    expect(staleVersionDetail(r.error.detail)).toMatchObject({ changedBy: 'physician ana', changedAt: c.clock.now.toISOString() })
    expect((await c.ok(ana, 'consultations.get', { id: n.id })).fields.chiefComplaint).toBe('Sudden mid-back pain')
  })

  itEachEngine("%s: patient's details and a user account: who changed them, with the current values", async (engine) => {
    const { c, desk, patientId } = await twoPhysicians(engine)
    const desk2 = await c.as('frontDesk', 'desk2')
    const p = await c.ok(desk, 'patients.get', { id: patientId })
    await c.ok(desk2, 'patients.update', { ...p, phone: '(555) 000-1111' })
    const r = await c.call(desk, 'patients.update', { ...p, phone: '(555) 999-2222' })
    expectError(r, 'conflict')
    if (r.ok) return
    expect(r.error.message).toMatch(/^frontDesk desk2 changed this patient's details/)
    expect(staleVersionDetail(r.error.detail)).toMatchObject({ changedBy: 'frontDesk desk2', current: { phone: '(555) 000-1111' } })

    const admin = newWindow()
    await c.ok(admin, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    const second = await c.as('admin', 'second')
    const [u] = (await c.ok(admin, 'users.list', {})).filter((x) => x.username === 'desk')
    await c.ok(second, 'users.update', { id: u!.id, version: u!.version, displayName: 'Desk One', role: u!.role, active: true })
    const ru = await c.call(admin, 'users.update', { id: u!.id, version: u!.version, displayName: 'Desk 1', role: u!.role, active: true })
    expectError(ru, 'conflict')
    if (ru.ok) return
    expect(ru.error.message).toMatch(/^admin second changed Desk One's account/)
    expect(staleVersionDetail(ru.error.detail)).toMatchObject({ changedBy: 'admin second', current: { displayName: 'Desk One' } })
  })
})
