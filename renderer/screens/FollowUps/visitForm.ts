/**
 * The follow-up visit form's values and what `followUpVisits.record` is sent. The form validates with the
 * router's own schema (FollowUpVisitFields); its keys are the schema's ('visitDate', 'newFractureLevels').
 */
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { ANALGESIC_USES, BRACE_USES, FollowUpVisitFields, SATISFACTION } from '../../../shared/schemas/outcomes'
import type { COMPLICATIONS } from '../../../shared/schemas/procedures'
import { validateWith } from '../../forms'
import { emptyOdi } from '../../components/clinicalOptions'

export interface VisitValues {
  visitDate: string
  painNrs: number | null
  odiAnswers: (number | null)[]
  /** null: the Roland-Morris questionnaire was not done */
  rmdqAnswers: boolean[] | null
  analgesics: (typeof ANALGESIC_USES)[number] | ''
  brace: (typeof BRACE_USES)[number] | ''
  newFracture: boolean
  newFractureLevels: VertebralLevel[]
  complications: (typeof COMPLICATIONS)[number][]
  complicationsNote: string
  satisfaction: (typeof SATISFACTION)[number] | ''
  notes: string
}

export function emptyVisit(visitDate: string): VisitValues {
  return { visitDate, painNrs: null, odiAnswers: emptyOdi(), rmdqAnswers: null, analgesics: '', brace: '', newFracture: false, newFractureLevels: [], complications: [], complicationsNote: '', satisfaction: '', notes: '' }
}

/** Unanswered choices are null; an ODI with no section answered is left out. */
export function visitPayload(v: VisitValues) {
  return {
    ...v,
    odiAnswers: v.odiAnswers.some((a) => a !== null) ? v.odiAnswers : null,
    analgesics: v.analgesics || null,
    brace: v.brace || null,
    satisfaction: v.satisfaction || null,
  }
}

const validateFields = validateWith(FollowUpVisitFields)
export const validateVisit = (v: VisitValues) => validateFields(visitPayload(v))

/** The router names a field `fields.visitDate`, the service `visitDate`: the form knows the latter. */
export function formFieldErrors(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, m]) => [k.replace(/^fields\./, ''), m.charAt(0).toUpperCase() + m.slice(1)]))
}
