/**
 * The candidacy decision in a note, and the procedure request a signed decision for a procedure creates:
 * the front desk sees open requests and books them as procedure appointments.
 */
import { CONTRAINDICATION_LABELS, isAbsolute, isLegacy, isProcedureDecision } from '../../../shared/clinical/contraindications'
import { AppError } from '../../../shared/result'
import type { ConsultationView, DecisionFields, ProcedureRequestView } from '../../../shared/schemas/consultations'
import type { Tx } from '../../db/tx'
import type { ConsultationRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { requireAppointmentFor } from '../records/appointments'
import { assertVersion, nextVersion } from '../records/versions'
import { beginNoteChange, parseLevels, toDecision } from './rows'
import { buildView } from './view'

export async function saveDecision(ctx: ServiceContext, input: { consultationId: number; version: number; decision: DecisionFields }): Promise<ConsultationView> {
  const note = await beginNoteChange(ctx, input.consultationId, input.version, 'consultationId')
  await writeDecision(ctx, note, input.decision)
  return buildView(ctx.db, note.id)
}

/**
 * Sets the note's candidacy decision (the note's change begun: beginNoteChange, whose row still holds the values
 * before), with its audit row. An item the checklist no longer offers (the combined cement-or-contrast allergy)
 * is kept on a draft that already held it, so that re-saving an old draft never fails, but a note cannot take it
 * anew. The contraindication review records who and when: stamped when it is ticked, and again when the ticked
 * items change under it (the review was of another list); cleared when it is unticked.
 */
export async function writeDecision(ctx: ServiceContext, note: ConsultationRow, d: DecisionFields): Promise<void> {
  const before = toDecision(note)
  const added = d.contraindications.filter((c) => isLegacy(c) && !before.contraindications.includes(c))
  if (added.length > 0) {
    throw new AppError('invalid_input', `“${CONTRAINDICATION_LABELS[added[0]!]}” is no longer on the checklist: tick the cement allergy or the contrast allergy instead.`, {
      'decision.contraindications': 'holds an item no longer offered: tick cement allergy or contrast allergy',
    })
  }
  const sameItems = JSON.stringify([...before.contraindications].sort()) === JSON.stringify([...d.contraindications].sort())
  const keepStamp = d.contraindicationsReviewed && before.contraindicationsReviewed && sameItems && note.contraindications_reviewed_at !== null
  const review = !d.contraindicationsReviewed
    ? { contraindications_reviewed: 0, contraindications_reviewed_by: null, contraindications_reviewed_at: null }
    : keepStamp
      ? {}
      : { contraindications_reviewed: 1, contraindications_reviewed_by: requireActor(ctx).id, contraindications_reviewed_at: nowIso(ctx) }
  await ctx.db
    .updateTable('consultations')
    .set({
      decision: d.decision,
      decision_levels: d.levels.join(','),
      decision_reason: d.reason,
      contraindications: JSON.stringify(d.contraindications),
      override_reason: d.overrideReason,
      ...review,
    })
    .where('id', '=', note.id)
    .execute()
  const absolute = d.contraindications.filter(isAbsolute)
  await ctx.audit({
    action: 'consultation.decision',
    entity: 'consultation',
    entityId: note.id,
    patientId: note.patient_id,
    details: {
      decision: d.decision,
      levels: d.levels,
      contraindications: d.contraindications,
      overridden: absolute.length > 0 && d.decision !== null && isProcedureDecision(d.decision),
      contraindicationsReviewed: d.contraindicationsReviewed,
    },
  })
}

/** The rules a decision must meet at signing (the schema checks them on save; signing checks the stored row again). */
export function assertDecisionSignable(row: ConsultationRow): void {
  const d = toDecision(row)
  if (d.decision === null || !isProcedureDecision(d.decision)) return
  if (d.levels.length === 0) throw new AppError('invalid_input', 'A decision for a procedure must name the levels.', { 'decision.levels': 'must name at least one level for a procedure' })
  const absolute = d.contraindications.filter(isAbsolute)
  if (absolute.length > 0 && d.overrideReason.trim() === '') {
    throw new AppError('invalid_input', `An absolute contraindication (${absolute.map((a) => CONTRAINDICATION_LABELS[a]).join(', ')}) needs an override reason.`, {
      'decision.overrideReason': 'is required to proceed despite an absolute contraindication',
    })
  }
}

/** Called when a note is signed: a decision for a procedure becomes a request the front desk can book. */
export async function createRequestOnSign(ctx: ServiceContext, row: ConsultationRow): Promise<void> {
  const d = toDecision(row)
  if (d.decision === null || !isProcedureDecision(d.decision)) return
  const r = await ctx.db
    .insertInto('procedure_requests')
    .values({ patient_id: row.patient_id, consultation_id: row.id, provider_id: row.provider_id, kind: d.decision, levels: d.levels.join(','), status: 'open', created_at: nowIso(ctx), version: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'procedureRequest.create', entity: 'procedureRequest', entityId: r.id, patientId: row.patient_id, details: { kind: d.decision, levels: d.levels, consultationId: row.id } })
}

/** When a note is entered in error its open request is cancelled; a booked one is left for the front desk to cancel, and said so. */
export async function cancelRequestOnError(ctx: ServiceContext, row: ConsultationRow, reason: string): Promise<void> {
  const actor = requireActor(ctx)
  const req = await ctx.db.selectFrom('procedure_requests').selectAll().where('consultation_id', '=', row.id).executeTakeFirst()
  if (!req || req.status === 'cancelled') return
  await ctx.db
    .updateTable('procedure_requests')
    .set({ status: 'cancelled', cancelled_at: nowIso(ctx), cancelled_by: actor.id, cancel_reason: `The consultation note was entered in error: ${reason}`, version: req.version + 1 })
    .where('id', '=', req.id)
    .execute()
  await ctx.audit({ action: 'procedureRequest.cancel', entity: 'procedureRequest', entityId: req.id, patientId: row.patient_id, details: { wasBooked: req.status === 'booked', appointmentId: req.appointment_id } })
}

function requestQuery(db: Tx) {
  return db
    .selectFrom('procedure_requests as r')
    .innerJoin('patients as p', 'p.id', 'r.patient_id')
    .innerJoin('users as u', 'u.id', 'r.provider_id')
    .select(['r.id', 'r.consultation_id', 'r.patient_id', 'p.mrn', 'p.first_name', 'p.last_name', 'p.phone', 'r.provider_id', 'u.display_name', 'r.kind', 'r.levels', 'r.status', 'r.appointment_id', 'r.created_at', 'r.cancel_reason', 'r.version'])
}

type RequestRow = Awaited<ReturnType<ReturnType<typeof requestQuery>['execute']>>[number]

function toRequest(r: RequestRow): ProcedureRequestView {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    patientId: r.patient_id,
    mrn: r.mrn,
    patientName: `${r.last_name}, ${r.first_name}`,
    phone: r.phone,
    providerId: r.provider_id,
    providerName: r.display_name,
    kind: r.kind as ProcedureRequestView['kind'],
    levels: parseLevels(r.levels),
    status: r.status as ProcedureRequestView['status'],
    appointmentId: r.appointment_id,
    createdAt: r.created_at,
    cancelReason: r.cancel_reason,
    version: r.version,
  }
}

export async function listRequests(ctx: ServiceContext, input: { status: 'open' | 'booked' | 'cancelled' }): Promise<ProcedureRequestView[]> {
  const rows = await requestQuery(ctx.db).where('r.status', '=', input.status).orderBy('r.created_at').orderBy('r.id').execute()
  return rows.map(toRequest)
}

/** The front desk links the procedure appointment it booked; the request leaves the open list. */
export async function markBooked(ctx: ServiceContext, input: { id: number; version: number; appointmentId: number }): Promise<ProcedureRequestView> {
  const actor = requireActor(ctx)
  const req = await requestQuery(ctx.db).where('r.id', '=', input.id).executeTakeFirst()
  if (!req) throw new AppError('not_found', `There is no procedure request with id ${input.id}.`, { id: 'no such request' })
  if (req.status !== 'open') throw new AppError('conflict', `This request is already ${req.status}.`, { id: `is ${req.status}` })
  await assertVersion(req.version, input.version, 'This request was changed since you opened the list; reload it.')
  await requireAppointmentFor(ctx.db, input.appointmentId, req.patient_id)
  await ctx.db
    .updateTable('procedure_requests')
    .set({ status: 'booked', appointment_id: input.appointmentId, booked_at: nowIso(ctx), booked_by: actor.id, version: nextVersion(req.version) })
    .where('id', '=', req.id)
    .where('version', '=', input.version)
    .execute()
  await ctx.audit({ action: 'procedureRequest.book', entity: 'procedureRequest', entityId: req.id, patientId: req.patient_id, details: { appointmentId: input.appointmentId } })
  return toRequest({ ...req, status: 'booked', appointment_id: input.appointmentId, version: nextVersion(req.version) })
}
