/**
 * Recovery after the procedure: the supine rest while the cement hardens, the observation bay (arrival,
 * departure, the checks due and those recorded, each flagged when abnormal), and the discharge-readiness
 * checklist.
 */
import { SEDATION_SCALE_LABELS, type SedationScale } from '../../../shared/clinical/observation'
import { AppError } from '../../../shared/result'
import type { CheckFields, CheckView, RecoveryFields, RecoveryView } from '../../../shared/schemas/recovery'
import type { Tx } from '../../db/tx'
import type { ClinicSettings } from '../../../shared/schemas/settings'
import type { ObservationCheckRow, RecoveryRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { clinicDateTimeText, clinicTimeText } from '../clinicTime'
import { requireSettings } from '../settings'
import { assertInstantsNotFuture, assertProcedureOpen, loadLevels, loadPatient, loadProcedure, patientHeader, procedureInError } from './rows'
import { assessRecovery, flagsOfCheck, recoveryFieldsOf } from './recoveryRules'
import { loadStay } from './stay'
import { enteredInErrorIds } from '../records/enteredInError'
import { assertVersion } from '../records/versions'
import { describeFields } from '../../../shared/fieldNames'

async function loadRecovery(db: Tx, procedureId: number): Promise<RecoveryRow> {
  const r = await db.selectFrom('procedure_recoveries').selectAll().where('procedure_id', '=', procedureId).executeTakeFirst()
  if (!r) throw new AppError('not_found', `Procedure ${procedureId} has no recovery record.`, { procedureId: 'no recovery record' })
  return r
}

const toFields = recoveryFieldsOf

function toCheck(c: ObservationCheckRow, baselinePain: number | null, names: Map<number, string>, settings: ClinicSettings): CheckView {
  const flags = flagsOfCheck(c, baselinePain, settings)
  return {
    id: c.id,
    checkedAt: c.checked_at,
    systolic: c.systolic,
    diastolic: c.diastolic,
    heartRate: c.heart_rate,
    spo2: c.spo2,
    respiratoryRate: c.respiratory_rate,
    sedationScore: c.sedation_score,
    sedationScale: c.sedation_scale as SedationScale | null,
    pain: c.pain,
    legNeuro: c.leg_neuro as CheckView['legNeuro'],
    neuroNote: c.neuro_note,
    recordedByName: names.get(c.recorded_by) ?? `user ${c.recorded_by}`,
    recordedAt: c.recorded_at,
    flags,
    flagged: flags.length > 0,
    enteredInError: c.error_at === null ? null : { at: c.error_at, byName: names.get(c.error_by!) ?? `user ${c.error_by}`, reason: c.error_reason },
  }
}

/** The summary `discharge.open` would return: the latest not entered in error. */
async function currentDischargeId(db: Tx, procedureId: number): Promise<number | null> {
  const bad = enteredInErrorIds(db, 'dischargeSummary')
  const row = await db.selectFrom('discharge_summaries').select('id').where('procedure_id', '=', procedureId).where('id', 'not in', bad).orderBy('id', 'desc').executeTakeFirst()
  return row?.id ?? null
}

export async function buildRecoveryView(ctx: ServiceContext, procedureId: number): Promise<RecoveryView> {
  const db = ctx.db
  const proc = await loadProcedure(db, procedureId, 'procedureId')
  const rec = await loadRecovery(db, procedureId)
  const patient = await loadPatient(db, proc.patient_id)
  const { settings } = await requireSettings(db)
  const fields = toFields(rec)
  const rows = await db.selectFrom('observation_checks').selectAll().where('procedure_id', '=', procedureId).orderBy('checked_at').orderBy('id').execute()
  const userIds = [...new Set(rows.flatMap((r) => [r.recorded_by, r.error_by]).filter((x): x is number => x !== null))]
  const users = userIds.length ? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute() : []
  const names = new Map(users.map((u) => [u.id, u.display_name]))
  const checks = rows.map((r) => toCheck(r, fields.baselinePain, names, settings))
  const live = checks.filter((c) => c.enteredInError === null)
  const { schedule, timeFlags, readiness, sameDayBlockers } = assessRecovery({ fields, live, settings, levels: await loadLevels(db, procedureId), now: nowIso(ctx) })
  return {
    procedureId,
    patient: patientHeader(patient, proc.procedure_date),
    procedureKind: proc.kind as RecoveryView['procedureKind'],
    procedureDate: proc.procedure_date,
    procedureEndedAt: proc.ended_at,
    fields,
    checks,
    schedule,
    readiness,
    timeFlags,
    sameDayBlockers,
    sedation: { scale: settings.sedationScale, scaleLabel: SEDATION_SCALE_LABELS[settings.sedationScale], dischargeScore: settings.sedationDischargeScore },
    stay: await loadStay(db, procedureId),
    dischargeSummaryId: await currentDischargeId(db, procedureId),
    closed: await procedureInError(db, procedureId),
    updatedAt: rec.updated_at,
    version: rec.version,
  }
}

/** How long a screen's periodic re-read counts as the same view as the audited opening. */
export const REFRESH_AUDIT_WINDOW_MS = 60 * 60 * 1000

/** True when this user's view of this procedure's recovery record was audited within the window. */
async function viewedRecently(ctx: ServiceContext, procedureId: number, patientId: number): Promise<boolean> {
  const actor = requireActor(ctx)
  const since = new Date(ctx.now().getTime() - REFRESH_AUDIT_WINDOW_MS).toISOString()
  const row = await ctx.db
    .selectFrom('audit_log')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('action', '=', 'recovery.view')
    .where('entity_id', '=', String(procedureId))
    .where('user_id', '=', actor.id)
    .where('at', '>=', since)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Every opening of the record is audited; the screen's periodic re-read (`refresh`) of a record it already
 * shows is not, while that opening is recent (so a screen left open does not flood the audit log).
 */
export async function getRecovery(ctx: ServiceContext, input: { procedureId: number; refresh?: boolean }): Promise<RecoveryView> {
  const view = await buildRecoveryView(ctx, input.procedureId)
  if (input.refresh && (await viewedRecently(ctx, input.procedureId, view.patient.id))) return view
  await ctx.audit({ action: 'recovery.view', entity: 'procedure', entityId: input.procedureId, patientId: view.patient.id, ...(input.refresh ? { details: { refresh: true } } : {}) })
  return view
}

export async function saveRecovery(ctx: ServiceContext, input: { procedureId: number; version: number; fields: RecoveryFields }): Promise<RecoveryView> {
  const actor = requireActor(ctx)
  const proc = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  await assertProcedureOpen(ctx.db, proc)
  const rec = await loadRecovery(ctx.db, proc.id)
  await assertVersion(rec.version, input.version, async () => `The recovery record was changed (${await clinicDateTimeText(ctx.db, rec.updated_at)}) since you opened it; reload to see the change.`)
  const f = input.fields
  assertInstantsNotFuture(ctx, { 'fields.supineStartedAt': f.supineStartedAt, 'fields.supineEndedAt': f.supineEndedAt, 'fields.arrivedAt': f.arrivedAt, 'fields.departedAt': f.departedAt })
  if (proc.started_at) {
    const early: Record<string, string> = {}
    const started = await clinicTimeText(ctx.db, proc.started_at)
    for (const k of ['supineStartedAt', 'arrivedAt'] as const) if (f[k] && f[k]! < proc.started_at) early[`fields.${k}`] = `must not be before the procedure started (${started})`
    if (Object.keys(early).length > 0) throw new AppError('invalid_input', describeFields(early), early)
  }
  const before = toFields(rec)
  const cols = {
    supine_started_at: f.supineStartedAt,
    supine_ended_at: f.supineEndedAt,
    arrived_at: f.arrivedAt,
    departed_at: f.departedAt,
    baseline_pain: f.baselinePain,
    checklist: JSON.stringify(f.checklist),
  }
  const changed = (Object.keys(f) as (keyof RecoveryFields)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(f[k]))
  const res = await ctx.db
    .updateTable('procedure_recoveries')
    .set({ ...cols, updated_at: nowIso(ctx), updated_by: actor.id, version: rec.version + 1 })
    .where('id', '=', rec.id)
    .where('version', '=', input.version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', 'The recovery record was changed by someone else a moment ago. Reload it.', { version: 'is out of date' })
  await ctx.audit({ action: 'recovery.update', entity: 'procedure', entityId: proc.id, patientId: proc.patient_id, details: { changed } })
  return buildRecoveryView(ctx, proc.id)
}

/** Records one observation check; the view says what it flags. */
export async function addCheck(ctx: ServiceContext, input: { procedureId: number; check: CheckFields }): Promise<RecoveryView> {
  const actor = requireActor(ctx)
  const proc = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  await assertProcedureOpen(ctx.db, proc)
  const rec = await loadRecovery(ctx.db, proc.id)
  const c = input.check
  assertInstantsNotFuture(ctx, { 'check.checkedAt': c.checkedAt })
  if (proc.started_at && c.checkedAt < proc.started_at) {
    throw new AppError('invalid_input', 'Please correct: Check time is before the procedure started.', { 'check.checkedAt': 'must not be before the procedure started' })
  }
  if (rec.departed_at && c.checkedAt > rec.departed_at) {
    throw new AppError('invalid_input', 'Please correct: Check time is after the patient left the observation bay.', { 'check.checkedAt': 'must not be after the departure from the bay' })
  }
  const { settings } = await requireSettings(ctx.db)
  const row = await ctx.db
    .insertInto('observation_checks')
    .values({
      procedure_id: proc.id,
      patient_id: proc.patient_id,
      checked_at: c.checkedAt,
      systolic: c.systolic,
      diastolic: c.diastolic,
      heart_rate: c.heartRate,
      spo2: c.spo2,
      respiratory_rate: c.respiratoryRate,
      // scored on the clinic's scale of the moment: a later change of scale does not relabel it
      sedation_score: c.sedationScore,
      sedation_scale: c.sedationScore === null ? null : settings.sedationScale,
      pain: c.pain,
      leg_neuro: c.legNeuro,
      neuro_note: c.neuroNote,
      recorded_at: nowIso(ctx),
      recorded_by: actor.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const flags = flagsOfCheck(row, rec.baseline_pain, settings).map((f) => f.key)
  await ctx.audit({ action: 'observation.check', entity: 'observationCheck', entityId: row.id, patientId: proc.patient_id, details: { procedureId: proc.id, checkedAt: c.checkedAt, flags } })
  return buildRecoveryView(ctx, proc.id)
}

/** A check recorded wrongly is marked entered in error (who, when, why); it stays on the record and stops counting. */
export async function markCheckInError(ctx: ServiceContext, input: { checkId: number; reason: string }): Promise<RecoveryView> {
  const actor = requireActor(ctx)
  const c = await ctx.db.selectFrom('observation_checks').selectAll().where('id', '=', input.checkId).executeTakeFirst()
  if (!c) throw new AppError('not_found', `There is no observation check with id ${input.checkId}.`, { checkId: 'no such check' })
  if (c.error_at !== null) throw new AppError('conflict', 'That check was already marked entered in error.', { checkId: 'already entered in error' })
  await ctx.db.updateTable('observation_checks').set({ error_at: nowIso(ctx), error_by: actor.id, error_reason: input.reason }).where('id', '=', c.id).execute()
  await ctx.audit({ action: 'observation.checkEnteredInError', entity: 'observationCheck', entityId: c.id, patientId: c.patient_id, details: { procedureId: c.procedure_id, reason: input.reason } })
  return buildRecoveryView(ctx, c.procedure_id)
}
