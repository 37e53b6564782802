/**
 * Addresses one screen opens on another (the chart's "new note", a worklist's "Book"). They live here, not in
 * the screen that answers them, so that no screen imports another screen's module.
 */

/** The lists a booking can come from: a reassessment, a procedure request, a post-procedure follow-up, a referral (its consultation). */
export const BOOKING_LINK_KINDS = ['reassessment', 'request', 'followUp', 'referral'] as const
export type BookingLinkKind = (typeof BOOKING_LINK_KINDS)[number]
export const isBookingLinkKind = (k: string | undefined): k is BookingLinkKind => (BOOKING_LINK_KINDS as readonly string[]).includes(k ?? '')
/** After booking, the schedule tells the list the booking came from. */
export interface BookingLink {
  kind: BookingLinkKind
  id: number
  version: number
}

/**
 * `#/schedule?book=1&patient=…&name=…&type=code&provider=…&link=reassessment:ID:VERSION[&back=/follow-ups?…]`: the
 * booking form, prefilled. `back` is the worklist the booking came from (with its filters): the form returns there
 * when it is booked or closed, so the list keeps its place (renderer/worklistPlace.ts).
 */
export function bookingPath(p: { patientId: number; patientName?: string; typeCode?: string; typeId?: number; providerId?: number; date?: string; link?: BookingLink; back?: string }): string {
  const q = new URLSearchParams({ book: '1', patient: String(p.patientId) })
  if (p.patientName) q.set('name', p.patientName)
  if (p.typeCode) q.set('type', p.typeCode)
  if (p.typeId) q.set('typeId', String(p.typeId))
  if (p.providerId) q.set('provider', String(p.providerId))
  if (p.date) q.set('date', p.date)
  if (p.link) q.set('link', `${p.link.kind}:${p.link.id}:${p.link.version}`)
  if (p.back) q.set('back', p.back)
  return `/schedule?${q.toString()}`
}

/** Where to start a new note: the schedule passes the appointment too (`&appointment=ID`). */
export const newConsultationPath = (patientId: number, appointmentId?: number) => `/consultations/new?patient=${patientId}${appointmentId ? `&appointment=${appointmentId}` : ''}`

/** The procedure note for a patient, or for the day's procedure appointment (the schedule passes it). */
export const newProcedurePath = (patientId: number, appointmentId?: number) => `/procedures/new?patient=${patientId}${appointmentId ? `&appointment=${appointmentId}` : ''}`

/** Recording the visit of one follow-up. */
export const recordVisitPath = (followUpId: number, patientId: number) => `/follow-up-visits/new?followUp=${followUpId}&patient=${patientId}`
