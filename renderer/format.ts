import { ageOn } from '../shared/dates'
import { formatClinicDateTime } from '../shared/clinicClock'

export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' })
}

/** 'Feb 29, 1948 (78 y)': the age on `today`, the clinic's (useClinicClock().today()). */
export function formatDob(iso: string, today: string): string {
  return `${formatDate(iso)} (${ageOn(iso, today)} y)`
}

/**
 * An instant as 'Dec 6, 2026, 8:05 PM' in `timeZone`. Screens use useClinicClock().dateTime (renderer/clinicClock.ts),
 * which passes the clinic's zone; without a zone this shows the computer's, which is not the clinic's day.
 */
export function formatInstant(iso: string, timeZone?: string): string {
  return timeZone ? formatClinicDateTime(iso, timeZone) : new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })
}

/** "Spanish · interpreter needed", "Spanish", "Interpreter needed", or '' when nothing is recorded. */
export function languageLine(p: { preferredLanguage: string; interpreterNeeded: boolean }): string {
  const language = p.preferredLanguage.trim()
  if (!p.interpreterNeeded) return language
  return language ? `${language} · interpreter needed` : 'Interpreter needed'
}
