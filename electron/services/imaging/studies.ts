/**
 * A patient's imaging studies on the chart, and one study opened with its series and images (the metadata the
 * viewer and the measurements need; the pixels stay in the blob store until the viewer asks for an image).
 * Opening a study is audited, as opening any record of the chart is.
 */
import { AppError } from '../../../shared/result'
import type { StudySummary, StudyView } from '../../../shared/schemas/imaging'
import type { Tx } from '../../db/tx'
import type { ServiceContext } from '../context'
import { displayDicomName } from './identity'
import './imagingTables'

async function userNames(db: Tx, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))]
  if (wanted.length === 0) return new Map()
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, r.display_name]))
}

type StudyRow = {
  id: number
  patient_id: number
  study_instance_uid: string
  study_date: string | null
  description: string
  accession_number: string
  patient_name_on_disc: string
  patient_birth_date_on_disc: string | null
  identity_confirmed_by: number | null
  identity_confirmed_at: string | null
  imported_at: string
  imported_by: number | null
}

function summary(s: StudyRow, series: { modality: string; images: number }[], names: Map<number, string>): StudySummary {
  const who = (id: number | null) => (id === null ? 'admin command line' : (names.get(id) ?? `User #${id}`))
  return {
    id: s.id,
    studyInstanceUid: s.study_instance_uid,
    studyDate: s.study_date,
    modalities: [...new Set(series.map((x) => x.modality).filter((m) => m !== ''))],
    description: s.description,
    series: series.length,
    images: series.reduce((n, x) => n + x.images, 0),
    patientNameOnDisc: displayDicomName(s.patient_name_on_disc),
    identityConfirmedBy: s.identity_confirmed_at === null ? null : who(s.identity_confirmed_by),
    importedAt: s.imported_at,
    importedBy: who(s.imported_by),
  }
}

/** Each study's series with their image counts, in one query. */
async function seriesCounts(db: Tx, studyIds: number[]): Promise<Map<number, { id: number; modality: string; images: number }[]>> {
  const out = new Map<number, { id: number; modality: string; images: number }[]>()
  if (studyIds.length === 0) return out
  const rows = await db
    .selectFrom('imaging_series as s')
    .leftJoin('imaging_instances as i', 'i.series_id', 's.id')
    .select((eb) => ['s.id', 's.study_id', 's.modality', eb.fn.count<number>('i.id').as('images')])
    .where('s.study_id', 'in', studyIds)
    .groupBy(['s.id', 's.study_id', 's.modality'])
    .orderBy('s.id')
    .execute()
  for (const r of rows) {
    const list = out.get(r.study_id) ?? []
    list.push({ id: r.id, modality: r.modality, images: Number(r.images) })
    out.set(r.study_id, list)
  }
  return out
}

/** The patient's studies, newest study date first (undated ones last). */
export async function patientStudies(ctx: ServiceContext, input: { patientId: number }): Promise<{ studies: StudySummary[] }> {
  const rows = await ctx.db.selectFrom('imaging_studies').selectAll().where('patient_id', '=', input.patientId).execute()
  rows.sort((a, b) => (b.study_date ?? '').localeCompare(a.study_date ?? '') || b.id - a.id)
  const [series, names] = await Promise.all([seriesCounts(ctx.db, rows.map((r) => r.id)), userNames(ctx.db, rows.flatMap((r) => [r.imported_by, r.identity_confirmed_by]))])
  return { studies: rows.map((r) => summary(r, series.get(r.id) ?? [], names)) }
}

/** One study with its series and images, for the viewer. Audited as the opening of a record of the chart. */
export async function openStudy(ctx: ServiceContext, input: { studyId: number }): Promise<StudyView> {
  const s = await ctx.db.selectFrom('imaging_studies').selectAll().where('id', '=', input.studyId).executeTakeFirst()
  if (!s) throw new AppError('not_found', `There is no imaging study with id ${input.studyId}.`, { studyId: 'no such study' })
  const seriesRows = await ctx.db.selectFrom('imaging_series').selectAll().where('study_id', '=', s.id).orderBy('series_number').orderBy('id').execute()
  const instances = seriesRows.length
    ? await ctx.db
        .selectFrom('imaging_instances')
        .selectAll()
        .where(
          'series_id',
          'in',
          seriesRows.map((x) => x.id),
        )
        .orderBy('instance_number')
        .orderBy('id')
        .execute()
    : []
  const names = await userNames(ctx.db, [s.imported_by, s.identity_confirmed_by])
  const spacing = (row: number | null, column: number | null) => (row !== null && column !== null ? { row, column } : null)
  const seriesList = seriesRows.map((x) => ({
    id: x.id,
    seriesInstanceUid: x.series_instance_uid,
    seriesNumber: x.series_number,
    modality: x.modality,
    description: x.description,
    bodyPart: x.body_part,
    instances: instances
      .filter((i) => i.series_id === x.id)
      .map((i) => ({
        id: i.id,
        sopInstanceUid: i.sop_instance_uid,
        instanceNumber: i.instance_number,
        rows: i.pixel_rows,
        columns: i.pixel_columns,
        frames: i.frames,
        pixelSpacing: spacing(i.pixel_spacing_row, i.pixel_spacing_column),
        imagerPixelSpacing: spacing(i.imager_spacing_row, i.imager_spacing_column),
        windowCenter: i.window_center,
        windowWidth: i.window_width,
        sliceLocation: i.slice_location,
        sha256: i.sha256,
        size: Number(i.size),
      })),
  }))
  await ctx.audit({ action: 'imaging.study.open', entity: 'imaging_study', entityId: s.id, patientId: s.patient_id, details: { studyInstanceUid: s.study_instance_uid } })
  return {
    ...summary(s, seriesList.map((x) => ({ modality: x.modality, images: x.instances.length })), names),
    patientId: s.patient_id,
    patientBirthDateOnDisc: s.patient_birth_date_on_disc,
    accessionNumber: s.accession_number,
    seriesList,
  }
}
