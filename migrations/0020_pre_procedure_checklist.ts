import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 17, procedure day point 3: the checklist the physician signs off before the procedure, one per procedure.
 *
 * - checklist: JSON of shared/schemas/preProcedure.ts ChecklistFields (consent, INR and platelets with their dates,
 *   each antithrombotic's last dose and restart date, pregnancy status, infection screen, allergies confirmed,
 *   fasting). A JSON document, like the recovery's readiness checklist, because its items are read and judged
 *   together (shared/clinical/preProcedure.ts evaluateChecklist) and never queried one by one.
 * - version: optimistic concurrency, as every editable row.
 * - signed_off_by / signed_off_at: the physician's sign-off. override_reason: why the procedure goes ahead although
 *   items failed ('' when none did). sign_off_evaluation: JSON { items, startsAt, startsAtSource, policy }, the
 *   items exactly as the physician was shown them when signing off, and what they were judged against.
 *
 * The rule after sign-off (the simplest honest one): a signed-off checklist is final. The database refuses any
 * change to a signed-off row and any deletion of a row, on both engines, so it can never be silently overwritten;
 * there is no reopening. What changes after the sign-off belongs in the procedure note (or its addendum).
 */
export const m0020_pre_procedure_checklist: Migration = {
  async up(db, engine) {
    await withId(db.schema.createTable('pre_procedure_checklists'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().unique().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('checklist', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('signed_off_by', 'integer', (c) => c.references('users.id'))
      .addColumn('signed_off_at', 'text')
      .addColumn('override_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('sign_off_evaluation', 'text')
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addCheckConstraint('pre_procedure_checklists_sign_off', sql`(signed_off_at IS NULL) = (signed_off_by IS NULL)`)
      .execute()
    await db.schema.createIndex('pre_procedure_checklists_patient').on('pre_procedure_checklists').column('patient_id').execute()

    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER pre_procedure_checklists_signed BEFORE UPDATE ON pre_procedure_checklists WHEN OLD.signed_off_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'the pre-procedure checklist is signed off and cannot be changed'); END`.execute(db)
      await sql`CREATE TRIGGER pre_procedure_checklists_no_delete BEFORE DELETE ON pre_procedure_checklists
        BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END`.execute(db)
    } else {
      await sql`CREATE FUNCTION pre_procedure_checklist_signed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the pre-procedure checklist is signed off and cannot be changed'; END $$`.execute(db)
      await sql`CREATE TRIGGER pre_procedure_checklists_signed BEFORE UPDATE ON pre_procedure_checklists FOR EACH ROW
        WHEN (OLD.signed_off_at IS NOT NULL) EXECUTE FUNCTION pre_procedure_checklist_signed()`.execute(db)
      // 0004's function: "clinical records are never deleted"
      await sql`CREATE TRIGGER pre_procedure_checklists_no_delete BEFORE DELETE ON pre_procedure_checklists FOR EACH ROW EXECUTE FUNCTION clinical_never_deleted()`.execute(db)
    }
  },
}
