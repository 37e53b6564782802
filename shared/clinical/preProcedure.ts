/**
 * The checklist the physician signs off before a vertebroplasty or kyphoplasty (issue 17, point 3): each item is
 * met, failed (in words, for the procedure screen and the override), or not applicable. Pure: the record, the
 * planned procedure and the clinic's thresholds in, the items out.
 */
import { checkHold, HOLD_RULES, hoursText, type Antithrombotic } from './antithrombotics'
import { daysBetween } from './dates'
import type { VertebralLevel } from './levels'

export const PREGNANCY_STATUSES = ['negativeTest', 'notPossible', 'positive', 'notRecorded'] as const
export type PregnancyStatus = (typeof PREGNANCY_STATUSES)[number]
export const INFECTION_SCREENS = ['noSigns', 'signsPresent', 'notChecked'] as const
export type InfectionScreen = (typeof INFECTION_SCREENS)[number]

export interface PreProcedurePolicy {
  /**
   * Highest INR accepted. SIR 2019 (Patel IJ et al., J Vasc Interv Radiol 2019;30:1168-1184), high bleeding-risk
   * procedures: correct the INR to within 1.5-1.8 or less; the clinic's default is the stricter end.
   */
  inrMax: number
  /** Lowest platelet count accepted, x10^9/L. SIR 2019, high bleeding risk: consider transfusion below 50. */
  plateletsMin: number
  /** Labs older than this many days before the procedure day do not count (the clinic's policy). */
  labMaxAgeDays: number
  /**
   * Hours without solid food before sedation. American Society of Anesthesiologists practice guidelines for
   * preoperative fasting (Anesthesiology 2017;126:376-393): 6 hours after a light meal.
   */
  fastingHours: number
  /** Ages, in whole years, at which a female patient's pregnancy status must be recorded (the clinic's policy). */
  pregnancyAgeFrom: number
  pregnancyAgeTo: number
}

export const DEFAULT_PRE_PROCEDURE_POLICY: PreProcedurePolicy = { inrMax: 1.5, plateletsMin: 50, labMaxAgeDays: 30, fastingHours: 6, pregnancyAgeFrom: 12, pregnancyAgeTo: 55 }

export interface PreProcedureChecklist {
  consent: { obtainedBy: string; obtainedAt: string | null; procedureKind: 'vertebroplasty' | 'kyphoplasty' | null; levels: readonly VertebralLevel[] }
  inr: { value: number | null; date: string | null }
  /** x10^9/L */
  platelets: { value: number | null; date: string | null }
  antithrombotics: readonly { drug: Antithrombotic; lastDoseAt: string | null; restartOn: string | null }[]
  pregnancy: PregnancyStatus
  infectionScreen: InfectionScreen
  /** cement and contrast allergies asked and confirmed with the patient */
  allergiesConfirmed: boolean
  /** last solid food, an instant */
  fastingSince: string | null
}

export interface PlannedProcedure {
  kind: 'vertebroplasty' | 'kyphoplasty'
  levels: readonly VertebralLevel[]
  /** the needle's planned time, an instant */
  startsAt: string
  /** the clinic's calendar date of that start */
  date: string
  patient: { sex: string; ageYears: number }
  /** what the chart records under anticoagulants and antiplatelets (free text), '' when nothing */
  chartAntithrombotics: string
}

export const CHECKLIST_ITEMS = ['consent', 'inr', 'platelets', 'antithrombotics', 'pregnancy', 'infectionScreen', 'allergies', 'fasting'] as const
export type ChecklistItemKey = (typeof CHECKLIST_ITEMS)[number]
export const CHECKLIST_LABELS: Record<ChecklistItemKey, string> = {
  consent: 'Consent recorded for this procedure and these levels',
  inr: 'INR within the threshold, recent enough',
  platelets: 'Platelets above the threshold, recent enough',
  antithrombotics: 'Anticoagulants and antiplatelets held, with restart dates',
  pregnancy: 'Pregnancy status',
  infectionScreen: 'No sign of infection',
  allergies: 'Cement and contrast allergies confirmed with the patient',
  fasting: 'Fasting',
}

export interface ChecklistItem {
  key: ChecklistItemKey
  label: string
  status: 'met' | 'failed' | 'notApplicable'
  /** what the record says, or what is wrong, in words */
  detail: string
}

export interface ChecklistResult {
  items: ChecklistItem[]
  failed: ChecklistItem[]
  /** every item met or not applicable: the sign-off needs no override reason */
  clear: boolean
}

const KIND_LABEL = { vertebroplasty: 'vertebroplasty', kyphoplasty: 'kyphoplasty' } as const

function consentItem(c: PreProcedureChecklist['consent'], p: PlannedProcedure): [ChecklistItem['status'], string] {
  const problems: string[] = []
  if (!c.obtainedBy.trim()) problems.push('who obtained consent is not recorded')
  if (!c.obtainedAt) problems.push('when consent was given is not recorded')
  else if (c.obtainedAt > p.startsAt) problems.push('consent is recorded after the procedure starts')
  if (!c.procedureKind) problems.push('the consented procedure is not recorded')
  else if (c.procedureKind !== p.kind) problems.push(`consent is for a ${KIND_LABEL[c.procedureKind]}; a ${KIND_LABEL[p.kind]} is planned`)
  const missing = p.levels.filter((l) => !c.levels.includes(l))
  if (missing.length > 0) problems.push(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} planned but not consented`)
  if (problems.length > 0) return ['failed', problems.join('; ')]
  return ['met', `${KIND_LABEL[p.kind]} at ${p.levels.join(', ')}, obtained by ${c.obtainedBy.trim()}`]
}

function labItem(name: string, lab: { value: number | null; date: string | null }, ok: (v: number) => boolean, limit: string, p: PlannedProcedure, maxAge: number): [ChecklistItem['status'], string] {
  if (lab.value === null || !lab.date) return ['failed', `no ${name} recorded with its date`]
  if (lab.date > p.date) return ['failed', `the ${name} is dated after the procedure day`]
  const age = daysBetween(lab.date, p.date)
  if (age > maxAge) return ['failed', `${name} ${lab.value} is ${age} days old; at most ${maxAge} days are accepted`]
  if (!ok(lab.value)) return ['failed', `${name} ${lab.value} (${lab.date}) is outside the clinic's threshold (${limit})`]
  return ['met', `${name} ${lab.value} on ${lab.date} (${limit})`]
}

export function evaluateChecklist(c: PreProcedureChecklist, p: PlannedProcedure, policy: PreProcedurePolicy = DEFAULT_PRE_PROCEDURE_POLICY): ChecklistResult {
  const items: ChecklistItem[] = []
  const add = (key: ChecklistItemKey, [status, detail]: [ChecklistItem['status'], string]) => items.push({ key, label: CHECKLIST_LABELS[key], status, detail })

  add('consent', consentItem(c.consent, p))
  add('inr', labItem('INR', c.inr, (v) => v <= policy.inrMax, `at most ${policy.inrMax}`, p, policy.labMaxAgeDays))
  add('platelets', labItem('platelets', c.platelets, (v) => v >= policy.plateletsMin, `at least ${policy.plateletsMin} x10^9/L`, p, policy.labMaxAgeDays))

  if (c.antithrombotics.length === 0) {
    add('antithrombotics', p.chartAntithrombotics.trim() ? ['failed', `the chart records "${p.chartAntithrombotics.trim()}": list each drug with its last dose`] : ['notApplicable', 'none recorded on the chart or here'])
  } else {
    const problems: string[] = []
    const fine: string[] = []
    for (const d of c.antithrombotics) {
      const hold = checkHold(d.drug, d.lastDoseAt, p.startsAt)
      ;(hold.met ? fine : problems).push(hold.message)
      const label = HOLD_RULES[d.drug].label
      if (!d.restartOn) problems.push(`${label}: no restart date for the discharge summary`)
      else if (d.restartOn < p.date) problems.push(`${label}: the restart date is before the procedure`)
    }
    add('antithrombotics', problems.length > 0 ? ['failed', problems.join('; ')] : ['met', fine.join('; ')])
  }

  const relevant = p.patient.sex === 'female' && p.patient.ageYears >= policy.pregnancyAgeFrom && p.patient.ageYears <= policy.pregnancyAgeTo
  if (!relevant) add('pregnancy', ['notApplicable', `not required (${p.patient.sex}, ${p.patient.ageYears} years)`])
  else if (c.pregnancy === 'negativeTest') add('pregnancy', ['met', 'negative pregnancy test'])
  else if (c.pregnancy === 'notPossible') add('pregnancy', ['met', 'pregnancy not possible (recorded by the physician)'])
  else if (c.pregnancy === 'positive') add('pregnancy', ['failed', 'the patient is pregnant (an absolute contraindication)'])
  else add('pregnancy', ['failed', `pregnancy status not recorded (required for women aged ${policy.pregnancyAgeFrom} to ${policy.pregnancyAgeTo})`])

  add('infectionScreen', c.infectionScreen === 'noSigns' ? ['met', 'no sign of local or systemic infection'] : c.infectionScreen === 'signsPresent' ? ['failed', 'signs of infection recorded (active infection is an absolute contraindication)'] : ['failed', 'the infection screen is not recorded'])
  add('allergies', c.allergiesConfirmed ? ['met', 'confirmed with the patient'] : ['failed', 'cement and contrast allergies not yet confirmed with the patient'])

  if (!c.fastingSince) add('fasting', ['failed', 'the last meal is not recorded'])
  else {
    const ms = Date.parse(p.startsAt) - Date.parse(c.fastingSince)
    const hours = Math.floor(ms / 3_600_000)
    if (ms >= policy.fastingHours * 3_600_000) add('fasting', ['met', `nothing to eat for ${hoursText(hours)} before the procedure`])
    else add('fasting', ['failed', `${ms < 0 ? 'the last meal is recorded after the start' : `only ${hoursText(hours)} without food`}; ${policy.fastingHours} hours needed`])
  }

  const failed = items.filter((i) => i.status === 'failed')
  return { items, failed, clear: failed.length === 0 }
}
