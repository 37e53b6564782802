import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * When the patient's primary care physician (migration 0034) was recorded, so that a patient without a referral in
 * the app (self-referred, or referred before the directory existed) still has letters due to them, for what is
 * signed from then on only: setting the family doctor on a patient of ten years must not make ten years of signed
 * notes due at once (services/letters/due.ts). A physician recorded before this migration counts from the
 * patient's last update, the latest moment it can have been set. Portable: one nullable text column (an ISO
 * instant, as every timestamp of the schema).
 */
export const m0036_primary_care_since: Migration = {
  async up(db) {
    await db.schema.alterTable('patients').addColumn('primary_care_since', 'text').execute()
    await sql`UPDATE patients SET primary_care_since = updated_at WHERE primary_care_referrer_id IS NOT NULL`.execute(db)
  },
}
