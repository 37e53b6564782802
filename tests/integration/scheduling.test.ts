import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { allCounts, local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'
import { describeEachEngine } from './harness'
import { fieldName } from '../../shared/fieldNames'

let c: ScheduleClinic

const MON = '2026-11-30'
const TUE = '2026-12-01'

async function book(over: Record<string, unknown> = {}) {
  return c.ok(c.desk, 'schedule.appointments.book', {
    patientId: c.patients[0]!,
    typeId: c.type('follow-up').id,
    providerId: c.drAId,
    roomId: c.room('Consultation room 1').id,
    startsAt: local(TUE, '10:00'),
    ...over,
  } as never)
}
async function refuse(window: string, channel: string, input: unknown) {
  const r = await c.router.call(window, channel, input)
  expect(r.ok, JSON.stringify(r)).toBe(false)
  if (r.ok) throw new Error('unreachable')
  return r.error
}

describeEachEngine('on %s', (engine) => {
  beforeEach(async () => {
    c = await openScheduleClinic(engine)
  })
  afterEach(async () => c?.close())

  describe('setup seeded by the migration', () => {
    it('offers the five spine-clinic appointment types, the rooms and Mon-Fri 08:00-17:00', async () => {
      const s = c.setup
      expect(s.timeZone).toBe('America/New_York')
      expect(s.types.map((t) => [t.name, t.durationMinutes, t.roomKind, t.observationMinutes])).toEqual([
        ['New patient consultation', 45, 'consultation', 0],
        ['Follow-up consultation', 20, 'consultation', 0],
        ['Vertebroplasty', 60, 'procedure', 120],
        ['Kyphoplasty', 60, 'procedure', 120],
        ['Post-procedure follow-up', 20, 'consultation', 0],
      ])
      expect(s.rooms.map((r) => [r.name, r.kind])).toEqual([
        ['Consultation room 1', 'consultation'],
        ['Consultation room 2', 'consultation'],
        ['Procedure suite', 'procedure'],
        ['Observation bay 1', 'observation'],
        ['Observation bay 2', 'observation'],
      ])
      expect(s.hours.map((h) => (h.open ? `${h.weekday} ${h.opens}-${h.closes}` : `${h.weekday} closed`))).toEqual([
        '1 08:00-17:00', '2 08:00-17:00', '3 08:00-17:00', '4 08:00-17:00', '5 08:00-17:00', '6 closed', '7 closed',
      ])
      expect(s.providers.map((p) => p.displayName)).toEqual(['physician dra', 'physician drb'])
    })

    it('lets the administrator add a type and a room, edit hours and close a day; others may not', async () => {
      const t = await c.ok(c.admin, 'schedule.types.create', { name: 'Bone density review', code: 'dexa-review', colour: '#0CA678', durationMinutes: 30, roomKind: 'consultation' })
      expect(t).toMatchObject({ colour: '#0ca678', observationMinutes: 0, active: true, version: 0 })
      const room = await c.ok(c.admin, 'schedule.rooms.create', { name: 'Consultation room 3', kind: 'consultation' })
      const sat = c.setup.hours.find((h) => h.weekday === 6)!
      await c.ok(c.admin, 'schedule.hours.update', { weekday: 6, version: sat.version, open: true, opens: '09:00', closes: '12:00' })
      await c.ok(c.admin, 'schedule.closedDays.add', { date: '2026-12-25', reason: 'Christmas Day' })
      // The new type, room and Saturday morning are bookable at once.
      const { appointments } = await book({ typeId: t.id, roomId: room.id, startsAt: local('2026-12-05', '09:00') })
      expect(appointments[0]).toMatchObject({ typeName: 'Bone density review', roomName: 'Consultation room 3', colour: '#0ca678', endsAt: local('2026-12-05', '09:30') })
      const closed = await refuse(c.desk, 'schedule.appointments.book', { patientId: c.patients[1], typeId: t.id, providerId: c.drAId, startsAt: local('2026-12-25', '10:00') })
      expect(closed).toMatchObject({ code: 'conflict', fields: { startsAt: expect.stringContaining('Christmas Day') } })

      for (const w of [c.desk, c.drA, c.manager]) {
        expect(await refuse(w, 'schedule.rooms.create', { name: 'Sneaky', kind: 'consultation' })).toMatchObject({ code: 'forbidden' })
      }
      const actions = (await c.database.db.selectFrom('audit_log').select('action').where('username', '=', 'admin2').execute()).map((r) => r.action)
      expect(actions).toEqual(expect.arrayContaining(['appointmentType.create', 'room.create', 'clinicHours.update', 'closedDay.add']))
    })

    it('a booking that names no room takes the first free one in the order the administrator set, never an inactive one', async () => {
      const [one, two] = [c.room('Consultation room 1'), c.room('Consultation room 2')]
      // room 2 first, then a third room ahead of both that is taken out of use
      await c.ok(c.admin, 'schedule.rooms.update', { id: two.id, version: two.version, name: two.name, kind: two.kind, sortOrder: 0, active: true })
      await c.ok(c.admin, 'schedule.rooms.update', { id: one.id, version: one.version, name: one.name, kind: one.kind, sortOrder: 5, active: true })
      const closed = await c.ok(c.admin, 'schedule.rooms.create', { name: 'Consultation room 0', kind: 'consultation', sortOrder: 0 })
      await c.ok(c.admin, 'schedule.rooms.update', { id: closed.id, version: closed.version, name: closed.name, kind: closed.kind, sortOrder: 0, active: false })
      const first = await book({ roomId: undefined })
      const second = await book({ roomId: undefined, patientId: c.patients[1]!, providerId: c.drBId })
      expect([first.appointments[0]!.roomName, second.appointments[0]!.roomName]).toEqual(['Consultation room 2', 'Consultation room 1'])
    })

    it('refuses a stale edit of a type, and refuses closing a day that has bookings', async () => {
      const fu = c.type('follow-up')
      await c.ok(c.admin, 'schedule.types.update', { ...fu, durationMinutes: 30 })
      const stale = await refuse(c.admin, 'schedule.types.update', { ...fu, durationMinutes: 15 })
      expect(stale.code).toBe('conflict')
      expect((await c.ok(c.desk, 'schedule.setup.get')).types.find((t) => t.id === fu.id)!.durationMinutes).toBe(30)

      const { appointments } = await book()
      const r = await refuse(c.admin, 'schedule.closedDays.add', { date: TUE, reason: 'Staff training' })
      expect(r).toMatchObject({ code: 'conflict', detail: { appointmentIds: [appointments[0]!.id] } })
      const retire = await refuse(c.admin, 'schedule.rooms.update', { ...c.room('Consultation room 1'), active: false })
      expect(retire.message).toContain(`#${appointments[0]!.id}`)
    })
  })

  describe('booking', () => {
    it('books from an empty slot; the end follows the type; it shows in the provider and room lanes and is audited', async () => {
      const { appointments } = await book({ typeId: c.type('new-consultation').id })
      const a = appointments[0]!
      expect(a).toMatchObject({
        patientName: 'Núñez-García, María José',
        typeName: 'New patient consultation',
        providerName: 'physician dra',
        roomName: 'Consultation room 1',
        startsAt: '2026-12-01T15:00:00.000Z',
        endsAt: '2026-12-01T15:45:00.000Z',
        status: 'booked',
        fhirStatus: 'booked',
        version: 0,
      })
      const byProvider = await c.ok(c.desk, 'schedule.view', { from: MON, days: 7, providerIds: [c.drAId] })
      const byRoom = await c.ok(c.manager, 'schedule.view', { from: TUE, roomIds: [c.room('Consultation room 1').id] })
      const otherLane = await c.ok(c.desk, 'schedule.view', { from: MON, days: 7, providerIds: [c.drBId], roomIds: [c.room('Consultation room 2').id] })
      expect(byProvider.appointments.map((x) => x.id)).toEqual([a.id])
      expect(byRoom.appointments.map((x) => x.id)).toEqual([a.id])
      expect(otherLane.appointments).toEqual([])
      // Both lanes of one appointment (its physician and its room) list it once.
      const both = await c.ok(c.desk, 'schedule.view', { from: TUE, providerIds: [c.drAId, c.drBId], roomIds: [c.room('Consultation room 1').id] })
      const mixed = await c.ok(c.desk, 'schedule.view', { from: TUE, providerIds: [c.drBId], roomIds: [c.room('Consultation room 1').id] })
      expect(both.appointments.map((x) => x.id)).toEqual([a.id])
      expect(mixed.appointments.map((x) => x.id)).toEqual([a.id])
      const audit = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'appointment.book').execute()
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ username: 'desk', entity: 'appointment', entity_id: String(a.id), patient_id: c.patients[0] })
    })

    it('answers a booking with the same view as reading it back, for a single booking and a series with a bay', async () => {
      const single = (await book()).appointments
      const series = (await book({ typeId: c.type('vertebroplasty').id, patientId: c.patients[1], roomId: undefined, startsAt: local(TUE, '08:00'), repeat: { times: 3 } })).appointments
      expect(series).toHaveLength(3)
      expect(series[0]!.observationRoomName).toBe('Observation bay 1')
      for (const a of [...single, ...series]) expect(a).toEqual(await c.ok(c.desk, 'schedule.appointments.get', { id: a.id }))
      expect(series.map((a) => a.seriesId)).toEqual([series[0]!.id, series[0]!.id, series[0]!.id])
    })

    it('picks a free room of the right kind when none is given', async () => {
      await book()
      const { appointments } = await book({ patientId: c.patients[1], providerId: c.drBId, roomId: undefined })
      expect(appointments[0]!.roomName).toBe('Consultation room 2')
    })

    it('refuses the same provider, the same room and the same patient at once, naming the appointment in the way', async () => {
      const first = (await book()).appointments[0]!
      const before = await allCounts(c.database)
      const cases = [
        [{ patientId: c.patients[1], roomId: c.room('Consultation room 2').id, startsAt: local(TUE, '10:10') }, 'provider', 'providerId'],
        [{ patientId: c.patients[1], providerId: c.drBId, startsAt: local(TUE, '09:50') }, 'room', 'roomId'],
        [{ providerId: c.drBId, roomId: c.room('Consultation room 2').id, startsAt: local(TUE, '10:19') }, 'patient', 'patientId'],
      ] as const
      for (const [over, kind, field] of cases) {
        const e = await refuse(c.desk, 'schedule.appointments.book', {
          patientId: c.patients[0], typeId: c.type('follow-up').id, providerId: c.drAId, roomId: c.room('Consultation room 1').id, ...over,
        })
        expect(e.code, kind).toBe('conflict')
        expect(e.message, kind).toContain(`appointment #${first.id}`)
        expect(e.message, kind).toContain('Núñez-García, María José')
        expect(e.fields, kind).toHaveProperty(field)
        expect(e.detail, kind).toMatchObject({ conflicts: [expect.objectContaining({ kind, appointmentId: first.id })] })
      }
      expect(await allCounts(c.database)).toEqual(before)
      // Back to back is not an overlap.
      await book({ patientId: c.patients[1], startsAt: local(TUE, '10:20') })
      await book({ patientId: c.patients[2], startsAt: local(TUE, '09:40') })
    })

    it('keeps an observation bay for two hours after a procedure, and the patient with it', async () => {
      const vp = c.type('vertebroplasty').id
      const bay1 = c.room('Observation bay 1').id
      const p1 = (await book({ typeId: vp, roomId: undefined, startsAt: local(TUE, '08:00') })).appointments[0]!
      expect(p1).toMatchObject({ roomName: 'Procedure suite', observationRoomName: 'Observation bay 1', endsAt: local(TUE, '09:00'), observationEndsAt: local(TUE, '11:00') })
      const p2 = (await book({ typeId: vp, patientId: c.patients[1], providerId: c.drBId, roomId: undefined, startsAt: local(TUE, '09:00') })).appointments[0]!
      expect(p2.observationRoomName).toBe('Observation bay 2')
      // A second suite, so that only the bays can be in the way: both are taken until 11:00 and 12:00,
      // so a procedure ending at 10:30 has nowhere to recover.
      const suite2 = await c.ok(c.admin, 'schedule.rooms.create', { name: 'Procedure suite 2', kind: 'procedure' })
      const e = await refuse(c.desk, 'schedule.appointments.book', { patientId: c.patients[2], typeId: vp, providerId: c.drAId, roomId: suite2.id, startsAt: local(TUE, '09:30') })
      expect(e).toMatchObject({ code: 'conflict', fields: { observationRoomId: expect.stringContaining(`appointment #${p1.id}`) } })
      expect(e.message).toContain(`appointment #${p2.id}`)
      // The first patient is still in observation at 10:30: no follow-up with another physician then.
      const busy = await refuse(c.desk, 'schedule.appointments.book', { patientId: c.patients[0], typeId: c.type('follow-up').id, providerId: c.drBId, startsAt: local(TUE, '10:30') })
      expect(busy).toMatchObject({ code: 'conflict', fields: { patientId: expect.stringContaining(`#${p1.id}`) } })
      // A bay that is busy cannot be chosen by name either.
      const named = await refuse(c.desk, 'schedule.appointments.book', { patientId: c.patients[3], typeId: vp, providerId: c.drBId, roomId: suite2.id, observationRoomId: bay1, startsAt: local(TUE, '08:00') })
      expect(named.fields).toHaveProperty('observationRoomId')
      // From 11:00 bay 1 is free again.
      const p3 = (await book({ typeId: vp, patientId: c.patients[2], roomId: suite2.id, startsAt: local(TUE, '10:00') })).appointments[0]!
      expect(p3).toMatchObject({ observationRoomName: 'Observation bay 1', observationEndsAt: local(TUE, '13:00') })
    })
  })

  describe('clinic hours', () => {
    it('refuses bookings outside the hours, at weekends and on closed days, and procedures whose observation runs past closing', async () => {
      await c.ok(c.admin, 'schedule.closedDays.add', { date: '2026-12-24', reason: 'Christmas Eve' })
      const before = await allCounts(c.database)
      const base = { patientId: c.patients[0], typeId: c.type('follow-up').id, providerId: c.drAId }
      const cases: [Record<string, unknown>, string][] = [
        [{ startsAt: local(TUE, '07:50') }, 'outside clinic hours (08:00–17:00 on Tuesdays)'],
        [{ startsAt: local(TUE, '16:50') }, 'outside clinic hours'],
        [{ startsAt: local('2026-12-05', '10:00') }, 'closed on Saturdays'],
        [{ startsAt: local('2026-12-24', '10:00') }, 'Christmas Eve'],
        [{ typeId: c.type('kyphoplasty').id, startsAt: local(TUE, '14:30') }, 'must end by closing time'],
      ]
      for (const [over, text] of cases) {
        const e = await refuse(c.desk, 'schedule.appointments.book', { ...base, ...over })
        expect(e.code, text).toBe('conflict')
        expect(e.message, text).toContain(text)
        expect(e.fields, text).toHaveProperty('startsAt')
      }
      expect(await allCounts(c.database)).toEqual(before)
      // 16:40-17:00 ends at closing: fine. A procedure at 14:00 ends its observation at 17:00: fine.
      await book({ startsAt: local(TUE, '16:40') })
      await book({ typeId: c.type('kyphoplasty').id, roomId: undefined, patientId: c.patients[1], startsAt: local(TUE, '14:00') })
    })

    it('keeps the clinic wall-clock across daylight saving: 08:00 in March is 12:00 UTC, in January 13:00 UTC', async () => {
      const jan = (await book({ startsAt: local('2027-01-04', '08:00') })).appointments[0]!
      const mar = (await book({ startsAt: '2027-03-15T12:00:00.000Z' })).appointments[0]!
      expect(jan.startsAt).toBe('2027-01-04T13:00:00.000Z')
      expect(mar.startsAt).toBe('2027-03-15T12:00:00.000Z')
      // 07:00 local in summer is 11:00 UTC, which in winter would have been 06:00 local: refused.
      const early = await refuse(c.desk, 'schedule.appointments.book', {
        patientId: c.patients[0], typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: '2027-03-15T11:00:00.000Z',
      })
      expect(early.message).toContain('07:00–07:20 is outside clinic hours')
    })
  })

  describe('repeated bookings', () => {
    it('books "every week, 6 times" as six rows at the same local time across DST, each movable on its own', async () => {
      const { appointments } = await book({ startsAt: local('2027-02-22', '10:00'), repeat: { everyWeeks: 1, times: 6 } })
      expect(appointments.map((a) => a.startsAt)).toEqual([
        '2027-02-22T15:00:00.000Z', '2027-03-01T15:00:00.000Z', '2027-03-08T15:00:00.000Z',
        // 14 March 2027: clocks go forward; 10:00 local is now 14:00 UTC.
        '2027-03-15T14:00:00.000Z', '2027-03-22T14:00:00.000Z', '2027-03-29T14:00:00.000Z',
      ])
      const seriesId = appointments[0]!.id
      expect(appointments.map((a) => [a.seriesId, a.seriesIndex])).toEqual([1, 2, 3, 4, 5, 6].map((i) => [seriesId, i]))
      const third = appointments[2]!
      const moved = await c.ok(c.desk, 'schedule.appointments.move', { id: third.id, version: third.version, startsAt: local('2027-03-09', '11:00') })
      expect(moved).toMatchObject({ startsAt: local('2027-03-09', '11:00'), seriesId })
      const rest = await c.ok(c.desk, 'schedule.view', { from: '2027-02-22', days: 14, providerIds: [c.drAId] })
      expect(rest.appointments.map((a) => a.startsAt)).toContain('2027-03-01T15:00:00.000Z')
      expect(await c.database.db.selectFrom('audit_log').select('id').where('action', '=', 'appointment.book').execute()).toHaveLength(6)
    })

    it('books none of a series when one week collides, and names that week and the appointment in the way', async () => {
      const blocker = (await book({ patientId: c.patients[1], startsAt: local('2026-12-15', '10:10') })).appointments[0]!
      const before = await allCounts(c.database)
      const e = await refuse(c.desk, 'schedule.appointments.book', {
        patientId: c.patients[0], typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local(TUE, '10:00'), repeat: { times: 4 },
      })
      expect(e.code).toBe('conflict')
      expect(e.message).toContain('1 of the 4 dates do not fit (Tue, Dec 15, 2026, 10:00)')
      expect(e.message).toContain(`appointment #${blocker.id}`)
      expect(await allCounts(c.database)).toEqual(before)
    })
  })

  describe('moving', () => {
    it('moves keeping the length, refuses a move into a collision or with a stale version, and audits the move', async () => {
      const a = (await book({ typeId: c.type('new-consultation').id })).appointments[0]!
      const b = (await book({ patientId: c.patients[1], startsAt: local(TUE, '13:00') })).appointments[0]!
      const moved = await c.ok(c.desk, 'schedule.appointments.move', { id: a.id, version: a.version, startsAt: local('2026-12-02', '08:15'), providerId: c.drBId })
      expect(moved).toMatchObject({ startsAt: local('2026-12-02', '08:15'), endsAt: local('2026-12-02', '09:00'), providerName: 'physician drb', version: 1 })
      const stale = await refuse(c.desk, 'schedule.appointments.move', { id: a.id, version: a.version, startsAt: local('2026-12-03', '08:15') })
      expect(stale.code).toBe('conflict')
      const into = await refuse(c.desk, 'schedule.appointments.move', { id: moved.id, version: moved.version, startsAt: local(TUE, '12:30'), providerId: c.drAId })
      expect(into).toMatchObject({ code: 'conflict', fields: { providerId: expect.stringContaining(`#${b.id}`) } })
      expect(into.message).toContain('The appointment was not moved.')
      // Moving onto its own old time is not a collision with itself.
      await c.ok(c.desk, 'schedule.appointments.move', { id: moved.id, version: moved.version, startsAt: local('2026-12-02', '08:30') })
      const now = await c.ok(c.desk, 'schedule.appointments.get', { id: a.id })
      expect(now).toMatchObject({ startsAt: local('2026-12-02', '08:30'), version: 2 })
      const audit = await c.database.db.selectFrom('audit_log').select('details').where('action', '=', 'appointment.move').execute()
      expect(audit).toHaveLength(2)
      expect(JSON.parse(audit[0]!.details)).toMatchObject({ from: { startsAt: local(TUE, '10:00'), providerId: c.drAId }, to: { startsAt: local('2026-12-02', '08:15'), providerId: c.drBId } })
    })

    it('does not move a patient who has checked in, nor into the past', async () => {
      const a = (await book({ startsAt: local(MON, '10:00') })).appointments[0]!
      const past = await refuse(c.desk, 'schedule.appointments.move', { id: a.id, version: 0, startsAt: local('2026-11-27', '10:00') })
      expect(past).toMatchObject({ code: 'invalid_input', fields: { startsAt: 'is in the past' } })
      const arrived = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: 0, status: 'arrived' })
      const e = await refuse(c.desk, 'schedule.appointments.move', { id: a.id, version: arrived.version, startsAt: local(MON, '11:00') })
      expect(e).toMatchObject({ code: 'conflict', fields: { id: 'cannot be moved' } })
    })
  })

  describe('the day of the appointment', () => {
    it('stamps arrival, room and completion with who did it; the board shows how long each patient has waited', async () => {
      const a = (await book({ startsAt: local(MON, '09:00') })).appointments[0]!
      const b = (await book({ patientId: c.patients[1], providerId: c.drBId, startsAt: local(MON, '09:00'), roomId: c.room('Consultation room 2').id })).appointments[0]!
      const later = (await book({ patientId: c.patients[2], startsAt: local(MON, '11:00') })).appointments[0]!
      c.clock.now = new Date(local(MON, '08:50'))
      let a1 = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: a.version, status: 'arrived' })
      expect(a1).toMatchObject({ status: 'arrived', fhirStatus: 'arrived', arrivedAt: local(MON, '08:50'), arrivedBy: 'frontDesk desk' })
      await c.ok(c.desk, 'schedule.appointments.setStatus', { id: b.id, version: b.version, status: 'arrived' })
      c.clock.now = new Date(local(MON, '09:05'))
      // The physician takes their own patient in; the other physician may not.
      const foreign = await refuse(c.drB, 'schedule.appointments.setStatus', { id: a.id, version: a1.version, status: 'in_room' })
      expect(foreign.code).toBe('forbidden')
      a1 = await c.ok(c.drA, 'schedule.appointments.setStatus', { id: a.id, version: a1.version, status: 'in_room' })
      expect(a1).toMatchObject({ status: 'in_room', fhirStatus: 'checked-in', inRoomAt: local(MON, '09:05'), inRoomBy: 'physician dra' })
      c.clock.now = new Date(local(MON, '09:20'))
      const board = await c.ok(c.manager, 'schedule.board.today')
      expect(board.date).toBe(MON)
      expect(board.rows.map((r) => [r.appointment.id, r.appointment.status, r.waitingMinutes])).toEqual([
        [a.id, 'in_room', 15],
        [b.id, 'arrived', 30],
        [later.id, 'booked', null],
      ])
      const done = await c.ok(c.drA, 'schedule.appointments.setStatus', { id: a.id, version: a1.version, status: 'completed' })
      expect(done).toMatchObject({ status: 'completed', fhirStatus: 'fulfilled', completedAt: local(MON, '09:20'), completedBy: 'physician dra' })
      const statuses = await c.database.db.selectFrom('audit_log').select(['details', 'username']).where('action', '=', 'appointment.status').where('entity_id', '=', String(a.id)).execute()
      expect(statuses.map((s) => [s.username, JSON.parse(s.details).to])).toEqual([['desk', 'arrived'], ['dra', 'in_room'], ['dra', 'completed']])
    })

    it('refuses impossible steps: checking in tomorrow, a no-show before the time, anything after cancelling', async () => {
      const tomorrow = (await book()).appointments[0]!
      expect(await refuse(c.desk, 'schedule.appointments.setStatus', { id: tomorrow.id, version: 0, status: 'arrived' })).toMatchObject({ code: 'conflict', fields: { status: 'not today' } })
      expect(await refuse(c.desk, 'schedule.appointments.setStatus', { id: tomorrow.id, version: 0, status: 'noshow' })).toMatchObject({ code: 'conflict' })
      expect(await refuse(c.desk, 'schedule.appointments.setStatus', { id: tomorrow.id, version: 0, status: 'completed' })).toMatchObject({ code: 'conflict' })
      const noReason = await refuse(c.desk, 'schedule.appointments.setStatus', { id: tomorrow.id, version: 0, status: 'cancelled' })
      expect(noReason).toMatchObject({ code: 'invalid_input', fields: { reason: 'is required to cancel' } })
      const x = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: tomorrow.id, version: 0, status: 'cancelled', reason: 'Patient unwell' })
      expect(x).toMatchObject({ status: 'cancelled', cancelReason: 'Patient unwell', cancelledBy: 'frontDesk desk' })
      // The lane's block shows the cancelled visit; opening it (the appointment's own view) shows who, when and why.
      const [block] = (await c.ok(c.desk, 'schedule.view', { from: x.startsAt.slice(0, 10), days: 2, includeCancelled: true })).appointments.filter((a) => a.id === x.id)
      expect(block).toMatchObject({ id: x.id, status: 'cancelled', version: x.version })
      expect(await c.ok(c.desk, 'schedule.appointments.get', { id: x.id })).toMatchObject({ cancelReason: 'Patient unwell', cancelledBy: 'frontDesk desk', cancelledAt: x.cancelledAt })
      expect(await refuse(c.desk, 'schedule.appointments.setStatus', { id: x.id, version: x.version, status: 'booked' })).toMatchObject({ code: 'conflict' })
      // A stale status change is refused too.
      expect(await refuse(c.desk, 'schedule.appointments.setStatus', { id: x.id, version: 0, status: 'confirmed' })).toMatchObject({ code: 'conflict' })
    })

    it('a cancelled or missed appointment frees its slot; a no-show can be reinstated only while the slot is still free', async () => {
      const a = (await book({ startsAt: local(MON, '09:00') })).appointments[0]!
      c.clock.now = new Date(local(MON, '09:30'))
      const missed = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: 0, status: 'noshow' })
      expect(missed).toMatchObject({ fhirStatus: 'noshow', noshowBy: 'frontDesk desk' })
      const t = (await book({ startsAt: local(TUE, '09:00') })).appointments[0]!
      await c.ok(c.desk, 'schedule.appointments.setStatus', { id: t.id, version: 0, status: 'cancelled', reason: 'Clash with hospital visit' })
      // Someone else takes the cancelled slot, and also the missed one's provider... the missed one can come back while free.
      await book({ patientId: c.patients[1], startsAt: local(TUE, '09:00') })
      const back = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: missed.version, status: 'booked' })
      expect(back).toMatchObject({ status: 'booked', noshowAt: null })
      const again = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: back.version, status: 'noshow' })
      await book({ patientId: c.patients[3], startsAt: local(MON, '09:10') })
      const taken = await refuse(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: again.version, status: 'booked' })
      expect(taken.message).toContain('given away')
    })

    it('lists no-shows and cancellations to rebook, leaving out patients who already have a later booking', async () => {
      const a = (await book({ startsAt: local(MON, '09:00') })).appointments[0]!
      const b = (await book({ patientId: c.patients[1], startsAt: local(MON, '09:20') })).appointments[0]!
      const x = (await book({ patientId: c.patients[2], startsAt: local(TUE, '09:20') })).appointments[0]!
      c.clock.now = new Date(local(MON, '10:00'))
      await c.ok(c.desk, 'schedule.appointments.setStatus', { id: a.id, version: 0, status: 'noshow' })
      await c.ok(c.desk, 'schedule.appointments.setStatus', { id: b.id, version: 0, status: 'noshow' })
      await c.ok(c.desk, 'schedule.appointments.setStatus', { id: x.id, version: 0, status: 'cancelled', reason: 'Feeling better' })
      const rebooked = (await book({ patientId: c.patients[1], startsAt: local('2026-12-07', '09:00') })).appointments[0]!
      const toCall = await c.ok(c.desk, 'schedule.lists.rebook', { kind: 'noshow', from: MON, to: MON })
      expect(toCall.map((r) => r.appointment.id)).toEqual([a.id])
      const all = await c.ok(c.desk, 'schedule.lists.rebook', { kind: 'noshow', from: MON, to: MON, includeRebooked: true })
      expect(all.find((r) => r.appointment.id === b.id)?.nextAppointment).toMatchObject({ id: rebooked.id, typeName: 'Follow-up consultation' })
      const cancelled = await c.ok(c.desk, 'schedule.lists.rebook', { kind: 'cancelled', from: MON, to: '2026-12-06' })
      expect(cancelled.map((r) => [r.appointment.id, r.appointment.cancelReason])).toEqual([[x.id, 'Feeling better']])
    })
  })

  describe('next free slot', () => {
    it('finds the first time the provider, a room and (for a procedure) a bay are free, skipping weekends and closed days', async () => {
      const fu = c.type('follow-up').id
      // Monday 09:00 now: next slot is 09:00 today; after a booking at 09:00-09:20, 09:30 (15-minute steps).
      expect(await c.ok(c.desk, 'schedule.slots.next', { typeId: fu, providerId: c.drAId })).toMatchObject({ found: true, startsAt: local(MON, '09:00') })
      await book({ startsAt: local(MON, '09:00') })
      expect(await c.ok(c.desk, 'schedule.slots.next', { typeId: fu, providerId: c.drAId })).toMatchObject({ startsAt: local(MON, '09:30') })
      // From Friday 16:45 nothing fits; Saturday and Sunday are closed, Monday 7 Dec is a holiday.
      await c.ok(c.admin, 'schedule.closedDays.add', { date: '2026-12-07', reason: 'Clinic away day' })
      const s = await c.ok(c.desk, 'schedule.slots.next', { typeId: fu, providerId: c.drAId, after: local('2026-12-04', '16:45') })
      expect(s).toMatchObject({ startsAt: local('2026-12-08', '08:00'), roomId: c.room('Consultation room 1').id })
      // A procedure needs the suite free and a bay for 2 hours after, all before 17:00.
      const vp = c.type('vertebroplasty').id
      await book({ typeId: vp, roomId: undefined, startsAt: local(TUE, '08:00') })
      await book({ typeId: vp, roomId: undefined, patientId: c.patients[1], startsAt: local(TUE, '09:00') })
      const p = await c.ok(c.desk, 'schedule.slots.next', { typeId: vp, providerId: c.drBId, after: local(TUE, '08:00'), patientId: c.patients[2] })
      expect(p).toMatchObject({ startsAt: local(TUE, '10:00'), roomId: c.room('Procedure suite').id, observationRoomId: c.room('Observation bay 1').id })
      const late = await c.ok(c.desk, 'schedule.slots.next', { typeId: vp, providerId: c.drBId, after: local(TUE, '14:15') })
      expect(late.startsAt).toBe(local('2026-12-02', '08:00'))
    })

    it('checks a slot for the drag preview without writing', async () => {
      const a = (await book()).appointments[0]!
      const before = await allCounts(c.database)
      const busy = await c.ok(c.desk, 'schedule.slots.check', { patientId: c.patients[1]!, typeId: a.typeId, providerId: c.drAId, startsAt: local(TUE, '10:05') })
      expect(busy).toMatchObject({ free: false, conflicts: [{ kind: 'provider', appointmentId: a.id }] })
      const room = await c.ok(c.desk, 'schedule.slots.check', { patientId: c.patients[1]!, typeId: a.typeId, providerId: c.drBId, roomId: a.roomId, startsAt: local(TUE, '10:05') })
      expect(room).toMatchObject({ free: false, conflicts: [{ kind: 'room', appointmentId: a.id }] })
      const self = await c.ok(c.desk, 'schedule.slots.check', { patientId: a.patientId, typeId: a.typeId, providerId: c.drAId, roomId: a.roomId, startsAt: local(TUE, '10:05'), appointmentId: a.id })
      expect(self).toEqual({ free: true, conflicts: [] })
      expect(await allCounts(c.database)).toEqual(before)
    })
  })

  describe('who may do what, and bad input', () => {
    it('front desk books and moves; physicians and managers view; administrators do setup but see no patients', async () => {
      const input = { patientId: c.patients[0], typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local(TUE, '10:00') }
      for (const w of [c.drA, c.manager, c.admin]) expect((await refuse(w, 'schedule.appointments.book', input)).code).toBe('forbidden')
      const a = (await book()).appointments[0]!
      for (const w of [c.drA, c.manager]) expect((await c.ok(w, 'schedule.view', { from: TUE })).appointments).toHaveLength(1)
      expect((await refuse(c.admin, 'schedule.view', { from: TUE })).code).toBe('forbidden')
      expect((await refuse(c.admin, 'schedule.board.today', {})).code).toBe('forbidden')
      expect((await refuse(c.manager, 'schedule.appointments.setStatus', { id: a.id, version: 0, status: 'confirmed' })).code).toBe('forbidden')
      expect((await refuse(c.drA, 'schedule.appointments.move', { id: a.id, version: 0, startsAt: local(TUE, '11:00') })).code).toBe('forbidden')
      expect(await c.ok(c.drA, 'schedule.appointments.setStatus', { id: a.id, version: 0, status: 'confirmed' })).toMatchObject({ status: 'confirmed', fhirStatus: 'booked' })
      expect((await refuse('nobody', 'schedule.view', { from: TUE })).code).toBe('unauthenticated')
    })

    it('refuses malformed input naming the field, and changes nothing', async () => {
      await book()
      const before = await allCounts(c.database)
      const good = { patientId: c.patients[1], typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local(TUE, '11:00') }
      const cases: [string, unknown, string][] = [
        ['schedule.appointments.book', { ...good, startsAt: 'tomorrow at ten' }, 'startsAt'],
        ['schedule.appointments.book', { ...good, startsAt: '2026-12-01T15:00:00+01:00' }, 'startsAt'],
        ['schedule.appointments.book', { ...good, patientId: -1 }, 'patientId'],
        ['schedule.appointments.book', { ...good, patientId: 9999 }, 'patientId'],
        ['schedule.appointments.book', { ...good, providerId: c.patients[0]! + 1000 }, 'providerId'],
        ['schedule.appointments.book', { ...good, typeId: 'x' }, 'typeId'],
        ['schedule.appointments.book', { ...good, roomId: c.room('Procedure suite').id }, 'roomId'],
        ['schedule.appointments.book', { ...good, observationRoomId: c.room('Observation bay 1').id }, 'observationRoomId'],
        ['schedule.appointments.book', { ...good, durationMinutes: 2 }, 'durationMinutes'],
        ['schedule.appointments.book', { ...good, repeat: { times: 99 } }, 'repeat.times'],
        ['schedule.appointments.book', { ...good, startsAt: local('2026-11-27', '10:00') }, 'startsAt'],
        ['schedule.appointments.move', { id: 1, version: 0, startsAt: 'soon' }, 'startsAt'],
        ['schedule.view', { from: '2026-02-30' }, 'from'],
        ['schedule.view', { from: TUE, days: 60 }, 'days'],
      ]
      for (const [channel, input, field] of cases) {
        const e = await refuse(c.desk, channel, input)
        expect(e.code, `${channel} ${field}`).toBe('invalid_input')
        expect(Object.keys(e.fields ?? {}), `${channel} ${field}`).toContain(field)
        expect(e.message, `${channel} ${field}`).toContain(fieldName(field)) // in words, not its path
      }
      const admin: [string, unknown, string][] = [
        ['schedule.types.create', { name: 'X', colour: 'red', durationMinutes: 20, roomKind: 'consultation' }, 'colour'],
        ['schedule.types.create', { name: 'X', colour: '#112233', durationMinutes: 20, roomKind: 'lobby' }, 'roomKind'],
        ['schedule.types.create', { name: 'X', colour: '#112233', durationMinutes: 60, observationMinutes: 300, roomKind: 'procedure' }, 'observationMinutes'],
        ['schedule.types.create', { name: 'Follow-up consultation', colour: '#112233', durationMinutes: 20, roomKind: 'consultation' }, 'name'],
        ['schedule.hours.update', { weekday: 1, version: 0, open: true, opens: '17:00', closes: '08:00' }, 'closes'],
        ['schedule.hours.update', { weekday: 8, version: 0, open: true, opens: '08:00', closes: '17:00' }, 'weekday'],
        ['schedule.hours.update', { weekday: 1, version: 0, open: true, opens: '8am', closes: '17:00' }, 'opens'],
        ['schedule.closedDays.add', { date: '2026-13-01', reason: 'x' }, 'date'],
        ['schedule.closedDays.add', { date: '2026-12-31', reason: ' ' }, 'reason'],
        ['schedule.rooms.create', { name: 'Consultation room 1', kind: 'consultation' }, 'name'],
      ]
      for (const [channel, input, field] of admin) {
        const e = await refuse(c.admin, channel, input)
        expect(['invalid_input', 'conflict'], `${channel} ${field}`).toContain(e.code)
        expect(Object.keys(e.fields ?? {}), `${channel} ${field}`).toContain(field)
      }
      expect(await allCounts(c.database)).toEqual(before)
    })
  })
})
