/**
 * De-identification of the outcome export by HIPAA's Safe Harbor method, 45 CFR 164.514(b)(2)(i):
 * - (C) "All elements of dates (except year) for dates directly related to an individual": the procedure date
 *   becomes its year; the baseline and follow-up visit dates become whole days relative to the procedure
 *   (an interval, with no calendar anchor finer than the year), which is what outcomes are measured by.
 * - (C) "all ages over 89 and all elements of dates (including year) indicative of such age ... aggregated
 *   into a single category of age 90 or older": age 90 and over is written `90+`, and the birth year of such
 *   a patient is left empty.
 * Names, MRN, contact details, record ids and free text are left out by the export's column list.
 */
import { daysBetween } from '../../../shared/clinical/dates'
import { ageOn } from '../../../shared/dates'

/** Safe Harbor's age ceiling: ages above 89 are one category. */
export const SAFE_HARBOR_TOP_AGE = 90

export function safeHarborAge(age: number | null): number | string | null {
  if (age === null) return null
  return age >= SAFE_HARBOR_TOP_AGE ? `${SAFE_HARBOR_TOP_AGE}+` : age
}

/**
 * The birth year, or null when it would reveal an age of 90 or over: on the export day (the file is read
 * from then on) or at the procedure, whichever is older.
 */
export function safeHarborBirthYear(birthDate: string, procedureDate: string, exportDate: string): string | null {
  const later = exportDate > procedureDate ? exportDate : procedureDate
  return ageOn(birthDate, later) >= SAFE_HARBOR_TOP_AGE ? null : birthDate.slice(0, 4)
}

/** A visit's date as whole days from the procedure (negative before it), or null when there was none. */
export function dayFromProcedure(date: string | null | undefined, procedureDate: string): number | null {
  return date ? daysBetween(procedureDate, date) : null
}
