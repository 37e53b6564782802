import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ClinicSettings } from '../../shared/schemas/settings'
import { addDays, addMonths, ageOn, daysBetween, DEFAULT_FOLLOW_UP_INTERVALS, followUpDates, reassessmentDate } from '../../shared/clinical/dates'
import { isValidIsoDate } from '../../shared/dates'

const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

describe('age', () => {
  it('counts whole years, turning a year older on the birthday', () => {
    expect(ageOn('1950-06-15', '2026-06-14')).toBe(75)
    expect(ageOn('1950-06-15', '2026-06-15')).toBe(76)
  })
  it('reads the dates digit by digit exactly as splitting them would, for any two dates', () => {
    const reference = (b: string, o: string) => {
      const [by, bm, bd] = b.split('-').map(Number) as [number, number, number]
      const [y, m, d] = o.split('-').map(Number) as [number, number, number]
      return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
    }
    const iso = fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
    fc.assert(fc.property(iso, iso, (b, o) => ageOn(b, o) === reference(b, o)))
  })
  it('a 29 February birthday: a year older on 1 March in common years, on 29 February in leap years', () => {
    expect(ageOn('1948-02-29', '2025-02-28')).toBe(76)
    expect(ageOn('1948-02-29', '2025-03-01')).toBe(77)
    expect(ageOn('1948-02-29', '2028-02-28')).toBe(79)
    expect(ageOn('1948-02-29', '2028-02-29')).toBe(80)
  })
  it('property: age grows by exactly one each year and is never negative from birth on', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 36500 }), (birth, days) => {
        const on = addDays(birth, days)
        const a = ageOn(birth, on)
        // from 29 February, "a year later" is 28 February, the day before a leapling's birthday
        if (on.endsWith('-02-29')) return a >= 0 && ageOn(birth, addDays(on, 366)) - a === 1
        return a >= 0 && ageOn(birth, addMonths(on, 12)) - a === 1
      }),
    )
  })
})

describe('date arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
  })
  it('adds months, keeping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29')
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28')
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15')
  })
  it('refuses a date that does not exist', () => {
    expect(() => addDays('2025-02-29', 1)).toThrow(/not a date/)
  })
  it('property: adding n days then counting them back gives n, and the result is a real date', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -4000, max: 4000 }), (d, n) => {
        const r = addDays(d, n)
        return isValidIsoDate(r) && daysBetween(d, r) === n
      }),
    )
  })
})

describe('reassessment date', () => {
  it('is six weeks after the start by default', () => {
    expect(reassessmentDate('2026-11-30')).toBe('2027-01-11')
    expect(reassessmentDate('2028-01-20')).toBe('2028-03-02') // across 29 February 2028
    expect(reassessmentDate('2027-01-20')).toBe('2027-03-03')
    expect(reassessmentDate('2026-11-30', 4)).toBe('2026-12-28')
  })
  it('refuses a non-positive or fractional number of weeks', () => {
    expect(() => reassessmentDate('2026-11-30', 0)).toThrow(RangeError)
    expect(() => reassessmentDate('2026-11-30', 1.5)).toThrow(RangeError)
  })
  it('property: always exactly 7 x weeks days later', () => {
    fc.assert(fc.property(isoDate, fc.integer({ min: 1, max: 52 }), (d, w) => daysBetween(d, reassessmentDate(d, w)) === 7 * w))
  })
})

describe('follow-up dates', () => {
  it('defaults to 2 weeks, 6 weeks and 3 months after the procedure, as the Settings default does', () => {
    expect(followUpDates('2026-01-31')).toEqual([
      { label: '2 weeks', date: '2026-02-14' },
      { label: '6 weeks', date: '2026-03-14' },
      { label: '3 months', date: '2026-04-30' },
    ])
    // a month that lacks the day ends on its last day
    expect(followUpDates('2026-11-30').at(-1)).toEqual({ label: '3 months', date: '2027-02-28' })
    expect(ClinicSettings.parse({ clinicName: 'Clinic' }).followUpIntervals).toEqual(DEFAULT_FOLLOW_UP_INTERVALS)
  })
  it('counts 12 months from 29 February to 28 February', () => {
    expect(followUpDates('2028-02-29', [{ label: '12 months', months: 12 }])).toEqual([{ label: '12 months', date: '2029-02-28' }])
  })
  it('takes custom intervals and returns them earliest first', () => {
    expect(followUpDates('2026-11-30', [{ label: '1 month', months: 1 }, { label: '10 days', days: 10 }])).toEqual([
      { label: '10 days', date: '2026-12-10' },
      { label: '1 month', date: '2026-12-30' },
    ])
  })
  it('property: every follow-up is after the procedure and the list is ordered', () => {
    fc.assert(
      fc.property(isoDate, (d) => {
        const r = followUpDates(d, DEFAULT_FOLLOW_UP_INTERVALS)
        return r.every((x, i) => x.date > d && (i === 0 || r[i - 1]!.date <= x.date))
      }),
    )
  })
})
