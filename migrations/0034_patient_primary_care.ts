import type { Migration } from './helpers'

/**
 * Issue 19 point 4's second recipient: the patient's primary care physician, a clinician of the referrers'
 * directory (migration 0029), so that a signed record's letter goes to them too (letters.recipient_kind
 * 'primaryCare', migration 0033). Null = not recorded: every existing patient starts so, nothing is guessed from
 * the old free-text referring physician (a referrer is not necessarily the family doctor).
 * Portable: one nullable integer with a foreign key, alike on SQLite and PostgreSQL.
 */
export const m0034_patient_primary_care: Migration = {
  async up(db) {
    await db.schema.alterTable('patients').addColumn('primary_care_referrer_id', 'integer', (c) => c.references('referrers.id')).execute()
  },
}
