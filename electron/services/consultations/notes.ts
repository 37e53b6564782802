/** Opening, editing, reading and listing consultation notes. */
import { AppError } from '../../../shared/result'
import type { ConsultationFields, ConsultationSummary, ConsultationView } from '../../../shared/schemas/consultations'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { requireSettings } from '../settings'
import { statusesOf } from '../signing'
import { clinicToday } from '../../../shared/clinicClock'
import { findAppointment, startToDate } from './appointments'
import { assertNotFuture, beginNoteChange, fieldColumns, loadNote, userName } from './rows'
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
  const { settings } = await requireSettings(ctx.db)
  let visitDate = input.visitDate ?? clinicToday(ctx.now(), settings.timeZone)

  if (input.appointmentId !== undefined) {
    const appt = await findAppointment(ctx.db, input.appointmentId)
    if (appt === null) throw new AppError('not_found', `There is no appointment with id ${input.appointmentId}.`, { appointmentId: 'no such appointment' })
    if (appt !== 'unchecked') {
      if (appt.patientId !== null && appt.patientId !== patient.id) {
        throw new AppError('invalid_input', 'That appointment is for another patient.', { appointmentId: 'is for another patient' })
      }
      if (appt.providerId !== null && appt.providerId !== actor.id) {
        throw new AppError('forbidden', `That appointment is with ${await userName(ctx.db, appt.providerId)}; only they can open its consultation note.`)
      }
      if (appt.start && input.visitDate === undefined) visitDate = startToDate(appt.start, settings.timeZone)
    }
    const bad = ctx.db.selectFrom('entered_in_error').select('record_id').where('record_type', '=', 'consultation')
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
  const before = await loadNote(ctx.db, input.id)
  await beginNoteChange(ctx, input.id, input.version)
  const f = input.fields
  await assertNotFuture(ctx, { 'fields.visitDate': f.visitDate, 'fields.onsetDate': f.onsetDate, 'fields.tScoreDate': f.tScoreDate })
  const cols = fieldColumns(input.fields)
  const changed = Object.entries(cols)
    .filter(([k, v]) => (before as Record<string, unknown>)[k] !== v)
    .map(([k]) => k)
  await ctx.db.updateTable('consultations').set(cols).where('id', '=', input.id).execute()
  await ctx.audit({ action: 'consultation.update', entity: 'consultation', entityId: input.id, patientId: before.patient_id, details: { changed } })
  return buildView(ctx.db, input.id)
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
