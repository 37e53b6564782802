import { sql, type Kysely } from 'kysely'
import type { Engine, Migration } from './helpers'
import { notNull, withId } from './helpers'

const bool = (name: string) => sql.raw(`${name} in (0, 1)`)

/**
 * Consultation notes and what hangs off them: the patient's clinical history (columns on patients),
 * imaging findings per vertebra, conservative-care plans, candidacy decisions and the procedure requests
 * they create; and the reusable signing tables (signatures, addenda, entered in error) that procedure
 * notes and discharge summaries will use too. The database itself refuses to change a signed note.
 */
export const m0003_consultations: Migration = {
  async up(db, engine) {
    // Relevant clinical history on the patient record, versioned apart from the demographics so that
    // the front desk editing an address never conflicts with a physician editing allergies.
    const patientColumns: [string, 'text' | 'integer' | 'real', (c: any) => any][] = [
      ['allergies', 'text', (c) => c.notNull().defaultTo('')],
      ['allergy_cement', 'integer', (c) => c.notNull().defaultTo(0).check(bool('allergy_cement'))],
      ['allergy_contrast', 'integer', (c) => c.notNull().defaultTo(0).check(bool('allergy_contrast'))],
      ['anticoagulants', 'text', (c) => c.notNull().defaultTo('')],
      ['antiplatelets', 'text', (c) => c.notNull().defaultTo('')],
      ['osteoporosis', 'integer', (c) => c.check(bool('osteoporosis'))],
      ['steroid_use', 'integer', (c) => c.check(bool('steroid_use'))],
      ['prior_fractures', 'text', (c) => c.notNull().defaultTo('')],
      ['asa_class', 'integer', (c) => c.check(sql`asa_class between 1 and 6`)],
      ['dexa_t_score', 'real', (c) => c],
      ['dexa_date', 'text', (c) => c],
      ['history_version', 'integer', (c) => c.notNull().defaultTo(0)],
      ['history_updated_at', 'text', (c) => c],
      ['history_updated_by', 'integer', (c) => c.references('users.id')],
    ]
    for (const [name, type, build] of patientColumns) {
      await db.schema.alterTable('patients').addColumn(name, type === 'real' ? (engine === 'postgres' ? 'double precision' : 'real') : type, build).execute()
    }

    const real = engine === 'postgres' ? 'double precision' : 'real'

    await withId(db.schema.createTable('consultations'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      // The appointment the note was opened from; a foreign key is added once appointments exist on main.
      .addColumn('appointment_id', 'integer')
      .addColumn('provider_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('visit_date', 'text', notNull)
      .addColumn('chief_complaint', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('onset_date', 'text')
      .addColumn('mechanism', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('trauma', 'integer', (c) => c.check(bool('trauma')))
      .addColumn('history', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('medications', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('osteoporosis', 'integer', (c) => c.check(bool('osteoporosis')))
      .addColumn('steroid_use', 'integer', (c) => c.check(bool('steroid_use')))
      .addColumn('prior_fractures', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('asa_class', 'integer', (c) => c.check(sql`asa_class between 1 and 6`))
      .addColumn('t_score', real)
      .addColumn('t_score_date', 'text')
      .addColumn('hospitalized', 'integer', (c) => c.notNull().defaultTo(0).check(bool('hospitalized')))
      .addColumn('pain_nrs', 'integer', (c) => c.check(sql`pain_nrs between 0 and 10`))
      .addColumn('odi_answers', 'text')
      .addColumn('rmdq_answers', 'text')
      .addColumn('examination', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('assessment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('plan', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('bone_density_referred', 'integer', (c) => c.notNull().defaultTo(0).check(bool('bone_density_referred')))
      .addColumn('osteoporosis_education', 'integer', (c) => c.notNull().defaultTo(0).check(bool('osteoporosis_education')))
      .addColumn('decision', 'text', (c) => c.check(sql`decision in ('vertebroplasty', 'kyphoplasty', 'continueConservative', 'refer', 'notCandidate')`))
      .addColumn('decision_levels', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('decision_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('contraindications', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('override_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('consultations_patient').on('consultations').columns(['patient_id', 'visit_date']).execute()
    await db.schema.createIndex('consultations_appointment').on('consultations').column('appointment_id').execute()

    await withId(db.schema.createTable('consultation_findings'), engine)
      .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('level', 'text', notNull)
      .addColumn('modality', 'text', (c) => c.notNull().check(sql`modality in ('xray', 'mri', 'ct', 'boneScan')`))
      .addColumn('imaging_date', 'text', notNull)
      .addColumn('acuity', 'text', (c) => c.notNull().check(sql`acuity in ('acute', 'subacute', 'chronic', 'indeterminate')`))
      .addColumn('marrow_oedema', 'integer', (c) => c.check(bool('marrow_oedema')))
      .addColumn('height_loss_percent', real, (c) => c.check(sql`height_loss_percent between 0 and 100`))
      .addColumn('retropulsion', 'integer', (c) => c.notNull().defaultTo(0).check(bool('retropulsion')))
      .addColumn('canal_compromise', 'integer', (c) => c.notNull().defaultTo(0).check(bool('canal_compromise')))
      .addColumn('fracture_type', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addUniqueConstraint('consultation_findings_level', ['consultation_id', 'level'])
      .execute()
    await db.schema.createIndex('consultation_findings_patient').on('consultation_findings').columns(['patient_id', 'level']).execute()

    await withId(db.schema.createTable('conservative_care_plans'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('consultation_id', 'integer', (c) => c.notNull().unique().references('consultations.id'))
      .addColumn('provider_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('bracing', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('pain_medication', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('other_measures', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('start_date', 'text', notNull)
      .addColumn('reassessment_date', 'text', notNull)
      .addColumn('reassessment_appointment_id', 'integer')
      .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('improved', 'failed')`))
      .addColumn('outcome_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('outcome_at', 'text')
      .addColumn('outcome_by', 'integer', (c) => c.references('users.id'))
      .addColumn('outcome_consultation_id', 'integer', (c) => c.references('consultations.id'))
      .addColumn('created_at', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('conservative_care_due').on('conservative_care_plans').columns(['outcome', 'reassessment_date']).execute()
    await db.schema.createIndex('conservative_care_patient').on('conservative_care_plans').column('patient_id').execute()

    await withId(db.schema.createTable('procedure_requests'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('consultation_id', 'integer', (c) => c.notNull().unique().references('consultations.id'))
      .addColumn('provider_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('vertebroplasty', 'kyphoplasty')`))
      .addColumn('levels', 'text', notNull)
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'booked', 'cancelled')`))
      .addColumn('appointment_id', 'integer')
      .addColumn('created_at', 'text', notNull)
      .addColumn('booked_at', 'text')
      .addColumn('booked_by', 'integer', (c) => c.references('users.id'))
      .addColumn('cancelled_at', 'text')
      .addColumn('cancelled_by', 'integer', (c) => c.references('users.id'))
      .addColumn('cancel_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('procedure_requests_status').on('procedure_requests').columns(['status', 'created_at']).execute()

    // Signing, reusable by every signed clinical record: record_type names the table's kind of record.
    await withId(db.schema.createTable('signatures'), engine)
      .addColumn('record_type', 'text', notNull)
      .addColumn('record_id', 'integer', notNull)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('signed_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('signer_name', 'text', notNull)
      .addColumn('signed_at', 'text', notNull)
      .addColumn('content_hash', 'text', notNull)
      .addColumn('content', 'text', notNull)
      .addUniqueConstraint('signatures_record', ['record_type', 'record_id'])
      .execute()

    await withId(db.schema.createTable('addenda'), engine)
      .addColumn('record_type', 'text', notNull)
      .addColumn('record_id', 'integer', notNull)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('text', 'text', notNull)
      .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('author_name', 'text', notNull)
      .addColumn('signed_at', 'text', notNull)
      .addColumn('content_hash', 'text', notNull)
      .execute()
    await db.schema.createIndex('addenda_record').on('addenda').columns(['record_type', 'record_id']).execute()

    await withId(db.schema.createTable('entered_in_error'), engine)
      .addColumn('record_type', 'text', notNull)
      .addColumn('record_id', 'integer', notNull)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('marked_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('marker_name', 'text', notNull)
      .addColumn('marked_at', 'text', notNull)
      .addColumn('reason', 'text', notNull)
      .addUniqueConstraint('entered_in_error_record', ['record_type', 'record_id'])
      .execute()

    await lockTriggers(db, engine)
  },
}

/** The database refuses edits to a signed or entered-in-error note and its parts, and any change to the signing tables. */
async function lockTriggers(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine === 'sqlite') {
    const locked = (idExpr: string) =>
      `EXISTS (SELECT 1 FROM signatures WHERE record_type = 'consultation' AND record_id = ${idExpr})
       OR EXISTS (SELECT 1 FROM entered_in_error WHERE record_type = 'consultation' AND record_id = ${idExpr})`
    const raise = `SELECT RAISE(ABORT, 'the consultation note is signed or entered in error and cannot be changed')`
    const statements = [
      `CREATE TRIGGER consultations_locked BEFORE UPDATE ON consultations WHEN ${locked('OLD.id')} BEGIN ${raise}; END`,
      `CREATE TRIGGER consultations_no_delete BEFORE DELETE ON consultations BEGIN SELECT RAISE(ABORT, 'clinical records are never deleted'); END`,
      `CREATE TRIGGER findings_locked_insert BEFORE INSERT ON consultation_findings WHEN ${locked('NEW.consultation_id')} BEGIN ${raise}; END`,
      `CREATE TRIGGER findings_locked_update BEFORE UPDATE ON consultation_findings WHEN ${locked('OLD.consultation_id')} OR ${locked('NEW.consultation_id')} BEGIN ${raise}; END`,
      `CREATE TRIGGER findings_locked_delete BEFORE DELETE ON consultation_findings WHEN ${locked('OLD.consultation_id')} BEGIN ${raise}; END`,
      `CREATE TRIGGER care_locked_insert BEFORE INSERT ON conservative_care_plans WHEN ${locked('NEW.consultation_id')} BEGIN ${raise}; END`,
      `CREATE TRIGGER care_locked_update BEFORE UPDATE OF consultation_id, patient_id, provider_id, bracing, pain_medication, other_measures, start_date, reassessment_date
         ON conservative_care_plans WHEN ${locked('OLD.consultation_id')} BEGIN ${raise}; END`,
      `CREATE TRIGGER care_locked_delete BEFORE DELETE ON conservative_care_plans WHEN ${locked('OLD.consultation_id')} BEGIN ${raise}; END`,
    ]
    for (const t of ['signatures', 'addenda', 'entered_in_error']) {
      statements.push(`CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} rows are never changed'); END`)
      statements.push(`CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, '${t} rows are never deleted'); END`)
    }
    for (const s of statements) await sql.raw(s).execute(db)
    return
  }
  await sql`CREATE FUNCTION consultation_locked(cid integer) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM signatures WHERE record_type = 'consultation' AND record_id = cid)
        OR EXISTS (SELECT 1 FROM entered_in_error WHERE record_type = 'consultation' AND record_id = cid) $$`.execute(db)
  await sql`CREATE FUNCTION consultation_lock_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE cid integer;
    BEGIN
      IF TG_TABLE_NAME = 'consultations' THEN
        IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'clinical records are never deleted'; END IF;
        cid := OLD.id;
      ELSIF TG_OP = 'INSERT' THEN cid := NEW.consultation_id;
      ELSE cid := OLD.consultation_id;
      END IF;
      IF consultation_locked(cid) THEN
        RAISE EXCEPTION 'the consultation note is signed or entered in error and cannot be changed';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$`.execute(db)
  await sql`CREATE TRIGGER consultations_locked BEFORE UPDATE OR DELETE ON consultations FOR EACH ROW EXECUTE FUNCTION consultation_lock_guard()`.execute(db)
  await sql`CREATE TRIGGER findings_locked BEFORE INSERT OR UPDATE OR DELETE ON consultation_findings FOR EACH ROW EXECUTE FUNCTION consultation_lock_guard()`.execute(db)
  await sql`CREATE TRIGGER care_locked_change BEFORE INSERT OR DELETE ON conservative_care_plans FOR EACH ROW EXECUTE FUNCTION consultation_lock_guard()`.execute(db)
  await sql`CREATE TRIGGER care_locked_update BEFORE UPDATE OF consultation_id, patient_id, provider_id, bracing, pain_medication, other_measures, start_date, reassessment_date
    ON conservative_care_plans FOR EACH ROW EXECUTE FUNCTION consultation_lock_guard()`.execute(db)
  await sql`CREATE FUNCTION signing_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME; END $$`.execute(db)
  for (const t of ['signatures', 'addenda', 'entered_in_error']) {
    await sql.raw(`CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION signing_append_only()`).execute(db)
  }
}
