/** Loading a procedure note and its levels, and the checks every change to a note goes through. */
import { ageOn } from '../../../shared/clinical/dates'
import { CPT_DESCRIPTIONS, deriveCptCodes } from '../../../shared/clinical/cpt'
import { heightRestoration } from '../../../shared/clinical/height'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { AppError } from '../../../shared/result'
import type { BiopsyResultView, CptView, LevelFields, ProcedureFields, ProcedureView } from '../../../shared/schemas/procedures'
import { STORED_LEAKAGE_VALUES } from '../../../shared/schemas/procedures'
import type { Tx } from '../../db/tx'
import type { PatientRow, ProcedureLevelRow, ProcedureRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { clinicDateTimeText } from '../clinicTime'
import { nowIso, requireActor } from '../context'
import { assertEditable, type RecordRef } from '../signing'
import { userName } from '../consultations/rows'
import { isEnteredInError } from '../records/enteredInError'
import { assertVersion, assertWritten, nextVersion } from '../records/versions'
import { describeFields } from '../../../shared/fieldNames'

export { userName }

export const NOTE_LABEL = 'procedure note'

const bool = (v: number | null): boolean | null => (v === null ? null : v === 1)
const bit = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0)
const json = <T>(text: string, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback)

export async function loadProcedure(db: Tx, id: number, field = 'id'): Promise<ProcedureRow> {
  const row = await db.selectFrom('procedures').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no procedure note with id ${id}.`, { [field]: 'no such procedure note' })
  return row
}

export const procedureRef = (row: Pick<ProcedureRow, 'id' | 'patient_id'>): RecordRef => ({ type: 'procedure', id: row.id, patientId: row.patient_id, label: NOTE_LABEL })

/** The note is entered in error: nothing more hangs off it (recovery, stay, discharge). */
export async function procedureInError(db: Tx, id: number): Promise<boolean> {
  return isEnteredInError(db, 'procedure', id)
}

export async function assertProcedureOpen(db: Tx, row: ProcedureRow): Promise<void> {
  if (await procedureInError(db, row.id)) throw new AppError('locked', `The procedure note of ${row.procedure_date} was entered in error; nothing more can be recorded on it.`)
}

/**
 * Before any change to a note or its levels: the note is an editable draft, the caller is its physician,
 * and the version they read is current. Bumps the version.
 */
export async function beginNoteChange(ctx: ServiceContext, id: number, version: number): Promise<ProcedureRow> {
  const actor = requireActor(ctx)
  const row = await loadProcedure(ctx.db, id)
  await assertEditable(ctx.db, procedureRef(row))
  if (row.provider_id !== actor.id) {
    throw new AppError('forbidden', `Only ${await userName(ctx.db, row.provider_id)}, who performed this procedure, can change its note; add an addendum once it is signed.`)
  }
  await assertVersion(
    row.version,
    version,
    async () => `This procedure note was changed (${await clinicDateTimeText(ctx.db, row.updated_at)}) since you opened it. Your changes were not saved; reload to see the current note.`,
  )
  const updated = await ctx.db
    .updateTable('procedures')
    .set({ version: nextVersion(row.version), updated_at: nowIso(ctx), updated_by: actor.id })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
  return assertWritten(updated, 'This procedure note was changed by someone else a moment ago. Reload it.')
}

export function toFields(r: ProcedureRow): ProcedureFields {
  return {
    kind: r.kind as ProcedureFields['kind'],
    procedureDate: r.procedure_date,
    anaesthesia: r.anaesthesia as ProcedureFields['anaesthesia'],
    anaesthesiaNote: r.anaesthesia_note,
    position: r.patient_position as ProcedureFields['position'],
    imagingGuidance: r.imaging_guidance as ProcedureFields['imagingGuidance'],
    fluoroscopySeconds: r.fluoroscopy_seconds,
    doseAirKermaMgy: r.dose_air_kerma_mgy,
    doseDapMgyCm2: r.dose_dap_mgycm2,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    intraComplications: json(r.intra_complications, []),
    intraComplicationsNote: r.intra_complications_note,
    postComplications: json(r.post_complications, []),
    postComplicationsNote: r.post_complications_note,
    narrative: r.narrative,
    diagnoses: json(r.diagnoses, []),
  }
}

export function fieldColumns(f: ProcedureFields) {
  return {
    kind: f.kind,
    procedure_date: f.procedureDate,
    anaesthesia: f.anaesthesia,
    anaesthesia_note: f.anaesthesiaNote,
    patient_position: f.position,
    imaging_guidance: f.imagingGuidance,
    fluoroscopy_seconds: f.fluoroscopySeconds,
    dose_air_kerma_mgy: f.doseAirKermaMgy,
    dose_dap_mgycm2: f.doseDapMgyCm2,
    started_at: f.startedAt,
    ended_at: f.endedAt,
    intra_complications: JSON.stringify(f.intraComplications),
    intra_complications_note: f.intraComplicationsNote,
    post_complications: JSON.stringify(f.postComplications),
    post_complications_note: f.postComplicationsNote,
    narrative: f.narrative,
    diagnoses: JSON.stringify(f.diagnoses),
  }
}

type Heights = LevelFields['heightBefore']

function heights(a: number | null, m: number | null, p: number | null): Heights {
  return a === null || m === null || p === null ? null : { anterior: a, middle: m, posterior: p }
}

export function toLevelFields(r: ProcedureLevelRow): LevelFields {
  return {
    level: r.level as VertebralLevel,
    approach: r.approach as LevelFields['approach'],
    needleGauge: r.needle_gauge,
    balloonVolumeMl: r.balloon_volume_ml,
    balloonPressurePsi: r.balloon_pressure_psi,
    cementType: r.cement_type,
    cementVolumeMl: r.cement_volume_ml,
    heightBefore: heights(r.height_before_anterior, r.height_before_middle, r.height_before_posterior),
    heightAfter: heights(r.height_after_anterior, r.height_after_middle, r.height_after_posterior),
    // old values (the classification before migration 0022) are read as stored: a signed note is never rewritten
    leakage: r.leakage === '' ? [] : (r.leakage.split(',').filter((l) => (STORED_LEAKAGE_VALUES as readonly string[]).includes(l)) as LevelFields['leakage']),
    leakageSymptomatic: bool(r.leakage_symptomatic),
    notes: r.notes,
    cementLot: r.cement_lot,
    deviceIds: r.device_ids,
    kyphoticAngleAfter: r.kyphotic_angle_after,
    biopsyTaken: bool(r.biopsy_taken),
  }
}

export function levelColumns(l: LevelFields) {
  return {
    level: l.level,
    approach: l.approach,
    needle_gauge: l.needleGauge,
    balloon_volume_ml: l.balloonVolumeMl,
    balloon_pressure_psi: l.balloonPressurePsi,
    cement_type: l.cementType,
    cement_volume_ml: l.cementVolumeMl,
    height_before_anterior: l.heightBefore?.anterior ?? null,
    height_before_middle: l.heightBefore?.middle ?? null,
    height_before_posterior: l.heightBefore?.posterior ?? null,
    height_after_anterior: l.heightAfter?.anterior ?? null,
    height_after_middle: l.heightAfter?.middle ?? null,
    height_after_posterior: l.heightAfter?.posterior ?? null,
    leakage: l.leakage.join(','),
    leakage_symptomatic: bit(l.leakageSymptomatic),
    notes: l.notes,
    cement_lot: l.cementLot,
    device_ids: l.deviceIds,
    kyphotic_angle_after: l.kyphoticAngleAfter,
    biopsy_taken: bit(l.biopsyTaken),
  }
}

/** The levels in the order they were treated. */
export async function loadLevels(db: Tx, procedureId: number): Promise<(LevelFields & { id: number; position: number })[]> {
  const rows = await db.selectFrom('procedure_levels').selectAll().where('procedure_id', '=', procedureId).orderBy('treated_order').orderBy('id').execute()
  return rows.map((r) => ({ ...toLevelFields(r), id: r.id, position: r.treated_order }))
}

/** A note's biopsy results (electron/services/procedures/biopsy.ts), oldest first. */
export async function biopsyResultsOf(db: Tx, procedureId: number): Promise<BiopsyResultView[]> {
  const rows = await db
    .selectFrom('procedure_biopsy_results as b')
    .innerJoin('users as u', 'u.id', 'b.recorded_by')
    .select(['b.id', 'b.level', 'b.result', 'b.text', 'b.recorded_at', 'u.display_name'])
    .where('b.procedure_id', '=', procedureId)
    .orderBy('b.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    level: r.level as BiopsyResultView['level'],
    result: r.result as BiopsyResultView['result'],
    text: r.text,
    recordedAt: r.recorded_at,
    recordedBy: r.display_name,
  }))
}

/** The kyphotic angle the consultation behind the note's procedure request measured (the angle before). */
export async function angleBefore(db: Tx, consultationId: number | null | undefined): Promise<number | null> {
  if (!consultationId) return null
  const c = await db.selectFrom('consultations').select('kyphotic_angle').where('id', '=', consultationId).executeTakeFirst()
  return c?.kyphotic_angle ?? null
}

export function cptView(kind: ProcedureFields['kind'], levelsInOrder: readonly VertebralLevel[]): CptView {
  const d = deriveCptCodes(kind, levelsInOrder)
  return {
    lines: d.lines.map((l) => ({ ...l, description: CPT_DESCRIPTIONS[l.code] ?? '' })),
    summary: d.summary.map((s) => ({ ...s, description: CPT_DESCRIPTIONS[s.code] ?? '' })),
    problems: d.problems,
  }
}

export const round1 = (n: number) => Math.round(n * 10) / 10

export function totalCement(levels: readonly Pick<LevelFields, 'cementVolumeMl'>[]): number {
  return round1(levels.reduce((s, l) => s + (l.cementVolumeMl ?? 0), 0))
}

export function restorationOf(l: Pick<LevelFields, 'heightBefore' | 'heightAfter'>): NonNullable<ProcedureView['levels'][number]['heightRestoration']> | null {
  return l.heightBefore && l.heightAfter ? heightRestoration(l.heightBefore, l.heightAfter) : null
}

/** What signing still needs: field path -> message ({} when the note can be signed). */
export function missingForSigning(f: ProcedureFields, levels: readonly LevelFields[]): Record<string, string> {
  const out: Record<string, string> = {}
  if (f.anaesthesia === null) out['fields.anaesthesia'] = 'is required: local, sedation or general anaesthesia'
  if (f.startedAt === null) out['fields.startedAt'] = 'is required'
  if (f.endedAt === null) out['fields.endedAt'] = 'is required'
  if (levels.length === 0) out.levels = 'must list at least one level treated'
  levels.forEach((l, i) => {
    const at = (k: string) => `levels.${i}.${k}`
    if (l.approach === null) out[at('approach')] = `is required (${l.level})`
    if (l.needleGauge === null) out[at('needleGauge')] = `is required (${l.level})`
    if (!l.cementType) out[at('cementType')] = `is required (${l.level})`
    if (l.cementVolumeMl === null) out[at('cementVolumeMl')] = `is required (${l.level})`
    if (l.leakage.length === 0) out[at('leakage')] = `must be recorded, or none (${l.level})`
    if (l.leakage.some((x) => x !== 'none') && l.leakageSymptomatic === null) out[at('leakageSymptomatic')] = `must say whether the leak caused symptoms (${l.level})`
    if (f.kind === 'kyphoplasty') {
      if (l.balloonVolumeMl === null) out[at('balloonVolumeMl')] = `is required for kyphoplasty (${l.level})`
      if (l.balloonPressurePsi === null) out[at('balloonPressurePsi')] = `is required for kyphoplasty (${l.level})`
    }
  })
  return out
}

export function patientHeader(p: PatientRow, on: string): ProcedureView['patient'] {
  return {
    id: p.id,
    mrn: p.mrn,
    firstName: p.first_name,
    lastName: p.last_name,
    dateOfBirth: p.date_of_birth,
    sex: p.sex as ProcedureView['patient']['sex'],
    age: ageOn(p.date_of_birth, on),
  }
}

export async function loadPatient(db: Tx, id: number): Promise<PatientRow> {
  return db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

/** Recorded times may not be after the clinic's clock (a minute's slack for workstation clocks). */
export function assertInstantsNotFuture(ctx: ServiceContext, instants: Record<string, string | null | undefined>): void {
  const limit = ctx.now().getTime() + 60_000
  const fields: Record<string, string> = {}
  for (const [path, v] of Object.entries(instants)) if (v && Date.parse(v) > limit) fields[path] = 'cannot be in the future'
  if (Object.keys(fields).length > 0) {
    throw new AppError('invalid_input', describeFields(fields), fields)
  }
}
