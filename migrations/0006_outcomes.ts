import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Follow-up outcomes: the visit recorded against a follow-up discharge proposed (pain, ODI, analgesics,
 * brace, new fractures, complications, satisfaction), and the clinic's secrets (the HMAC key of
 * de-identified exports), kept out of the settings document that the screens read.
 * A visit is never deleted or changed: a wrong one is marked entered in error (error_at, error_by, error_reason).
 */
export const m0006_outcomes: Migration = {
  async up(db, engine) {
    const real = engine === 'postgres' ? 'double precision' : 'real'
    await withId(db.schema.createTable('follow_up_visits'), engine)
      .addColumn('follow_up_id', 'integer', (c) => c.notNull().references('procedure_follow_ups.id'))
      .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      // the follow-up's label when recorded ('6 weeks'), so that outcomes group without a join
      .addColumn('label', 'text', notNull)
      .addColumn('visit_date', 'text', notNull)
      .addColumn('pain_nrs', 'integer', (c) => c.check(sql`pain_nrs between 0 and 10`))
      // JSON: ten answers 0..5 or null; odi_score is the score computed from them when recorded
      .addColumn('odi_answers', 'text')
      .addColumn('odi_score', real, (c) => c.check(sql`odi_score between 0 and 100`))
      .addColumn('analgesics', 'text', (c) => c.check(sql`analgesics in ('none', 'nonOpioid', 'opioid')`))
      .addColumn('brace', 'text', (c) => c.check(sql`brace in ('none', 'partTime', 'fullTime')`))
      .addColumn('new_fracture', 'integer', (c) => c.notNull().defaultTo(0).check(sql`new_fracture in (0, 1)`))
      // space-separated levels, cranial first
      .addColumn('new_fracture_levels', 'text', (c) => c.notNull().defaultTo(''))
      // JSON array of complication keys
      .addColumn('complications', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('complications_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('satisfaction', 'text', (c) => c.check(sql`satisfaction in ('verySatisfied', 'satisfied', 'neutral', 'dissatisfied', 'veryDissatisfied')`))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_at', 'text', notNull)
      .addColumn('recorded_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('error_at', 'text')
      .addColumn('error_by', 'integer', (c) => c.references('users.id'))
      .addColumn('error_reason', 'text', (c) => c.notNull().defaultTo(''))
      .execute()
    // the visit at a follow-up label, latest first (the outcome export looks it up per procedure and label)
    await db.schema.createIndex('follow_up_visits_procedure').on('follow_up_visits').columns(['procedure_id', 'label', 'visit_date', 'id']).execute()
    await db.schema.createIndex('follow_up_visits_follow_up').on('follow_up_visits').column('follow_up_id').execute()
    await db.schema.createIndex('follow_up_visits_patient').on('follow_up_visits').columns(['patient_id', 'visit_date']).execute()
    // at most one visit in force per planned follow-up
    await sql`CREATE UNIQUE INDEX follow_up_visits_live ON follow_up_visits (follow_up_id) WHERE error_at IS NULL`.execute(db)
    // levels in the order treated, per procedure (the outcome export aggregates them per row)
    await db.schema.createIndex('procedure_levels_order').on('procedure_levels').columns(['procedure_id', 'treated_order']).execute()
    await db.schema.createIndex('procedure_follow_ups_label').on('procedure_follow_ups').columns(['procedure_id', 'label']).execute()

    await db.schema
      .createTable('clinic_secrets')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', notNull)
      .addColumn('created_at', 'text', notNull)
      .execute()

    const VALUES = 'follow_up_id, procedure_id, patient_id, label, visit_date, pain_nrs, odi_answers, odi_score, analgesics, brace, new_fracture, new_fracture_levels, complications, complications_note, satisfaction, notes, recorded_at, recorded_by'
    if (engine === 'sqlite') {
      await sql.raw(`CREATE TRIGGER follow_up_visits_values BEFORE UPDATE OF ${VALUES} ON follow_up_visits BEGIN SELECT RAISE(ABORT, 'a recorded follow-up visit is never changed; mark it entered in error'); END`).execute(db)
      await sql.raw(`CREATE TRIGGER follow_up_visits_no_delete BEFORE DELETE ON follow_up_visits BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END`).execute(db)
      await sql.raw(`CREATE TRIGGER clinic_secrets_fixed BEFORE UPDATE ON clinic_secrets BEGIN SELECT RAISE(ABORT, 'a clinic secret is never changed'); END`).execute(db)
      return
    }
    await sql`CREATE FUNCTION follow_up_visit_values() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'a recorded follow-up visit is never changed; mark it entered in error'; END $$`.execute(db)
    await sql.raw(`CREATE TRIGGER follow_up_visits_values BEFORE UPDATE OF ${VALUES} ON follow_up_visits FOR EACH ROW EXECUTE FUNCTION follow_up_visit_values()`).execute(db)
    await sql`CREATE TRIGGER follow_up_visits_no_delete BEFORE DELETE ON follow_up_visits FOR EACH ROW EXECUTE FUNCTION clinical_never_deleted()`.execute(db)
    await sql`CREATE FUNCTION clinic_secret_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'a clinic secret is never changed'; END $$`.execute(db)
    await sql`CREATE TRIGGER clinic_secrets_fixed BEFORE UPDATE ON clinic_secrets FOR EACH ROW EXECUTE FUNCTION clinic_secret_fixed()`.execute(db)
  },
}
