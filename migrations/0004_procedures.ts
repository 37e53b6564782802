import { sql, type Kysely } from 'kysely'
import type { Engine, Migration } from './helpers'
import { notNull, withId } from './helpers'

const bool = (name: string) => sql.raw(`${name} in (0, 1)`)

/**
 * The procedure day: the procedure note and its levels, recovery and observation checks, the overnight-stay
 * decision, the discharge summary with the PDF made when it was signed, and the follow-up visits discharge
 * proposes for the front desk to book. Signing uses the tables of 0003 (record types 'procedure' and
 * 'dischargeSummary'); the database itself refuses to change a signed record or delete a clinical one.
 */
export const m0004_procedures: Migration = {
  async up(db, engine) {
    const real = engine === 'postgres' ? 'double precision' : 'real'
    const bytes = engine === 'postgres' ? 'bytea' : 'blob'

    await withId(db.schema.createTable('procedures'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      // the procedure appointment (0002's appointments, on its own branch): checked by the service while the table may be missing
      .addColumn('appointment_id', 'integer')
      .addColumn('procedure_request_id', 'integer', (c) => c.references('procedure_requests.id'))
      .addColumn('provider_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('vertebroplasty', 'kyphoplasty')`))
      .addColumn('procedure_date', 'text', notNull)
      .addColumn('anaesthesia', 'text', (c) => c.check(sql`anaesthesia in ('local', 'moderateSedation', 'deepSedation', 'generalAnaesthesia')`))
      .addColumn('anaesthesia_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('patient_position', 'text', (c) => c.notNull().defaultTo('prone').check(sql`patient_position in ('prone', 'lateral', 'other')`))
      .addColumn('imaging_guidance', 'text', (c) => c.notNull().defaultTo('fluoroscopy').check(sql`imaging_guidance in ('fluoroscopy', 'biplaneFluoroscopy', 'ctFluoroscopy', 'ct')`))
      .addColumn('fluoroscopy_seconds', real, (c) => c.check(sql`fluoroscopy_seconds >= 0`))
      .addColumn('dose_air_kerma_mgy', real, (c) => c.check(sql`dose_air_kerma_mgy >= 0`))
      .addColumn('dose_dap_mgycm2', real, (c) => c.check(sql`dose_dap_mgycm2 >= 0`))
      .addColumn('started_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('intra_complications', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('intra_complications_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('post_complications', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('post_complications_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
      // JSON: [{ code, description }] ICD-10-CM
      .addColumn('diagnoses', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('procedures_patient').on('procedures').columns(['patient_id', 'procedure_date']).execute()
    await db.schema.createIndex('procedures_appointment').on('procedures').column('appointment_id').execute()
    await db.schema.createIndex('procedures_date').on('procedures').column('procedure_date').execute()

    await withId(db.schema.createTable('procedure_levels'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('treated_order', 'integer', notNull)
      .addColumn('level', 'text', notNull)
      .addColumn('approach', 'text', (c) => c.check(sql`approach in ('unipedicular', 'bipedicular', 'extrapedicular')`))
      .addColumn('needle_gauge', 'integer', (c) => c.check(sql`needle_gauge between 8 and 18`))
      .addColumn('balloon_volume_ml', real, (c) => c.check(sql`balloon_volume_ml > 0`))
      .addColumn('balloon_pressure_psi', real, (c) => c.check(sql`balloon_pressure_psi > 0`))
      .addColumn('cement_type', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('cement_volume_ml', real, (c) => c.check(sql`cement_volume_ml > 0`))
      .addColumn('height_before_anterior', real)
      .addColumn('height_before_middle', real)
      .addColumn('height_before_posterior', real)
      .addColumn('height_after_anterior', real)
      .addColumn('height_after_middle', real)
      .addColumn('height_after_posterior', real)
      // comma-separated: '' not recorded, 'none', or leak types
      .addColumn('leakage', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('leakage_symptomatic', 'integer', (c) => c.check(bool('leakage_symptomatic')))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addUniqueConstraint('procedure_levels_level', ['procedure_id', 'level'])
      .execute()
    await db.schema.createIndex('procedure_levels_patient').on('procedure_levels').columns(['patient_id', 'level']).execute()

    await withId(db.schema.createTable('procedure_recoveries'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().unique().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('supine_started_at', 'text')
      .addColumn('supine_ended_at', 'text')
      .addColumn('arrived_at', 'text')
      .addColumn('departed_at', 'text')
      .addColumn('baseline_pain', 'integer', (c) => c.check(sql`baseline_pain between 0 and 10`))
      // JSON: { itemKey: true|false } of the discharge-readiness checklist
      .addColumn('checklist', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()

    await withId(db.schema.createTable('observation_checks'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('checked_at', 'text', notNull)
      .addColumn('systolic', 'integer')
      .addColumn('diastolic', 'integer')
      .addColumn('heart_rate', 'integer')
      .addColumn('spo2', 'integer', (c) => c.check(sql`spo2 between 0 and 100`))
      .addColumn('pain', 'integer', (c) => c.check(sql`pain between 0 and 10`))
      .addColumn('leg_neuro', 'text', (c) => c.notNull().check(sql`leg_neuro in ('normal', 'abnormal')`))
      .addColumn('neuro_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recorded_at', 'text', notNull)
      .addColumn('recorded_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('error_at', 'text')
      .addColumn('error_by', 'integer', (c) => c.references('users.id'))
      .addColumn('error_reason', 'text', (c) => c.notNull().defaultTo(''))
      .execute()
    await db.schema.createIndex('observation_checks_procedure').on('observation_checks').columns(['procedure_id', 'checked_at']).execute()

    await withId(db.schema.createTable('stay_decisions'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().unique().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('disposition', 'text', (c) => c.notNull().check(sql`disposition in ('sameDay', 'overnight')`))
      // the night of an overnight stay (the procedure's date); null for a same-day discharge
      .addColumn('night', 'text')
      .addColumn('reasons', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('other_text', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('over_capacity', 'integer', (c) => c.notNull().defaultTo(0).check(bool('over_capacity')))
      .addColumn('decided_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('decided_at', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('stay_decisions_night').on('stay_decisions').columns(['night', 'disposition']).execute()

    await withId(db.schema.createTable('discharge_summaries'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('provider_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('medications', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('activity_guidelines', 'text', notNull)
      .addColumn('warning_signs', 'text', notNull)
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('discharge_summaries_procedure').on('discharge_summaries').column('procedure_id').execute()

    // The PDF made when the summary was signed: its bytes, their SHA-256 and the data it was made from.
    await withId(db.schema.createTable('discharge_pdfs'), engine)
      .addColumn('summary_id', 'integer', (c) => c.notNull().unique().references('discharge_summaries.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('data', 'text', notNull)
      .addColumn('pdf', bytes, notNull)
      .addColumn('sha256', 'text', notNull)
      .addColumn('created_at', 'text', notNull)
      .execute()

    await withId(db.schema.createTable('procedure_follow_ups'), engine)
      .addColumn('procedure_id', 'integer', (c) => c.notNull().references('procedures.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('label', 'text', notNull)
      .addColumn('target_date', 'text', notNull)
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('proposed').check(sql`status in ('proposed', 'booked', 'cancelled')`))
      .addColumn('appointment_id', 'integer')
      .addColumn('created_at', 'text', notNull)
      .addColumn('booked_at', 'text')
      .addColumn('booked_by', 'integer', (c) => c.references('users.id'))
      .addColumn('cancelled_at', 'text')
      .addColumn('cancel_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('procedure_follow_ups_status').on('procedure_follow_ups').columns(['status', 'target_date']).execute()
    await db.schema.createIndex('procedure_follow_ups_procedure').on('procedure_follow_ups').column('procedure_id').execute()

    await lockTriggers(db, engine)
  },
}

const CHECK_VALUES = 'procedure_id, patient_id, checked_at, systolic, diastolic, heart_rate, spo2, pain, leg_neuro, neuro_note, recorded_at, recorded_by'

/** Signed or entered-in-error procedure notes and discharge summaries cannot change; clinical rows are never deleted. */
async function lockTriggers(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') {
    const locked = (type: string, idExpr: string) =>
      `(EXISTS (SELECT 1 FROM signatures WHERE record_type = '${type}' AND record_id = ${idExpr})
       OR EXISTS (SELECT 1 FROM entered_in_error WHERE record_type = '${type}' AND record_id = ${idExpr}))`
    const raise = (what: string) => `SELECT RAISE(ABORT, 'the ${what} is signed or entered in error and cannot be changed')`
    const never = (t: string) => `CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END`
    const statements = [
      `CREATE TRIGGER procedures_locked BEFORE UPDATE ON procedures WHEN ${locked('procedure', 'OLD.id')} BEGIN ${raise('procedure note')}; END`,
      `CREATE TRIGGER procedure_levels_locked_insert BEFORE INSERT ON procedure_levels WHEN ${locked('procedure', 'NEW.procedure_id')} BEGIN ${raise('procedure note')}; END`,
      `CREATE TRIGGER procedure_levels_locked_update BEFORE UPDATE ON procedure_levels WHEN ${locked('procedure', 'OLD.procedure_id')} OR ${locked('procedure', 'NEW.procedure_id')} BEGIN ${raise('procedure note')}; END`,
      `CREATE TRIGGER procedure_levels_locked_delete BEFORE DELETE ON procedure_levels WHEN ${locked('procedure', 'OLD.procedure_id')} BEGIN ${raise('procedure note')}; END`,
      `CREATE TRIGGER discharge_summaries_locked BEFORE UPDATE ON discharge_summaries WHEN ${locked('dischargeSummary', 'OLD.id')} BEGIN ${raise('discharge summary')}; END`,
      `CREATE TRIGGER observation_checks_values BEFORE UPDATE OF ${CHECK_VALUES} ON observation_checks BEGIN SELECT RAISE(ABORT, 'a recorded check is never changed; mark it entered in error'); END`,
      `CREATE TRIGGER discharge_pdfs_no_update BEFORE UPDATE ON discharge_pdfs BEGIN SELECT RAISE(ABORT, 'discharge_pdfs rows are never changed'); END`,
      never('procedures'),
      never('discharge_summaries'),
      never('observation_checks'),
      never('stay_decisions'),
      never('procedure_recoveries'),
      never('discharge_pdfs'),
    ]
    for (const s of statements) await sql.raw(s).execute(db)
    return
  }
  await sql`CREATE FUNCTION signed_record_locked(rtype text, rid integer) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM signatures WHERE record_type = rtype AND record_id = rid)
        OR EXISTS (SELECT 1 FROM entered_in_error WHERE record_type = rtype AND record_id = rid) $$`.execute(db)
  await sql`CREATE FUNCTION procedure_lock_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE rid integer; rtype text; what text;
    BEGIN
      IF TG_OP = 'DELETE' AND TG_TABLE_NAME <> 'procedure_levels' THEN RAISE EXCEPTION 'clinical records are never deleted'; END IF;
      IF TG_TABLE_NAME = 'procedures' THEN rtype := 'procedure'; what := 'procedure note'; rid := OLD.id;
      ELSIF TG_TABLE_NAME = 'discharge_summaries' THEN rtype := 'dischargeSummary'; what := 'discharge summary'; rid := OLD.id;
      ELSIF TG_OP = 'INSERT' THEN rtype := 'procedure'; what := 'procedure note'; rid := NEW.procedure_id;
      ELSE rtype := 'procedure'; what := 'procedure note'; rid := OLD.procedure_id;
      END IF;
      IF signed_record_locked(rtype, rid) THEN
        RAISE EXCEPTION 'the % is signed or entered in error and cannot be changed', what;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$`.execute(db)
  await sql`CREATE TRIGGER procedures_locked BEFORE UPDATE OR DELETE ON procedures FOR EACH ROW EXECUTE FUNCTION procedure_lock_guard()`.execute(db)
  await sql`CREATE TRIGGER procedure_levels_locked BEFORE INSERT OR UPDATE OR DELETE ON procedure_levels FOR EACH ROW EXECUTE FUNCTION procedure_lock_guard()`.execute(db)
  await sql`CREATE TRIGGER discharge_summaries_locked BEFORE UPDATE OR DELETE ON discharge_summaries FOR EACH ROW EXECUTE FUNCTION procedure_lock_guard()`.execute(db)
  await sql`CREATE FUNCTION clinical_never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'clinical records are never deleted (%)', TG_TABLE_NAME; END $$`.execute(db)
  for (const t of ['observation_checks', 'stay_decisions', 'procedure_recoveries', 'discharge_pdfs']) {
    await sql.raw(`CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION clinical_never_deleted()`).execute(db)
  }
  await sql`CREATE FUNCTION observation_check_values() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'a recorded check is never changed; mark it entered in error'; END $$`.execute(db)
  await sql.raw(`CREATE TRIGGER observation_checks_values BEFORE UPDATE OF ${CHECK_VALUES} ON observation_checks FOR EACH ROW EXECUTE FUNCTION observation_check_values()`).execute(db)
  await sql`CREATE TRIGGER discharge_pdfs_no_update BEFORE UPDATE ON discharge_pdfs FOR EACH ROW EXECUTE FUNCTION clinical_never_deleted()`.execute(db)
}
