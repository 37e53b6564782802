/**
 * Vertebral morphometry saved into a consultation's finding (issue 20 point 3; a procedure's heights before or after
 * are measurementsProcedure.ts's, on the same helpers). The screen sends only where the
 * physician clicked; the spacing comes from the stored image and every figure is computed here again with
 * shared/clinical/morphometry.ts, so a figure on the note is always the one its points give.
 *
 * The finding for the level gets the height loss and the shape (its Genant grade is derived from the loss, as for
 * a typed one); a level without a finding gets one, from the image's modality and the study's date, acuity
 * 'indeterminate' (the image alone does not tell it). The note must be a draft its provider may change, at the
 * version the screen read: beginNoteChange refuses a signed note ('locked'), another provider's, a stale version.
 */
import { UncalibratedImageError, measurementSpacing, vertebralMorphometry, type HeightReference, type Morphometry, type SixPoints } from '../../../shared/clinical/morphometry'
import { AppError } from '../../../shared/result'
import { FindingFields, type MODALITIES } from '../../../shared/schemas/consultations'
import type { MeasurementSummary, MeasurementView, SaveMeasurement } from '../../../shared/schemas/imagingViewer'
import { nowIso, requireActor, type ServiceContext } from '../context'
import { beginNoteChange, loadFindings } from '../consultations/rows'
import { writeFindings } from '../consultations/findings'
import { buildView } from '../consultations/view'
import { clinicToday } from '../records/today'
import './imagingTables'
import './measurementTables'

type Input = Omit<SaveMeasurement, 'reference'> & { reference: HeightReference }

/** DICOM modality -> the finding's modality (a radiograph's many codes are all X-ray to the note). */
function findingModality(dicom: string): (typeof MODALITIES)[number] {
  if (dicom === 'MR') return 'mri'
  if (dicom === 'CT') return 'ct'
  if (dicom === 'NM') return 'boneScan'
  return 'xray'
}

/** The stored image the points were placed on, its calibrated spacing, and the figures the points give there. */
export async function measureOnImage(ctx: ServiceContext, input: Pick<Input, 'instanceId' | 'points' | 'reference'>) {
  const image = await ctx.db
    .selectFrom('imaging_instances as i')
    .innerJoin('imaging_series as s', 's.id', 'i.series_id')
    .innerJoin('imaging_studies as st', 'st.id', 's.study_id')
    .select(['i.id', 'i.patient_id', 'i.pixel_spacing_row', 'i.pixel_spacing_column', 'i.imager_spacing_row', 'i.imager_spacing_column', 's.modality', 'st.id as study_id', 'st.study_date'])
    .where('i.id', '=', input.instanceId)
    .executeTakeFirst()
  if (!image) throw new AppError('not_found', `There is no stored image with id ${input.instanceId}.`, { instanceId: 'no such image' })
  const pair = (row: number | null, column: number | null) => (row !== null && column !== null ? { row, column } : null)
  const calibrated = measurementSpacing({ pixelSpacing: pair(image.pixel_spacing_row, image.pixel_spacing_column), imagerPixelSpacing: pair(image.imager_spacing_row, image.imager_spacing_column) })
  if (!calibrated) {
    const refusal = new UncalibratedImageError('neither Pixel Spacing nor Imager Pixel Spacing in the file')
    throw new AppError('invalid_input', refusal.message, { instanceId: 'has no calibrated pixel spacing' })
  }
  let figures: Morphometry
  try {
    figures = vertebralMorphometry(input.points as SixPoints, calibrated.spacing, input.reference)
  } catch (e) {
    if (e instanceof RangeError) throw new AppError('invalid_input', `These points cannot be measured: ${e.message}.`, { points: e.message })
    throw e
  }
  return { image, calibrated, figures }
}

export type MeasuredImage = Awaited<ReturnType<typeof measureOnImage>>

/** The measurement's row (never updated), into a consultation's finding or a procedure's heights; its id. */
export async function storeMeasurement(
  ctx: ServiceContext,
  m: MeasuredImage,
  input: Pick<Input, 'points' | 'reference' | 'level'>,
  into: { consultationId: number } | { procedureId: number; heights: 'before' | 'after' },
): Promise<{ id: number; measuredAt: string }> {
  const actor = requireActor(ctx)
  const { image, calibrated, figures } = m
  const measuredAt = nowIso(ctx)
  const row = await ctx.db
    .insertInto('imaging_measurements')
    .values({
      instance_id: image.id,
      patient_id: image.patient_id,
      consultation_id: 'consultationId' in into ? into.consultationId : null,
      procedure_id: 'procedureId' in into ? into.procedureId : null,
      procedure_heights: 'procedureId' in into ? into.heights : null,
      level: input.level,
      points: JSON.stringify(input.points),
      spacing_row: calibrated.spacing.row,
      spacing_column: calibrated.spacing.column,
      spacing_source: calibrated.source,
      reference: input.reference.kind,
      reference_heights: input.reference.kind === 'adjacent' ? JSON.stringify(input.reference.posteriorHeightsMm) : null,
      reference_height_mm: figures.referenceHeightMm,
      anterior_mm: figures.heightsMm.anterior,
      middle_mm: figures.heightsMm.middle,
      posterior_mm: figures.heightsMm.posterior,
      height_loss_percent: figures.heightLossPercent,
      genant_grade: figures.grade,
      shape: figures.shape,
      measured_by: actor.id,
      measured_at: measuredAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, measuredAt }
}

/** What every saved measurement answers with, beside the note it went into. */
export function measurementSummaryOf(ctx: ServiceContext, m: MeasuredImage, input: Pick<Input, 'points' | 'reference' | 'level'>, stored: { id: number; measuredAt: string }) {
  const { image, calibrated, figures } = m
  return {
    id: stored.id,
    instanceId: image.id,
    studyId: image.study_id,
    level: input.level as MeasurementView['level'],
    points: input.points,
    spacing: calibrated.spacing,
    spacingSource: calibrated.source,
    reference: input.reference.kind,
    referenceHeightMm: figures.referenceHeightMm,
    heightsMm: figures.heightsMm,
    heightLossPercent: figures.heightLossPercent,
    genantGrade: figures.grade,
    shape: figures.shape,
    measuredBy: requireActor(ctx).displayName,
    measuredAt: stored.measuredAt,
  }
}

export async function saveMeasurement(ctx: ServiceContext, input: Input): Promise<MeasurementView> {
  const onImage = await measureOnImage(ctx, input)
  const { image, figures } = onImage
  const consultation = await ctx.db.selectFrom('consultations').select(['id', 'patient_id']).where('id', '=', input.consultationId).executeTakeFirst()
  if (!consultation) throw new AppError('not_found', `There is no consultation with id ${input.consultationId}.`, { consultationId: 'no such consultation' })
  if (consultation.patient_id !== image.patient_id) throw new AppError('invalid_input', "This image is another patient's: it cannot be measured into this consultation.", { consultationId: "is another patient's" })
  const note = await beginNoteChange(ctx, input.consultationId, input.version, 'consultationId')

  const findings: FindingFields[] = (await loadFindings(ctx.db, note.id)).map(({ id: _id, genantGrade: _grade, ...f }) => f)
  const measured = { heightLossPercent: figures.heightLossPercent, fractureType: figures.shape === 'normal' ? ('' as const) : figures.shape }
  const at = findings.findIndex((f) => f.level === input.level)
  if (at >= 0) findings[at] = { ...findings[at]!, ...measured }
  else {
    findings.push(
      FindingFields.parse({
        level: input.level,
        modality: findingModality(image.modality),
        imagingDate: image.study_date ?? (await clinicToday(ctx)),
        acuity: 'indeterminate',
        ...measured,
      }),
    )
  }
  await writeFindings(ctx, note, findings)
  const stored = await storeMeasurement(ctx, onImage, input, { consultationId: note.id })
  await ctx.audit({
    action: 'imaging.measurement.save',
    entity: 'imaging_measurement',
    entityId: stored.id,
    patientId: image.patient_id,
    details: { instanceId: image.id, consultationId: note.id, level: input.level, heightLossPercent: figures.heightLossPercent, grade: figures.grade },
  })
  return {
    ...measurementSummaryOf(ctx, onImage, input, stored),
    consultationId: note.id,
    procedureId: null,
    procedureHeights: null,
    consultation: await buildView(ctx.db, note.id),
  }
}

/** The patient's measurements, newest first, with the study each image belongs to and who measured. */
export async function patientMeasurements(ctx: ServiceContext, input: { patientId: number }): Promise<{ measurements: MeasurementSummary[] }> {
  const rows = await ctx.db
    .selectFrom('imaging_measurements as m')
    .innerJoin('imaging_instances as i', 'i.id', 'm.instance_id')
    .innerJoin('imaging_series as s', 's.id', 'i.series_id')
    .innerJoin('users as u', 'u.id', 'm.measured_by')
    .selectAll('m')
    .select(['s.study_id', 'u.display_name'])
    .where('m.patient_id', '=', input.patientId)
    .orderBy('m.measured_at', 'desc')
    .orderBy('m.id', 'desc')
    .execute()
  return {
    measurements: rows.map((r) => ({
      id: r.id,
      instanceId: r.instance_id,
      studyId: r.study_id,
      consultationId: r.consultation_id,
      procedureId: r.procedure_id,
      procedureHeights: r.procedure_heights,
      level: r.level as MeasurementSummary['level'],
      points: JSON.parse(r.points) as MeasurementSummary['points'],
      spacing: { row: r.spacing_row, column: r.spacing_column },
      spacingSource: r.spacing_source,
      reference: r.reference,
      referenceHeightMm: r.reference_height_mm,
      heightsMm: { anterior: r.anterior_mm, middle: r.middle_mm, posterior: r.posterior_mm },
      heightLossPercent: r.height_loss_percent,
      genantGrade: r.genant_grade,
      shape: r.shape,
      measuredBy: r.display_name,
      measuredAt: r.measured_at,
    })),
  }
}
