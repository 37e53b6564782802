/** The whole consultation note as a screen shows it, and the exact content a signature covers. */
import { suggestContraindications } from '../../../shared/clinical/contraindications'
import { coverageReadiness, type CoverageFacts } from '../../../shared/clinical/coverage'
import { ageOn } from '../../../shared/clinical/dates'
import { scoreOdi, scoreRmdq } from '../../../shared/clinical/scores'
import type { ConsultationView } from '../../../shared/schemas/consultations'
import type { Tx } from '../../db/tx'
import type { ConsultationRow } from '../../db/types'
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

  // Coverage readiness: from this note, the patient's care plans and earlier notes' imaging.
  const bad = await enteredInErrorNoteIds(db, row.patient_id)
  const plans = await db.selectFrom('conservative_care_plans').select(['consultation_id', 'start_date', 'outcome']).where('patient_id', '=', row.patient_id).execute()
  const earlier = await db
    .selectFrom('consultation_findings as f')
    .innerJoin('consultations as c', 'c.id', 'f.consultation_id')
    .selectAll('f')
    .where('f.patient_id', '=', row.patient_id)
    .where('c.id', '!=', row.id)
    .where('c.visit_date', '<=', row.visit_date)
    .where('f.imaging_date', '<=', row.visit_date)
    .orderBy('f.imaging_date', 'desc')
    .execute()
  const levelsHere = new Set(findings.map((f) => f.level))
  const coverageFindings: CoverageFacts['findings'][number][] = [...findings]
  for (const f of earlier) {
    if (bad.has(f.consultation_id) || levelsHere.has(f.level as never)) continue
    levelsHere.add(f.level as never)
    coverageFindings.push({ level: f.level as never, acuity: f.acuity, modality: f.modality, imagingDate: f.imaging_date, marrowOedema: f.marrow_oedema === null ? null : f.marrow_oedema === 1 })
  }
  const thisBd = fields.tScore !== null && fields.tScoreDate !== null ? { tScore: fields.tScore, date: fields.tScoreDate } : null
  const recordBd = await latestBoneDensity(db, row.patient_id, fields.visitDate)
  const coverage = coverageReadiness({
    asOf: fields.visitDate,
    findings: coverageFindings,
    painNrs: fields.painNrs,
    hospitalized: fields.hospitalized,
    odiScore: odi?.score ?? null,
    rmdqScore,
    conservativeCare: plans.filter((p) => !bad.has(p.consultation_id)).map((p) => ({ startDate: p.start_date, outcome: p.outcome as 'improved' | 'failed' | null })),
    boneDensity: thisBd && (!recordBd || thisBd.date >= recordBd.date) ? thisBd : recordBd,
    boneDensityReferred: fields.boneDensityReferred,
    osteoporosisEducation: fields.osteoporosisEducation,
  })

  const atProposed = findings.filter((f) => decision.levels.includes(f.level) && f.heightLossPercent !== null).map((f) => f.heightLossPercent!)
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
    contraindicationSuggestions: suggestContraindications({
      levelsProposed: decision.levels.length,
      allergyCement: patient.allergy_cement === 1,
      allergyContrast: patient.allergy_contrast === 1,
      anyRetropulsion: findings.some((f) => f.retropulsion || f.canalCompromise),
      maxHeightLossPercentAtProposedLevels: atProposed.length > 0 ? Math.max(...atProposed) : null,
    }),
    coverage,
    procedureRequest: request ? { id: request.id, status: request.status as 'open' | 'booked' | 'cancelled', appointmentId: request.appointment_id } : null,
    signing,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  }
}
