import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 20 point 1: the patient's imaging studies, imported from a CD, USB stick or folder.
 *
 * The pixel data: each DICOM file's bytes, whole and unchanged, in 0030's content-addressed `blobs` table, named
 * by SHA-256 from imaging_instances.sha256; on SQLite and on PostgreSQL alike. Whole files rather than pixels
 * alone, so that the viewer reads exactly what the imaging centre sent (transfer syntax, overlays, private tags)
 * and `verify` can prove it unchanged. In the database rather than in a folder beside it, so that a backup (one
 * SQLite file), a restore, `migrate-to-postgres` and `verify` carry the images with the rows that name them, and
 * every workstation of a PostgreSQL clinic sees them without a shared drive. A CD of 2 000 images is a few
 * hundred MB: the SQLite file grows by that, which the backup's copy handles (it streams the file); PostgreSQL's
 * bytea takes up to 1 GB per file, far above one image.
 *
 * imaging_studies: one per (patient, Study Instance UID). What the disc said about the patient is kept as it said
 *   it (patient_name_on_disc as DICOM's Family^Given, birth date, the imaging centre's patient id), because the
 *   import may have been confirmed against a chart whose name or birth date differed: identity_confirmed_by/at say
 *   who confirmed it and when (both null when the disc matched the chart). study_date YYYY-MM-DD or null;
 *   the modalities are the series' (not repeated here). imported_by null: the command line.
 * imaging_series: one per (study, Series Instance UID): modality, number, description, body part.
 * imaging_instances: one per (patient, SOP Instance UID): a second import of the same disc skips what is stored.
 *   The metadata the viewer and morphometry need without opening the file: rows, columns, frames, Pixel Spacing
 *   (0028,0030: in the patient) and Imager Pixel Spacing (0018,1164: at a radiograph's detector) as row and
 *   column mm (null when absent: such an image is refused by the measurements), the first window centre/width,
 *   instance number, slice location (pixel_rows, pixel_columns: not rows/columns, keywords in SQL); sha256 -> blobs, size.
 * Nothing here is updated or deleted by the app (a study imported to the wrong chart is for a later "entered in
 * error", as documents have).
 */
export const m0031_imaging: Migration = {
  async up(db, engine) {
    // PostgreSQL's real is single precision: 0.139 mm would come back as 0.13899999856948853
    const real = engine === 'postgres' ? 'double precision' : 'real'
    await withId(db.schema.createTable('imaging_studies'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('study_instance_uid', 'text', notNull)
      .addColumn('study_date', 'text')
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('accession_number', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('patient_name_on_disc', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('patient_birth_date_on_disc', 'text')
      .addColumn('patient_id_on_disc', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('identity_confirmed_by', 'integer', (c) => c.references('users.id'))
      .addColumn('identity_confirmed_at', 'text')
      .addColumn('imported_at', 'text', notNull)
      .addColumn('imported_by', 'integer', (c) => c.references('users.id'))
      .addUniqueConstraint('imaging_studies_patient_uid', ['patient_id', 'study_instance_uid'])
      .execute()
    await db.schema.createIndex('imaging_studies_patient').on('imaging_studies').columns(['patient_id', 'study_date']).execute()

    await withId(db.schema.createTable('imaging_series'), engine)
      .addColumn('study_id', 'integer', (c) => c.notNull().references('imaging_studies.id'))
      .addColumn('series_instance_uid', 'text', notNull)
      .addColumn('series_number', 'integer')
      .addColumn('modality', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('body_part', 'text', (c) => c.notNull().defaultTo(''))
      .addUniqueConstraint('imaging_series_study_uid', ['study_id', 'series_instance_uid'])
      .execute()

    await withId(db.schema.createTable('imaging_instances'), engine)
      .addColumn('series_id', 'integer', (c) => c.notNull().references('imaging_series.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('sop_instance_uid', 'text', notNull)
      .addColumn('sop_class_uid', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('instance_number', 'integer')
      .addColumn('pixel_rows', 'integer')
      .addColumn('pixel_columns', 'integer')
      .addColumn('frames', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('pixel_spacing_row', real)
      .addColumn('pixel_spacing_column', real)
      .addColumn('imager_spacing_row', real)
      .addColumn('imager_spacing_column', real)
      .addColumn('window_center', real)
      .addColumn('window_width', real)
      .addColumn('slice_location', real)
      .addColumn('transfer_syntax_uid', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
      .addColumn('size', 'integer', notNull)
      .addColumn('imported_at', 'text', notNull)
      .addUniqueConstraint('imaging_instances_patient_uid', ['patient_id', 'sop_instance_uid'])
      // a spacing is both values or neither; a recorded one is a real distance
      .addCheckConstraint('imaging_instances_pixel_spacing', sql`(pixel_spacing_row IS NULL) = (pixel_spacing_column IS NULL) AND (pixel_spacing_row IS NULL OR (pixel_spacing_row > 0 AND pixel_spacing_column > 0))`)
      .addCheckConstraint('imaging_instances_imager_spacing', sql`(imager_spacing_row IS NULL) = (imager_spacing_column IS NULL) AND (imager_spacing_row IS NULL OR (imager_spacing_row > 0 AND imager_spacing_column > 0))`)
      .execute()
    await db.schema.createIndex('imaging_instances_series').on('imaging_instances').columns(['series_id', 'instance_number']).execute()
    await db.schema.createIndex('imaging_instances_sha256').on('imaging_instances').column('sha256').execute()
  },
}
