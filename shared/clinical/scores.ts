/**
 * Pain and disability scores: numeric rating scale, Oswestry Disability Index (ODI) and
 * Roland-Morris Disability Questionnaire (RMDQ).
 */

export const PAIN_MIN = 0
export const PAIN_MAX = 10

/** The ten ODI sections, in the questionnaire's order; each is answered 0 to 5 or skipped. */
export const ODI_SECTIONS = [
  'Pain intensity',
  'Personal care',
  'Lifting',
  'Walking',
  'Sitting',
  'Standing',
  'Sleeping',
  'Sex life',
  'Social life',
  'Travelling',
] as const
export const ODI_SECTION_COUNT = ODI_SECTIONS.length
export const ODI_SECTION_MAX = 5

export const ODI_BANDS = ['minimal', 'moderate', 'severe', 'crippling', 'bedBound'] as const
export type OdiBand = (typeof ODI_BANDS)[number]
export const ODI_BAND_LABELS: Record<OdiBand, string> = {
  minimal: 'Minimal disability (0-20%)',
  moderate: 'Moderate disability (21-40%)',
  severe: 'Severe disability (41-60%)',
  crippling: 'Crippling back pain (61-80%)',
  bedBound: 'Bed-bound or exaggerating (81-100%)',
}

/** One answer per section: 0..5, or null when the patient skipped it. */
export type OdiAnswers = readonly (number | null)[]

export interface OdiResult {
  /** Percent, 0..100, rounded to one decimal; null when no section was answered. */
  score: number | null
  band: OdiBand | null
  sum: number
  answered: number
}

/**
 * The published formula: sum / (5 x sections answered) x 100. A skipped section leaves both the sum
 * and the denominator. Bands use the unrounded percentage: up to 20 minimal, up to 40 moderate,
 * up to 60 severe, up to 80 crippling, above 80 bed-bound (so 20.5% is moderate).
 */
export function scoreOdi(answers: OdiAnswers): OdiResult {
  if (answers.length !== ODI_SECTION_COUNT) throw new RangeError(`ODI has ${ODI_SECTION_COUNT} sections, got ${answers.length}`)
  let sum = 0
  let answered = 0
  for (const a of answers) {
    if (a === null) continue
    if (!Number.isInteger(a) || a < 0 || a > ODI_SECTION_MAX) throw new RangeError(`ODI section answers are 0 to 5, got ${a}`)
    sum += a
    answered++
  }
  if (answered === 0) return { score: null, band: null, sum: 0, answered: 0 }
  const exact = (sum / (ODI_SECTION_MAX * answered)) * 100
  return { score: Math.round(exact * 10) / 10, band: odiBand(exact), sum, answered }
}

export function odiBand(percent: number): OdiBand {
  if (percent <= 20) return 'minimal'
  if (percent <= 40) return 'moderate'
  if (percent <= 60) return 'severe'
  if (percent <= 80) return 'crippling'
  return 'bedBound'
}

export const RMDQ_ITEM_COUNT = 24

/** RMDQ: 24 yes/no statements; the score is the number the patient ticked (0..24). */
export function scoreRmdq(ticked: readonly boolean[]): number {
  if (ticked.length !== RMDQ_ITEM_COUNT) throw new RangeError(`RMDQ has ${RMDQ_ITEM_COUNT} items, got ${ticked.length}`)
  return ticked.filter(Boolean).length
}
