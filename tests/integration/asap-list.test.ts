/**
 * The ASAP list (issue 21 point 4) through the router on a real database, both engines: keeping the list (who
 * added, edited and removed, and why, the row kept), refusals naming the field with nothing changed, the patients
 * offered for a freed slot best first, and booking one in one step (a linked appointment moved earlier; a slot
 * taken meanwhile refused with nothing changed).
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import { describeEachEngine, expectError } from './harness'
import { allCounts, local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic
const WED = '2026-12-02'
const MON_WED_MORNINGS = { days: [1, 3], from: '08:00', to: '12:00' }

describeEachEngine('the ASAP list on %s', (engine) => {
  beforeEach(async () => {
    c = await openScheduleClinic(engine)
  })
  afterEach(async () => c?.close())

  const consult = () => c.type('new-consultation').id
  const entry = (over: Partial<ChannelInput<'schedule.asap.add'>> = {}): ChannelInput<'schedule.asap.add'> => ({
    patientId: c.patients[1]!,
    typeId: consult(),
    providerId: null,
    windows: [MON_WED_MORNINGS],
    ...over,
  })
  async function asapRows() {
    return c.database.db.selectFrom('asap_entries').selectAll().orderBy('id').execute()
  }

  it('keeps who added, edited and removed an entry, and why; the removed row stays', async () => {
    const added = await c.ok(c.drA, 'schedule.asap.add', entry({ note: 'Daughter drives; "mornings" only' }))
    expect(added).toMatchObject({ status: 'waiting', providerName: 'Any provider', typeName: 'New patient consultation', note: 'Daughter drives; "mornings" only', version: 0 })
    expect(added.addedBy).toMatch(/dra$/)

    const edited = await c.ok(c.desk, 'schedule.asap.update', {
      id: added.id,
      version: added.version,
      typeId: consult(),
      providerId: c.drBId,
      windows: [MON_WED_MORNINGS, { days: [1, 2, 3, 4, 5, 6, 7], from: '12:00', to: '17:00' }],
      latestDate: '2027-01-31',
    })
    expect(edited).toMatchObject({ providerId: c.drBId, latestDate: '2027-01-31', version: 1 })
    expect(edited.windows).toHaveLength(2)

    // a stale edit is refused with the entry unchanged
    expectError(await c.call(c.desk, 'schedule.asap.update', { ...entry(), id: added.id, version: 0, note: 'old' }), 'conflict', 'version')

    const removed = await c.ok(c.desk, 'schedule.asap.remove', { id: added.id, version: edited.version, reason: 'noLongerWants', note: 'Happy with 21 December' })
    expect(removed).toMatchObject({ status: 'removed', removeReason: 'noLongerWants', removeNote: 'Happy with 21 December' })
    expect(removed.removedBy).toMatch(/desk$/)
    expect(removed.removedAt).toBe(c.clock.now.toISOString())

    // off the list, still in the record
    expect((await c.ok(c.manager, 'schedule.asap.list', {})).entries).toHaveLength(0)
    const all = await c.ok(c.manager, 'schedule.asap.list', { includeRemoved: true })
    expect(all.entries.map((e) => [e.id, e.status])).toEqual([[added.id, 'removed']])
    expect(await asapRows()).toHaveLength(1)
    // removing again is refused in words
    expectError(await c.call(c.desk, 'schedule.asap.remove', { id: added.id, version: removed.version, reason: 'other', note: 'again' }), 'conflict', 'id')

    const actions = await c.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('entity', '=', 'asapEntry').orderBy('id').execute()
    expect(actions.map((a) => a.action)).toEqual(['asapEntry.add', 'asapEntry.update', 'asapEntry.remove'])
  })

  it('refuses bad input naming the field, with nothing changed', async () => {
    const other = await c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[0]!, typeId: consult(), providerId: c.drAId, startsAt: local('2026-12-21', '10:00') })
    const before = await allCounts(c.database)
    expectError(await c.call(c.desk, 'schedule.asap.add', entry({ windows: [] })), 'invalid_input', 'windows')
    expectError(await c.call(c.desk, 'schedule.asap.add', entry({ windows: [{ days: [1], from: '12:00', to: '11:00' }] })), 'invalid_input', 'windows.0.to')
    expectError(await c.call(c.desk, 'schedule.asap.add', entry({ windows: [{ days: [], from: '08:00', to: '11:00' }] })), 'invalid_input', 'windows.0.days')
    expectError(await c.call(c.desk, 'schedule.asap.add', entry({ earliestDate: '2026-12-10', latestDate: '2026-12-09' })), 'invalid_input', 'latestDate')
    expectError(await c.call(c.desk, 'schedule.asap.add', entry({ providerId: 999 })), 'invalid_input', 'providerId')
    expectError(await c.call(c.desk, 'schedule.asap.add', entry({ typeId: 999 })), 'invalid_input', 'typeId')
    // the appointment to move earlier must be the patient's own
    expectError(await c.call(c.desk, 'schedule.asap.add', entry({ appointmentId: other.appointments[0]!.id })), 'invalid_input', 'appointmentId')
    expect(await allCounts(c.database)).toEqual(before)
    expect(await asapRows()).toHaveLength(0)

    const e = await c.ok(c.desk, 'schedule.asap.add', entry())
    // a second entry for the same patient and type: edit the first instead
    expectError(await c.call(c.desk, 'schedule.asap.add', entry()), 'invalid_input', 'typeId')
    expectError(await c.call(c.desk, 'schedule.asap.remove', { id: e.id, version: e.version, reason: 'other', note: ' ' }), 'invalid_input', 'note')
    expect(await asapRows()).toMatchObject([{ id: e.id, status: 'waiting', version: 0 }])
  })

  /**
   * The scene: the first patient's consultation with Dr A on Wednesday 10:00 is cancelled. On the list:
   * Baker (any provider, Mon/Wed mornings, linked to his consultation on 21 December), Lovelace (Dr A, any day,
   * on the list three days longer), Turing (Dr B only), and the first patient herself (not offered her own slot).
   */
  async function freedSlotScene() {
    const cancelled = (await c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[0]!, typeId: consult(), providerId: c.drAId, startsAt: local(WED, '10:00') })).appointments[0]!
    const bakers = (await c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[1]!, typeId: consult(), providerId: c.drBId, startsAt: local('2026-12-21', '10:00') })).appointments[0]!
    const monday = c.clock.now
    c.clock.now = new Date(local('2026-11-27', '11:00'))
    const lovelace = await c.ok(c.desk, 'schedule.asap.add', entry({ patientId: c.patients[2]!, providerId: c.drAId, windows: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '17:00' }] }))
    c.clock.now = monday
    const baker = await c.ok(c.desk, 'schedule.asap.add', entry({ patientId: c.patients[1]!, appointmentId: bakers.id }))
    const turing = await c.ok(c.desk, 'schedule.asap.add', entry({ patientId: c.patients[3]!, providerId: c.drBId }))
    const herself = await c.ok(c.desk, 'schedule.asap.add', entry({ patientId: c.patients[0]! }))
    const now = await c.ok(c.desk, 'schedule.appointments.setStatus', { id: cancelled.id, version: cancelled.version, status: 'cancelled', reason: 'Unwell' })
    const slot = { typeId: consult(), providerId: c.drAId, roomId: cancelled.roomId, startsAt: cancelled.startsAt, endsAt: cancelled.endsAt, freedAppointmentId: now.id }
    return { cancelled: now, bakers, lovelace, baker, turing, herself, slot }
  }

  it('offers the patients who fit the freed slot, longest waiting first', async () => {
    const s = await freedSlotScene()
    const fits = await c.ok(c.desk, 'schedule.asap.fitsSlot', s.slot)
    expect(fits.fits.map((f) => [f.entry.patientName, f.action])).toEqual([
      ['Lovelace, Ada', 'book'],
      ['Baker, Tom', 'move'],
    ])
    expect(fits.fits[1]!.entry.appointmentStartsAt).toBe(s.bakers.startsAt)
    // a slot with Dr B: Turing fits it, Lovelace (Dr A only) does not. The three were added at the same moment:
    // those with no appointment at all first (by id), then Baker, whose consultation is on the 21st
    const drB = await c.ok(c.desk, 'schedule.asap.fitsSlot', { ...s.slot, providerId: c.drBId, freedAppointmentId: undefined, startsAt: local(WED, '11:00'), endsAt: local(WED, '11:45') })
    expect(drB.fits.map((f) => f.entry.patientName)).toEqual(['Turing, Alan', 'Núñez-García, María José', 'Baker, Tom'])
    // an afternoon slot fits only Lovelace's all-day window
    const afternoon = await c.ok(c.desk, 'schedule.asap.fitsSlot', { ...s.slot, startsAt: local(WED, '14:00'), endsAt: local(WED, '14:45') })
    expect(afternoon.fits.map((f) => f.entry.patientName)).toEqual(['Lovelace, Ada'])
  })

  it('books one in one step: the linked appointment moves earlier and the entry closes as booked', async () => {
    const s = await freedSlotScene()
    const before = await allCounts(c.database)
    const booked = await c.ok(c.desk, 'schedule.asap.book', { entryId: s.baker.id, version: s.baker.version, startsAt: s.slot.startsAt, providerId: s.slot.providerId, roomId: s.slot.roomId })
    expect(booked.action).toBe('move')
    // the same appointment, now on Wednesday with Dr A: no second booking
    expect(booked.appointment).toMatchObject({ id: s.bakers.id, startsAt: s.slot.startsAt, providerId: c.drAId, status: 'booked' })
    expect((await allCounts(c.database)).appointments).toBe(before.appointments)
    expect(booked.entry).toMatchObject({ status: 'removed', removeReason: 'booked', bookedAppointmentId: s.bakers.id })
    const upcoming = await c.ok(c.desk, 'schedule.appointments.forPatient', { patientId: c.patients[1]! })
    expect(upcoming.upcoming.map((a) => a.startsAt)).toEqual([s.slot.startsAt])
    const list = await c.ok(c.desk, 'schedule.asap.list', {})
    expect(list.entries.map((e) => e.patientName)).not.toContain('Baker, Tom')
    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'in', ['appointment.move', 'asapEntry.book']).orderBy('id').execute()
    expect(audit.map((a) => [a.action, Number(a.entity_id)])).toEqual([
      ['appointment.move', s.bakers.id],
      ['asapEntry.book', s.baker.id],
    ])

    // Lovelace, with no appointment, is booked a new one into the next freed slot
    const later = await c.ok(c.desk, 'schedule.asap.book', { entryId: s.lovelace.id, version: s.lovelace.version, startsAt: local(WED, '14:00'), providerId: c.drAId, roomId: s.slot.roomId })
    expect(later.action).toBe('book')
    expect(later.appointment).toMatchObject({ patientName: 'Lovelace, Ada', startsAt: local(WED, '14:00'), notes: 'Booked from the ASAP list' })
    expect(later.entry.bookedAppointmentId).toBe(later.appointment.id)
  })

  it('refuses a slot taken meanwhile, with nothing changed', async () => {
    const s = await freedSlotScene()
    // another desk books the slot before this one clicks Book
    await c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[3]!, typeId: consult(), providerId: c.drAId, roomId: s.slot.roomId, startsAt: s.slot.startsAt })
    const before = await allCounts(c.database)
    const rows = await asapRows()
    const appts = await c.database.db.selectFrom('appointments').selectAll().orderBy('id').execute()
    for (const e of [s.lovelace, s.baker]) {
      const r = await c.call(c.desk, 'schedule.asap.book', { entryId: e.id, version: e.version, startsAt: s.slot.startsAt, providerId: s.slot.providerId, roomId: s.slot.roomId })
      expectError(r, 'conflict')
      if (!r.ok) expect(r.error.message).toMatch(/Nothing was booked|not moved/)
    }
    expect(await allCounts(c.database)).toEqual(before)
    expect(await asapRows()).toEqual(rows)
    expect(await c.database.db.selectFrom('appointments').selectAll().orderBy('id').execute()).toEqual(appts)
  })

  it('refuses a slot outside what the patient asked for, and lets only the front desk book', async () => {
    const s = await freedSlotScene()
    const outside = await c.call(c.desk, 'schedule.asap.book', { entryId: s.turing.id, version: s.turing.version, startsAt: s.slot.startsAt, providerId: c.drAId, roomId: s.slot.roomId })
    expectError(outside, 'conflict', 'startsAt')
    if (!outside.ok) expect(outside.error.message).toContain('not with the provider they asked for')
    expectError(await c.call(c.drA, 'schedule.asap.book', { entryId: s.lovelace.id, version: 0, startsAt: s.slot.startsAt, providerId: c.drAId, roomId: s.slot.roomId }), 'forbidden')
    expect((await asapRows()).every((r) => r.status === 'waiting')).toBe(true)
  })
})
