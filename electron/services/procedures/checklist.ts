/**
 * The pre-procedure checklist (issue 17, point 3): consent, INR and platelets with their dates, antithrombotic holds
 * with restart dates, pregnancy status where relevant, infection screen, allergies confirmed, fasting. Judged by
 * shared/clinical/preProcedure.ts against the procedure (kind, the levels planned, its start), the patient (sex, age,
 * what the chart records as anticoagulants and antiplatelets) and the clinic's thresholds (settings).
 *
 * Any physician may record it and sign it off (a colleague may do the pre-procedure check). Signing off with a
 * failed item needs an override reason, kept with the items as the physician was shown them, and audited. Once
 * signed off it is final (the database refuses any change, migration 0020): nothing overwrites it, and there is no
 * reopening; what changes later belongs in the procedure note.
 */
import { ageOn } from '../../../shared/clinical/dates'
import { HOLD_RULES } from '../../../shared/clinical/antithrombotics'
import { evaluateChecklist, type PlannedProcedure, type PreProcedurePolicy } from '../../../shared/clinical/preProcedure'
import { AppError } from '../../../shared/result'
import { ChecklistFields, type ChecklistItemView, type ChecklistView } from '../../../shared/schemas/preProcedure'
import type { ClinicSettings } from '../../../shared/schemas/settings'
import type { Tx } from '../../db/tx'
import type { PreProcedureChecklistRow, ProcedureRow } from '../../db/types'
import { clinicDateTimeText } from '../clinicTime'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { parseLevels } from '../consultations/rows'
import { findAppointment } from '../records/appointments'
import { assertNotFuture } from '../records/today'
import { requireSettings } from '../settings'
import { assertInstantsNotFuture, assertProcedureOpen, loadLevels, loadPatient, loadProcedure, patientHeader, procedureInError, userName } from './rows'

type StartsAtSource = ChecklistView['startsAtSource']

/** What a sign-off keeps: the items as shown, and what they were judged against. */
interface SignOffEvaluation {
  items: ChecklistItemView[]
  startsAt: string
  startsAtSource: StartsAtSource
  policy: PreProcedurePolicy
}

export const policyOf = (s: ClinicSettings): PreProcedurePolicy => ({
  inrMax: s.inrMax,
  plateletsMin: s.plateletsMin,
  labMaxAgeDays: s.labMaxAgeDays,
  fastingHours: s.fastingHours,
  pregnancyAgeFrom: s.pregnancyAgeFrom,
  pregnancyAgeTo: s.pregnancyAgeTo,
})

export async function loadChecklistRow(db: Tx, procedureId: number): Promise<PreProcedureChecklistRow | undefined> {
  return db.selectFrom('pre_procedure_checklists').selectAll().where('procedure_id', '=', procedureId).executeTakeFirst()
}

/** The stored checklist as the schema reads it (a checklist stored by an older version gets the newer defaults). */
export const checklistOf = (row: PreProcedureChecklistRow | undefined): ChecklistFields => ChecklistFields.parse(row ? JSON.parse(row.checklist) : {})

/**
 * The procedure as the checklist judges it. The levels the consent must cover: the candidacy's request and every
 * level on the note. The start: the recorded one, else the appointment's, else now (not booked, not started yet).
 */
async function plannedProcedure(ctx: ServiceContext, proc: ProcedureRow): Promise<{ planned: PlannedProcedure; startsAtSource: StartsAtSource; chartAllergies: string }> {
  const db = ctx.db
  const patient = await loadPatient(db, proc.patient_id)
  const request = proc.procedure_request_id ? await db.selectFrom('procedure_requests').select('levels').where('id', '=', proc.procedure_request_id).executeTakeFirst() : undefined
  const levels = [...new Set([...(request ? parseLevels(request.levels) : []), ...(await loadLevels(db, proc.id)).map((l) => l.level)])]
  let startsAt = proc.started_at
  let startsAtSource: StartsAtSource = 'started'
  if (!startsAt && proc.appointment_id !== null) {
    startsAt = (await findAppointment(db, proc.appointment_id))?.startsAt ?? null
    startsAtSource = 'appointment'
  }
  if (!startsAt) {
    startsAt = nowIso(ctx)
    startsAtSource = 'now'
  }
  const chartAntithrombotics = [patient.anticoagulants.trim(), patient.antiplatelets.trim()].filter(Boolean).join('; ')
  const chartAllergies = [patient.allergy_cement === 1 ? 'cement allergy' : '', patient.allergy_contrast === 1 ? 'contrast allergy' : '', patient.allergies.trim()].filter(Boolean).join('; ')
  return {
    planned: {
      kind: proc.kind as PlannedProcedure['kind'],
      levels,
      startsAt: new Date(startsAt).toISOString(),
      date: proc.procedure_date,
      patient: { sex: patient.sex, ageYears: ageOn(patient.date_of_birth, proc.procedure_date) },
      chartAntithrombotics,
    },
    startsAtSource,
    chartAllergies,
  }
}

export async function buildChecklistView(ctx: ServiceContext, procedureId: number): Promise<ChecklistView> {
  const db = ctx.db
  const proc = await loadProcedure(db, procedureId, 'procedureId')
  const patient = await loadPatient(db, proc.patient_id)
  const row = await loadChecklistRow(db, proc.id)
  const checklist = checklistOf(row)
  const { planned, startsAtSource, chartAllergies } = await plannedProcedure(ctx, proc)
  const signed = row?.signed_off_at && row.sign_off_evaluation ? (JSON.parse(row.sign_off_evaluation) as SignOffEvaluation) : null
  const policy = signed?.policy ?? policyOf((await requireSettings(db)).settings)
  // a signed-off checklist shows what its physician signed off, not a verdict of later settings or times
  const items = signed?.items ?? evaluateChecklist(checklist, planned, policy).items
  return {
    procedureId: proc.id,
    patient: patientHeader(patient, proc.procedure_date),
    procedureKind: planned.kind,
    procedureDate: proc.procedure_date,
    plannedLevels: [...planned.levels],
    startsAt: signed?.startsAt ?? planned.startsAt,
    startsAtSource: signed?.startsAtSource ?? startsAtSource,
    chart: { antithrombotics: planned.chartAntithrombotics, allergies: chartAllergies },
    checklist,
    items,
    failedCount: items.filter((i) => i.status === 'failed').length,
    policy,
    signOff: row?.signed_off_at && row.signed_off_by !== null ? { byName: await userName(db, row.signed_off_by), at: row.signed_off_at, overrideReason: row.override_reason } : null,
    closed: await procedureInError(db, proc.id),
    version: row?.version ?? null,
    updatedAt: row?.updated_at ?? null,
    updatedByName: row ? await userName(db, row.updated_by) : null,
  }
}

export async function getChecklist(ctx: ServiceContext, input: { procedureId: number }): Promise<ChecklistView> {
  const view = await buildChecklistView(ctx, input.procedureId)
  await ctx.audit({ action: 'preProcedureChecklist.view', entity: 'procedure', entityId: input.procedureId, patientId: view.patient.id })
  return view
}

async function assertNotSignedOff(ctx: ServiceContext, row: PreProcedureChecklistRow | undefined): Promise<void> {
  if (row?.signed_off_at && row.signed_off_by !== null) {
    throw new AppError(
      'locked',
      `The pre-procedure checklist was signed off by ${await userName(ctx.db, row.signed_off_by)} (${await clinicDateTimeText(ctx.db, row.signed_off_at)}); it cannot be changed. Record what changed since in the procedure note.`,
    )
  }
}

/** Recorded facts are not after the clinic's clock (a minute's slack for instants; dates up to the clinic's today). */
async function assertRecordedNotFuture(ctx: ServiceContext, c: ChecklistFields): Promise<void> {
  const instants: Record<string, string | null> = { 'checklist.consent.obtainedAt': c.consent.obtainedAt, 'checklist.fastingSince': c.fastingSince }
  c.antithrombotics.forEach((d, i) => (instants[`checklist.antithrombotics.${i}.lastDoseAt`] = d.lastDoseAt))
  assertInstantsNotFuture(ctx, instants)
  await assertNotFuture(ctx, { 'checklist.inr.date': c.inr.date, 'checklist.platelets.date': c.platelets.date })
}

export async function saveChecklist(ctx: ServiceContext, input: { procedureId: number; version: number | null; checklist: ChecklistFields }): Promise<ChecklistView> {
  const actor = requireActor(ctx)
  const proc = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  await assertProcedureOpen(ctx.db, proc)
  const row = await loadChecklistRow(ctx.db, proc.id)
  await assertNotSignedOff(ctx, row)
  if (!row && input.version !== null) throw new AppError('conflict', 'There is no checklist to change; reload.', { version: 'no checklist recorded yet' })
  if (row && row.version !== input.version) {
    throw new AppError('conflict', `The pre-procedure checklist was changed (${await clinicDateTimeText(ctx.db, row.updated_at)}) since you opened it; reload to see the change.`, { version: 'is out of date' })
  }
  const c = input.checklist
  await assertRecordedNotFuture(ctx, c)
  const at = nowIso(ctx)
  const text = JSON.stringify(c)
  if (!row) {
    await ctx.db
      .insertInto('pre_procedure_checklists')
      .values({ procedure_id: proc.id, patient_id: proc.patient_id, checklist: text, version: 0, created_at: at, created_by: actor.id, updated_at: at, updated_by: actor.id })
      .execute()
    await ctx.audit({ action: 'preProcedureChecklist.create', entity: 'procedure', entityId: proc.id, patientId: proc.patient_id, details: { changed: changedKeys(checklistOf(undefined), c) } })
  } else {
    const res = await ctx.db
      .updateTable('pre_procedure_checklists')
      .set({ checklist: text, version: row.version + 1, updated_at: at, updated_by: actor.id })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', 'The pre-procedure checklist was changed by someone else a moment ago. Reload it.', { version: 'is out of date' })
    await ctx.audit({ action: 'preProcedureChecklist.update', entity: 'procedure', entityId: proc.id, patientId: proc.patient_id, details: { changed: changedKeys(checklistOf(row), c) } })
  }
  return buildChecklistView(ctx, proc.id)
}

function changedKeys(before: ChecklistFields, after: ChecklistFields): string[] {
  return (Object.keys(after) as (keyof ChecklistFields)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
}

/**
 * The physician's sign-off, with the password asked again (the router checks it). A failed item needs an override
 * reason; the items as shown, the reason and who signed off when are kept, and the row is final from then on.
 */
export async function signOffChecklist(ctx: ServiceContext, input: { procedureId: number; version: number; overrideReason: string }): Promise<ChecklistView> {
  const actor = requireActor(ctx)
  const proc = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  await assertProcedureOpen(ctx.db, proc)
  const row = await loadChecklistRow(ctx.db, proc.id)
  if (!row) throw new AppError('invalid_input', 'The pre-procedure checklist has not been saved yet; save it before signing it off.', { procedureId: 'has no checklist saved yet' })
  await assertNotSignedOff(ctx, row)
  if (row.version !== input.version) throw new AppError('conflict', 'The pre-procedure checklist changed since you last read it; review it before signing it off.', { version: 'is out of date' })
  const { settings } = await requireSettings(ctx.db)
  const policy = policyOf(settings)
  const { planned, startsAtSource } = await plannedProcedure(ctx, proc)
  const result = evaluateChecklist(checklistOf(row), planned, policy)
  const overrideReason = result.clear ? '' : input.overrideReason
  if (!result.clear && !overrideReason) {
    const n = result.failed.length
    throw new AppError(
      'invalid_input',
      `Please correct: Override reason is required to sign off the checklist with ${n} failed item${n === 1 ? '' : 's'}: ${result.failed.map((i) => `${i.label}: ${i.detail}`).join('; ')}. Give the reason, or correct the checklist first.`,
      { overrideReason: `is required: ${n} item${n === 1 ? '' : 's'} of the checklist failed` },
      { failed: result.failed },
    )
  }
  const evaluation: SignOffEvaluation = { items: result.items, startsAt: planned.startsAt, startsAtSource, policy }
  const at = nowIso(ctx)
  const res = await ctx.db
    .updateTable('pre_procedure_checklists')
    .set({ signed_off_by: actor.id, signed_off_at: at, override_reason: overrideReason, sign_off_evaluation: JSON.stringify(evaluation), version: row.version + 1, updated_at: at, updated_by: actor.id })
    .where('id', '=', row.id)
    .where('version', '=', input.version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', 'The pre-procedure checklist was changed by someone else a moment ago. Reload it.', { version: 'is out of date' })
  await ctx.audit({
    action: 'preProcedureChecklist.signOff',
    entity: 'procedure',
    entityId: proc.id,
    patientId: proc.patient_id,
    details: { startsAt: planned.startsAt, ...(overrideReason ? { overrideReason, failed: result.failed.map((i) => `${i.label}: ${i.detail}`) } : {}) },
  })
  return buildChecklistView(ctx, proc.id)
}

/** Each antithrombotic's restart date from the procedure's checklist, for the discharge summary (drug label, date or null). */
export async function antithromboticRestarts(db: Tx, procedureId: number): Promise<{ drug: string; restartOn: string | null }[]> {
  const row = await loadChecklistRow(db, procedureId)
  return row ? checklistOf(row).antithrombotics.map((d) => ({ drug: HOLD_RULES[d.drug].label, restartOn: d.restartOn })) : []
}
