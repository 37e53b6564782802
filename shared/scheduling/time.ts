/**
 * Clinic wall-clock time <-> UTC instants, through Intl only (no Node, no library), so that the
 * renderer and the main process agree. Clinic hours are local times; appointments are stored as
 * UTC instants; a day in the schedule is a local day, which is 23 or 25 hours long around DST.
 */
const MINUTE = 60_000
const DAY = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

export interface ZonedParts {
  /** Local calendar date, YYYY-MM-DD. */
  date: string
  /** Local time, HH:MM. */
  time: string
  /** 1 = Monday ... 7 = Sunday (ISO 8601). */
  weekday: number
  /** Minutes since local midnight (wall clock). */
  minuteOfDay: number
}

/** The zone's wall clock at `ms`, read from Intl (seconds dropped): the exact answer, about 5 µs a call. */
function intlWallMs(ms: number, timeZone: string): number {
  const p: Record<string, number> = {}
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  }
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
}

/**
 * The zone's offset from UTC, remembered per quarter hour: a week of 500 appointments asks for the same few
 * hundred quarters again and again (the schedule's layout, each block's times), and Intl costs about 5 µs a
 * call against a map's fraction of one (tests/bench: zonedParts 5.5 -> 0.3 µs). A quarter whose two ends have
 * different offsets holds a DST change and is always asked of Intl; tzdata has no pair of changes within 15
 * minutes that cancel out, so equal ends mean one offset throughout.
 */
const QUARTER = 15 * MINUTE
const offsets = new Map<string, number>()
function wallMs(ms: number, timeZone: string): number {
  const second = Math.floor(ms / 1000) * 1000
  const quarter = Math.floor(ms / QUARTER) * QUARTER
  const key = `${timeZone}|${quarter}`
  let offset = offsets.get(key)
  if (offset === undefined) {
    offset = intlWallMs(quarter, timeZone) - quarter
    const last = quarter + QUARTER - 1000
    if (intlWallMs(last, timeZone) - last !== offset) return intlWallMs(ms, timeZone)
    if (offsets.size >= 50_000) offsets.clear()
    offsets.set(key, offset)
  }
  return second + offset
}

/** How far the zone's wall clock is ahead of UTC at that instant, in ms (seconds dropped). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  return wallMs(ms, timeZone) - Math.floor(ms / 1000) * 1000
}

const toMs = (instant: string | number | Date) => (typeof instant === 'number' ? instant : new Date(instant).getTime())

export function zonedParts(instant: string | number | Date, timeZone: string): ZonedParts {
  const wall = new Date(wallMs(toMs(instant), timeZone))
  const iso = wall.toISOString()
  return {
    date: iso.slice(0, 10),
    time: iso.slice(11, 16),
    weekday: ((wall.getUTCDay() + 6) % 7) + 1,
    minuteOfDay: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  }
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/

export function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

/**
 * The instant at which the clinic's wall clock shows `date` `time`. Around DST it behaves like
 * Temporal's 'compatible' choice: a time skipped by spring-forward moves later by the gap (02:30
 * becomes 03:30), and a time that happens twice at fall-back is the first of the two.
 */
export function zonedToInstantMs(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d) + minutesOf(time) * MINUTE
  const before = zoneOffsetMs(wall - DAY, timeZone)
  const after = zoneOffsetMs(wall + DAY, timeZone)
  const candidates = [wall - before, wall - after].filter((c) => wallMs(c, timeZone) === wall)
  if (candidates.length > 0) return Math.min(...candidates)
  return wall - before
}

export function zonedToInstant(date: string, time: string, timeZone: string): string {
  return new Date(zonedToInstantMs(date, time, timeZone)).toISOString()
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** 1 = Monday ... 7 = Sunday. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1
}

/** The Monday of the week that holds `date`. */
export function startOfWeek(date: string): string {
  return addDays(date, 1 - weekdayOf(date))
}

/** [start, end) of a local day as UTC instants; 23 or 25 hours long on DST days. */
export function localDayBounds(date: string, timeZone: string): { start: string; end: string } {
  return { start: zonedToInstant(date, '00:00', timeZone), end: zonedToInstant(addDays(date, 1), '00:00', timeZone) }
}

/** Whole days from `a` to `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY)
}

/** Normalises any ISO-8601 UTC text to the stored form (milliseconds, Z), so text comparison orders instants. */
export function canonicalInstant(instant: string | number | Date): string {
  return new Date(toMs(instant)).toISOString()
}

export function addMinutes(instant: string, minutes: number): string {
  return new Date(Date.parse(instant) + minutes * MINUTE).toISOString()
}

const describers = new Map<string, Intl.DateTimeFormat>()
/** "Mon, Nov 30, 10:00" in the clinic's time zone: how messages name a time. */
export function describeLocal(instant: string | number | Date, timeZone: string): string {
  let f = describers.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    describers.set(timeZone, f)
  }
  return f.format(new Date(toMs(instant)))
}
