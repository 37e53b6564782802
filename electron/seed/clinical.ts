/**
 * The clinical content of a synthetic clinic, as the app's own forms would send it: every object is
 * parsed with the zod schema the router uses for that shape, so a seeded record is one the app could
 * have written. Pure functions of the random stream (no clock, no database).
 */
import { scoreOdi } from '../../shared/clinical/scores'
import type { VertebralLevel } from '../../shared/clinical/levels'
import { CarePlanFields, ConsultationFields, DecisionFields, FindingFields } from '../../shared/schemas/consultations'
import { FollowUpVisitFields } from '../../shared/schemas/outcomes'
import { LevelFields, ProcedureFields } from '../../shared/schemas/procedures'
import { CheckFields, DecideStay, RecoveryFields } from '../../shared/schemas/recovery'
import type { Rng } from './random'

export const addDaysIso = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
/** An instant on a calendar date: minutes after 00:00 UTC (the clinic's day is 13:00-22:00 UTC in New York). */
export const at = (date: string, minutes: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + minutes * 60_000).toISOString()
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))
const round1 = (v: number) => Math.round(v * 10) / 10

/** Osteoporotic fractures cluster at the thoracolumbar junction. */
const LEVEL_WEIGHTS: [VertebralLevel, number][] = [
  ['T6', 1], ['T7', 2], ['T8', 3], ['T9', 3], ['T10', 4], ['T11', 8], ['T12', 16], ['L1', 18], ['L2', 10], ['L3', 6], ['L4', 4], ['L5', 2],
]
const LEVEL_ORDER = LEVEL_WEIGHTS.map(([l]) => l)
const TOTAL_WEIGHT = LEVEL_WEIGHTS.reduce((a, [, w]) => a + w, 0)

function pickLevel(rng: Rng): VertebralLevel {
  let r = rng.next() * TOTAL_WEIGHT
  for (const [l, w] of LEVEL_WEIGHTS) if ((r -= w) < 0) return l
  return 'L1'
}

/** One to three fractured levels, distinct, cranial first. */
export function fracturedLevels(rng: Rng): VertebralLevel[] {
  const n = rng.chance(0.7) ? 1 : rng.chance(0.75) ? 2 : 3
  const set = new Set<VertebralLevel>()
  while (set.size < n) set.add(pickLevel(rng))
  return [...set].sort((a, b) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b))
}

const COMPLAINTS = ['Sudden back pain after a fall at home', 'Back pain after lifting a shopping bag', 'Mid-back pain for three weeks, worse standing', 'Low back pain after a cough', 'Thoracolumbar pain since a minor fall', 'Back pain, no clear trigger, loss of height']
const MEDICATIONS = ['Alendronate 70 mg weekly; calcium and vitamin D', 'Paracetamol as needed; amlodipine 5 mg', 'Levothyroxine 75 µg; omeprazole 20 mg', 'Prednisolone 5 mg daily (COPD); salbutamol inhaler', 'Warfarin (atrial fibrillation), held before procedures', 'None regular']

export function odiAnswers(rng: Rng, mean: number): (number | null)[] {
  return Array.from({ length: 10 }, (_, i) => (i === 7 && rng.chance(0.4) ? null : clamp(Math.round(rng.normal(mean, 0.8)), 0, 5)))
}

export function consultationFields(rng: Rng, visitDate: string, baseline: { pain: number; odiMean: number }, reassessment: boolean): ConsultationFields {
  const osteo = rng.chance(0.85)
  const tScore = rng.chance(0.6) ? round1(clamp(rng.normal(-2.9, 0.7), -6.5, 0.5)) : null
  return ConsultationFields.parse({
    visitDate,
    chiefComplaint: reassessment ? 'Reassessment after conservative care: pain persists' : rng.pick(COMPLAINTS),
    onsetDate: addDaysIso(visitDate, -rng.int(reassessment ? 45 : 3, reassessment ? 80 : 40)),
    mechanism: rng.chance(0.6) ? 'Low-energy fall from standing height' : 'No trauma recalled',
    trauma: rng.chance(0.6),
    history: 'Post-menopausal osteoporosis. Hypertension. No malignancy known.',
    medications: rng.pick(MEDICATIONS),
    osteoporosis: osteo,
    steroidUse: rng.chance(0.12),
    priorFractures: rng.chance(0.3) ? 'Wrist fracture' : '',
    asaClass: rng.int(1, 4),
    tScore,
    tScoreDate: tScore === null ? null : addDaysIso(visitDate, -rng.int(10, 700)),
    hospitalized: rng.chance(0.08),
    painNrs: baseline.pain,
    odiAnswers: odiAnswers(rng, baseline.odiMean),
    rmdqAnswers: rng.chance(0.3) ? Array.from({ length: 24 }, () => rng.chance(0.6)) : null,
    examination: 'Focal midline tenderness at the fracture level. Legs: power and sensation normal, reflexes symmetrical.',
    assessment: 'Painful osteoporotic vertebral compression fracture.',
    plan: reassessment ? 'Vertebral augmentation discussed and agreed.' : 'Imaging reviewed with the patient; plan as below.',
    boneDensityReferred: tScore === null,
    osteoporosisEducation: rng.chance(0.9),
  })
}

export function findingFields(rng: Rng, level: VertebralLevel, visitDate: string, acute: boolean): FindingFields {
  const mri = rng.chance(0.7)
  return FindingFields.parse({
    level,
    modality: mri ? 'mri' : rng.chance(0.8) ? 'xray' : 'ct',
    imagingDate: addDaysIso(visitDate, -rng.int(0, 14)),
    acuity: acute ? (rng.chance(0.7) ? 'acute' : 'subacute') : rng.pick(['chronic', 'indeterminate'] as const),
    marrowOedema: mri ? acute : null,
    heightLossPercent: Math.round(clamp(rng.normal(30, 12), 5, 85)),
    retropulsion: rng.chance(0.04),
    canalCompromise: rng.chance(0.02),
    fractureType: rng.pick(['wedge', 'wedge', 'biconcave', 'crush'] as const),
    notes: '',
  })
}

export function carePlanFields(rng: Rng, startDate: string): CarePlanFields {
  return CarePlanFields.parse({
    bracing: rng.chance(0.6) ? 'Thoracolumbar brace when upright' : '',
    painMedication: rng.pick(['Paracetamol 1 g four times a day', 'Paracetamol 1 g four times a day; tramadol 50 mg at night', 'Calcitonin nasal spray 200 IU daily for 4 weeks']),
    otherMeasures: rng.chance(0.5) ? 'Physiotherapy: posture and walking' : '',
    startDate,
    reassessmentDate: addDaysIso(startDate, 42),
  })
}

export type DecisionKind = DecisionFields['decision']

export function decisionFields(decision: DecisionKind, levels: VertebralLevel[]): DecisionFields {
  const procedure = decision === 'vertebroplasty' || decision === 'kyphoplasty'
  return DecisionFields.parse({
    decision,
    levels: procedure ? levels : [],
    reason:
      decision === 'continueConservative'
        ? 'Recent fracture, pain manageable: conservative care first.'
        : decision === 'refer'
          ? 'Referred to spinal surgery: instability suspected.'
          : decision === 'notCandidate'
            ? 'Healed fracture; pain not from the fracture.'
            : 'Painful acute fracture with marrow oedema despite treatment.',
    contraindications: decision === 'notCandidate' ? ['painNotFromFracture'] : [],
    overrideReason: '',
  })
}

export function procedureFields(rng: Rng, kind: 'vertebroplasty' | 'kyphoplasty', procedureDate: string, levels: number): ProcedureFields {
  const start = rng.int(13 * 60, 16 * 60)
  const minutes = 25 + 20 * levels + rng.int(0, 20)
  const leaked = rng.chance(0.01)
  return ProcedureFields.parse({
    kind,
    procedureDate,
    anaesthesia: rng.chance(0.7) ? 'moderateSedation' : 'local',
    anaesthesiaNote: '',
    position: 'prone',
    imagingGuidance: rng.chance(0.7) ? 'biplaneFluoroscopy' : 'fluoroscopy',
    fluoroscopySeconds: rng.int(60, 200) * levels,
    doseAirKermaMgy: round1(clamp(rng.normal(90, 25), 10, 400) * levels),
    doseDapMgyCm2: Math.round(clamp(rng.normal(2500, 700), 300, 9000) * levels),
    startedAt: at(procedureDate, start),
    endedAt: at(procedureDate, start + minutes),
    intraComplications: leaked ? ['hypotension'] : [],
    intraComplicationsNote: '',
    postComplications: [],
    postComplicationsNote: '',
    narrative: `Patient prone. Transpedicular access under ${levels > 1 ? 'biplane ' : ''}fluoroscopy. Cement injected under continuous imaging. No immediate complication.`,
    diagnoses: [{ code: 'M80.08XA', description: 'Age-related osteoporosis with current pathological fracture, vertebra' }],
  })
}

export function levelFields(rng: Rng, kind: 'vertebroplasty' | 'kyphoplasty', level: VertebralLevel): LevelFields {
  const posterior = round1(clamp(rng.normal(27, 2), 20, 34))
  const anterior = round1(posterior * clamp(rng.normal(0.68, 0.1), 0.3, 0.95))
  const middle = round1(posterior * clamp(rng.normal(0.72, 0.1), 0.3, 0.95))
  const gain = kind === 'kyphoplasty' ? rng.normal(0.1, 0.04) : rng.normal(0.04, 0.03)
  const leak = rng.chance(kind === 'kyphoplasty' ? 0.12 : 0.3)
  return LevelFields.parse({
    level,
    approach: rng.chance(0.7) ? 'bipedicular' : 'unipedicular',
    needleGauge: rng.pick([10, 11, 11, 13]),
    balloonVolumeMl: kind === 'kyphoplasty' ? round1(clamp(rng.normal(3, 0.8), 1, 6)) : null,
    balloonPressurePsi: kind === 'kyphoplasty' ? Math.round(clamp(rng.normal(180, 50), 60, 400)) : null,
    cementType: 'PMMA',
    cementVolumeMl: round1(clamp(rng.normal(kind === 'kyphoplasty' ? 4 : 3.5, 1.2), 1, 9)),
    heightBefore: { anterior, middle, posterior },
    heightAfter: { anterior: round1(Math.min(posterior, anterior * (1 + Math.max(0, gain)))), middle: round1(Math.min(posterior, middle * (1 + Math.max(0, gain)))), posterior },
    leakage: leak ? [rng.pick(['venous', 'paravertebral', 'epidural', 'disc'] as const)] : ['none'],
    leakageSymptomatic: leak ? rng.chance(0.03) : null,
    notes: '',
  })
}

export function recoveryFields(rng: Rng, endedAt: string, overnight: boolean): RecoveryFields {
  const ended = Date.parse(endedAt)
  const m = (min: number) => new Date(ended + min * 60_000).toISOString()
  const supine = 60 + rng.int(0, 30)
  return RecoveryFields.parse({
    supineStartedAt: m(2),
    supineEndedAt: m(2 + supine),
    arrivedAt: m(5 + supine),
    departedAt: overnight ? m(18 * 60 + rng.int(0, 120)) : m(5 + supine + 90 + rng.int(0, 90)),
    baselinePain: rng.int(1, 5),
    checklist: { vitalSignsStable: true, painControlled: !overnight, neuroAtBaseline: true, alertAndOriented: true, walksSafely: true, toleratingFluids: true, voided: true, punctureSitesDry: true, escortHome: true, instructionsUnderstood: true },
  })
}

export function checkFields(rng: Rng, checkedAt: string, pain: number): CheckFields {
  const systolic = rng.int(110, 165)
  return CheckFields.parse({ checkedAt, systolic, diastolic: Math.min(systolic - 30, rng.int(60, 95)), heartRate: rng.int(58, 96), spo2: rng.int(93, 99), pain, legNeuro: 'normal', neuroNote: '' })
}

/**
 * The respiratory rate and the sedation recovery score (Aldrete) of a check `minutes` after arrival: a patient
 * coming round from moderate sedation, 8 on arrival, 9 at a quarter of an hour, 10 from half an hour. No randomness.
 */
export function recoveringCheck(minutes: number): { respiratoryRate: number; sedationScore: number } {
  return { respiratoryRate: 14 + ((minutes / 15) % 3), sedationScore: minutes === 0 ? 8 : minutes < 30 ? 9 : 10 }
}

/** A check with steady, unremarkable vital signs, drawing nothing from the random stream. */
export function steadyCheck(checkedAt: string, pain: number, recovering: { respiratoryRate: number; sedationScore: number }): CheckFields {
  return CheckFields.parse({ checkedAt, systolic: 132, diastolic: 78, heartRate: 74, spo2: 96, pain, legNeuro: 'normal', neuroNote: '', ...recovering })
}

export function stayDecision(rng: Rng, procedureId: number, overnight: boolean) {
  return DecideStay.parse({
    procedureId,
    disposition: overnight ? 'overnight' : 'sameDay',
    reasons: overnight ? [rng.pick(['uncontrolledPain', 'uncontrolledPain', 'livesAloneOrFar', 'sedationReaction', 'otherConditions'] as const)] : [],
    otherText: '',
    note: '',
  })
}

export const FOLLOW_UPS: [label: string, days: number, attendance: number][] = [
  ['2 weeks', 14, 0.88],
  ['6 weeks', 42, 0.78],
  ['3 months', 91, 0.68],
]

/** A follow-up visit: pain and disability fall after augmentation, most in the first weeks. */
export function visitFields(rng: Rng, visitDate: string, step: number, baseline: { pain: number; odiMean: number }): FollowUpVisitFields & { odiScore: number | null } {
  const painDrop = [3.6, 4.6, 5.0][step]!
  const odiDrop = [1.3, 1.7, 1.9][step]!
  const pain = clamp(Math.round(baseline.pain - rng.normal(painDrop, 1.8)), 0, 10)
  const answers = rng.chance(0.85) ? odiAnswers(rng, Math.max(0.2, baseline.odiMean - odiDrop)) : null
  const newFracture = rng.chance(0.02 * (step + 1))
  const fields = FollowUpVisitFields.parse({
    visitDate,
    painNrs: pain,
    odiAnswers: answers && answers.some((a) => a !== null) ? answers : null,
    analgesics: pain >= 5 ? 'opioid' : pain >= 2 ? 'nonOpioid' : 'none',
    brace: step === 0 && rng.chance(0.4) ? 'partTime' : 'none',
    newFracture,
    newFractureLevels: newFracture ? [pickLevel(rng)] : [],
    complications: newFracture ? ['newFracture'] : [],
    complicationsNote: '',
    satisfaction: pain <= 3 ? rng.pick(['verySatisfied', 'satisfied'] as const) : pain <= 6 ? rng.pick(['satisfied', 'neutral'] as const) : rng.pick(['neutral', 'dissatisfied'] as const),
    notes: '',
  })
  return { ...fields, odiScore: fields.odiAnswers ? scoreOdi(fields.odiAnswers).score : null }
}
