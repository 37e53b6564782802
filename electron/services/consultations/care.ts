/** Conservative-care plans: prescribed in a note, reassessed later, and the front desk's list of due reassessments. */
import { reassessmentDate } from '../../../shared/clinical/dates'
import { AppError } from '../../../shared/result'
import type { CarePlanFields, CarePlanView, ConsultationView, DueReassessment } from '../../../shared/schemas/consultations'
import type { Tx } from '../../db/tx'
import type { ConsultationRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { requireAppointmentFor } from '../records/appointments'
import { enteredInErrorIds, isEnteredInError } from '../records/enteredInError'
import { clinicDay } from '../records/today'
import { assertVersion, nextVersion } from '../records/versions'
import { beginNoteChange, loadNote, toCarePlan } from './rows'
import { buildView } from './view'

/** Sets (or, with null, removes) the plan a draft note prescribes. */
export async function saveCarePlan(ctx: ServiceContext, input: { consultationId: number; version: number; plan: CarePlanFields | null }): Promise<ConsultationView> {
  const note = await beginNoteChange(ctx, input.consultationId, input.version, 'consultationId')
  await writeCarePlan(ctx, note, input.plan)
  return buildView(ctx.db, note.id)
}

/** Sets or removes the note's plan (the note's change begun: beginNoteChange), with its audit row. */
export async function writeCarePlan(ctx: ServiceContext, note: ConsultationRow, plan: CarePlanFields | null): Promise<void> {
  const existing = await ctx.db.selectFrom('conservative_care_plans').selectAll().where('consultation_id', '=', note.id).executeTakeFirst()
  const at = nowIso(ctx)
  if (plan === null) {
    if (existing) {
      await ctx.db.deleteFrom('conservative_care_plans').where('id', '=', existing.id).execute()
      await ctx.audit({ action: 'care.remove', entity: 'conservativeCare', entityId: existing.id, patientId: note.patient_id, details: { consultationId: note.id } })
    }
    return
  }
  const p = plan
  const cols = {
    bracing: p.bracing,
    pain_medication: p.painMedication,
    other_measures: p.otherMeasures,
    start_date: p.startDate,
    reassessment_date: p.reassessmentDate ?? reassessmentDate(p.startDate),
    updated_at: at,
  }
  if (existing) {
    await ctx.db.updateTable('conservative_care_plans').set({ ...cols, version: existing.version + 1 }).where('id', '=', existing.id).execute()
    await ctx.audit({ action: 'care.update', entity: 'conservativeCare', entityId: existing.id, patientId: note.patient_id, details: { consultationId: note.id, reassessmentDate: cols.reassessment_date } })
  } else {
    const row = await ctx.db
      .insertInto('conservative_care_plans')
      .values({ ...cols, patient_id: note.patient_id, consultation_id: note.id, provider_id: note.provider_id, created_at: at, version: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    await ctx.audit({ action: 'care.create', entity: 'conservativeCare', entityId: row.id, patientId: note.patient_id, details: { consultationId: note.id, reassessmentDate: cols.reassessment_date } })
  }
}

/**
 * At reassessment the physician records improved or failed, and why. Recorded once (who, when); a
 * correction is an addendum to the note. The plan must have been prescribed in a signed note.
 */
export async function recordOutcome(
  ctx: ServiceContext,
  input: { planId: number; version: number; outcome: 'improved' | 'failed'; reason: string; consultationId?: number },
): Promise<CarePlanView> {
  const actor = requireActor(ctx)
  const plan = await ctx.db.selectFrom('conservative_care_plans').selectAll().where('id', '=', input.planId).executeTakeFirst()
  if (!plan) throw new AppError('not_found', `There is no conservative-care plan with id ${input.planId}.`, { planId: 'no such plan' })
  if (await isEnteredInError(ctx.db, 'consultation', plan.consultation_id)) throw new AppError('locked', 'The note that prescribed this plan was entered in error.')
  const signed = await ctx.db.selectFrom('signatures').select('id').where('record_type', '=', 'consultation').where('record_id', '=', plan.consultation_id).executeTakeFirst()
  if (!signed) throw new AppError('conflict', 'The note that prescribes this plan is not signed yet; sign it before recording the reassessment.')
  if (plan.outcome !== null) {
    throw new AppError('conflict', `The outcome (${plan.outcome}) was already recorded on ${plan.outcome_at?.slice(0, 10)}; correct it with an addendum to the note.`, { outcome: 'is already recorded' })
  }
  await assertVersion(plan.version, input.version, 'This plan was changed since you opened it; reload it.')
  if (input.consultationId !== undefined) {
    const visit = await loadNote(ctx.db, input.consultationId, 'consultationId')
    if (visit.patient_id !== plan.patient_id) throw new AppError('invalid_input', 'That consultation is for another patient.', { consultationId: 'is for another patient' })
  }
  const at = nowIso(ctx)
  const row = await ctx.db
    .updateTable('conservative_care_plans')
    .set({ outcome: input.outcome, outcome_reason: input.reason, outcome_at: at, outcome_by: actor.id, outcome_consultation_id: input.consultationId ?? null, updated_at: at, version: nextVersion(plan.version) })
    .where('id', '=', plan.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'care.outcome', entity: 'conservativeCare', entityId: plan.id, patientId: plan.patient_id, details: { outcome: input.outcome, consultationId: input.consultationId ?? null } })
  return toCarePlan(row, actor.displayName)
}

function dueQuery(db: Tx) {
  return db
    .selectFrom('conservative_care_plans as p')
    .innerJoin('patients as pt', 'pt.id', 'p.patient_id')
    .innerJoin('users as u', 'u.id', 'p.provider_id')
    .innerJoin('signatures as s', (j) => j.onRef('s.record_id', '=', 'p.consultation_id').on('s.record_type', '=', 'consultation'))
    .select(['p.id', 'p.patient_id', 'pt.mrn', 'pt.first_name', 'pt.last_name', 'pt.phone', 'p.provider_id', 'u.display_name', 'p.reassessment_date', 'p.reassessment_appointment_id', 'p.version'])
    .where('p.outcome', 'is', null)
    .where('p.consultation_id', 'not in', enteredInErrorIds(db, 'consultation'))
}

type DueRow = Awaited<ReturnType<ReturnType<typeof dueQuery>['execute']>>[number]

function toDue(r: DueRow, today: string): DueReassessment {
  return {
    planId: r.id,
    patientId: r.patient_id,
    mrn: r.mrn,
    patientName: `${r.last_name}, ${r.first_name}`,
    phone: r.phone,
    providerId: r.provider_id,
    providerName: r.display_name,
    reassessmentDate: r.reassessment_date,
    overdue: r.reassessment_date < today,
    appointmentId: r.reassessment_appointment_id,
    version: r.version,
  }
}

/**
 * Plans of signed notes whose reassessment is due on or before `through` and not yet recorded: what the
 * front desk books from. Scheduling facts only (who, when, with whom); no clinical content.
 */
export async function dueReassessments(ctx: ServiceContext, input: { through?: string; includeBooked: boolean }): Promise<DueReassessment[]> {
  const { today } = await clinicDay(ctx)
  let q = dueQuery(ctx.db).where('p.reassessment_date', '<=', input.through ?? today)
  if (!input.includeBooked) q = q.where('p.reassessment_appointment_id', 'is', null)
  const rows = await q.orderBy('p.reassessment_date').orderBy('pt.last_name').execute()
  return rows.map((r) => toDue(r, today))
}

/** The front desk records the appointment it booked for a reassessment. */
export async function linkAppointment(ctx: ServiceContext, input: { planId: number; version: number; appointmentId: number }): Promise<DueReassessment> {
  const { today } = await clinicDay(ctx)
  const row = await dueQuery(ctx.db).where('p.id', '=', input.planId).executeTakeFirst()
  if (!row) throw new AppError('not_found', 'There is no reassessment waiting to be booked with that id.', { planId: 'no such reassessment' })
  await assertVersion(row.version, input.version, 'This reassessment was changed since you opened the list; reload it.')
  await requireAppointmentFor(ctx.db, input.appointmentId, row.patient_id)
  await ctx.db
    .updateTable('conservative_care_plans')
    .set({ reassessment_appointment_id: input.appointmentId, updated_at: nowIso(ctx), version: nextVersion(row.version) })
    .where('id', '=', row.id)
    .where('version', '=', input.version)
    .execute()
  await ctx.audit({ action: 'care.booked', entity: 'conservativeCare', entityId: row.id, patientId: row.patient_id, details: { appointmentId: input.appointmentId } })
  return toDue({ ...row, reassessment_appointment_id: input.appointmentId, version: nextVersion(row.version) }, today)
}

