/**
 * The patient page's appointments (schedule.appointments.forPatient), through the router on each engine: what
 * the front desk reads there is the patient's own appointments, split at the main process's clock into
 * upcoming (soonest first, a cancelled one with its reason) and past (newest first, each with its status), and
 * a move or a cancellation made from the page is what the list shows next.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { STATUS_LABELS } from '../../shared/schemas/scheduling'
import { describeEachEngine, expectError } from './harness'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic

async function book(patient: number, date: string, time: string, code = 'follow-up') {
  const r = await c.ok(c.desk, 'schedule.appointments.book', { patientId: patient, typeId: c.type(code).id, providerId: c.drAId, startsAt: local(date, time) })
  return r.appointments[0]!
}

describeEachEngine('the patient page lists the patient\'s appointments on %s', (engine) => {
  beforeEach(async () => {
    c = await openScheduleClinic(engine)
  })
  afterEach(async () => c?.close())

  it('splits them at now into upcoming and past, each with its status, cancellations with their reason', async () => {
    const [p, other] = [c.patients[0]!, c.patients[1]!]
    // last week: one attended, one missed, one called off
    c.clock.now = new Date(local('2026-11-24', '08:00'))
    const attended = await book(p, '2026-11-24', '10:00')
    const missed = await book(p, '2026-11-25', '10:00')
    const calledOff = await book(p, '2026-11-27', '10:00')
    c.clock.now = new Date(local('2026-11-24', '10:05'))
    const arrived = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: attended.id, version: attended.version, status: 'arrived', reason: '' })
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: arrived.id, version: arrived.version, status: 'completed', reason: '' })
    c.clock.now = new Date(local('2026-11-25', '11:00'))
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: missed.id, version: missed.version, status: 'noshow', reason: '' })
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: calledOff.id, version: calledOff.version, status: 'cancelled', reason: 'Patient unwell' })

    // Monday 30 November, 09:00: one visit this morning is over, one is running, two are to come
    c.clock.now = new Date(local('2026-11-30', '09:00'))
    const overThisMorning = await book(p, '2026-11-30', '08:30') // 08:30-08:50
    const running = await book(p, '2026-11-30', '08:50') // 08:50-09:10
    const procedure = await book(p, '2026-12-02', '09:00', 'vertebroplasty')
    const tomorrow = await book(p, '2026-12-01', '10:00')
    await book(other, '2026-12-01', '11:00')
    const cancelled = await book(p, '2026-12-03', '14:00')
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: cancelled.id, version: cancelled.version, status: 'cancelled', reason: 'Hospitalised elsewhere' })

    const list = await c.ok(c.desk, 'schedule.appointments.forPatient', { patientId: p })
    expect(list.now).toBe(local('2026-11-30', '09:00'))
    expect(list.timeZone).toBe('America/New_York')
    expect(list.upcoming.map((a) => [a.id, a.typeName, STATUS_LABELS[a.status]])).toEqual([
      [running.id, 'Follow-up consultation', 'Booked'],
      [tomorrow.id, 'Follow-up consultation', 'Booked'],
      [procedure.id, 'Vertebroplasty', 'Booked'],
      [cancelled.id, 'Follow-up consultation', 'Cancelled'],
    ])
    expect(list.upcoming.at(-1)).toMatchObject({ cancelReason: 'Hospitalised elsewhere', cancelledBy: expect.stringContaining('desk') })
    expect(list.past.map((a) => [a.id, STATUS_LABELS[a.status], a.cancelReason])).toEqual([
      [overThisMorning.id, 'Booked', ''],
      [calledOff.id, 'Cancelled', 'Patient unwell'],
      [missed.id, 'No-show', ''],
      [attended.id, 'Completed', ''],
    ])
    expect(list.past.every((a) => a.patientId === p && a.providerName === 'physician dra')).toBe(true)
    expect(list.morePast).toBe(false)

    // the page asks for fewer past ones: the newest, and it says there are more
    const short = await c.ok(c.desk, 'schedule.appointments.forPatient', { patientId: p, pastLimit: 2 })
    expect(short.past.map((a) => a.id)).toEqual([overThisMorning.id, calledOff.id])
    expect(short.morePast).toBe(true)

    // the other patient sees only theirs
    const theirs = await c.ok(c.desk, 'schedule.appointments.forPatient', { patientId: other })
    expect([theirs.upcoming.length, theirs.past.length]).toEqual([1, 0])
  })

  it('shows a move and a cancellation made from the page, and each listing is in the patient\'s audit trail', async () => {
    const p = c.patients[2]!
    const first = await book(p, '2026-12-01', '10:00')
    const second = await book(p, '2026-12-02', '10:00')
    const moved = await c.ok(c.desk, 'schedule.appointments.move', { id: first.id, version: first.version, startsAt: local('2026-12-04', '15:00') })
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: second.id, version: second.version, status: 'cancelled', reason: 'Prefers another clinic' })
    const list = await c.ok(c.drA, 'schedule.appointments.forPatient', { patientId: p })
    expect(list.upcoming.map((a) => [a.id, a.startsAt, a.status, a.cancelReason])).toEqual([
      [second.id, local('2026-12-02', '10:00'), 'cancelled', 'Prefers another clinic'],
      [first.id, moved.startsAt, 'booked', ''],
    ])
    expect(moved.startsAt).toBe(local('2026-12-04', '15:00'))
    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'patient_id', 'details']).where('action', '=', 'patientAppointments.list').execute()
    expect(audit).toEqual([{ action: 'patientAppointments.list', patient_id: p, details: JSON.stringify({ upcoming: 2, past: 0 }) }])
  })

  describe('refusals', () => {
    it('names an unknown patient and a bad limit, and lets only the clinical staff read it', async () => {
      expectError(await c.call(c.desk, 'schedule.appointments.forPatient', { patientId: 999_999 }), 'not_found', 'patientId')
      expectError(await c.call(c.desk, 'schedule.appointments.forPatient', { patientId: c.patients[0]!, pastLimit: 0 }), 'invalid_input', 'pastLimit')
      expectError(await c.call(c.desk, 'schedule.appointments.forPatient', { patientId: 'one' } as never), 'invalid_input', 'patientId')
      expectError(await c.call(c.admin, 'schedule.appointments.forPatient', { patientId: c.patients[0]! }), 'forbidden')
      for (const w of [c.desk, c.drB, c.manager]) expect((await c.call(w, 'schedule.appointments.forPatient', { patientId: c.patients[0]! })).ok).toBe(true)
    })
  })
})
