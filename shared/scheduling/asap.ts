/**
 * Which patients on the ASAP list fit a freed slot, and in what order they are offered. Pure (no database, no
 * clock of its own) so that the main process and the tests agree on every boundary.
 */
import type { AsapWindow } from '../schemas/asap'
import { zonedParts } from './time'

export interface SlotToFill {
  typeId: number
  providerId: number
  /** The visit's start and end (UTC instants). */
  startsAt: string
  endsAt: string
}

export interface AsapCandidate {
  id: number
  typeId: number
  /** null: any provider */
  providerId: number | null
  windows: readonly AsapWindow[]
  earliestDate: string | null
  latestDate: string | null
  addedAt: string
  /** Their linked appointment still to be moved (booked or confirmed), if any. */
  currentStartsAt: string | null
  /** The patient's other appointments that hold time (their linked one left out: it is the one that moves). */
  busy: readonly { start: number; end: number }[]
}

export type NoFit = 'type' | 'provider' | 'weekday' | 'window' | 'date' | 'busy' | 'notEarlier'

/**
 * Why the entry does not fit the slot, or null when it does. In clinic local time:
 * - the type must be the one they wait for (required); the provider the one they named, or any;
 * - the whole visit inside one of their windows: a window 08:00-12:00 takes a visit from 08:00 to 12:00
 *   (start and end at the edges fit), not 07:55 or one ending 12:05; the slot's weekday must be among the window's days;
 * - the slot's local date within their earliest and latest dates, both included;
 * - the patient not already booked at an overlapping time;
 * - with a linked appointment, the slot must be earlier than it (the point is to come sooner).
 */
export function whyNotFit(slot: SlotToFill, c: AsapCandidate, timeZone: string): NoFit | null {
  if (c.typeId !== slot.typeId) return 'type'
  if (c.providerId !== null && c.providerId !== slot.providerId) return 'provider'
  const start = zonedParts(slot.startsAt, timeZone)
  const end = zonedParts(slot.endsAt, timeZone)
  // A visit that ends on the next local day never fits a window of one day.
  const endMinute = end.date === start.date ? end.minuteOfDay : 24 * 60 + end.minuteOfDay
  const onDay = c.windows.filter((w) => w.days.includes(start.weekday))
  if (onDay.length === 0) return 'weekday'
  if (!onDay.some((w) => minuteOf(w.from) <= start.minuteOfDay && endMinute <= minuteOf(w.to))) return 'window'
  if (c.earliestDate && start.date < c.earliestDate) return 'date'
  if (c.latestDate && start.date > c.latestDate) return 'date'
  const s = Date.parse(slot.startsAt)
  const e = Date.parse(slot.endsAt)
  if (c.busy.some((b) => b.start < e && s < b.end)) return 'busy'
  if (c.currentStartsAt !== null && Date.parse(c.currentStartsAt) <= s) return 'notEarlier'
  return null
}

function minuteOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
}

/**
 * Best first. The rule:
 * 1. Longest waiting on the list first, counted in whole clinic days: the local date the entry was added,
 *    earliest first. Two patients added the same day have waited equally long.
 * 2. Then the one whose current appointment is furthest away (a patient with no appointment at all first:
 *    their wait is open-ended).
 * 3. Then the earlier addition (the instant), then the lower id, so that the order never depends on the query.
 */
export function compareFits(a: AsapCandidate, b: AsapCandidate, timeZone: string): number {
  const dayA = zonedParts(a.addedAt, timeZone).date
  const dayB = zonedParts(b.addedAt, timeZone).date
  if (dayA !== dayB) return dayA < dayB ? -1 : 1
  const farA = a.currentStartsAt === null ? Infinity : Date.parse(a.currentStartsAt)
  const farB = b.currentStartsAt === null ? Infinity : Date.parse(b.currentStartsAt)
  if (farA !== farB) return farA > farB ? -1 : 1
  if (a.addedAt !== b.addedAt) return a.addedAt < b.addedAt ? -1 : 1
  return a.id - b.id
}

/** The entries that fit the slot, best first. */
export function fitsForSlot<C extends AsapCandidate>(slot: SlotToFill, candidates: readonly C[], timeZone: string): C[] {
  return candidates.filter((c) => whyNotFit(slot, c, timeZone) === null).sort((a, b) => compareFits(a, b, timeZone))
}

/** "Mon, Wed 08:00-12:00" */
export function describeWindow(w: AsapWindow, dayNames: readonly string[]): string {
  const days = [...w.days].sort((a, b) => a - b)
  const every = days.length === 7 ? 'Any day' : days.map((d) => dayNames[d - 1]).join(', ')
  return `${every} ${w.from}–${w.to}`
}
