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

/**
 * Each section's six statements, scored 0 to 5 in this order: the Oswestry Disability Index version 2.1a as
 * published in Fairbank JCT, Pynsent PB, "The Oswestry Disability Index", Spine 2000;25(22):2940-2953 (Appendix),
 * and reproduced in Roland M, Fairbank J, "The Roland-Morris Disability Questionnaire and the Oswestry Disability
 * Questionnaire", Spine 2000;25(24):3115-3124. The physician picks the sentence the patient chose, not a number.
 */
export const ODI_STATEMENTS: Readonly<Record<(typeof ODI_SECTIONS)[number], readonly [string, string, string, string, string, string]>> = {
  'Pain intensity': [
    'I have no pain at the moment',
    'The pain is very mild at the moment',
    'The pain is moderate at the moment',
    'The pain is fairly severe at the moment',
    'The pain is very severe at the moment',
    'The pain is the worst imaginable at the moment',
  ],
  'Personal care': [
    'I can look after myself normally without causing extra pain',
    'I can look after myself normally but it causes extra pain',
    'It is painful to look after myself and I am slow and careful',
    'I need some help but manage most of my personal care',
    'I need help every day in most aspects of self-care',
    'I do not get dressed, I wash with difficulty and stay in bed',
  ],
  Lifting: [
    'I can lift heavy weights without extra pain',
    'I can lift heavy weights but it gives extra pain',
    'Pain prevents me from lifting heavy weights off the floor, but I can manage if they are conveniently placed, e.g. on a table',
    'Pain prevents me from lifting heavy weights, but I can manage light to medium weights if they are conveniently positioned',
    'I can lift very light weights',
    'I cannot lift or carry anything at all',
  ],
  Walking: [
    'Pain does not prevent me walking any distance',
    'Pain prevents me from walking more than 1 mile',
    'Pain prevents me from walking more than half a mile',
    'Pain prevents me from walking more than 100 yards',
    'I can only walk using a stick or crutches',
    'I am in bed most of the time',
  ],
  Sitting: [
    'I can sit in any chair as long as I like',
    'I can only sit in my favourite chair as long as I like',
    'Pain prevents me sitting more than one hour',
    'Pain prevents me from sitting more than 30 minutes',
    'Pain prevents me from sitting more than 10 minutes',
    'Pain prevents me from sitting at all',
  ],
  Standing: [
    'I can stand as long as I want without extra pain',
    'I can stand as long as I want but it gives me extra pain',
    'Pain prevents me from standing for more than 1 hour',
    'Pain prevents me from standing for more than 30 minutes',
    'Pain prevents me from standing for more than 10 minutes',
    'Pain prevents me from standing at all',
  ],
  Sleeping: [
    'My sleep is never disturbed by pain',
    'My sleep is occasionally disturbed by pain',
    'Because of pain I have less than 6 hours sleep',
    'Because of pain I have less than 4 hours sleep',
    'Because of pain I have less than 2 hours sleep',
    'Pain prevents me from sleeping at all',
  ],
  'Sex life': [
    'My sex life is normal and causes no extra pain',
    'My sex life is normal but causes some extra pain',
    'My sex life is nearly normal but is very painful',
    'My sex life is severely restricted by pain',
    'My sex life is nearly absent because of pain',
    'Pain prevents any sex life at all',
  ],
  'Social life': [
    'My social life is normal and gives me no extra pain',
    'My social life is normal but increases the degree of pain',
    'Pain has no significant effect on my social life apart from limiting my more energetic interests, e.g. sport',
    'Pain has restricted my social life and I do not go out as often',
    'Pain has restricted my social life to my home',
    'I have no social life because of pain',
  ],
  Travelling: [
    'I can travel anywhere without pain',
    'I can travel anywhere but it gives me extra pain',
    'Pain is bad but I manage journeys over two hours',
    'Pain restricts me to journeys of less than one hour',
    'Pain restricts me to short necessary journeys under 30 minutes',
    'Pain prevents me from travelling except to receive treatment',
  ],
}
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

/**
 * The most sections that may be left unanswered for the questionnaire to be scored. The rule followed: the
 * published formula drops a skipped section from the denominator (Fairbank JCT, Pynsent PB. The Oswestry
 * Disability Index. Spine 2000;25(22):2940-52), and, as is usual with the ODI, the index is not calculated when
 * more than two of the ten sections are missing (more than 20% of the items): with fewer answers the percentage
 * stands for too little of the questionnaire to compare with the patient's other visits.
 */
export const ODI_MAX_UNANSWERED = 2

export interface OdiResult {
  /** Percent, 0..100, rounded to one decimal; null when not scored (see `notScored`). */
  score: number | null
  band: OdiBand | null
  sum: number
  answered: number
  /** why there is no score: no section answered, or more than ODI_MAX_UNANSWERED left out; null when scored */
  notScored: 'noAnswers' | 'tooManyUnanswered' | null
}

/**
 * The published formula: sum / (5 x sections answered) x 100. A skipped section leaves both the sum
 * and the denominator; with more than ODI_MAX_UNANSWERED skipped there is no score. Bands use the unrounded
 * percentage: up to 20 minimal, up to 40 moderate, up to 60 severe, up to 80 crippling, above 80 bed-bound
 * (so 20.5% is moderate).
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
  if (answered === 0) return { score: null, band: null, sum: 0, answered: 0, notScored: 'noAnswers' }
  if (ODI_SECTION_COUNT - answered > ODI_MAX_UNANSWERED) return { score: null, band: null, sum, answered, notScored: 'tooManyUnanswered' }
  const exact = (sum / (ODI_SECTION_MAX * answered)) * 100
  return { score: Math.round(exact * 10) / 10, band: odiBand(exact), sum, answered, notScored: null }
}

/** "ODI 44% · Severe disability (41-60%) · 9 of 10 sections answered", or why it is not scored. */
export function describeOdi(odi: Pick<OdiResult, 'score' | 'band' | 'answered'>): string {
  if (odi.score !== null && odi.band !== null) return `ODI ${odi.score}% · ${ODI_BAND_LABELS[odi.band]} · ${odi.answered} of ${ODI_SECTION_COUNT} sections answered`
  if (odi.answered === 0) return 'ODI: no section answered yet'
  const missing = ODI_SECTION_COUNT - odi.answered
  return `ODI not scored: ${missing} of ${ODI_SECTION_COUNT} sections unanswered (at most ${ODI_MAX_UNANSWERED} may be left out)`
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
