/**
 * The dashboard's figures in words: percentages, means, month names, and the one-sentence summary each chart
 * carries as its accessible name (and shows under its title), so that a reader who does not look at the chart
 * loses nothing. Pure functions: no React, no fetching.
 */
import type { Dashboard, OutcomeFilter, Rate, ScoreChange } from '../../../shared/schemas/outcomes'
import { PROCEDURE_KIND_LABELS } from '../../../shared/schemas/procedures'
import { formatDate } from '../../format'

/** 0.6667 -> "67%"; no denominator -> "—". */
export function percent(r: Rate): string {
  return r.rate === null ? '—' : `${Math.round(r.rate * 100)}%`
}

/** "67% (2 of 3)" or "— (none yet)". */
export function rateText(r: Rate): string {
  return r.rate === null ? '— (none yet)' : `${percent(r)} (${r.numerator} of ${r.denominator})`
}

export function number(x: number | null, digits = 1): string {
  if (x === null) return '—'
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** A change with its sign: "−4.0", "+1.5", "0.0" (a real minus sign, as a screen reader says "minus"). */
export function signed(x: number | null, digits = 1): string {
  if (x === null) return '—'
  const s = number(Math.abs(x), digits)
  return x < 0 ? `−${s}` : x > 0 ? `+${s}` : s
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** "2026-03" -> "Mar 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', year: 'numeric' })
}

export function filterText(f: OutcomeFilter, physicianName: string | null): string {
  return [
    `${formatDate(f.from)} to ${formatDate(f.to)}`,
    physicianName ?? 'all physicians',
    f.kind ? `${PROCEDURE_KIND_LABELS[f.kind].toLowerCase()} only` : 'both procedures',
  ].join(' · ')
}

export function perMonthSummary(d: Dashboard): string {
  const kypho = d.perMonth.reduce((a, m) => a + m.kyphoplasty, 0)
  const verte = d.perMonth.reduce((a, m) => a + m.vertebroplasty, 0)
  const busiest = [...d.perMonth].sort((a, b) => b.kyphoplasty + b.vertebroplasty - (a.kyphoplasty + a.vertebroplasty))[0]
  const parts = [`${plural(d.procedures, 'procedure')} in ${plural(d.perMonth.length, 'month')}: ${plural(kypho, 'kyphoplasty', 'kyphoplasties')} and ${plural(verte, 'vertebroplasty', 'vertebroplasties')}`]
  if (busiest && d.perMonth.length > 1) parts.push(`busiest month ${monthLabel(busiest.month)} (${busiest.kyphoplasty + busiest.vertebroplasty})`)
  return `${parts.join('; ')}.`
}

export function dischargeSummary(d: Dashboard): string {
  const overnight = d.sameDay.denominator - d.sameDay.numerator
  const decided =
    d.sameDay.denominator === 0
      ? 'No discharge decision recorded yet.'
      : `${percent(d.sameDay)} went home the same day (${d.sameDay.numerator} of ${plural(d.sameDay.denominator, 'procedure')} with a decision); ${overnight} stayed overnight.`
  const undecided = d.undecided > 0 ? ` ${d.undecided} not decided yet.` : ''
  const reasons = d.overnightReasons.length > 0 ? ` Reasons for the overnight stays: ${d.overnightReasons.map((r) => `${r.label.toLowerCase()} ${r.count}`).join(', ')}.` : ''
  return `${decided}${undecided}${reasons}`
}

function changeText(what: string, c: ScoreChange, digits: number): string {
  if (c.n === 0) return `${what}: no patient with both scores`
  return `${what} ${number(c.meanBaseline, digits)} → ${number(c.meanAtVisit, digits)} (${signed(c.meanChange, digits)}, ${plural(c.n, 'patient')})`
}

/** "At 3 months: pain 8.5 → 3.5 (−5.0, 2 patients); ODI 70.0 → 30.0 (−40.0, 2 patients)." */
export function changeLine(c: Dashboard['changes'][number]): string {
  return `At ${c.label}: ${changeText('pain', c.pain, 1)}; ${changeText('ODI', c.odi, 1)}.`
}

export function changesSummary(d: Dashboard, score: 'pain' | 'odi'): string {
  if (d.changes.length === 0) return 'No follow-up visit with a score yet.'
  const name = score === 'pain' ? 'Mean pain' : 'Mean ODI'
  return `${name}, baseline then at the visit: ${d.changes.map((c) => (c[score].n === 0 ? `${c.label} no data` : `${c.label} ${number(c[score].meanBaseline)} to ${number(c[score].meanAtVisit)} (${plural(c[score].n, 'patient')})`)).join('; ')}.`
}

export function safetySummary(d: Dashboard): string {
  const leak =
    d.leakageLevels.denominator === 0
      ? 'Cement leakage not recorded on any treated level.'
      : `Cement leakage at ${d.leakageLevels.numerator} of ${plural(d.leakageLevels.denominator, 'treated level')} (${percent(d.leakageLevels)}), in ${d.leakageProcedures.numerator} of ${plural(d.leakageProcedures.denominator, 'procedure')} (${percent(d.leakageProcedures)}); ${d.symptomaticLeaks} symptomatic.`
  const comp = `Complications in ${d.complications.numerator} of ${plural(d.complications.denominator, 'procedure')} (${percent(d.complications)})${d.complicationCounts.length ? `: ${d.complicationCounts.map((c) => `${c.label.toLowerCase()} ${c.count}`).join(', ')}` : ''}.`
  return `${leak} ${comp}`
}

export function completionSummary(d: Dashboard): string {
  const r = d.followUpCompletion
  if (r.denominator === 0) return 'No follow-up visit has come due yet for these procedures.'
  return `${r.numerator} of ${plural(r.denominator, 'follow-up visit')} due so far ${r.numerator === 1 ? 'was' : 'were'} recorded (${percent(r)}).`
}

/** The follow-up to headline: 3 months when the clinic has it, else the latest one with data. */
export function headlineChange(d: Dashboard): Dashboard['changes'][number] | null {
  const withData = d.changes.filter((c) => c.pain.n > 0 || c.odi.n > 0)
  return withData.find((c) => c.label === '3 months') ?? withData[withData.length - 1] ?? null
}

/** Calendar arithmetic on 'YYYY-MM-DD' without local time. */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  const first = new Date(Date.UTC(y, m - 1 + months, 1))
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  first.setUTCDate(Math.min(d, last))
  return first.toISOString().slice(0, 10)
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}
