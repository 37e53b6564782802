import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Issue 17, candidacy and coverage readiness (points 4 and 5): what LCD L33569's criteria need that the note did
 * not hold.
 *
 * - pain_trend: 'improving' | 'stable' | 'worsening' ("worsening pain" qualifies on its own).
 * - kyphotic_angle: degrees at the fracture, measured at the consultation ("kyphotic deformity").
 * - mri_contraindicated: 0/1; CT or a bone scan confirms acuity only where MRI cannot be done.
 * - contraindications_reviewed (0/1) with who (a user) and when: the contraindication and risk assessment the
 *   policy's documentation asks for.
 *
 * Existing notes: no trend, no angle, MRI not contraindicated, review not recorded. Adding columns changes no
 * existing value, so a signed note's content and its hash stay as signed (the signed snapshot only compares the
 * keys it holds: services/signing.ts stillMatches), and the lock triggers of 0003 (row updates) are not fired.
 * Independent of 0018 (other tables).
 */
export const m0019_consultation_coverage_fields: Migration = {
  async up(db, engine) {
    const real = engine === 'postgres' ? 'double precision' : 'real'
    await db.schema.alterTable('consultations').addColumn('pain_trend', 'text', (c) => c.check(sql`pain_trend in ('improving', 'stable', 'worsening')`)).execute()
    await db.schema.alterTable('consultations').addColumn('kyphotic_angle', real, (c) => c.check(sql`kyphotic_angle between -90 and 90`)).execute()
    await db.schema.alterTable('consultations').addColumn('mri_contraindicated', 'integer', (c) => c.notNull().defaultTo(0).check(sql`mri_contraindicated in (0, 1)`)).execute()
    await db.schema
      .alterTable('consultations')
      .addColumn('contraindications_reviewed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`contraindications_reviewed in (0, 1)`))
      .execute()
    await db.schema.alterTable('consultations').addColumn('contraindications_reviewed_by', 'integer', (c) => c.references('users.id')).execute()
    await db.schema.alterTable('consultations').addColumn('contraindications_reviewed_at', 'text').execute()
  },
}
