/**
 * The ASAP list (issue 21 point 4): patients waiting for an earlier consultation or procedure, with the days and
 * times they can come at short notice, offered a slot when another patient's appointment is cancelled or moved away.
 */
import { z } from 'zod'
import { TIME_OF_DAY } from '../scheduling/time'
import { Id, IsoDate, IsoInstant, optionalText, Version } from './common'
import { AppointmentStatusSchema, AppointmentView, Weekday } from './scheduling'

export const ASAP_STATUSES = ['waiting', 'removed'] as const
export type AsapStatus = (typeof ASAP_STATUSES)[number]

/** Why an entry left the list. The row is kept with who and when; it is never deleted. */
export const ASAP_REMOVE_REASONS = ['booked', 'noLongerWants', 'other'] as const
export type AsapRemoveReason = (typeof ASAP_REMOVE_REASONS)[number]
export const ASAP_REMOVE_LABELS: Record<AsapRemoveReason, string> = {
  booked: 'Booked',
  noLongerWants: 'No longer wants an earlier time',
  other: 'Other reason',
}

export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const

const TimeOfDay = z.string({ message: 'is required' }).regex(TIME_OF_DAY, { message: 'must be a time written HH:MM (24-hour)' })

/** A time the patient can come at short notice: these weekdays (1 = Monday ... 7 = Sunday), from .. to (clinic time). */
export const AsapWindow = z
  .object({
    days: z
      .array(Weekday, { message: 'must list the days' })
      .min(1, { message: 'must include at least one day' })
      .max(7, { message: 'must list each day once' })
      .refine((d) => new Set(d).size === d.length, { message: 'must list each day once' }),
    from: TimeOfDay,
    to: TimeOfDay,
  })
  .refine((w) => w.from < w.to, { path: ['to'], message: 'must be after the window starts' })
export type AsapWindow = z.infer<typeof AsapWindow>

const entryFieldsShape = {
  typeId: Id,
  /** null: any provider. */
  providerId: Id.nullable().default(null),
  windows: z.array(AsapWindow, { message: 'must list when the patient can come' }).min(1, { message: 'must list at least one time the patient can come' }).max(14, { message: 'must list at most 14' }),
  earliestDate: IsoDate.nullable().default(null),
  latestDate: IsoDate.nullable().default(null),
  note: optionalText(500),
  /**
   * The patient's booked appointment they want moved earlier. Booking them into a freed slot then MOVES it
   * (one appointment, its history kept), rather than booking a second one.
   */
  appointmentId: Id.nullable().default(null),
}
const rangeInOrder = (e: { earliestDate: string | null; latestDate: string | null }) => !e.earliestDate || !e.latestDate || e.earliestDate <= e.latestDate
const RANGE_MESSAGE = { path: ['latestDate'], message: 'must not be before the earliest date' }

export const AddAsapEntry = z.object({ patientId: Id, ...entryFieldsShape }).refine(rangeInOrder, RANGE_MESSAGE)
export type AddAsapEntry = z.infer<typeof AddAsapEntry>
export const UpdateAsapEntry = z.object({ id: Id, version: Version, ...entryFieldsShape }).refine(rangeInOrder, RANGE_MESSAGE)
export type UpdateAsapEntry = z.infer<typeof UpdateAsapEntry>

export const RemoveAsapEntry = z
  .object({
    id: Id,
    version: Version,
    reason: z.enum(ASAP_REMOVE_REASONS, { message: 'must be booked, noLongerWants or other' }),
    /** Words: required for "other". */
    note: optionalText(300),
  })
  .refine((r) => r.reason !== 'other' || r.note !== '', { path: ['note'], message: 'is required for another reason' })
export type RemoveAsapEntry = z.infer<typeof RemoveAsapEntry>

export const AsapEntryView = z.object({
  id: Id,
  patientId: Id,
  patientName: z.string(),
  patientMrn: z.string(),
  patientPhone: z.string(),
  typeId: Id,
  typeName: z.string(),
  providerId: Id.nullable(),
  /** 'Any provider' when none is named. */
  providerName: z.string(),
  windows: z.array(AsapWindow),
  earliestDate: z.string().nullable(),
  latestDate: z.string().nullable(),
  note: z.string(),
  appointmentId: Id.nullable(),
  appointmentStartsAt: IsoInstant.nullable(),
  appointmentStatus: AppointmentStatusSchema.nullable(),
  status: z.enum(ASAP_STATUSES),
  addedAt: IsoInstant,
  addedBy: z.string(),
  removedAt: IsoInstant.nullable(),
  removedBy: z.string().nullable(),
  removeReason: z.enum(ASAP_REMOVE_REASONS).nullable(),
  removeNote: z.string(),
  /** The appointment the entry was booked into (moved or new), when it left the list booked. */
  bookedAppointmentId: Id.nullable(),
  version: Version,
})
export type AsapEntryView = z.infer<typeof AsapEntryView>

export const AsapListQuery = z.object({
  /** Also the entries that left the list (newest first after the waiting ones). */
  includeRemoved: z.boolean({ message: 'must be true or false' }).default(false),
  patientId: Id.optional(),
})
export const AsapList = z.object({ timeZone: z.string(), entries: z.array(AsapEntryView) })
export type AsapList = z.infer<typeof AsapList>

/** A slot that has just been freed: the appointment's type, provider, room and times before it was cancelled or moved. */
export const FreedSlot = z
  .object({
    typeId: Id,
    providerId: Id,
    roomId: Id,
    startsAt: IsoInstant,
    endsAt: IsoInstant,
    /** The appointment that freed it: its patient is not offered their own slot back. */
    freedAppointmentId: Id.optional(),
  })
  .refine((s) => s.startsAt < s.endsAt, { path: ['endsAt'], message: 'must be after the start time' })
export type FreedSlot = z.infer<typeof FreedSlot>

export const AsapFit = z.object({
  entry: AsapEntryView,
  /** 'move': their linked appointment moves into the slot; 'book': a new appointment is booked. */
  action: z.enum(['move', 'book']),
})
export type AsapFit = z.infer<typeof AsapFit>
export const AsapFits = z.object({ timeZone: z.string(), slot: z.object({ typeId: Id, providerId: Id, roomId: Id, startsAt: IsoInstant, endsAt: IsoInstant }), fits: z.array(AsapFit) })
export type AsapFits = z.infer<typeof AsapFits>

/** Books an ASAP entry into the freed slot in one step (or moves their linked appointment there), closing the entry as booked. */
export const BookFromAsap = z.object({
  entryId: Id,
  version: Version,
  startsAt: IsoInstant,
  providerId: Id,
  roomId: Id,
})
export type BookFromAsap = z.infer<typeof BookFromAsap>
export const AsapBooked = z.object({ appointment: AppointmentView, action: z.enum(['move', 'book']), entry: AsapEntryView })
