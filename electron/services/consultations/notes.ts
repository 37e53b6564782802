/** Opening, editing, reading and listing consultation notes. */
import { AppError } from '../../../shared/result'
import type { ConsultationFields, ConsultationSummary, ConsultationView, SaveNote } from '../../../shared/schemas/consultations'
import type { ConsultationRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { requireAppointmentFor } from '../records/appointments'
import { enteredInErrorIds } from '../records/enteredInError'
import { assertNotFuture, clinicDateOfInstant, clinicDay } from '../records/today'
import { statusesOf } from '../signing'
import { beginNoteChange, fieldColumns, userName } from './rows'
import { writeDecision } from './candidacy'
import { writeCarePlan } from './care'
import { writeFindings } from './findings'
import { buildView } from './view'

/**
 * Opens the note for a visit. From the day's appointment: the appointment must be this patient's and the
 * caller's (when the appointments table exists), and opening it again returns the same note. From the
 * chart: a new note for the caller.
 */
export async function openConsultation(ctx: ServiceContext, input: { patientId: number; appointmentId?: number; visitDate?: string }): Promise<ConsultationView> {
  const actor = requireActor(ctx)
  const patient = await ctx.db.selectFrom('patients').selectAll().where('id', '=', input.patientId).executeTakeFirst()
  if (!patient) throw new AppError('not_found', `There is no patient with id ${input.patientId}.`, { patientId: 'no such patient' })
  await assertNotFuture(ctx, { visitDate: input.visitDate })
  const { timeZone, today } = await clinicDay(ctx)
  let visitDate = input.visitDate ?? today

  if (input.appointmentId !== undefined) {
    const appt = await requireAppointmentFor(ctx.db, input.appointmentId, patient.id)
    if (appt.providerId !== actor.id) {
      throw new AppError('forbidden', `That appointment is with ${await userName(ctx.db, appt.providerId)}; only they can open its consultation note.`)
    }
    if (input.visitDate === undefined) visitDate = clinicDateOfInstant(appt.startsAt, timeZone)
    const bad = enteredInErrorIds(ctx.db, 'consultation')
    const existing = await ctx.db
      .selectFrom('consultations')
      .select(['id', 'provider_id'])
      .where('appointment_id', '=', input.appointmentId)
      .where('id', 'not in', bad)
      .orderBy('id', 'desc')
      .executeTakeFirst()
    if (existing) {
      if (existing.provider_id !== actor.id) throw new AppError('forbidden', `This appointment's note belongs to ${await userName(ctx.db, existing.provider_id)}.`)
      const view = await buildView(ctx.db, existing.id)
      await ctx.audit({ action: 'consultation.view', entity: 'consultation', entityId: existing.id, patientId: patient.id })
      return view
    }
  }

  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('consultations')
    .values({
      patient_id: patient.id,
      appointment_id: input.appointmentId ?? null,
      provider_id: actor.id,
      visit_date: visitDate,
      // the relevant history starts from what the patient record says; the physician confirms or corrects it
      osteoporosis: patient.osteoporosis,
      steroid_use: patient.steroid_use,
      prior_fractures: patient.prior_fractures,
      asa_class: patient.asa_class,
      t_score: patient.dexa_t_score,
      t_score_date: patient.dexa_t_score === null ? null : patient.dexa_date,
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
      version: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'consultation.create', entity: 'consultation', entityId: row.id, patientId: patient.id, details: { appointmentId: input.appointmentId ?? null, visitDate } })
  return buildView(ctx.db, row.id)
}

export async function getConsultation(ctx: ServiceContext, input: { id: number }): Promise<ConsultationView> {
  const view = await buildView(ctx.db, input.id)
  await ctx.audit({ action: 'consultation.view', entity: 'consultation', entityId: input.id, patientId: view.patient.id, details: { status: view.signing.status } })
  return view
}

export async function saveConsultation(ctx: ServiceContext, input: { id: number; version: number; fields: ConsultationFields }): Promise<ConsultationView> {
  const note = await beginNoteChange(ctx, input.id, input.version)
  await writeFields(ctx, note, input.fields)
  return buildView(ctx.db, input.id)
}

/** The note's own fields (the note's change begun: beginNoteChange, whose row still holds the values before). */
async function writeFields(ctx: ServiceContext, before: ConsultationRow, f: ConsultationFields): Promise<void> {
  await assertNotFuture(ctx, { 'fields.visitDate': f.visitDate, 'fields.onsetDate': f.onsetDate, 'fields.tScoreDate': f.tScoreDate, 'fields.flsReferralDate': f.flsReferralDate })
  const cols = fieldColumns(f)
  const changed = Object.entries(cols)
    .filter(([k, v]) => (before as Record<string, unknown>)[k] !== v)
    .map(([k]) => k)
  await ctx.db.updateTable('consultations').set(cols).where('id', '=', before.id).execute()
  await ctx.audit({ action: 'consultation.update', entity: 'consultation', entityId: before.id, patientId: before.patient_id, details: { changed } })
}

/**
 * The editor's save: the parts of the draft that changed, in the router's one write transaction with one
 * version bump and each part's audit row. A refusal in any part (a stale version, a date after today, another
 * provider's note) writes nothing, so the note is never left half saved.
 */
export async function saveNote(ctx: ServiceContext, input: SaveNote): Promise<ConsultationView> {
  const note = await beginNoteChange(ctx, input.id, input.version)
  if (input.fields !== undefined) await writeFields(ctx, note, input.fields)
  if (input.findings !== undefined) await writeFindings(ctx, note, input.findings)
  if (input.plan !== undefined) await writeCarePlan(ctx, note, input.plan)
  if (input.decision !== undefined) await writeDecision(ctx, note, input.decision)
  return buildView(ctx.db, note.id)
}

export async function listForPatient(ctx: ServiceContext, input: { patientId: number }): Promise<ConsultationSummary[]> {
  const rows = await ctx.db
    .selectFrom('consultations as c')
    .innerJoin('users as u', 'u.id', 'c.provider_id')
    .select(['c.id', 'c.patient_id', 'c.visit_date', 'c.provider_id', 'u.display_name', 'c.appointment_id', 'c.chief_complaint', 'c.decision'])
    .where('c.patient_id', '=', input.patientId)
    .orderBy('c.visit_date', 'desc')
    .orderBy('c.id', 'desc')
    .execute()
  const statuses = await statusesOf(ctx.db, 'consultation', rows.map((r) => r.id))
  await ctx.audit({ action: 'consultation.list', entity: 'patient', entityId: input.patientId, patientId: input.patientId, details: { count: rows.length } })
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    visitDate: r.visit_date,
    providerId: r.provider_id,
    providerName: r.display_name,
    appointmentId: r.appointment_id,
    chiefComplaint: r.chief_complaint,
    decision: r.decision as ConsultationSummary['decision'],
    status: statuses.get(r.id) ?? 'draft',
  }))
}
