/**
 * The ASAP list (issue 21 point 4): patients who want an earlier consultation or procedure, the days and times
 * they can come at short notice, and, when an appointment is cancelled or moved away, those who fit the freed
 * slot (shared/scheduling/asap.ts decides who fits and in what order), booked in one step.
 *
 * Booking an entry whose patient already holds a booked appointment of that type (the entry's `appointmentId`)
 * MOVES that appointment into the freed slot (what front desks expect: the patient keeps one appointment, its
 * notes and history, and the later slot is freed for someone else). Without a linked appointment, or when the
 * linked one can no longer move (cancelled, checked in, past), a new appointment is booked. Either way the
 * scheduling rules are the booking service's own (moveAppointment / bookAppointment), in the router's one write
 * transaction with the entry's closing: a slot taken meanwhile is refused and nothing changes.
 */
import { describeFields } from '../../shared/fieldNames'
import { AppError } from '../../shared/result'
import { fitsForSlot, whyNotFit, type AsapCandidate, type NoFit } from '../../shared/scheduling/asap'
import { zonedParts } from '../../shared/scheduling/time'
import {
  ASAP_REMOVE_LABELS,
  AsapWindow,
  type AddAsapEntry,
  type AsapEntryView,
  type AsapFits,
  type AsapList,
  type BookFromAsap,
  type FreedSlot,
  type RemoveAsapEntry,
  type UpdateAsapEntry,
} from '../../shared/schemas/asap'
import { FREEING_STATUSES, MAX_OCCUPANCY_MINUTES, type AppointmentStatus, type AppointmentView } from '../../shared/schemas/scheduling'
import { z } from 'zod'
import type { Tx } from '../db/tx'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { assertVersion, assertWritten, nextVersion } from './records/versions'
import { bookAppointment, moveAppointment } from './schedulingBooking'
import { clinicTimeZone } from './schedulingSetup'
import { loadLookups, patientDisplayName, type Lookups } from './schedulingViews'

/** Appointments that can still be moved (as schedulingBooking's MOVABLE). */
const MOVABLE: readonly string[] = ['booked', 'confirmed']
const MINUTE = 60_000

function entriesQuery(db: Tx) {
  return db
    .selectFrom('asap_entries as e')
    .innerJoin('patients as p', 'p.id', 'e.patient_id')
    .leftJoin('appointments as a', 'a.id', 'e.appointment_id')
    .selectAll('e')
    .select(['p.first_name', 'p.last_name', 'p.mrn', 'p.phone', 'a.starts_at as appointment_starts_at', 'a.status as appointment_status'])
}
type EntryRow = Awaited<ReturnType<ReturnType<typeof entriesQuery>['executeTakeFirstOrThrow']>>

const parseWindows = (json: string) => z.array(AsapWindow).parse(JSON.parse(json))

function toView(r: EntryRow, l: Lookups): AsapEntryView {
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: patientDisplayName(r),
    patientMrn: r.mrn,
    patientPhone: r.phone,
    typeId: r.type_id,
    typeName: l.types.get(r.type_id)?.name ?? `Type #${r.type_id}`,
    providerId: r.provider_id,
    providerName: r.provider_id === null ? 'Any provider' : (l.users.get(r.provider_id) ?? `User #${r.provider_id}`),
    windows: parseWindows(r.windows),
    earliestDate: r.earliest_date,
    latestDate: r.latest_date,
    note: r.note,
    appointmentId: r.appointment_id,
    appointmentStartsAt: r.appointment_starts_at ?? null,
    appointmentStatus: (r.appointment_status as AppointmentStatus | null) ?? null,
    status: r.status as 'waiting' | 'removed',
    addedAt: r.added_at,
    addedBy: l.users.get(r.added_by) ?? `User #${r.added_by}`,
    removedAt: r.removed_at,
    removedBy: r.removed_by === null ? null : (l.users.get(r.removed_by) ?? `User #${r.removed_by}`),
    removeReason: r.remove_reason as AsapEntryView['removeReason'],
    removeNote: r.remove_note,
    bookedAppointmentId: r.booked_appointment_id,
    version: r.version,
  }
}

async function entryRow(db: Tx, id: number): Promise<EntryRow> {
  const r = await entriesQuery(db).where('e.id', '=', id).executeTakeFirst()
  if (!r) throw new AppError('not_found', `There is no ASAP list entry with id ${id}. Nothing was changed.`, { id: 'no such ASAP list entry' })
  return r
}

/** The list: waiting entries, longest waiting first; with `includeRemoved`, those that left it after them, newest first. */
export async function listEntries(ctx: ServiceContext, input: { includeRemoved: boolean; patientId?: number | undefined }): Promise<AsapList> {
  let q = entriesQuery(ctx.db)
  if (input.patientId !== undefined) q = q.where('e.patient_id', '=', input.patientId)
  if (!input.includeRemoved) q = q.where('e.status', '=', 'waiting')
  const [rows, lookups, timeZone] = await Promise.all([q.orderBy('e.added_at').orderBy('e.id').limit(2000).execute(), loadLookups(ctx.db), clinicTimeZone(ctx.db)])
  const waiting = rows.filter((r) => r.status === 'waiting')
  const removed = rows.filter((r) => r.status !== 'waiting').sort((a, b) => (b.removed_at ?? '').localeCompare(a.removed_at ?? ''))
  return { timeZone, entries: [...waiting, ...removed].map((r) => toView(r, lookups)) }
}

type EntryFields = Omit<AddAsapEntry, 'patientId'>

/** Checks what the schema cannot: the records named exist and belong together. Refuses with every field at once. */
async function checkFields(ctx: ServiceContext, patientId: number, f: EntryFields, exceptEntryId?: number): Promise<void> {
  const fields: Record<string, string> = {}
  const [patient, type, provider, appt, duplicate] = await Promise.all([
    ctx.db.selectFrom('patients').select('id').where('id', '=', patientId).executeTakeFirst(),
    ctx.db.selectFrom('appointment_types').select(['id', 'name', 'active']).where('id', '=', f.typeId).executeTakeFirst(),
    f.providerId === null ? null : ctx.db.selectFrom('users').select(['role', 'active']).where('id', '=', f.providerId).executeTakeFirst(),
    f.appointmentId === null ? null : ctx.db.selectFrom('appointments').select(['patient_id', 'type_id', 'status', 'starts_at']).where('id', '=', f.appointmentId).executeTakeFirst(),
    ctx.db
      .selectFrom('asap_entries')
      .select('id')
      .where('patient_id', '=', patientId)
      .where('type_id', '=', f.typeId)
      .where('status', '=', 'waiting')
      .where('id', '!=', exceptEntryId ?? 0)
      .executeTakeFirst(),
  ])
  if (!patient) fields.patientId = 'no such patient'
  if (!type) fields.typeId = 'no such appointment type'
  else if (type.active !== 1) fields.typeId = `${type.name} is no longer offered`
  else if (patient && duplicate) fields.typeId = `is already on the ASAP list for this patient (${type.name}); edit that entry instead`
  if (provider !== null && (!provider || provider.role !== 'physician')) fields.providerId = 'must be a physician, or any provider'
  else if (provider && provider.active !== 1) fields.providerId = 'is no longer active'
  if (appt !== null) {
    if (!appt) fields.appointmentId = 'no such appointment'
    else if (appt.patient_id !== patientId) fields.appointmentId = "is another patient's appointment"
    else if (!MOVABLE.includes(appt.status)) fields.appointmentId = `is ${appt.status.replace('_', ' ')} and cannot be moved earlier`
    else if (Date.parse(appt.starts_at) <= ctx.now().getTime()) fields.appointmentId = 'has already started'
    else if (type && appt.type_id !== f.typeId) fields.appointmentId = `is not a ${type.name} appointment`
  }
  if (Object.keys(fields).length > 0) throw new AppError('invalid_input', describeFields(fields), fields)
}

function fieldColumns(f: EntryFields) {
  return {
    type_id: f.typeId,
    provider_id: f.providerId,
    windows: JSON.stringify(f.windows),
    earliest_date: f.earliestDate,
    latest_date: f.latestDate,
    note: f.note,
    appointment_id: f.appointmentId,
  }
}

function auditFields(f: EntryFields) {
  return { typeId: f.typeId, providerId: f.providerId, windows: f.windows, earliestDate: f.earliestDate, latestDate: f.latestDate, appointmentId: f.appointmentId, note: f.note }
}

export async function addEntry(ctx: ServiceContext, input: AddAsapEntry): Promise<AsapEntryView> {
  const actor = requireActor(ctx)
  const { patientId, ...f } = input
  await checkFields(ctx, patientId, f)
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('asap_entries')
    .values({ patient_id: patientId, ...fieldColumns(f), status: 'waiting', added_at: at, added_by: actor.id, updated_at: at, updated_by: actor.id, remove_note: '', version: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'asapEntry.add', entity: 'asapEntry', entityId: row.id, patientId, details: auditFields(f) })
  return toView(await entryRow(ctx.db, row.id), await loadLookups(ctx.db))
}

async function waitingEntry(ctx: ServiceContext, id: number, version: number): Promise<EntryRow> {
  const r = await entryRow(ctx.db, id)
  if (r.status !== 'waiting') {
    const why = r.remove_reason ? ` (${ASAP_REMOVE_LABELS[r.remove_reason as keyof typeof ASAP_REMOVE_LABELS]})` : ''
    throw new AppError('conflict', `${patientDisplayName(r)} is no longer on the ASAP list: removed ${r.removed_at?.slice(0, 10) ?? ''}${why}. Nothing was changed.`, { id: 'is no longer on the list' })
  }
  await assertVersion(r.version, version, `${patientDisplayName(r)}'s ASAP list entry was changed at another desk since you opened it; reload the list. Nothing was changed.`)
  return r
}

export async function updateEntry(ctx: ServiceContext, input: UpdateAsapEntry): Promise<AsapEntryView> {
  const actor = requireActor(ctx)
  const { id, version, ...f } = input
  const before = await waitingEntry(ctx, id, version)
  await checkFields(ctx, before.patient_id, f, id)
  const written = await ctx.db
    .updateTable('asap_entries')
    .set({ ...fieldColumns(f), updated_at: nowIso(ctx), updated_by: actor.id, version: nextVersion(version) })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst()
  assertWritten(written, 'This ASAP list entry was changed at another desk just now; reload the list. Nothing was changed.')
  await ctx.audit({ action: 'asapEntry.update', entity: 'asapEntry', entityId: id, patientId: before.patient_id, details: auditFields(f) })
  return toView(await entryRow(ctx.db, id), await loadLookups(ctx.db))
}

async function closeEntry(ctx: ServiceContext, r: EntryRow, version: number, reason: RemoveAsapEntry['reason'], note: string, bookedAppointmentId: number | null): Promise<void> {
  const actor = requireActor(ctx)
  const at = nowIso(ctx)
  const written = await ctx.db
    .updateTable('asap_entries')
    .set({ status: 'removed', removed_at: at, removed_by: actor.id, remove_reason: reason, remove_note: note, booked_appointment_id: bookedAppointmentId, updated_at: at, updated_by: actor.id, version: nextVersion(version) })
    .where('id', '=', r.id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst()
  assertWritten(written, 'This ASAP list entry was changed at another desk just now; reload the list. Nothing was changed.')
}

/** Takes a patient off the list with who, when and why; the row stays. */
export async function removeEntry(ctx: ServiceContext, input: RemoveAsapEntry): Promise<AsapEntryView> {
  const r = await waitingEntry(ctx, input.id, input.version)
  await closeEntry(ctx, r, input.version, input.reason, input.note, null)
  await ctx.audit({ action: 'asapEntry.remove', entity: 'asapEntry', entityId: r.id, patientId: r.patient_id, details: { reason: input.reason, note: input.note } })
  return toView(await entryRow(ctx.db, r.id), await loadLookups(ctx.db))
}

/** The waiting entries of the type, with what whyNotFit needs: their linked appointment and their busy times near the slot. */
async function candidatesFor(db: Tx, typeId: number, providerId: number, startsAt: string, endsAt: string) {
  const rows = await entriesQuery(db)
    .where('e.status', '=', 'waiting')
    .where('e.type_id', '=', typeId)
    .where((eb) => eb.or([eb('e.provider_id', 'is', null), eb('e.provider_id', '=', providerId)]))
    .execute()
  if (rows.length === 0) return []
  // The patients' appointments overlapping the slot (one query; an appointment occupies at most MAX_OCCUPANCY_MINUTES).
  const lo = new Date(Date.parse(startsAt) - MAX_OCCUPANCY_MINUTES * MINUTE).toISOString()
  const busy = await db
    .selectFrom('appointments')
    .select(['id', 'patient_id', 'starts_at', 'occupied_until'])
    .where('patient_id', 'in', [...new Set(rows.map((r) => r.patient_id))])
    .where('status', 'not in', FREEING_STATUSES)
    .where('starts_at', '>', lo)
    .where('starts_at', '<', endsAt)
    .execute()
  return rows.map((r) => {
    // their linked appointment is the one that moves: it is not in the way
    const mine = busy.filter((b) => b.patient_id === r.patient_id && !(linkedMovable(r) && b.id === r.appointment_id))
    return candidateOf(r, mine.map((b) => ({ start: Date.parse(b.starts_at), end: Date.parse(b.occupied_until) })))
  })
}

const linkedMovable = (r: EntryRow) => r.appointment_id !== null && MOVABLE.includes(r.appointment_status ?? '')

function candidateOf(r: EntryRow, busy: AsapCandidate['busy']): AsapCandidate & { row: EntryRow; linkedMovable: boolean } {
  return {
    id: r.id,
    typeId: r.type_id,
    providerId: r.provider_id,
    windows: parseWindows(r.windows),
    earliestDate: r.earliest_date,
    latestDate: r.latest_date,
    addedAt: r.added_at,
    currentStartsAt: linkedMovable(r) ? (r.appointment_starts_at ?? null) : null,
    busy,
    row: r,
    linkedMovable: linkedMovable(r),
  }
}

/** The patients on the list who fit the freed slot, best first (the rule: shared/scheduling/asap.ts compareFits). */
export async function fitsSlot(ctx: ServiceContext, input: FreedSlot): Promise<AsapFits> {
  const timeZone = await clinicTimeZone(ctx.db)
  const slot = { typeId: input.typeId, providerId: input.providerId, roomId: input.roomId, startsAt: input.startsAt, endsAt: input.endsAt }
  // A slot already begun is not offered to anyone.
  if (Date.parse(input.startsAt) <= ctx.now().getTime()) return { timeZone, slot, fits: [] }
  let exceptPatient: number | null = null
  if (input.freedAppointmentId !== undefined) {
    const freed = await ctx.db.selectFrom('appointments').select('patient_id').where('id', '=', input.freedAppointmentId).executeTakeFirst()
    exceptPatient = freed?.patient_id ?? null
  }
  const candidates = (await candidatesFor(ctx.db, input.typeId, input.providerId, input.startsAt, input.endsAt)).filter((c) => c.row.patient_id !== exceptPatient)
  const lookups = await loadLookups(ctx.db)
  const fits = fitsForSlot(slot, candidates, timeZone).map((c) => ({ entry: toView(c.row, lookups), action: c.linkedMovable ? ('move' as const) : ('book' as const) }))
  return { timeZone, slot, fits }
}

const NO_FIT_WORDS: Record<NoFit, string> = {
  type: 'is not the appointment type they wait for',
  provider: 'is not with the provider they asked for',
  weekday: 'is not on a day they can come',
  window: 'is not within the times they can come',
  date: 'is outside the dates they gave',
  busy: 'overlaps another appointment of theirs',
  notEarlier: 'is not earlier than their current appointment',
}

/**
 * `schedule.asap.book`: moves the entry's linked appointment into the slot (or books a new one) and closes the
 * entry as booked, in one transaction with both audit rows. The booking service applies every rule (hours,
 * closed days, provider, room, bay, the patient's other appointments); its refusal rolls everything back.
 */
export async function bookFromAsap(ctx: ServiceContext, input: BookFromAsap): Promise<{ appointment: AppointmentView; action: 'move' | 'book'; entry: AsapEntryView }> {
  const r = await waitingEntry(ctx, input.entryId, input.version)
  const timeZone = await clinicTimeZone(ctx.db)
  const type = await ctx.db.selectFrom('appointment_types').select(['duration_minutes']).where('id', '=', r.type_id).executeTakeFirstOrThrow()
  const linked = linkedMovable(r)
  let durationMinutes = type.duration_minutes
  if (linked) {
    const a = await ctx.db.selectFrom('appointments').select(['starts_at', 'ends_at']).where('id', '=', r.appointment_id!).executeTakeFirstOrThrow()
    durationMinutes = Math.round((Date.parse(a.ends_at) - Date.parse(a.starts_at)) / MINUTE)
  }
  const endsAt = new Date(Date.parse(input.startsAt) + durationMinutes * MINUTE).toISOString()
  // The slot must still fit what the patient asked for (the entry may have been edited since the offer was shown);
  // the patient's other appointments are the booking service's to check, with the rest of the rules.
  const why = whyNotFit({ typeId: r.type_id, providerId: input.providerId, startsAt: input.startsAt, endsAt }, candidateOf(r, []), timeZone)
  if (why !== null) {
    const when = zonedParts(input.startsAt, timeZone)
    throw new AppError('conflict', `${patientDisplayName(r)} does not fit this slot (${when.date} ${when.time}): it ${NO_FIT_WORDS[why]}. Nothing was booked.`, { startsAt: NO_FIT_WORDS[why] })
  }

  let appointment: AppointmentView
  if (linked) {
    const a = await ctx.db.selectFrom('appointments').select(['version']).where('id', '=', r.appointment_id!).executeTakeFirstOrThrow()
    appointment = await moveAppointment(ctx, { id: r.appointment_id!, version: a.version, startsAt: input.startsAt, providerId: input.providerId, roomId: input.roomId })
  } else {
    const booked = await bookAppointment(ctx, {
      patientId: r.patient_id,
      typeId: r.type_id,
      providerId: input.providerId,
      roomId: input.roomId,
      startsAt: input.startsAt,
      notes: 'Booked from the ASAP list',
    })
    appointment = booked.appointments[0]!
  }
  await closeEntry(ctx, r, input.version, 'booked', '', appointment.id)
  await ctx.audit({
    action: 'asapEntry.book',
    entity: 'asapEntry',
    entityId: r.id,
    patientId: r.patient_id,
    details: { appointmentId: appointment.id, action: linked ? 'move' : 'book', startsAt: appointment.startsAt, providerId: input.providerId, roomId: input.roomId },
  })
  return { appointment, action: linked ? 'move' : 'book', entry: toView(await entryRow(ctx.db, r.id), await loadLookups(ctx.db)) }
}
