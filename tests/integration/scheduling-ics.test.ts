/**
 * The iCalendar export is written by the `ics` library and read back here by an independent parser
 * (ical.js), then compared with what the database holds.
 */
import ICAL from 'ical.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportProviderIcs } from '../../electron/services/schedulingExport'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'
import { describeEachEngine } from './harness'

let c: ScheduleClinic

interface ParsedEvent {
  uid: string
  summary: string
  start: string
  end: string
  location: string
  description: string
  status: string
  sequence: number
}

function parse(ics: string): { name: string; events: ParsedEvent[] } {
  const cal = new ICAL.Component(ICAL.parse(ics))
  const events = cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v)
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      location: e.location,
      description: e.description,
      status: String(v.getFirstPropertyValue('status')),
      sequence: e.sequence,
    }
  })
  return { name: String(cal.getFirstPropertyValue('x-wr-calname') ?? cal.getFirstPropertyValue('name') ?? ''), events }
}

describeEachEngine('on %s', (engine) => {
  beforeEach(async () => {
    c = await openScheduleClinic(engine)
  })
  afterEach(async () => c?.close())

  describe('iCalendar export of a provider schedule', () => {
    it('round-trips every appointment of the provider in the range, in UTC, with stable ids', async () => {
      const book = (over: Record<string, unknown>) =>
        c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[0]!, typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local('2026-12-01', '10:00'), ...over } as never)
      const [a] = (await book({ notes: 'Bring MRI, CD; "urgent"' })).appointments
      const [p] = (await book({ typeId: c.type('kyphoplasty').id, patientId: c.patients[1]!, startsAt: local('2026-12-02', '08:00') })).appointments
      // Across the DST change in March the local time stays, the UTC time moves.
      const series = (await book({ patientId: c.patients[2]!, startsAt: local('2027-03-08', '09:00'), repeat: { times: 2 } })).appointments
      const [x] = (await book({ patientId: c.patients[3]!, startsAt: local('2026-12-03', '11:00') })).appointments
      await c.ok(c.desk, 'schedule.appointments.setStatus', { id: x!.id, version: 0, status: 'cancelled', reason: 'Unwell' })
      // Not this provider, and outside the range: left out.
      await book({ providerId: c.drBId, patientId: c.patients[3]!, startsAt: local('2026-12-01', '10:00') })
      await book({ patientId: c.patients[3]!, startsAt: local('2027-04-01', '10:00') })

      const file = await c.ok(c.drA, 'schedule.export.ics', { providerId: c.drAId, from: '2026-12-01', to: '2027-03-31' })
      expect(file).toMatchObject({ contentType: 'text/calendar', filename: 'schedule-physician-dra-2026-12-01-to-2027-03-31.ics', events: 5 })
      const parsed = parse(file.ics)
      expect(parsed.name).toBe('physician dra: 2026-12-01 to 2027-03-31')

      const rows = await c.database.db.selectFrom('appointments').selectAll().where('provider_id', '=', c.drAId).where('starts_at', '<', '2027-04-01').orderBy('starts_at').execute()
      expect(parsed.events.map((e) => e.uid)).toEqual(rows.map((r) => `appointment-${r.id}@spine-clinic`))
      for (const [i, e] of parsed.events.entries()) {
        expect(e.start).toBe(rows[i]!.starts_at)
        expect(e.end).toBe(rows[i]!.ends_at)
        expect(e.sequence).toBe(rows[i]!.version)
      }
      const byId = (id: number) => parsed.events.find((e) => e.uid === `appointment-${id}@spine-clinic`)!
      expect(byId(a!.id)).toMatchObject({ summary: 'Follow-up consultation: Núñez-García, María José', location: 'Consultation room 1', status: 'CONFIRMED' })
      expect(byId(a!.id).description).toBe('MRN SC-000001\nStatus: Booked\nBring MRI, CD; "urgent"')
      expect(byId(p!.id)).toMatchObject({ summary: 'Kyphoplasty: Baker, Tom', location: 'Procedure suite', end: local('2026-12-02', '09:00') })
      expect(byId(x!.id)).toMatchObject({ status: 'CANCELLED' })
      expect(byId(x!.id).description).toContain('Reason: Unwell')
      expect([byId(series[0]!.id).start, byId(series[1]!.id).start]).toEqual(['2027-03-08T14:00:00.000Z', '2027-03-15T13:00:00.000Z'])

      const audit = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'schedule.export').execute()
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ username: 'dra', entity_id: String(c.drAId) })
      expect(JSON.parse(audit[0]!.details)).toMatchObject({ format: 'ics', events: 5, from: '2026-12-01', to: '2027-03-31' })
    })

    it('is a service function the CLI can call, and refuses a range that is not one', async () => {
      const empty = await exportProviderIcs(c.database.db, c.drAId, '2026-12-01', '2026-12-07')
      expect(empty.events).toBe(0)
      expect(parse(empty.ics).events).toEqual([])
      await expect(exportProviderIcs(c.database.db, c.drAId, '2026-12-07', '2026-12-01')).rejects.toMatchObject({ code: 'invalid_input', fields: { to: expect.any(String) } })
      await expect(exportProviderIcs(c.database.db, c.drAId, '2026-01-01', '2027-06-01')).rejects.toMatchObject({ code: 'invalid_input' })
      const r = await c.call(c.desk, 'schedule.export.ics', { providerId: c.patients[0]! + 100, from: '2026-12-01', to: '2026-12-02' })
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { providerId: 'must be a physician' } } })
      expect((await c.call(c.admin, 'schedule.export.ics', { providerId: c.drAId, from: '2026-12-01', to: '2026-12-02' })).ok).toBe(false)
    })
  })

  describe('printing a day list', () => {
    it('is audited with whose list, which day and which patients, and leaves appointments as they were', async () => {
      const book = (patientId: number, time: string, providerId = c.drAId) =>
        c.ok(c.desk, 'schedule.appointments.book', { patientId, typeId: c.type('follow-up').id, providerId, startsAt: local('2026-12-01', time) } as never)
      await book(c.patients[0]!, '09:00')
      await book(c.patients[1]!, '10:00')
      await book(c.patients[2]!, '10:00', c.drBId)
      const before = await c.database.db.selectFrom('appointments').selectAll().orderBy('id').execute()

      expect(await c.ok(c.desk, 'schedule.dayList.printed', { providerId: c.drAId, date: '2026-12-01' })).toEqual({ appointments: 2 })

      const audit = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'schedule.dayList.print').execute()
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ username: 'desk', entity: 'provider_schedule', entity_id: String(c.drAId) })
      expect(JSON.parse(audit[0]!.details)).toEqual({ date: '2026-12-01', appointments: 2, patientIds: [c.patients[0], c.patients[1]] })
      expect(await c.database.db.selectFrom('appointments').selectAll().orderBy('id').execute()).toEqual(before)
      expect(await c.call(c.desk, 'schedule.dayList.printed', { providerId: c.drAId, date: '2026-13-01' })).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { date: expect.any(String) } } })
    })
  })
})
