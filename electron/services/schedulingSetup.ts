/** The administrator's scheduling setup: rooms, appointment types, weekly hours, closed days. */
import { sql } from 'kysely'
import { latestDateOnEarth } from '../../shared/clinicClock'
import { AppError } from '../../shared/result'
import { addDays, localDayBounds } from '../../shared/scheduling/time'
import type {
  AppointmentType,
  ClinicHours,
  ClosedDay,
  Provider,
  Room,
  RoomKind,
  ScheduleSetup,
} from '../../shared/schemas/scheduling'
import { FREEING_STATUSES, ROOM_KIND_LABELS } from '../../shared/schemas/scheduling'
import type { z } from 'zod'
import type { CreateAppointmentType, CreateRoom, UpdateAppointmentType, UpdateClinicHours, UpdateRoom } from '../../shared/schemas/scheduling'
import type { Tx } from '../db/tx'
import type { AppointmentTypeRow, ClinicHoursRow, RoomRow } from '../db/types'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { requireSettings } from './settings'

export function toRoom(r: RoomRow): Room {
  return { id: r.id, name: r.name, kind: r.kind as RoomKind, active: r.active === 1, sortOrder: r.sort_order, version: r.version }
}

export function toType(r: AppointmentTypeRow): AppointmentType {
  return {
    id: r.id,
    name: r.name,
    code: r.code,
    colour: r.colour,
    durationMinutes: r.duration_minutes,
    roomKind: r.room_kind as RoomKind,
    observationMinutes: r.observation_minutes,
    active: r.active === 1,
    sortOrder: r.sort_order,
    version: r.version,
  }
}

export function toHours(r: ClinicHoursRow): ClinicHours {
  return { weekday: r.weekday, open: r.is_open === 1, opens: r.opens, closes: r.closes, version: r.version }
}

export async function clinicTimeZone(db: Tx): Promise<string> {
  return (await requireSettings(db)).settings.timeZone
}

export async function listRooms(db: Tx): Promise<Room[]> {
  return (await db.selectFrom('rooms').selectAll().orderBy('sort_order').orderBy('name').execute()).map(toRoom)
}

export async function listTypes(db: Tx): Promise<AppointmentType[]> {
  return (await db.selectFrom('appointment_types').selectAll().orderBy('sort_order').orderBy('name').execute()).map(toType)
}

export async function listHours(db: Tx): Promise<ClinicHours[]> {
  return (await db.selectFrom('clinic_hours').selectAll().orderBy('weekday').execute()).map(toHours)
}

export async function listProviders(db: Tx): Promise<Provider[]> {
  const rows = await db.selectFrom('users').select(['id', 'display_name', 'active']).where('role', '=', 'physician').orderBy('display_name').execute()
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, active: r.active === 1 }))
}

export async function getSetup(ctx: ServiceContext): Promise<ScheduleSetup> {
  // The zone is read alongside, so the cut-off cannot wait for it: at any instant the dates on Earth span at most
  // three days, so three days before the latest is on or before the clinic's yesterday wherever the clinic is.
  const cutOff = addDays(latestDateOnEarth(ctx.now()), -3)
  const [timeZone, providers, rooms, types, hours, closedDays] = await Promise.all([
    clinicTimeZone(ctx.db),
    listProviders(ctx.db),
    listRooms(ctx.db),
    listTypes(ctx.db),
    listHours(ctx.db),
    // Past closures are history; the screens need the ones still ahead (and the clinic's yesterday).
    ctx.db.selectFrom('closed_days').select(['id', 'date', 'reason']).where('date', '>=', cutOff).orderBy('date').execute(),
  ])
  return { timeZone, providers, rooms, types, hours, closedDays }
}

// ---------------------------------------------------------------- rooms

async function assertRoomNameFree(db: Tx, name: string, exceptId?: number): Promise<void> {
  let q = db.selectFrom('rooms').select('id').where(sql`lower(name)`, '=', name.toLowerCase())
  if (exceptId) q = q.where('id', '!=', exceptId)
  if (await q.executeTakeFirst()) throw new AppError('conflict', `There is already a room called "${name}".`, { name: 'is already used by another room' })
}

export async function createRoom(ctx: ServiceContext, input: z.output<typeof CreateRoom>): Promise<Room> {
  await assertRoomNameFree(ctx.db, input.name)
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('rooms')
    .values({ name: input.name, kind: input.kind, active: 1, sort_order: input.sortOrder, created_at: at, updated_at: at, version: 0 })
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'room.create', entity: 'room', entityId: row.id, details: { name: row.name, kind: row.kind } })
  return toRoom(row)
}

/** Future bookings that still hold a room (as the visit's room or as the observation bay). */
async function futureBookingsIn(db: Tx, roomId: number, from: string): Promise<{ id: number; starts_at: string }[]> {
  return db
    .selectFrom('appointments')
    .select(['id', 'starts_at'])
    .where((eb) => eb.or([eb('room_id', '=', roomId), eb('observation_room_id', '=', roomId)]))
    .where('starts_at', '>=', from)
    .where('status', 'not in', FREEING_STATUSES)
    .orderBy('starts_at')
    .limit(20)
    .execute()
}

export async function updateRoom(ctx: ServiceContext, input: z.output<typeof UpdateRoom>): Promise<Room> {
  const before = await ctx.db.selectFrom('rooms').selectAll().where('id', '=', input.id).executeTakeFirst()
  if (!before) throw new AppError('not_found', `There is no room with id ${input.id}.`, { id: 'no such room' })
  if (before.version !== input.version) {
    throw new AppError('conflict', `${before.name} was changed by someone else since you opened it. Reload and try again.`, undefined, { current: toRoom(before) })
  }
  await assertRoomNameFree(ctx.db, input.name, input.id)
  const retiring = before.active === 1 && !input.active
  if (retiring || before.kind !== input.kind) {
    const booked = await futureBookingsIn(ctx.db, input.id, nowIso(ctx))
    if (booked.length > 0) {
      throw new AppError(
        'conflict',
        `${before.name} still has ${booked.length === 20 ? '20 or more' : booked.length} future booking(s) (the first is appointment #${booked[0]!.id}). Move them before ${retiring ? 'retiring the room' : 'changing what kind of room it is'}.`,
        { [retiring ? 'active' : 'kind']: 'room has future bookings' },
        { appointmentIds: booked.map((b) => b.id) },
      )
    }
  }
  const row = await ctx.db
    .updateTable('rooms')
    .set({ name: input.name, kind: input.kind, active: input.active ? 1 : 0, sort_order: input.sortOrder, updated_at: nowIso(ctx), version: before.version + 1 })
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'room.update',
    entity: 'room',
    entityId: row.id,
    details: { name: [before.name, row.name], kind: [before.kind, row.kind], active: [before.active === 1, row.active === 1] },
  })
  return toRoom(row)
}

// ---------------------------------------------------------------- appointment types

async function assertTypeUnique(db: Tx, name: string, code: string, exceptId?: number): Promise<void> {
  let q = db.selectFrom('appointment_types').select(['id', 'name', 'code']).where((eb) =>
    eb.or([eb(sql`lower(name)`, '=', name.toLowerCase()), ...(code ? [eb('code', '=', code)] : [])]),
  )
  if (exceptId) q = q.where('id', '!=', exceptId)
  const clash = await q.executeTakeFirst()
  if (!clash) return
  if (clash.name.toLowerCase() === name.toLowerCase()) {
    throw new AppError('conflict', `There is already an appointment type called "${name}".`, { name: 'is already used by another type' })
  }
  throw new AppError('conflict', `The code "${code}" is already used by ${clash.name}.`, { code: 'is already used by another type' })
}

function typeColumns(input: z.output<typeof CreateAppointmentType>) {
  return {
    name: input.name,
    code: input.code,
    colour: input.colour,
    duration_minutes: input.durationMinutes,
    room_kind: input.roomKind,
    observation_minutes: input.observationMinutes,
    sort_order: input.sortOrder,
  }
}

export async function createType(ctx: ServiceContext, input: z.output<typeof CreateAppointmentType>): Promise<AppointmentType> {
  await assertTypeUnique(ctx.db, input.name, input.code)
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('appointment_types')
    .values({ ...typeColumns(input), active: 1, created_at: at, updated_at: at, version: 0 })
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'appointmentType.create', entity: 'appointment_type', entityId: row.id, details: { ...toType(row) } })
  return toType(row)
}

/** Existing bookings keep the length and rooms they were booked with; a change applies to new bookings. */
export async function updateType(ctx: ServiceContext, input: z.output<typeof UpdateAppointmentType>): Promise<AppointmentType> {
  const before = await ctx.db.selectFrom('appointment_types').selectAll().where('id', '=', input.id).executeTakeFirst()
  if (!before) throw new AppError('not_found', `There is no appointment type with id ${input.id}.`, { id: 'no such appointment type' })
  if (before.version !== input.version) {
    throw new AppError('conflict', `${before.name} was changed by someone else since you opened it. Reload and try again.`, undefined, { current: toType(before) })
  }
  await assertTypeUnique(ctx.db, input.name, input.code, input.id)
  const row = await ctx.db
    .updateTable('appointment_types')
    .set({ ...typeColumns(input), active: input.active ? 1 : 0, updated_at: nowIso(ctx), version: before.version + 1 })
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  const b = toType(before)
  const a = toType(row)
  const changed = (Object.keys(a) as (keyof AppointmentType)[]).filter((k) => k !== 'version' && a[k] !== b[k])
  await ctx.audit({ action: 'appointmentType.update', entity: 'appointment_type', entityId: row.id, details: { changed, before: b, after: a } })
  return a
}

// ---------------------------------------------------------------- hours and closed days

/** Existing bookings outside new hours stay where they are; only new bookings and moves must fit. */
export async function updateHours(ctx: ServiceContext, input: z.output<typeof UpdateClinicHours>): Promise<ClinicHours> {
  const before = await ctx.db.selectFrom('clinic_hours').selectAll().where('weekday', '=', input.weekday).executeTakeFirstOrThrow()
  if (before.version !== input.version) {
    throw new AppError('conflict', 'The clinic hours were changed by someone else since you opened them. Reload and try again.', undefined, { current: toHours(before) })
  }
  const row = await ctx.db
    .updateTable('clinic_hours')
    .set({ is_open: input.open ? 1 : 0, opens: input.opens, closes: input.closes, updated_at: nowIso(ctx), version: before.version + 1 })
    .where('weekday', '=', input.weekday)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'clinicHours.update', entity: 'clinic_hours', entityId: input.weekday, details: { before: toHours(before), after: toHours(row) } })
  return toHours(row)
}

export async function addClosedDay(ctx: ServiceContext, input: { date: string; reason: string }): Promise<ClosedDay> {
  const actor = requireActor(ctx)
  const day = localDayBounds(input.date, await clinicTimeZone(ctx.db))
  const existing = await ctx.db.selectFrom('closed_days').select('id').where('date', '=', input.date).executeTakeFirst()
  if (existing) throw new AppError('conflict', `${input.date} is already a closed day.`, { date: 'is already closed' })
  // Closing a day with patients booked would have them arrive at a locked door: move them first.
  const booked = await ctx.db
    .selectFrom('appointments')
    .select(['id', 'starts_at'])
    .where('starts_at', '>=', day.start)
    .where('starts_at', '<', day.end)
    .where('status', 'not in', FREEING_STATUSES)
    .orderBy('starts_at')
    .execute()
  if (booked.length > 0) {
    throw new AppError(
      'conflict',
      `${booked.length} appointment(s) are booked on ${input.date} (the first is appointment #${booked[0]!.id}). Move or cancel them before closing the day.`,
      { date: 'has booked appointments' },
      { appointmentIds: booked.map((b) => b.id) },
    )
  }
  const row = await ctx.db
    .insertInto('closed_days')
    .values({ date: input.date, reason: input.reason, created_at: nowIso(ctx), created_by: actor.id })
    .returning(['id', 'date', 'reason'])
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'closedDay.add', entity: 'closed_day', entityId: row.id, details: { date: row.date, reason: row.reason } })
  return row
}

export async function removeClosedDay(ctx: ServiceContext, input: { id: number }): Promise<{ ok: true }> {
  const row = await ctx.db.selectFrom('closed_days').selectAll().where('id', '=', input.id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no closed day with id ${input.id}.`, { id: 'no such closed day' })
  await ctx.db.deleteFrom('closed_days').where('id', '=', input.id).execute()
  await ctx.audit({ action: 'closedDay.remove', entity: 'closed_day', entityId: row.id, details: { date: row.date, reason: row.reason } })
  return { ok: true }
}

export function roomKindLabel(kind: string): string {
  return ROOM_KIND_LABELS[kind as RoomKind] ?? kind
}
