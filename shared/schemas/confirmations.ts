/** Tomorrow's confirmations (issue 21 point 2): the front desk's list of the next clinic day, and each call logged. */
import { z } from 'zod'
import { CONTACT_PREFERENCES, REMINDER_CONSENTS } from './patients'
import { AppointmentStatusSchema, AppointmentView } from './scheduling'
import { Id, IsoDate, IsoInstant, optionalText, Version } from './common'

export const CALL_OUTCOMES = ['reached', 'leftMessage', 'noAnswer', 'wrongNumber'] as const
export type CallOutcome = (typeof CALL_OUTCOMES)[number]
export const CALL_OUTCOME_LABELS: Record<CallOutcome, string> = { reached: 'Reached', leftMessage: 'Left message', noAnswer: 'No answer', wrongNumber: 'Wrong number' }

export const ConfirmationsQuery = z.object({
  /** the clinic day to list; absent: the next clinic day after today */
  date: IsoDate.optional(),
})

export const ContactAttempt = z.object({ id: Id, outcome: z.enum(CALL_OUTCOMES), note: z.string(), at: IsoInstant, byName: z.string() })
export type ContactAttempt = z.infer<typeof ContactAttempt>

export const ConfirmationRow = z.object({
  appointmentId: Id,
  version: Version,
  status: AppointmentStatusSchema,
  startsAt: IsoInstant,
  patientId: Id,
  patientName: z.string(),
  mrn: z.string(),
  phone: z.string(),
  email: z.string(),
  contactPreference: z.enum(CONTACT_PREFERENCES),
  reminderConsent: z.enum(REMINDER_CONSENTS).nullable(),
  typeName: z.string(),
  providerName: z.string(),
  /** what to tell the patient to do beforehand (shared/clinical/appointmentPreparation.ts) */
  preparation: z.array(z.object({ key: z.string(), text: z.string() })),
  /** the calls made about this appointment, oldest first */
  attempts: z.array(ContactAttempt),
})
export type ConfirmationRow = z.infer<typeof ConfirmationRow>

export const ConfirmationList = z.object({
  date: IsoDate,
  /** the next clinic day after today (the default date) */
  nextClinicDay: IsoDate,
  /** why the chosen date has no clinic ("Closed: Christmas Day", "The clinic is closed on Sundays"), null when open */
  closed: z.string().nullable(),
  rows: z.array(ConfirmationRow),
})
export type ConfirmationList = z.infer<typeof ConfirmationList>

/** A call logged from the list; `confirm` with a reached patient also marks the appointment confirmed, in one step. */
export const LogContactAttempt = z
  .object({
    appointmentId: Id,
    /** the appointment's version as listed (used when `confirm` changes its status) */
    version: Version,
    outcome: z.enum(CALL_OUTCOMES, { message: 'must be reached, left message, no answer or wrong number' }),
    note: optionalText(500),
    confirm: z.boolean().default(false),
  })
  .refine((a) => !a.confirm || a.outcome === 'reached', { path: ['confirm'], message: 'needs the patient reached (a message left is not a confirmation)' })
export type LogContactAttempt = z.infer<typeof LogContactAttempt>

export const LoggedContactAttempt = z.object({ attempt: ContactAttempt, appointment: AppointmentView })

// ---------------------------------------------------------------- the dashboard (issue 21 point 5)

/** The period (clinic dates, inclusive) and optionally one physician's appointments. */
export const AttendanceQuery = z
  .object({ from: IsoDate, to: IsoDate, physicianId: Id.nullable().default(null) })
  .refine((f) => f.from <= f.to, { message: 'must not be after the end date', path: ['from'] })

const AttendanceRate = z.object({ numerator: z.number().int(), denominator: z.number().int(), rate: z.number().nullable() })
const AttendanceGroup = z.object({ key: z.string(), label: z.string(), due: z.number().int(), confirmation: AttendanceRate, noShow: AttendanceRate })

/** Rates as shared/scheduling/attendance.ts defines them. */
export const Attendance = z.object({
  from: IsoDate,
  to: IsoDate,
  overall: AttendanceGroup,
  byType: z.array(AttendanceGroup),
  byChannel: z.array(AttendanceGroup),
})
export type Attendance = z.infer<typeof Attendance>
