/**
 * The clinic's clock: what "today" and "now" mean, and how every date-time is shown, always in the clinic's
 * time zone (the `timeZone` setting), never the computer's. A workstation set to another zone, or a test
 * runner at 01:00 UTC (20:00 the evening before in New York), still sees the clinic's day.
 *
 * Pure: the caller passes "now" (the main process from the router's one injectable clock, the renderer from
 * the browser's) and the zone (from the settings). Instants are ISO-8601 UTC text; dates are YYYY-MM-DD.
 */
import { ageOn } from './dates'
import { addDays, zonedParts, zonedToInstantMs, zoneOffsetMs } from './scheduling/time'

export type Instant = string | number | Date

const ms = (at: Instant): number => (typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime())

/** The clinic's calendar date at `now`: the day the schedule, the due lists and "cannot be in the future" mean. */
export function clinicToday(now: Instant, zone: string): string {
  return zonedParts(ms(now), zone).date
}

/** The clinic's calendar date of an instant (a signature, a decision, an audit row). */
export function clinicDateOf(instant: Instant, zone: string): string {
  return zonedParts(ms(instant), zone).date
}

/** The clinic's wall-clock time of an instant, HH:MM (24 hours). */
export function clinicTimeOf(instant: Instant, zone: string): string {
  return zonedParts(ms(instant), zone).time
}

/**
 * The instant at which the clinic's clock shows `date` `hhmm`. Around DST a skipped time moves later by the
 * gap and a repeated one is the first of the two (see shared/scheduling/time.ts).
 */
export function clinicInstant(date: string, hhmm: string, zone: string): string {
  return new Date(zonedToInstantMs(date, hhmm, zone)).toISOString()
}

/** `hhmm` on `date` in the clinic, or on the next day when that would be before `notBefore` (a time after midnight). */
export function clinicInstantNotBefore(date: string, hhmm: string, zone: string, notBefore?: string | null): string {
  const at = clinicInstant(date, hhmm, zone)
  return notBefore && at < notBefore ? clinicInstant(addDays(date, 1), hhmm, zone) : at
}

/** Age in whole years on the clinic's today. */
export function clinicAge(birthDate: string, now: Instant, zone: string): number {
  return ageOn(birthDate, clinicToday(now, zone))
}

/**
 * The latest calendar date anywhere on Earth at `now` (UTC+14). A check with no clinic zone at hand (a shared
 * schema) refuses a date only when it is in the future for every clinic; the service then checks the clinic's own.
 */
export function latestDateOnEarth(now: Instant): string {
  return clinicToday(now, 'Etc/GMT-14')
}

/** The zone's offset from UTC at an instant: 'UTC-05:00', 'UTC+09:00', 'UTC+05:45', 'UTC+00:00'. */
export function utcOffsetText(instant: Instant, zone: string): string {
  const minutes = Math.round(zoneOffsetMs(ms(instant), zone) / 60_000)
  const a = Math.abs(minutes)
  return `UTC${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`
}

/**
 * How a printed record names the zone of a time: the IANA name and the offset then in force,
 * '(America/New_York, UTC-05:00)'. Worked out here rather than by the locale's abbreviation ('EST', 'GMT+1'),
 * which changes with the runtime's locale data: a signed PDF made again must give the same bytes.
 */
export function zoneLabel(instant: Instant, zone: string): string {
  return `(${zone}, ${utcOffsetText(instant, zone)})`
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = make()))
  return f
}

export interface ClinicFormat {
  /** name the zone: ' EST' after a screen's time, ' (America/New_York, UTC-05:00)' after a numeric one */
  withZone?: boolean
  /** 'medium' for screens ('Dec 6, 2026, 8:05 PM'), 'numeric' for records and messages ('2026-12-06 20:05') */
  style?: 'medium' | 'numeric'
}

/** An instant as the clinic's date and time. */
export function formatClinicDateTime(instant: Instant, zone: string, opts: ClinicFormat = {}): string {
  const at = ms(instant)
  if (Number.isNaN(at)) return String(instant)
  if (opts.style === 'numeric') {
    const p = zonedParts(at, zone)
    return `${p.date} ${p.time}${opts.withZone ? ` ${zoneLabel(at, zone)}` : ''}`
  }
  const f = formatter(`m|${opts.withZone ? 'z' : ''}|${zone}`, () =>
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', ...(opts.withZone ? { timeZoneName: 'short' } : {}) }),
  )
  return f.format(new Date(at))
}

/** An instant as the clinic's time of day: '20:05', or '20:05 EST' with the zone. */
export function formatClinicTime(instant: Instant, zone: string, opts: { withZone?: boolean } = {}): string {
  const at = ms(instant)
  if (Number.isNaN(at)) return String(instant)
  const time = zonedParts(at, zone).time
  if (!opts.withZone) return time
  const name = formatter(`z|${zone}`, () => new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' }))
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value
  return name ? `${time} ${name}` : time
}

const WALL = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$/

/**
 * A clinic wall-clock text 'YYYY-MM-DD HH:MM' (as a record already holds it) with its zone named; any other
 * text (a bare date, '(appointment 12)') as it is.
 */
export function labelClinicWallTime(text: string, zone: string): string {
  const m = WALL.exec(text)
  return m ? `${text} ${zoneLabel(zonedToInstantMs(m[1]!, m[2]!, zone), zone)}` : text
}
