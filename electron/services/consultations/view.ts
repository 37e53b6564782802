/** The whole consultation note as a screen shows it, and the exact content a signature covers. */
import { proposedLevelWarnings, suggestContraindications } from '../../../shared/clinical/contraindications'
import { coverageReadiness, fractureEpisode, type CoverageFinding, type EpisodeNote } from '../../../shared/clinical/coverage'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import { ageOn } from '../../../shared/clinical/dates'
import { scoreOdi, scoreRmdq } from '../../../shared/clinical/scores'
import type { ConsultationView } from '../../../shared/schemas/consultations'
import type { Tx } from '../../db/tx'
import type { ConsultationRow } from '../../db/types'
import { clinicDateTimeText } from '../clinicTime'
import { signingState } from '../signing'
import { loadCarePlan, loadFindings, loadNote, toDecision, toFields, userName } from './rows'
import { enteredInErrorOfPatient } from '../records/enteredInError'

/**
 * What a signature binds: the note's fields, its findings, the conservative-care plan it prescribes
 * and its candidacy decision, with the patient, provider and appointment it is about. Not the
 * plan's later reassessment outcome, which is recorded (and audited) on its own.
 */
export async function signedContent(db: Tx, row: ConsultationRow) {
  const plan = await loadCarePlan(db, row.id)
  return {
    recordType: 'consultation',
    id: row.id,
    patientId: row.patient_id,
    providerId: row.provider_id,
    appointmentId: row.appointment_id,
    fields: toFields(row),
    // what the physician entered; the Genant grade is derived from the height loss and not signed
    findings: (await loadFindings(db, row.id)).map(({ id: _id, genantGrade: _grade, ...f }) => f),
    carePlan: plan && { bracing: plan.bracing, painMedication: plan.painMedication, otherMeasures: plan.otherMeasures, startDate: plan.startDate, reassessmentDate: plan.reassessmentDate },
    decision: toDecision(row),
  }
}

async function enteredInErrorNoteIds(db: Tx, patientId: number): Promise<Set<number>> {
  return enteredInErrorOfPatient(db, 'consultation', patientId)
}

export type BoneDensity = { tScore: number; date: string; source: string }

/** The latest bone density on record up to a date: the patient's history or any note not entered in error. */
export function pickLatestBoneDensity(
  patient: { dexa_t_score: number | null; dexa_date: string | null },
  notes: readonly { id: number; t_score: number | null; t_score_date: string | null; visit_date: string }[],
  enteredInError: ReadonlySet<number>,
  upTo?: string,
): BoneDensity | null {
  const candidates: BoneDensity[] = []
  if (patient.dexa_t_score !== null && patient.dexa_date !== null) candidates.push({ tScore: patient.dexa_t_score, date: patient.dexa_date, source: 'patient history' })
  for (const n of notes) {
    if (enteredInError.has(n.id) || n.t_score === null || n.t_score_date === null) continue
    candidates.push({ tScore: n.t_score, date: n.t_score_date, source: `consultation of ${n.visit_date}` })
  }
  const eligible = candidates.filter((c) => upTo === undefined || c.date <= upTo)
  eligible.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
  return eligible[0] ?? null
}

/** The same, read from the database. */
export async function latestBoneDensity(db: Tx, patientId: number, upTo?: string): Promise<BoneDensity | null> {
  const [p, bad, notes] = await Promise.all([
    db.selectFrom('patients').select(['dexa_t_score', 'dexa_date']).where('id', '=', patientId).executeTakeFirstOrThrow(),
    enteredInErrorNoteIds(db, patientId),
    db.selectFrom('consultations').select(['id', 't_score', 't_score_date', 'visit_date']).where('patient_id', '=', patientId).where('t_score', 'is not', null).execute(),
  ])
  return pickLatestBoneDensity(p, notes, bad, upTo)
}

export async function buildView(db: Tx, id: number): Promise<ConsultationView> {
  const row = await loadNote(db, id)
  const patient = await db.selectFrom('patients').selectAll().where('id', '=', row.patient_id).executeTakeFirstOrThrow()
  const fields = toFields(row)
  const findings = await loadFindings(db, row.id)
  const carePlan = await loadCarePlan(db, row.id)
  const decision = toDecision(row)
  const content = await signedContent(db, row)
  const signing = await signingState(db, 'consultation', row.id, content)
  const odi = fields.odiAnswers ? scoreOdi(fields.odiAnswers) : null
  const rmdqScore = fields.rmdqAnswers ? scoreRmdq(fields.rmdqAnswers) : null

  // Coverage readiness and the contraindication suggestions: from this note, the patient record, and the patient's
  // earlier notes (not entered in error, visited by this visit) with their imaging and care plans.
  const bad = await enteredInErrorNoteIds(db, row.patient_id)
  const [plans, earlierNotes, earlierFindings, reviewer] = await Promise.all([
    db.selectFrom('conservative_care_plans').select(['consultation_id', 'start_date', 'outcome']).where('patient_id', '=', row.patient_id).execute(),
    db.selectFrom('consultations').select(['id', 'visit_date', 'onset_date']).where('patient_id', '=', row.patient_id).where('id', '!=', row.id).where('visit_date', '<=', row.visit_date).execute(),
    db
      .selectFrom('consultation_findings')
      .selectAll()
      .where('patient_id', '=', row.patient_id)
      .where('consultation_id', '!=', row.id)
      .where('imaging_date', '<=', row.visit_date)
      .execute(),
    row.contraindications_reviewed_by === null ? null : userName(db, row.contraindications_reviewed_by),
  ])
  type EarlierNote = Omit<EpisodeNote, 'findings'> & { findings: (CoverageFinding & { retropulsion: boolean; canalCompromise: boolean })[] }
  const earlierById = new Map<number, EarlierNote>()
  for (const n of earlierNotes) if (!bad.has(n.id)) earlierById.set(n.id, { id: n.id, visitDate: n.visit_date, onsetDate: n.onset_date, findings: [] })
  for (const f of earlierFindings) {
    earlierById.get(f.consultation_id)?.findings.push({
      level: f.level as VertebralLevel,
      acuity: f.acuity,
      modality: f.modality,
      imagingDate: f.imaging_date,
      marrowOedema: f.marrow_oedema === null ? null : f.marrow_oedema === 1,
      heightLossPercent: f.height_loss_percent,
      retropulsion: f.retropulsion === 1,
      canalCompromise: f.canal_compromise === 1,
    })
  }
  const earlier = [...earlierById.values()]
  const review = decision.contraindicationsReviewed && row.contraindications_reviewed_at !== null ? { byName: reviewer ?? `user ${row.contraindications_reviewed_by}`, at: row.contraindications_reviewed_at } : null
  const episode = fractureEpisode({ id: row.id, visitDate: row.visit_date, onsetDate: fields.onsetDate, findings }, earlier, decision.levels)
  // Everything the chart holds bears on the checklist (a retropulsed fragment does not heal away); the episode's
  // imaging is that of the notes visited since it started (by note, not by imaging date: the note that found the
  // fracture may hold imaging from before its visit; a recorded onset also drops imaging from before the onset).
  const allFindings = [...findings, ...earlier.flatMap((n) => n.findings)]
  const episodeFindings = [...findings, ...earlier.filter((n) => n.visitDate >= episode.start.date).flatMap((n) => n.findings)]
  const thisBd = fields.tScore !== null && fields.tScoreDate !== null ? { tScore: fields.tScore, date: fields.tScoreDate } : null
  const recordBd = await latestBoneDensity(db, row.patient_id, fields.visitDate)
  const coverage = coverageReadiness({
    asOf: fields.visitDate,
    episodeStart: episode.start,
    levels: decision.levels.length > 0 ? decision.levels : episode.levels,
    levelsProposed: decision.levels.length > 0,
    findings: episodeFindings,
    mriContraindicated: fields.mriContraindicated,
    painNrs: fields.painNrs,
    painTrend: fields.painTrend,
    hospitalized: fields.hospitalized,
    odiScore: odi?.score ?? null,
    rmdqScore,
    kyphoticAngle: fields.kyphoticAngle,
    conservativeCare: plans.filter((p) => !bad.has(p.consultation_id)).map((p) => ({ startDate: p.start_date, outcome: p.outcome as 'improved' | 'failed' | null })),
    // the time in the clinic's zone: the panel shows the evidence as it reads it
    contraindicationsReviewed: review && { byName: review.byName, at: await clinicDateTimeText(db, review.at) },
    boneDensity: thisBd && (!recordBd || thisBd.date >= recordBd.date) ? thisBd : recordBd,
    boneDensityReferred: fields.boneDensityReferred,
    osteoporosisEducation: fields.osteoporosisEducation,
  })

  const request = await db.selectFrom('procedure_requests').select(['id', 'status', 'appointment_id']).where('consultation_id', '=', row.id).executeTakeFirst()

  return {
    id: row.id,
    patient: {
      id: patient.id,
      mrn: patient.mrn,
      firstName: patient.first_name,
      lastName: patient.last_name,
      dateOfBirth: patient.date_of_birth,
      sex: patient.sex as ConsultationView['patient']['sex'],
      ageAtVisit: ageOn(patient.date_of_birth, row.visit_date),
    },
    appointmentId: row.appointment_id,
    providerId: row.provider_id,
    providerName: await userName(db, row.provider_id),
    fields,
    odi: odi && { score: odi.score, band: odi.band, answered: odi.answered },
    rmdqScore,
    findings,
    carePlan,
    decision,
    contraindicationsReview: review,
    contraindicationSuggestions: suggestContraindications({
      proposedLevels: decision.levels,
      allergyCement: patient.allergy_cement === 1,
      allergyContrast: patient.allergy_contrast === 1,
      anticoagulants: patient.anticoagulants,
      antiplatelets: patient.antiplatelets,
      findings: allFindings,
    }),
    levelWarnings: proposedLevelWarnings(decision.levels, episodeFindings),
    coverage,
    procedureRequest: request ? { id: request.id, status: request.status as 'open' | 'booked' | 'cancelled', appointmentId: request.appointment_id } : null,
    signing,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  }
}
