/**
 * Follow-ups due as a worklist the front desk works through (issue 23 point 4): filtered by physician, label and
 * how late they are, in the database (the list is capped, so filtering what came back could miss rows); follow-ups
 * overdue by more than the clinic's `followUpHideOverdueAfterDays` are not listed, only counted, so a miss of
 * years ago never reads "Overdue 7148 days"; and a follow-up nobody will book is closed with a reason, never
 * deleted.
 */
import { clinicToday } from '../../../shared/clinicClock'
import { addDays, daysBetween } from '../../../shared/clinical/dates'
import { AppError } from '../../../shared/result'
import {
  FOLLOW_UP_CLOSE_REASON_LABELS,
  type CloseFollowUp,
  type ClosedFollowUp,
  type DueBand,
  type DueFollowUp,
  type DueFollowUpWorklist,
} from '../../../shared/schemas/outcomes'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { assertVersion, assertWritten, nextVersion } from '../records/versions'
import { requireSettings } from '../settings'
import { countAll, inError } from './common'

/** More rows than anyone reads down; the filters narrow past it. */
const LIST_LIMIT = 2000

export interface WorklistQuery {
  today?: string | undefined
  daysAhead: number
  physicianId?: number | undefined
  label?: string | undefined
  band?: DueBand | undefined
}

/** The target dates a band covers, from the clinic's today: [on or after, on or before]. */
function bandDates(band: DueBand | undefined, today: string): { from?: string; to?: string } {
  switch (band) {
    case 'dueSoon':
      return { from: today }
    case 'overdue':
      return { to: addDays(today, -1) }
    case 'overdueUpTo30':
      return { from: addDays(today, -30), to: addDays(today, -1) }
    case 'overdue31to90':
      return { from: addDays(today, -90), to: addDays(today, -31) }
    case 'overdueOver90':
      return { to: addDays(today, -91) }
    default:
      return {}
  }
}

/** Not seen, not closed, of a procedure not entered in error, and the filters asked for (all but the age limit). */
function dueQuery(ctx: ServiceContext, q: WorklistQuery, today: string) {
  const seen = ctx.db.selectFrom('follow_up_visits').select('follow_up_id').where('error_at', 'is', null)
  const band = bandDates(q.band, today)
  let query = ctx.db
    .selectFrom('procedure_follow_ups as f')
    .innerJoin('procedures as pr', 'pr.id', 'f.procedure_id')
    .where('f.status', 'in', ['proposed', 'booked'])
    .where('f.target_date', '<=', addDays(today, q.daysAhead))
    .where('f.id', 'not in', seen)
    .where('f.procedure_id', 'not in', inError(ctx.db, 'procedure'))
  if (band.from) query = query.where('f.target_date', '>=', band.from)
  if (band.to) query = query.where('f.target_date', '<=', band.to)
  if (q.physicianId !== undefined) query = query.where('pr.provider_id', '=', q.physicianId)
  if (q.label !== undefined) query = query.where('f.label', '=', q.label)
  return query
}

/** `followUps.worklist`: the rows to work, earliest first, and how many the age setting keeps off the list. */
export async function dueWorklist(ctx: ServiceContext, q: WorklistQuery): Promise<DueFollowUpWorklist> {
  const { settings } = await requireSettings(ctx.db)
  const today = q.today ?? clinicToday(ctx.now(), settings.timeZone)
  const hideAfter = settings.followUpHideOverdueAfterDays
  // overdue by exactly `hideAfter` days is listed; one day more is not
  const oldestListed = addDays(today, -hideAfter)
  const rows = await dueQuery(ctx, q, today)
    .innerJoin('patients as p', 'p.id', 'f.patient_id')
    .innerJoin('users as u', 'u.id', 'pr.provider_id')
    .select(['f.id', 'f.procedure_id', 'f.patient_id', 'p.mrn', 'p.first_name', 'p.last_name', 'p.phone', 'f.label', 'f.target_date', 'f.status', 'f.appointment_id', 'f.version', 'pr.provider_id', 'u.display_name'])
    .where('f.target_date', '>=', oldestListed)
    .orderBy('f.target_date')
    .orderBy('f.id')
    .limit(LIST_LIMIT)
    .execute()
  const hidden = await dueQuery(ctx, q, today).select(countAll.as('n')).where('f.target_date', '<', oldestListed).executeTakeFirstOrThrow()
  return {
    rows: rows.map((r): DueFollowUp => {
      const late = daysBetween(r.target_date, today)
      return {
        id: r.id,
        procedureId: r.procedure_id,
        patientId: r.patient_id,
        mrn: r.mrn,
        patientName: `${r.last_name}, ${r.first_name}`,
        phone: r.phone,
        label: r.label,
        targetDate: r.target_date,
        status: r.status as DueFollowUp['status'],
        appointmentId: r.appointment_id,
        overdue: late > 0,
        daysOverdue: Math.max(0, late),
        providerId: r.provider_id,
        providerName: r.display_name,
        version: r.version,
      }
    }),
    hidden: { count: Number(hidden.n), overdueDays: hideAfter },
  }
}

/** Appointment states after which a booked follow-up will not happen as booked: it may then be closed. */
const APPOINTMENT_GONE = ['cancelled', 'noshow']

/**
 * `followUps.close`: the follow-up leaves the due list, with who closed it, when and why; the row stays (a
 * clinical record is never deleted). Refused, in words and with nothing changed, when it is closed already, was
 * seen, is booked on an appointment still to come, belongs to a procedure entered in error, or was changed since
 * the list was read.
 */
export async function closeFollowUp(ctx: ServiceContext, input: CloseFollowUp & { otherReason: string }): Promise<ClosedFollowUp> {
  const actor = requireActor(ctx)
  const f = await ctx.db.selectFrom('procedure_follow_ups').selectAll().where('id', '=', input.id).executeTakeFirst()
  if (!f) throw new AppError('not_found', `There is no follow-up visit with id ${input.id}. Nothing was changed.`, { id: 'no such follow-up visit' })
  if (f.status === 'cancelled') {
    const why = f.cancel_reason ? ` (${f.cancel_reason})` : ''
    throw new AppError('conflict', `This ${f.label} follow-up visit was already closed${f.cancelled_at ? ` on ${f.cancelled_at.slice(0, 10)}` : ''}${why}. Nothing was changed.`, { id: 'is already closed' })
  }
  const visit = await ctx.db.selectFrom('follow_up_visits').select(['id', 'visit_date']).where('follow_up_id', '=', f.id).where('error_at', 'is', null).executeTakeFirst()
  if (visit) throw new AppError('conflict', `This ${f.label} follow-up visit was already seen (visit of ${visit.visit_date} recorded); a seen visit is not closed. Nothing was changed.`, { id: 'was already seen' })
  const procInError = await inError(ctx.db, 'procedure').where('record_id', '=', f.procedure_id).executeTakeFirst()
  if (procInError) throw new AppError('locked', 'The procedure note of this follow-up was entered in error, which closed its follow-ups already. Nothing was changed.', { id: 'is of a procedure entered in error' })
  await assertVersion(f.version, input.version, 'This follow-up visit was changed since you opened the list (it may have been booked or closed at another desk); reload the list. Nothing was changed.')
  if (f.status === 'booked' && f.appointment_id !== null) {
    const appt = await ctx.db.selectFrom('appointments').select(['status', 'starts_at']).where('id', '=', f.appointment_id).executeTakeFirst()
    if (appt && !APPOINTMENT_GONE.includes(appt.status)) {
      throw new AppError('conflict', `This ${f.label} follow-up visit is booked (appointment ${f.appointment_id}); cancel the appointment first, then close the follow-up. Nothing was changed.`, { id: 'is booked' })
    }
  }
  const label = FOLLOW_UP_CLOSE_REASON_LABELS[input.reason]
  const words = input.reason === 'other' ? input.otherReason : input.otherReason ? `${label}: ${input.otherReason}` : label
  const at = nowIso(ctx)
  const written = await ctx.db
    .updateTable('procedure_follow_ups')
    .set({ status: 'cancelled', cancelled_at: at, cancelled_by: actor.id, cancel_code: input.reason, cancel_reason: words, version: nextVersion(f.version) })
    .where('id', '=', f.id)
    .where('version', '=', input.version)
    .returning('id')
    .executeTakeFirst()
  assertWritten(written, 'This follow-up visit was changed at another desk just now; reload the list. Nothing was changed.')
  await ctx.audit({
    action: 'followUp.close',
    entity: 'followUp',
    entityId: f.id,
    patientId: f.patient_id,
    details: { label: f.label, targetDate: f.target_date, reason: input.reason, reasonText: words, wasBooked: f.status === 'booked' },
  })
  return { id: f.id, patientId: f.patient_id, label: f.label, status: 'cancelled', reason: input.reason, reasonText: words, closedAt: at, closedBy: actor.displayName, version: nextVersion(f.version) }
}
