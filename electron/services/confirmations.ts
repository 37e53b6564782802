/**
 * Tomorrow's confirmations (issue 21 point 2): the next clinic day's appointments not yet confirmed nor cancelled,
 * with how the patient wants to be contacted, what they must do beforehand and every call made; each call logged
 * with who and when (the session and the server's clock), and "reached and confirmed" in one step through the
 * schedule's own status change (its rules and its audit row).
 */
import { appointmentPreparation } from '../../shared/clinical/appointmentPreparation'
import { attendanceRates } from '../../shared/scheduling/attendance'
import { ChecklistFields } from '../../shared/schemas/preProcedure'
import { AppError } from '../../shared/result'
import { addDays, localDayBounds, weekdayOf } from '../../shared/scheduling/time'
import type { Attendance, CallOutcome, ConfirmationList, ConfirmationRow, ContactAttempt, LogContactAttempt } from '../../shared/schemas/confirmations'
import type { ContactPreference, ReminderConsent } from '../../shared/schemas/patients'
import type { RoomKind } from '../../shared/schemas/scheduling'
import type { Tx } from '../db/tx'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { enteredInErrorIds } from './records/enteredInError'
import { clinicDay } from './records/today'
import { openWindows } from './schedulingRules'
import { setAppointmentStatus } from './schedulingStatus'
import { viewAppointment } from './schedulingViews'
import { requireSettings } from './settings'

/** How far ahead the next clinic day is looked for (a clinic closed longer than this lists the day after today). */
const LOOK_AHEAD_DAYS = 60
const WEEKDAYS = ['', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays']

/**
 * The first day after `today` on which the clinic is open: the schedule's own rule (schedulingRules.openWindows:
 * a closed day, or a weekday without clinic hours, has no window), so the day after a weekend or a holiday counts.
 */
export async function nextClinicDay(db: Tx, timeZone: string, today: string): Promise<string> {
  const first = addDays(today, 1)
  const windows = await openWindows(db, timeZone, first, LOOK_AHEAD_DAYS)
  const i = windows.findIndex((w) => w !== null)
  return i < 0 ? first : addDays(first, i)
}

/** Why the clinic is closed on `date`, in words; null when it is open. */
async function closedBecause(db: Tx, date: string): Promise<string | null> {
  const closed = await db.selectFrom('closed_days').select('reason').where('date', '=', date).executeTakeFirst()
  if (closed) return `Closed: ${closed.reason}`
  const hours = await db.selectFrom('clinic_hours').select('is_open').where('weekday', '=', weekdayOf(date)).executeTakeFirst()
  return hours?.is_open === 1 ? null : `The clinic is closed on ${WEEKDAYS[weekdayOf(date)]}`
}

async function attemptsOf(db: Tx, appointmentIds: number[]): Promise<Map<number, ContactAttempt[]>> {
  const out = new Map<number, ContactAttempt[]>()
  if (appointmentIds.length === 0) return out
  const rows = await db
    .selectFrom('appointment_contact_attempts as a')
    .innerJoin('users as u', 'u.id', 'a.attempted_by')
    .select(['a.id', 'a.appointment_id', 'a.outcome', 'a.note', 'a.attempted_at', 'u.display_name'])
    .where('a.appointment_id', 'in', appointmentIds)
    .orderBy('a.attempted_at')
    .orderBy('a.id')
    .execute()
  for (const r of rows) {
    const list = out.get(r.appointment_id) ?? []
    list.push({ id: r.id, outcome: r.outcome as CallOutcome, note: r.note, at: r.attempted_at, byName: r.display_name })
    out.set(r.appointment_id, list)
  }
  return out
}

/** The blood thinners each appointment's pre-procedure checklist records (a procedure entered in error does not count). */
async function recordedThinners(db: Tx, appointmentIds: number[]): Promise<Map<number, ChecklistFields['antithrombotics']>> {
  const out = new Map<number, ChecklistFields['antithrombotics']>()
  if (appointmentIds.length === 0) return out
  const rows = await db
    .selectFrom('procedures as p')
    .innerJoin('pre_procedure_checklists as c', 'c.procedure_id', 'p.id')
    .select(['p.appointment_id', 'c.checklist'])
    .where('p.appointment_id', 'in', appointmentIds)
    .where('p.id', 'not in', enteredInErrorIds(db, 'procedure'))
    .orderBy('p.id')
    .execute()
  for (const r of rows) if (r.appointment_id !== null) out.set(r.appointment_id, ChecklistFields.parse(JSON.parse(r.checklist)).antithrombotics)
  return out
}

/** `confirmations.list`: the day's appointments still to confirm, earliest first. */
export async function listConfirmations(ctx: ServiceContext, input: { date?: string }): Promise<ConfirmationList> {
  const { timeZone, today } = await clinicDay(ctx)
  const { settings } = await requireSettings(ctx.db)
  const next = await nextClinicDay(ctx.db, timeZone, today)
  const date = input.date ?? next
  const { start, end } = localDayBounds(date, timeZone)
  const rows = await ctx.db
    .selectFrom('appointments as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .innerJoin('appointment_types as t', 't.id', 'a.type_id')
    .innerJoin('users as u', 'u.id', 'a.provider_id')
    .select([
      'a.id', 'a.version', 'a.status', 'a.starts_at', 'a.patient_id', 'p.first_name', 'p.last_name', 'p.mrn', 'p.phone', 'p.email',
      'p.contact_preference', 'p.reminder_consent', 't.name as type_name', 't.room_kind', 't.observation_minutes', 'u.display_name',
    ])
    .where('a.starts_at', '>=', start)
    .where('a.starts_at', '<', end)
    // not yet confirmed and not cancelled: a booked appointment (the day's later states come after confirming)
    .where('a.status', '=', 'booked')
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .execute()
  const ids = rows.map((r) => r.id)
  const [attempts, thinners] = await Promise.all([attemptsOf(ctx.db, ids), recordedThinners(ctx.db, ids)])
  return {
    date,
    nextClinicDay: next,
    closed: await closedBecause(ctx.db, date),
    rows: rows.map(
      (r): ConfirmationRow => ({
        appointmentId: r.id,
        version: r.version,
        status: 'booked',
        startsAt: r.starts_at,
        patientId: r.patient_id,
        patientName: `${r.last_name}, ${r.first_name}`,
        mrn: r.mrn,
        phone: r.phone,
        email: r.email,
        contactPreference: r.contact_preference as ContactPreference,
        reminderConsent: r.reminder_consent as ReminderConsent | null,
        typeName: r.type_name,
        providerName: r.display_name,
        preparation: appointmentPreparation({
          roomKind: r.room_kind as RoomKind,
          observationMinutes: r.observation_minutes,
          startsAt: r.starts_at,
          timeZone,
          fastingHours: settings.fastingHours,
          antithrombotics: thinners.get(r.id) ?? null,
        }),
        attempts: attempts.get(r.id) ?? [],
      }),
    ),
  }
}

/**
 * `confirmations.logAttempt`: one call, with who and when from the session and the server's clock. With `confirm`
 * (the patient was reached and confirmed), the appointment is marked confirmed through the schedule's status
 * change in the same transaction: both happen, or neither does.
 */
export async function logAttempt(ctx: ServiceContext, input: LogContactAttempt) {
  const actor = requireActor(ctx)
  const appt = await ctx.db.selectFrom('appointments').select(['id', 'patient_id', 'status']).where('id', '=', input.appointmentId).executeTakeFirst()
  if (!appt) throw new AppError('not_found', `There is no appointment with id ${input.appointmentId}. Nothing was logged.`, { appointmentId: 'no such appointment' })
  if (appt.status === 'cancelled') throw new AppError('conflict', `Appointment #${appt.id} was cancelled; there is nothing to confirm. Nothing was logged.`, { appointmentId: 'is cancelled' })
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('appointment_contact_attempts')
    .values({ appointment_id: appt.id, patient_id: appt.patient_id, outcome: input.outcome, note: input.note, attempted_at: at, attempted_by: actor.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  // the note may hold what the patient said: the audit keeps the outcome only
  await ctx.audit({ action: 'appointment.contactAttempt', entity: 'appointment', entityId: appt.id, patientId: appt.patient_id, details: { outcome: input.outcome, confirm: input.confirm } })
  const appointment = input.confirm
    ? await setAppointmentStatus(ctx, { id: appt.id, version: input.version, status: 'confirmed', reason: '' })
    : await viewAppointment(ctx.db, appt.id)
  return { attempt: { id: row.id, outcome: input.outcome, note: input.note, at, byName: actor.displayName }, appointment }
}

/**
 * `outcomes.attendance`: confirmation and no-show rates of the appointments due in the period (their start on a
 * clinic date from `from` to `to` and already passed), overall, by type and by the patient's contact preference;
 * the definitions are shared/scheduling/attendance.ts's.
 */
export async function attendance(ctx: ServiceContext, input: { from: string; to: string; physicianId: number | null }): Promise<Attendance> {
  const { timeZone } = await clinicDay(ctx)
  const start = localDayBounds(input.from, timeZone).start
  const periodEnd = localDayBounds(input.to, timeZone).end
  const now = nowIso(ctx)
  let q = ctx.db
    .selectFrom('appointments as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .innerJoin('appointment_types as t', 't.id', 'a.type_id')
    .select(['t.name', 'p.contact_preference', 'a.status', 'a.starts_at', 'a.confirmed_at'])
    .where('a.starts_at', '>=', start)
    .where('a.starts_at', '<', periodEnd)
    // due: its time has come
    .where('a.starts_at', '<=', now)
  if (input.physicianId !== null) q = q.where('a.provider_id', '=', input.physicianId)
  const rows = await q.execute()
  const rates = attendanceRates(rows.map((r) => ({ typeName: r.name, channel: r.contact_preference as ContactPreference, status: r.status, startsAt: r.starts_at, confirmedAt: r.confirmed_at })))
  return { from: input.from, to: input.to, ...rates }
}
