/**
 * The contraindication checklist for vertebral augmentation (DOMAIN.md; wording of the Medicare LCDs
 * L33569 / L34106 varies). An absolute contraindication needs an explicit override reason before a
 * procedure can be decided.
 */
export const ABSOLUTE_CONTRAINDICATIONS = ['painNotFromFracture', 'osteomyelitisOrDiscitis', 'activeInfection', 'pregnancy'] as const
export const RELATIVE_CONTRAINDICATIONS = [
  'cementOrContrastAllergy',
  'uncorrectedCoagulopathy',
  'spinalInstability',
  'neurologicalCompromiseOrRetropulsion',
  'moreThanThreeLevels',
  'vertebraPlana',
] as const
export const CONTRAINDICATIONS = [...ABSOLUTE_CONTRAINDICATIONS, ...RELATIVE_CONTRAINDICATIONS] as const
export type Contraindication = (typeof CONTRAINDICATIONS)[number]
export type AbsoluteContraindication = (typeof ABSOLUTE_CONTRAINDICATIONS)[number]

export const CONTRAINDICATION_LABELS: Record<Contraindication, string> = {
  painNotFromFracture: 'Pain not caused by the fracture',
  osteomyelitisOrDiscitis: 'Osteomyelitis or discitis',
  activeInfection: 'Active infection',
  pregnancy: 'Pregnancy',
  cementOrContrastAllergy: 'Cement or contrast allergy',
  uncorrectedCoagulopathy: 'Uncorrected coagulopathy',
  spinalInstability: 'Spinal instability',
  neurologicalCompromiseOrRetropulsion: 'Neurological compromise or retropulsed fragment',
  moreThanThreeLevels: 'More than 3 levels in one session',
  vertebraPlana: 'Vertebra plana',
}

export function isAbsolute(c: Contraindication): c is AbsoluteContraindication {
  return (ABSOLUTE_CONTRAINDICATIONS as readonly string[]).includes(c)
}

export const CANDIDACY_DECISIONS = ['vertebroplasty', 'kyphoplasty', 'continueConservative', 'refer', 'notCandidate'] as const
export type CandidacyDecisionKind = (typeof CANDIDACY_DECISIONS)[number]
export const CANDIDACY_LABELS: Record<CandidacyDecisionKind, string> = {
  vertebroplasty: 'Vertebroplasty',
  kyphoplasty: 'Kyphoplasty',
  continueConservative: 'Continue conservative care',
  refer: 'Refer elsewhere',
  notCandidate: 'Not a candidate',
}

export function isProcedureDecision(d: CandidacyDecisionKind): d is 'vertebroplasty' | 'kyphoplasty' {
  return d === 'vertebroplasty' || d === 'kyphoplasty'
}

/** Height loss at or above which a finding suggests vertebra plana (near-complete collapse). */
export const VERTEBRA_PLANA_PERCENT = 80

export interface ContraindicationFacts {
  levelsProposed: number
  allergyCement: boolean
  allergyContrast: boolean
  anyRetropulsion: boolean
  maxHeightLossPercentAtProposedLevels: number | null
}

/** Contraindications the record already suggests, for the physician to confirm (never ticked for them). */
export function suggestContraindications(f: ContraindicationFacts): { item: Contraindication; because: string }[] {
  const out: { item: Contraindication; because: string }[] = []
  if (f.allergyCement || f.allergyContrast) {
    out.push({ item: 'cementOrContrastAllergy', because: `the patient record lists a ${[f.allergyCement && 'cement', f.allergyContrast && 'contrast'].filter(Boolean).join(' and ')} allergy` })
  }
  if (f.anyRetropulsion) out.push({ item: 'neurologicalCompromiseOrRetropulsion', because: 'an imaging finding records retropulsion or canal compromise' })
  if (f.levelsProposed > 3) out.push({ item: 'moreThanThreeLevels', because: `${f.levelsProposed} levels are proposed` })
  if (f.maxHeightLossPercentAtProposedLevels !== null && f.maxHeightLossPercentAtProposedLevels >= VERTEBRA_PLANA_PERCENT) {
    out.push({ item: 'vertebraPlana', because: `a proposed level has lost ${f.maxHeightLossPercentAtProposedLevels}% of its height` })
  }
  return out
}
