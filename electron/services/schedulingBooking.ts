/** Booking, repeated booking, moving, and finding a free slot. */
import { AppError } from '../../shared/result'
import { firstFreeSlot, type Interval } from '../../shared/scheduling/slots'
import { addDays, describeLocal, zonedParts, zonedToInstantMs } from '../../shared/scheduling/time'
import type { AppointmentView, BookAppointment, MoveAppointment, NextFreeSlotQuery, SlotConflict } from '../../shared/schemas/scheduling'
import type { z } from 'zod'
import type { CheckSlot } from '../../shared/schemas/scheduling'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { assertNotPast, busyLanes, checkPlacement, conflictError, readOpeningDays, resolveRefs, windowsOf, type Placed } from './schedulingRules'
import { engineOf } from '../db/engine'
import type { AppointmentRow } from '../db/types'
import { appointmentRow, lazyLookups, loadLookups, toView, type Lookups } from './schedulingViews'

const MINUTE = 60_000

/** The instants of a weekly series: the same wall-clock time every `everyWeeks` weeks, across DST changes. */
export function seriesStarts(startsAt: string, timeZone: string, repeat?: { everyWeeks: number; times: number }): number[] {
  const first = Date.parse(startsAt)
  if (!repeat) return [first]
  const local = zonedParts(first, timeZone)
  return Array.from({ length: repeat.times }, (_, k) => zonedToInstantMs(addDays(local.date, 7 * repeat.everyWeeks * k), local.time, timeZone))
}

/**
 * Books one appointment, or every occurrence of a weekly series. All or nothing: if any occurrence
 * collides, nothing is written and the refusal lists every date that does not fit.
 */
export async function bookAppointment(ctx: ServiceContext, input: BookAppointment): Promise<{ appointments: AppointmentView[] }> {
  const actor = requireActor(ctx)
  const refs = await resolveRefs(ctx.db, engineOf(ctx.database), input)
  const timeZone = refs.timeZone
  const starts = seriesStarts(input.startsAt, timeZone, input.repeat)
  assertNotPast(starts[0]!, ctx.now(), timeZone)
  const names = lazyLookups(ctx.db)
  const durationMinutes = input.durationMinutes ?? refs.type.duration_minutes

  const placed: Placed[] = []
  const conflicts: SlotConflict[] = []
  const failedDates: string[] = []
  for (const startMs of starts) {
    const r = await checkPlacement(ctx.db, timeZone, names, {
      patientId: input.patientId,
      providerId: input.providerId,
      startMs,
      durationMinutes,
      observationMinutes: refs.type.observation_minutes,
      rooms: refs.rooms,
      bays: refs.bays,
    })
    if (r.placed) placed.push(r.placed)
    else {
      conflicts.push(...r.conflicts)
      failedDates.push(describeLocal(startMs, timeZone))
    }
  }
  if (conflicts.length > 0) {
    const prefix = starts.length > 1 ? `${failedDates.length} of the ${starts.length} dates do not fit (${failedDates.join('; ')}). ` : ''
    throw conflictError(conflicts, { prefix, outcome: 'Nothing was booked.' })
  }

  const at = nowIso(ctx)
  const rows: AppointmentRow[] = []
  let seriesId: number | null = null
  for (const [i, p] of placed.entries()) {
    const row = await ctx.db
      .insertInto('appointments')
      .values({
        patient_id: input.patientId,
        type_id: input.typeId,
        provider_id: input.providerId,
        room_id: p.roomId,
        starts_at: p.startsAt,
        ends_at: p.endsAt,
        observation_room_id: p.observationRoomId,
        observation_ends_at: p.observationEndsAt,
        occupied_until: p.occupiedUntil,
        status: 'booked',
        cancel_reason: '',
        series_id: seriesId,
        series_index: placed.length > 1 ? i + 1 : null,
        notes: input.notes,
        created_at: at,
        created_by: actor.id,
        updated_at: at,
        updated_by: actor.id,
        version: 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (placed.length > 1 && seriesId === null) {
      // A series is named after its first occurrence.
      seriesId = row.id
      await ctx.db.updateTable('appointments').set({ series_id: seriesId }).where('id', '=', row.id).execute()
      row.series_id = seriesId
    }
    rows.push(row)
    await ctx.audit({
      action: 'appointment.book',
      entity: 'appointment',
      entityId: row.id,
      patientId: input.patientId,
      details: {
        startsAt: p.startsAt,
        endsAt: p.endsAt,
        typeId: input.typeId,
        providerId: input.providerId,
        roomId: p.roomId,
        observationRoomId: p.observationRoomId,
        ...(seriesId ? { seriesId, occurrence: i + 1, of: placed.length } : {}),
      },
    })
  }
  // The view from what was written (RETURNING) and the names already read for the checks: on PostgreSQL
  // every statement is a round trip, and reading the rows and the name tables back cost four.
  const known: Lookups = {
    users: new Map([[input.providerId, refs.providerName]]),
    rooms: new Map([...refs.rooms, ...refs.bays].map((r) => [r.id, r.name])),
    types: new Map([[refs.type.id, { name: refs.type.name, colour: refs.type.colour }]]),
  }
  return { appointments: rows.map((r) => toView({ ...r, ...refs.patient! }, known)) }
}

const MOVABLE = new Set(['booked', 'confirmed'])

/**
 * Moves an appointment to another time (and optionally another provider, room or bay), keeping its
 * length. Only a booking the patient has not yet arrived for can move; the rules are checked as for
 * a new booking, ignoring the appointment itself.
 */
export async function moveAppointment(ctx: ServiceContext, input: MoveAppointment): Promise<AppointmentView> {
  const actor = requireActor(ctx)
  const before = await appointmentRow(ctx.db, input.id)
  if (before.version !== input.version) {
    throw new AppError('conflict', `Appointment #${before.id} was changed by someone else since you opened it. Nothing was moved; reload to see the change.`, undefined, {
      current: toView(before, await loadLookups(ctx.db)),
    })
  }
  if (!MOVABLE.has(before.status)) {
    throw new AppError('conflict', `Appointment #${before.id} is ${before.status.replace('_', ' ')} and cannot be moved. Book a new appointment instead.`, { id: 'cannot be moved' })
  }
  const refs = await resolveRefs(
    ctx.db,
    engineOf(ctx.database),
    {
      patientId: before.patient_id,
      typeId: before.type_id,
      providerId: input.providerId ?? before.provider_id,
      roomId: input.roomId ?? before.room_id,
      ...(input.observationRoomId !== undefined ? { observationRoomId: input.observationRoomId } : {}),
    },
    { allowInactiveType: true },
  )
  const timeZone = refs.timeZone
  const startMs = Date.parse(input.startsAt)
  assertNotPast(startMs, ctx.now(), timeZone)
  const names = lazyLookups(ctx.db)
  const durationMinutes = Math.round((Date.parse(before.ends_at) - Date.parse(before.starts_at)) / MINUTE)
  const observationMinutes = before.observation_ends_at ? Math.round((Date.parse(before.observation_ends_at) - Date.parse(before.ends_at)) / MINUTE) : 0
  const { placed, conflicts } = await checkPlacement(ctx.db, timeZone, names, {
    patientId: before.patient_id,
    providerId: input.providerId ?? before.provider_id,
    startMs,
    durationMinutes,
    observationMinutes,
    rooms: refs.rooms,
    bays: observationMinutes > 0 ? refs.bays : [],
    preferredBayId: before.observation_room_id,
    excludeId: before.id,
  })
  if (!placed) throw conflictError(conflicts, { outcome: 'The appointment was not moved.' })

  const res = await ctx.db
    .updateTable('appointments')
    .set({
      provider_id: input.providerId ?? before.provider_id,
      room_id: placed.roomId,
      starts_at: placed.startsAt,
      ends_at: placed.endsAt,
      observation_room_id: placed.observationRoomId,
      observation_ends_at: placed.observationEndsAt,
      occupied_until: placed.occupiedUntil,
      updated_at: nowIso(ctx),
      updated_by: actor.id,
      version: before.version + 1,
    })
    .where('id', '=', before.id)
    .where('version', '=', input.version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', `Appointment #${before.id} was changed by someone else. Nothing was moved.`)
  await ctx.audit({
    action: 'appointment.move',
    entity: 'appointment',
    entityId: before.id,
    patientId: before.patient_id,
    details: {
      from: { startsAt: before.starts_at, providerId: before.provider_id, roomId: before.room_id, observationRoomId: before.observation_room_id },
      to: { startsAt: placed.startsAt, providerId: input.providerId ?? before.provider_id, roomId: placed.roomId, observationRoomId: placed.observationRoomId },
    },
  })
  return toView(await appointmentRow(ctx.db, before.id), await names())
}

/** Would this booking (or this move) fit? For the drag preview and the confirm step; writes nothing. */
export async function checkSlot(ctx: ServiceContext, input: z.output<typeof CheckSlot>): Promise<{ free: boolean; conflicts: SlotConflict[] }> {
  // the time zone comes with the references, in one statement: a drag asks at every step
  const refs = await resolveRefs(ctx.db, engineOf(ctx.database), input, { allowInactiveType: input.appointmentId !== undefined })
  const { conflicts } = await checkPlacement(ctx.db, refs.timeZone, lazyLookups(ctx.db), {
    patientId: input.patientId,
    providerId: input.providerId,
    startMs: Date.parse(input.startsAt),
    durationMinutes: input.durationMinutes ?? refs.type.duration_minutes,
    observationMinutes: refs.type.observation_minutes,
    rooms: refs.rooms,
    bays: refs.bays,
    ...(input.appointmentId !== undefined ? { excludeId: input.appointmentId } : {}),
  })
  return { free: conflicts.length === 0, conflicts }
}

/**
 * The first time, from now or `after`, at which the provider (and the patient, if named) is free,
 * a room of the right kind is free, and an observation bay is free for the hours after a procedure,
 * all inside clinic hours. Looks a week at a time, up to `withinDays` ahead.
 */
export async function nextFreeSlot(ctx: ServiceContext, input: NextFreeSlotQuery) {
  const nowMs = ctx.now().getTime()
  const from = Math.max(nowMs, input.after ? Date.parse(input.after) : nowMs)
  // The references (with the time zone) and the opening days side by side: on PostgreSQL each read is a round
  // trip, and the first local date is not known before the time zone, so the closed days are read from the UTC
  // date a day either side (no clinic is more than 14 hours from UTC).
  const utcDate = new Date(from).toISOString().slice(0, 10)
  const [refs, opening] = await Promise.all([
    resolveRefs(ctx.db, engineOf(ctx.database), {
      typeId: input.typeId,
      providerId: input.providerId,
      ...(input.patientId !== undefined ? { patientId: input.patientId } : {}),
      ...(input.roomId !== undefined ? { roomId: input.roomId } : {}),
    }),
    readOpeningDays(ctx.db, addDays(utcDate, -1), addDays(utcDate, input.withinDays + 1)),
  ])
  const { type, rooms, bays, timeZone } = refs
  const durationMinutes = input.durationMinutes ?? type.duration_minutes
  const firstDate = zonedParts(from, timeZone).date
  const none = { found: false, startsAt: null, endsAt: null, roomId: null, observationRoomId: null }

  const windows = windowsOf(opening, timeZone, firstDate, input.withinDays)
  const roomIds = [...new Set([...rooms, ...bays].map((r) => r.id))]
  for (let offset = 0; offset < input.withinDays; offset += 7) {
    const open = windows.slice(offset, offset + 7).filter((w): w is Interval => w !== null && w.end > from)
    if (open.length === 0) continue
    const lo = new Date(open[0]!.start).toISOString()
    const hi = new Date(open.at(-1)!.end).toISOString()
    const busy = await busyLanes(ctx.db, { providerId: input.providerId, ...(input.patientId !== undefined ? { patientId: input.patientId } : {}), roomIds }, lo, hi)
    const slot = firstFreeSlot({
      from,
      open,
      durationMinutes,
      observationMinutes: type.observation_minutes,
      stepMinutes: input.stepMinutes,
      providerBusy: busy.provider,
      patientBusy: busy.patient,
      rooms: rooms.map((r) => busy.rooms.get(r.id) ?? []),
      bays: bays.map((b) => busy.rooms.get(b.id) ?? []),
    })
    if (slot) {
      const endsAt = slot.start + durationMinutes * MINUTE
      return {
        found: true,
        startsAt: new Date(slot.start).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        roomId: rooms[slot.roomIndex]!.id,
        observationRoomId: slot.bayIndex >= 0 ? bays[slot.bayIndex]!.id : null,
      }
    }
  }
  return none
}
