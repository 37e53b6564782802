/**
 * The all-lanes week overview's grouping (shared/scheduling/weekOverview.ts): lanes as rows (providers, then
 * rooms, in the administrator's order; an inactive lane only while it has appointments that week), weekdays
 * always and a weekend day only when the clinic opens (or something is booked), closed days with their reason,
 * and each appointment in its provider's row and its room's (a procedure's observation in its bay's, at the
 * time it begins), in time order, at the clinic's wall-clock time also across a change of daylight saving time.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildWeekOverview, cellKey, overviewDays, surnameOf, typeShortNames } from '../../shared/scheduling/weekOverview'
import { addDays, zonedParts, zonedToInstant } from '../../shared/scheduling/time'
import type { AppointmentView, ScheduleSetup } from '../../shared/schemas/scheduling'

const NY = 'America/New_York'
const MON = '2026-12-07'

const TYPES = [
  ['New patient consultation', '#1c7ed6', 'consultation', 0],
  ['Follow-up consultation', '#2f9e44', 'consultation', 0],
  ['Vertebroplasty', '#e03131', 'procedure', 120],
  ['Kyphoplasty', '#f08c00', 'procedure', 120],
  ['Post-procedure follow-up', '#7048e8', 'consultation', 0],
] as const

function setup(saturday = false): ScheduleSetup {
  return {
    timeZone: NY,
    providers: [
      { id: 3, displayName: 'Dr. Ana Berg', active: true },
      { id: 2, displayName: 'Dr. Old Gone', active: false },
      { id: 4, displayName: 'Dr. Chen Li', active: true },
    ],
    rooms: [
      { id: 1, name: 'Consultation room 1', kind: 'consultation', active: true, sortOrder: 10, version: 0 },
      { id: 3, name: 'Procedure suite', kind: 'procedure', active: true, sortOrder: 20, version: 0 },
      { id: 4, name: 'Observation bay 1', kind: 'observation', active: true, sortOrder: 30, version: 0 },
      { id: 5, name: 'Closed wing', kind: 'consultation', active: false, sortOrder: 40, version: 0 },
    ],
    types: TYPES.map(([name, colour, roomKind, observationMinutes], i) => ({ id: i + 1, name, code: '', colour, durationMinutes: 30, roomKind, observationMinutes, active: true, sortOrder: i, version: 0 })),
    hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: weekday <= 5 || (saturday && weekday === 6), opens: '08:00', closes: weekday === 6 ? '12:00' : '17:00', version: 0 })),
    closedDays: [{ id: 1, date: addDays(MON, 2), reason: 'Staff training' }],
  }
}

let seq = 0
function appt(date: string, time: string, over: Partial<AppointmentView> = {}): AppointmentView {
  const startsAt = zonedToInstant(date, time, NY)
  const endsAt = new Date(Date.parse(startsAt) + 30 * 60_000).toISOString()
  return {
    id: ++seq,
    patientId: seq,
    patientName: 'Søndergaard, Anne Marie',
    patientMrn: `SC-${seq}`,
    patientLanguage: '',
    interpreterNeeded: false,
    typeId: 1,
    typeName: 'New patient consultation',
    colour: '#1c7ed6',
    providerId: 3,
    providerName: 'Dr. Ana Berg',
    roomId: 1,
    roomName: 'Consultation room 1',
    observationRoomId: null,
    observationRoomName: null,
    startsAt,
    endsAt,
    observationEndsAt: null,
    status: 'booked',
    fhirStatus: 'booked',
    cancelReason: '',
    arrivedAt: null,
    arrivedBy: null,
    inRoomAt: null,
    inRoomBy: null,
    completedAt: null,
    completedBy: null,
    cancelledAt: null,
    cancelledBy: null,
    noshowAt: null,
    noshowBy: null,
    seriesId: null,
    seriesIndex: null,
    notes: '',
    version: 0,
    ...over,
  }
}

describe('the all-lanes week overview', () => {
  it('names each type shortly and uniquely, and takes the surname in full', () => {
    const short = typeShortNames(setup().types)
    expect([...short.values()]).toEqual(['New', 'Follow', 'Vert', 'Kyph', 'Post'])
    expect(typeShortNames([{ id: 1, name: 'Consultation' }, { id: 2, name: 'Consent talk' }, { id: 3, name: 'X-ray' }])).toEqual(
      new Map([
        [1, 'Consu'],
        [2, 'Consent'],
        [3, 'X-ray'],
      ]),
    )
    expect(typeShortNames([{ id: 1, name: 'Consultation' }]).get(1)).toBe('Cons')
    expect(surnameOf('Søndergaard, Anne Marie')).toBe('Søndergaard')
    expect(surnameOf("Ruiz-O'Brien, Ana")).toBe("Ruiz-O'Brien")
    expect(surnameOf('Cher')).toBe('Cher')
  })

  it('shows the weekdays, a weekend day only when the clinic opens then, and why a day is closed', () => {
    expect(overviewDays(setup(), MON)).toEqual([
      { date: '2026-12-07', weekday: 1, closed: null },
      { date: '2026-12-08', weekday: 2, closed: null },
      { date: '2026-12-09', weekday: 3, closed: 'Staff training' },
      { date: '2026-12-10', weekday: 4, closed: null },
      { date: '2026-12-11', weekday: 5, closed: null },
    ])
    expect(overviewDays(setup(true), MON).map((d) => d.date).at(-1)).toBe('2026-12-12')
    // a Monday the clinic does not open on, and a Sunday with something booked (hours changed since)
    const mondaysOff = { ...setup(), hours: setup().hours.map((h) => (h.weekday === 1 ? { ...h, open: false } : h)) }
    const days = overviewDays(mondaysOff, MON, new Set(['2026-12-13']))
    expect(days[0]).toEqual({ date: MON, weekday: 1, closed: 'The clinic is closed on Mondays' })
    expect(days.at(-1)).toEqual({ date: '2026-12-13', weekday: 7, closed: 'The clinic is closed on Sundays' })
  })

  it('puts each appointment in its provider’s and room’s rows, the observation in its bay, in time order', () => {
    const late = appt(MON, '15:00', { patientName: 'Zabel, Karl' })
    const early = appt(MON, '08:30')
    const vp = appt(MON, '09:00', {
      patientName: 'Núñez-García, María José',
      typeId: 3,
      typeName: 'Vertebroplasty',
      colour: '#e03131',
      roomId: 3,
      roomName: 'Procedure suite',
      providerId: 4,
      observationRoomId: 4,
      observationRoomName: 'Observation bay 1',
    })
    vp.endsAt = zonedToInstant(MON, '10:00', NY)
    vp.observationEndsAt = zonedToInstant(MON, '12:00', NY)
    const gone = appt(addDays(MON, 1), '10:00', { providerId: 2, providerName: 'Dr. Old Gone' })
    const nextWeek = appt(addDays(MON, 7), '10:00')
    const model = buildWeekOverview(setup(), [late, vp, nextWeek, early, gone], MON, NY)

    // the inactive provider is shown (booked this week), the inactive room is not
    expect(model.lanes.map((l) => l.id)).toEqual(['p:3', 'p:2', 'p:4', 'r:1', 'r:3', 'r:4'])
    expect(model.lanes[1]).toMatchObject({ label: 'Dr. Old Gone', inactive: true })
    expect(model.unplaced).toBe(0)

    const cell = (lane: string, date = MON) => (model.cells.get(cellKey(lane, date)) ?? []).map((e) => `${e.time} ${e.surname} · ${e.typeShort}${e.observation ? ' (obs)' : ''}`)
    expect(cell('p:3')).toEqual(['08:30 Søndergaard · New', '15:00 Zabel · New'])
    expect(cell('r:1')).toEqual(['08:30 Søndergaard · New', '15:00 Zabel · New'])
    expect(cell('p:4')).toEqual(['09:00 Núñez-García · Vert'])
    expect(cell('r:3')).toEqual(['09:00 Núñez-García · Vert'])
    expect(cell('r:4')).toEqual(['10:00 Núñez-García · Vert (obs)'])
    expect(cell('p:2', addDays(MON, 1))).toEqual(['10:00 Søndergaard · New'])
    expect(model.cells.get(cellKey('r:4', MON))![0]).toMatchObject({ appointmentId: vp.id, patientName: 'Núñez-García, María José', typeName: 'Vertebroplasty', status: 'booked', colour: '#e03131' })
    // next week's is not this week's
    expect([...model.cells.values()].flat().some((e) => e.appointmentId === nextWeek.id)).toBe(false)
  })

  it('agrees with the clinic’s wall clock for any instant of a week with a daylight saving change (property)', () => {
    // New York falls back on Sunday 1 November 2026; Lord Howe Island moves by half an hour
    for (const [zone, monday] of [
      [NY, '2026-10-26'],
      ['Australia/Lord_Howe', '2026-09-28'],
      ['Asia/Kolkata', MON],
    ] as const) {
      const start = Date.parse(zonedToInstant(monday, '00:00', zone))
      const end = Date.parse(zonedToInstant(addDays(monday, 7), '00:00', zone))
      fc.assert(
        fc.property(fc.array(fc.integer({ min: start / 60_000, max: end / 60_000 - 1 }), { minLength: 1, maxLength: 40 }), (minutes) => {
          const s = { ...setup(true), timeZone: zone, hours: setup(true).hours.map((h) => ({ ...h, open: true })) }
          const list = minutes.map((m) => appt(MON, '08:00', { startsAt: new Date(m * 60_000).toISOString() }))
          const model = buildWeekOverview(s, list, monday, zone)
          for (const a of list) {
            const p = zonedParts(a.startsAt, zone)
            const inProvider = model.cells.get(cellKey('p:3', p.date))!.filter((e) => e.appointmentId === a.id)
            const inRoom = model.cells.get(cellKey('r:1', p.date))!.filter((e) => e.appointmentId === a.id)
            expect(inProvider.map((e) => e.time)).toEqual([p.time])
            expect(inRoom.map((e) => e.time)).toEqual([p.time])
          }
          for (const entries of model.cells.values()) expect(entries.map((e) => e.at)).toEqual(entries.map((e) => e.at).sort((x, y) => x - y))
          expect([...model.cells.values()].flat()).toHaveLength(list.length * 2)
        }),
        { numRuns: 60 },
      )
    }
  })
})
