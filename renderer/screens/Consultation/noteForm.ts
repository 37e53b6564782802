/**
 * The note editor's values and their conversion to what the channel takes. The note has four parts (fields,
 * findings, plan, decision), saved together by one call (consultations.saveNote, one transaction: all the
 * changed parts or none); the form keys match the router's field paths ('fields.visitDate', 'findings.0.level',
 * 'plan.bracing', 'decision.levels').
 *
 * The editor keeps one small form per section (a key typed re-renders its section only). Each section's
 * values are a slice of NoteValues with the same paths ({ fields: { visitDate, ... } }, { findings }), so a
 * save joins them into NoteValues, validates that with the router's schemas, and hands each error to the
 * section holding its path.
 */
import type { CandidacyDecisionKind, Contraindication } from '../../../shared/clinical/contraindications'
import { reassessmentDate } from '../../../shared/clinical/dates'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { RMDQ_ITEM_COUNT } from '../../../shared/clinical/scores'
import { emptyOdi } from '../../components/clinicalOptions'
import { isValidIsoDate } from '../../../shared/dates'
import { CarePlanFields, ConsultationFields, DecisionFields, SaveFindings, type ConsultationView, type FindingFields } from '../../../shared/schemas/consultations'
import { validateParts } from '../../forms'

export type FindingDraft = Omit<FindingFields, 'level' | 'modality' | 'acuity'> & {
  level: FindingFields['level'] | ''
  modality: FindingFields['modality'] | ''
  acuity: FindingFields['acuity'] | ''
}

export interface NoteValues {
  fields: Omit<ConsultationFields, 'odiAnswers' | 'rmdqAnswers'> & { odiAnswers: (number | null)[]; rmdqAnswers: boolean[] | null }
  findings: FindingDraft[]
  planOn: boolean
  plan: { bracing: string; painMedication: string; otherMeasures: string; startDate: string; reassessmentDate: string }
  decision: { decision: CandidacyDecisionKind | null; levels: VertebralLevel[]; reason: string; contraindications: Contraindication[]; overrideReason: string; contraindicationsReviewed: boolean }
}

/** The note's query key (the screen's cache of `consultations.get`). */

export const PARTS = ['fields', 'findings', 'plan', 'decision'] as const
export type Part = (typeof PARTS)[number]

export { emptyOdi }
export const emptyRmdq = () => Array<boolean>(RMDQ_ITEM_COUNT).fill(false)

/** Six weeks after the start, or '' while the start is not a date yet. */
export function defaultReassessment(start: string): string {
  return isValidIsoDate(start) ? reassessmentDate(start) : ''
}

export function fromView(v: ConsultationView): NoteValues {
  const plan = v.carePlan
  return {
    fields: { ...v.fields, odiAnswers: v.fields.odiAnswers ?? emptyOdi() },
    findings: v.findings.map(({ id: _id, genantGrade: _g, ...f }) => f),
    planOn: plan !== null,
    plan: plan
      ? { bracing: plan.bracing, painMedication: plan.painMedication, otherMeasures: plan.otherMeasures, startDate: plan.startDate, reassessmentDate: plan.reassessmentDate }
      : { bracing: '', painMedication: '', otherMeasures: '', startDate: v.fields.visitDate, reassessmentDate: defaultReassessment(v.fields.visitDate) },
    decision: { ...v.decision },
  }
}

/** What each channel is sent. */
export function payload(values: NoteValues) {
  const odi = values.fields.odiAnswers
  return {
    fields: { ...values.fields, odiAnswers: odi.some((a) => a !== null) ? odi : null },
    findings: values.findings,
    plan: values.planOn ? { ...values.plan, reassessmentDate: values.plan.reassessmentDate.trim() === '' ? null : values.plan.reassessmentDate.trim() } : null,
    decision: values.decision,
  }
}

export type Payload = ReturnType<typeof payload>

export function validateNote(values: NoteValues): Record<string, string> {
  const p = payload(values)
  return validateParts({ fields: ConsultationFields, findings: SaveFindings.shape.findings, plan: p.plan ? CarePlanFields : null, decision: DecisionFields }, p)
}

export const partKey = (p: Payload, part: Part) => JSON.stringify(p[part])

export function dirtyParts(values: NoteValues, saved: NoteValues): Part[] {
  const now = payload(values)
  const then = payload(saved)
  return PARTS.filter((part) => partKey(now, part) !== partKey(then, part))
}

/** The note's `fields`, by the section of the editor that holds them. */
export const FIELD_GROUPS = {
  visit: ['visitDate', 'chiefComplaint', 'onsetDate', 'mechanism', 'trauma', 'hospitalized'],
  history: ['history', 'medications'],
  relevant: ['osteoporosis', 'steroidUse', 'priorFractures', 'asaClass', 'tScore', 'tScoreDate', 'boneDensityReferred', 'osteoporosisEducation', 'mriContraindicated', 'osteoporosisTreatment', 'flsReferred', 'flsReferralDate'],
  pain: ['painNrs', 'painTrend', 'kyphoticAngle', 'odiAnswers', 'rmdqAnswers'],
  exam: ['examination', 'neuroExam', 'neuroExamDetails', 'assessment', 'plan'],
} as const satisfies Record<string, readonly (keyof NoteValues['fields'])[]>
export type FieldGroup = keyof typeof FIELD_GROUPS
export type GroupValues<G extends FieldGroup> = { fields: Pick<NoteValues['fields'], (typeof FIELD_GROUPS)[G][number]> }
export type FindingsValues = Pick<NoteValues, 'findings'>
export type PlanValues = Pick<NoteValues, 'planOn' | 'plan'>
export type DecisionValues = Pick<NoteValues, 'decision'>
export type SectionName = FieldGroup | 'findings' | 'plan' | 'decision'

const GROUP_NAMES = Object.keys(FIELD_GROUPS) as FieldGroup[]
const GROUP_OF = new Map<string, FieldGroup>(GROUP_NAMES.flatMap((g) => FIELD_GROUPS[g].map((k) => [k, g] as const)))

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>
}

/** Each section's values, from the note's. */
export function sectionsOf(v: NoteValues) {
  return {
    visit: { fields: pick(v.fields, FIELD_GROUPS.visit) },
    history: { fields: pick(v.fields, FIELD_GROUPS.history) },
    relevant: { fields: pick(v.fields, FIELD_GROUPS.relevant) },
    pain: { fields: pick(v.fields, FIELD_GROUPS.pain) },
    exam: { fields: pick(v.fields, FIELD_GROUPS.exam) },
    findings: { findings: v.findings },
    plan: { planOn: v.planOn, plan: v.plan },
    decision: { decision: v.decision },
  } satisfies Record<SectionName, object>
}
export type Sections = ReturnType<typeof sectionsOf>

/** The note's values from its sections' (a section not shown keeps the baseline's). */
export function joinSections(base: NoteValues, get: (name: SectionName) => object | undefined): NoteValues {
  const fields = { ...base.fields }
  for (const g of GROUP_NAMES) Object.assign(fields, (get(g) as GroupValues<FieldGroup> | undefined)?.fields)
  return {
    fields,
    findings: base.findings,
    planOn: base.planOn,
    plan: base.plan,
    decision: base.decision,
    ...(get('findings') as FindingsValues | undefined),
    ...(get('plan') as PlanValues | undefined),
    ...(get('decision') as DecisionValues | undefined),
  }
}

/** The section that shows an error named as the router names it ('fields.tScore', 'findings.0.level'). */
export function sectionOfError(key: string): SectionName | null {
  const [head, next] = key.split('.')
  if (head === 'fields') return (next && GROUP_OF.get(next)) || null
  if (head === 'findings') return 'findings'
  if (head === 'plan' || head === 'planOn') return 'plan'
  if (head === 'decision') return 'decision'
  return null
}
