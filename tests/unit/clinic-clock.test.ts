import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  clinicAge,
  clinicDateOf,
  clinicInstant,
  clinicInstantNotBefore,
  clinicTimeOf,
  clinicToday,
  formatClinicDateTime,
  formatClinicTime,
  labelClinicWallTime,
  latestDateOnEarth,
  utcOffsetText,
} from '../../shared/clinicClock'

const NY = 'America/New_York'
const LONDON = 'Europe/London'
const TOKYO = 'Asia/Tokyo'

describe("the clinic's day", () => {
  it('turns at midnight clinic time, not at midnight UTC or on this computer', () => {
    // 23:59 and 00:00 in New York in December (UTC-5)
    expect(clinicToday('2026-12-07T04:59:00.000Z', NY)).toBe('2026-12-06')
    expect(clinicToday('2026-12-07T04:59:59.999Z', NY)).toBe('2026-12-06')
    expect(clinicToday('2026-12-07T05:00:00.000Z', NY)).toBe('2026-12-07')
    // and in London in summer (UTC+1): 23:00 UTC is already tomorrow there
    expect(clinicToday('2026-07-01T22:59:00.000Z', LONDON)).toBe('2026-07-01')
    expect(clinicToday('2026-07-01T23:00:00.000Z', LONDON)).toBe('2026-07-02')
  })

  it('at 01:00 UTC is still the evening before in New York, and the next morning in Tokyo', () => {
    const runner = new Date('2026-12-07T01:00:00.000Z')
    expect(clinicToday(runner, NY)).toBe('2026-12-06')
    expect(clinicTimeOf(runner, NY)).toBe('20:00')
    expect(clinicToday(runner, LONDON)).toBe('2026-12-07')
    expect(clinicToday(runner, TOKYO)).toBe('2026-12-07')
    expect(clinicTimeOf(runner, TOKYO)).toBe('10:00')
    // the same instant as a number or text
    expect(clinicToday(runner.getTime(), NY)).toBe('2026-12-06')
    expect(clinicDateOf(runner.toISOString(), NY)).toBe('2026-12-06')
  })

  it('follows the DST changes in New York: the day of the change starts and ends at the right instants', () => {
    // 8 March 2026: 02:00 EST becomes 03:00 EDT
    expect(clinicTimeOf('2026-03-08T06:59:00.000Z', NY)).toBe('01:59')
    expect(clinicTimeOf('2026-03-08T07:00:00.000Z', NY)).toBe('03:00')
    expect(clinicInstant('2026-03-08', '00:00', NY)).toBe('2026-03-08T05:00:00.000Z')
    expect(clinicInstant('2026-03-09', '00:00', NY)).toBe('2026-03-09T04:00:00.000Z')
    expect(clinicToday('2026-03-09T03:59:00.000Z', NY)).toBe('2026-03-08')
    expect(clinicToday('2026-03-09T04:00:00.000Z', NY)).toBe('2026-03-09')
    // 1 November 2026: 02:00 EDT becomes 01:00 EST; 01:30 happens twice, the first is taken
    expect(clinicInstant('2026-11-01', '01:30', NY)).toBe('2026-11-01T05:30:00.000Z')
    expect(clinicTimeOf('2026-11-01T06:30:00.000Z', NY)).toBe('01:30')
    expect(clinicToday('2026-11-02T04:59:00.000Z', NY)).toBe('2026-11-01')
    expect(clinicToday('2026-11-02T05:00:00.000Z', NY)).toBe('2026-11-02')
    expect(utcOffsetText('2026-11-01T05:30:00.000Z', NY)).toBe('UTC-04:00')
    expect(utcOffsetText('2026-11-01T06:30:00.000Z', NY)).toBe('UTC-05:00')
  })

  it('follows the DST changes in London', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST
    expect(clinicTimeOf('2026-03-29T00:59:00.000Z', LONDON)).toBe('00:59')
    expect(clinicTimeOf('2026-03-29T01:00:00.000Z', LONDON)).toBe('02:00')
    expect(clinicInstant('2026-03-29', '01:30', LONDON)).toBe('2026-03-29T01:30:00.000Z') // skipped: moved on by the gap, 02:30 BST
    expect(clinicInstant('2026-03-30', '00:00', LONDON)).toBe('2026-03-29T23:00:00.000Z')
    // 25 October 2026: 02:00 BST becomes 01:00 GMT
    expect(clinicToday('2026-10-25T23:59:00.000Z', LONDON)).toBe('2026-10-25')
    expect(clinicToday('2026-10-24T23:00:00.000Z', LONDON)).toBe('2026-10-25')
    expect(utcOffsetText('2026-10-25T00:30:00.000Z', LONDON)).toBe('UTC+01:00')
    expect(utcOffsetText('2026-10-25T01:30:00.000Z', LONDON)).toBe('UTC+00:00')
  })

  it('takes a time before the start as after midnight (a recovery check at 00:15 after a procedure at 23:30)', () => {
    const start = clinicInstant('2026-12-06', '23:30', NY)
    expect(clinicInstantNotBefore('2026-12-06', '23:45', NY, start)).toBe('2026-12-07T04:45:00.000Z')
    expect(clinicInstantNotBefore('2026-12-06', '00:15', NY, start)).toBe('2026-12-07T05:15:00.000Z')
    expect(clinicInstantNotBefore('2026-12-06', '00:15', NY, null)).toBe('2026-12-06T05:15:00.000Z')
  })

  it("counts age on the clinic's today, and 'the future' for a shared schema from the latest date on Earth", () => {
    const runner = '2026-12-07T01:00:00.000Z'
    expect(clinicAge('2000-12-07', runner, NY)).toBe(25) // the birthday is tomorrow in New York
    expect(clinicAge('2000-12-07', runner, TOKYO)).toBe(26)
    expect(latestDateOnEarth('2026-12-06T10:00:00.000Z')).toBe('2026-12-07')
    expect(latestDateOnEarth('2026-12-06T09:59:00.000Z')).toBe('2026-12-06')
  })

  it("agrees with the zone's own calendar for any instant and zone (property)", () => {
    const zones = fc.constantFrom(NY, LONDON, TOKYO, 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati', 'UTC')
    const instants = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) })
    fc.assert(
      fc.property(instants, zones, (t, zone) => {
        const expected = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t)
        expect(clinicToday(t, zone)).toBe(expected)
        // the start of that clinic day is at or before the instant, the start of the next after it
        expect(Date.parse(clinicInstant(expected, '00:00', zone))).toBeLessThanOrEqual(t)
      }),
    )
  })
})

describe('a workstation in Tokyo', () => {
  const saved = process.env.TZ
  beforeAll(() => {
    process.env.TZ = TOKYO
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })

  it("still sees the New York clinic's day and time", () => {
    const runner = new Date('2026-12-07T01:00:00.000Z')
    // this process now reads local time as Tokyo's (the old way of deciding "today" would say the 7th, 10:00)
    expect(runner.getDate()).toBe(7)
    expect(runner.getHours()).toBe(10)
    expect(clinicToday(runner, NY)).toBe('2026-12-06')
    expect(formatClinicDateTime(runner, NY)).toBe('Dec 6, 2026, 8:00 PM')
    expect(formatClinicDateTime(runner, NY, { style: 'numeric', withZone: true })).toBe('2026-12-06 20:00 (America/New_York, UTC-05:00)')
  })
})

describe('shown and printed times', () => {
  it('name the zone on request: the abbreviation on screens, the IANA name and offset on records', () => {
    expect(formatClinicDateTime('2026-12-07T01:05:00.000Z', NY, { withZone: true })).toBe('Dec 6, 2026, 8:05 PM EST')
    expect(formatClinicDateTime('2026-07-07T00:05:00.000Z', NY, { withZone: true })).toBe('Jul 6, 2026, 8:05 PM EDT')
    expect(formatClinicDateTime('2026-07-07T00:05:00.000Z', NY, { style: 'numeric' })).toBe('2026-07-06 20:05')
    expect(formatClinicDateTime('2026-07-07T00:05:00.000Z', LONDON, { style: 'numeric', withZone: true })).toBe('2026-07-07 01:05 (Europe/London, UTC+01:00)')
    expect(formatClinicDateTime('2026-07-07T00:05:00.000Z', 'Asia/Kathmandu', { style: 'numeric', withZone: true })).toBe('2026-07-07 05:50 (Asia/Kathmandu, UTC+05:45)')
    expect(formatClinicTime('2026-12-07T01:05:00.000Z', NY)).toBe('20:05')
    expect(formatClinicTime('2026-12-07T01:05:00.000Z', NY, { withZone: true })).toBe('20:05 EST')
    expect(formatClinicDateTime('not a time', NY)).toBe('not a time')
  })

  it('label a wall-clock text a record holds with the offset in force then', () => {
    expect(labelClinicWallTime('2026-12-14 10:30', NY)).toBe('2026-12-14 10:30 (America/New_York, UTC-05:00)')
    expect(labelClinicWallTime('2026-06-14 10:30', NY)).toBe('2026-06-14 10:30 (America/New_York, UTC-04:00)')
    expect(labelClinicWallTime('2026-12-14', NY)).toBe('2026-12-14')
    expect(labelClinicWallTime('(appointment 12)', NY)).toBe('(appointment 12)')
  })
})
