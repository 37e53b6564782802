import { z } from 'zod'
import { CANDIDACY_DECISIONS } from '../clinical/contraindications'
import { PROCEDURE_KINDS } from '../clinical/cpt'
import { GENANT_GRADES } from '../clinical/genant'
import { SPINE_REGIONS } from '../clinical/levels'
import { Id, IsoDate, IsoInstant, optionalText, Version } from './common'
import { ACUITIES, AsaClass, CLEFTS, FRACTURE_CAUSES, FRACTURE_TYPES, Level, MODALITIES, TENDERNESS, TScore } from './consultations'
import { SIGNED_RECORD_STATUSES } from './signing'
import { SEXES } from './patients'

/** The patient's relevant clinical history, kept on the patient record and edited by physicians. */
export const ClinicalHistoryFields = z
  .object({
    allergies: optionalText(2000),
    allergyCement: z.boolean({ message: 'must be yes or no' }).default(false),
    allergyContrast: z.boolean({ message: 'must be yes or no' }).default(false),
    anticoagulants: optionalText(1000),
    antiplatelets: optionalText(1000),
    osteoporosis: z.boolean({ message: 'must be yes, no or not known' }).nullable().default(null),
    steroidUse: z.boolean({ message: 'must be yes, no or not known' }).nullable().default(null),
    priorFractures: optionalText(1000),
    asaClass: AsaClass.nullable().default(null),
    dexaTScore: TScore.nullable().default(null),
    dexaDate: IsoDate.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.dexaTScore !== null && v.dexaDate === null) ctx.addIssue({ code: 'custom', path: ['dexaDate'], message: 'is required with a T-score' })
    if (v.dexaTScore === null && v.dexaDate !== null) ctx.addIssue({ code: 'custom', path: ['dexaTScore'], message: 'is required with a bone density date' })
  })
export type ClinicalHistoryFields = z.infer<typeof ClinicalHistoryFields>

export const UpdateClinicalHistory = z.object({ patientId: Id, version: Version, history: ClinicalHistoryFields })

export const ChartQuery = z.object({ patientId: Id })

/** A signed consultation note the banner quotes: its id and visit date ("consultation of <date>"). */
export const ChartNoteSource = z.object({ consultationId: Id, visitDate: IsoDate })
export const ChartNoteAnswer = ChartNoteSource.extend({ value: z.boolean() })
export type ChartNoteSource = z.infer<typeof ChartNoteSource>

export const ChartHeader = z.object({
  patientId: Id,
  mrn: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: IsoDate,
  age: z.number().int(),
  sex: z.enum(SEXES),
  preferredLanguage: z.string(),
  interpreterNeeded: z.boolean(),
  history: ClinicalHistoryFields,
  historyVersion: Version,
  /** the alerts a physician must see first: cement / contrast allergy, anticoagulant, antiplatelet */
  alerts: z.array(
    z.object({
      kind: z.enum(['cementAllergy', 'contrastAllergy', 'anticoagulant', 'antiplatelet']),
      text: z.string(),
      /** set when the alert comes from a signed consultation note, not the patient's history */
      fromNote: ChartNoteSource.optional(),
    }),
  ),
  /** the most recent bone density on record (patient history or a consultation note) */
  latestBoneDensity: z.object({ tScore: z.number(), date: IsoDate, source: z.string() }).nullable(),
  /**
   * What the latest signed consultation notes (not entered in error) record about the same history, so that the
   * banner never says "not known" beside a signed "yes" (issue 23): the latest signed answer (yes or no) to
   * osteoporosis and steroid use, and the latest signed note that ticked a cement or contrast allergy. The
   * patient's own history, when set, stays the record; the banner shows a disagreeing note beside it.
   */
  fromNotes: z.object({
    osteoporosis: ChartNoteAnswer.nullable(),
    steroidUse: ChartNoteAnswer.nullable(),
    cementAllergy: ChartNoteSource.nullable(),
    contrastAllergy: ChartNoteSource.nullable(),
  }),
})
export type ChartHeader = z.infer<typeof ChartHeader>

/**
 * Every kind of entry on the chart's timeline: the consultation and what it decided, the procedure day (the
 * note with its levels, recovery, the stay decision, the discharge summary), the follow-up visits, and the
 * corrections (addenda to any signed record, and the marks that put a record in error).
 */
export const TIMELINE_KINDS = [
  'consultation',
  'conservativeCare',
  'reassessment',
  'procedureRequest',
  'procedure',
  'recovery',
  'stayDecision',
  'dischargeSummary',
  'followUp',
  'biopsyResult',
  'addendum',
  'enteredInError',
  // issue 19 point 3: a file attached to the chart (shared/chartTimeline.ts documentTimelineItems)
  'document',
  // issue 20 point 4: an imaging study imported to the chart (shared/chartTimeline.ts imagingTimelineItems)
  'imagingStudy',
] as const
export type TimelineKind = (typeof TIMELINE_KINDS)[number]

export const TimelineItem = z.object({
  kind: z.enum(TIMELINE_KINDS),
  /** calendar date the item is about (visit, start, due, outcome date) */
  date: IsoDate,
  /** when it happened or was recorded (a procedure's start, the arrival in the bay, a signature); orders items of the same date */
  at: IsoInstant,
  title: z.string(),
  detail: z.string(),
  status: z.string(),
  /** what to open: the record type and id */
  ref: z.object({ type: z.string(), id: Id }),
  /** the consultation note it belongs to, if any */
  consultationId: Id.nullable(),
  /** the procedure it belongs to (the note, its recovery, stay, discharge summary, follow-up visits), if any */
  procedureId: Id.nullable(),
  /** the record itself, or the record it belongs to, was entered in error: shown struck through, never hidden */
  enteredInError: z.boolean(),
})
export type TimelineItem = z.infer<typeof TimelineItem>

/** One imaging finding at a level, as the spine diagram lists it when the vertebra is opened. */
export const SpineFinding = z.object({
  consultationId: Id,
  visitDate: IsoDate,
  providerName: z.string(),
  noteStatus: z.enum(SIGNED_RECORD_STATUSES),
  modality: z.enum(MODALITIES),
  imagingDate: IsoDate,
  acuity: z.enum(ACUITIES),
  marrowOedema: z.boolean().nullable(),
  heightLossPercent: z.number().nullable(),
  genantGrade: z.number().int().min(GENANT_GRADES[0]).max(GENANT_GRADES[3]).nullable(),
  retropulsion: z.boolean(),
  canalCompromise: z.boolean(),
  fractureType: z.enum(FRACTURE_TYPES),
  notes: z.string(),
  /** null: not recorded */
  fractureCause: z.enum(FRACTURE_CAUSES).nullable(),
  tenderness: z.enum(TENDERNESS).nullable(),
  intravertebralCleft: z.enum(CLEFTS).nullable(),
})
export type SpineFinding = z.infer<typeof SpineFinding>

/** A procedure at a level, as the spine diagram marks it beside the findings. */
export const SpineTreatment = z.object({
  procedureId: Id,
  date: IsoDate,
  kind: z.enum(PROCEDURE_KINDS),
  noteStatus: z.enum(SIGNED_RECORD_STATUSES),
})
export type SpineTreatment = z.infer<typeof SpineTreatment>

export const SpineLevel = z.object({
  level: Level,
  region: z.enum(SPINE_REGIONS),
  /** findings at this level in notes not entered in error */
  findingCount: z.number().int(),
  /** the latest finding (by imaging date) at this level */
  latest: z
    .object({ acuity: z.enum(ACUITIES), imagingDate: IsoDate, heightLossPercent: z.number().nullable(), genantGrade: z.number().int().min(GENANT_GRADES[0]).max(GENANT_GRADES[3]).nullable(), marrowOedema: z.boolean().nullable(), consultationId: Id, fractureCause: z.enum(FRACTURE_CAUSES).nullable() })
    .nullable(),
  /** every finding at this level in notes not entered in error, newest imaging first */
  findings: z.array(SpineFinding),
  /** proposed for a procedure in a signed decision */
  proposed: z.boolean(),
  /** treated by a procedure whose note was not entered in error */
  treated: z.boolean(),
  /** those procedures at this level, newest first: when, which kind, and whether the note is signed yet */
  treatments: z.array(SpineTreatment),
})
export type SpineLevel = z.infer<typeof SpineLevel>

export const ChartView = z.object({
  header: ChartHeader,
  timeline: z.array(TimelineItem),
  spine: z.array(SpineLevel),
  lastDecision: z.enum(CANDIDACY_DECISIONS).nullable(),
})
export type ChartView = z.infer<typeof ChartView>
