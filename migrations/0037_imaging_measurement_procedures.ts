import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Issue 20 point 3, second half: a vertebra measured on an image can go into a procedure note's heights before or
 * after (procedure_levels.height_before_* / height_after_*) instead of a consultation's finding. The measurement row
 * (migration 0035) then names the procedure, and which heights: `procedure_id` and `procedure_heights` ('before' or
 * 'after'); the level is the row's `level`. A row names either a consultation or a procedure, never both or none
 * (CHECK), so `consultation_id` becomes nullable.
 *
 * PostgreSQL drops the NOT NULL in place. SQLite cannot alter a column's constraint, so the table is rebuilt the
 * way its manual describes (create the new shape, copy every row with its id, drop, rename, index again); nothing
 * references imaging_measurements, so the foreign-key checks that stay on during the migration are not disturbed.
 */
export const m0037_imaging_measurement_procedures: Migration = {
  async up(db, engine) {
    if (engine === 'postgres') {
      await sql`ALTER TABLE imaging_measurements ALTER COLUMN consultation_id DROP NOT NULL`.execute(db)
      await db.schema.alterTable('imaging_measurements').addColumn('procedure_id', 'integer', (c) => c.references('procedures.id')).execute()
      await db.schema
        .alterTable('imaging_measurements')
        .addColumn('procedure_heights', 'text', (c) => c.check(sql`procedure_heights in ('before', 'after')`))
        .execute()
      await sql`ALTER TABLE imaging_measurements ADD CONSTRAINT imaging_measurements_one_record CHECK ((consultation_id IS NULL) <> (procedure_id IS NULL) AND (procedure_id IS NULL) = (procedure_heights IS NULL))`.execute(db)
    } else {
      await sql`CREATE TABLE imaging_measurements_new (
        id integer PRIMARY KEY AUTOINCREMENT,
        instance_id integer NOT NULL REFERENCES imaging_instances (id),
        patient_id integer NOT NULL REFERENCES patients (id),
        consultation_id integer REFERENCES consultations (id),
        procedure_id integer REFERENCES procedures (id),
        procedure_heights text CHECK (procedure_heights in ('before', 'after')),
        level text NOT NULL,
        points text NOT NULL,
        spacing_row real NOT NULL,
        spacing_column real NOT NULL,
        spacing_source text NOT NULL CHECK (spacing_source in ('patient', 'detector')),
        reference text NOT NULL CHECK (reference in ('posterior', 'adjacent')),
        reference_heights text,
        reference_height_mm real NOT NULL,
        anterior_mm real NOT NULL,
        middle_mm real NOT NULL,
        posterior_mm real NOT NULL,
        height_loss_percent real NOT NULL,
        genant_grade integer NOT NULL,
        shape text NOT NULL CHECK (shape in ('normal', 'wedge', 'biconcave', 'crush')),
        measured_by integer NOT NULL REFERENCES users (id),
        measured_at text NOT NULL,
        CHECK ((consultation_id IS NULL) <> (procedure_id IS NULL) AND (procedure_id IS NULL) = (procedure_heights IS NULL))
      )`.execute(db)
      const columns = sql.raw(
        'id, instance_id, patient_id, consultation_id, level, points, spacing_row, spacing_column, spacing_source, reference, reference_heights, reference_height_mm, anterior_mm, middle_mm, posterior_mm, height_loss_percent, genant_grade, shape, measured_by, measured_at',
      )
      await sql`INSERT INTO imaging_measurements_new (${columns}) SELECT ${columns} FROM imaging_measurements`.execute(db)
      await sql`DROP TABLE imaging_measurements`.execute(db)
      await sql`ALTER TABLE imaging_measurements_new RENAME TO imaging_measurements`.execute(db)
      await db.schema.createIndex('imaging_measurements_consultation').on('imaging_measurements').columns(['consultation_id', 'level']).execute()
      await db.schema.createIndex('imaging_measurements_instance').on('imaging_measurements').column('instance_id').execute()
    }
    await db.schema.createIndex('imaging_measurements_procedure').on('imaging_measurements').columns(['procedure_id', 'level']).execute()
  },
}
