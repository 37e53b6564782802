/** A provider's schedule as an iCalendar file, written by the `ics` library (RFC 5545). */
import { createEvents, type EventAttributes } from 'ics'
import { AppError } from '../../shared/result'
import { localDayBounds } from '../../shared/scheduling/time'
import { STATUS_LABELS, type AppointmentStatus } from '../../shared/schemas/scheduling'
import type { Tx } from '../db/tx'
import type { ServiceContext } from './context'
import { clinicTimeZone } from './schedulingSetup'
import { appointmentsWithPatient, loadLookups, loadSchedule, patientDisplayName } from './schedulingViews'

export interface IcsExport {
  filename: string
  contentType: 'text/calendar'
  ics: string
  events: number
  /** The patients whose appointments are in the file, for the caller's audit row. */
  patientIds: number[]
}

/** Long enough for a year's planning, short enough that one export cannot empty the database. */
export const MAX_EXPORT_DAYS = 366

/**
 * The provider's appointments whose visit starts on a local date from `from` to `to` (inclusive).
 * Each event's UID is stable (appointment id) and its SEQUENCE is the row version, so a calendar
 * that imports a later export updates the events instead of duplicating them; a cancelled
 * appointment is exported as STATUS:CANCELLED for the same reason. No-shows are left out.
 * Times are written in UTC. Callers that are not the router (the CLI) audit the export themselves.
 */
export async function exportProviderIcs(db: Tx, providerId: number, from: string, to: string): Promise<IcsExport> {
  if (to < from) throw new AppError('invalid_input', 'The end date is before the start date.', { to: 'must not be before from' })
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_EXPORT_DAYS) {
    throw new AppError('invalid_input', `Export at most ${MAX_EXPORT_DAYS} days at a time.`, { to: `must be within ${MAX_EXPORT_DAYS} days of from` })
  }
  const provider = await db.selectFrom('users').select(['id', 'display_name', 'role']).where('id', '=', providerId).executeTakeFirst()
  if (!provider || provider.role !== 'physician') throw new AppError('invalid_input', 'Choose a physician whose schedule to export.', { providerId: 'must be a physician' })
  const timeZone = await clinicTimeZone(db)
  const start = localDayBounds(from, timeZone).start
  const end = localDayBounds(to, timeZone).end
  const [rows, lookups] = await Promise.all([
    appointmentsWithPatient(db)
      .where('appointments.provider_id', '=', providerId)
      .where('appointments.starts_at', '>=', start)
      .where('appointments.starts_at', '<', end)
      .where('appointments.status', '!=', 'noshow')
      .orderBy('appointments.starts_at')
      .orderBy('appointments.id')
      .execute(),
    loadLookups(db),
  ])
  const events: EventAttributes[] = rows.map((r) => {
    const type = lookups.types.get(r.type_id)?.name ?? 'Appointment'
    const description = [`MRN ${r.mrn}`, `Status: ${STATUS_LABELS[r.status as AppointmentStatus]}`, ...(r.status === 'cancelled' ? [`Reason: ${r.cancel_reason}`] : []), ...(r.notes ? [r.notes] : [])].join('\n')
    return {
      uid: `appointment-${r.id}@spine-clinic`,
      sequence: r.version,
      title: `${type}: ${patientDisplayName(r)}`,
      description,
      location: lookups.rooms.get(r.room_id) ?? '',
      start: Date.parse(r.starts_at),
      startInputType: 'utc',
      startOutputType: 'utc',
      end: Date.parse(r.ends_at),
      endInputType: 'utc',
      endOutputType: 'utc',
      status: r.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      busyStatus: r.status === 'cancelled' ? 'FREE' : 'BUSY',
      categories: [type],
      lastModified: Date.parse(r.updated_at),
    }
  })
  const calName = `${provider.display_name}: ${from} to ${to}`
  const { error, value } = createEvents(events, { productId: 'spine-clinic/schedule', calName })
  if (error || value === null) throw error ?? new Error('ics produced no calendar')
  const slug = provider.display_name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  return {
    filename: `schedule-${slug || provider.id}-${from}-to-${to}.ics`,
    contentType: 'text/calendar',
    ics: value,
    events: events.length,
    patientIds: [...new Set(rows.map((r) => r.patient_id))],
  }
}

export async function exportIcs(ctx: ServiceContext, input: { providerId: number; from: string; to: string }) {
  const { patientIds, ...file } = await exportProviderIcs(ctx.db, input.providerId, input.from, input.to)
  await ctx.audit({
    action: 'schedule.export',
    entity: 'provider_schedule',
    entityId: input.providerId,
    details: { format: 'ics', from: input.from, to: input.to, events: file.events },
    patientIds,
  })
  return file
}

/** A printed day list leaves the app on paper; the audit row says whose list, which day and which patients. */
export async function recordDayListPrint(ctx: ServiceContext, input: { providerId: number; date: string }) {
  const day = await loadSchedule(ctx, { from: input.date, days: 1, providerIds: [input.providerId], roomIds: [], includeCancelled: false })
  const rows = day.appointments.filter((a) => a.providerId === input.providerId)
  await ctx.audit({
    action: 'schedule.dayList.print',
    entity: 'provider_schedule',
    entityId: input.providerId,
    details: { date: input.date, appointments: rows.length },
    patientIds: rows.map((a) => a.patientId),
  })
  return { appointments: rows.length }
}
