import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, localDayBounds, startOfWeek, weekdayOf, zonedParts, zonedToInstant } from '../../shared/scheduling/time'

const NY = 'America/New_York'

describe('clinic wall-clock time', () => {
  it('converts local times to UTC on either side of daylight saving', () => {
    expect(zonedToInstant('2026-11-30', '08:00', NY)).toBe('2026-11-30T13:00:00.000Z')
    expect(zonedToInstant('2026-07-01', '08:00', NY)).toBe('2026-07-01T12:00:00.000Z')
    expect(zonedToInstant('2026-07-01', '08:00', 'Europe/Berlin')).toBe('2026-07-01T06:00:00.000Z')
    expect(zonedToInstant('2026-07-01', '08:00', 'Asia/Kolkata')).toBe('2026-07-01T02:30:00.000Z')
  })

  it('moves a time skipped at spring-forward later by the gap, and takes the first of a repeated fall-back time', () => {
    expect(zonedToInstant('2027-03-14', '02:30', NY)).toBe('2027-03-14T07:30:00.000Z') // shows 03:30 EDT
    expect(zonedParts('2027-03-14T07:30:00.000Z', NY).time).toBe('03:30')
    expect(zonedToInstant('2026-11-01', '01:30', NY)).toBe('2026-11-01T05:30:00.000Z') // 01:30 EDT, the first one
  })

  it('has 23- and 25-hour local days at the changes', () => {
    const hours = (d: string) => {
      const b = localDayBounds(d, NY)
      return (Date.parse(b.end) - Date.parse(b.start)) / 3_600_000
    }
    expect(hours('2027-03-14')).toBe(23)
    expect(hours('2026-11-01')).toBe(25)
    expect(hours('2026-11-30')).toBe(24)
  })

  it('names weekdays Monday = 1 to Sunday = 7 and finds the Monday of a week', () => {
    expect(weekdayOf('2026-11-30')).toBe(1)
    expect(weekdayOf('2026-12-06')).toBe(7)
    expect(startOfWeek('2026-12-06')).toBe('2026-11-30')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(zonedParts('2026-12-01T04:30:00.000Z', NY)).toEqual({ date: '2026-11-30', time: '23:30', weekday: 1, minuteOfDay: 1410 })
  })

  it('round-trips every existing wall-clock time (property)', () => {
    const zones = fc.constantFrom(NY, 'Europe/London', 'Australia/Sydney', 'America/Sao_Paulo', 'UTC')
    fc.assert(
      fc.property(zones, fc.integer({ min: 0, max: 3650 }), fc.integer({ min: 0, max: 24 * 12 - 1 }), (tz, day, fiveMin) => {
        const date = addDays('2024-01-01', day)
        const time = `${String(Math.floor(fiveMin / 12)).padStart(2, '0')}:${String((fiveMin % 12) * 5).padStart(2, '0')}`
        const back = zonedParts(zonedToInstant(date, time, tz), tz)
        // Either the same wall time, or (inside a spring-forward gap) a later one on the same day.
        if (back.date === date && back.time === time) return true
        return back.date === date && back.time > time
      }),
      { numRuns: 500 },
    )
  })

  it('reads the same wall clock as Intl at every instant, DST changes and half- and three-quarter-hour zones included (the offset is remembered per quarter hour)', () => {
    const zones = [NY, 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Asia/Kathmandu', 'UTC']
    const formats = new Map(zones.map((z) => [z, new Intl.DateTimeFormat('en-US', { timeZone: z, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })]))
    const intl = (ms: number, zone: string) => {
      const p = Object.fromEntries(formats.get(zone)!.formatToParts(new Date(ms)).map((x) => [x.type, x.value]))
      return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` }
    }
    const offset = (ms: number, zone: string) => {
      const w = intl(ms, zone)
      return Date.parse(`${w.date}T${w.time}:00Z`) - Math.floor(ms / 60_000) * 60_000
    }
    // every 5 minutes of the two hours around each change of 2024-2027 in each zone, and anywhere in 1950-2100
    let checked = 0
    for (const zone of zones) {
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 3_600_000) {
        if (offset(t, zone) === offset(t + 3_600_000, zone)) continue
        for (let m = t - 3_600_000; m <= t + 2 * 3_600_000; m += 5 * 60_000) {
          expect(zonedParts(m, zone), `${zone} ${new Date(m).toISOString()}`).toMatchObject(intl(m, zone))
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(1000)
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...zones), (t, zone) => {
        expect(zonedParts(t, zone)).toMatchObject(intl(t, zone))
      }),
      { numRuns: 2000 },
    )
  })
})
