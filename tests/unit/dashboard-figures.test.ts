/** The dashboard's figures in words (renderer/screens/Dashboard/figures.ts): what a manager reads and a screen reader says. */
import { describe, expect, it } from 'vitest'
import type { Dashboard } from '../../shared/schemas/outcomes'
import { addDays, addMonths, changeLine, completionSummary, dischargeSummary, headlineChange, monthLabel, percent, perMonthSummary, rateText, safetySummary, signed } from '../../renderer/screens/Dashboard/figures'

const rate = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator ? Math.round((numerator / denominator) * 10000) / 10000 : null })
const change = (n: number, b: number | null, v: number | null) => ({ n, meanBaseline: b, meanAtVisit: v, meanChange: b === null || v === null ? null : v - b })

const D: Dashboard = {
  filter: { from: '2026-01-01', to: '2026-12-31', physicianId: null, kind: null },
  procedures: 3,
  patients: 3,
  perMonth: [
    { month: '2026-01', vertebroplasty: 0, kyphoplasty: 1 },
    { month: '2026-02', vertebroplasty: 1, kyphoplasty: 1 },
  ],
  sameDay: rate(1, 2),
  undecided: 1,
  overnightReasons: [{ reason: 'uncontrolledPain', label: 'Uncontrolled pain', count: 1 }],
  changes: [
    { label: '2 weeks', pain: change(3, 8, 4), odi: change(2, 70, 45) },
    { label: '3 months', pain: change(2, 8.5, 3.5), odi: change(0, null, null) },
  ],
  leakageLevels: rate(1, 3),
  leakageProcedures: rate(1, 2),
  symptomaticLeaks: 0,
  complications: rate(1, 3),
  complicationCounts: [{ complication: 'hypotension', label: 'Hypotension', count: 1 }],
  followUpCompletion: rate(4, 8),
  physicians: [],
}

describe('dashboard figures', () => {
  it('writes rates, signed changes and months as people read them', () => {
    expect(percent(rate(2, 3))).toBe('67%')
    expect(percent(rate(0, 0))).toBe('—')
    expect(rateText(rate(4, 8))).toBe('50% (4 of 8)')
    expect(signed(-5)).toBe('−5.0')
    expect(signed(1.25, 1)).toBe('+1.3')
    expect(signed(0)).toBe('0.0')
    expect(monthLabel('2026-03')).toBe('Mar 2026')
  })

  it('sums each chart up in one sentence', () => {
    expect(perMonthSummary(D)).toBe('3 procedures in 2 months: 2 kyphoplasties and 1 vertebroplasty; busiest month Feb 2026 (2).')
    expect(dischargeSummary(D)).toBe('50% went home the same day (1 of 2 procedures with a decision); 1 stayed overnight. 1 not decided yet. Reasons for the overnight stays: uncontrolled pain 1.')
    expect(changeLine(D.changes[1]!)).toBe('At 3 months: pain 8.5 → 3.5 (−5.0, 2 patients); ODI: no patient with both scores.')
    expect(safetySummary(D)).toBe('Cement leakage at 1 of 3 treated levels (33%), in 1 of 2 procedures (50%); 0 symptomatic. Complications in 1 of 3 procedures (33%): hypotension 1.')
    expect(completionSummary(D)).toBe('4 of 8 follow-up visits due so far were recorded (50%).')
    expect(completionSummary({ ...D, followUpCompletion: rate(0, 0) })).toBe('No follow-up visit has come due yet for these procedures.')
  })

  it('headlines 3 months when there is data for it, else the latest follow-up with data', () => {
    expect(headlineChange(D)?.label).toBe('3 months')
    expect(headlineChange({ ...D, changes: [D.changes[0]!, { label: '3 months', pain: change(0, null, null), odi: change(0, null, null) }] })?.label).toBe('2 weeks')
    expect(headlineChange({ ...D, changes: [] })).toBeNull()
  })

  it('does calendar arithmetic without local time', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28')
    expect(addMonths('2026-11-29', -12)).toBe('2025-11-29')
    expect(addDays('2025-11-29', 1)).toBe('2025-11-30')
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29')
  })
})
