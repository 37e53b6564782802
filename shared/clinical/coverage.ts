/**
 * Coverage readiness: the documentation that Medicare's vertebral augmentation policies ask for, filled from what
 * the record already says. It informs; it never blocks.
 *
 * The criteria follow LCD L33569, "Percutaneous Vertebral Augmentation (PVA) for Osteoporotic Vertebral
 * Compression Fracture (VCF)" (CMS Medicare Coverage Database; wording checked 2026-12-06 against the summary at
 * verity.backworkai.com/policy/L33569 and its sister LCDs L34228, L34976, L38737, which share the text):
 *  - an acute or subacute VCF documented by imaging (MRI with marrow oedema; CT or bone scan where MRI cannot be
 *    done: L34976 "documented by MRI or bone-scan/SPECT/CT");
 *  - pain of NRS/VAS 8 or more in a hospitalised patient, or 5 or more in a patient at home despite optimal
 *    non-surgical management (NSM);
 *  - and either worsening pain, or pain of 5 or more with at least two of: vertebral height loss over 25 %,
 *    kyphotic deformity, Roland-Morris (RDQ) over 17;
 *  - documented: pain scores, prior NSM, imaging, function scores, the contraindication / risk assessment, and the
 *    referral for bone density evaluation and osteoporosis education.
 * Each item names the criterion it comes from (`source`), and the panel shows it.
 */
import { addDays, daysBetween } from './dates'
import { sortLevels, type VertebralLevel } from './levels'

export interface CoveragePolicy {
  /** NRS at or above which pain qualifies for a patient at home (L33569: 5) */
  painThreshold: number
  /** NRS at or above which pain qualifies for a hospitalised patient (L33569: 8) */
  painThresholdHospitalized: number
  /** weeks of non-surgical care the clinic expects before augmentation (policies commonly say 4 to 6) */
  minConservativeWeeks: number
  /**
   * Days the non-surgical care must have lasted before "pain despite care" can be said: care started on the day of
   * the visit has not been tried. The LCD says "despite optimal NSM" without a number; one week is this clinic's
   * reading (the earliest a reassessment can judge the care), not the policy's.
   */
  minCareDaysForPainDespiteCare: number
  /** height loss above which the severity criterion counts (L33569: "height loss > 25%") */
  heightLossPercent: number
  /** RMDQ above which the severity criterion counts (L33569: "RDQ > 17") */
  rmdqAbove: number
  /**
   * Kyphotic angle (degrees, at the fracture) at or above which "kyphotic deformity" counts. The LCD names the
   * deformity without an angle; 15 degrees is the spinal-deformity threshold of the multispecialty VCF clinical
   * care pathway (Hirsch et al., RAND/UCLA appropriateness panel; variables listed at
   * fracturescout.com/clinical-variables-definition.html) and the local kyphosis of the vertebra plana definition
   * (Angelini et al., Diagnostics 2023;13(8):1438).
   */
  kyphoticDeformityDegrees: number
  /** how many of the structural / functional criteria stable pain needs (L33569: at least two) */
  severityCriteriaNeeded: number
}

export const DEFAULT_COVERAGE_POLICY: CoveragePolicy = {
  painThreshold: 5,
  painThresholdHospitalized: 8,
  minConservativeWeeks: 6,
  minCareDaysForPainDespiteCare: 7,
  heightLossPercent: 25,
  rmdqAbove: 17,
  kyphoticDeformityDegrees: 15,
  severityCriteriaNeeded: 2,
}

export const COVERAGE_ITEMS = [
  'imagingConfirmedFracture',
  'painDespiteCare',
  'conservativeCareDuration',
  'severityCriteria',
  'functionScore',
  'contraindicationsReviewed',
  'boneDensityAndEducation',
] as const
export type CoverageItemKey = (typeof COVERAGE_ITEMS)[number]

export const COVERAGE_LABELS: Record<CoverageItemKey, string> = {
  imagingConfirmedFracture: 'Imaging confirms an acute or subacute fracture at each proposed level',
  painDespiteCare: 'Pain at or above the policy threshold despite non-surgical care',
  conservativeCareDuration: 'How long non-surgical care was tried for this fracture',
  severityCriteria: 'Worsening pain, or pain of 5 or more with two severity criteria',
  functionScore: 'A function score is recorded (ODI or Roland-Morris)',
  contraindicationsReviewed: 'Contraindications were reviewed',
  boneDensityAndEducation: 'Bone density testing and osteoporosis education referred',
}

/** The criterion of the policy each item comes from, as the coverage panel shows it. */
export const COVERAGE_SOURCES: Record<CoverageItemKey, string> = {
  imagingConfirmedFracture: 'LCD L33569 covered indication: acute or subacute VCF documented by imaging (MRI with marrow oedema; CT or bone scan where MRI is contraindicated)',
  painDespiteCare: 'LCD L33569 covered indication: NRS/VAS 8 or more if hospitalised, 5 or more otherwise, despite optimal non-surgical management',
  conservativeCareDuration: 'LCD L33569 documentation of prior non-surgical management; the weeks expected are the clinic’s policy (commonly 4 to 6)',
  severityCriteria: 'LCD L33569 covered indication: worsening pain, or NRS/VAS 5 or more with at least two of height loss over 25 %, kyphotic deformity, RDQ over 17',
  functionScore: 'LCD L33569 documentation: a validated function score',
  contraindicationsReviewed: 'LCD L33569 documentation: the contraindication and risk assessment',
  boneDensityAndEducation: 'LCD L33569 documentation: referral for bone density evaluation and osteoporosis education',
}

export const PAIN_TRENDS = ['improving', 'stable', 'worsening'] as const
export type PainTrend = (typeof PAIN_TRENDS)[number]

const MODALITY_WORDS: Record<string, string> = { xray: 'X-ray', mri: 'MRI', ct: 'CT', boneScan: 'bone scan' }
const modalityWord = (m: string) => MODALITY_WORDS[m] ?? m

export interface CoverageFinding {
  level: VertebralLevel
  acuity: string
  modality: string
  imagingDate: string
  marrowOedema: boolean | null
  heightLossPercent: number | null
}

/** Where the current fracture episode starts: the recorded onset, or the first consultation that found it. */
export interface EpisodeStart {
  date: string
  from: 'onset' | 'consultation'
}

export interface CoverageFacts {
  /** the day the readiness is judged (the visit date) */
  asOf: string
  episodeStart: EpisodeStart
  /** the levels judged: the decision's proposed levels, or before a procedure is proposed the episode's (fractureEpisode) */
  levels: readonly VertebralLevel[]
  /** whether `levels` are the decision's proposed levels */
  levelsProposed: boolean
  /** the episode's imaging: this note's findings and the episode's earlier ones (not entered in error) */
  findings: readonly CoverageFinding[]
  /** MRI cannot be done (pacemaker, implant, claustrophobia): CT or a bone scan may confirm acuity instead */
  mriContraindicated: boolean
  painNrs: number | null
  painTrend: PainTrend | null
  hospitalized: boolean
  odiScore: number | null
  rmdqScore: number | null
  /** kyphotic angle at the fracture, degrees, measured at this consultation */
  kyphoticAngle: number | null
  /** the patient's conservative-care plans that are not entered in error (the episode is applied here) */
  conservativeCare: readonly { startDate: string; outcome: 'improved' | 'failed' | null }[]
  /** who recorded the contraindication review, and when; null when it is not recorded */
  contraindicationsReviewed: { byName: string; at: string } | null
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
  /** the policy criterion it comes from */
  source: string
}

export interface CoverageReadiness {
  items: CoverageItem[]
  metCount: number
  /** the weeks of non-surgical care in this episode before asOf, or null if none is recorded */
  conservativeWeeks: number | null
  episodeStart: EpisodeStart
}

const item = (key: CoverageItemKey, met: boolean, evidence: string, missing: string): CoverageItem => ({
  key,
  label: COVERAGE_LABELS[key],
  met,
  evidence,
  missing: met ? '' : missing,
  source: COVERAGE_SOURCES[key],
})

const isFresh = (acuity: string) => acuity === 'acute' || acuity === 'subacute'

function describeFinding(x: CoverageFinding): string {
  const oedema = x.modality === 'mri' ? (x.marrowOedema === true ? ' with marrow oedema' : x.marrowOedema === false ? ' without marrow oedema' : ', marrow oedema not recorded') : ''
  return `${x.level} ${x.acuity} on ${modalityWord(x.modality)} ${x.imagingDate}${oedema}`
}

/**
 * Whether a finding confirms an acute or subacute fracture (L33569): MRI showing marrow oedema (STIR), or CT or a
 * bone scan when MRI is contraindicated. An X-ray shows the collapse but not its age, so it never confirms acuity.
 * Returns '' when it confirms, else why not.
 */
export function whyNotConfirmed(x: CoverageFinding, mriContraindicated: boolean): string {
  if (!isFresh(x.acuity)) return `${x.acuity}, not acute or subacute`
  if (x.modality === 'xray') return 'an X-ray does not confirm acuity (MRI with STIR is needed)'
  if (x.modality === 'mri') return x.marrowOedema === true ? '' : x.marrowOedema === false ? 'MRI without marrow oedema' : 'marrow oedema (STIR) not recorded'
  if (x.modality === 'ct' || x.modality === 'boneScan') return mriContraindicated ? '' : `${modalityWord(x.modality)} counts only where MRI is contraindicated`
  return `${x.modality} is not an accepted modality`
}

/**
 * Imaging per level: each proposed level needs its own confirming finding. Before levels are proposed, the levels
 * with an acute or subacute finding are judged, so the panel already says whether their imaging would do.
 */
function imagingItem(f: CoverageFacts): CoverageItem {
  const findings = f.findings.filter((x) => f.episodeStart.from !== 'onset' || x.imagingDate >= f.episodeStart.date)
  const beforeOnset = f.findings.length - findings.length
  const proposed = f.levelsProposed
  const levels = sortLevels(f.levels)
  if (levels.length === 0) {
    return item(
      'imagingConfirmedFracture',
      false,
      findings.length > 0 ? `findings recorded, none acute or subacute (${findings.map((x) => `${x.level} ${x.acuity}`).join(', ')})` : 'no imaging finding recorded',
      'record an imaging finding with acuity acute or subacute (MRI with marrow oedema, or CT / bone scan where MRI is contraindicated)',
    )
  }
  const lines: string[] = []
  const unconfirmed: string[] = []
  for (const level of levels) {
    const here = findings.filter((x) => x.level === level)
    const confirming = here.find((x) => whyNotConfirmed(x, f.mriContraindicated) === '')
    if (confirming) {
      lines.push(describeFinding(confirming))
      continue
    }
    unconfirmed.push(level)
    lines.push(here.length === 0 ? `${level}: no imaging finding` : here.map((x) => `${describeFinding(x)}: ${whyNotConfirmed(x, f.mriContraindicated)}`).join('; '))
  }
  const notes = [!proposed && 'no levels proposed yet; judged on the levels found', beforeOnset > 0 && `${beforeOnset} finding${beforeOnset === 1 ? '' : 's'} imaged before the onset not counted`].filter(Boolean)
  return item(
    'imagingConfirmedFracture',
    unconfirmed.length === 0,
    [...lines, ...notes].join('; '),
    `confirm ${unconfirmed.join(', ')} with MRI showing marrow oedema (STIR)${f.mriContraindicated ? ', CT or a bone scan' : ', or CT / bone scan if MRI is contraindicated'}`,
  )
}

export function coverageReadiness(f: CoverageFacts, policy: CoveragePolicy = DEFAULT_COVERAGE_POLICY): CoverageReadiness {
  const items: CoverageItem[] = []
  items.push(imagingItem(f))

  // Care counts for this fracture only: started on or after the episode's start, and by the visit.
  const episode = f.conservativeCare.filter((c) => c.startDate >= f.episodeStart.date && c.startDate <= f.asOf)
  const earlier = f.conservativeCare.filter((c) => c.startDate < f.episodeStart.date)
  const earliest = episode.map((c) => c.startDate).sort()[0]
  const weeks = earliest ? Math.floor(daysBetween(earliest, f.asOf) / 7) : null
  const lastedBy = addDays(f.asOf, -policy.minCareDaysForPainDespiteCare)
  const lasted = episode.filter((c) => c.startDate <= lastedBy)
  const failed = episode.some((c) => c.outcome === 'failed')
  const episodeWords = f.episodeStart.from === 'onset' ? `since the onset ${f.episodeStart.date}` : `since the consultation of ${f.episodeStart.date} that found it`
  const earlierWords = earlier.length > 0 ? `; ${earlier.length} earlier plan${earlier.length === 1 ? '' : 's'} before this fracture not counted` : ''

  const threshold = f.hospitalized ? policy.painThresholdHospitalized : policy.painThreshold
  const painMet = f.painNrs !== null && f.painNrs >= threshold && (f.hospitalized || lasted.length > 0)
  items.push(
    item(
      'painDespiteCare',
      painMet,
      [
        f.painNrs === null ? 'no pain score recorded' : `pain ${f.painNrs}/10 (threshold ${threshold}${f.hospitalized ? ', hospitalised' : ''})`,
        episode.length > 0 ? `non-surgical care since ${earliest}${failed ? ', recorded as failed' : ''}` : f.hospitalized ? 'hospitalised' : `no non-surgical care recorded for this fracture (${episodeWords})`,
      ].join('; ') + earlierWords,
      f.painNrs === null
        ? 'record the pain score (0-10)'
        : f.painNrs < threshold
          ? `pain ${f.painNrs}/10 is below the policy threshold of ${threshold}`
          : episode.length === 0
            ? 'record the non-surgical care that was tried for this fracture'
            : `the care started ${earliest}: pain despite care needs care that has lasted at least ${policy.minCareDaysForPainDespiteCare} days (from ${addDays(earliest!, policy.minCareDaysForPainDespiteCare)})`,
    ),
  )

  const durationMet = f.hospitalized || (weeks !== null && weeks >= policy.minConservativeWeeks)
  items.push(
    item(
      'conservativeCareDuration',
      durationMet,
      (weeks === null
        ? `${f.hospitalized ? 'hospitalised; ' : ''}no non-surgical care recorded for this fracture (${episodeWords})`
        : `${weeks} week${weeks === 1 ? '' : 's'} of non-surgical care (since ${earliest}; fracture ${episodeWords})${f.hospitalized ? '; hospitalised' : ''}`) + earlierWords,
      weeks === null ? 'record the conservative care (bracing, pain medication) and when it started' : `${weeks} of the ${policy.minConservativeWeeks} weeks the policy expects`,
    ),
  )

  items.push(severityItem(f, policy))

  const scores = [f.odiScore !== null && `ODI ${f.odiScore}%`, f.rmdqScore !== null && `Roland-Morris ${f.rmdqScore}/24`].filter(Boolean)
  items.push(item('functionScore', scores.length > 0, scores.length > 0 ? scores.join('; ') : 'no function score recorded', 'score the Oswestry Disability Index or the Roland-Morris questionnaire'))

  const r = f.contraindicationsReviewed
  items.push(item('contraindicationsReviewed', r !== null, r ? `reviewed by ${r.byName} at ${r.at}` : 'not recorded', 'review the contraindication checklist and tick “Contraindications reviewed”'))

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

  return { items, metCount: items.filter((i) => i.met).length, conservativeWeeks: weeks, episodeStart: f.episodeStart }
}

/** The structural and functional criteria L33569 lists, each as met or not, with what the record says. */
export function severityCriteria(f: Pick<CoverageFacts, 'levels' | 'findings' | 'kyphoticAngle' | 'rmdqScore'>, policy: CoveragePolicy = DEFAULT_COVERAGE_POLICY) {
  const levels = new Set(f.levels)
  const measured = f.findings.filter((x) => levels.has(x.level) && x.heightLossPercent !== null)
  const worst = measured.reduce<CoverageFinding | null>((a, b) => (a === null || b.heightLossPercent! > a.heightLossPercent! ? b : a), null)
  return [
    {
      key: 'heightLoss' as const,
      met: worst !== null && worst.heightLossPercent! > policy.heightLossPercent,
      text: worst === null ? 'height loss not measured at the levels considered' : `height loss ${worst.heightLossPercent}% at ${worst.level} (over ${policy.heightLossPercent}% counts)`,
    },
    {
      key: 'kyphoticDeformity' as const,
      met: f.kyphoticAngle !== null && f.kyphoticAngle >= policy.kyphoticDeformityDegrees,
      text: f.kyphoticAngle === null ? 'kyphotic angle not recorded' : `kyphotic angle ${f.kyphoticAngle}° (${policy.kyphoticDeformityDegrees}° or more counts)`,
    },
    {
      key: 'rmdq' as const,
      met: f.rmdqScore !== null && f.rmdqScore > policy.rmdqAbove,
      text: f.rmdqScore === null ? 'Roland-Morris not recorded' : `Roland-Morris ${f.rmdqScore}/24 (over ${policy.rmdqAbove} counts)`,
    },
  ]
}

function severityItem(f: CoverageFacts, policy: CoveragePolicy): CoverageItem {
  const criteria = severityCriteria(f, policy)
  const metCriteria = criteria.filter((c) => c.met)
  const worsening = f.painTrend === 'worsening'
  const painEnough = f.painNrs !== null && f.painNrs >= policy.painThreshold
  const met = worsening || (painEnough && metCriteria.length >= policy.severityCriteriaNeeded)
  const trend = f.painTrend === null ? 'pain trend not recorded' : `pain ${f.painTrend}`
  const evidence = worsening
    ? `${trend} (qualifies on its own)`
    : [`${trend}`, f.painNrs === null ? 'no pain score' : `pain ${f.painNrs}/10`, `${metCriteria.length} of the criteria met: ${criteria.map((c) => `${c.met ? '✓' : '✗'} ${c.text}`).join('; ')}`].join('; ')
  const todo = [
    f.painTrend === null && 'record whether the pain is improving, stable or worsening',
    !painEnough && `pain must be ${policy.painThreshold} or more when it is not worsening`,
    metCriteria.length < policy.severityCriteriaNeeded && `${policy.severityCriteriaNeeded} of: height loss over ${policy.heightLossPercent}% at a level treated, kyphotic deformity (angle ${policy.kyphoticDeformityDegrees}° or more), Roland-Morris over ${policy.rmdqAbove}`,
  ].filter(Boolean)
  return item('severityCriteria', met, evidence, todo.join('; '))
}

/** What fractureEpisode reads of a consultation note. */
export interface EpisodeNote {
  id: number
  visitDate: string
  onsetDate: string | null
  findings: readonly { level: VertebralLevel; acuity: string; imagingDate: string }[]
}

/**
 * The current fracture episode of a note: the levels it is about and where it starts. The levels are the proposed
 * ones; else this note's acute or subacute levels; else (a reassessment without new imaging) those of the latest
 * earlier note that found one. It starts at this note's recorded onset; else at the earliest onset, or visit, of
 * the notes that found an acute or subacute fracture at those levels; else at this visit. Notes entered in error
 * and notes after this visit are left out by the caller.
 */
export function fractureEpisode(current: EpisodeNote, earlier: readonly EpisodeNote[], proposedLevels: readonly VertebralLevel[]): { start: EpisodeStart; levels: VertebralLevel[] } {
  const freshLevels = (n: EpisodeNote) => n.findings.filter((x) => isFresh(x.acuity)).map((x) => x.level)
  let levels = sortLevels(proposedLevels)
  if (levels.length === 0) levels = sortLevels(freshLevels(current))
  if (levels.length === 0) {
    const latest = [...earlier].filter((n) => freshLevels(n).length > 0).sort((a, b) => (a.visitDate < b.visitDate ? 1 : a.visitDate > b.visitDate ? -1 : b.id - a.id))[0]
    levels = latest ? sortLevels(freshLevels(latest)) : []
  }
  if (current.onsetDate !== null) return { start: { date: current.onsetDate, from: 'onset' }, levels }
  const wanted = new Set(levels)
  const finders = [current, ...earlier].filter((n) => n.findings.some((x) => wanted.has(x.level) && isFresh(x.acuity)))
  const starts = finders.map((n): EpisodeStart => (n.onsetDate !== null ? { date: n.onsetDate, from: 'onset' } : { date: n.visitDate, from: 'consultation' }))
  starts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  return { start: starts[0] ?? { date: current.visitDate, from: 'consultation' }, levels }
}
