/**
 * The note editor's values and their conversion to what the channels take. The note is saved in four
 * parts (fields, findings, plan, decision), each through its own channel and schema; the form keys match
 * the router's field paths ('fields.visitDate', 'findings.0.level', 'plan.bracing', 'decision.levels').
 */
import type { CandidacyDecisionKind, Contraindication } from '../../../shared/clinical/contraindications'
import { reassessmentDate } from '../../../shared/clinical/dates'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { ODI_SECTION_COUNT, RMDQ_ITEM_COUNT } from '../../../shared/clinical/scores'
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
  decision: { decision: CandidacyDecisionKind | null; levels: VertebralLevel[]; reason: string; contraindications: Contraindication[]; overrideReason: string }
}

export const PARTS = ['fields', 'findings', 'plan', 'decision'] as const
export type Part = (typeof PARTS)[number]

export const emptyOdi = () => Array<number | null>(ODI_SECTION_COUNT).fill(null)
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
