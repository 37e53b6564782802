/**
 * "The clinic's today": the calendar date in the clinic's time zone (a setting) at the router's clock. Every
 * service asks here, so a note, a stay, a worklist and the dashboard agree on the date at any hour of the
 * night and on any workstation's zone.
 */
import { clinicDateOf, clinicToday as clinicTodayIn } from '../../../shared/clinicClock'
import { AppError } from '../../../shared/result'
import type { ServiceContext } from '../context'
import { requireSettings } from '../settings'
import { describeFields } from '../../../shared/fieldNames'

/** The clinic's time zone and today's date in it. */
export async function clinicDay(ctx: ServiceContext): Promise<{ timeZone: string; today: string }> {
  const { settings } = await requireSettings(ctx.db)
  return { timeZone: settings.timeZone, today: clinicTodayIn(ctx.now(), settings.timeZone) }
}

/** Today in the clinic's time zone, by the router's clock. */
export async function clinicToday(ctx: ServiceContext): Promise<string> {
  return (await clinicDay(ctx)).today
}

/** The clinic's calendar date of an instant (an appointment's start). */
export function clinicDateOfInstant(instant: string, timeZone: string): string {
  return clinicDateOf(instant, timeZone)
}

/** Refuses dates after the clinic's today: { 'fields.visitDate': '2027-01-01' } -> invalid_input naming the field. */
export async function assertNotFuture(ctx: ServiceContext, dates: Record<string, string | null | undefined>): Promise<void> {
  const today = await clinicToday(ctx)
  const fields: Record<string, string> = {}
  for (const [path, d] of Object.entries(dates)) if (d && d > today) fields[path] = `cannot be in the future (today is ${today})`
  if (Object.keys(fields).length > 0) {
    throw new AppError('invalid_input', describeFields(fields), fields)
  }
}
