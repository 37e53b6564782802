/** Loading a consultation note and its parts, and the checks every change to a note goes through. */
import { genantGrade } from '../../../shared/clinical/genant'
import { isVertebralLevel, sortLevels, type VertebralLevel } from '../../../shared/clinical/levels'
import type { Contraindication } from '../../../shared/clinical/contraindications'
import { AppError } from '../../../shared/result'
import type { CarePlanView, ConsultationFields, ConsultationView, FindingView } from '../../../shared/schemas/consultations'
import type { Tx } from '../../db/tx'
import type { CarePlanRow, ConsultationRow, FindingRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { staleDetail, staleSentence } from '../records/conflicts'
import { assertEditable, type RecordRef } from '../signing'
import { assertVersion, assertWritten, nextVersion } from '../records/versions'

export const NOTE_LABEL = 'consultation note'

export const bool = (v: number | null): boolean | null => (v === null ? null : v === 1)
export const bit = (v: boolean | null): number | null => (v === null ? null : v ? 1 : 0)

export async function loadNote(db: Tx, id: number, field = 'id'): Promise<ConsultationRow> {
  const row = await db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no consultation note with id ${id}.`, { [field]: 'no such consultation note' })
  return row
}

export const noteRef = (row: Pick<ConsultationRow, 'id' | 'patient_id'>): RecordRef => ({ type: 'consultation', id: row.id, patientId: row.patient_id, label: NOTE_LABEL })

/**
 * Before any change to a note or its parts: the note is an editable draft, the caller is its provider,
 * and the version they read is current. Bumps the version, so that every part of the note shares one.
 */
export async function beginNoteChange(ctx: ServiceContext, id: number, version: number, field = 'id'): Promise<ConsultationRow> {
  const actor = requireActor(ctx)
  const row = await loadNote(ctx.db, id, field)
  await assertEditable(ctx.db, noteRef(row))
  if (row.provider_id !== actor.id) {
    const provider = await userName(ctx.db, row.provider_id)
    throw new AppError('forbidden', `Only ${provider}, the provider of this consultation, can change its note; add an addendum once it is signed.`)
  }
  if (row.version !== version) {
    // who saved the note since (its provider in another window, as only the provider edits a draft), and when
    const detail = await staleDetail(ctx.db, row.updated_by, row.updated_at)
    await assertVersion(row.version, version, async () => `${await staleSentence(ctx.db, 'this note', detail)} Your changes were not saved; reload to see the current note, or compare.`, { detail })
  }
  const updated = await ctx.db
    .updateTable('consultations')
    .set({ version: nextVersion(row.version), updated_at: nowIso(ctx), updated_by: actor.id })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst()
  return assertWritten(updated, 'This note was changed by someone else a moment ago. Reload it.')
}

export async function userName(db: Tx, id: number): Promise<string> {
  const u = await db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst()
  return u?.display_name ?? `user ${id}`
}

export function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback
  return JSON.parse(text) as T
}

export function toFields(r: ConsultationRow): ConsultationFields {
  return {
    visitDate: r.visit_date,
    chiefComplaint: r.chief_complaint,
    onsetDate: r.onset_date,
    mechanism: r.mechanism,
    trauma: bool(r.trauma),
    history: r.history,
    medications: r.medications,
    osteoporosis: bool(r.osteoporosis),
    steroidUse: bool(r.steroid_use),
    priorFractures: r.prior_fractures,
    asaClass: r.asa_class,
    tScore: r.t_score,
    tScoreDate: r.t_score_date,
    hospitalized: r.hospitalized === 1,
    painNrs: r.pain_nrs,
    painTrend: r.pain_trend as ConsultationFields['painTrend'],
    kyphoticAngle: r.kyphotic_angle,
    mriContraindicated: r.mri_contraindicated === 1,
    odiAnswers: parseJson<(number | null)[] | null>(r.odi_answers, null),
    rmdqAnswers: parseJson<boolean[] | null>(r.rmdq_answers, null),
    examination: r.examination,
    assessment: r.assessment,
    plan: r.plan,
    boneDensityReferred: r.bone_density_referred === 1,
    osteoporosisEducation: r.osteoporosis_education === 1,
    neuroExam: r.neuro_exam as ConsultationFields['neuroExam'],
    neuroExamDetails: r.neuro_exam_details,
    osteoporosisTreatment: r.osteoporosis_treatment as ConsultationFields['osteoporosisTreatment'],
    flsReferred: r.fls_referred === 1,
    flsReferralDate: r.fls_referral_date,
  }
}

export function fieldColumns(f: ConsultationFields) {
  return {
    visit_date: f.visitDate,
    chief_complaint: f.chiefComplaint,
    onset_date: f.onsetDate,
    mechanism: f.mechanism,
    trauma: bit(f.trauma),
    history: f.history,
    medications: f.medications,
    osteoporosis: bit(f.osteoporosis),
    steroid_use: bit(f.steroidUse),
    prior_fractures: f.priorFractures,
    asa_class: f.asaClass,
    t_score: f.tScore,
    t_score_date: f.tScoreDate,
    hospitalized: f.hospitalized ? 1 : 0,
    pain_nrs: f.painNrs,
    pain_trend: f.painTrend,
    kyphotic_angle: f.kyphoticAngle,
    mri_contraindicated: f.mriContraindicated ? 1 : 0,
    odi_answers: f.odiAnswers === null ? null : JSON.stringify(f.odiAnswers),
    rmdq_answers: f.rmdqAnswers === null ? null : JSON.stringify(f.rmdqAnswers),
    examination: f.examination,
    assessment: f.assessment,
    plan: f.plan,
    bone_density_referred: f.boneDensityReferred ? 1 : 0,
    osteoporosis_education: f.osteoporosisEducation ? 1 : 0,
    neuro_exam: f.neuroExam,
    neuro_exam_details: f.neuroExamDetails,
    osteoporosis_treatment: f.osteoporosisTreatment,
    fls_referred: f.flsReferred ? 1 : 0,
    fls_referral_date: f.flsReferralDate,
  }
}

export function toFinding(r: FindingRow): FindingView {
  return {
    id: r.id,
    level: r.level as VertebralLevel,
    modality: r.modality as FindingView['modality'],
    imagingDate: r.imaging_date,
    acuity: r.acuity as FindingView['acuity'],
    marrowOedema: bool(r.marrow_oedema),
    heightLossPercent: r.height_loss_percent,
    genantGrade: r.height_loss_percent === null ? null : genantGrade(r.height_loss_percent),
    retropulsion: r.retropulsion === 1,
    canalCompromise: r.canal_compromise === 1,
    fractureType: r.fracture_type as FindingView['fractureType'],
    notes: r.notes,
    fractureCause: r.fracture_cause as FindingView['fractureCause'],
    tenderness: r.tenderness as FindingView['tenderness'],
    intravertebralCleft: r.intravertebral_cleft as FindingView['intravertebralCleft'],
  }
}

export async function loadFindings(db: Tx, consultationId: number): Promise<FindingView[]> {
  const rows = await db.selectFrom('consultation_findings').selectAll().where('consultation_id', '=', consultationId).execute()
  const findings = rows.map(toFinding)
  const order = sortLevels(findings.map((f) => f.level))
  return findings.sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level))
}

export function toCarePlan(r: CarePlanRow, outcomeByName: string | null): CarePlanView {
  return {
    id: r.id,
    consultationId: r.consultation_id,
    patientId: r.patient_id,
    providerId: r.provider_id,
    bracing: r.bracing,
    painMedication: r.pain_medication,
    otherMeasures: r.other_measures,
    startDate: r.start_date,
    reassessmentDate: r.reassessment_date,
    reassessmentAppointmentId: r.reassessment_appointment_id,
    outcome: r.outcome as CarePlanView['outcome'],
    outcomeReason: r.outcome_reason,
    outcomeAt: r.outcome_at,
    outcomeByName,
    outcomeConsultationId: r.outcome_consultation_id,
    version: r.version,
  }
}

export async function loadCarePlan(db: Tx, consultationId: number): Promise<CarePlanView | null> {
  const r = await db.selectFrom('conservative_care_plans').selectAll().where('consultation_id', '=', consultationId).executeTakeFirst()
  if (!r) return null
  return toCarePlan(r, r.outcome_by === null ? null : await userName(db, r.outcome_by))
}

export function parseLevels(text: string): VertebralLevel[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(isVertebralLevel)
}

export function toDecision(r: ConsultationRow): ConsultationView['decision'] {
  return {
    decision: r.decision as ConsultationView['decision']['decision'],
    levels: parseLevels(r.decision_levels),
    reason: r.decision_reason,
    // as stored, legacy items included: a signed note's decision must read exactly as it was signed
    contraindications: parseJson<Contraindication[]>(r.contraindications, []),
    overrideReason: r.override_reason,
    contraindicationsReviewed: r.contraindications_reviewed === 1,
  }
}
