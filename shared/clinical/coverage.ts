/**
 * Coverage readiness: the documentation that Medicare's vertebral augmentation policies (LCD L33569,
 * L34106) ask for, filled from what the record already says. It informs; it never blocks.
 */
import { daysBetween } from './dates'
import type { VertebralLevel } from './levels'

export interface CoveragePolicy {
  /** NRS at or above which pain qualifies for a patient at home */
  painThreshold: number
  /** NRS at or above which pain qualifies for a hospitalised patient */
  painThresholdHospitalized: number
  /** weeks of non-surgical care the clinic expects before augmentation (policies commonly say 4 to 6) */
  minConservativeWeeks: number
}

export const DEFAULT_COVERAGE_POLICY: CoveragePolicy = { painThreshold: 5, painThresholdHospitalized: 8, minConservativeWeeks: 6 }

export const COVERAGE_ITEMS = ['imagingConfirmedFracture', 'painDespiteCare', 'conservativeCareDuration', 'functionScore', 'boneDensityAndEducation'] as const
export type CoverageItemKey = (typeof COVERAGE_ITEMS)[number]

export const COVERAGE_LABELS: Record<CoverageItemKey, string> = {
  imagingConfirmedFracture: 'Imaging confirms an acute or subacute fracture',
  painDespiteCare: 'Pain at or above the policy threshold despite non-surgical care',
  conservativeCareDuration: 'How long non-surgical care was tried',
  functionScore: 'A function score is recorded (ODI or Roland-Morris)',
  boneDensityAndEducation: 'Bone density testing and osteoporosis education referred',
}

export interface CoverageFacts {
  /** the day the readiness is judged (the visit date) */
  asOf: string
  findings: readonly { level: VertebralLevel; acuity: string; modality: string; imagingDate: string; marrowOedema: boolean | null }[]
  painNrs: number | null
  hospitalized: boolean
  odiScore: number | null
  rmdqScore: number | null
  /** the patient's conservative-care plans that are not entered in error */
  conservativeCare: readonly { startDate: string; outcome: 'improved' | 'failed' | null }[]
  /** the latest bone density on record, if any */
  boneDensity: { tScore: number; date: string } | null
  boneDensityReferred: boolean
  osteoporosisEducation: boolean
}

export interface CoverageItem {
  key: CoverageItemKey
  label: string
  met: boolean
  /** what the record says, in words */
  evidence: string
  /** what is missing, in words; '' when met */
  missing: string
}

export interface CoverageReadiness {
  items: CoverageItem[]
  metCount: number
  /** the weeks of non-surgical care before asOf, or null if none is recorded */
  conservativeWeeks: number | null
}

const item = (key: CoverageItemKey, met: boolean, evidence: string, missing: string): CoverageItem => ({
  key,
  label: COVERAGE_LABELS[key],
  met,
  evidence,
  missing: met ? '' : missing,
})

export function coverageReadiness(f: CoverageFacts, policy: CoveragePolicy = DEFAULT_COVERAGE_POLICY): CoverageReadiness {
  const items: CoverageItem[] = []

  const fresh = f.findings.filter((x) => x.acuity === 'acute' || x.acuity === 'subacute')
  items.push(
    item(
      'imagingConfirmedFracture',
      fresh.length > 0,
      fresh.length > 0
        ? fresh.map((x) => `${x.level} ${x.acuity} on ${x.modality.toUpperCase()} ${x.imagingDate}${x.marrowOedema ? ' with marrow oedema' : ''}`).join('; ')
        : f.findings.length > 0
          ? `findings recorded, none acute or subacute (${f.findings.map((x) => `${x.level} ${x.acuity}`).join(', ')})`
          : 'no imaging finding recorded',
      'record an imaging finding with acuity acute or subacute (MRI with marrow oedema, or bone scan / CT)',
    ),
  )

  const started = f.conservativeCare.filter((c) => c.startDate <= f.asOf)
  const earliest = started.map((c) => c.startDate).sort()[0]
  const weeks = earliest ? Math.floor(daysBetween(earliest, f.asOf) / 7) : null
  const failed = started.some((c) => c.outcome === 'failed')
  const threshold = f.hospitalized ? policy.painThresholdHospitalized : policy.painThreshold
  const painMet = f.painNrs !== null && f.painNrs >= threshold && (started.length > 0 || f.hospitalized)
  items.push(
    item(
      'painDespiteCare',
      painMet,
      [
        f.painNrs === null ? 'no pain score recorded' : `pain ${f.painNrs}/10 (threshold ${threshold}${f.hospitalized ? ', hospitalised' : ''})`,
        started.length > 0 ? `non-surgical care since ${earliest}${failed ? ', recorded as failed' : ''}` : f.hospitalized ? 'hospitalised' : 'no non-surgical care recorded',
      ].join('; '),
      f.painNrs === null
        ? 'record the pain score (0-10)'
        : f.painNrs < threshold
          ? `pain ${f.painNrs}/10 is below the policy threshold of ${threshold}`
          : 'record the non-surgical care that was tried',
    ),
  )

  const durationMet = f.hospitalized || (weeks !== null && weeks >= policy.minConservativeWeeks)
  items.push(
    item(
      'conservativeCareDuration',
      durationMet,
      weeks === null
        ? f.hospitalized
          ? 'hospitalised; no non-surgical care recorded'
          : 'no non-surgical care recorded'
        : `${weeks} week${weeks === 1 ? '' : 's'} of non-surgical care (since ${earliest})${f.hospitalized ? '; hospitalised' : ''}`,
      weeks === null
        ? 'record the conservative care (bracing, pain medication) and when it started'
        : `${weeks} of the ${policy.minConservativeWeeks} weeks the policy expects`,
    ),
  )

  const scores = [f.odiScore !== null && `ODI ${f.odiScore}%`, f.rmdqScore !== null && `Roland-Morris ${f.rmdqScore}/24`].filter(Boolean)
  items.push(item('functionScore', scores.length > 0, scores.length > 0 ? scores.join('; ') : 'no function score recorded', 'score the Oswestry Disability Index or the Roland-Morris questionnaire'))

  const bd = f.boneDensity ? `T-score ${f.boneDensity.tScore} on ${f.boneDensity.date}` : f.boneDensityReferred ? 'bone density testing referred' : ''
  const bdMet = f.boneDensity !== null || f.boneDensityReferred
  items.push(
    item(
      'boneDensityAndEducation',
      bdMet && f.osteoporosisEducation,
      [bd || 'no bone density result or referral', f.osteoporosisEducation ? 'osteoporosis education referred' : 'no osteoporosis education recorded'].join('; '),
      [!bdMet && 'refer for bone density testing (DEXA)', !f.osteoporosisEducation && 'record the osteoporosis education referral'].filter(Boolean).join('; '),
    ),
  )

  return { items, metCount: items.filter((i) => i.met).length, conservativeWeeks: weeks }
}
