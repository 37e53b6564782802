/**
 * The Kysely types of migration 0031's tables (imaging studies, series, instances), added to the database's type
 * by interface merging, so that the shared electron/db/types.ts need not change for them.
 */
import type { Generated } from 'kysely'

/** 0031: one per (patient, Study Instance UID). */
export interface ImagingStudiesTable {
  id: Generated<number>
  patient_id: number
  study_instance_uid: string
  /** YYYY-MM-DD, null when the disc does not say */
  study_date: string | null
  description: Generated<string>
  accession_number: Generated<string>
  /** DICOM's Family^Given as the disc spelled it */
  patient_name_on_disc: Generated<string>
  patient_birth_date_on_disc: string | null
  patient_id_on_disc: Generated<string>
  /** who confirmed a study whose patient differed from the chart's; null when it matched */
  identity_confirmed_by: number | null
  identity_confirmed_at: string | null
  imported_at: string
  /** null: the command line */
  imported_by: number | null
}

/** 0031: one per (study, Series Instance UID). */
export interface ImagingSeriesTable {
  id: Generated<number>
  study_id: number
  series_instance_uid: string
  series_number: number | null
  modality: Generated<string>
  description: Generated<string>
  body_part: Generated<string>
}

/** 0031: one per (patient, SOP Instance UID); the file's bytes in blobs. */
export interface ImagingInstancesTable {
  id: Generated<number>
  series_id: number
  patient_id: number
  sop_instance_uid: string
  sop_class_uid: Generated<string>
  instance_number: number | null
  pixel_rows: number | null
  pixel_columns: number | null
  frames: Generated<number>
  pixel_spacing_row: number | null
  pixel_spacing_column: number | null
  imager_spacing_row: number | null
  imager_spacing_column: number | null
  window_center: number | null
  window_width: number | null
  slice_location: number | null
  transfer_syntax_uid: Generated<string>
  sha256: string
  size: number
  imported_at: string
}

declare module '../../db/types' {
  interface DB {
    imaging_studies: ImagingStudiesTable
    imaging_series: ImagingSeriesTable
    imaging_instances: ImagingInstancesTable
  }
}
