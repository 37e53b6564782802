/**
 * The codes that stand for patients in de-identified exports. Each is random (80 bits), made the first time
 * the patient is exported and kept in export_pseudonyms, so the same patient has the same code in every
 * export of this clinic. HIPAA's re-identification rule (45 CFR 164.514(c)) asks for a code "not derived from
 * or related to information about the individual" whose key is not disclosed: a random code qualifies (the
 * HMAC of the record id used before this table was derived from the id). Only this database maps a code back.
 */
import { randomBytes } from 'node:crypto'
import type { Tx } from '../../db/tx'

export function newPseudonymCode(): string {
  return `P-${randomBytes(10).toString('hex')}`
}

/**
 * The codes of `patientIds`, made for those who have none yet. Run inside a write transaction. A new code that
 * happens to equal an existing one (1 in 2^80 per pair) is skipped by the unique index and made again.
 */
export async function pseudonymCodes(db: Tx, patientIds: readonly number[], at: string): Promise<Map<number, string>> {
  const codes = new Map<number, string>()
  for (let i = 0; i < patientIds.length; i += 1000) {
    const slice = patientIds.slice(i, i + 1000)
    for (const r of await db.selectFrom('export_pseudonyms').select(['patient_id', 'code']).where('patient_id', 'in', slice).execute()) codes.set(r.patient_id, r.code)
  }
  let missing = patientIds.filter((id) => !codes.has(id))
  for (let attempt = 0; missing.length > 0; attempt++) {
    if (attempt === 5) throw new Error('Could not make unique export codes; try the export again.')
    for (let i = 0; i < missing.length; i += 500) {
      const rows = missing.slice(i, i + 500).map((patient_id) => ({ patient_id, code: newPseudonymCode(), created_at: at }))
      const made = await db.insertInto('export_pseudonyms').values(rows).onConflict((oc) => oc.doNothing()).returning(['patient_id', 'code']).execute()
      for (const r of made) codes.set(r.patient_id, r.code)
    }
    missing = missing.filter((id) => !codes.has(id))
  }
  return codes
}
