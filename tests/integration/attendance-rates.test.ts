/**
 * The Outcomes dashboard's confirmation and no-show rates (issue 21 point 5), through the router on SQLite and
 * PostgreSQL, on a small known clinic day: Monday 30 November 2026 in New York.
 *
 *   A 09:30 Vertebroplasty  dr A  Núñez-García (e-mail)  confirmed by a call, arrived
 *   B 10:00 Follow-up       dr B  Baker (letter)          confirmed from the schedule, no-show
 *   C 10:30 Follow-up       dr A  Lovelace (phone)        never confirmed, no-show
 *   D 11:00 Follow-up       dr B  Turing (phone)          cancelled
 *   E Tuesday 10:00         dr A  Lovelace                still to come: not due, not counted
 *
 * At 11:30: 4 due; confirmed 2 of 4 (cancelled D counts in the denominator); no-shows 2 of 3 (D left out).
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine, expectError, type TestEngine } from './harness'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

describeEachEngine('confirmation and no-show rates on %s', (engine: TestEngine) => {
  let c: ScheduleClinic
  const MON = '2026-11-30'

  beforeEach(async () => {
    c = await openScheduleClinic(engine)
    const prefer = async (i: number, contactPreference: 'email' | 'letter') => {
      const p = await c.ok(c.desk, 'patients.get', { id: c.patients[i]! })
      await c.ok(c.desk, 'patients.update', { ...p, contactPreference })
    }
    await prefer(0, 'email')
    await prefer(1, 'letter')
  })
  afterEach(async () => c?.close())

  it('gives the rates overall, by type and by channel, for the period and for one physician', async () => {
    const book = async (i: number, code: string, date: string, time: string, provider: number) =>
      (await c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[i]!, typeId: c.type(code).id, providerId: provider, startsAt: local(date, time) })).appointments[0]!
    const status = async (a: { id: number; version: number }, s: 'confirmed' | 'arrived' | 'noshow' | 'cancelled', reason = '') =>
      c.ok(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: a.version, status: s, reason })
    const a = await book(0, 'vertebroplasty', MON, '09:30', c.drAId)
    const b = await book(1, 'follow-up', MON, '10:00', c.drBId)
    const cc = await book(2, 'follow-up', MON, '10:30', c.drAId)
    const d = await book(3, 'follow-up', MON, '11:00', c.drBId)
    await book(2, 'follow-up', '2026-12-01', '10:00', c.drAId)

    const aConfirmed = (await c.ok(c.desk, 'confirmations.logAttempt', { appointmentId: a.id, version: a.version, outcome: 'reached', confirm: true })).appointment
    const bConfirmed = await status(b, 'confirmed')
    await status(d, 'cancelled', 'Family emergency')
    c.clock.now = new Date(local(MON, '09:35'))
    await status(aConfirmed, 'arrived')
    c.clock.now = new Date(local(MON, '11:30'))
    await status(bConfirmed, 'noshow')
    await status(cc, 'noshow')

    const r = await c.ok(c.manager, 'outcomes.attendance', { from: MON, to: MON })
    const brief = (g: { label: string; due: number; confirmation: { numerator: number; denominator: number }; noShow: { numerator: number; denominator: number } }) => [
      g.label,
      g.due,
      `${g.confirmation.numerator}/${g.confirmation.denominator}`,
      `${g.noShow.numerator}/${g.noShow.denominator}`,
    ]
    expect(brief(r.overall)).toEqual(['All appointments', 4, '2/4', '2/3'])
    expect(r.overall.confirmation.rate).toBe(0.5)
    expect(r.byType.map(brief)).toEqual([
      ['Follow-up consultation', 3, '1/3', '2/2'],
      ['Vertebroplasty', 1, '1/1', '0/1'],
    ])
    expect(r.byChannel.map(brief)).toEqual([
      ['Phone', 2, '0/2', '1/1'],
      ['E-mail', 1, '1/1', '0/1'],
      ['Letter', 1, '1/1', '1/1'],
    ])
    const drB = await c.ok(c.manager, 'outcomes.attendance', { from: MON, to: MON, physicianId: c.drBId })
    expect(brief(drB.overall)).toEqual(['All appointments', 2, '1/2', '1/1'])
    // Tuesday's appointment has not come yet: nothing is due, and a rate over nothing is no rate
    const tomorrow = await c.ok(c.manager, 'outcomes.attendance', { from: '2026-12-01', to: '2026-12-31' })
    expect(tomorrow.overall).toMatchObject({ due: 0, confirmation: { rate: null }, noShow: { rate: null } })
    expect(tomorrow.byChannel).toEqual([])

    expectError(await c.call(c.manager, 'outcomes.attendance', { from: '2026-12-02', to: MON }), 'invalid_input', 'from')
    expectError(await c.call(c.desk, 'outcomes.attendance', { from: MON, to: MON }), 'forbidden')
  })
})
