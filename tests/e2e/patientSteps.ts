/** Steps for the patients a spec needs as its scene (what it tests is elsewhere). */
import type { Page } from '@playwright/test'
import { EMPTY_PATIENT_FIELDS, type PatientFields } from '../../shared/schemas/patients'
import { callChannel } from './fixtures'

/**
 * A patient registered through the app's own channel, as the signed-in user: the fields given, the rest as a new
 * patient form leaves them; a namesake from an earlier run of the spec is acknowledged.
 */
export function registerPatient(page: Page, fields: Partial<PatientFields> & Pick<PatientFields, 'firstName' | 'lastName' | 'dateOfBirth'>) {
  return callChannel<{ id: number }>(page, 'patients.register', { ...EMPTY_PATIENT_FIELDS, ...fields, acknowledgeDuplicate: true })
}
