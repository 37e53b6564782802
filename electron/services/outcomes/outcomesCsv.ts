/**
 * The outcome CSV: one row per procedure (columns in the README, "Exports"). Rows are streamed from the
 * database and written in batches with the stream's back-pressure respected, so memory stays flat.
 * De-identified (HIPAA Safe Harbor, see safeHarbor.ts): no names, MRN, contact details, free text or record
 * ids; the patient id becomes the patient's random export code (pseudonym.ts), the birth date its year (none at 90 and over), ages
 * over 89 `90+`, the procedure date its year and every other date a day count from the procedure.
 * Each coded column (leakage, complications, disposition, stay reasons, analgesics, brace, satisfaction) has a
 * `<column>_label` beside it in the screens' words ("Cement embolism; Hypotension"): a person reads the label, a
 * script keeps filtering on the unchanged code.
 */
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { ageOn, daysBetween } from '../../../shared/clinical/dates'
import { DISPOSITION_LABELS, STAY_REASON_LABELS } from '../../../shared/clinical/observation'
import { ANALGESIC_LABELS, BRACE_LABELS, SATISFACTION_LABELS } from '../../../shared/schemas/outcomes'
import { COMPLICATION_LABELS, LEAKAGE_LABELS } from '../../../shared/schemas/procedures'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { AppDatabase } from '../../db/connect'
import { daysToSeen } from '../referrals'
import { clinicTimeZone } from '../schedulingSetup'
import { spreadsheetSafe } from '../spreadsheetSafe'
import { odiFromAnswers, parseJson, round } from './common'
import { dayFromProcedure, safeHarborAge, safeHarborBirthYear } from './safeHarbor'
import { BASE_COLUMNS, COL, outcomeRows, VISIT_COLUMNS } from './outcomeRows'
import { referrerLabel } from '../../../shared/schemas/referrals'

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
  /** the export's date (YYYY-MM-DD); with deidentify, a birth year that shows an age of 90 or over today is left out */
  exportDate?: string
  signal?: AbortSignal
  /** called every batch with the rows written so far */
  onProgress?: (rows: number) => void
  /** the clinic's time zone: the day a consultation took place (writeOutcomesCsv reads it from the settings) */
  timeZone: string
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
  'leakage_label',
  'leak_any',
  'leak_symptomatic',
  'complications_intra',
  'complications_intra_label',
  'complications_post',
  'complications_post_label',
  'disposition',
  'disposition_label',
  'overnight_reasons',
  'overnight_reasons_label',
  'baseline_pain_date',
  'baseline_pain',
  'baseline_odi_date',
  'baseline_odi',
  'referral_date',
  'referrer',
  'days_referral_to_consultation',
  'days_referral_to_procedure',
] as const
const PER_VISIT = [
  'date',
  'pain',
  'pain_change',
  'odi',
  'odi_change',
  'analgesics',
  'analgesics_label',
  'brace',
  'brace_label',
  'new_fracture_levels',
  'complications',
  'complications_label',
  'satisfaction',
  'satisfaction_label',
] as const

/** De-identified, a date column carries the procedure's year, or days from the procedure (safeHarbor.ts). */
const deidentifiedName = (c: string) => (c === 'procedure_date' ? 'procedure_year' : c.endsWith('_date') ? `${c.slice(0, -'_date'.length)}_day` : c)

export function csvColumns(labels: readonly string[], deidentify: boolean): string[] {
  const slugs = uniqueSlugs(labels)
  const columns = [...(deidentify ? DEIDENTIFIED : [...IDENTIFIED, ...CONTACT]), ...COMMON, ...slugs.flatMap((s) => PER_VISIT.map((c) => `fu_${s}_${c}`))]
  return deidentify ? columns.map(deidentifiedName) : columns
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
  if (json === '[]' || json === null || json === undefined) return ''
  const a = typeof json === 'string' ? parseJson<string[]>(json, []) : []
  return a.join(';')
}
/**
 * A coded cell in words, through the labels the screens use: one code, or codes joined by `;` (a list reads
 * "Hypotension; New fracture"). A code without a label (written by a newer version) stays as it is rather than
 * vanish. Empty stays empty. Each distinct cell is worked out once per export: the values repeat row after row.
 */
function labeller(labels: Readonly<Record<string, string>>): (codes: unknown) => string | null {
  const seen = new Map<string, string>()
  return (codes) => {
    if (codes === null || codes === undefined) return null
    const text = String(codes)
    let label = seen.get(text)
    if (label === undefined) {
      label = text === '' ? '' : text.split(';').map((c) => (Object.hasOwn(labels, c) ? labels[c]! : c)).join('; ')
      seen.set(text, label)
    }
    return label
  }
}

const LEAKAGE_WORDS: Readonly<Record<string, string>> = { ...LEAKAGE_LABELS, notRecorded: 'Not recorded' }

/** 'T12:epidural+venous L1:none' -> 'T12: Epidural, Venous; L1: None'. */
export function leakageInWords(leakage: string): string {
  if (leakage === '') return ''
  return leakage
    .split(' ')
    .map((item) => {
      const at = item.indexOf(':')
      const values = item.slice(at + 1).split('+')
      return `${item.slice(0, at)}: ${values.map((v) => (Object.hasOwn(LEAKAGE_WORDS, v) ? LEAKAGE_WORDS[v]! : v)).join(', ')}`
    })
    .join('; ')
}

/** The labellers of one export (each with its own memory of the cells it has seen). */
function exportLabellers() {
  const leakSeen = new Map<string, string>()
  return {
    leakage: (leakage: string) => {
      let label = leakSeen.get(leakage)
      if (label === undefined) leakSeen.set(leakage, (label = leakageInWords(leakage)))
      return label
    },
    complications: labeller(COMPLICATION_LABELS),
    disposition: labeller(DISPOSITION_LABELS),
    stayReasons: labeller(STAY_REASON_LABELS),
    analgesics: labeller(ANALGESIC_LABELS),
    brace: labeller(BRACE_LABELS),
    satisfaction: labeller(SATISFACTION_LABELS),
  }
}
type Labellers = ReturnType<typeof exportLabellers>

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : round(a - b, 1))

/** The record's values, written into `out` (one array reused for every row of an export: no garbage per row). */
function toCsvRow(r: unknown[], labelCount: number, o: CsvOptions, out: unknown[], words: Labellers): unknown[] {
  out.length = 0
  const baselinePain = r[COL.baseline_pain] as number | null
  const baselineOdi = odiFromAnswers(r[COL.baseline_odi_answers] as string | null)
  const levels = (r[COL.levels] as string | null) ?? ''
  const leakage = (r[COL.leakage] as string | null) ?? ''
  const dob = r[COL.date_of_birth] as string
  const date = r[COL.procedure_date] as string
  const disposition = r[COL.disposition] as string | null
  const cement = r[COL.cement_ml] as number | null
  const deid = o.deidentify
  const intra = list(r[COL.intra_complications])
  const post = list(r[COL.post_complications])
  const stayReasons = disposition === 'overnight' ? list(r[COL.stay_reasons]) : ''
  const age = ISO_DATE.test(dob) ? ageOn(dob, date) : null
  if (deid) out.push(o.pseudonym!(r[COL.patient_id] as number), ISO_DATE.test(dob) ? safeHarborBirthYear(dob, date, o.exportDate ?? date) : null)
  else out.push(r[COL.procedure_id], r[COL.patient_id], r[COL.mrn], r[COL.last_name], r[COL.first_name], dob, r[COL.phone], r[COL.email], r[COL.address])
  out.push(
    deid ? safeHarborAge(age) : age,
    r[COL.sex],
    deid ? date.slice(0, 4) : date,
    r[COL.physician],
    r[COL.kind],
    levels,
    levels === '' ? 0 : levels.split(' ').length,
    cement === null ? null : round(cement, 2),
    leakage,
    words.leakage(leakage),
    leakFlag(leakage),
    r[COL.leak_symptomatic],
    intra,
    words.complications(intra),
    post,
    words.complications(post),
    disposition,
    words.disposition(disposition),
    stayReasons,
    words.stayReasons(stayReasons),
    deid ? dayFromProcedure(r[COL.baseline_pain_date] as string | null, date) : r[COL.baseline_pain_date],
    baselinePain,
    deid ? dayFromProcedure(r[COL.baseline_odi_date] as string | null, date) : r[COL.baseline_odi_date],
    baselineOdi,
    ...referralCells(r, date, o),
  )
  const W = VISIT_COLUMNS.length
  for (let i = 0, at = BASE_COLUMNS.length; i < labelCount; i++, at += W) {
    // VISIT_COLUMNS: visit_date, pain_nrs, odi_score, analgesics, brace, new_fracture_levels, complications, satisfaction
    const visitDate = r[at]
    const pain = r[at + 1] as number | null
    const odi = r[at + 2] as number | null
    const complications = visitDate === null ? null : list(r[at + 6])
    out.push(
      deid ? dayFromProcedure(visitDate as string | null, date) : visitDate,
      pain,
      diff(pain, baselinePain),
      odi,
      diff(odi, baselineOdi),
      r[at + 3],
      words.analgesics(r[at + 3]),
      r[at + 4],
      words.brace(r[at + 4]),
      r[at + 5],
      complications,
      words.complications(complications),
      r[at + 7],
      words.satisfaction(r[at + 7]),
    )
  }
  return out
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The referral's four cells: when it came, from whom (the directory's name and practice; a referrer typed as text
 * only in the identified export, since the de-identified one carries no free text), and the days from it to the
 * consultation (once the patient was seen: referrals.ts's rule, as on the dashboard) and to this procedure.
 */
function referralCells(r: unknown[], procedureDate: string, o: CsvOptions): unknown[] {
  const received = r[COL.referral_received_on] as string | null
  if (received === null) return [null, null, null, null]
  const name = r[COL.referrer_name] as string | null
  const practice = r[COL.referrer_practice] as string | null
  const text = ((r[COL.referrer_text] as string | null) ?? '').trim()
  const referrer = name ? referrerLabel(name, practice) : o.deidentify || text === '' ? null : `${text} (not in the directory)`
  const seen = daysToSeen(received, { startsAt: r[COL.referral_appointment_starts_at] as string | null, status: r[COL.referral_appointment_status] as string | null }, o.timeZone)
  return [o.deidentify ? dayFromProcedure(received, procedureDate) : received, referrer, seen, daysBetween(received, procedureDate)]
}

const NEEDS_QUOTES = /[",\r\n]/

/**
 * One CSV record (RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; CRLF
 * between records), without the CRLF. Text that a spreadsheet would run as a formula is escaped (spreadsheetSafe). Written by hand because csv-stringify spent as long as the database on
 * 50k rows. Quotes the fields that need it in place, then joins: `join` builds one flat string (null becomes
 * the empty field), where concatenating field by field builds a rope of a hundred pieces a row that has to be
 * flattened again when the text is written.
 */
export function csvRecord(values: unknown[]): string {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v === 'string') {
      const text = spreadsheetSafe(v)
      values[i] = NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
    } else if (v !== null && v !== undefined && typeof v !== 'number') {
      const text = spreadsheetSafe(String(v))
      values[i] = NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
    }
  }
  return values.join(',')
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
export async function writeOutcomesCsv(database: AppDatabase, f: OutcomeFilter, labels: readonly string[], out: Writable, options: Omit<CsvOptions, 'timeZone'>): Promise<number> {
  if (options.deidentify && !options.pseudonym) throw new Error('de-identified export needs the pseudonym function')
  const o: CsvOptions = { ...options, timeZone: await clinicTimeZone(database.db) }
  await write(out, `${csvRecord(csvColumns(labels, o.deidentify))}\r\n`)
  let rows = 0
  const scratch: unknown[] = []
  const lines: string[] = []
  const words = exportLabellers()
  for await (const batch of outcomeRows(database, f, labels)) {
    if (o.signal?.aborted) throw new ExportCancelled()
    lines.length = 0
    for (const r of batch) lines.push(csvRecord(toCsvRow(r, labels.length, o, scratch, words)))
    lines.push('') // the last record's CRLF
    await write(out, lines.join('\r\n'))
    rows += batch.length
    o.onProgress?.(rows)
  }
  if (o.signal?.aborted) throw new ExportCancelled()
  o.onProgress?.(rows)
  return rows
}
