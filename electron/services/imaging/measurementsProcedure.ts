/**
 * A vertebra measured on an image saved as a procedure note's heights before or after at a treated level (issue 20
 * point 3: "or the procedure's before/after heights"). As for a finding, only the points come from the screen: the
 * heights are computed here from the stored image's spacing (measurements.ts measureOnImage).
 *
 * The heights go in through the procedure note's own save (saveProcedure: editable draft, its physician, the version
 * the screen read, its audit row), with every other field and level as stored. A level that already has those
 * heights is replaced only when the physician was asked (`replace`); the audit row of the measurement keeps the
 * heights it replaced, so nothing recorded is lost without trace.
 */
import type { HeightReference } from '../../../shared/clinical/morphometry'
import { describeFields } from '../../../shared/fieldNames'
import { AppError } from '../../../shared/result'
import type { ProcedureMeasurementView, SaveMeasurementToProcedure } from '../../../shared/schemas/imagingViewer'
import { WallHeightsSchema, type LevelFields } from '../../../shared/schemas/procedures'
import type { ServiceContext } from '../context'
import { buildView, saveProcedure } from '../procedures/note'
import { loadLevels, loadProcedure, procedureRef, toFields } from '../procedures/rows'
import { assertEditable } from '../signing'
import { measureOnImage, measurementSummaryOf, storeMeasurement } from './measurements'

type Input = Omit<SaveMeasurementToProcedure, 'reference' | 'replace'> & { reference: HeightReference; replace: boolean }

const mm = (h: { anterior: number; middle: number; posterior: number }) => `anterior ${h.anterior}, middle ${h.middle}, posterior ${h.posterior} mm`

export async function saveMeasurementToProcedure(ctx: ServiceContext, input: Input): Promise<ProcedureMeasurementView> {
  const onImage = await measureOnImage(ctx, input)
  const { image, figures } = onImage

  const row = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  if (row.patient_id !== image.patient_id) throw new AppError('invalid_input', "This image is another patient's: it cannot be measured into this procedure note.", { procedureId: "is another patient's" })
  // a signed note (or one entered in error) is refused before anything else is looked at, with its own sentence
  await assertEditable(ctx.db, procedureRef(row))

  const levels = await loadLevels(ctx.db, row.id)
  const at = levels.findIndex((l) => l.level === input.level)
  if (at < 0) {
    const treated = levels.map((l) => l.level)
    const fields = { level: `${input.level} is not ${treated.length ? `one of the levels treated in this procedure note (${treated.join(', ')})` : 'treated in this procedure note: it lists no level yet'}` }
    throw new AppError('invalid_input', describeFields(fields), fields)
  }
  const key = input.heights === 'before' ? 'heightBefore' : 'heightAfter'
  const previous = levels[at]![key]
  if (previous && !input.replace) {
    throw new AppError('conflict', `${input.level} already has heights ${input.heights} (${mm(previous)}). Confirm to replace them with the measured heights.`, { replace: `${input.level} already has heights ${input.heights}` })
  }
  const checked = WallHeightsSchema.safeParse(figures.heightsMm)
  if (!checked.success) {
    const problem = `the measured heights (${mm(figures.heightsMm)}) must each be above 0 and at most 80 mm`
    throw new AppError('invalid_input', `These points cannot be saved as heights: ${problem}.`, { points: problem })
  }

  const next: LevelFields[] = levels.map(({ id: _id, position: _p, ...l }, i) => (i === at ? { ...l, [key]: checked.data } : l))
  await saveProcedure(ctx, { id: row.id, version: input.version, fields: toFields(row), levels: next })

  const stored = await storeMeasurement(ctx, onImage, input, { procedureId: row.id, heights: input.heights })
  await ctx.audit({
    action: 'imaging.measurement.saveToProcedure',
    entity: 'imaging_measurement',
    entityId: stored.id,
    patientId: image.patient_id,
    details: { instanceId: image.id, procedureId: row.id, level: input.level, heights: input.heights, replaced: previous, measured: figures.heightsMm },
  })
  return {
    ...measurementSummaryOf(ctx, onImage, input, stored),
    consultationId: null,
    procedureId: row.id,
    procedureHeights: input.heights,
    procedure: await buildView(ctx.db, row.id),
  }
}
