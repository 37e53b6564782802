import type { Migration } from './helpers'
import { notNull } from './helpers'

/**
 * The code that stands for a patient in de-identified exports: random, made the first time the patient is
 * exported, and kept here so the same patient has the same code in every export of this clinic. HIPAA's
 * re-identification rule (45 CFR 164.514(c)) asks that the code is "not derived from or related to
 * information about the individual" and that the means to re-identify is not disclosed: a random code
 * qualifies, where the earlier HMAC of the record id was derived from it. Only the clinic's database maps a
 * code back to the patient.
 */
export const m0016_export_pseudonyms: Migration = {
  async up(db) {
    await db.schema
      .createTable('export_pseudonyms')
      .addColumn('patient_id', 'integer', (c) => c.primaryKey().references('patients.id'))
      .addColumn('code', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'text', notNull)
      .execute()
  },
}
