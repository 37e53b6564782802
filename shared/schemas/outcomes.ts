/** Follow-up outcomes, the due list, a patient's scores over time, and the manager's dashboard. */
import { z } from 'zod'
import { PROCEDURE_KINDS } from '../clinical/cpt'
import { STAY_REASONS } from '../clinical/observation'
import { Id, IsoDate, IsoInstant, optionalText, requiredText, Version } from './common'
import { Level, OdiAnswersSchema, PainScore, RmdqAnswersSchema } from './consultations'
import { COMPLICATIONS } from './procedures'

export const ANALGESIC_USES = ['none', 'nonOpioid', 'opioid'] as const
export const ANALGESIC_LABELS: Record<(typeof ANALGESIC_USES)[number], string> = { none: 'None', nonOpioid: 'Non-opioid only', opioid: 'Opioid' }
export const BRACE_USES = ['none', 'partTime', 'fullTime'] as const
export const BRACE_LABELS: Record<(typeof BRACE_USES)[number], string> = { none: 'None', partTime: 'Part of the day', fullTime: 'All day' }
export const SATISFACTION = ['verySatisfied', 'satisfied', 'neutral', 'dissatisfied', 'veryDissatisfied'] as const
export const SATISFACTION_LABELS: Record<(typeof SATISFACTION)[number], string> = {
  verySatisfied: 'Very satisfied',
  satisfied: 'Satisfied',
  neutral: 'Neither',
  dissatisfied: 'Dissatisfied',
  veryDissatisfied: 'Very dissatisfied',
}

export const FollowUpVisitFields = z
  .object({
    visitDate: IsoDate,
    painNrs: PainScore.nullable().default(null),
    odiAnswers: OdiAnswersSchema.nullable().default(null),
    /** Roland-Morris at the visit, as the consultation records it (24 statements ticked or not; migration 0022) */
    rmdqAnswers: RmdqAnswersSchema.nullable().default(null),
    analgesics: z.enum(ANALGESIC_USES, { message: 'must be none, non-opioid or opioid' }).nullable().default(null),
    brace: z.enum(BRACE_USES, { message: 'must be none, part of the day or all day' }).nullable().default(null),
    newFracture: z.boolean({ message: 'must be yes or no' }).default(false),
    newFractureLevels: z.array(Level, { message: 'must be a list of levels' }).max(10, { message: 'must be at most 10 levels' }).default([]),
    complications: z.array(z.enum(COMPLICATIONS, { message: 'must be an item of the complication list' }), { message: 'must be a list' }).default([]).transform((c) => COMPLICATIONS.filter((k) => c.includes(k))),
    complicationsNote: optionalText(2000),
    satisfaction: z.enum(SATISFACTION, { message: 'must be a satisfaction answer' }).nullable().default(null),
    notes: optionalText(4000),
  })
  .superRefine((v, ctx) => {
    if (v.newFracture && v.newFractureLevels.length === 0) ctx.addIssue({ code: 'custom', path: ['newFractureLevels'], message: 'is required when there is a new fracture' })
    if (!v.newFracture && v.newFractureLevels.length > 0) ctx.addIssue({ code: 'custom', path: ['newFracture'], message: 'must be yes when new fracture levels are given' })
    if (new Set(v.newFractureLevels).size !== v.newFractureLevels.length) ctx.addIssue({ code: 'custom', path: ['newFractureLevels'], message: 'names a level twice' })
    if (v.complications.includes('other') && !v.complicationsNote) ctx.addIssue({ code: 'custom', path: ['complicationsNote'], message: 'is required to describe the other complication' })
  })
export type FollowUpVisitFields = z.infer<typeof FollowUpVisitFields>

export const RecordFollowUpVisit = z.object({ followUpId: Id, fields: FollowUpVisitFields })
export const MarkVisitInError = z.object({ visitId: Id, reason: requiredText(1000) })

export const FollowUpVisitView = z.object({
  id: Id,
  followUpId: Id,
  procedureId: Id,
  patientId: Id,
  label: z.string(),
  fields: z.object({
    visitDate: IsoDate,
    painNrs: z.number().int().nullable(),
    odiAnswers: z.array(z.number().int().nullable()).nullable(),
    rmdqAnswers: z.array(z.boolean()).nullable(),
    analgesics: z.enum(ANALGESIC_USES).nullable(),
    brace: z.enum(BRACE_USES).nullable(),
    newFracture: z.boolean(),
    newFractureLevels: z.array(Level),
    complications: z.array(z.enum(COMPLICATIONS)),
    complicationsNote: z.string(),
    satisfaction: z.enum(SATISFACTION).nullable(),
    notes: z.string(),
  }),
  odiScore: z.number().nullable(),
  /** 0..24, the statements ticked; null when the questionnaire was not done */
  rmdqScore: z.number().int().nullable(),
  recordedAt: IsoInstant,
  recordedBy: z.string(),
  enteredInError: z.object({ at: IsoInstant, reason: z.string() }).nullable(),
})
export type FollowUpVisitView = z.infer<typeof FollowUpVisitView>

/**
 * How late a follow-up is, as the due list filters it (issue 23 point 4). Overdue means its date has passed
 * without a visit; "due soon" is today or later, within the window asked for.
 */
export const DUE_BANDS = ['dueSoon', 'overdue', 'overdueUpTo30', 'overdue31to90', 'overdueOver90'] as const
export type DueBand = (typeof DUE_BANDS)[number]
export const DUE_BAND_LABELS: Record<DueBand, string> = {
  dueSoon: 'Due soon (not yet overdue)',
  overdue: 'Overdue',
  overdueUpTo30: 'Overdue up to 30 days',
  overdue31to90: 'Overdue 31 to 90 days',
  overdueOver90: 'Overdue more than 90 days',
}

export const DueFollowUpsQuery = z.object({
  /** the clinic's today by default */
  today: IsoDate.optional(),
  /** how many days ahead to list */
  daysAhead: z.number().int().min(0).max(365).default(14),
  /** only the follow-ups of procedures this physician did */
  physicianId: Id.optional(),
  /** only the follow-ups with this label ('6 weeks') */
  label: z.string({ message: 'must be text' }).trim().min(1, { message: 'must not be empty' }).max(40, { message: 'must be at most 40 characters' }).optional(),
  /** only the follow-ups this late */
  band: z.enum(DUE_BANDS, { message: 'must be due soon, overdue, overdue up to 30 days, 31 to 90 days or more than 90 days' }).optional(),
})
export type DueFollowUpsQuery = z.input<typeof DueFollowUpsQuery>

/** A follow-up visit to see: who, when, booked or not, late or not; nothing clinical. */
export const DueFollowUp = z.object({
  id: Id,
  procedureId: Id,
  patientId: Id,
  mrn: z.string(),
  patientName: z.string(),
  phone: z.string(),
  label: z.string(),
  targetDate: IsoDate,
  status: z.enum(['proposed', 'booked']),
  appointmentId: Id.nullable(),
  overdue: z.boolean(),
  daysOverdue: z.number().int(),
  /** the physician who did the procedure: whom to book the visit with */
  providerId: Id,
  providerName: z.string(),
  /** what `followUps.markBooked` names once the visit is booked */
  version: z.number().int(),
})
export type DueFollowUp = z.infer<typeof DueFollowUp>

/**
 * `followUps.worklist`: the due list as the screen shows it, and how many follow-ups the clinic's setting
 * `followUpHideOverdueAfterDays` keeps off it (overdue by more than that many days: old misses nobody will book;
 * they are not deleted, only not listed). The count is of those the other filters would have shown.
 */
export const DueFollowUpWorklist = z.object({
  rows: z.array(DueFollowUp),
  hidden: z.object({ count: z.number().int(), overdueDays: z.number().int() }),
})
export type DueFollowUpWorklist = z.infer<typeof DueFollowUpWorklist>

/** Why a follow-up is closed without a visit (issue 23 point 4); "other" needs words. */
export const FOLLOW_UP_CLOSE_REASONS = ['declined', 'movedAway', 'died', 'seenElsewhere', 'other'] as const
export type FollowUpCloseReason = (typeof FOLLOW_UP_CLOSE_REASONS)[number]
export const FOLLOW_UP_CLOSE_REASON_LABELS: Record<FollowUpCloseReason, string> = {
  declined: 'Patient declined',
  movedAway: 'Moved away',
  died: 'Patient died',
  seenElsewhere: 'Seen elsewhere',
  other: 'Other reason',
}

/** `followUps.close`: the form and the router validate with this one schema. */
export const CloseFollowUp = z
  .object({
    id: Id,
    /** the version the list showed: a follow-up booked or changed since is not closed over */
    version: Version,
    reason: z.enum(FOLLOW_UP_CLOSE_REASONS, { message: 'must be one of: patient declined, moved away, patient died, seen elsewhere, other reason' }),
    /** words of the person closing it: required for "other", an optional detail for the others */
    otherReason: optionalText(500),
  })
  .superRefine((v, ctx) => {
    if (v.reason === 'other' && !v.otherReason) ctx.addIssue({ code: 'custom', path: ['otherReason'], message: 'is required when the reason is Other reason' })
  })
export type CloseFollowUp = z.input<typeof CloseFollowUp>

export const ClosedFollowUp = z.object({
  id: Id,
  patientId: Id,
  label: z.string(),
  status: z.literal('cancelled'),
  reason: z.enum(FOLLOW_UP_CLOSE_REASONS),
  /** the words kept with it: the reason's label, and what was typed */
  reasonText: z.string(),
  closedAt: IsoInstant,
  closedBy: z.string(),
  version: z.number().int(),
})
export type ClosedFollowUp = z.infer<typeof ClosedFollowUp>

export const ScorePoint = z.object({
  date: IsoDate,
  /** 'Baseline' (a consultation) or the follow-up's label */
  label: z.string(),
  source: z.enum(['consultation', 'followUp']),
  pain: z.number().nullable(),
  odi: z.number().nullable(),
})
export const PatientOutcomes = z.object({ patientId: Id, points: z.array(ScorePoint), visits: z.array(FollowUpVisitView) })
export type PatientOutcomes = z.infer<typeof PatientOutcomes>

export const OutcomeFilter = z
  .object({
    from: IsoDate,
    to: IsoDate,
    physicianId: Id.nullable().default(null),
    kind: z.enum(PROCEDURE_KINDS, { message: 'must be vertebroplasty or kyphoplasty' }).nullable().default(null),
  })
  .refine((f) => f.from <= f.to, { message: 'must not be after the end date', path: ['from'] })
export type OutcomeFilter = z.infer<typeof OutcomeFilter>

const Rate = z.object({ numerator: z.number().int(), denominator: z.number().int(), rate: z.number().nullable() })
export type Rate = z.infer<typeof Rate>
const ScoreChange = z.object({ n: z.number().int(), meanBaseline: z.number().nullable(), meanAtVisit: z.number().nullable(), meanChange: z.number().nullable() })
export type ScoreChange = z.infer<typeof ScoreChange>

export const Dashboard = z.object({
  filter: OutcomeFilter,
  procedures: z.number().int(),
  patients: z.number().int(),
  perMonth: z.array(z.object({ month: z.string(), vertebroplasty: z.number().int(), kyphoplasty: z.number().int() })),
  /** same-day discharges over procedures with a decision */
  sameDay: Rate,
  undecided: z.number().int(),
  overnightReasons: z.array(z.object({ reason: z.enum(STAY_REASONS), label: z.string(), count: z.number().int() })),
  /** per follow-up label, in interval order: mean change from baseline among patients with both scores */
  changes: z.array(z.object({ label: z.string(), pain: ScoreChange, odi: ScoreChange })),
  /** treated levels with a leak over treated levels with leakage recorded */
  leakageLevels: Rate,
  /** procedures with a leak at any level over procedures with leakage recorded at some level */
  leakageProcedures: Rate,
  symptomaticLeaks: z.number().int(),
  /** procedures with a complication (during, after, or reported at a follow-up visit) over procedures */
  complications: Rate,
  complicationCounts: z.array(z.object({ complication: z.enum(COMPLICATIONS), label: z.string(), count: z.number().int() })),
  /** follow-up visits recorded over follow-ups whose date has come (not cancelled) */
  followUpCompletion: Rate,
  physicians: z.array(z.object({ id: Id, name: z.string() })),
})
export type Dashboard = z.infer<typeof Dashboard>

/** From the screen: the outcome CSV, the FHIR bundle, and the discharge summary PDFs (one file each, in a ZIP). */
export const EXPORT_KINDS = ['outcomesCsv', 'fhir', 'dischargePdfs'] as const
export const StartExport = z.object({ kind: z.enum(EXPORT_KINDS), filter: OutcomeFilter, deidentify: z.boolean().default(false) })
export const ExportJobQuery = z.object({ jobId: z.string().regex(/^[a-f0-9]{32}$/, { message: 'is not an export job' }) })
export const ExportJobView = z.object({
  jobId: z.string(),
  kind: z.enum(EXPORT_KINDS),
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  rows: z.number().int(),
  total: z.number().int(),
  fileName: z.string(),
  error: z.string().nullable(),
})
export type ExportJobView = z.infer<typeof ExportJobView>
/** The finished file: text as it is (CSV, JSON), binary (the ZIP of PDFs) as base64. `rows`: procedures, or summaries for the PDFs. */
export const ExportResult = z.object({ fileName: z.string(), mimeType: z.string(), encoding: z.enum(['utf8', 'base64']), content: z.string(), rows: z.number().int() })
