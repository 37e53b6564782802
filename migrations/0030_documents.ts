import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 19 point 3: documents on the chart, and the content-addressed store their bytes live in.
 *
 * blobs: one row per distinct content, keyed by its SHA-256 (lowercase hex), with its size and the bytes
 *   (electron/services/blobStore.ts). Shared: documents use it, and so do the imaging (DICOM instances) and
 *   letters (PDFs) parts. Never updated; `verify` re-hashes every row and names the one whose bytes changed.
 *   The bytes are kept IN the database, not in files beside it, so that backups (one SQLite file), restore,
 *   `migrate-to-postgres` (which copies tables) and `verify` cover them with nothing else to keep in step.
 *   PostgreSQL: a bytea column of this table is the clinic's "large-object table". PostgreSQL's own large
 *   objects (pg_largeobject, lo_import) were not used: they live outside the tables, so a dump of the tables
 *   (pg_dump -t, the administrator's per-table copies) leaves them behind, migrate-to-postgres (which copies
 *   tables row by row) cannot carry them, and a row referring to one by OID has no foreign key to it. A document
 *   is at most the size limit (default 50 MB), far below bytea's 1 GB.
 *
 * documents: a file attached to a patient, optionally to one of their referrals, consultations or procedures:
 *   kind (referralLetter, imagingReport, labResult, consentForm, correspondence, other), title, document_date
 *   (the date the document bears, a calendar date), file_name as it was given, media_type as the service
 *   sniffed it from the content (never as the file's name claims), sha256 -> blobs, size, created_at/by, source
 *   ('app', or 'import' by `admin import document`, which has no signed-in user: created_by null, and its audit
 *   row says admin-cli).
 *   Never deleted: a wrong one is marked entered in error (entered_in_error_at/by/reason, all or none).
 *   version: optimistic concurrency, as every editable row.
 */
export const m0030_documents: Migration = {
  async up(db, engine) {
    await db.schema
      .createTable('blobs')
      .addColumn('sha256', 'text', (c) => c.primaryKey().check(sql`length(sha256) = 64`))
      .addColumn('size', 'integer', notNull)
      .addColumn('bytes', engine === 'postgres' ? 'bytea' : 'blob', notNull)
      .addColumn('created_at', 'text', notNull)
      .execute()

    await withId(db.schema.createTable('documents'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('referral_id', 'integer', (c) => c.references('referrals.id'))
      .addColumn('consultation_id', 'integer', (c) => c.references('consultations.id'))
      .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('referralLetter', 'imagingReport', 'labResult', 'consentForm', 'correspondence', 'other')`),
      )
      .addColumn('title', 'text', notNull)
      .addColumn('document_date', 'text', notNull)
      .addColumn('file_name', 'text', notNull)
      .addColumn('media_type', 'text', notNull)
      .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
      .addColumn('size', 'integer', notNull)
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.references('users.id'))
      .addColumn('source', 'text', (c) => c.notNull().defaultTo('app').check(sql`source in ('app', 'import')`))
      .addColumn('entered_in_error_at', 'text')
      .addColumn('entered_in_error_by', 'integer', (c) => c.references('users.id'))
      .addColumn('entered_in_error_reason', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addCheckConstraint('documents_author', sql`created_by IS NOT NULL OR source = 'import'`)
      // marked entered in error says who, when and why; an unmarked one says none of these
      .addCheckConstraint(
        'documents_entered_in_error',
        sql`(entered_in_error_at IS NULL AND entered_in_error_by IS NULL AND entered_in_error_reason IS NULL) OR (entered_in_error_at IS NOT NULL AND entered_in_error_by IS NOT NULL AND entered_in_error_reason <> '')`,
      )
      .execute()
    await db.schema.createIndex('documents_patient').on('documents').columns(['patient_id', 'document_date']).execute()
    await db.schema.createIndex('documents_sha256').on('documents').column('sha256').execute()
    await db.schema.createIndex('documents_referral').on('documents').column('referral_id').execute()
  },
}
