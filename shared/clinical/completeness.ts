/**
 * What is missing before a clinical record is signed or recorded (issue 23 point 2): an empty consultation, an
 * untouched follow-up visit, a procedure request with no coverage point documented, a discharge summary while
 * discharge readiness says not ready. These never block (the clinical gating lives in the services); they feed
 * the confirmation that names each missing item, in the words the screens use, so that nothing clinically empty
 * is signed with one click. Pure: both sides may import them, and the unit tests pin their boundaries.
 */

import { isProcedureDecision, type CandidacyDecisionKind } from './contraindications'

const blank = (s: string | null | undefined): boolean => (s ?? '').trim() === ''

/** The parts of a consultation note these rules read (ConsultationView has them). */
export interface ConsultationForCompleteness {
  fields: {
    chiefComplaint: string
    history: string
    painNrs: number | null
    examination: string
    assessment: string
    plan: string
  }
  findings: readonly unknown[]
  decision: { decision: CandidacyDecisionKind | null }
  coverage: { metCount: number; items: readonly { label: string; met: boolean }[] }
}

/**
 * What a signed consultation would lack, each as the screen names it. A procedure decision with coverage
 * readiness at 0 of its points adds one item naming the points, since the request goes to the front desk
 * (and on to the payer) with nothing documented.
 */
export function consultationMissing(c: ConsultationForCompleteness): string[] {
  const out: string[] = []
  if (blank(c.fields.chiefComplaint)) out.push('Chief complaint')
  if (blank(c.fields.history)) out.push('History of present illness')
  if (c.fields.painNrs === null) out.push('Pain now (0-10)')
  if (blank(c.fields.examination)) out.push('Examination')
  if (c.findings.length === 0) out.push('Imaging findings (none recorded)')
  if (blank(c.fields.assessment)) out.push('Assessment')
  if (blank(c.fields.plan)) out.push('Plan')
  if (c.decision.decision === null) out.push('Candidacy decision')
  else if (isProcedureDecision(c.decision.decision) && c.coverage.items.length > 0 && c.coverage.metCount === 0) {
    out.push(`Coverage readiness: 0 of ${c.coverage.items.length} documented (${c.coverage.items.map((i) => i.label).join('; ')})`)
  }
  return out
}

/** A follow-up visit's values as the form holds them (empty choice: '' or null). */
export interface FollowUpVisitForCompleteness {
  painNrs: number | null
  odiAnswers: readonly (number | null)[] | null
  rmdqAnswers: readonly boolean[] | null
  analgesics: string | null
  brace: string | null
  satisfaction: string | null
  newFracture: boolean
  complications: readonly string[]
  notes: string
}

/**
 * What a follow-up visit would be recorded without. The outcome measures (pain, ODI) are what the visit is
 * for: when either is missing, every unanswered item is named. A visit with both is recorded without asking
 * (Roland-Morris, medication, brace and satisfaction are often not asked, and say so on the screen).
 */
export function followUpVisitMissing(v: FollowUpVisitForCompleteness): string[] {
  const odiAnswered = (v.odiAnswers ?? []).filter((a) => a !== null).length
  const odiCount = v.odiAnswers?.length ?? 10
  const core: string[] = []
  if (v.painNrs === null) core.push('Pain now (0-10)')
  if (odiAnswered === 0) core.push('ODI questionnaire (no section answered)')
  if (core.length === 0) return []
  const rest: string[] = []
  if (odiAnswered > 0 && odiAnswered < odiCount) rest.push(`ODI questionnaire (${odiAnswered} of ${odiCount} sections answered)`)
  if (v.rmdqAnswers === null) rest.push('Roland-Morris questionnaire')
  if (blank(v.analgesics)) rest.push('Pain medication')
  if (blank(v.brace)) rest.push('Brace')
  if (blank(v.satisfaction)) rest.push('Satisfaction with the treatment')
  const untouched = rest.length === 4 && !v.newFracture && v.complications.length === 0 && blank(v.notes)
  return untouched ? [...core, ...rest, 'Nothing else was entered'] : [...core, ...rest]
}

/** Discharge readiness as the recovery record reports it (shared/clinical/observation.ts dischargeReadiness). */
export interface ReadinessForCompleteness {
  ready: boolean
  items: readonly { label: string; checked: boolean }[]
  warnings: readonly string[]
}

/** What the discharge-readiness checklist does not yet say while it reads "Not ready": each unticked point, then each warning. */
export function dischargeMissing(r: ReadinessForCompleteness | null): string[] {
  if (r === null) return ['Discharge readiness (no recovery record)']
  if (r.ready) return []
  const out = [...r.items.filter((i) => !i.checked).map((i) => `Not ticked: ${i.label}`), ...r.warnings]
  return out.length > 0 ? out : ['Discharge readiness says not ready']
}
