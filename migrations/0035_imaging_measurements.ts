import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 20 point 3: a vertebra measured on a stored image with the six standard points.
 *
 * One row per saved measurement, never updated: a second measurement of the same level is a new row, and the
 * finding shows the newest. It keeps everything needed to show the figure on the image it came from and to
 * recompute it: the instance, the six points in image pixels (JSON, as placed), the spacing used and where it
 * came from (Pixel Spacing in the patient, or Imager Pixel Spacing at the detector), the reference named on
 * screen (with the adjacent vertebrae's heights when that was the reference, JSON), and the figures the main
 * process computed from them (heights in mm, height loss, Genant grade, shape), who and when.
 * The finding is named by (consultation_id, level): a consultation's findings are rewritten as a list when the
 * note is saved, so a finding's row id does not last, its level does.
 */
export const m0035_imaging_measurements: Migration = {
  async up(db, engine) {
    const real = engine === 'postgres' ? 'double precision' : 'real'
    await withId(db.schema.createTable('imaging_measurements'), engine)
      .addColumn('instance_id', 'integer', (c) => c.notNull().references('imaging_instances.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('consultation_id', 'integer', (c) => c.notNull().references('consultations.id'))
      .addColumn('level', 'text', notNull)
      .addColumn('points', 'text', notNull)
      .addColumn('spacing_row', real, notNull)
      .addColumn('spacing_column', real, notNull)
      .addColumn('spacing_source', 'text', (c) => c.notNull().check(sql`spacing_source in ('patient', 'detector')`))
      .addColumn('reference', 'text', (c) => c.notNull().check(sql`reference in ('posterior', 'adjacent')`))
      .addColumn('reference_heights', 'text')
      .addColumn('reference_height_mm', real, notNull)
      .addColumn('anterior_mm', real, notNull)
      .addColumn('middle_mm', real, notNull)
      .addColumn('posterior_mm', real, notNull)
      .addColumn('height_loss_percent', real, notNull)
      .addColumn('genant_grade', 'integer', notNull)
      .addColumn('shape', 'text', (c) => c.notNull().check(sql`shape in ('normal', 'wedge', 'biconcave', 'crush')`))
      .addColumn('measured_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('measured_at', 'text', notNull)
      .execute()
    await db.schema.createIndex('imaging_measurements_consultation').on('imaging_measurements').columns(['consultation_id', 'level']).execute()
    await db.schema.createIndex('imaging_measurements_instance').on('imaging_measurements').column('instance_id').execute()
  },
}

