/**
 * Times on the procedure day are typed as HH:MM on the clinic's clock (its time zone setting, whatever zone
 * this workstation is set to) and stored as UTC instants. The day is the procedure's date; a time before the
 * procedure's start is taken as after midnight.
 */
import { clinicInstantNotBefore, clinicTimeOf } from '../../../shared/clinicClock'
import { isValidIsoDate } from '../../../shared/dates'

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/

/** '13:05' on '2026-11-30' in the clinic's zone -> ISO instant; '' -> null; anything else -> the text itself (the schema names it). */
export function instantOf(date: string, hhmm: string, zone: string, notBefore?: string | null): string | null {
  const t = hhmm.trim()
  if (t === '') return null
  const m = HHMM.exec(t)
  if (!m || !isValidIsoDate(date)) return t
  return clinicInstantNotBefore(date, `${m[1]!.padStart(2, '0')}:${m[2]}`, zone, notBefore)
}

/** ISO instant -> 'HH:MM' on the clinic's clock; null -> ''. */
export function hhmmOf(iso: string | null, zone: string): string {
  return iso ? clinicTimeOf(iso, zone) : ''
}

export const timeError = 'Must be a time as HH:MM (24 hours)'
export const isTimeText = (s: string) => s.trim() === '' || HHMM.test(s.trim())
