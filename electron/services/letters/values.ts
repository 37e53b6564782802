/**
 * The placeholders' values of a letter, in words, from what was signed: a consultation's signed content (its
 * signature's snapshot: fields, findings, care plan, decision), or a procedure's signed discharge summary content
 * (levels, complications, disposition, follow-ups, medications). Never from the live rows, which may have moved on.
 */
import { CANDIDACY_LABELS, type CandidacyDecisionKind } from '../../../shared/clinical/contraindications'
import { formatTypedDate } from '../../../shared/dates'
import type { LetterValues } from '../../../shared/letters/template'
import {
  FRACTURE_CAUSE_LABELS,
  MODALITY_LABELS,
  OSTEOPOROSIS_TREATMENT_LABELS,
  type CarePlanFields,
  type ConsultationFields,
  type DecisionFields,
  type FindingFields,
} from '../../../shared/schemas/consultations'
import type { DischargeContent } from '../../../shared/schemas/discharge'

/** The part of a consultation's signature snapshot a letter reads (electron/services/consultations/view.ts signedContent). */
export interface SignedConsultation {
  fields: ConsultationFields
  findings: FindingFields[]
  carePlan: (Omit<CarePlanFields, 'reassessmentDate'> & { reassessmentDate: string | null }) | null
  decision: DecisionFields
}

export interface CommonFacts {
  clinicName: string
  letterDate: string
  recipientName: string
  patient: { firstName: string; lastName: string; dateOfBirth: string; mrn: string }
  physicianName: string
}

const date = (iso: string) => formatTypedDate(iso)
const orNone = (text: string, none: string) => (text.trim() === '' ? none : text.trim())

function common(f: CommonFacts) {
  return {
    'clinic.name': f.clinicName,
    'letter.date': date(f.letterDate),
    'recipient.name': f.recipientName,
    'patient.name': `${f.patient.firstName} ${f.patient.lastName}`,
    'patient.firstName': f.patient.firstName,
    'patient.lastName': f.patient.lastName,
    'patient.dateOfBirth': date(f.patient.dateOfBirth),
    'patient.mrn': f.patient.mrn,
    'physician.name': f.physicianName,
  }
}

/** 'L1: MRI of 11/20/2026, acute, marrow oedema, 30% height loss, wedge fracture, osteoporotic. Notes' */
export function findingLine(f: FindingFields): string {
  const parts = [`${MODALITY_LABELS[f.modality]} of ${date(f.imagingDate)}`, f.acuity]
  if (f.marrowOedema === true) parts.push('marrow oedema')
  else if (f.marrowOedema === false) parts.push('no marrow oedema')
  if (f.heightLossPercent !== null) parts.push(`${f.heightLossPercent}% height loss`)
  if (f.fractureType) parts.push(`${f.fractureType} fracture`)
  if (f.fractureCause) parts.push(FRACTURE_CAUSE_LABELS[f.fractureCause].toLowerCase())
  if (f.retropulsion) parts.push('retropulsion')
  if (f.canalCompromise) parts.push('canal compromise')
  return `${f.level}: ${parts.join(', ')}${f.notes ? `. ${f.notes}` : ''}`
}

export function decisionText(d: DecisionFields): string {
  if (d.decision === null) return 'No decision recorded.'
  const label = CANDIDACY_LABELS[d.decision as CandidacyDecisionKind]
  return `${label}${d.levels.length > 0 ? ` at ${d.levels.join(', ')}` : ''}${d.reason ? `. ${d.reason}` : '.'}`
}

export function consultationPlan(c: SignedConsultation): string {
  const lines: string[] = []
  if (c.fields.plan) lines.push(c.fields.plan)
  const p = c.carePlan
  if (p) {
    if (p.bracing) lines.push(`Bracing: ${p.bracing}`)
    if (p.painMedication) lines.push(`Pain medication: ${p.painMedication}`)
    if (p.otherMeasures) lines.push(`Other measures: ${p.otherMeasures}`)
    if (p.reassessmentDate) lines.push(`Reassessment around ${date(p.reassessmentDate)}`)
  }
  if (c.fields.osteoporosisTreatment) lines.push(`Osteoporosis treatment: ${OSTEOPOROSIS_TREATMENT_LABELS[c.fields.osteoporosisTreatment].toLowerCase()}`)
  if (c.fields.flsReferred && c.fields.flsReferralDate) lines.push(`Referred to the fracture liaison service on ${date(c.fields.flsReferralDate)}`)
  return lines.length > 0 ? lines.join('\n') : 'No plan recorded.'
}

export function consultationValues(f: CommonFacts, c: SignedConsultation): LetterValues<'consultation'> {
  return {
    ...common(f),
    'visit.date': date(c.fields.visitDate),
    chiefComplaint: orNone(c.fields.chiefComplaint, 'not recorded'),
    findings: c.findings.length > 0 ? c.findings.map(findingLine).join('\n') : 'No imaging findings recorded.',
    assessment: orNone(c.fields.assessment, 'Not recorded.'),
    decision: decisionText(c.decision),
    levels: c.decision.levels.length > 0 ? c.decision.levels.join(', ') : 'none',
    plan: consultationPlan(c),
  }
}

export function procedureValues(f: CommonFacts, d: DischargeContent): LetterValues<'procedure'> {
  const levels = d.levels.map(
    (l) => `${l.level}: ${l.approach.toLowerCase()}, ${l.cementVolumeMl === null ? 'cement volume not recorded' : `${l.cementVolumeMl} mL`}${l.cementType ? ` of ${l.cementType}` : ''}; cement leakage: ${l.leakage}`,
  )
  const outcome = [d.complications.length > 0 ? `Complications: ${d.complications.join('; ')}` : 'No complications.']
  if (d.disposition) outcome.push(`${d.disposition.label}${d.disposition.reasons ? ` (${d.disposition.reasons})` : ''}.`)
  const followUp = d.followUps.length > 0 ? d.followUps.map((x) => `${x.label}: around ${date(x.targetDate)}${x.appointment ? `, booked ${x.appointment}` : ''}`).join('\n') : 'None planned.'
  const plan = [`Follow-up:\n${followUp}`]
  if (d.medications.trim()) plan.push(`Medications at discharge:\n${d.medications.trim()}`)
  for (const r of d.antithromboticRestarts ?? []) plan.push(`${r.drug}: ${r.restartOn ? `restart on ${date(r.restartOn)}` : 'restart date not recorded'}`)
  return {
    ...common(f),
    procedure: d.procedure.kindLabel.toLowerCase(),
    'procedure.date': date(d.procedure.date),
    levels: levels.length > 0 ? levels.join('\n') : 'No level recorded.',
    outcome: outcome.join('\n'),
    followUp,
    plan: plan.join('\n'),
  }
}
