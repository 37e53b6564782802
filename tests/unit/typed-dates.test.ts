import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatTypedDate, isValidIsoDate, parseTypedDate } from '../../shared/dates'

describe('a date as the clinic types it (MM/DD/YYYY, or YYYY-MM-DD)', () => {
  it.each([
    ['02/29/1948', '1948-02-29'],
    ['2/29/1948', '1948-02-29'],
    ['2-29-1948', '1948-02-29'],
    ['02.29.1948', '1948-02-29'],
    [' 12/31/2026 ', '2026-12-31'],
    ['1948-02-29', '1948-02-29'],
    ['1/1/2000', '2000-01-01'],
  ])('reads %s as %s', (typed, iso) => expect(parseTypedDate(typed)).toBe(iso))

  it.each([
    ['02/29/1949', 'not a leap year'],
    ['02/30/1948', 'no 30 February'],
    ['13/01/1948', 'day first is not the clinic locale: there is no month 13'],
    ['00/10/1948', 'no month 0'],
    ['04/31/2026', 'April has 30 days'],
    ['2/29/48', 'a two-digit year could be 1948 or 2048'],
    ['02/29-1948', 'mixed separators'],
    ['1948-2-29', 'ISO needs two digits'],
    ['', 'empty'],
    ['yesterday', 'words'],
  ])('refuses %s (%s)', (typed) => expect(parseTypedDate(typed)).toBeNull())

  it('formats as MM/DD/YYYY, and reading what it wrote gives the date back', () => {
    expect(formatTypedDate('1948-02-29')).toBe('02/29/1948')
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10)
        expect(isValidIsoDate(iso)).toBe(true)
        expect(parseTypedDate(formatTypedDate(iso))).toBe(iso)
      }),
    )
  })
})
