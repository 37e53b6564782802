/**
 * The viewer's and the measurements' shapes (issue 20 points 2 and 3): one stored image's bytes for the viewer,
 * and a vertebra measured on an image with six points. One schema per shape, used by the screens and the router.
 */
import { z } from 'zod'
import { ConsultationView, Level } from './consultations'
import { Id, Version } from './common'
import { ProcedureView } from './procedures'

export const InstanceContentQuery = z.object({ instanceId: Id })

/** The DICOM file as it was imported, base64 (the development bridge speaks JSON). */
export const InstanceContent = z.object({ instanceId: z.number().int(), sopInstanceUid: z.string(), content: z.string() })
export type InstanceContent = z.infer<typeof InstanceContent>

/** A click on the image, in image pixels (x the column, y the row; fractions allowed). */
export const ImagePointInput = z.object({
  x: z.number({ message: 'must be a number of pixels' }).finite().min(-100_000).max(100_000),
  y: z.number({ message: 'must be a number of pixels' }).finite().min(-100_000).max(100_000),
})

export const SixPointsInput = z.object({
  superiorAnterior: ImagePointInput,
  superiorMiddle: ImagePointInput,
  superiorPosterior: ImagePointInput,
  inferiorAnterior: ImagePointInput,
  inferiorMiddle: ImagePointInput,
  inferiorPosterior: ImagePointInput,
})

export const HeightReferenceInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('posterior') }),
  z.object({
    kind: z.literal('adjacent'),
    posteriorHeightsMm: z.array(z.number().finite().positive({ message: 'must be a height in mm above 0' }).max(200)).min(1, { message: 'must name at least one adjacent vertebra' }).max(2),
  }),
])

/**
 * Save a measurement into a draft consultation's finding for `level`. Only the points travel: the main process
 * reads the image's spacing itself and computes the heights, loss, shape and grade again.
 */
export const SaveMeasurement = z.object({
  instanceId: Id,
  consultationId: Id,
  /** the consultation's version the screen read (a stale one is refused as any note change is) */
  version: Version,
  level: Level,
  points: SixPointsInput,
  reference: HeightReferenceInput,
})
export type SaveMeasurement = z.input<typeof SaveMeasurement>

/** Which of a procedure level's heights a measurement goes into. */
export const PROCEDURE_HEIGHTS = ['before', 'after'] as const
export type ProcedureHeights = (typeof PROCEDURE_HEIGHTS)[number]

/**
 * Save a measurement into a draft procedure note's heights before or after at a treated `level` (issue 20 point 3).
 * As for a finding, only the points travel: the main process computes the heights from the stored image's spacing.
 * A level that already has those heights is replaced only when `replace` says the physician was asked.
 */
export const SaveMeasurementToProcedure = z.object({
  instanceId: Id,
  procedureId: Id,
  /** the procedure note's version the screen read (a stale one is refused as any note change is) */
  version: Version,
  level: Level,
  heights: z.enum(PROCEDURE_HEIGHTS, { message: 'must be before or after' }),
  points: SixPointsInput,
  reference: HeightReferenceInput,
  replace: z.boolean({ message: 'must be yes or no' }).default(false),
})
export type SaveMeasurementToProcedure = z.input<typeof SaveMeasurementToProcedure>

export const MeasurementSummary = z.object({
  id: z.number().int(),
  instanceId: z.number().int(),
  studyId: z.number().int(),
  /** the consultation whose finding it went into, or null when it went into a procedure's heights */
  consultationId: z.number().int().nullable(),
  /** the procedure note whose heights `procedureHeights` at `level` it went into, or null */
  procedureId: z.number().int().nullable(),
  procedureHeights: z.enum(PROCEDURE_HEIGHTS).nullable(),
  level: Level,
  points: SixPointsInput,
  spacing: z.object({ row: z.number(), column: z.number() }),
  spacingSource: z.enum(['patient', 'detector']),
  reference: z.enum(['posterior', 'adjacent']),
  referenceHeightMm: z.number(),
  heightsMm: z.object({ anterior: z.number(), middle: z.number(), posterior: z.number() }),
  heightLossPercent: z.number(),
  genantGrade: z.number().int(),
  shape: z.enum(['normal', 'wedge', 'biconcave', 'crush']),
  measuredBy: z.string(),
  measuredAt: z.string(),
})
export type MeasurementSummary = z.infer<typeof MeasurementSummary>

export const MeasurementView = MeasurementSummary.extend({
  consultationId: z.number().int(),
  /** the consultation as it is now, with the finding written (the note's screen shows it without asking again) */
  consultation: ConsultationView,
})

export const ProcedureMeasurementView = MeasurementSummary.extend({
  procedureId: z.number().int(),
  procedureHeights: z.enum(PROCEDURE_HEIGHTS),
  /** the procedure note as it is now, with the heights written */
  procedure: ProcedureView,
})
export type ProcedureMeasurementView = z.infer<typeof ProcedureMeasurementView>
export type MeasurementView = z.infer<typeof MeasurementView>

export const PatientMeasurementsQuery = z.object({ patientId: Id })
/** The patient's measurements, newest first: the chart's findings link back to the image and points of theirs. */
export const PatientMeasurements = z.object({ measurements: z.array(MeasurementSummary) })
