/**
 * Booking from a worklist (a reassessment due, a procedure request, a follow-up visit to book): the appointment
 * and its link to the worklist row in the router's one write transaction, with both audit rows. If either half
 * is refused (the slot is taken, the row was booked or changed since the list was read, it is another
 * patient's), nothing is written: no appointment without its link, no link to an appointment that is not there.
 */
import { AppError } from '../../shared/result'
import type { BookAndLink, BookingLink, BookingLinkKind } from '../../shared/schemas/scheduling'
import type { ServiceContext } from './context'
import { linkAppointment } from './consultations/care'
import { markBooked } from './consultations/candidacy'
import { markFollowUpBooked } from './procedures/followUps'
import { markReferralBooked } from './referrals'
import { bookAppointment } from './schedulingBooking'

const ROW_NAMES: Record<BookingLinkKind, string> = { reassessment: 'reassessment', request: 'procedure request', followUp: 'follow-up visit', referral: 'referral' }

/** Each worklist's link, given the appointment just booked: the row's new version. */
const LINKERS: Record<BookingLinkKind, (ctx: ServiceContext, link: BookingLink, appointmentId: number) => Promise<{ version: number }>> = {
  reassessment: (ctx, l, appointmentId) => linkAppointment(ctx, { planId: l.id, version: l.version, appointmentId }),
  request: (ctx, l, appointmentId) => markBooked(ctx, { id: l.id, version: l.version, appointmentId }),
  followUp: (ctx, l, appointmentId) => markFollowUpBooked(ctx, { id: l.id, version: l.version, appointmentId }),
  referral: (ctx, l, appointmentId) => markReferralBooked(ctx, { id: l.id, version: l.version, appointmentId }),
}

/** The linkers' field names, as the combined input names them. */
function linkField(field: string): string {
  if (field === 'appointmentId') return 'patientId'
  if (field === 'planId' || field === 'id') return 'link.id'
  return `link.${field}`
}

export async function bookAndLink(ctx: ServiceContext, input: BookAndLink) {
  const { link, ...booking } = input
  const booked = await bookAppointment(ctx, booking)
  // A series is linked by its first occurrence (the visit the worklist asked for).
  const first = booked.appointments[0]!
  try {
    const linked = await LINKERS[link.kind](ctx, link, first.id)
    return { ...booked, link: { ...link, version: linked.version } }
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const fields = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, v]) => [linkField(k), k === 'appointmentId' ? `is not the patient of this ${ROW_NAMES[link.kind]}` : v]))
    const message = err.fields?.appointmentId ? `This ${ROW_NAMES[link.kind]} is for another patient.` : err.message
    // The router rolls the booking back with the refusal: say so, as a refused booking does.
    throw new AppError(err.code, `${message} Nothing was booked.`, fields, err.detail)
  }
}
