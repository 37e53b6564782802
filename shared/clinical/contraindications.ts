/**
 * The contraindication checklist for vertebral augmentation (DOMAIN.md; the Medicare PVA LCDs L33569 /
 * L34106, whose wording varies). An absolute contraindication needs an explicit override reason before a
 * procedure can be decided.
 *
 * LCD L33569 (summary at verity.backworkai.com/policy/L33569, checked 2026-12-06): absolute, "pain not
 * primarily due to the identified VCF", infection (osteomyelitis, discitis) and pregnancy; relative, among
 * others, "more than 3 fractures per procedure", "allergy to bone cement", "uncorrected coagulopathy",
 * "spinal instability" and "neurologic deficit"; the sister LCDs (L34228, L34976) say "allergy to
 * cement/contrast". Cement and contrast are separate items here because they are separate decisions: a
 * contrast allergy can be premedicated or the procedure done without contrast, a PMMA allergy cannot.
 */
import { isUsualAugmentationLevel, sortLevels, type VertebralLevel } from './levels'

export const ABSOLUTE_CONTRAINDICATIONS = ['painNotFromFracture', 'osteomyelitisOrDiscitis', 'activeInfection', 'pregnancy'] as const
/** The relative contraindications offered on the checklist. */
export const RELATIVE_CONTRAINDICATIONS = [
  'cementAllergy',
  'contrastAllergy',
  'bleedingRisk',
  'uncorrectedCoagulopathy',
  'spinalInstability',
  'neurologicalCompromiseOrRetropulsion',
  'moreThanThreeLevels',
  'vertebraPlana',
] as const
/**
 * Items earlier versions of the checklist offered. Notes that hold one still read and show it (a signed note's
 * content never changes, and its signature must keep matching), but it is no longer offered, and the main
 * process refuses it on a note that did not already hold it.
 */
export const LEGACY_CONTRAINDICATIONS = ['cementOrContrastAllergy'] as const
export const CONTRAINDICATIONS = [...ABSOLUTE_CONTRAINDICATIONS, ...RELATIVE_CONTRAINDICATIONS, ...LEGACY_CONTRAINDICATIONS] as const
export type Contraindication = (typeof CONTRAINDICATIONS)[number]
export type AbsoluteContraindication = (typeof ABSOLUTE_CONTRAINDICATIONS)[number]
export type LegacyContraindication = (typeof LEGACY_CONTRAINDICATIONS)[number]

export const CONTRAINDICATION_LABELS: Record<Contraindication, string> = {
  painNotFromFracture: 'Pain not caused by the fracture',
  osteomyelitisOrDiscitis: 'Osteomyelitis or discitis',
  activeInfection: 'Active infection',
  pregnancy: 'Pregnancy',
  cementAllergy: 'Bone cement (PMMA) allergy',
  contrastAllergy: 'Contrast allergy',
  bleedingRisk: 'Bleeding risk (anticoagulant or antiplatelet)',
  uncorrectedCoagulopathy: 'Uncorrected coagulopathy',
  spinalInstability: 'Spinal instability',
  neurologicalCompromiseOrRetropulsion: 'Neurological compromise or retropulsed fragment',
  moreThanThreeLevels: 'More than 3 levels in one session',
  vertebraPlana: 'Vertebra plana',
  cementOrContrastAllergy: 'Cement or contrast allergy (recorded before the two were separate items)',
}

export function isAbsolute(c: Contraindication): c is AbsoluteContraindication {
  return (ABSOLUTE_CONTRAINDICATIONS as readonly string[]).includes(c)
}

export function isLegacy(c: Contraindication): c is LegacyContraindication {
  return (LEGACY_CONTRAINDICATIONS as readonly string[]).includes(c)
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

/**
 * Height loss above which a finding suggests vertebra plana. There is no single published threshold; the
 * definition proposed by Angelini et al., "Vertebra Plana: A Narrative Clinical and Imaging Overview among
 * Possible Differential Diagnoses", Diagnostics 2023;13(8):1438 (doi:10.3390/diagnostics13081438) is a severe
 * collapse with a reduction of more than 70 % of the anterior vertebral height; radiology teaching describes it
 * as "complete or near-complete loss of the entire height" (learningradiology.com, Vertebra Plana). Above 70 %
 * (not at 70) suggests it.
 */
export const VERTEBRA_PLANA_PERCENT = 70

/** More levels than this in one session is a relative contraindication (LCD L33569: "more than 3 fractures"). */
export const MAX_LEVELS_PER_SESSION = 3

/** What the checklist's suggestions read from an imaging finding. */
export interface SuggestionFinding {
  level: VertebralLevel
  acuity: string
  heightLossPercent: number | null
  retropulsion: boolean
  canalCompromise: boolean
}

export interface ContraindicationFacts {
  /** the decision's levels (empty before a procedure is proposed) */
  proposedLevels: readonly VertebralLevel[]
  /** the patient record's allergy flags */
  allergyCement: boolean
  allergyContrast: boolean
  /** the patient record's anticoagulants and antiplatelets, as typed ('' when none is recorded) */
  anticoagulants: string
  antiplatelets: string
  /** the findings of this note and of the patient's earlier notes (not entered in error) */
  findings: readonly SuggestionFinding[]
}

/** Where a suggestion or a warning comes from, in words the panel shows. */
export const SUGGESTION_SOURCES = {
  cementAllergy: 'LCD L33569 relative contraindication: allergy to bone cement',
  contrastAllergy: 'LCD L34228 / L34976 relative contraindication: allergy to cement or contrast',
  bleedingRisk: 'LCD L33569 relative contraindication: uncorrected coagulopathy (anticoagulants and antiplatelets raise the bleeding risk until held)',
  retropulsion: 'LCD L33569 relative contraindication: neurologic deficit or compromise',
  moreThanThreeLevels: 'LCD L33569 relative contraindication: more than 3 fractures per procedure',
  vertebraPlana: 'Vertebra plana above 70 % height loss: Angelini et al., Diagnostics 2023;13(8):1438',
  noAcuteFinding: 'LCD L33569 absolute contraindication: pain not primarily due to the identified VCF',
  outsideT1L5: 'LCD L34976 covered levels: T1 to L5',
} as const

export interface ContraindicationSuggestion {
  item: Contraindication
  because: string
  source: string
}

/**
 * Contraindications the record already suggests, for the physician to confirm (never ticked for them). Only
 * what the chart holds: the allergy flags, the recorded anticoagulants and antiplatelets, and the findings at
 * the proposed levels (retropulsion and collapse elsewhere do not bear on the procedure proposed).
 */
export function suggestContraindications(f: ContraindicationFacts): ContraindicationSuggestion[] {
  const out: ContraindicationSuggestion[] = []
  if (f.allergyCement) out.push({ item: 'cementAllergy', because: 'the patient record lists a bone cement allergy', source: SUGGESTION_SOURCES.cementAllergy })
  if (f.allergyContrast) out.push({ item: 'contrastAllergy', because: 'the patient record lists a contrast allergy', source: SUGGESTION_SOURCES.contrastAllergy })
  const drugs = [f.anticoagulants.trim() && `anticoagulant: ${f.anticoagulants.trim()}`, f.antiplatelets.trim() && `antiplatelet: ${f.antiplatelets.trim()}`].filter(Boolean)
  if (drugs.length > 0) out.push({ item: 'bleedingRisk', because: `the patient record lists ${drugs.join('; ')}`, source: SUGGESTION_SOURCES.bleedingRisk })

  const proposed = new Set(f.proposedLevels)
  const atProposed = f.findings.filter((x) => proposed.has(x.level))
  const retro = sortLevels(atProposed.filter((x) => x.retropulsion || x.canalCompromise).map((x) => x.level))
  if (retro.length > 0) {
    out.push({ item: 'neurologicalCompromiseOrRetropulsion', because: `imaging records retropulsion or canal compromise at ${retro.join(', ')}, a proposed level`, source: SUGGESTION_SOURCES.retropulsion })
  }
  if (proposed.size > MAX_LEVELS_PER_SESSION) out.push({ item: 'moreThanThreeLevels', because: `${proposed.size} levels are proposed`, source: SUGGESTION_SOURCES.moreThanThreeLevels })
  const collapsed = atProposed.filter((x) => x.heightLossPercent !== null && x.heightLossPercent > VERTEBRA_PLANA_PERCENT)
  if (collapsed.length > 0) {
    const worst = collapsed.reduce((a, b) => (b.heightLossPercent! > a.heightLossPercent! ? b : a))
    out.push({ item: 'vertebraPlana', because: `${worst.level}, a proposed level, has lost ${worst.heightLossPercent}% of its height (over ${VERTEBRA_PLANA_PERCENT}%)`, source: SUGGESTION_SOURCES.vertebraPlana })
  }
  return out
}

export interface LevelWarning {
  level: VertebralLevel
  because: string
  source: string
}

/**
 * Proposed levels the record does not support: no acute or subacute finding at the level (is the pain from this
 * fracture?), or a level outside T1 to L5, where the policies do not cover augmentation. Warnings, not checklist
 * items: the physician decides what they mean.
 */
export function proposedLevelWarnings(proposedLevels: readonly VertebralLevel[], findings: readonly SuggestionFinding[]): LevelWarning[] {
  const out: LevelWarning[] = []
  for (const level of sortLevels(proposedLevels)) {
    if (!isUsualAugmentationLevel(level)) out.push({ level, because: `${level} is outside T1 to L5`, source: SUGGESTION_SOURCES.outsideT1L5 })
    const here = findings.filter((x) => x.level === level)
    if (!here.some((x) => x.acuity === 'acute' || x.acuity === 'subacute')) {
      out.push({
        level,
        because: here.length === 0 ? `no imaging finding is recorded at ${level}` : `no acute or subacute finding at ${level} (${here.map((x) => x.acuity).join(', ')})`,
        source: SUGGESTION_SOURCES.noAcuteFinding,
      })
    }
  }
  return out
}
