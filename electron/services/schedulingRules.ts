/**
 * The booking rules the main process enforces, whoever asks: no two bookings hold the same provider,
 * room, observation bay or patient at once; nothing outside clinic hours or on a closed day. The
 * caller runs these checks and its write in one write transaction, so a second workstation cannot
 * slip a booking in between.
 */
import { AppError } from '../../shared/result'
import { sql, type ExpressionBuilder } from 'kysely'
import { occupancy, type Interval } from '../../shared/scheduling/slots'
import { addDays, describeLocal, localDayBounds, minutesOf, weekdayOf, zonedParts, zonedToInstantMs } from '../../shared/scheduling/time'
import { FREEING_STATUSES, MAX_OCCUPANCY_MINUTES, ROOM_KIND_LABELS, type RoomKind, type SlotConflict } from '../../shared/schemas/scheduling'
import type { EngineAdapter } from '../db/engine'
import type { Tx } from '../db/tx'
import type { AppointmentRow, AppointmentTypeRow, ClinicHoursRow, DB, RoomRow } from '../db/types'
import { patientDisplayName, type AppointmentWithPatient, type Lookups } from './schedulingViews'
import { describeFields } from '../../shared/fieldNames'
import { settingsFromText, settingsTextQuery } from './settings'

export type Lane = 'provider' | 'room' | 'bay' | 'patient'

const iso = (ms: number) => new Date(ms).toISOString()

const LANE_COLUMN = {
  provider: 'appointments.provider_id',
  room: 'appointments.room_id',
  bay: 'appointments.observation_room_id',
  patient: 'appointments.patient_id',
} as const

/**
 * The condition "holds one of these lanes at some moment of [from, to)". A provider and a room are held for
 * the visit, a bay for the observation after it, a patient for both. Every branch is an index range on
 * (lane, starts_at), bounded below by the longest possible occupancy. The one definition both the booking
 * checks (holders) and the slot search (busyLanes) read. One lane (one id) per branch: PostgreSQL 15 checks a list
 * of ids (`IN`) on the rows it has fetched rather than in the index, which read every appointment of the week.
 */
function holdsLane(lane: Lane, id: number, from: string, to: string, excludeId?: number) {
  return (eb: ExpressionBuilder<DB, 'appointments'>) => {
    const c = [
      eb('appointments.starts_at', '>', iso(Date.parse(from) - MAX_OCCUPANCY_MINUTES * 60_000)),
      eb('appointments.starts_at', '<', to),
      eb('appointments.status', 'not in', FREEING_STATUSES),
      eb(LANE_COLUMN[lane], '=', id),
    ]
    if (excludeId !== undefined) c.push(eb('appointments.id', '!=', excludeId))
    if (lane === 'bay') c.push(eb('appointments.ends_at', '<', to), eb('appointments.observation_ends_at', '>', from))
    else c.push(eb(lane === 'patient' ? 'appointments.occupied_until' : 'appointments.ends_at', '>', from))
    return eb.and(c)
  }
}

/** One question for checkPlacement: which bookings (with the patient's name) hold these lanes in [from, to). */
interface LaneCheck {
  tag: string
  lane: Lane
  ids: number[]
  from: string
  to: string
}

type HoldingRow = AppointmentRow & { tag: string; held_id: number }

/**
 * The bookings that answer each check, in one round trip (a UNION ALL of index ranges, as busyLanes reads
 * them): a booking's checks on PostgreSQL cost a round trip each, and a booking asked six. Without the
 * patients' names: most bookings fit, and joining the patients made PostgreSQL plan the statement afresh at
 * every booking for twice as long; a refusal reads the names it shows (holdersNamed).
 */
async function holders(db: Tx, checks: LaneCheck[], excludeId?: number): Promise<HoldingRow[]> {
  const branch = (c: LaneCheck, id: number) =>
    db
      .selectFrom('appointments')
      .selectAll('appointments')
      .select([sql<string>`${sql.lit(c.tag)}`.as('tag'), sql<number>`${sql.ref(LANE_COLUMN[c.lane])}`.as('held_id')])
      .where(holdsLane(c.lane, id, c.from, c.to, excludeId))
  const branches = checks.flatMap((c) => c.ids.map((id) => branch(c, id)))
  if (branches.length === 0) return []
  const q = branches.slice(1).reduce((all, b) => all.unionAll(b), branches[0]!)
  const rows = (await q.execute()) as HoldingRow[]
  return rows.sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id))
}

// ---------------------------------------------------------------- references

export interface BookingRefs {
  /** Optional only when looking for a free slot without a patient in mind. */
  patientId?: number
  typeId: number
  providerId: number
  roomId?: number
  observationRoomId?: number
}

export interface ResolvedRefs {
  type: AppointmentTypeRow
  rooms: RoomRow[]
  bays: RoomRow[]
  /** The patient as the booking's view shows them (null when no patient was named), without reading it back. */
  patient: Pick<AppointmentWithPatient, 'first_name' | 'last_name' | 'mrn' | 'preferred_language' | 'interpreter_needed'> | null
  providerName: string
  /** The clinic's time zone, read in the same statement (every caller needs it). */
  timeZone: string
}

const TYPE_COLUMNS = [
  'id', 'name', 'code', 'colour', 'duration_minutes', 'room_kind', 'observation_minutes', 'active', 'sort_order', 'created_at', 'updated_at', 'version',
] as const satisfies readonly (keyof AppointmentTypeRow)[]
const ROOM_COLUMNS = ['id', 'name', 'kind', 'active', 'sort_order', 'created_at', 'updated_at', 'version'] as const satisfies readonly (keyof RoomRow)[]

/**
 * The settings, the patient, the type, the provider and the active rooms in one statement: a booking reads them
 * in its SERIALIZABLE transaction, where each statement is a round trip to a PostgreSQL server (they were five,
 * a third of the booking's; issue 22 point 4).
 */
async function readRefs(db: Tx, engine: EngineAdapter, refs: BookingRefs) {
  // (no patient named, as when looking for a slot: id 0 is no one's, and the patient is left null below)
  const row = await db
    .selectNoFrom((eb) => [
      settingsTextQuery(db).as('settings'),
      engine.jsonObjectFrom(eb.selectFrom('patients').select(['first_name', 'last_name', 'mrn', 'preferred_language', 'interpreter_needed']).where('id', '=', refs.patientId ?? 0)).as('patient'),
      engine.jsonObjectFrom(eb.selectFrom('appointment_types').select(TYPE_COLUMNS).where('id', '=', refs.typeId)).as('type'),
      engine.jsonObjectFrom(eb.selectFrom('users').select(['id', 'role', 'active', 'display_name']).where('id', '=', refs.providerId)).as('provider'),
      engine.jsonArrayFrom(eb.selectFrom('rooms').select(ROOM_COLUMNS).where('active', '=', 1).orderBy('sort_order').orderBy('name')).as('rooms'),
    ])
    .executeTakeFirstOrThrow()
  return {
    timeZone: settingsFromText(row.settings).timeZone,
    patient: refs.patientId === undefined ? null : (engine.readJson(row.patient) ?? undefined),
    type: engine.readJson(row.type),
    provider: engine.readJson(row.provider),
    rooms: engine.readJson(row.rooms),
  }
}

/**
 * Checks that the ids name things that can be booked: an existing patient, an active type, an active
 * physician, an active room of the kind the type needs. Every problem names its field.
 */
export async function resolveRefs(db: Tx, engine: EngineAdapter, refs: BookingRefs, opts: { allowInactiveType?: boolean } = {}): Promise<ResolvedRefs> {
  const fields: Record<string, string> = {}
  const { timeZone, patient, type, provider, rooms } = await readRefs(db, engine, refs)
  if (patient === undefined) fields.patientId = 'no such patient'
  if (!type) fields.typeId = 'no such appointment type'
  else if (type.active !== 1 && !opts.allowInactiveType) fields.typeId = `${type.name} is no longer offered`
  if (!provider || provider.role !== 'physician') fields.providerId = 'must be a physician'
  else if (provider.active !== 1) fields.providerId = 'is no longer active'

  let candidates: RoomRow[] = []
  let bays: RoomRow[] = []
  if (type) {
    const kindLabel = ROOM_KIND_LABELS[type.room_kind as RoomKind].toLowerCase()
    candidates = rooms.filter((r) => r.kind === type.room_kind)
    if (refs.roomId !== undefined) {
      const room = candidates.find((r) => r.id === refs.roomId)
      if (!room) fields.roomId = `must be an active ${kindLabel} (${type.name} needs one)`
      candidates = room ? [room] : []
    } else if (candidates.length === 0) {
      fields.roomId = `no active ${kindLabel} is set up for ${type.name}`
    }
    bays = type.observation_minutes > 0 ? rooms.filter((r) => r.kind === 'observation') : []
    if (refs.observationRoomId !== undefined) {
      const bay = bays.find((r) => r.id === refs.observationRoomId)
      if (type.observation_minutes === 0) fields.observationRoomId = `is not needed for ${type.name}`
      else if (!bay) fields.observationRoomId = 'must be an active observation bay'
      bays = bay ? [bay] : []
    } else if (type.observation_minutes > 0 && bays.length === 0) {
      fields.observationRoomId = `no active observation bay is set up for ${type.name}`
    }
  }
  if (Object.keys(fields).length > 0) {
    throw new AppError('invalid_input', describeFields(fields), fields)
  }
  return { type: type!, rooms: candidates, bays, patient: patient ?? null, providerName: provider!.display_name, timeZone }
}

// ---------------------------------------------------------------- hours

export async function hoursConflicts(db: Tx, timeZone: string, startMs: number, endMs: number): Promise<SlotConflict[]> {
  const local = zonedParts(startMs, timeZone)
  const conflict = (kind: 'hours' | 'closedDay', message: string): SlotConflict[] => [
    { kind, message, appointmentId: null, startsAt: iso(startMs), endsAt: iso(endMs) },
  ]
  // the weekday's hours with the date's closing reason beside them: one round trip
  const hours = await db
    .selectFrom('clinic_hours')
    .selectAll()
    .select((eb) => eb.selectFrom('closed_days').select('reason').where('date', '=', local.date).as('closed_reason'))
    .where('weekday', '=', local.weekday)
    .executeTakeFirst()
  const closed = hours
    ? hours.closed_reason === null
      ? undefined
      : { reason: hours.closed_reason }
    : await db.selectFrom('closed_days').select('reason').where('date', '=', local.date).executeTakeFirst()
  if (closed) return conflict('closedDay', `The clinic is closed on ${describeLocal(startMs, timeZone).replace(/, \d\d:\d\d$/, '')} (${closed.reason}).`)
  const dayName = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' }).format(new Date(startMs))
  if (!hours || hours.is_open !== 1) return conflict('hours', `The clinic is closed on ${dayName}s.`)
  const opens = zonedToInstantMs(local.date, hours.opens, timeZone)
  const closes = zonedToInstantMs(local.date, hours.closes, timeZone)
  if (startMs < opens || endMs > closes) {
    const ends = zonedParts(endMs, timeZone)
    const endsText = ends.date === local.date ? ends.time : `${ends.time} the next day`
    return conflict(
      'hours',
      `${local.time}–${endsText} is outside clinic hours (${hours.opens}–${hours.closes} on ${dayName}s)${endMs > closes && minutesOf(hours.closes) > 0 ? '; the booking, including any observation afterwards, must end by closing time' : ''}.`,
    )
  }
  return []
}

/** The closed dates of a range and the weekly hours: what openWindows works from. */
export interface OpeningDays {
  closedDates: Set<string>
  byWeekday: Map<number, ClinicHoursRow>
}

/** Reads the closed dates in [firstDate, lastDate] (local dates) and the weekly hours, in two queries side by side. */
export async function readOpeningDays(db: Tx, firstDate: string, lastDate: string): Promise<OpeningDays> {
  const [closed, hours] = await Promise.all([
    db.selectFrom('closed_days').select('date').where('date', '>=', firstDate).where('date', '<=', lastDate).execute(),
    db.selectFrom('clinic_hours').selectAll().execute(),
  ])
  return { closedDates: new Set(closed.map((c) => c.date)), byWeekday: new Map(hours.map((h) => [h.weekday, h])) }
}

/** The open window of each local date from `firstDate` for `days` days (null when the clinic is closed). */
export function windowsOf(opening: OpeningDays, timeZone: string, firstDate: string, days: number): (Interval | null)[] {
  return Array.from({ length: days }, (_, d) => {
    const date = addDays(firstDate, d)
    const h = opening.byWeekday.get(weekdayOf(date))
    if (opening.closedDates.has(date) || !h || h.is_open !== 1) return null
    return { start: zonedToInstantMs(date, h.opens, timeZone), end: zonedToInstantMs(date, h.closes, timeZone) }
  })
}

/**
 * The open window of each local date from `firstDate` for `days` days (null when the clinic is closed),
 * read in two queries however long the range: a search must not pay a round trip per day.
 */
export async function openWindows(db: Tx, timeZone: string, firstDate: string, days: number): Promise<(Interval | null)[]> {
  return windowsOf(await readOpeningDays(db, firstDate, addDays(firstDate, days - 1)), timeZone, firstDate, days)
}

export interface BusyLanes {
  provider: Interval[]
  patient: Interval[]
  /** Per room id: its visits, and the observations it hosts as a bay. */
  rooms: Map<number, Interval[]>
}

/**
 * Everything that holds the provider, the patient and any of `roomIds` during [from, to), in one round
 * trip: a UNION ALL of index range scans, one per lane (holdsLane).
 */
export async function busyLanes(db: Tx, lanes: { providerId: number; patientId?: number; roomIds: number[] }, from: string, to: string): Promise<BusyLanes> {
  const branch = (lane: Lane, id: number) =>
    db
      .selectFrom('appointments')
      .select([sql<Lane>`${sql.lit(lane)}`.as('lane'), sql<number>`${sql.ref(LANE_COLUMN[lane])}`.as('lane_id'), 'starts_at', 'ends_at', 'occupied_until', 'observation_ends_at'])
      .where(holdsLane(lane, id, from, to))
  const branches = [
    branch('provider', lanes.providerId),
    ...(lanes.patientId !== undefined ? [branch('patient', lanes.patientId)] : []),
    ...lanes.roomIds.flatMap((id) => [branch('room', id), branch('bay', id)]),
  ]
  const q = branches.slice(1).reduce((all, b) => all.unionAll(b), branches[0]!)
  const out: BusyLanes = { provider: [], patient: [], rooms: new Map(lanes.roomIds.map((id) => [id, []])) }
  for (const r of await q.execute()) {
    const start = Date.parse(r.starts_at)
    const end = Date.parse(r.ends_at)
    if (r.lane === 'provider') out.provider.push({ start, end })
    else if (r.lane === 'patient') out.patient.push({ start, end: Date.parse(r.occupied_until) })
    else if (r.lane === 'room') out.rooms.get(Number(r.lane_id))?.push({ start, end })
    else out.rooms.get(Number(r.lane_id))?.push({ start: end, end: Date.parse(r.observation_ends_at ?? r.ends_at) })
  }
  return out
}

// ---------------------------------------------------------------- placement

export interface Placement {
  patientId: number
  providerId: number
  startMs: number
  durationMinutes: number
  observationMinutes: number
  /** Rooms that could host the visit (one when the caller chose it), in order of preference. */
  rooms: RoomRow[]
  bays: RoomRow[]
  /** Keep the current bay when it is still free (a move). */
  preferredBayId?: number | null
  /** The appointment being moved, which does not collide with itself. */
  excludeId?: number
}

export interface Placed {
  startsAt: string
  endsAt: string
  observationEndsAt: string | null
  occupiedUntil: string
  roomId: number
  observationRoomId: number | null
}

/** The holders with their patients' names, for a refusal's words: one read, only when something is in the way. */
async function holdersNamed(db: Tx, rows: HoldingRow[]): Promise<Map<HoldingRow, HolderWithName>> {
  const ids = [...new Set(rows.map((r) => r.patient_id))]
  const people = ids.length === 0 ? [] : await db.selectFrom('patients').select(['id', 'first_name', 'last_name']).where('id', 'in', ids).execute()
  // every booking names a patient (a foreign key), so every holder finds its name
  const byId = new Map(people.map((p) => [p.id, p]))
  return new Map(rows.map((r) => [r, { ...r, first_name: byId.get(r.patient_id)!.first_name, last_name: byId.get(r.patient_id)!.last_name }]))
}

type HolderWithName = AppointmentRow & Pick<AppointmentWithPatient, 'first_name' | 'last_name'>

function describeNamedHolder(r: HolderWithName, l: Lookups, timeZone: string): string {
  const type = l.types.get(r.type_id)?.name ?? 'an appointment'
  const end = zonedParts(r.ends_at, timeZone).time
  return `${type} with ${patientDisplayName(r)} (${l.users.get(r.provider_id) ?? 'provider'}), ${describeLocal(r.starts_at, timeZone)}–${end}, appointment #${r.id}`
}

function toConflict(kind: SlotConflict['kind'], message: string, r: AppointmentRow): SlotConflict {
  return { kind, message, appointmentId: r.id, startsAt: r.starts_at, endsAt: r.observation_ends_at ?? r.ends_at }
}

/**
 * Where a booking can go at that time: every conflict with the appointment in the way, or the rooms
 * it would use. Reads only; the caller writes in the same transaction.
 */
export async function checkPlacement(
  db: Tx,
  timeZone: string,
  names: () => Promise<Lookups>,
  p: Placement,
): Promise<{ placed: Placed | null; conflicts: SlotConflict[] }> {
  const occ = occupancy(p.startMs, p.durationMinutes, p.observationMinutes)
  const visitFrom = iso(occ.visit.start)
  const visitTo = iso(occ.visit.end)
  const conflicts: SlotConflict[] = [...(await hoursConflicts(db, timeZone, occ.patient.start, occ.patient.end))]

  // A room is held as a visit's room or as an observation bay: both lanes for the visit's rooms, and for
  // the bays during the observation.
  const roomIds = p.rooms.map((r) => r.id)
  const bays = p.preferredBayId ? [...p.bays.filter((b) => b.id === p.preferredBayId), ...p.bays.filter((b) => b.id !== p.preferredBayId)] : p.bays
  const obs = occ.observation ? { from: iso(occ.observation.start), to: iso(occ.observation.end) } : null
  const bayIds = obs ? bays.map((b) => b.id) : []
  const rows = await holders(
    db,
    [
      { tag: 'provider', lane: 'provider', ids: [p.providerId], from: visitFrom, to: visitTo },
      { tag: 'patient', lane: 'patient', ids: [p.patientId], from: visitFrom, to: iso(occ.patient.end) },
      { tag: 'room', lane: 'room', ids: roomIds, from: visitFrom, to: visitTo },
      { tag: 'room', lane: 'bay', ids: roomIds, from: visitFrom, to: visitTo },
      ...(obs ? ([{ tag: 'bay', lane: 'room', ids: bayIds, ...obs }, { tag: 'bay', lane: 'bay', ids: bayIds, ...obs }] as const) : []),
    ],
    p.excludeId,
  )
  const held = (tag: string, id?: number) => rows.filter((r) => r.tag === tag && (id === undefined || Number(r.held_id) === id))
  const firstFree = (candidates: RoomRow[], tag: string) => {
    const taken: { room: RoomRow; holder: HoldingRow }[] = []
    for (const room of candidates) {
      const busy = held(tag, room.id)
      if (busy.length === 0) return { id: room.id, taken }
      taken.push({ room, holder: busy[0]! })
    }
    return { id: null, taken }
  }
  const room = firstFree(p.rooms, 'room')
  const bay = obs ? firstFree(bays, 'bay') : { id: null, taken: [] }

  const refused = conflicts.length > 0 || held('provider').length > 0 || held('patient').length > 0 || room.id === null || (obs !== null && bay.id === null && bay.taken.length > 0)
  if (!refused) {
    return {
      placed: { startsAt: visitFrom, endsAt: visitTo, observationEndsAt: obs ? obs.to : null, occupiedUntil: iso(occ.patient.end), roomId: room.id!, observationRoomId: bay.id },
      conflicts: [],
    }
  }

  // Refused: say what is in the way, by name (the names are read only now: most bookings fit)
  const [lookups, named] = await Promise.all([names(), holdersNamed(db, rows)])
  const describeHolder = (r: HoldingRow) => describeNamedHolder(named.get(r)!, lookups, timeZone)
  const providerName = lookups.users.get(p.providerId) ?? 'The provider'
  for (const r of held('provider')) conflicts.push(toConflict('provider', `${providerName} is already booked: ${describeHolder(r)}.`, r))
  for (const r of held('patient')) conflicts.push(toConflict('patient', `${patientDisplayName(named.get(r)!)} already has an appointment then: ${describeHolder(r)}.`, r))
  if (room.id === null) {
    const first = room.taken[0]
    if (first) {
      const message =
        room.taken.length === 1
          ? `${first.room.name} is taken: ${describeHolder(first.holder)}.`
          : `No ${ROOM_KIND_LABELS[first.room.kind as RoomKind].toLowerCase()} is free then: ${room.taken.map((h) => `${h.room.name} has ${describeHolder(h.holder)}`).join('; ')}.`
      conflicts.push(toConflict('room', message, first.holder))
    }
  }
  if (obs && bay.id === null && bay.taken.length > 0) {
    const until = zonedParts(occ.observation!.end, timeZone).time
    conflicts.push(
      toConflict(
        'observationRoom',
        `No observation bay is free for the observation until ${until}: ${bay.taken.map((h) => `${h.room.name} has ${describeHolder(h.holder)}`).join('; ')}.`,
        bay.taken[0]!.holder,
      ),
    )
  }
  return { placed: null, conflicts }
}

/** The refusal a screen shows: the first conflict in words, all of them as detail. */
export function conflictError(conflicts: SlotConflict[], opts: { prefix?: string; outcome?: string } = {}): AppError {
  const fields: Record<string, string> = {}
  const fieldOf: Record<SlotConflict['kind'], string> = {
    provider: 'providerId',
    room: 'roomId',
    observationRoom: 'observationRoomId',
    patient: 'patientId',
    hours: 'startsAt',
    closedDay: 'startsAt',
  }
  for (const c of conflicts) fields[fieldOf[c.kind]] ??= c.message
  const more = conflicts.length > 1 ? ` (${conflicts.length - 1} more problem${conflicts.length > 2 ? 's' : ''} with this time.)` : ''
  return new AppError('conflict', `${opts.prefix ?? ''}${conflicts[0]!.message} ${opts.outcome ?? 'Nothing was booked.'}${more}`, fields, { conflicts })
}

/** Bookings and moves may not start before today (clinic time): a typed wrong year is caught here. */
export function assertNotPast(startMs: number, now: Date, timeZone: string): void {
  const today = localDayBounds(zonedParts(now, timeZone).date, timeZone).start
  if (startMs < Date.parse(today)) {
    throw new AppError('invalid_input', 'Please correct: Start time is in the past (choose today or a later day).', { startsAt: 'is in the past' })
  }
}
