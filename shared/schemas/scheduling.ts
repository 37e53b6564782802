import { z } from 'zod'
import { TIME_OF_DAY } from '../scheduling/time'
import { Id, IsoDate, IsoInstant, optionalText, requiredText, Version } from './common'

// ---------------------------------------------------------------- vocabulary

export const ROOM_KINDS = ['consultation', 'procedure', 'observation'] as const
export type RoomKind = (typeof ROOM_KINDS)[number]
export const ROOM_KIND_LABELS: Record<RoomKind, string> = {
  consultation: 'Consultation room',
  procedure: 'Procedure suite',
  observation: 'Observation bay',
}
export const RoomKindSchema = z.enum(ROOM_KINDS, { message: 'must be consultation, procedure or observation' })

export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'arrived', 'in_room', 'completed', 'noshow', 'cancelled'] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]
export const AppointmentStatusSchema = z.enum(APPOINTMENT_STATUSES, {
  message: 'must be booked, confirmed, arrived, in_room, completed, noshow or cancelled',
})

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  confirmed: 'Confirmed',
  arrived: 'Checked in',
  in_room: 'In room',
  completed: 'Completed',
  noshow: 'No-show',
  cancelled: 'Cancelled',
}

/**
 * FHIR R4 Appointment.status for each of ours. FHIR has no "confirmed" (a confirmed booking is still
 * `booked`); "checked-in" means pre-encounter work is done and the encounter may begin, which is our
 * "in room"; the patient waiting in reception is `arrived`.
 */
export const FHIR_APPOINTMENT_STATUS: Record<AppointmentStatus, string> = {
  booked: 'booked',
  confirmed: 'booked',
  arrived: 'arrived',
  in_room: 'checked-in',
  completed: 'fulfilled',
  noshow: 'noshow',
  cancelled: 'cancelled',
}

/** Statuses that hold their slot. A cancelled or missed appointment frees the provider, room and patient. */
export const BLOCKING_STATUSES = ['booked', 'confirmed', 'arrived', 'in_room', 'completed'] as const satisfies readonly AppointmentStatus[]
/**
 * The others. Queries say `status NOT IN (these)`: the same rows, but a NOT IN cannot steer the
 * planner onto the (status, starts_at) index, which would read every lane's appointments.
 */
export const FREEING_STATUSES = ['noshow', 'cancelled'] as const satisfies readonly AppointmentStatus[]

/**
 * Which status may follow which. The backward steps undo a slip of the mouse (checked in the wrong
 * patient); a no-show can be reinstated when the patient turns up late. Cancelled is final: rebook.
 */
export const STATUS_TRANSITIONS: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  booked: ['confirmed', 'arrived', 'noshow', 'cancelled'],
  confirmed: ['booked', 'arrived', 'noshow', 'cancelled'],
  arrived: ['booked', 'in_room', 'completed', 'cancelled'],
  in_room: ['arrived', 'completed'],
  completed: ['in_room'],
  noshow: ['booked'],
  cancelled: [],
}

/** Longest time one booking may occupy (visit plus observation); bounds every overlap query. */
export const MAX_OCCUPANCY_MINUTES = 12 * 60

// ---------------------------------------------------------------- setup

const Colour = z
  .string({ message: 'is required' })
  .regex(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour such as #1c7ed6' })
  .transform((c) => c.toLowerCase())
const Minutes = (min: number, max: number) =>
  z
    .number({ message: 'must be a number of minutes' })
    .int({ message: 'must be whole minutes' })
    .min(min, { message: `must be at least ${min} minutes` })
    .max(max, { message: `must be at most ${max} minutes` })
const SortOrder = z.number({ message: 'must be a number' }).int().min(0).max(9999).default(0)
const TimeOfDay = z.string({ message: 'is required' }).regex(TIME_OF_DAY, { message: 'must be a time written HH:MM (24-hour)' })

export const RoomFields = z.object({ name: requiredText(80), kind: RoomKindSchema, sortOrder: SortOrder })
export const CreateRoom = RoomFields
export const UpdateRoom = RoomFields.extend({ id: Id, version: Version, active: z.boolean({ message: 'must be true or false' }) })
export const Room = z.object({ id: Id, name: z.string(), kind: RoomKindSchema, active: z.boolean(), sortOrder: z.number(), version: Version })
export type Room = z.infer<typeof Room>

const typeFieldsShape = {
  name: requiredText(80),
  /** A stable code other modules use to find a type (a procedure booking looks for 'vertebroplasty'). */
  code: z
    .string({ message: 'must be text' })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{0,40}$/, { message: 'may use letters, digits and dashes only (at most 40)' })
    .default(''),
  colour: Colour,
  durationMinutes: Minutes(5, 480),
  roomKind: RoomKindSchema,
  observationMinutes: Minutes(0, 240).default(0),
  sortOrder: SortOrder,
}
const observationNeedsSpace = (t: { durationMinutes: number; observationMinutes: number }) =>
  t.durationMinutes + t.observationMinutes <= MAX_OCCUPANCY_MINUTES
export const CreateAppointmentType = z
  .object(typeFieldsShape)
  .refine(observationNeedsSpace, { path: ['observationMinutes'], message: 'with the length must fit in 12 hours' })
export const UpdateAppointmentType = z
  .object({ ...typeFieldsShape, id: Id, version: Version, active: z.boolean({ message: 'must be true or false' }) })
  .refine(observationNeedsSpace, { path: ['observationMinutes'], message: 'with the length must fit in 12 hours' })
export const AppointmentType = z.object({
  id: Id,
  name: z.string(),
  code: z.string(),
  colour: z.string(),
  durationMinutes: z.number(),
  roomKind: RoomKindSchema,
  observationMinutes: z.number(),
  active: z.boolean(),
  sortOrder: z.number(),
  version: Version,
})
export type AppointmentType = z.infer<typeof AppointmentType>

export const Weekday = z.number({ message: 'must be 1 (Monday) to 7 (Sunday)' }).int().min(1, { message: 'must be 1 (Monday) to 7 (Sunday)' }).max(7, { message: 'must be 1 (Monday) to 7 (Sunday)' })
export const UpdateClinicHours = z
  .object({ weekday: Weekday, version: Version, open: z.boolean({ message: 'must be true or false' }), opens: TimeOfDay, closes: TimeOfDay })
  .refine((h) => !h.open || h.opens < h.closes, { path: ['closes'], message: 'must be after the opening time' })
export const ClinicHours = z.object({ weekday: z.number(), open: z.boolean(), opens: z.string(), closes: z.string(), version: Version })
export type ClinicHours = z.infer<typeof ClinicHours>

export const AddClosedDay = z.object({ date: IsoDate, reason: requiredText(120) })
export const RemoveClosedDay = z.object({ id: Id })
export const ClosedDay = z.object({ id: Id, date: z.string(), reason: z.string() })
export type ClosedDay = z.infer<typeof ClosedDay>

export const Provider = z.object({ id: Id, displayName: z.string(), active: z.boolean() })
export type Provider = z.infer<typeof Provider>

export const ScheduleSetup = z.object({
  timeZone: z.string(),
  providers: z.array(Provider),
  rooms: z.array(Room),
  types: z.array(AppointmentType),
  hours: z.array(ClinicHours),
  closedDays: z.array(ClosedDay),
})
export type ScheduleSetup = z.infer<typeof ScheduleSetup>

// ---------------------------------------------------------------- appointments

export const Repeat = z.object({
  everyWeeks: z.number({ message: 'must be a number of weeks' }).int().min(1, { message: 'must be at least 1' }).max(12, { message: 'must be at most 12' }).default(1),
  times: z.number({ message: 'must be a number' }).int().min(2, { message: 'must be at least 2' }).max(52, { message: 'must be at most 52' }),
})

export const BookAppointment = z.object({
  patientId: Id,
  typeId: Id,
  providerId: Id,
  /** Omitted: the first free room of the kind the type needs. */
  roomId: Id.optional(),
  /** Omitted: the first free observation bay, when the type needs one. */
  observationRoomId: Id.optional(),
  startsAt: IsoInstant,
  /** Omitted: the type's default length. */
  durationMinutes: Minutes(5, 480).optional(),
  notes: optionalText(1000),
  repeat: Repeat.optional(),
})
export type BookAppointment = z.infer<typeof BookAppointment>

/** The worklists a booking can come from: a reassessment due, a procedure request, a post-procedure follow-up, a referral's consultation. */
export const BOOKING_LINK_KINDS = ['reassessment', 'request', 'followUp', 'referral'] as const
export type BookingLinkKind = (typeof BOOKING_LINK_KINDS)[number]
/** The worklist row booked, with the version the list showed. */
export const BookingLink = z.object({
  kind: z.enum(BOOKING_LINK_KINDS, { message: 'must be reassessment, request, followUp or referral' }),
  id: Id,
  version: Version,
})
export type BookingLink = z.infer<typeof BookingLink>
/** A booking from a worklist: booked and linked to its row in one transaction, or neither. */
export const BookAndLink = BookAppointment.extend({ link: BookingLink })
export type BookAndLink = z.infer<typeof BookAndLink>

export const MoveAppointment = z.object({
  id: Id,
  version: Version,
  startsAt: IsoInstant,
  /** Omitted: keep the current provider, room and bay (a bay is re-chosen if the current one is taken). */
  providerId: Id.optional(),
  roomId: Id.optional(),
  observationRoomId: Id.optional(),
})
export type MoveAppointment = z.infer<typeof MoveAppointment>

export const SetAppointmentStatus = z
  .object({ id: Id, version: Version, status: AppointmentStatusSchema, reason: optionalText(300) })
  .refine((s) => s.status !== 'cancelled' || s.reason !== '', { path: ['reason'], message: 'is required to cancel' })
export type SetAppointmentStatus = z.infer<typeof SetAppointmentStatus>

export const AppointmentView = z.object({
  id: Id,
  patientId: Id,
  patientName: z.string(),
  patientMrn: z.string(),
  /** the patient's preferred language ('' if none recorded) and whether an interpreter must be booked */
  patientLanguage: z.string(),
  interpreterNeeded: z.boolean(),
  typeId: Id,
  typeName: z.string(),
  colour: z.string(),
  providerId: Id,
  providerName: z.string(),
  roomId: Id,
  roomName: z.string(),
  observationRoomId: Id.nullable(),
  observationRoomName: z.string().nullable(),
  startsAt: IsoInstant,
  endsAt: IsoInstant,
  /** End of the observation after a procedure; null when the type needs none. */
  observationEndsAt: IsoInstant.nullable(),
  status: AppointmentStatusSchema,
  fhirStatus: z.string(),
  cancelReason: z.string(),
  arrivedAt: IsoInstant.nullable(),
  arrivedBy: z.string().nullable(),
  inRoomAt: IsoInstant.nullable(),
  inRoomBy: z.string().nullable(),
  completedAt: IsoInstant.nullable(),
  completedBy: z.string().nullable(),
  cancelledAt: IsoInstant.nullable(),
  cancelledBy: z.string().nullable(),
  noshowAt: IsoInstant.nullable(),
  noshowBy: z.string().nullable(),
  seriesId: Id.nullable(),
  seriesIndex: z.number().nullable(),
  notes: z.string(),
  version: Version,
})
export type AppointmentView = z.infer<typeof AppointmentView>

/**
 * What a lane of the day and week views draws: the appointment without its trail (who checked the patient in,
 * took them in, completed, cancelled or marked the no-show, when, and the reason), which the appointment's own
 * view carries (schedule.appointments.get, opened from the block). The week of a busy clinic is 600 blocks, and
 * the trail was a third of the columns read, checked and sent for each (issue 22 point 4).
 */
export const ScheduleBlock = AppointmentView.omit({
  cancelReason: true,
  arrivedAt: true,
  arrivedBy: true,
  inRoomAt: true,
  inRoomBy: true,
  completedAt: true,
  completedBy: true,
  cancelledAt: true,
  cancelledBy: true,
  noshowAt: true,
  noshowBy: true,
})
export type ScheduleBlock = z.infer<typeof ScheduleBlock>

export const Booked = z.object({ appointments: z.array(AppointmentView) })

/** One patient's appointments, for the patient page: the query and its answer. */
export const PatientAppointmentsQuery = z.object({
  patientId: Id,
  /** How many past appointments, newest first. */
  pastLimit: z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(1, { message: 'must be at least 1' }).max(200, { message: 'must be at most 200' }).default(50),
})
export type PatientAppointmentsQuery = z.infer<typeof PatientAppointmentsQuery>
export const PatientAppointments = z.object({
  /** The main process's clock when it split the list: upcoming end after it, past ones ended by it. */
  now: IsoInstant,
  timeZone: z.string(),
  /** Not over yet (ends after now), soonest first; cancelled ones included, with their reason. At most 200. */
  upcoming: z.array(AppointmentView),
  /** Over (ended by now), newest first, at most `pastLimit`. */
  past: z.array(AppointmentView),
  /** There are older past appointments than those listed. */
  morePast: z.boolean(),
})
export type PatientAppointments = z.infer<typeof PatientAppointments>
/** The booking, and the worklist row's new version (it left the list to book). */
export const BookedAndLinked = Booked.extend({ link: BookingLink })

const IdList = z.array(Id).max(50, { message: 'must list at most 50' }).default([])

export const ScheduleQuery = z
  .object({
    /** First local day shown. */
    from: IsoDate,
    days: z.number({ message: 'must be a number of days' }).int().min(1, { message: 'must be at least 1' }).max(14, { message: 'must be at most 14' }).default(1),
    /** Lanes: appointments of these providers, and those that use these rooms or bays. Both empty: every lane. */
    providerIds: IdList,
    roomIds: IdList,
    includeCancelled: z.boolean().default(false),
  })
export type ScheduleQuery = z.infer<typeof ScheduleQuery>

export const ScheduleWindow = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  startsAt: IsoInstant,
  endsAt: IsoInstant,
  appointments: z.array(ScheduleBlock),
})
export type ScheduleWindow = z.infer<typeof ScheduleWindow>

export const NextFreeSlotQuery = z.object({
  typeId: Id,
  providerId: Id,
  /** Also keep the patient's own appointments clear. */
  patientId: Id.optional(),
  /** Only this room (otherwise any room of the kind the type needs). */
  roomId: Id.optional(),
  /** Earliest start; omitted: now. */
  after: IsoInstant.optional(),
  durationMinutes: Minutes(5, 480).optional(),
  stepMinutes: z.number({ message: 'must be a number of minutes' }).int().refine((n) => [5, 10, 15, 20, 30, 60].includes(n), { message: 'must be 5, 10, 15, 20, 30 or 60' }).default(15),
  /** How many days ahead to look. */
  withinDays: z.number({ message: 'must be a number of days' }).int().min(1).max(180, { message: 'must be at most 180' }).default(60),
})
export type NextFreeSlotQuery = z.infer<typeof NextFreeSlotQuery>

export const FreeSlotResult = z.object({
  found: z.boolean(),
  startsAt: IsoInstant.nullable(),
  endsAt: IsoInstant.nullable(),
  roomId: Id.nullable(),
  observationRoomId: Id.nullable(),
})

export const CheckSlot = z.object({
  patientId: Id,
  typeId: Id,
  providerId: Id,
  roomId: Id.optional(),
  observationRoomId: Id.optional(),
  startsAt: IsoInstant,
  durationMinutes: Minutes(5, 480).optional(),
  /** The appointment being moved, which does not collide with itself. */
  appointmentId: Id.optional(),
})

export const CONFLICT_KINDS = ['provider', 'room', 'observationRoom', 'patient', 'hours', 'closedDay'] as const
export const SlotConflict = z.object({
  kind: z.enum(CONFLICT_KINDS),
  message: z.string(),
  /** The appointment in the way, when there is one. */
  appointmentId: Id.nullable(),
  startsAt: IsoInstant.nullable(),
  endsAt: IsoInstant.nullable(),
})
export type SlotConflict = z.infer<typeof SlotConflict>
export const SlotCheck = z.object({ free: z.boolean(), conflicts: z.array(SlotConflict) })

export const BoardQuery = z.object({ providerId: Id.optional() })
export const BoardRow = z.object({
  appointment: AppointmentView,
  /** Minutes since arrival for a waiting patient; minutes waited before going in, once in a room. */
  waitingMinutes: z.number().nullable(),
})
export const TodayBoard = z.object({ date: IsoDate, timeZone: z.string(), now: IsoInstant, rows: z.array(BoardRow) })
export type TodayBoard = z.infer<typeof TodayBoard>

export const RebookQuery = z
  .object({
    kind: z.enum(['noshow', 'cancelled'], { message: 'must be noshow or cancelled' }),
    from: IsoDate,
    to: IsoDate,
    /** Also list patients who already have a later appointment. */
    includeRebooked: z.boolean().default(false),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
export const RebookRow = z.object({
  appointment: AppointmentView,
  nextAppointment: z.object({ id: Id, startsAt: IsoInstant, typeName: z.string() }).nullable(),
})
export const RebookList = z.array(RebookRow)

export const ExportIcs = z
  .object({ providerId: Id, from: IsoDate, to: IsoDate })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
/** The front desk printed a provider's day list: patient names on paper, so it is audited like an export. */
export const DayListPrinted = z.object({ providerId: Id, date: IsoDate })
export const DayListPrintReceipt = z.object({ appointments: z.number().int().nonnegative() })
export const IcsFile = z.object({ filename: z.string(), contentType: z.literal('text/calendar'), ics: z.string(), events: z.number() })
