/**
 * The outcome CSV: one row per procedure (columns in the README, "Exports"). Rows are streamed from the
 * database and written in batches with the stream's back-pressure respected, so memory stays flat.
 * De-identified: no names, MRN, contact details, exact birth date, free text or record ids; the patient id
 * becomes a stable HMAC pseudonym and the birth date its year.
 */
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import type { Engine } from '../../../migrations'
import { ageOn } from '../../../shared/clinical/dates'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { Tx } from '../../db/tx'
import { odiFromAnswers, parseJson, round } from './common'
import { outcomeRows, VISIT_COLUMNS, type RawOutcomeRow } from './outcomeRows'

export class ExportCancelled extends Error {
  constructor() {
    super('The export was cancelled.')
    this.name = 'ExportCancelled'
  }
}

export interface CsvOptions {
  deidentify: boolean
  /** patient id -> pseudonym; required with deidentify */
  pseudonym?: (patientId: number) => string
  signal?: AbortSignal
  /** called every batch with the rows written so far */
  onProgress?: (rows: number) => void
}

/** '6 weeks' -> '6_weeks' (column names of a follow-up label). */
export const labelSlug = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '') || 'visit'

const IDENTIFIED = ['procedure_id', 'patient_id', 'mrn', 'last_name', 'first_name', 'date_of_birth'] as const
const DEIDENTIFIED = ['patient_pseudonym', 'birth_year'] as const
const CONTACT = ['phone', 'email', 'address'] as const
const COMMON = [
  'age_at_procedure',
  'sex',
  'procedure_date',
  'physician',
  'kind',
  'levels',
  'level_count',
  'cement_ml_total',
  'leakage',
  'leak_any',
  'leak_symptomatic',
  'complications_intra',
  'complications_post',
  'disposition',
  'overnight_reasons',
  'baseline_pain_date',
  'baseline_pain',
  'baseline_odi_date',
  'baseline_odi',
] as const
const PER_VISIT = ['date', 'pain', 'pain_change', 'odi', 'odi_change', 'analgesics', 'brace', 'new_fracture_levels', 'complications', 'satisfaction'] as const

export function csvColumns(labels: readonly string[], deidentify: boolean): string[] {
  const slugs = uniqueSlugs(labels)
  return [
    ...(deidentify ? DEIDENTIFIED : [...IDENTIFIED, ...CONTACT]),
    ...COMMON,
    ...slugs.flatMap((s) => PER_VISIT.map((c) => `fu_${s}_${c}`)),
  ]
}

function uniqueSlugs(labels: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return labels.map((l) => {
    const s = labelSlug(l)
    const n = (seen.get(s) ?? 0) + 1
    seen.set(s, n)
    return n === 1 ? s : `${s}_${n}`
  })
}

const list = (json: string | null | unknown) => {
  const a = typeof json === 'string' ? parseJson<string[]>(json, []) : []
  return a.join(';')
}
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a - b, 1))

function toCsvRow(r: RawOutcomeRow, labelCount: number, o: CsvOptions): unknown[] {
  const baselineOdi = odiFromAnswers(r.baseline_odi_answers)
  const levels = r.levels ?? ''
  const leakage = r.leakage ?? ''
  const leakAny = leakFlag(leakage)
  let age: number | null = null
  try {
    age = ageOn(r.date_of_birth, r.procedure_date)
  } catch {
    age = null
  }
  const out: unknown[] = o.deidentify
    ? [o.pseudonym!(r.patient_id), r.date_of_birth.slice(0, 4)]
    : [r.procedure_id, r.patient_id, r.mrn, r.last_name, r.first_name, r.date_of_birth, r.phone, r.email, r.address]
  out.push(
    age,
    r.sex,
    r.procedure_date,
    r.physician,
    r.kind,
    levels,
    levels === '' ? 0 : levels.split(' ').length,
    r.cement_ml === null ? null : round(r.cement_ml, 2),
    leakage,
    leakAny,
    r.leak_symptomatic,
    list(r.intra_complications),
    list(r.post_complications),
    r.disposition,
    r.disposition === 'overnight' ? list(r.stay_reasons) : '',
    r.baseline_pain_date,
    r.baseline_pain,
    r.baseline_odi_date,
    baselineOdi,
  )
  for (let i = 0; i < labelCount; i++) {
    const g = (c: (typeof VISIT_COLUMNS)[number]) => r[`v${i}_${c}`] as never
    const pain = g('pain_nrs') as number | null
    const odi = g('odi_score') as number | null
    out.push(g('visit_date'), pain, diff(pain, r.baseline_pain), odi, diff(odi, baselineOdi), g('analgesics'), g('brace'), g('new_fracture_levels'), g('visit_date') ? list(g('complications')) : null, g('satisfaction'))
  }
  return out
}

/** 1 a leak at some level, 0 leakage recorded and none found, null not recorded at any level. */
export function leakFlag(leakage: string): 0 | 1 | null {
  let recorded = false
  for (const item of leakage.split(' ')) {
    const v = item.slice(item.indexOf(':') + 1)
    if (!item || v === 'notRecorded') continue
    if (v !== 'none') return 1
    recorded = true
  }
  return recorded ? 0 : null
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain')
}

/** Writes the CSV (header and rows) to `out`; returns the number of rows. Does not end `out`. */
export async function writeOutcomesCsv(db: Tx, engine: Engine, f: OutcomeFilter, labels: readonly string[], out: Writable, o: CsvOptions): Promise<number> {
  if (o.deidentify && !o.pseudonym) throw new Error('de-identified export needs the pseudonym function')
  await write(out, stringify([csvColumns(labels, o.deidentify)]))
  let rows = 0
  let batch: unknown[][] = []
  for await (const r of outcomeRows(db, engine, f, labels)) {
    batch.push(toCsvRow(r, labels.length, o))
    if (batch.length === 1000) {
      if (o.signal?.aborted) throw new ExportCancelled()
      await write(out, stringify(batch))
      rows += batch.length
      batch = []
      o.onProgress?.(rows)
    }
  }
  if (o.signal?.aborted) throw new ExportCancelled()
  if (batch.length > 0) await write(out, stringify(batch))
  rows += batch.length
  o.onProgress?.(rows)
  return rows
}
