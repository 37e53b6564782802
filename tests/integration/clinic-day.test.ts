/**
 * The clinic's day is decided by the clinic's time zone setting and the router's clock, never by UTC or by the
 * zone this process runs in: at 01:00 UTC on 7 December it is still the evening of the 6th in New York (the
 * default zone). The same file passes with TZ=Asia/Tokyo, and under faketime at any hour. (December 2025: the
 * shared patient schema holds birth dates to the real clock, so the router's clock is set in the past.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openClinic, PASSWORD, SAMPLE_PATIENT, tableCounts, type Clinic } from './harness'

let clinic: Clinic
let admin: string
let desk: string
let doc: string
let manager: string

/** Moves the router's clock; the windows were active just now (so the idle lock does not take them). */
function at(iso: string) {
  clinic.clock.now = new Date(iso)
  for (const w of [admin, desk, doc, manager]) clinic.router.sessions.get(w)!.lastActivity = clinic.clock.now.getTime()
}

async function setZone(timeZone: string) {
  const s = await clinic.ok(admin, 'settings.get')
  await clinic.ok(admin, 'settings.update', { version: s.version, settings: { ...s.settings, timeZone } })
}

beforeEach(async () => {
  clinic = await openClinic()
  admin = await clinic.as('admin', 'clockadmin')
  desk = await clinic.as('frontDesk', 'clockdesk')
  doc = await clinic.as('physician', 'clockdoc')
  manager = await clinic.as('manager', 'clockboss')
})
afterEach(async () => clinic?.close())

describe("the clinic's day at 01:00 UTC (20:00 the evening before in New York)", () => {
  it('registers a baby born this evening, and refuses a birth date of tomorrow naming the field, saving nothing', async () => {
    at('2025-12-07T01:00:00.000Z')
    const born = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Evening', dateOfBirth: '2025-12-06' })
    expect(born.dateOfBirth).toBe('2025-12-06')

    const before = await tableCounts(clinic.database)
    const refused = await clinic.call(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Tomorrow', dateOfBirth: '2025-12-07' })
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error).toMatchObject({ code: 'invalid_input', fields: { dateOfBirth: 'cannot be in the future' } })
      expect(refused.error.message).toMatch(/Date of birth cannot be in the future/)
    }
    expect(await tableCounts(clinic.database)).toEqual(before)
    // a correction to tomorrow is refused the same way
    const edit = await clinic.call(desk, 'patients.update', { ...SAMPLE_PATIENT, firstName: 'Evening', dateOfBirth: '2025-12-07', id: born.id, version: born.version })
    expect(edit.ok).toBe(false)

    // a clinic in Tokyo is already on the 7th
    await setZone('Asia/Tokyo')
    expect((await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Morning', dateOfBirth: '2025-12-07' })).dateOfBirth).toBe('2025-12-07')
  })

  it("dates the note, the procedure, tonight's stays and the waiting board the 6th, and counts age on the 6th", async () => {
    const p = await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, dateOfBirth: '2000-12-07' })
    at('2025-12-07T01:00:00.000Z')
    expect((await clinic.ok(doc, 'consultations.open', { patientId: p.id })).fields.visitDate).toBe('2025-12-06')
    expect((await clinic.ok(doc, 'procedures.open', { patientId: p.id, kind: 'kyphoplasty' })).fields.procedureDate).toBe('2025-12-06')
    expect((await clinic.ok(manager, 'stays.list', {})).tonight).toBe('2025-12-06')
    expect((await clinic.ok(desk, 'schedule.board.today', {})).date).toBe('2025-12-06')
    // the 25th birthday is tomorrow in New York
    expect((await clinic.ok(doc, 'chart.get', { patientId: p.id })).header.age).toBe(24)

    // midnight in New York (05:00 UTC): the 7th, and the birthday
    at('2025-12-07T05:00:00.000Z')
    expect((await clinic.ok(desk, 'schedule.board.today', {})).date).toBe('2025-12-07')
    expect((await clinic.ok(doc, 'chart.get', { patientId: p.id })).header.age).toBe(25)
  })

  it("names the clinic's time, with its zone, in the messages that quote one", async () => {
    at('2025-12-07T01:00:00.000Z')
    const p = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    await clinic.ok(desk, 'patients.update', { ...SAMPLE_PATIENT, phone: '(555) 201-0000', id: p.id, version: p.version })
    const stale = await clinic.call(desk, 'patients.update', { ...SAMPLE_PATIENT, phone: '(555) 201-1111', id: p.id, version: p.version })
    expect(stale.ok).toBe(false)
    if (!stale.ok) expect(stale.error.message).toContain("changed this patient's details (2025-12-06 20:00 EST)")

    const n = await clinic.ok(doc, 'consultations.open', { patientId: p.id })
    const signed = await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD } as never)
    const locked = await clinic.call(doc, 'consultations.save', { id: signed.id, version: signed.version, fields: { ...signed.fields, chiefComplaint: 'Later' } } as never)
    expect(locked.ok).toBe(false)
    if (!locked.ok) expect(locked.error).toMatchObject({ code: 'locked', message: expect.stringContaining('on 2025-12-06 20:00 EST and is locked') })
  })

  it("says until when an account is locked on the clinic's clock", async () => {
    at('2025-12-07T01:00:00.000Z')
    await clinic.ok(desk, 'session.lock', {})
    let last = await clinic.call(desk, 'session.unlock', { password: 'not-the-password' })
    // five wrong passwords, five minutes apart (past this window's growing wait between tries)
    for (let i = 1; i < 5; i++) {
      clinic.clock.now = new Date(clinic.clock.now.getTime() + 5 * 60_000)
      last = await clinic.call(desk, 'session.unlock', { password: 'not-the-password' })
    }
    expect(last.ok).toBe(false)
    if (!last.ok) expect(last.error.message).toContain('locked after 5 wrong passwords until 20:35 EST')
  })

  it('refuses a visit dated tomorrow in the clinic, naming the field', async () => {
    const p = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
    at('2025-12-07T01:00:00.000Z')
    const r = await clinic.call(doc, 'consultations.open', { patientId: p.id, visitDate: '2025-12-07' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_input', fields: { visitDate: expect.stringContaining('today is 2025-12-06') } })
    expect((await clinic.ok(doc, 'consultations.open', { patientId: p.id, visitDate: '2025-12-06' })).fields.visitDate).toBe('2025-12-06')
  })
})
