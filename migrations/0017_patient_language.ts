import type { Migration } from './helpers'

/**
 * The patient's preferred language and whether an interpreter is needed, shown where the front desk and the
 * physician meet the patient (the schedule's block, the chart's header), so that an interpreter is booked
 * before the visit. Existing patients: no language recorded, no interpreter.
 */
export const m0017_patient_language: Migration = {
  async up(db) {
    await db.schema.alterTable('patients').addColumn('preferred_language', 'text', (c) => c.notNull().defaultTo('')).execute()
    await db.schema.alterTable('patients').addColumn('interpreter_needed', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  },
}
