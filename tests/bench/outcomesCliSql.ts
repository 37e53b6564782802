/**
 * The sqlite3 CLI's side of the outcome CSV benchmark: SQL that makes the CLI write the same rows as the app's
 * export, not just the data the export starts from. The app's query hands over raw values (ODI answers as
 * JSON, complication lists as JSON arrays, no age, no level count, no change from baseline); the export then
 * scores, counts and formats them. Here SQLite does that work itself, column for column as
 * `electron/services/outcomes/outcomesCsv.ts` does, so the CLI's file parses to the same records (the bench
 * checks that). The app's query is wrapped as a co-routine (LIMIT on both levels keeps SQLite from
 * flattening it, which would evaluate the baseline ODI once per column that uses it).
 */
import { csvColumns } from '../../electron/services/outcomes/outcomesCsv'
import { BASE_COLUMNS, VISIT_COLUMNS } from '../../electron/services/outcomes/outcomeRows'
import { DISPOSITION_LABELS, STAY_REASON_LABELS } from '../../shared/clinical/observation'
import { ANALGESIC_LABELS, BRACE_LABELS, SATISFACTION_LABELS } from '../../shared/schemas/outcomes'
import { COMPLICATION_LABELS, LEAKAGE_LABELS } from '../../shared/schemas/procedures'

/** A REAL printed as JavaScript prints the number (SQLite writes 48.0 where JavaScript writes 48). */
const num = (x: string) => `(select case when v = cast(v as integer) then cast(v as integer) else v end from (select ${x} as v))`
/** A JSON array of codes -> 'a;b' ('' for none), as the export's list(). */
const list = (x: string) => `(case when ${x} is null or ${x} = '[]' then '' else (select group_concat(value, ';') from json_each(${x})) end)`
const quote = (t: string) => `'${t.replace(/'/g, "''")}'`
/** A code in words, as the export's labeller (a code without a label stays as it is). */
const word = (x: string, labels: Record<string, string>) => `(case ${x} ${Object.entries(labels).map(([k, v]) => `when ${quote(k)} then ${quote(v)}`).join(' ')} else ${x} end)`
/** A JSON array of codes -> 'A; B' in words ('' for none). */
const listWords = (x: string, labels: Record<string, string>) =>
  `(case when ${x} is null or ${x} = '[]' then '' else (select group_concat(${word('value', labels)}, '; ') from json_each(${x})) end)`
/**
 * 'T12:epidural+venous L1:none' -> 'T12: Epidural, Venous; L1: None', as leakageInWords: separators first, then
 * each code (no code is part of another code, a level's name or a label put in before it).
 */
const leakageWords = (x: string) =>
  Object.entries({ notRecorded: 'Not recorded', ...LEAKAGE_LABELS }).reduce(
    (e, [k, v]) => `replace(${e}, ${quote(k)}, ${quote(v)})`,
    `replace(replace(replace(${x}, ' ', '; '), '+', ', '), ':', ': ')`,
  )

/** The ODI score of ten stored answers (JSON, null = unanswered), as shared/clinical/scores.ts scores it. */
const odi = (x: string) => `(select case when count(*) = 10 and count(value) > 0 then round(sum(value) * 100.0 / (5 * count(value)), 1) end from json_each(${x}))`

export function cliSameRowsSql(appQuery: string, labels: readonly string[]): string {
  const names = csvColumns(labels, false)
  const identified = ['procedure_id', 'patient_id', 'mrn', 'last_name', 'first_name', 'date_of_birth', 'phone', 'email', 'address']
  const common = [
    `case when date_of_birth glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' then cast(substr(procedure_date, 1, 4) as integer) - cast(substr(date_of_birth, 1, 4) as integer) - (substr(procedure_date, 6, 5) < substr(date_of_birth, 6, 5)) end`,
    'sex',
    'procedure_date',
    'physician',
    'kind',
    `coalesce(levels, '')`,
    `case when coalesce(levels, '') = '' then 0 else length(levels) - length(replace(levels, ' ', '')) + 1 end`,
    num('round(cement_ml, 2)'),
    `coalesce(leakage, '')`,
    leakageWords(`coalesce(leakage, '')`),
    // 1: a level with a leak; 0: leakage recorded at some level and none found; empty: recorded nowhere
    `case when instr(replace(replace(coalesce(leakage, ''), ':none', ''), ':notRecorded', ''), ':') > 0 then 1 when instr(leakage, ':none') > 0 then 0 end`,
    'leak_symptomatic',
    list('intra_complications'),
    listWords('intra_complications', COMPLICATION_LABELS),
    list('post_complications'),
    listWords('post_complications', COMPLICATION_LABELS),
    'disposition',
    word('disposition', DISPOSITION_LABELS),
    `case when disposition = 'overnight' then ${list('stay_reasons')} else '' end`,
    `case when disposition = 'overnight' then ${listWords('stay_reasons', STAY_REASON_LABELS)} else '' end`,
    'baseline_pain_date',
    'baseline_pain',
    'baseline_odi_date',
    num('baseline_odi'),
    'referral_received_on',
    `case when referral_received_on is null then null when referrer_name is not null then referrer_name || case when referrer_practice != '' then ', ' || referrer_practice else '' end when trim(referrer_text) != '' then trim(referrer_text) || ' (not in the directory)' end`,
    // The CLI knows no time zones: a seen consultation's day is taken at New York's standard offset (the bench's
    // clinic records no referrals, so the column is empty in both files; the export itself uses the clinic's zone).
    `case when referral_appointment_status in ('arrived', 'in_room', 'completed') then cast(julianday(date(referral_appointment_starts_at, '-5 hours')) - julianday(referral_received_on) as integer) end`,
    `case when referral_received_on is not null then cast(julianday(procedure_date) - julianday(referral_received_on) as integer) end`,
  ]
  const visits = labels.flatMap((_, i) => {
    const v = (c: string) => `v${i}_${c}`
    return [
      v('visit_date'),
      v('pain_nrs'),
      num(`round(${v('pain_nrs')} - baseline_pain, 1)`),
      num(v('odi_score')),
      num(`round(${v('odi_score')} - baseline_odi, 1)`),
      v('analgesics'),
      word(v('analgesics'), ANALGESIC_LABELS),
      v('brace'),
      word(v('brace'), BRACE_LABELS),
      v('new_fracture_levels'),
      `case when ${v('visit_date')} is null then null else ${list(v('complications'))} end`,
      `case when ${v('visit_date')} is null then null else ${listWords(v('complications'), COMPLICATION_LABELS)} end`,
      v('satisfaction'),
      word(v('satisfaction'), SATISFACTION_LABELS),
    ]
  })
  const exprs = [...identified, ...common, ...visits]
  if (exprs.length !== names.length) throw new Error(`the CLI's SQL has ${exprs.length} columns, the export ${names.length}`)
  const passThrough = [...BASE_COLUMNS, ...labels.flatMap((_, i) => VISIT_COLUMNS.map((c) => `v${i}_${c}`))]
  return `select ${exprs.map((e, i) => `${e} as "${names[i]}"`).join(',\n  ')}
from (select ${passThrough.join(', ')}, ${odi('baseline_odi_answers')} as baseline_odi from (${appQuery}) limit -1)
limit -1`
}
