/**
 * The schedule's hot queries must stay index lookups as the appointments table grows. This drives
 * every scheduling channel through the router, records each statement the services run,
 * and checks its EXPLAIN QUERY PLAN: appointments and patients are only ever SEARCHed, never
 * SCANned (a full table scan, or a walk over a whole index). The check runs once as the app runs
 * (no statistics) and once after ANALYZE on generated data, so that neither plan depends on luck.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../shared/scheduling/time'
import { generateSchedule } from '../../electron/seed/schedule'
import { local, openScheduleClinic, TZ, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic
const statements = new Set<string>()
let recording = false

beforeAll(async () => {
  // Every statement the services run, as Kysely runs it (SQLite statements are kept once prepared, so a
  // prepare hook would miss any first run before the recording starts).
  c = await openScheduleClinic('sqlite', {
    onQuery: (sql) => {
      if (recording && /\bappointments\b/.test(sql)) statements.add(sql)
    },
  })
  generateSchedule(c.database, { appointments: 5000, providers: 6, patients: 600, lastDay: '2027-02-26', today: '2026-11-30', timeZone: TZ })
  recording = true

  // One of everything the scheduling screens do.
  const TUE = '2026-12-01'
  await c.ok(c.desk, 'schedule.view', { from: '2026-11-30', days: 7, providerIds: [c.drAId], roomIds: [c.room('Consultation room 1').id] })
  await c.ok(c.desk, 'schedule.view', { from: '2026-11-30', days: 1 })
  const { appointments } = await c.ok(c.desk, 'schedule.appointments.book', {
    patientId: c.patients[0]!, typeId: c.type('vertebroplasty').id, providerId: c.drAId, startsAt: local(TUE, '08:00'), repeat: { times: 2 },
  })
  const a = appointments[0]!
  await c.call(c.desk, 'schedule.appointments.book', { patientId: c.patients[0]!, typeId: c.type('follow-up').id, providerId: c.drBId, startsAt: local(TUE, '09:30') })
  await c.ok(c.desk, 'schedule.slots.check', { patientId: c.patients[1]!, typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local(TUE, '08:30') })
  await c.ok(c.desk, 'schedule.slots.next', { typeId: c.type('kyphoplasty').id, providerId: c.drBId, patientId: c.patients[2]! })
  const moved = await c.ok(c.desk, 'schedule.appointments.move', { id: a.id, version: a.version, startsAt: local('2026-12-02', '08:00') })
  await c.ok(c.desk, 'schedule.appointments.setStatus', { id: moved.id, version: moved.version, status: 'cancelled', reason: 'Unwell' })
  // the ASAP list: who fits a freed slot reads the waiting patients' appointments by patient and time
  await c.ok(c.desk, 'schedule.asap.add', { patientId: c.patients[3]!, typeId: c.type('follow-up').id, windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }] })
  await c.ok(c.desk, 'schedule.asap.fitsSlot', { typeId: c.type('follow-up').id, providerId: c.drAId, roomId: c.room('Consultation room 1').id, startsAt: local(TUE, '11:00'), endsAt: local(TUE, '11:20') })
  await c.ok(c.desk, 'schedule.appointments.get', { id: a.id })
  await c.ok(c.desk, 'schedule.appointments.forPatient', { patientId: c.patients[0]! })
  await c.ok(c.desk, 'schedule.board.today', {})
  await c.ok(c.desk, 'schedule.board.today', { providerId: c.drAId })
  await c.ok(c.desk, 'schedule.lists.rebook', { kind: 'cancelled', from: '2026-11-01', to: addDays(TUE, 30) })
  await c.ok(c.desk, 'schedule.lists.rebook', { kind: 'noshow', from: '2026-11-01', to: TUE, includeRebooked: true })
  await c.ok(c.desk, 'schedule.export.ics', { providerId: c.drAId, from: '2026-11-30', to: '2026-12-31' })
  await c.call(c.admin, 'schedule.closedDays.add', { date: TUE, reason: 'Training' })
  await c.call(c.admin, 'schedule.rooms.update', { ...c.room('Consultation room 1'), active: false })
  recording = false
})
afterAll(async () => c?.close())

function plan(sql: string): string[] {
  const params = (sql.match(/\?/g) ?? []).length
  return (c.database.sqlite!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...new Array(params).fill(null)) as { detail: string }[]).map((r) => r.detail)
}

function fullScans(): { sql: string; plan: string[] }[] {
  return [...statements]
    .map((sql) => ({ sql, plan: plan(sql) }))
    .filter((p) => p.plan.some((line) => /^SCAN (appointments|patients|later)\b/.test(line)))
}

describe('query plans of the schedule', () => {
  it('records the statements of every scheduling channel', () => {
    expect(statements.size).toBeGreaterThan(15)
  })

  it('uses an index for every query on appointments, as the app runs (no statistics)', () => {
    expect(fullScans()).toEqual([])
  })

  it('still does after ANALYZE has gathered statistics on a filled table', () => {
    c.database.sqlite!.exec('ANALYZE')
    expect(fullScans()).toEqual([])
    c.database.sqlite!.exec('DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4')
  })

  it('looks up each lane by its own index (provider, room, bay, patient) rather than by status', () => {
    const used = new Set([...statements].flatMap((sql) => plan(sql)).flatMap((l) => /USING (?:COVERING )?INDEX (appointments_\w+)/.exec(l)?.[1] ?? []))
    expect([...used]).toEqual(expect.arrayContaining(['appointments_provider_start', 'appointments_room_start', 'appointments_obs_room_start', 'appointments_patient_start']))
  })
})
