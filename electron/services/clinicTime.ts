/**
 * Times the services write into messages ("changed at ...", "signed on ..."): the clinic's date and time with the
 * zone named, from the clinic's time zone setting (shared/clinicClock.ts), as every screen shows them.
 */
import { clinicDateOf, formatClinicTime } from '../../shared/clinicClock'
import type { Tx } from '../db/tx'
import { readSettings } from './settings'

async function clinicZone(db: Tx): Promise<string> {
  return (await readSettings(db))?.settings.timeZone ?? 'UTC'
}

/** '2026-11-30 09:00 EST' */
export async function clinicDateTimeText(db: Tx, instant: string): Promise<string> {
  const zone = await clinicZone(db)
  return `${clinicDateOf(instant, zone)} ${formatClinicTime(instant, zone, { withZone: true })}`
}

/** '09:00 EST' */
export async function clinicTimeText(db: Tx, instant: string): Promise<string> {
  return formatClinicTime(instant, await clinicZone(db), { withZone: true })
}
