/**
 * The procedure note editor's values. The note is one channel (`procedures.save`: fields and levels), but
 * the editor keeps one small form per section (and per level) so that a key typed re-renders its section
 * only. Section values are gathered on save, validated with the router's schema, and the errors (named as
 * the router names them: 'fields.startedAt', 'levels.1.cementVolumeMl') handed back to their section.
 */
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { capitalizeAll } from '../../forms'
import {
  SaveProcedure,
  type ANAESTHESIA,
  type APPROACHES,
  type COMPLICATIONS,
  type IMAGING,
  type LeakageValue,
  type POSITIONS,
  type ProcedureView,
} from '../../../shared/schemas/procedures'
import { hhmmOf, instantOf, isTimeText, timeError } from './time'

type Walls = { anterior: number | null; middle: number | null; posterior: number | null }

export interface ProcedureSectionValues {
  procedureDate: string
  anaesthesia: (typeof ANAESTHESIA)[number] | ''
  anaesthesiaNote: string
  position: (typeof POSITIONS)[number]
  imagingGuidance: (typeof IMAGING)[number]
  fluoroscopySeconds: number | null
  doseAirKermaMgy: number | null
  doseDapMgyCm2: number | null
  startedAt: string
  endedAt: string
}
export interface ComplicationValues {
  intraComplications: (typeof COMPLICATIONS)[number][]
  intraComplicationsNote: string
  postComplications: (typeof COMPLICATIONS)[number][]
  postComplicationsNote: string
}
export interface NarrativeValues {
  narrative: string
}
export interface DiagnosisValues {
  diagnoses: { code: string; description: string }[]
}
export interface LevelValues {
  approach: (typeof APPROACHES)[number] | ''
  needleGauge: number | null
  balloonVolumeMl: number | null
  balloonPressurePsi: number | null
  cementType: string
  cementVolumeMl: number | null
  heightBefore: Walls
  heightAfter: Walls
  /** an old draft may hold a value of the classification before migration 0022 (kept, not offered) */
  leakage: LeakageValue[]
  leakageSymptomatic: boolean | null
  notes: string
  cementLot: string
  deviceIds: string
  kyphoticAngleAfter: number | null
  biopsyTaken: boolean | null
}

export const SECTIONS = ['procedure', 'complications', 'narrative', 'diagnoses'] as const
export type SectionName = (typeof SECTIONS)[number] | `level:${VertebralLevel}`

/** Which section shows a 'fields.x' error. */
export const FIELD_SECTION: Record<string, (typeof SECTIONS)[number]> = {
  procedureDate: 'procedure',
  anaesthesia: 'procedure',
  anaesthesiaNote: 'procedure',
  position: 'procedure',
  imagingGuidance: 'procedure',
  fluoroscopySeconds: 'procedure',
  doseAirKermaMgy: 'procedure',
  doseDapMgyCm2: 'procedure',
  startedAt: 'procedure',
  endedAt: 'procedure',
  intraComplications: 'complications',
  intraComplicationsNote: 'complications',
  postComplications: 'complications',
  postComplicationsNote: 'complications',
  narrative: 'narrative',
  diagnoses: 'diagnoses',
}

export const FIELD_LABELS: Record<string, string> = {
  kind: 'Procedure',
  procedureDate: 'Procedure date',
  anaesthesia: 'Sedation or anaesthesia',
  startedAt: 'Start time',
  endedAt: 'End time',
  intraComplicationsNote: 'Complications during the procedure: description',
  postComplicationsNote: 'Complications after the procedure: description',
}
export const LEVEL_FIELD_LABELS: Record<string, string> = {
  approach: 'approach',
  needleGauge: 'needle gauge',
  balloonVolumeMl: 'balloon volume',
  balloonPressurePsi: 'balloon pressure',
  cementType: 'cement type',
  cementVolumeMl: 'cement volume',
  leakage: 'cement leakage',
  leakageSymptomatic: 'whether the leak caused symptoms',
  cementLot: 'cement lot',
  deviceIds: 'device identifiers',
  kyphoticAngleAfter: 'kyphotic angle after',
  biopsyTaken: 'biopsy taken',
}

const walls = (w: { anterior: number; middle: number; posterior: number } | null): Walls => (w ? { ...w } : { anterior: null, middle: null, posterior: null })

export const emptyLevel = (): LevelValues => ({
  approach: '',
  needleGauge: null,
  balloonVolumeMl: null,
  balloonPressurePsi: null,
  cementType: '',
  cementVolumeMl: null,
  heightBefore: walls(null),
  heightAfter: walls(null),
  leakage: [],
  leakageSymptomatic: null,
  notes: '',
  cementLot: '',
  deviceIds: '',
  kyphoticAngleAfter: null,
  biopsyTaken: false,
})

/** The sections' values from a note; times as HH:MM on the clinic's clock (`zone`). */
export function sectionsFromView(v: ProcedureView, zone: string) {
  const f = v.fields
  return {
    procedure: {
      procedureDate: f.procedureDate,
      anaesthesia: f.anaesthesia ?? '',
      anaesthesiaNote: f.anaesthesiaNote,
      position: f.position,
      imagingGuidance: f.imagingGuidance,
      fluoroscopySeconds: f.fluoroscopySeconds,
      doseAirKermaMgy: f.doseAirKermaMgy,
      doseDapMgyCm2: f.doseDapMgyCm2,
      startedAt: hhmmOf(f.startedAt, zone),
      endedAt: hhmmOf(f.endedAt, zone),
    } satisfies ProcedureSectionValues,
    complications: {
      intraComplications: f.intraComplications,
      intraComplicationsNote: f.intraComplicationsNote,
      postComplications: f.postComplications,
      postComplicationsNote: f.postComplicationsNote,
    } satisfies ComplicationValues,
    narrative: { narrative: f.narrative } satisfies NarrativeValues,
    diagnoses: { diagnoses: f.diagnoses.map((d) => ({ ...d })) } satisfies DiagnosisValues,
    levels: Object.fromEntries(
      v.levels.map((l) => [
        l.level,
        {
          approach: l.approach ?? '',
          needleGauge: l.needleGauge,
          balloonVolumeMl: l.balloonVolumeMl,
          balloonPressurePsi: l.balloonPressurePsi,
          cementType: l.cementType,
          cementVolumeMl: l.cementVolumeMl,
          heightBefore: walls(l.heightBefore),
          heightAfter: walls(l.heightAfter),
          leakage: l.leakage,
          leakageSymptomatic: l.leakageSymptomatic,
          notes: l.notes,
          cementLot: l.cementLot,
          deviceIds: l.deviceIds,
          kyphoticAngleAfter: l.kyphoticAngleAfter,
          biopsyTaken: l.biopsyTaken,
        } satisfies LevelValues,
      ]),
    ) as Record<string, LevelValues>,
  }
}
export type Sections = ReturnType<typeof sectionsFromView>

const heights = (w: Walls) => (w.anterior === null && w.middle === null && w.posterior === null ? null : w)

/** What `procedures.save` is sent, from the sections' current values (times typed on the clinic's clock, `zone`). */
export function savePayload(
  v: Pick<ProcedureView, 'id' | 'version'>,
  kind: ProcedureView['fields']['kind'],
  order: readonly VertebralLevel[],
  s: { procedure: ProcedureSectionValues; complications: ComplicationValues; narrative: NarrativeValues; diagnoses: DiagnosisValues; levels: Record<string, LevelValues> },
  zone: string,
) {
  const p = s.procedure
  const startedAt = instantOf(p.procedureDate, p.startedAt, zone)
  return {
    id: v.id,
    version: v.version,
    fields: {
      ...p,
      kind,
      anaesthesia: p.anaesthesia === '' ? null : p.anaesthesia,
      startedAt,
      endedAt: instantOf(p.procedureDate, p.endedAt, zone, startedAt),
      ...s.complications,
      ...s.narrative,
      diagnoses: s.diagnoses.diagnoses.filter((d) => d.code.trim() !== '' || d.description.trim() !== ''),
    },
    levels: order.map((level) => {
      const l = s.levels[level] ?? emptyLevel()
      return { ...l, level, approach: l.approach === '' ? null : l.approach, heightBefore: heights(l.heightBefore), heightAfter: heights(l.heightAfter) }
    }),
  }
}
export type SavePayload = ReturnType<typeof savePayload>

/** The router's schema on the payload, errors named as the router names them (plus the HH:MM time texts). */
export function validatePayload(payload: SavePayload, times: { startedAt: string; endedAt: string }): Record<string, string> {
  const out: Record<string, string> = {}
  const r = SaveProcedure.safeParse(payload)
  if (!r.success) for (const i of r.error.issues) out[i.path.join('.')] ??= i.message
  for (const k of ['startedAt', 'endedAt'] as const) if (!isTimeText(times[k])) out[`fields.${k}`] = timeError
  return capitalizeAll(out)
}

/** Splits errors named by the router into each section's own field names. */
export function errorsBySection(errors: Record<string, string>, order: readonly VertebralLevel[]): { sections: Map<SectionName, Record<string, string>>; rest: Record<string, string> } {
  const sections = new Map<SectionName, Record<string, string>>()
  const rest: Record<string, string> = {}
  const put = (s: SectionName, k: string, v: string) => sections.set(s, { ...sections.get(s), [k]: v })
  for (const [key, msg] of Object.entries(errors)) {
    const parts = key.split('.')
    if (parts[0] === 'fields' && parts[1] && FIELD_SECTION[parts[1]]) put(FIELD_SECTION[parts[1]]!, parts.slice(1).join('.'), msg)
    else if (parts[0] === 'levels' && parts.length > 2 && order[Number(parts[1])]) put(`level:${order[Number(parts[1])]!}`, parts.slice(2).join('.'), msg)
    else rest[key] = msg
  }
  return { sections, rest }
}

/** 'levels.1.cementVolumeMl' -> 'L2: cement volume'. */
export function describeKey(key: string, order: readonly VertebralLevel[]): string {
  const parts = key.split('.')
  if (parts[0] === 'fields') return FIELD_LABELS[parts[1]!] ?? parts.slice(1).join(' ')
  if (parts[0] === 'levels' && parts.length > 2) return `${order[Number(parts[1])] ?? `Level ${Number(parts[1]) + 1}`}: ${LEVEL_FIELD_LABELS[parts[2]!] ?? parts.slice(2).join(' ')}`
  if (key === 'levels') return 'Levels treated'
  return key
}
