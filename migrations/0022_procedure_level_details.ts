import { sql } from 'kysely'
import { withId, type Migration } from './helpers'

/**
 * Issue 17 point 7, the procedure note and follow-up half.
 *
 * Per treated level (procedure_levels):
 * - cement_lot: the cement's lot number (free text, as printed on the pack).
 * - device_ids: the kit, needle and balloon identifiers (lot numbers or UDIs), free text, one per line.
 * - kyphotic_angle_after: degrees at the level after the procedure, the same range as the consultation's
 *   kyphotic_angle (0019): -90..90.
 * - biopsy_taken: 0/1, null when not recorded (notes written before this migration).
 * The leak location's new values (epidural, foraminal, paravertebral, venous, disc) need no column: leakage is
 * text with no CHECK (0004); old values stay stored as they were (shared/schemas/procedures.ts explains).
 *
 * procedure_biopsy_results: the pathology result of a level's biopsy, which arrives days after the note is signed
 * (and so can no longer be edited). Append-only: a row is never changed or deleted; a corrected report is a new
 * row, and the newest one is the result in force.
 *
 * follow_up_visits: the Roland-Morris questionnaire at a visit (rmdq_answers JSON of 24 booleans, rmdq_score 0..24,
 * as the consultation holds it). The "a recorded visit is never changed" trigger of 0006 is made again with the
 * two new columns, on both engines.
 *
 * Existing notes and visits: no lot, no devices, no angle, biopsy not recorded, no RMDQ. Adding columns changes no
 * existing value, so a signed note's content and its hash stay as signed (the signed snapshot only compares the
 * keys it holds: services/signing.ts stillMatches), and the lock triggers of 0004 (row updates) are not fired.
 * Independent of 0020 and 0021 (other tables and columns).
 */
const VISIT_VALUES =
  'follow_up_id, procedure_id, patient_id, label, visit_date, pain_nrs, odi_answers, odi_score, analgesics, brace, new_fracture, new_fracture_levels, complications, complications_note, satisfaction, notes, recorded_at, recorded_by, rmdq_answers, rmdq_score'

export const m0022_procedure_level_details: Migration = {
  async up(db, engine) {
    const real = engine === 'postgres' ? 'double precision' : 'real'
    await db.schema.alterTable('procedure_levels').addColumn('cement_lot', 'text', (c) => c.notNull().defaultTo('')).execute()
    await db.schema.alterTable('procedure_levels').addColumn('device_ids', 'text', (c) => c.notNull().defaultTo('')).execute()
    await db.schema.alterTable('procedure_levels').addColumn('kyphotic_angle_after', real, (c) => c.check(sql`kyphotic_angle_after between -90 and 90`)).execute()
    await db.schema.alterTable('procedure_levels').addColumn('biopsy_taken', 'integer', (c) => c.check(sql`biopsy_taken in (0, 1)`)).execute()

    await withId(db.schema.createTable('procedure_biopsy_results'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('benign', 'malignant', 'infection', 'nonDiagnostic')`))
      .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'integer', (c) => c.notNull().references('users.id'))
      .execute()
    await db.schema.createIndex('procedure_biopsy_results_procedure').on('procedure_biopsy_results').columns(['procedure_id', 'level', 'id']).execute()
    // the chart's timeline reads a patient's records by patient
    await db.schema.createIndex('procedure_biopsy_results_patient').on('procedure_biopsy_results').columns(['patient_id', 'recorded_at']).execute()

    await db.schema.alterTable('follow_up_visits').addColumn('rmdq_answers', 'text').execute()
    await db.schema.alterTable('follow_up_visits').addColumn('rmdq_score', 'integer', (c) => c.check(sql`rmdq_score between 0 and 24`)).execute()

    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER procedure_biopsy_results_no_update BEFORE UPDATE ON procedure_biopsy_results BEGIN SELECT RAISE(ABORT, 'a recorded biopsy result is never changed; record the corrected result'); END`.execute(db)
      await sql`CREATE TRIGGER procedure_biopsy_results_no_delete BEFORE DELETE ON procedure_biopsy_results BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END`.execute(db)
      await sql`DROP TRIGGER follow_up_visits_values`.execute(db)
      await sql
        .raw(`CREATE TRIGGER follow_up_visits_values BEFORE UPDATE OF ${VISIT_VALUES} ON follow_up_visits BEGIN SELECT RAISE(ABORT, 'a recorded follow-up visit is never changed; mark it entered in error'); END`)
        .execute(db)
      return
    }
    await sql`CREATE FUNCTION biopsy_result_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'a recorded biopsy result is never changed; record the corrected result'; END $$`.execute(db)
    await sql`CREATE TRIGGER procedure_biopsy_results_no_update BEFORE UPDATE ON procedure_biopsy_results FOR EACH ROW EXECUTE FUNCTION biopsy_result_fixed()`.execute(db)
    await sql`CREATE TRIGGER procedure_biopsy_results_no_delete BEFORE DELETE ON procedure_biopsy_results FOR EACH ROW EXECUTE FUNCTION clinical_never_deleted()`.execute(db)
    await sql`DROP TRIGGER follow_up_visits_values ON follow_up_visits`.execute(db)
    await sql.raw(`CREATE TRIGGER follow_up_visits_values BEFORE UPDATE OF ${VISIT_VALUES} ON follow_up_visits FOR EACH ROW EXECUTE FUNCTION follow_up_visit_values()`).execute(db)
  },
}
