/** What the schedule screens share: clinic wall-clock conversions, readable colours, labels, query keys. */
import { clinicTimeOf, clinicToday } from '../../../shared/clinicClock'
import { addMinutes, zonedParts, zonedToInstant } from '../../../shared/scheduling/time'
import type { AppointmentStatus, ScheduleBlock, ScheduleSetup } from '../../../shared/schemas/scheduling'
import { useChannel } from '../../data'
import type { BookingLink } from '../../paths'

export function useScheduleSetup() {
  return useChannel('schedule.setup.get', {})
}

/** The clinic's wall clock for an instant, as `YYYY-MM-DD HH:mm:ss` (the schedule's grid and booking form work in it). */
export function toWall(instant: string | number, timeZone: string): string {
  const p = zonedParts(instant, timeZone)
  return `${p.date} ${p.time}:00`
}

/** The instant at which the clinic's wall clock shows `YYYY-MM-DD HH:mm[:ss]`. */
export function fromWall(wall: string, timeZone: string): string {
  return zonedToInstant(wall.slice(0, 10), wall.slice(11, 16), timeZone)
}

/** The clinic's today by this browser's clock (shared/clinicClock.ts). */
export function todayIn(timeZone: string): string {
  return clinicToday(Date.now(), timeZone)
}

export function localTime(instant: string, timeZone: string): string {
  return clinicTimeOf(instant, timeZone)
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>()
/** "Tuesday, December 1, 2026" for a calendar date. */
export function longDate(date: string): string {
  let f = dayFormatters.get('long')
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
    dayFormatters.set('long', f)
  }
  return f.format(new Date(`${date}T12:00:00Z`))
}

/** "Tue, Dec 1, 2026, 10:00" in the clinic's time zone. */
export function describeWhen(instant: string, timeZone: string): string {
  const p = zonedParts(instant, timeZone)
  return `${longDate(p.date).replace(/^(\w{3})\w*,/, '$1,')}, ${p.time}`
}

function channel(c: number): number {
  const s = c / 255
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16)
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** Black or white, whichever reads better on the type's colour. */
export function textColourOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff'
}

/** What each status change is called on a button. */
export const STATUS_ACTIONS: Record<AppointmentStatus, string> = {
  booked: 'Back to booked',
  confirmed: 'Confirm',
  arrived: 'Check in',
  in_room: 'In room',
  completed: 'Complete',
  noshow: 'No-show',
  cancelled: 'Cancel appointment',
}

/** Badge colours (shade 8-9: white text stays above 4.5:1). */
export const STATUS_COLOURS: Record<AppointmentStatus, string> = {
  booked: 'gray.8',
  confirmed: 'indigo.8',
  arrived: 'teal.9',
  in_room: 'violet.8',
  // Mantine's darkest green (green.9) gives white badge text only 4.4:1; this one gives about 6:1 (axe).
  completed: '#1f6b2e',
  noshow: 'red.9',
  cancelled: 'dark.6',
}

export function typeByCode(setup: ScheduleSetup, code: string) {
  return setup.types.find((t) => t.code === code && t.active)
}

export function endOf(startsAt: string, minutes: number): string {
  return addMinutes(startsAt, minutes)
}

export { BOOKING_LINK_KINDS, bookingPath, isBookingLinkKind, type BookingLinkKind } from '../../paths'

export interface BookingPrefill {
  patientId?: number
  patientName?: string
  typeId?: number
  providerId?: number
  roomId?: number
  startsAt?: string
  /** A day to book on when no time is chosen yet (a reassessment's due date). */
  date?: string
  /** After booking, tell the list the booking came from. */
  link?: BookingLink
}

export function appointmentLabel(a: ScheduleBlock, timeZone: string): string {
  return `${a.patientName}, ${a.typeName}, ${localTime(a.startsAt, timeZone)}–${localTime(a.endsAt, timeZone)}`
}
