import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Which patients an audit row concerns, when there are several (a patient search's hits, a bulk export's
 * patients), so that the audit viewer finds the row by any of them: HIPAA's accounting of disclosures and a
 * patient's "who looked at my record" both start from the patient (45 CFR 164.528, 164.312(b)).
 *
 * The ids are written into the row's own `details.patientIds`, which the hash chain covers; this table is an
 * index of them that the database fills from the row itself, in the same statement (a trigger), so the app
 * cannot write one without the other and every way of appending (a transaction's row, a read's single-statement
 * row on PostgreSQL) fills it. Append-only like the log. No foreign key to patients: an audit row must never
 * fail to be written.
 */
export const m0015_audit_patients: Migration = {
  async up(db, engine) {
    await db.schema
      .createTable('audit_patients')
      .addColumn('audit_id', 'integer', (c) => c.notNull())
      .addColumn('patient_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_patients_pkey', ['audit_id', 'patient_id'])
      .execute()
    await db.schema.createIndex('audit_patients_by_patient').on('audit_patients').columns(['patient_id', 'audit_id']).execute()
    // rows written before this version that already named their patients (the schedule's exports and printed lists)
    if (engine === 'sqlite') {
      await sql`INSERT OR IGNORE INTO audit_patients (audit_id, patient_id)
        SELECT a.id, j.value FROM audit_log a, json_each(a.details, '$.patientIds') j
        WHERE json_valid(a.details) AND json_type(a.details, '$.patientIds') = 'array' AND j.type = 'integer'`.execute(db)
    } else {
      // The ids from the row's text: as JSON where PostgreSQL reads it as JSON, else from the `"patientIds":[...]}`
      // the app writes last (jsonb refuses some text JSON allows, such as an escaped lone surrogate typed into a
      // search box; the row must still be written, and its patients still indexed).
      await sql`CREATE FUNCTION audit_patient_ids(details text) RETURNS integer[] LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE ids jsonb;
        BEGIN
          IF strpos(details, '"patientIds"') = 0 THEN RETURN '{}'; END IF;
          BEGIN
            ids := details::jsonb -> 'patientIds';
            IF jsonb_typeof(ids) <> 'array' THEN RETURN '{}'; END IF;
            RETURN ARRAY(SELECT DISTINCT x::text::integer FROM jsonb_array_elements(ids) AS x WHERE jsonb_typeof(x) = 'number');
          EXCEPTION WHEN others THEN
            RETURN coalesce(string_to_array(substring(details from '"patientIds":\\[([0-9,]*)\\]\\}$'), ',')::integer[], '{}');
          END;
        END $$`.execute(db)
      await sql`INSERT INTO audit_patients (audit_id, patient_id)
        SELECT a.id, unnest(audit_patient_ids(a.details)) FROM audit_log a WHERE strpos(a.details, '"patientIds"') > 0
        ON CONFLICT DO NOTHING`.execute(db)
    }
    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER audit_patients_from_details AFTER INSERT ON audit_log
        WHEN json_valid(NEW.details) AND json_type(NEW.details, '$.patientIds') = 'array'
        BEGIN
          INSERT OR IGNORE INTO audit_patients (audit_id, patient_id)
          SELECT NEW.id, value FROM json_each(NEW.details, '$.patientIds') WHERE type = 'integer';
        END`.execute(db)
      await sql`CREATE TRIGGER audit_patients_no_update BEFORE UPDATE ON audit_patients BEGIN
        SELECT RAISE(ABORT, 'audit_patients is append-only');
      END`.execute(db)
      await sql`CREATE TRIGGER audit_patients_no_delete BEFORE DELETE ON audit_patients BEGIN
        SELECT RAISE(ABORT, 'audit_patients is append-only');
      END`.execute(db)
    } else {
      await sql`CREATE FUNCTION audit_patients_from_details() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF strpos(NEW.details, '"patientIds"') > 0 THEN
            INSERT INTO audit_patients (audit_id, patient_id)
            SELECT NEW.id, unnest(audit_patient_ids(NEW.details))
            ON CONFLICT DO NOTHING;
          END IF;
          RETURN NULL;
        END $$`.execute(db)
      await sql`CREATE TRIGGER audit_patients_from_details AFTER INSERT ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_patients_from_details()`.execute(db)
      await sql`CREATE FUNCTION audit_patients_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_patients is append-only'; END $$`.execute(db)
      await sql`CREATE TRIGGER audit_patients_no_change BEFORE UPDATE OR DELETE ON audit_patients
        FOR EACH ROW EXECUTE FUNCTION audit_patients_append_only()`.execute(db)
    }
  },
}
