/**
 * The status changes that depend on when they are made: a patient is checked in (and seen, and finished) on
 * the appointment's own day; a no-show is marked once the appointment's time has passed; a no-show is
 * reinstated only while its day lasts. The service refuses the change with the reason; the appointment panel
 * does not offer it, so nobody clicks "Check in" on next week's appointment to be told no.
 */
import type { AppointmentStatus } from '../schemas/scheduling'
import { localDayBounds, zonedParts } from './time'

export type StatusTimingRefusal = 'notToday' | 'notStarted' | 'dayOver'

export function statusTimingRefusal(from: AppointmentStatus, to: AppointmentStatus, at: { startsAt: string; nowMs: number; timeZone: string }): StatusTimingRefusal | null {
  const apptDay = zonedParts(at.startsAt, at.timeZone).date
  const today = zonedParts(at.nowMs, at.timeZone).date
  const seeing = to === 'arrived' || to === 'in_room' || to === 'completed'
  // a step back from the room or a finished visit (undoing a click) is not a new check-in
  if (seeing && from !== 'in_room' && from !== 'completed' && apptDay !== today) return 'notToday'
  if (to === 'noshow' && at.nowMs < Date.parse(at.startsAt)) return 'notStarted'
  if (from === 'noshow' && to === 'booked' && Date.parse(localDayBounds(apptDay, at.timeZone).end) <= at.nowMs) return 'dayOver'
  return null
}
