/** The procedure note: opening it from the procedure appointment, editing, reading, signing, addenda, entered in error. */
import { parseLevels } from '../consultations/rows'
import { requireAppointmentFor } from '../records/appointments'
import { assertMayMarkInError, enteredInErrorIds } from '../records/enteredInError'
import { assertNotFuture, clinicDateOfInstant, clinicDay } from '../records/today'
import { assertVersion } from '../records/versions'
import { AppError } from '../../../shared/result'
import type { LevelFields, ProcedureFields, ProcedureSummary, ProcedureView } from '../../../shared/schemas/procedures'
import { isLegacyLeak, LEAKAGE_LABELS } from '../../../shared/schemas/procedures'
import type { Tx } from '../../db/tx'
import type { ProcedureRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { addAddendum, assertEditable, markEnteredInError, signingState, signRecord, statusesOf } from '../signing'
import {
  angleBefore,
  assertInstantsNotFuture,
  biopsyResultsOf,
  beginNoteChange,
  cptView,
  fieldColumns,
  levelColumns,
  loadLevels,
  loadPatient,
  loadProcedure,
  missingForSigning,
  patientHeader,
  procedureRef,
  restorationOf,
  toFields,
  totalCement,
  userName,
} from './rows'
import { describeFields, fieldName } from '../../../shared/fieldNames'

type RequestRow = { id: number; patient_id: number; consultation_id: number; kind: string; levels: string; status: string; appointment_id: number | null }

/** Requests already carried out by a procedure note that is not entered in error. */
function linkedRequestIds(db: Tx) {
  const bad = enteredInErrorIds(db, 'procedure')
  return db.selectFrom('procedures').select('procedure_request_id').where('procedure_request_id', 'is not', null).where('id', 'not in', bad)
}

async function findRequest(ctx: ServiceContext, patientId: number, input: { procedureRequestId?: number; appointmentId?: number }): Promise<RequestRow | null> {
  const base = () => ctx.db.selectFrom('procedure_requests').select(['id', 'patient_id', 'consultation_id', 'kind', 'levels', 'status', 'appointment_id'])
  if (input.procedureRequestId !== undefined) {
    const r = await base().where('id', '=', input.procedureRequestId).executeTakeFirst()
    if (!r) throw new AppError('not_found', `There is no procedure request with id ${input.procedureRequestId}.`, { procedureRequestId: 'no such procedure request' })
    if (r.patient_id !== patientId) throw new AppError('invalid_input', 'That procedure request is for another patient.', { procedureRequestId: 'is for another patient' })
    if (r.status === 'cancelled') throw new AppError('invalid_input', 'That procedure request was cancelled.', { procedureRequestId: 'was cancelled' })
    const used = await linkedRequestIds(ctx.db).where('procedure_request_id', '=', r.id).executeTakeFirst()
    if (used) throw new AppError('conflict', 'That procedure request already has a procedure note.', { procedureRequestId: 'already has a procedure note' })
    return r
  }
  const active = base().where('patient_id', '=', patientId).where('status', '!=', 'cancelled').where('id', 'not in', linkedRequestIds(ctx.db))
  if (input.appointmentId !== undefined) {
    const byAppointment = await active.where('appointment_id', '=', input.appointmentId).executeTakeFirst()
    if (byAppointment) return byAppointment
  }
  const all = await active.execute()
  return all.length === 1 ? all[0]! : null
}

/**
 * Opens the note for a procedure. From the procedure appointment: the appointment must be this patient's
 * and the caller's (when the appointments table exists), and opening it again returns the same note. The
 * candidacy's procedure request is linked: the one given, the one booked on the appointment, or the
 * patient's only active one; its kind is the note's first kind.
 */
export async function openProcedure(
  ctx: ServiceContext,
  input: { patientId: number; appointmentId?: number; procedureRequestId?: number; kind?: ProcedureFields['kind']; procedureDate?: string },
): Promise<ProcedureView> {
  const actor = requireActor(ctx)
  const patient = await ctx.db.selectFrom('patients').select('id').where('id', '=', input.patientId).executeTakeFirst()
  if (!patient) throw new AppError('not_found', `There is no patient with id ${input.patientId}.`, { patientId: 'no such patient' })
  await assertNotFuture(ctx, { procedureDate: input.procedureDate })
  const { timeZone, today } = await clinicDay(ctx)
  let procedureDate = input.procedureDate ?? today

  if (input.appointmentId !== undefined) {
    const appt = await requireAppointmentFor(ctx.db, input.appointmentId, patient.id)
    if (appt.providerId !== actor.id) {
      throw new AppError('forbidden', `That appointment is with ${await userName(ctx.db, appt.providerId)}; only they can open its procedure note.`)
    }
    if (input.procedureDate === undefined) procedureDate = clinicDateOfInstant(appt.startsAt, timeZone)
    const bad = enteredInErrorIds(ctx.db, 'procedure')
    const existing = await ctx.db.selectFrom('procedures').select(['id', 'provider_id']).where('appointment_id', '=', input.appointmentId).where('id', 'not in', bad).orderBy('id', 'desc').executeTakeFirst()
    if (existing) {
      if (existing.provider_id !== actor.id) throw new AppError('forbidden', `This appointment's procedure note belongs to ${await userName(ctx.db, existing.provider_id)}.`)
      const view = await buildView(ctx.db, existing.id)
      await ctx.audit({ action: 'procedure.view', entity: 'procedure', entityId: existing.id, patientId: patient.id })
      return view
    }
  }

  const request = await findRequest(ctx, patient.id, input)
  const kind = input.kind ?? (request?.kind as ProcedureFields['kind'] | undefined)
  if (!kind) throw new AppError('invalid_input', 'Please correct: Kind of procedure (vertebroplasty or kyphoplasty) is required when no procedure request is linked.', { kind: 'is required when no procedure request is linked' })

  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('procedures')
    .values({
      patient_id: patient.id,
      appointment_id: input.appointmentId ?? null,
      procedure_request_id: request?.id ?? null,
      provider_id: actor.id,
      kind,
      procedure_date: procedureDate,
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
      version: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db.insertInto('procedure_recoveries').values({ procedure_id: row.id, patient_id: patient.id, updated_at: at, updated_by: actor.id, version: 0 }).execute()
  await ctx.audit({
    action: 'procedure.create',
    entity: 'procedure',
    entityId: row.id,
    patientId: patient.id,
    details: { appointmentId: input.appointmentId ?? null, procedureRequestId: request?.id ?? null, kind, procedureDate },
  })
  return buildView(ctx.db, row.id)
}

/** What a signature binds: what the physician recorded (the CPT codes and height restoration are derived, not signed). */
export async function signedContent(db: Tx, row: ProcedureRow) {
  const levels = await loadLevels(db, row.id)
  return {
    recordType: 'procedure',
    id: row.id,
    patientId: row.patient_id,
    providerId: row.provider_id,
    appointmentId: row.appointment_id,
    procedureRequestId: row.procedure_request_id,
    fields: toFields(row),
    levels: levels.map(({ id: _id, position: _p, ...l }) => l),
  }
}

export async function buildView(db: Tx, id: number): Promise<ProcedureView> {
  const row = await loadProcedure(db, id)
  const patient = await loadPatient(db, row.patient_id)
  const fields = toFields(row)
  const levels = await loadLevels(db, row.id)
  const request = row.procedure_request_id
    ? await db.selectFrom('procedure_requests').select(['id', 'consultation_id', 'kind', 'levels', 'status']).where('id', '=', row.procedure_request_id).executeTakeFirst()
    : undefined
  return {
    id: row.id,
    patient: patientHeader(patient, row.procedure_date),
    appointmentId: row.appointment_id,
    procedureRequest: request
      ? { id: request.id, consultationId: request.consultation_id, kind: request.kind as ProcedureFields['kind'], levels: parseLevels(request.levels), status: request.status }
      : null,
    providerId: row.provider_id,
    providerName: await userName(db, row.provider_id),
    fields,
    levels: levels.map((l) => ({ ...l, heightRestoration: restorationOf(l) })),
    totalCementMl: totalCement(levels),
    cpt: cptView(fields.kind, levels.map((l) => l.level)),
    missingForSigning: missingForSigning(fields, levels),
    kyphoticAngleBefore: await angleBefore(db, request?.consultation_id),
    biopsyResults: await biopsyResultsOf(db, row.id),
    signing: await signingState(db, 'procedure', row.id, await signedContent(db, row)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  }
}

export async function getProcedure(ctx: ServiceContext, input: { id: number }): Promise<ProcedureView> {
  const view = await buildView(ctx.db, input.id)
  await ctx.audit({ action: 'procedure.view', entity: 'procedure', entityId: input.id, patientId: view.patient.id, details: { status: view.signing.status } })
  return view
}

/** Saves the note's fields and its levels (the list replaces the levels; its order is the order treated). */
export async function saveProcedure(ctx: ServiceContext, input: { id: number; version: number; fields: ProcedureFields; levels: LevelFields[] }): Promise<ProcedureView> {
  const before = await loadProcedure(ctx.db, input.id)
  const row = await beginNoteChange(ctx, input.id, input.version)
  const f = input.fields
  await assertNotFuture(ctx, { 'fields.procedureDate': f.procedureDate })
  assertInstantsNotFuture(ctx, { 'fields.startedAt': f.startedAt, 'fields.endedAt': f.endedAt })

  const oldLevels = await loadLevels(ctx.db, row.id)
  assertNoNewLegacyLeak(oldLevels, input.levels)

  const cols = fieldColumns(f)
  const changed = Object.entries(cols)
    .filter(([k, v]) => (before as Record<string, unknown>)[k] !== v)
    .map(([k]) => k)
  await ctx.db.updateTable('procedures').set(cols).where('id', '=', row.id).execute()
  await ctx.db.deleteFrom('procedure_levels').where('procedure_id', '=', row.id).execute()
  for (const [i, l] of input.levels.entries()) {
    await ctx.db.insertInto('procedure_levels').values({ ...levelColumns(l), procedure_id: row.id, patient_id: row.patient_id, treated_order: i + 1 }).execute()
  }
  await ctx.audit({
    action: 'procedure.update',
    entity: 'procedure',
    entityId: row.id,
    patientId: row.patient_id,
    details: { changed, levelsBefore: oldLevels.map((l) => l.level), levels: input.levels.map((l) => l.level) },
  })
  return buildView(ctx.db, row.id)
}

/**
 * The leak locations changed in migration 0022 (shared/schemas/procedures.ts LEGACY_LEAK_TYPES). A draft written
 * before keeps an old value it already holds at that vertebra, so saving it for another change never fails; a
 * level cannot be given an old value anew. Refused naming the field and the locations to choose instead.
 */
function assertNoNewLegacyLeak(stored: readonly LevelFields[], levels: readonly LevelFields[]): void {
  const fields: Record<string, string> = {}
  levels.forEach((l, i) => {
    const held = stored.find((s) => s.level === l.level)?.leakage ?? []
    const added = l.leakage.filter((x) => isLegacyLeak(x) && !held.includes(x))
    if (added.length > 0) {
      fields[`levels.${i}.leakage`] = `${added.map((x) => LEAKAGE_LABELS[x]).join(', ')} cannot be recorded any more; choose epidural, foraminal, paravertebral, venous or disc`
    }
  })
  if (Object.keys(fields).length > 0) {
    throw new AppError('invalid_input', describeFields(fields), fields)
  }
}

export async function listForPatient(ctx: ServiceContext, input: { patientId: number }): Promise<ProcedureSummary[]> {
  const rows = await ctx.db
    .selectFrom('procedures as p')
    .innerJoin('users as u', 'u.id', 'p.provider_id')
    .select(['p.id', 'p.patient_id', 'p.procedure_date', 'p.kind', 'u.display_name'])
    .where('p.patient_id', '=', input.patientId)
    .orderBy('p.procedure_date', 'desc')
    .orderBy('p.id', 'desc')
    .execute()
  const statuses = await statusesOf(ctx.db, 'procedure', rows.map((r) => r.id))
  const out: ProcedureSummary[] = []
  for (const r of rows) {
    out.push({
      id: r.id,
      patientId: r.patient_id,
      procedureDate: r.procedure_date,
      kind: r.kind as ProcedureSummary['kind'],
      levels: (await loadLevels(ctx.db, r.id)).map((l) => l.level),
      providerName: r.display_name,
      status: statuses.get(r.id) ?? 'draft',
    })
  }
  await ctx.audit({ action: 'procedure.list', entity: 'patient', entityId: input.patientId, patientId: input.patientId, details: { count: rows.length } })
  return out
}

/** The physician who performed the procedure signs the version they read, once the note is complete. */
export async function signProcedure(ctx: ServiceContext, input: { id: number; version: number }): Promise<ProcedureView> {
  const actor = requireActor(ctx)
  const row = await loadProcedure(ctx.db, input.id)
  const ref = procedureRef(row)
  await assertEditable(ctx.db, ref)
  if (row.provider_id !== actor.id) throw new AppError('forbidden', `Only ${await userName(ctx.db, row.provider_id)}, who performed this procedure, can sign its note.`)
  await assertVersion(row.version, input.version, 'The note changed since you last read it; review the current content before signing.')
  const missing = missingForSigning(toFields(row), await loadLevels(ctx.db, row.id))
  if (Object.keys(missing).length > 0) {
    const parts = Object.entries(missing).map(([k, v]) => `${fieldName(k)} ${v}`)
    throw new AppError('invalid_input', `The note is not complete: ${parts.slice(0, 5).join('; ')}${parts.length > 5 ? ` (and ${parts.length - 5} more)` : ''}.`, missing)
  }
  await signRecord(ctx, ref, await signedContent(ctx.db, row))
  return buildView(ctx.db, row.id)
}

export async function addProcedureAddendum(ctx: ServiceContext, input: { id: number; text: string }): Promise<ProcedureView> {
  const row = await loadProcedure(ctx.db, input.id)
  await addAddendum(ctx, procedureRef(row), input.text)
  return buildView(ctx.db, row.id)
}

/**
 * The physician who performed it (or a manager) marks a note entered in error, saying why. It stays readable;
 * its signature stops counting; follow-up visits still to book for it are cancelled.
 */
export async function markProcedureInError(ctx: ServiceContext, input: { id: number; reason: string }): Promise<ProcedureView> {
  const row = await loadProcedure(ctx.db, input.id)
  await assertMayMarkInError(ctx, row.provider_id, (name) => `Only ${name}, who performed this procedure, or a manager can mark its note entered in error.`)
  await markEnteredInError(ctx, procedureRef(row), input.reason)
  const open = await ctx.db.selectFrom('procedure_follow_ups').select(['id', 'version']).where('procedure_id', '=', row.id).where('status', '=', 'proposed').execute()
  for (const f of open) {
    await ctx.db
      .updateTable('procedure_follow_ups')
      .set({ status: 'cancelled', cancelled_at: nowIso(ctx), cancel_reason: `The procedure note was entered in error: ${input.reason}`, version: f.version + 1 })
      .where('id', '=', f.id)
      .execute()
    await ctx.audit({ action: 'followUp.cancel', entity: 'followUp', entityId: f.id, patientId: row.patient_id, details: { procedureId: row.id } })
  }
  return buildView(ctx.db, row.id)
}
