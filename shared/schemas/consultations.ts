import { z } from 'zod'
import {
  CANDIDACY_DECISIONS,
  CONTRAINDICATION_LABELS,
  CONTRAINDICATIONS,
  isAbsolute,
  isProcedureDecision,
} from '../clinical/contraindications'
import { COVERAGE_ITEMS, PAIN_TRENDS } from '../clinical/coverage'
import { GENANT_GRADES } from '../clinical/genant'
import { sortLevels, VERTEBRAL_LEVELS } from '../clinical/levels'
import { ODI_BANDS, ODI_SECTION_COUNT, RMDQ_ITEM_COUNT } from '../clinical/scores'
import { Id, IsoDate, IsoInstant, optionalText, Version } from './common'
import { SEXES } from './patients'
import { SigningState } from './signing'

/**
 * A date that must not be in the future. The schema checks the format only; the service checks it against
 * the clinic's own clock and time zone (so that the check and the tests agree on what "today" is).
 */
const PastDate = IsoDate

export const Level = z.enum(VERTEBRAL_LEVELS, { message: 'must be a vertebral level C1 to S5' })
const YesNoUnknown = z.boolean({ message: 'must be yes, no or not known' }).nullable().default(null)
const YesNo = z.boolean({ message: 'must be yes or no' }).default(false)

export const AsaClass = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number 1 to 6' })
  .min(1, { message: 'must be 1 to 6' })
  .max(6, { message: 'must be 1 to 6' })
export const TScore = z
  .number({ message: 'must be a number' })
  .min(-7, { message: 'must be between -7 and +5' })
  .max(5, { message: 'must be between -7 and +5' })
export const PainScore = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number 0 to 10' })
  .min(0, { message: 'must be 0 to 10' })
  .max(10, { message: 'must be 0 to 10' })
/** Kyphotic angle at the fracture in degrees (negative: lordotic), measured at the consultation. */
export const KyphoticAngle = z
  .number({ message: 'must be a number of degrees' })
  .min(-90, { message: 'must be -90 to 90 degrees' })
  .max(90, { message: 'must be -90 to 90 degrees' })
export const PainTrend = z.enum(PAIN_TRENDS, { message: 'must be improving, stable or worsening' })

export const OdiAnswersSchema = z
  .array(
    z.number({ message: 'must be 0 to 5, or empty when skipped' }).int({ message: 'must be a whole number 0 to 5' }).min(0, { message: 'must be 0 to 5' }).max(5, { message: 'must be 0 to 5' }).nullable(),
    { message: 'must be a list of the 10 sections' },
  )
  .length(ODI_SECTION_COUNT, { message: `must have all ${ODI_SECTION_COUNT} sections (null for a skipped one)` })
  .refine((a) => a.some((x) => x !== null), { message: 'has no section answered; leave the questionnaire out instead' })

export const RmdqAnswersSchema = z
  .array(z.boolean({ message: 'must be yes or no' }), { message: 'must be a list of the 24 statements' })
  .length(RMDQ_ITEM_COUNT, { message: `must have all ${RMDQ_ITEM_COUNT} statements` })

/**
 * Baseline neurological exam of the legs (power, sensation, reflexes), recorded before any procedure so that a
 * new deficit afterwards can be told from an old one. null: not recorded (notes written before it was asked).
 */
export const NEURO_EXAMS = ['normal', 'abnormal', 'notExamined'] as const
export const NEURO_EXAM_LABELS: Record<(typeof NEURO_EXAMS)[number], string> = { normal: 'Normal', abnormal: 'Abnormal', notExamined: 'Not examined' }
export const NeuroExam = z.enum(NEURO_EXAMS, { message: 'must be normal, abnormal or not examined' })

/**
 * Osteoporosis treatment after a fragility fracture. A vertebral fracture is a sentinel event: secondary fracture
 * prevention (International Osteoporosis Foundation, Capture the Fracture best practice framework; ASBMR-led
 * coalition, Conley et al., J Bone Miner Res 2020;35(1):36-52) asks that each patient be assessed and offered
 * treatment, or referred, and that a fracture liaison service (FLS) follow them up. The note records what was
 * done; null: not recorded.
 */
export const OSTEOPOROSIS_TREATMENTS = ['onTreatment', 'startedToday', 'referred', 'declined', 'notIndicated'] as const
export const OSTEOPOROSIS_TREATMENT_LABELS: Record<(typeof OSTEOPOROSIS_TREATMENTS)[number], string> = {
  onTreatment: 'Already on treatment',
  startedToday: 'Started today',
  referred: 'Referred for treatment',
  declined: 'Offered, declined by the patient',
  notIndicated: 'Not indicated',
}
export const OsteoporosisTreatment = z.enum(OSTEOPOROSIS_TREATMENTS, { message: 'must be already on treatment, started today, referred, declined or not indicated' })

/** The consultation note's own fields (history, scores, assessment); findings, plan and decision are saved apart. */
export const ConsultationFields = z
  .object({
    visitDate: PastDate,
    chiefComplaint: optionalText(500),
    onsetDate: PastDate.nullable().default(null),
    mechanism: optionalText(500),
    trauma: YesNoUnknown,
    history: optionalText(8000),
    medications: optionalText(4000),
    osteoporosis: YesNoUnknown,
    steroidUse: YesNoUnknown,
    priorFractures: optionalText(1000),
    asaClass: AsaClass.nullable().default(null),
    tScore: TScore.nullable().default(null),
    tScoreDate: PastDate.nullable().default(null),
    hospitalized: YesNo,
    painNrs: PainScore.nullable().default(null),
    /** how the pain has gone since the fracture (LCD L33569's "worsening pain") */
    painTrend: PainTrend.nullable().default(null),
    /** degrees at the fracture (LCD L33569's "kyphotic deformity") */
    kyphoticAngle: KyphoticAngle.nullable().default(null),
    /** MRI cannot be done (pacemaker, implant, claustrophobia): CT or a bone scan may confirm acuity instead */
    mriContraindicated: YesNo,
    odiAnswers: OdiAnswersSchema.nullable().default(null),
    rmdqAnswers: RmdqAnswersSchema.nullable().default(null),
    examination: optionalText(8000),
    assessment: optionalText(8000),
    plan: optionalText(8000),
    boneDensityReferred: YesNo,
    osteoporosisEducation: YesNo,
    /** baseline neurological exam of the legs; details required when abnormal */
    neuroExam: NeuroExam.nullable().default(null),
    neuroExamDetails: optionalText(2000),
    osteoporosisTreatment: OsteoporosisTreatment.nullable().default(null),
    /** referred to a fracture liaison service (secondary fracture prevention), with the date of the referral */
    flsReferred: YesNo,
    flsReferralDate: PastDate.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.neuroExam === 'abnormal' && v.neuroExamDetails === '') {
      ctx.addIssue({ code: 'custom', path: ['neuroExamDetails'], message: 'is required when the neurological exam is abnormal: describe power, sensation and reflexes' })
    }
    if (v.flsReferred && v.flsReferralDate === null) ctx.addIssue({ code: 'custom', path: ['flsReferralDate'], message: 'is required with a fracture liaison referral' })
    if (!v.flsReferred && v.flsReferralDate !== null) ctx.addIssue({ code: 'custom', path: ['flsReferralDate'], message: 'only goes with a fracture liaison referral: tick the referral or clear the date' })
    if (v.tScore !== null && v.tScoreDate === null) ctx.addIssue({ code: 'custom', path: ['tScoreDate'], message: 'is required with a T-score' })
    if (v.tScore === null && v.tScoreDate !== null) ctx.addIssue({ code: 'custom', path: ['tScore'], message: 'is required with a bone density date' })
    if (v.onsetDate !== null && v.onsetDate > v.visitDate) ctx.addIssue({ code: 'custom', path: ['onsetDate'], message: 'cannot be after the visit date' })
  })
export type ConsultationFields = z.infer<typeof ConsultationFields>
export type ConsultationFieldsInput = z.input<typeof ConsultationFields>

export const OpenConsultation = z.object({
  patientId: Id,
  /** the appointment the note is opened from (the day's schedule); absent when opened from the chart */
  appointmentId: Id.optional(),
  visitDate: PastDate.optional(),
})

export const SaveConsultation = z.object({ id: Id, version: Version, fields: ConsultationFields })

export const MODALITIES = ['xray', 'mri', 'ct', 'boneScan'] as const
export const MODALITY_LABELS: Record<(typeof MODALITIES)[number], string> = { xray: 'X-ray', mri: 'MRI', ct: 'CT', boneScan: 'Bone scan' }
export const ACUITIES = ['acute', 'subacute', 'chronic', 'indeterminate'] as const
export const FRACTURE_TYPES = ['', 'wedge', 'biconcave', 'crush'] as const
/** What caused the fracture at this level; a tumour (metastasis, myeloma) changes the work-up and the plan. */
export const FRACTURE_CAUSES = ['osteoporotic', 'tumour', 'trauma', 'unknown'] as const
export const FRACTURE_CAUSE_LABELS: Record<(typeof FRACTURE_CAUSES)[number], string> = { osteoporotic: 'Osteoporotic', tumour: 'Tumour', trauma: 'Trauma', unknown: 'Unknown' }
/** Tenderness over this level's spinous process on examination (supports the level as the pain's source). */
export const TENDERNESS = ['yes', 'no', 'notExamined'] as const
export const TENDERNESS_LABELS: Record<(typeof TENDERNESS)[number], string> = { yes: 'Tender', no: 'Not tender', notExamined: 'Not examined' }
/** An intravertebral cleft on imaging (gas or fluid in the body: the Kümmell sign of a non-healing fracture). */
export const CLEFTS = ['yes', 'no', 'notAssessed'] as const
export const CLEFT_LABELS: Record<(typeof CLEFTS)[number], string> = { yes: 'Cleft', no: 'No cleft', notAssessed: 'Not assessed' }

export const FindingFields = z.object({
  level: Level,
  modality: z.enum(MODALITIES, { message: 'must be X-ray, MRI, CT or bone scan' }),
  imagingDate: PastDate,
  acuity: z.enum(ACUITIES, { message: 'must be acute, subacute, chronic or indeterminate' }),
  /** bone marrow oedema (MRI STIR); null when not assessed */
  marrowOedema: YesNoUnknown,
  heightLossPercent: z
    .number({ message: 'must be a number' })
    .min(0, { message: 'must be 0 to 100 percent' })
    .max(100, { message: 'must be 0 to 100 percent' })
    .nullable()
    .default(null),
  retropulsion: YesNo,
  canalCompromise: YesNo,
  fractureType: z.enum(FRACTURE_TYPES, { message: 'must be wedge, biconcave, crush or empty' }).default(''),
  notes: optionalText(2000),
  /** null: not recorded (findings written before these were asked) */
  fractureCause: z.enum(FRACTURE_CAUSES, { message: 'must be osteoporotic, tumour, trauma or unknown' }).nullable().default(null),
  tenderness: z.enum(TENDERNESS, { message: 'must be yes, no or not examined' }).nullable().default(null),
  intravertebralCleft: z.enum(CLEFTS, { message: 'must be yes, no or not assessed' }).nullable().default(null),
})
export type FindingFields = z.infer<typeof FindingFields>

/** The examination and imaging signs of a finding in words, for a table's "other" column (nothing when not recorded). */
export function examFindingWords(f: Pick<FindingFields, 'tenderness' | 'intravertebralCleft'>): string[] {
  const words: string[] = []
  if (f.tenderness === 'yes') words.push('tender')
  else if (f.tenderness === 'no') words.push('not tender')
  else if (f.tenderness === 'notExamined') words.push('tenderness not examined')
  if (f.intravertebralCleft === 'yes') words.push('intravertebral cleft')
  else if (f.intravertebralCleft === 'no') words.push('no cleft')
  else if (f.intravertebralCleft === 'notAssessed') words.push('cleft not assessed')
  return words
}

export const SaveFindings = z.object({
  consultationId: Id,
  version: Version,
  findings: z
    .array(FindingFields, { message: 'must be a list' })
    .max(VERTEBRAL_LEVELS.length, { message: 'has more findings than there are vertebrae' })
    .superRefine((list, ctx) => {
      const seen = new Set<string>()
      list.forEach((f, i) => {
        if (seen.has(f.level)) ctx.addIssue({ code: 'custom', path: [i, 'level'], message: `${f.level} is listed twice` })
        seen.add(f.level)
      })
    }),
})

export const CarePlanFields = z
  .object({
    bracing: optionalText(1000),
    painMedication: optionalText(2000),
    otherMeasures: optionalText(2000),
    startDate: IsoDate,
    /** default: six weeks after the start */
    reassessmentDate: IsoDate.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (!v.bracing && !v.painMedication && !v.otherMeasures) {
      ctx.addIssue({ code: 'custom', path: ['bracing'], message: 'or pain medication or another measure is required' })
    }
    if (v.reassessmentDate !== null && v.reassessmentDate <= v.startDate) {
      ctx.addIssue({ code: 'custom', path: ['reassessmentDate'], message: 'must be after the start date' })
    }
  })
export type CarePlanFields = z.infer<typeof CarePlanFields>

export const SaveCarePlan = z.object({ consultationId: Id, version: Version, plan: CarePlanFields.nullable() })

export const CARE_OUTCOMES = ['improved', 'failed'] as const
export const RecordCareOutcome = z.object({
  planId: Id,
  version: Version,
  outcome: z.enum(CARE_OUTCOMES, { message: 'must be improved or failed' }),
  reason: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required: say why (pain, mobility, side effects)' })
    .max(2000, { message: 'must be at most 2000 characters' }),
  /** the reassessment visit's note, when recorded from one */
  consultationId: Id.optional(),
})

export const Contraindication = z.enum(CONTRAINDICATIONS, { message: 'must be an item of the contraindication checklist' })

export const DecisionFields = z
  .object({
    decision: z.enum(CANDIDACY_DECISIONS, { message: 'must be vertebroplasty, kyphoplasty, continue conservative care, refer or not a candidate' }).nullable(),
    levels: z.array(Level, { message: 'must be a list of levels' }).max(10, { message: 'must be at most 10 levels' }).default([]).transform((l) => sortLevels(l)),
    reason: optionalText(4000),
    contraindications: z.array(Contraindication, { message: 'must be a list' }).default([]).transform((c) => CONTRAINDICATIONS.filter((k) => c.includes(k))),
    overrideReason: optionalText(2000),
    /** the physician reviewed the checklist (who and when are recorded by the main process) */
    contraindicationsReviewed: YesNo,
  })
  .superRefine((v, ctx) => {
    if (v.decision === null) return
    if (isProcedureDecision(v.decision)) {
      if (v.levels.length === 0) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'must name at least one level for a procedure' })
      const absolute = v.contraindications.filter(isAbsolute)
      if (absolute.length > 0 && v.overrideReason === '') {
        ctx.addIssue({
          code: 'custom',
          path: ['overrideReason'],
          message: `is required to proceed despite an absolute contraindication (${absolute.map((a) => CONTRAINDICATION_LABELS[a]).join(', ')})`,
        })
      }
    }
  })
export type DecisionFields = z.infer<typeof DecisionFields>

export const SaveDecision = z.object({ consultationId: Id, version: Version, decision: DecisionFields })

/**
 * The whole draft note saved at once: the parts that changed (at least one), against the version read. One
 * transaction: either every part named is saved with one version bump, or nothing is (a stale version, a
 * refused date in any part). Error fields are named as here ('fields.visitDate', 'findings.0.imagingDate').
 */
export const SaveNote = z
  .object({
    id: Id,
    version: Version,
    fields: ConsultationFields.optional(),
    findings: SaveFindings.shape.findings.optional(),
    /** null removes the plan */
    plan: CarePlanFields.nullable().optional(),
    decision: DecisionFields.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.fields === undefined && v.findings === undefined && v.plan === undefined && v.decision === undefined) {
      ctx.addIssue({ code: 'custom', path: ['fields'], message: 'or findings, plan or decision is required: there is nothing to save' })
    }
  })
export type SaveNote = z.infer<typeof SaveNote>

// ---- views ----

/** genantGrade is derived from heightLossPercent (null when the height loss was not measured). */
export const FindingView = FindingFields.extend({ id: Id, genantGrade: z.number().int().min(GENANT_GRADES[0]).max(GENANT_GRADES[3]).nullable() })
export type FindingView = z.infer<typeof FindingView>

export const CarePlanView = z.object({
  id: Id,
  consultationId: Id,
  patientId: Id,
  providerId: Id,
  bracing: z.string(),
  painMedication: z.string(),
  otherMeasures: z.string(),
  startDate: IsoDate,
  reassessmentDate: IsoDate,
  reassessmentAppointmentId: Id.nullable(),
  outcome: z.enum(CARE_OUTCOMES).nullable(),
  outcomeReason: z.string(),
  outcomeAt: IsoInstant.nullable(),
  outcomeByName: z.string().nullable(),
  outcomeConsultationId: Id.nullable(),
  version: Version,
})
export type CarePlanView = z.infer<typeof CarePlanView>

export const PROCEDURE_REQUEST_STATUSES = ['open', 'booked', 'cancelled'] as const
export const ProcedureRequestView = z.object({
  id: Id,
  consultationId: Id,
  patientId: Id,
  mrn: z.string(),
  patientName: z.string(),
  phone: z.string(),
  providerId: Id,
  providerName: z.string(),
  kind: z.enum(['vertebroplasty', 'kyphoplasty']),
  levels: z.array(Level),
  status: z.enum(PROCEDURE_REQUEST_STATUSES),
  appointmentId: Id.nullable(),
  createdAt: IsoInstant,
  cancelReason: z.string(),
  version: Version,
})
export type ProcedureRequestView = z.infer<typeof ProcedureRequestView>

export const CoverageItemView = z.object({
  key: z.enum(COVERAGE_ITEMS),
  label: z.string(),
  met: z.boolean(),
  evidence: z.string(),
  missing: z.string(),
  /** the policy criterion the item comes from */
  source: z.string(),
})

export const ConsultationView = z.object({
  id: Id,
  patient: z.object({ id: Id, mrn: z.string(), firstName: z.string(), lastName: z.string(), dateOfBirth: IsoDate, sex: z.enum(SEXES), ageAtVisit: z.number().int() }),
  appointmentId: Id.nullable(),
  providerId: Id,
  providerName: z.string(),
  fields: ConsultationFields,
  odi: z.object({ score: z.number().nullable(), band: z.enum(ODI_BANDS).nullable(), answered: z.number().int() }).nullable(),
  rmdqScore: z.number().int().nullable(),
  findings: z.array(FindingView),
  carePlan: CarePlanView.nullable(),
  decision: z.object({
    decision: z.enum(CANDIDACY_DECISIONS).nullable(),
    levels: z.array(Level),
    reason: z.string(),
    contraindications: z.array(Contraindication),
    overrideReason: z.string(),
    contraindicationsReviewed: z.boolean(),
  }),
  /** who recorded the contraindication review and when; null while it is not recorded */
  contraindicationsReview: z.object({ byName: z.string(), at: IsoInstant }).nullable(),
  contraindicationSuggestions: z.array(z.object({ item: Contraindication, because: z.string(), source: z.string() })),
  /** proposed levels the record does not support (no acute finding, outside T1 to L5) */
  levelWarnings: z.array(z.object({ level: Level, because: z.string(), source: z.string() })),
  coverage: z.object({
    items: z.array(CoverageItemView),
    metCount: z.number().int(),
    conservativeWeeks: z.number().int().nullable(),
    /** where the current fracture episode starts: its recorded onset, or the consultation that found it */
    episodeStart: z.object({ date: IsoDate, from: z.enum(['onset', 'consultation']) }),
  }),
  procedureRequest: z.object({ id: Id, status: z.enum(PROCEDURE_REQUEST_STATUSES), appointmentId: Id.nullable() }).nullable(),
  signing: SigningState,
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  version: Version,
})
export type ConsultationView = z.infer<typeof ConsultationView>

export const ConsultationSummary = z.object({
  id: Id,
  patientId: Id,
  visitDate: IsoDate,
  providerId: Id,
  providerName: z.string(),
  appointmentId: Id.nullable(),
  chiefComplaint: z.string(),
  decision: z.enum(CANDIDACY_DECISIONS).nullable(),
  status: SigningState.shape.status,
})
export type ConsultationSummary = z.infer<typeof ConsultationSummary>

export const ListForPatient = z.object({ patientId: Id })

export const DueReassessmentsQuery = z.object({
  /** plans due on or before this date (default: today in the clinic's time zone) */
  through: IsoDate.optional(),
  /** include plans whose reassessment is already booked */
  includeBooked: z.boolean().default(false),
})

export const DueReassessment = z.object({
  planId: Id,
  patientId: Id,
  mrn: z.string(),
  patientName: z.string(),
  phone: z.string(),
  providerId: Id,
  providerName: z.string(),
  reassessmentDate: IsoDate,
  overdue: z.boolean(),
  appointmentId: Id.nullable(),
  version: Version,
})
export type DueReassessment = z.infer<typeof DueReassessment>

export const LinkReassessmentAppointment = z.object({ planId: Id, version: Version, appointmentId: Id })

export const ProcedureRequestQuery = z.object({ status: z.enum(PROCEDURE_REQUEST_STATUSES, { message: 'must be open, booked or cancelled' }).default('open') })
export const MarkRequestBooked = z.object({ id: Id, version: Version, appointmentId: Id })

