/**
 * Follow-up visits: the due list the front desk works from (overdue ones flagged), recording a visit against
 * a follow-up discharge proposed (pain, ODI, Roland-Morris, analgesics, brace, new fractures, complications, satisfaction),
 * marking one entered in error, and a patient's pain and ODI over time from the baseline consultation on.
 */
import { sortLevels } from '../../../shared/clinical/levels'
import { scoreOdi, scoreRmdq } from '../../../shared/clinical/scores'
import { AppError } from '../../../shared/result'
import type { DueFollowUp, FollowUpVisitFields, FollowUpVisitView, PatientOutcomes } from '../../../shared/schemas/outcomes'
import type { Tx } from '../../db/tx'
import type { FollowUpVisitRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { userName } from '../consultations/rows'
import { assertMayMarkInError } from '../records/enteredInError'
import { clinicToday } from '../records/today'
import { inError, odiFromAnswers, parseJson } from './common'
import { dueWorklist, type WorklistQuery } from './followUpWorklist'

/**
 * Follow-ups not yet seen whose date is at most `daysAhead` days away, earliest first; overdue when the date
 * has passed without a visit. Cancelled (closed) ones, those of a procedure entered in error and those overdue by
 * more than the clinic's `followUpHideOverdueAfterDays` are left out: the worklist's rows (followUpWorklist.ts).
 */
export async function dueFollowUps(ctx: ServiceContext, input: WorklistQuery): Promise<DueFollowUp[]> {
  return (await dueWorklist(ctx, input)).rows
}

async function toView(db: Tx, r: FollowUpVisitRow): Promise<FollowUpVisitView> {
  return {
    id: r.id,
    followUpId: r.follow_up_id,
    procedureId: r.procedure_id,
    patientId: r.patient_id,
    label: r.label,
    fields: {
      visitDate: r.visit_date,
      painNrs: r.pain_nrs,
      odiAnswers: parseJson(r.odi_answers, null),
      rmdqAnswers: parseJson(r.rmdq_answers, null),
      analgesics: r.analgesics as FollowUpVisitView['fields']['analgesics'],
      brace: r.brace as FollowUpVisitView['fields']['brace'],
      newFracture: r.new_fracture === 1,
      newFractureLevels: (r.new_fracture_levels ? r.new_fracture_levels.split(' ') : []) as FollowUpVisitView['fields']['newFractureLevels'],
      complications: parseJson(r.complications, []),
      complicationsNote: r.complications_note,
      satisfaction: r.satisfaction as FollowUpVisitView['fields']['satisfaction'],
      notes: r.notes,
    },
    odiScore: r.odi_score,
    rmdqScore: r.rmdq_score,
    recordedAt: r.recorded_at,
    recordedBy: await userName(db, r.recorded_by),
    enteredInError: r.error_at ? { at: r.error_at, reason: r.error_reason } : null,
  }
}

/** Records what was found at a follow-up visit; the follow-up leaves the due list. */
export async function recordVisit(ctx: ServiceContext, input: { followUpId: number; fields: FollowUpVisitFields }): Promise<FollowUpVisitView> {
  const actor = requireActor(ctx)
  const f = await ctx.db.selectFrom('procedure_follow_ups').selectAll().where('id', '=', input.followUpId).executeTakeFirst()
  if (!f) throw new AppError('not_found', `There is no follow-up visit with id ${input.followUpId}.`, { followUpId: 'no such follow-up visit' })
  if (f.status === 'cancelled') throw new AppError('conflict', 'This follow-up visit was cancelled; nothing can be recorded on it.', { followUpId: 'is cancelled' })
  const procInError = await inError(ctx.db, 'procedure').where('record_id', '=', f.procedure_id).executeTakeFirst()
  if (procInError) throw new AppError('locked', 'The procedure note of this follow-up was entered in error; nothing more can be recorded on it.')
  const existing = await ctx.db.selectFrom('follow_up_visits').select('id').where('follow_up_id', '=', f.id).where('error_at', 'is', null).executeTakeFirst()
  if (existing) throw new AppError('conflict', `This follow-up visit was already recorded (visit ${existing.id}); mark that one entered in error to record it again.`, { followUpId: 'is already recorded' })
  const proc = await ctx.db.selectFrom('procedures').select('procedure_date').where('id', '=', f.procedure_id).executeTakeFirstOrThrow()
  const v = input.fields
  if (v.visitDate < proc.procedure_date) throw new AppError('invalid_input', 'Visit date must not be before the procedure.', { visitDate: `must not be before the procedure (${proc.procedure_date})` })
  const today = await clinicToday(ctx)
  if (v.visitDate > today) throw new AppError('invalid_input', 'Visit date must not be in the future.', { visitDate: 'must not be in the future' })
  const odi = v.odiAnswers ? scoreOdi(v.odiAnswers).score : null
  const row = await ctx.db
    .insertInto('follow_up_visits')
    .values({
      follow_up_id: f.id,
      procedure_id: f.procedure_id,
      patient_id: f.patient_id,
      label: f.label,
      visit_date: v.visitDate,
      pain_nrs: v.painNrs,
      odi_answers: v.odiAnswers ? JSON.stringify(v.odiAnswers) : null,
      odi_score: odi,
      rmdq_answers: v.rmdqAnswers ? JSON.stringify(v.rmdqAnswers) : null,
      // scored once, when recorded, by the consultation's rule (the number of statements ticked)
      rmdq_score: v.rmdqAnswers ? scoreRmdq(v.rmdqAnswers) : null,
      analgesics: v.analgesics,
      brace: v.brace,
      new_fracture: v.newFracture ? 1 : 0,
      new_fracture_levels: sortLevels(v.newFractureLevels).join(' '),
      complications: JSON.stringify(v.complications),
      complications_note: v.complicationsNote,
      satisfaction: v.satisfaction,
      notes: v.notes,
      recorded_at: nowIso(ctx),
      recorded_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'followUpVisit.record', entity: 'followUpVisit', entityId: row.id, patientId: f.patient_id, details: { followUpId: f.id, procedureId: f.procedure_id, label: f.label } })
  return toView(ctx.db, row)
}

export async function markVisitInError(ctx: ServiceContext, input: { visitId: number; reason: string }): Promise<FollowUpVisitView> {
  const actor = requireActor(ctx)
  const r = await ctx.db.selectFrom('follow_up_visits').selectAll().where('id', '=', input.visitId).executeTakeFirst()
  if (!r) throw new AppError('not_found', `There is no follow-up visit record with id ${input.visitId}.`, { visitId: 'no such visit' })
  if (r.error_at) throw new AppError('conflict', 'This visit was already marked entered in error.', { visitId: 'is already entered in error' })
  await assertMayMarkInError(ctx, r.recorded_by, (name) => `Only ${name}, who recorded this visit, or a manager can mark it entered in error.`)
  const at = nowIso(ctx)
  await ctx.db.updateTable('follow_up_visits').set({ error_at: at, error_by: actor.id, error_reason: input.reason }).where('id', '=', r.id).execute()
  await ctx.audit({ action: 'followUpVisit.enteredInError', entity: 'followUpVisit', entityId: r.id, patientId: r.patient_id, details: { reason: input.reason } })
  return toView(ctx.db, { ...r, error_at: at, error_by: actor.id, error_reason: input.reason })
}

/** Pain and ODI over time from the first scored consultation on, and the patient's follow-up visits. */
export async function patientOutcomes(ctx: ServiceContext, input: { patientId: number }): Promise<PatientOutcomes> {
  const patient = await ctx.db.selectFrom('patients').select('id').where('id', '=', input.patientId).executeTakeFirst()
  if (!patient) throw new AppError('not_found', `There is no patient with id ${input.patientId}.`, { patientId: 'no such patient' })
  const consults = await ctx.db
    .selectFrom('consultations')
    .select(['id', 'visit_date', 'pain_nrs', 'odi_answers'])
    .where('patient_id', '=', input.patientId)
    .where('id', 'not in', inError(ctx.db, 'consultation'))
    .where((eb) => eb.or([eb('pain_nrs', 'is not', null), eb('odi_answers', 'is not', null)]))
    .orderBy('visit_date')
    .orderBy('id')
    .execute()
  const visits = await ctx.db.selectFrom('follow_up_visits').selectAll().where('patient_id', '=', input.patientId).orderBy('visit_date').orderBy('id').execute()
  const points: PatientOutcomes['points'] = [
    ...consults.map((c, i) => ({ date: c.visit_date, label: i === 0 ? 'Baseline' : 'Consultation', source: 'consultation' as const, pain: c.pain_nrs, odi: odiFromAnswers(c.odi_answers) })),
    ...visits.filter((v) => v.error_at === null).map((v) => ({ date: v.visit_date, label: v.label, source: 'followUp' as const, pain: v.pain_nrs, odi: v.odi_score })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  await ctx.audit({ action: 'outcomes.viewPatient', entity: 'patient', entityId: input.patientId, patientId: input.patientId })
  const views: FollowUpVisitView[] = []
  for (const v of visits) views.push(await toView(ctx.db, v))
  return { patientId: input.patientId, points, visits: views }
}
