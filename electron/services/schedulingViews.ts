/** Reading the schedule: the day and week lanes, one appointment, today's board, the rebook lists. */
import { AppError } from '../../shared/result'
import { addDays, localDayBounds, zonedParts } from '../../shared/scheduling/time'
import {
  FREEING_STATUSES,
  FHIR_APPOINTMENT_STATUS,
  MAX_OCCUPANCY_MINUTES,
  type AppointmentStatus,
  type AppointmentView,
  type PatientAppointments,
  type ScheduleBlock,
  type ScheduleQuery,
  type ScheduleWindow,
  type TodayBoard,
} from '../../shared/schemas/scheduling'
import type { ExpressionBuilder } from 'kysely'
import type { Tx } from '../db/tx'
import type { AppointmentRow, DB } from '../db/types'
import type { ServiceContext } from './context'
import { clinicTimeZone } from './schedulingSetup'

/** Names for ids: users, rooms and types are small tables, read whole rather than joined six times. */
export interface Lookups {
  users: Map<number, string>
  rooms: Map<number, string>
  types: Map<number, { name: string; colour: string }>
}

export async function loadLookups(db: Tx): Promise<Lookups> {
  const [users, rooms, types] = await Promise.all([
    db.selectFrom('users').select(['id', 'display_name']).execute(),
    db.selectFrom('rooms').select(['id', 'name']).execute(),
    db.selectFrom('appointment_types').select(['id', 'name', 'colour']).execute(),
  ])
  return {
    users: new Map(users.map((u) => [u.id, u.display_name])),
    rooms: new Map(rooms.map((r) => [r.id, r.name])),
    types: new Map(types.map((t) => [t.id, { name: t.name, colour: t.colour }])),
  }
}

/** The names, read once on first use: a booking that fits never needs them. */
export function lazyLookups(db: Tx): () => Promise<Lookups> {
  let loaded: Promise<Lookups> | undefined
  return () => (loaded ??= loadLookups(db))
}

export type AppointmentWithPatient = AppointmentRow & { first_name: string; last_name: string; mrn: string; preferred_language: string; interpreter_needed: number }

/** Appointments joined with the patient's name; callers add their own where-clauses. */
export function appointmentsWithPatient(db: Tx) {
  return db
    .selectFrom('appointments')
    .innerJoin('patients', 'patients.id', 'appointments.patient_id')
    .selectAll('appointments')
    .select(['patients.first_name', 'patients.last_name', 'patients.mrn', 'patients.preferred_language', 'patients.interpreter_needed'])
}

/** What a lane's block shows (toBlock): the day and week queries read these and not the rest of the row. */
const BLOCK_COLUMNS = [
  'id', 'patient_id', 'type_id', 'provider_id', 'room_id', 'observation_room_id', 'starts_at', 'ends_at', 'observation_ends_at', 'status',
  'series_id', 'series_index', 'notes', 'version',
] as const satisfies readonly (keyof AppointmentRow)[]

type PatientColumns = Pick<AppointmentWithPatient, 'first_name' | 'last_name' | 'mrn' | 'preferred_language' | 'interpreter_needed'>
export type AppointmentBlockRow = Pick<AppointmentRow, (typeof BLOCK_COLUMNS)[number]> & PatientColumns

/**
 * The appointments of the day and week views with their patients' names, a block's columns only: the week of a
 * busy clinic is 600 rows, and the columns a block does not show (the trail of who did what when, who created and
 * changed the row, the confirmation) were most of what the query read and turned into strings.
 */
function blockRowsWithPatient(db: Tx) {
  return db
    .selectFrom('appointments')
    .innerJoin('patients', 'patients.id', 'appointments.patient_id')
    .select(BLOCK_COLUMNS.map((c) => `appointments.${c}` as const))
    .select(['patients.first_name', 'patients.last_name', 'patients.mrn', 'patients.preferred_language', 'patients.interpreter_needed'])
}

export const patientDisplayName = (r: { first_name: string; last_name: string }) => `${r.last_name}, ${r.first_name}`

export function toBlock(r: AppointmentBlockRow, l: Lookups): ScheduleBlock {
  const type = l.types.get(r.type_id)
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: patientDisplayName(r),
    patientMrn: r.mrn,
    patientLanguage: r.preferred_language,
    interpreterNeeded: r.interpreter_needed === 1,
    typeId: r.type_id,
    typeName: type?.name ?? `type #${r.type_id}`,
    colour: type?.colour ?? '#868e96',
    providerId: r.provider_id,
    providerName: l.users.get(r.provider_id) ?? `user #${r.provider_id}`,
    roomId: r.room_id,
    roomName: l.rooms.get(r.room_id) ?? `room #${r.room_id}`,
    observationRoomId: r.observation_room_id,
    observationRoomName: r.observation_room_id === null ? null : (l.rooms.get(r.observation_room_id) ?? `room #${r.observation_room_id}`),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    observationEndsAt: r.observation_ends_at,
    status: r.status as AppointmentStatus,
    fhirStatus: FHIR_APPOINTMENT_STATUS[r.status as AppointmentStatus],
    seriesId: r.series_id,
    seriesIndex: r.series_index,
    notes: r.notes,
    version: r.version,
  }
}

/** The appointment with its trail: who checked in, took in, completed, cancelled or missed it, and when. */
export function toView(r: AppointmentWithPatient, l: Lookups): AppointmentView {
  const name = (id: number | null) => (id === null ? null : (l.users.get(id) ?? `user #${id}`))
  return {
    ...toBlock(r, l),
    cancelReason: r.cancel_reason,
    arrivedAt: r.arrived_at,
    arrivedBy: name(r.arrived_by),
    inRoomAt: r.in_room_at,
    inRoomBy: name(r.in_room_by),
    completedAt: r.completed_at,
    completedBy: name(r.completed_by),
    cancelledAt: r.cancelled_at,
    cancelledBy: name(r.cancelled_by),
    noshowAt: r.noshow_at,
    noshowBy: name(r.noshow_by),
  }
}

export async function appointmentRow(db: Tx, id: number): Promise<AppointmentWithPatient> {
  const row = await appointmentsWithPatient(db).where('appointments.id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no appointment with id ${id}.`, { id: 'no such appointment' })
  return row
}

export async function viewAppointment(db: Tx, id: number): Promise<AppointmentView> {
  return toView(await appointmentRow(db, id), await loadLookups(db))
}

export async function getAppointment(ctx: ServiceContext, input: { id: number }): Promise<AppointmentView> {
  const v = await viewAppointment(ctx.db, input.id)
  await ctx.audit({ action: 'appointment.view', entity: 'appointment', entityId: v.id, patientId: v.patientId })
  return v
}

const earlier = (instant: string, minutes: number) => new Date(Date.parse(instant) - minutes * 60_000).toISOString()

type LaneColumn = 'provider_id' | 'room_id' | 'observation_room_id'

/**
 * The hot queries behind the day and week views: appointments that occupy the lanes between two
 * instants, one query per kind of lane so that each is a set of index ranges on (lane, starts_at)
 * (one query with OR makes SQLite read every appointment of the week instead). Bounded below by the
 * longest possible occupancy so that an appointment running into the window is not missed.
 */
export function windowQueries(db: Tx, q: { startsAt: string; endsAt: string; providerIds: number[]; roomIds: number[]; includeCancelled: boolean }) {
  const base = () => {
    let query = blockRowsWithPatient(db)
      .where('appointments.starts_at', '>', earlier(q.startsAt, MAX_OCCUPANCY_MINUTES))
      .where('appointments.starts_at', '<', q.endsAt)
      .where('appointments.occupied_until', '>', q.startsAt)
    if (!q.includeCancelled) query = query.where('appointments.status', 'not in', FREEING_STATUSES)
    return query
  }
  if (q.providerIds.length === 0 && q.roomIds.length === 0) return [base()]
  const lanes: [LaneColumn, number[]][] = [
    ['provider_id', q.providerIds],
    ['room_id', q.roomIds],
    ['observation_room_id', q.roomIds],
  ]
  return lanes
    .filter(([, ids]) => ids.length > 0)
    .map(([column, ids]) => {
      const query = base().where(`appointments.${column}`, 'in', ids)
      // A room lane usually shows the same visits as its physician's lane: fetch those rows once.
      return column !== 'provider_id' && q.providerIds.length > 0 ? query.where('appointments.provider_id', 'not in', q.providerIds) : query
    })
}

export async function loadSchedule(ctx: ServiceContext, input: ScheduleQuery): Promise<ScheduleWindow> {
  const timeZone = await clinicTimeZone(ctx.db)
  const to = addDays(input.from, input.days - 1)
  const startsAt = localDayBounds(input.from, timeZone).start
  const endsAt = localDayBounds(to, timeZone).end
  const queries = windowQueries(ctx.db, { startsAt, endsAt, providerIds: input.providerIds, roomIds: input.roomIds, includeCancelled: input.includeCancelled })
  const [lookups, ...results] = await Promise.all([loadLookups(ctx.db), ...queries.map((q) => q.execute())])
  const byId = new Map<number, AppointmentBlockRow>()
  for (const rows of results) for (const r of rows) byId.set(r.id, r)
  const rows = [...byId.values()].sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id))
  return { from: input.from, to, timeZone, startsAt, endsAt, appointments: rows.map((r) => toBlock(r, lookups)) }
}

/** Today's patients in start order, with how long each has waited since checking in. */
export async function todayBoard(ctx: ServiceContext, input: { providerId?: number }): Promise<TodayBoard> {
  const timeZone = await clinicTimeZone(ctx.db)
  const now = ctx.now()
  const date = zonedParts(now, timeZone).date
  const day = localDayBounds(date, timeZone)
  let q = appointmentsWithPatient(ctx.db)
    .where('appointments.starts_at', '>=', day.start)
    .where('appointments.starts_at', '<', day.end)
    .where('appointments.status', '!=', 'cancelled')
  if (input.providerId) q = q.where('appointments.provider_id', '=', input.providerId)
  const [rows, lookups] = await Promise.all([q.orderBy('appointments.starts_at').orderBy('appointments.id').execute(), loadLookups(ctx.db)])
  const minutes = (from: string, to: number) => Math.max(0, Math.floor((to - Date.parse(from)) / 60_000))
  return {
    date,
    timeZone,
    now: now.toISOString(),
    rows: rows.map((r) => ({
      appointment: toView(r, lookups),
      waitingMinutes:
        r.status === 'arrived' && r.arrived_at
          ? minutes(r.arrived_at, now.getTime())
          : r.arrived_at && r.in_room_at
            ? minutes(r.arrived_at, Date.parse(r.in_room_at))
            : null,
    })),
  }
}

/** No-shows or cancellations between two local dates, with the patient's next booking if any. */
export async function rebookList(
  ctx: ServiceContext,
  input: { kind: 'noshow' | 'cancelled'; from: string; to: string; includeRebooked: boolean; limit: number },
) {
  const timeZone = await clinicTimeZone(ctx.db)
  const start = localDayBounds(input.from, timeZone).start
  const end = localDayBounds(input.to, timeZone).end
  const next = (eb: ExpressionBuilder<DB, 'appointments' | 'patients'>) =>
    eb
      .selectFrom('appointments as later')
      .select('later.id')
      .whereRef('later.patient_id', '=', 'appointments.patient_id')
      .whereRef('later.starts_at', '>', 'appointments.starts_at')
      .where('later.status', 'not in', FREEING_STATUSES)
      .orderBy('later.starts_at')
      .limit(1)
  let q = appointmentsWithPatient(ctx.db)
    .select((eb) => next(eb).as('next_id'))
    .where('appointments.status', '=', input.kind)
    .where('appointments.starts_at', '>=', start)
    .where('appointments.starts_at', '<', end)
  if (!input.includeRebooked) q = q.where((eb) => eb.not(eb.exists(next(eb))))
  const [rows, lookups] = await Promise.all([q.orderBy('appointments.starts_at', 'desc').limit(input.limit).execute(), loadLookups(ctx.db)])
  const nextIds = rows.map((r) => r.next_id).filter((id): id is number => id !== null)
  const nextRows = nextIds.length
    ? await ctx.db.selectFrom('appointments').select(['id', 'starts_at', 'type_id']).where('id', 'in', nextIds).execute()
    : []
  const byId = new Map(nextRows.map((n) => [n.id, n]))
  return rows.map((r) => {
    const n = r.next_id === null ? undefined : byId.get(r.next_id)
    return {
      appointment: toView(r, lookups),
      nextAppointment: n ? { id: n.id, startsAt: n.starts_at, typeName: lookups.types.get(n.type_id)?.name ?? '' } : null,
    }
  })
}

/** Most upcoming appointments the patient page lists (a weekly series is at most 52). */
const UPCOMING_LIMIT = 200

/**
 * One patient's appointments for the patient page: upcoming (not over yet: ending after now, soonest first,
 * cancelled ones included so the desk sees what was called off and why) and past (ended, newest first, with
 * their status). Both are ranges on the (patient_id, starts_at) index; upcoming is bounded below by the longest
 * possible visit so that one running now is not missed. The view is audited like a record opened.
 */
export async function patientAppointments(ctx: ServiceContext, input: { patientId: number; pastLimit: number }): Promise<PatientAppointments> {
  const patient = await ctx.db.selectFrom('patients').select('id').where('id', '=', input.patientId).executeTakeFirst()
  if (!patient) throw new AppError('not_found', `There is no patient with id ${input.patientId}.`, { patientId: 'no such patient' })
  const now = ctx.now().toISOString()
  const ofPatient = () => appointmentsWithPatient(ctx.db).where('appointments.patient_id', '=', input.patientId)
  const [timeZone, lookups, upcoming, past] = await Promise.all([
    clinicTimeZone(ctx.db),
    loadLookups(ctx.db),
    ofPatient()
      .where('appointments.starts_at', '>', earlier(now, MAX_OCCUPANCY_MINUTES))
      .where('appointments.ends_at', '>', now)
      .orderBy('appointments.starts_at')
      .orderBy('appointments.id')
      .limit(UPCOMING_LIMIT)
      .execute(),
    // one more than asked: whether there are older ones to say so
    ofPatient()
      .where('appointments.starts_at', '<', now)
      .where('appointments.ends_at', '<=', now)
      .orderBy('appointments.starts_at', 'desc')
      .orderBy('appointments.id', 'desc')
      .limit(input.pastLimit + 1)
      .execute(),
  ])
  await ctx.audit({
    action: 'patientAppointments.list',
    entity: 'patient',
    entityId: input.patientId,
    patientId: input.patientId,
    details: { upcoming: upcoming.length, past: Math.min(past.length, input.pastLimit) },
  })
  return {
    now,
    timeZone,
    upcoming: upcoming.map((r) => toView(r, lookups)),
    past: past.slice(0, input.pastLimit).map((r) => toView(r, lookups)),
    morePast: past.length > input.pastLimit,
  }
}
