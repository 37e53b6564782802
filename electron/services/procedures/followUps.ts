/** The follow-up visits discharge proposes, as the front desk sees them to book: who and when, nothing clinical. */
import { AppError } from '../../../shared/result'
import type { FollowUpView } from '../../../shared/schemas/discharge'
import type { Tx } from '../../db/tx'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { requireAppointmentFor } from '../records/appointments'
import { assertVersion, nextVersion } from '../records/versions'

function query(db: Tx) {
  return db
    .selectFrom('procedure_follow_ups as f')
    .innerJoin('patients as p', 'p.id', 'f.patient_id')
    .select(['f.id', 'f.patient_id', 'p.mrn', 'p.first_name', 'p.last_name', 'p.phone', 'f.label', 'f.target_date', 'f.status', 'f.appointment_id', 'f.version'])
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['execute']>>[number]

const toView = (r: Row): FollowUpView => ({
  id: r.id,
  patientId: r.patient_id,
  mrn: r.mrn,
  patientName: `${r.last_name}, ${r.first_name}`,
  phone: r.phone,
  label: r.label,
  targetDate: r.target_date,
  status: r.status as FollowUpView['status'],
  appointmentId: r.appointment_id,
  version: r.version,
})

export async function listFollowUps(ctx: ServiceContext, input: { status: FollowUpView['status']; patientId?: number }): Promise<FollowUpView[]> {
  let q = query(ctx.db).where('f.status', '=', input.status)
  if (input.patientId !== undefined) q = q.where('f.patient_id', '=', input.patientId)
  return (await q.orderBy('f.target_date').orderBy('f.id').execute()).map(toView)
}

/** The front desk links the appointment it booked; the visit leaves the list to book. */
export async function markFollowUpBooked(ctx: ServiceContext, input: { id: number; version: number; appointmentId: number }): Promise<FollowUpView> {
  const actor = requireActor(ctx)
  const f = await query(ctx.db).where('f.id', '=', input.id).executeTakeFirst()
  if (!f) throw new AppError('not_found', `There is no follow-up visit with id ${input.id}.`, { id: 'no such follow-up visit' })
  if (f.status !== 'proposed') throw new AppError('conflict', `This follow-up visit is already ${f.status}.`, { id: `is ${f.status}` })
  await assertVersion(f.version, input.version, 'This follow-up visit was changed since you opened the list; reload it.')
  await requireAppointmentFor(ctx.db, input.appointmentId, f.patient_id)
  await ctx.db
    .updateTable('procedure_follow_ups')
    .set({ status: 'booked', appointment_id: input.appointmentId, booked_at: nowIso(ctx), booked_by: actor.id, version: nextVersion(f.version) })
    .where('id', '=', f.id)
    .where('version', '=', input.version)
    .execute()
  await ctx.audit({ action: 'followUp.book', entity: 'followUp', entityId: f.id, patientId: f.patient_id, details: { appointmentId: input.appointmentId } })
  return toView({ ...f, status: 'booked', appointment_id: input.appointmentId, version: nextVersion(f.version) })
}
