/**
 * Referrals (issue 19 point 2): recorded for a patient with the date received, the referrer (from the directory,
 * or as text when unknown), the reason; triaged by the front desk or a physician (urgency, who and when from the
 * session and the router's clock); declined with a reason; booked from the Referrals worklist (the booking and
 * the link in one transaction: bookFromWorklist.ts's `referral` kind). Never deleted; every change audited.
 */
import { sql, type SqlBool } from 'kysely'
import { addDays, daysBetween } from '../../shared/clinical/dates'
import { describeFields } from '../../shared/fieldNames'
import { AppError } from '../../shared/result'
import {
  REFERRAL_STATUS_LABELS,
  referrerLabel,
  unmatchableReason,
  URGENCY_RANK,
  type AddReferral,
  type DeclineReferral,
  type ReferralStats,
  type ReferralView,
  type ReferralWorklist,
  type SetReferralReferrer,
  type TriageReferral,
  type UnmatchedReferral,
  type Urgency,
} from '../../shared/schemas/referrals'
import type { Tx } from '../db/tx'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { assertNotFuture, clinicDateOfInstant, clinicDay } from './records/today'
import { assertVersion, assertWritten, nextVersion } from './records/versions'
import './referralTables'
import { assertReferrer } from './referrers'
import { loadLookups, patientDisplayName, type Lookups } from './schedulingViews'

function referralsQuery(db: Tx) {
  return db
    .selectFrom('referrals as f')
    .innerJoin('patients as p', 'p.id', 'f.patient_id')
    .leftJoin('referrers as r', 'r.id', 'f.referrer_id')
    .leftJoin('appointments as a', 'a.id', 'f.appointment_id')
    .selectAll('f')
    .select(['p.first_name', 'p.last_name', 'p.mrn', 'p.phone', 'r.name as referrer_name', 'r.practice as referrer_practice', 'a.starts_at as appointment_starts_at', 'a.status as appointment_status', 'a.type_id as appointment_type_id'])
}
type ReferralRow = Awaited<ReturnType<ReturnType<typeof referralsQuery>['executeTakeFirstOrThrow']>>

const userName = (l: Lookups, id: number | null) => (id === null ? null : (l.users.get(id) ?? `User #${id}`))

function toView(r: ReferralRow, l: Lookups, today: string): ReferralView {
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: patientDisplayName(r),
    patientMrn: r.mrn,
    patientPhone: r.phone,
    receivedOn: r.received_on,
    referrerId: r.referrer_id,
    referrerName: r.referrer_name ? referrerLabel(r.referrer_name, r.referrer_practice) : r.referrer_text,
    referrerText: r.referrer_text,
    reason: r.reason,
    urgency: r.urgency as Urgency,
    triagedAt: r.triaged_at,
    triagedBy: userName(l, r.triaged_by),
    status: r.status as ReferralView['status'],
    declineReason: r.decline_reason,
    appointmentId: r.appointment_id,
    appointmentStartsAt: r.appointment_starts_at ?? null,
    appointmentStatus: r.appointment_status ?? null,
    appointmentType: r.appointment_type_id ? (l.types.get(r.appointment_type_id)?.name ?? null) : null,
    source: r.source as ReferralView['source'],
    daysWaited: Math.max(0, daysBetween(r.received_on, today)),
    createdAt: r.created_at,
    createdBy: userName(l, r.created_by),
    version: r.version,
  }
}

async function referralRow(db: Tx, id: number): Promise<ReferralRow> {
  const r = await referralsQuery(db).where('f.id', '=', id).executeTakeFirst()
  if (!r) throw new AppError('not_found', `There is no referral with id ${id}. Nothing was changed.`, { id: 'no such referral' })
  return r
}

async function viewOf(ctx: ServiceContext, id: number): Promise<ReferralView> {
  const [row, lookups, day] = await Promise.all([referralRow(ctx.db, id), loadLookups(ctx.db), clinicDay(ctx)])
  return toView(row, lookups, day.today)
}

/** A referral that is still open (not booked, declined or closed), at the version the screen read. */
async function openReferral(ctx: ServiceContext, id: number, version: number): Promise<ReferralRow> {
  const r = await referralRow(ctx.db, id)
  if (r.status !== 'open') {
    throw new AppError('conflict', `${patientDisplayName(r)}'s referral of ${r.received_on} is ${REFERRAL_STATUS_LABELS[r.status as ReferralView['status']].toLowerCase()} already; reload the list. Nothing was changed.`, { id: 'is no longer open' })
  }
  await assertVersion(r.version, version, `${patientDisplayName(r)}'s referral was changed at another desk since you opened it; reload. Nothing was changed.`)
  return r
}

async function write(ctx: ServiceContext, id: number, version: number, set: Record<string, unknown>): Promise<number> {
  const actor = requireActor(ctx)
  const written = await ctx.db
    .updateTable('referrals')
    .set({ ...set, updated_at: nowIso(ctx), updated_by: actor.id, version: nextVersion(version) })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst()
  return assertWritten(written, 'This referral was changed at another desk just now; reload. Nothing was changed.').version
}

export async function addReferral(ctx: ServiceContext, input: AddReferral): Promise<ReferralView> {
  const actor = requireActor(ctx)
  const patient = await ctx.db.selectFrom('patients').select('id').where('id', '=', input.patientId).executeTakeFirst()
  if (!patient) throw new AppError('invalid_input', describeFields({ patientId: 'no such patient' }), { patientId: 'no such patient' })
  if (input.referrerId !== null) {
    const r = await assertReferrer(ctx.db, input.referrerId, 'referrerId')
    if (r.active !== 1) throw new AppError('invalid_input', describeFields({ referrerId: `(${r.name}) is no longer active` }), { referrerId: `(${r.name}) is no longer active` })
  }
  await assertNotFuture(ctx, { receivedOn: input.receivedOn })
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('referrals')
    .values({
      patient_id: input.patientId,
      received_on: input.receivedOn,
      referrer_id: input.referrerId,
      referrer_text: input.referrerText,
      reason: input.reason,
      urgency: 'untriaged',
      status: 'open',
      source: 'intake',
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
      version: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'referral.create',
    entity: 'referral',
    entityId: row.id,
    patientId: input.patientId,
    details: { receivedOn: input.receivedOn, referrerId: input.referrerId, referrerText: input.referrerText },
  })
  return viewOf(ctx, row.id)
}

/** A patient's referrals, newest first (the patient page). */
export async function patientReferrals(ctx: ServiceContext, input: { patientId: number }): Promise<{ timeZone: string; referrals: ReferralView[] }> {
  const [rows, lookups, day] = await Promise.all([
    referralsQuery(ctx.db).where('f.patient_id', '=', input.patientId).orderBy('f.received_on', 'desc').orderBy('f.id', 'desc').execute(),
    loadLookups(ctx.db),
    clinicDay(ctx),
  ])
  return { timeZone: day.timeZone, referrals: rows.map((r) => toView(r, lookups, day.today)) }
}

/**
 * The Referrals worklist: every open referral (untriaged, or triaged and not booked), by urgency (URGENCY_RANK:
 * urgent, untriaged, soon, routine), then the oldest received first, with the days waited to the clinic's today.
 */
export async function referralWorklist(ctx: ServiceContext): Promise<ReferralWorklist> {
  const [rows, lookups, day] = await Promise.all([referralsQuery(ctx.db).where('f.status', '=', 'open').limit(2000).execute(), loadLookups(ctx.db), clinicDay(ctx)])
  const sorted = rows.sort(
    (a, b) => URGENCY_RANK[a.urgency as Urgency] - URGENCY_RANK[b.urgency as Urgency] || a.received_on.localeCompare(b.received_on) || a.id - b.id,
  )
  return { today: day.today, timeZone: day.timeZone, referrals: sorted.map((r) => toView(r, lookups, day.today)) }
}

/** Sets the urgency of an open referral; who and when from the session and the router's clock. */
export async function triageReferral(ctx: ServiceContext, input: TriageReferral): Promise<ReferralView> {
  const actor = requireActor(ctx)
  const r = await openReferral(ctx, input.id, input.version)
  await write(ctx, r.id, input.version, { urgency: input.urgency, triaged_at: nowIso(ctx), triaged_by: actor.id })
  await ctx.audit({ action: 'referral.triage', entity: 'referral', entityId: r.id, patientId: r.patient_id, details: { from: r.urgency, urgency: input.urgency } })
  return viewOf(ctx, r.id)
}

/** Declines an open referral with the reason (the row stays, with who and when). */
export async function declineReferral(ctx: ServiceContext, input: DeclineReferral): Promise<ReferralView> {
  const actor = requireActor(ctx)
  const r = await openReferral(ctx, input.id, input.version)
  await write(ctx, r.id, input.version, { status: 'declined', decline_reason: input.reason, declined_at: nowIso(ctx), declined_by: actor.id })
  await ctx.audit({ action: 'referral.decline', entity: 'referral', entityId: r.id, patientId: r.patient_id, details: { reason: input.reason } })
  return viewOf(ctx, r.id)
}

/** Links a referral known only by its text to a referrer of the directory; the text stays as it was written. */
export async function setReferralReferrer(ctx: ServiceContext, input: SetReferralReferrer): Promise<ReferralView> {
  const r = await referralRow(ctx.db, input.id)
  await assertVersion(r.version, input.version, `${patientDisplayName(r)}'s referral was changed at another desk since you opened it; reload. Nothing was changed.`)
  await assertReferrer(ctx.db, input.referrerId, 'referrerId')
  await write(ctx, r.id, input.version, { referrer_id: input.referrerId })
  await ctx.audit({ action: 'referral.linkReferrer', entity: 'referral', entityId: r.id, patientId: r.patient_id, details: { from: r.referrer_id, referrerId: input.referrerId, referrerText: r.referrer_text } })
  return viewOf(ctx, r.id)
}

/**
 * The worklist's booking link (bookFromWorklist.ts): the consultation just booked for an open referral's patient.
 * Refuses another patient's appointment (field appointmentId, as the other linkers), a referral no longer open
 * or changed since the list was read; the router then rolls the booking back too.
 */
export async function markReferralBooked(ctx: ServiceContext, input: { id: number; version: number; appointmentId: number }): Promise<{ version: number }> {
  const actor = requireActor(ctx)
  const r = await openReferral(ctx, input.id, input.version)
  const appt = await ctx.db.selectFrom('appointments').select(['patient_id']).where('id', '=', input.appointmentId).executeTakeFirst()
  if (!appt || appt.patient_id !== r.patient_id) throw new AppError('invalid_input', "This appointment is another patient's.", { appointmentId: "is another patient's" })
  const version = await write(ctx, r.id, input.version, { status: 'booked', appointment_id: input.appointmentId, booked_at: nowIso(ctx), booked_by: actor.id })
  await ctx.audit({ action: 'referral.book', entity: 'referral', entityId: r.id, patientId: r.patient_id, details: { appointmentId: input.appointmentId } })
  return { version }
}

/** Referrals that name no referrer of the directory, only a text: for a person to match (or leave as text). */
export async function unmatchedReferrals(ctx: ServiceContext): Promise<UnmatchedReferral[]> {
  return listUnmatched(ctx.db)
}

/** The same list from a database handle (the admin command `referrers unmatched`). */
export async function listUnmatched(db: Tx): Promise<UnmatchedReferral[]> {
  const rows = await referralsQuery(db).where('f.referrer_id', 'is', null).orderBy('f.referrer_text').orderBy('f.received_on').orderBy('f.id').limit(5000).execute()
  return rows.map((r) => ({
    id: r.id,
    patientId: r.patient_id,
    patientName: patientDisplayName(r),
    patientMrn: r.mrn,
    receivedOn: r.received_on,
    referrerText: r.referrer_text,
    source: r.source as UnmatchedReferral['source'],
    why: r.source === 'migrated' ? unmatchableReason(r.referrer_text) : null,
    version: r.version,
  }))
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Statuses of a consultation that took place (the patient came). */
/** A referral's consultation counts as seen once the patient arrived (the dashboard's and the outcome CSV's rule). */
export const SEEN: readonly string[] = ['arrived', 'in_room', 'completed']

/** Days from a referral's receipt to its booked consultation, when the patient was seen; else null. */
export function daysToSeen(receivedOn: string, appointment: { startsAt: string | null; status: string | null }, timeZone: string): number | null {
  if (!appointment.startsAt || !SEEN.includes(appointment.status ?? '')) return null
  return daysBetween(receivedOn, clinicDateOfInstant(appointment.startsAt, timeZone))
}

/**
 * The managers' figures over the last 12 months of receipts (today and the 365 days before): referrals by
 * referrer (a referral kept as text counts under its text), the median days from receipt to the booked
 * consultation that took place, and to the patient's first procedure on or after the receipt (not one entered
 * in error). Referrals made by the upgrade from free text are left out: their dates are registration dates.
 */
export async function referralStats(ctx: ServiceContext): Promise<ReferralStats> {
  const { today, timeZone } = await clinicDay(ctx)
  const from = addDays(today, -365)
  const rows = await referralsQuery(ctx.db).where('f.source', '=', 'intake').where('f.received_on', '>=', from).where('f.received_on', '<=', today).execute()
  const counts = new Map<string, { referrerId: number | null; name: string; count: number }>()
  for (const r of rows) {
    const key = r.referrer_id !== null ? `#${r.referrer_id}` : `text:${r.referrer_text.trim().toLowerCase()}`
    const name = r.referrer_name ? referrerLabel(r.referrer_name, r.referrer_practice) : `${r.referrer_text} (not in the directory)`
    const entry = counts.get(key) ?? { referrerId: r.referrer_id, name, count: 0 }
    entry.count++
    counts.set(key, entry)
  }
  const toConsult = rows.map((r) => daysToSeen(r.received_on, { startsAt: r.appointment_starts_at, status: r.appointment_status }, timeZone)).filter((d) => d !== null)
  const patientIds = [...new Set(rows.map((r) => r.patient_id))]
  const notInError = sql<SqlBool>`not exists (select 1 from entered_in_error e where e.record_type = 'procedure' and e.record_id = procedures.id)`
  const procedures =
    patientIds.length === 0
      ? []
      : await ctx.db.selectFrom('procedures').select(['patient_id', 'procedure_date']).where('patient_id', 'in', patientIds).where(notInError).orderBy('procedure_date').execute()
  const toProcedure: number[] = []
  for (const r of rows) {
    const first = procedures.find((p) => p.patient_id === r.patient_id && p.procedure_date >= r.received_on)
    if (first) toProcedure.push(daysBetween(r.received_on, first.procedure_date))
  }
  return {
    from,
    to: today,
    total: rows.length,
    byReferrer: [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    medianDaysToConsultation: median(toConsult),
    consultations: toConsult.length,
    medianDaysToProcedure: median(toProcedure),
    procedures: toProcedure.length,
  }
}
