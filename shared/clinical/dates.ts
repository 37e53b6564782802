/**
 * Calendar arithmetic on 'YYYY-MM-DD' dates, in UTC so that no local time zone or daylight-saving
 * change can move a date. Age is the foundation's `ageOn` (a 29 February birthday counts on 1 March
 * in common years), re-exported here with the rest of the clinical date maths.
 */
import { ageOn, daysInMonth, isValidIsoDate } from '../dates'

export { ageOn }

const DAY_MS = 86_400_000

function parts(date: string): [number, number, number] {
  if (!isValidIsoDate(date)) throw new RangeError(`not a date: ${date}`)
  return date.split('-').map(Number) as [number, number, number]
}

function format(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

function toUtcMs(date: string): number {
  const [y, m, d] = parts(date)
  const t = new Date(0)
  t.setUTCFullYear(y, m - 1, d)
  return t.getTime()
}

function fromUtcMs(ms: number): string {
  const t = new Date(ms)
  return format(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate())
}

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be whole, got ${days}`)
  return fromUtcMs(toUtcMs(date) + days * DAY_MS)
}

export function addWeeks(date: string, weeks: number): string {
  return addDays(date, weeks * 7)
}

/** Same day of the month `months` later; a day the target month lacks becomes its last day (31 Jan + 1 month = 28 or 29 Feb). */
export function addMonths(date: string, months: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`months must be whole, got ${months}`)
  const [y, m, d] = parts(date)
  const total = y * 12 + (m - 1) + months
  const ny = Math.floor(total / 12)
  const nm = (total % 12) + 1
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)))
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS)
}

export const DEFAULT_REASSESSMENT_WEEKS = 6

/** When conservative care is reassessed: by default six weeks after it starts. */
export function reassessmentDate(startDate: string, weeks: number = DEFAULT_REASSESSMENT_WEEKS): string {
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`weeks must be a whole number of at least 1, got ${weeks}`)
  return addWeeks(startDate, weeks)
}

export type FollowUpInterval = { label: string } & ({ days: number } | { weeks: number } | { months: number })

/**
 * The clinic's follow-up visits after a procedure, also the Settings default (`followUpIntervals`, which must
 * agree: tests/unit/clinical-dates.test.ts): about 2 weeks (the puncture sites, early complications), 6 weeks
 * and 3 months, when most patients have their relief (DOMAIN.md, step 8; trials add 12 months, which a clinic
 * adds in Settings).
 */
export const DEFAULT_FOLLOW_UP_INTERVALS: readonly FollowUpInterval[] = [
  { label: '2 weeks', weeks: 2 },
  { label: '6 weeks', weeks: 6 },
  { label: '3 months', months: 3 },
]

export interface FollowUpDate {
  label: string
  date: string
}

/** The follow-up dates after a procedure, earliest first. */
export function followUpDates(procedureDate: string, intervals: readonly FollowUpInterval[] = DEFAULT_FOLLOW_UP_INTERVALS): FollowUpDate[] {
  return intervals
    .map((iv) => {
      const date = 'days' in iv ? addDays(procedureDate, iv.days) : 'weeks' in iv ? addWeeks(procedureDate, iv.weeks) : addMonths(procedureDate, iv.months)
      return { label: iv.label, date }
    })
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}
