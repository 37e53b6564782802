/**
 * The Kysely types of migration 0030's tables (blobs, documents), added to the database's type by interface
 * merging, so that the shared electron/db/types.ts need not change for them.
 */
import type { Generated } from 'kysely'

/** 0030: one distinct content, keyed by its SHA-256 (lowercase hex). Never updated. */
export interface BlobsTable {
  sha256: string
  size: number
  /** a Buffer from both drivers (SQLite BLOB, PostgreSQL bytea) */
  bytes: Uint8Array
  created_at: string
}

/** 0030: a file on a patient's chart; never deleted (marked entered in error instead). */
export interface DocumentsTable {
  id: Generated<number>
  patient_id: number
  referral_id: number | null
  consultation_id: number | null
  procedure_id: number | null
  /** shared/schemas/documents.ts DOCUMENT_KINDS */
  kind: string
  title: string
  document_date: string
  file_name: string
  media_type: string
  sha256: string
  size: number
  created_at: string
  /** null: imported by `admin import document` (source 'import') */
  created_by: number | null
  /** 'app' | 'import' */
  source: Generated<string>
  entered_in_error_at: string | null
  entered_in_error_by: number | null
  entered_in_error_reason: string | null
  version: Generated<number>
}

declare module '../db/types' {
  interface DB {
    blobs: BlobsTable
    documents: DocumentsTable
  }
}
