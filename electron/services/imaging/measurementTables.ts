/** The Kysely type of migration 0035's table, merged into the database's type as imagingTables.ts does. */
import type { Generated } from 'kysely'

export interface ImagingMeasurementsTable {
  id: Generated<number>
  instance_id: number
  patient_id: number
  /** the consultation whose finding the measurement went into; null when it went into a procedure's heights (0037) */
  consultation_id: number | null
  /** migration 0037: the procedure note whose heights at `level` it went into, and which ones */
  procedure_id: number | null
  procedure_heights: 'before' | 'after' | null
  level: string
  /** JSON: the six points in image pixels, as placed */
  points: string
  spacing_row: number
  spacing_column: number
  spacing_source: 'patient' | 'detector'
  reference: 'posterior' | 'adjacent'
  /** JSON: the adjacent vertebrae's posterior heights (mm) when reference is 'adjacent', else null */
  reference_heights: string | null
  reference_height_mm: number
  anterior_mm: number
  middle_mm: number
  posterior_mm: number
  height_loss_percent: number
  genant_grade: number
  shape: 'normal' | 'wedge' | 'biconcave' | 'crush'
  measured_by: number
  measured_at: string
}

declare module '../../db/types' {
  interface DB {
    imaging_measurements: ImagingMeasurementsTable
  }
}
