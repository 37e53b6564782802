/** Recovery and observation after the procedure, and the overnight-stay decision. */
import { z } from 'zod'
import { SAME_DAY_BLOCKER_RULES } from '../clinical/discharge'
import { CHECK_FLAGS, DISCHARGE_READINESS_ITEMS, DISPOSITIONS, LEG_NEURO_RESULTS, SEDATION_SCALES, SLOT_STATUSES, STAY_REASONS, TIME_FLAGS } from '../clinical/observation'
import { Id, IsoDate, IsoInstant, optionalText, requiredText, Version } from './common'
import { PainScore } from './consultations'
import { Level } from './consultations'
import { PatientHeader, ProcedureKind, UtcInstant } from './procedures'

const Instant = UtcInstant.nullable().default(null)

export const RecoveryFields = z
  .object({
    /** the patient lies on their back while the cement hardens */
    supineStartedAt: Instant,
    supineEndedAt: Instant,
    /** arrival in and departure from the observation bay */
    arrivedAt: Instant,
    departedAt: Instant,
    /** pain at the end of the procedure: a later check above it is flagged */
    baselinePain: PainScore.nullable().default(null),
    checklist: z
      .partialRecord(z.enum(DISCHARGE_READINESS_ITEMS, { message: 'must be an item of the discharge-readiness checklist' }), z.boolean({ message: 'must be yes or no' }))
      .default({}),
  })
  .superRefine((v, ctx) => {
    const order: [keyof typeof v, string][] = [
      ['supineStartedAt', 'the start of the supine rest'],
      ['supineEndedAt', 'the end of the supine rest'],
      ['arrivedAt', 'the arrival in the observation bay'],
      ['departedAt', 'the departure'],
    ]
    for (let i = 1; i < order.length; i++) {
      const [k, label] = order[i]!
      const cur = v[k] as string | null
      if (!cur) continue
      for (let j = i - 1; j >= 0; j--) {
        const [pk, plabel] = order[j]!
        const prev = v[pk] as string | null
        if (prev) {
          if (cur < prev) ctx.addIssue({ code: 'custom', path: [k], message: `must not be before ${plabel} (${label})` })
          break
        }
      }
    }
    if (v.departedAt && !v.arrivedAt) ctx.addIssue({ code: 'custom', path: ['arrivedAt'], message: 'is required with a departure time' })
    if (v.supineEndedAt && !v.supineStartedAt) ctx.addIssue({ code: 'custom', path: ['supineStartedAt'], message: 'is required with the end of the supine rest' })
  })
export type RecoveryFields = z.infer<typeof RecoveryFields>

/**
 * Reading the recovery record. `refresh` marks the screen's periodic re-read of a record it already shows
 * (the checks due move with the clock): it is not audited again while the same user's view of this record
 * was audited within the last hour; opening the record (no `refresh`) is always audited.
 */
export const GetRecovery = z.object({ procedureId: Id, refresh: z.boolean().optional() })
export type GetRecovery = z.infer<typeof GetRecovery>

export const SaveRecovery = z.object({ procedureId: Id, version: Version, fields: RecoveryFields })

const vital = (min: number, max: number, unit: string) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: `must be whole ${unit}` })
    .min(min, { message: `must be ${min} to ${max} ${unit}` })
    .max(max, { message: `must be ${min} to ${max} ${unit}` })
    .nullable()
    .default(null)

export const CheckFields = z
  .object({
    checkedAt: UtcInstant,
    systolic: vital(40, 300, 'mmHg'),
    diastolic: vital(20, 200, 'mmHg'),
    heartRate: vital(20, 250, 'beats per minute'),
    spo2: vital(50, 100, 'percent'),
    respiratoryRate: vital(4, 60, 'breaths per minute'),
    /** the sedation recovery score on the clinic's scale (Aldrete or PADSS, both 0-10) */
    sedationScore: z
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be 0 to 10' })
      .max(10, { message: 'must be 0 to 10' })
      .nullable()
      .default(null),
    pain: PainScore.nullable().default(null),
    legNeuro: z.enum(LEG_NEURO_RESULTS, { message: 'must be normal or abnormal' }),
    neuroNote: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    if ((v.systolic === null) !== (v.diastolic === null)) ctx.addIssue({ code: 'custom', path: [v.systolic === null ? 'systolic' : 'diastolic'], message: 'is required with the other blood pressure value' })
    if (v.systolic !== null && v.diastolic !== null && v.diastolic >= v.systolic) ctx.addIssue({ code: 'custom', path: ['diastolic'], message: 'must be below the systolic pressure' })
    if (v.legNeuro === 'abnormal' && !v.neuroNote) ctx.addIssue({ code: 'custom', path: ['neuroNote'], message: 'is required when the leg neurological check is abnormal' })
  })
export type CheckFields = z.infer<typeof CheckFields>

export const AddCheck = z.object({ procedureId: Id, check: CheckFields })
export const MarkCheckInError = z.object({ checkId: Id, reason: requiredText(1000) })

export const CheckFlagView = z.object({ key: z.enum(CHECK_FLAGS), message: z.string() })

export const CheckView = z.object({
  id: Id,
  checkedAt: IsoInstant,
  systolic: z.number().nullable(),
  diastolic: z.number().nullable(),
  heartRate: z.number().nullable(),
  spo2: z.number().nullable(),
  respiratoryRate: z.number().nullable(),
  sedationScore: z.number().nullable(),
  /** the scale the score was recorded on (the clinic's at the time), null without a score */
  sedationScale: z.enum(SEDATION_SCALES).nullable(),
  pain: z.number().nullable(),
  legNeuro: z.enum(LEG_NEURO_RESULTS),
  neuroNote: z.string(),
  recordedByName: z.string(),
  recordedAt: IsoInstant,
  flags: z.array(CheckFlagView),
  flagged: z.boolean(),
  enteredInError: z.object({ at: IsoInstant, byName: z.string(), reason: z.string() }).nullable(),
})
export type CheckView = z.infer<typeof CheckView>

export const ScheduleView = z.object({
  slots: z.array(z.object({ minutes: z.number().int(), dueAt: IsoInstant, status: z.enum(SLOT_STATUSES), checkId: Id.nullable(), checkedAt: IsoInstant.nullable() })),
  dueCount: z.number().int(),
  lateCount: z.number().int(),
  missedCount: z.number().int(),
  nextDueAt: IsoInstant.nullable(),
  complete: z.boolean(),
  extraCheckIds: z.array(Id),
})

export const StayReason = z.enum(STAY_REASONS, { message: 'must be an item of the overnight-stay reasons' })

/** A fact of the record against a same-day discharge (shared/clinical/discharge.ts). */
export const SameDayBlockerView = z.object({ rule: z.enum(SAME_DAY_BLOCKER_RULES), key: z.string(), message: z.string() })
export type SameDayBlockerView = z.infer<typeof SameDayBlockerView>

export const TimeFlagView = z.object({ key: z.enum(TIME_FLAGS), message: z.string(), minutes: z.number().int(), minimumMinutes: z.number().int() })

export const StayView = z.object({
  procedureId: Id,
  disposition: z.enum(DISPOSITIONS),
  dispositionLabel: z.string(),
  night: IsoDate.nullable(),
  reasons: z.array(StayReason),
  otherText: z.string(),
  reasonsText: z.string(),
  note: z.string(),
  overCapacity: z.boolean(),
  /** a same-day discharge against the recovery record: the physician's reason ('' when nothing stood against it) */
  overrideReason: z.string(),
  /** what stood against the same-day discharge when it was decided, as the physician was shown it */
  overriddenBlockers: z.array(SameDayBlockerView),
  decidedBy: Id,
  decidedByName: z.string(),
  decidedAt: IsoInstant,
  version: Version,
})
export type StayView = z.infer<typeof StayView>

export const RecoveryView = z.object({
  procedureId: Id,
  patient: PatientHeader,
  procedureKind: ProcedureKind,
  procedureDate: IsoDate,
  procedureEndedAt: IsoInstant.nullable(),
  fields: RecoveryFields,
  checks: z.array(CheckView),
  /** null until the arrival in the observation bay is recorded */
  schedule: ScheduleView.nullable(),
  readiness: z.object({
    items: z.array(z.object({ key: z.enum(DISCHARGE_READINESS_ITEMS), label: z.string(), checked: z.boolean() })),
    allChecked: z.boolean(),
    warnings: z.array(z.string()),
    ready: z.boolean(),
  }),
  /** a departure before the clinic's minimum observation time, a supine rest shorter than its minimum */
  timeFlags: z.array(TimeFlagView),
  /** what stands against a same-day discharge now (an override reason is needed while there is any) */
  sameDayBlockers: z.array(SameDayBlockerView),
  /** the clinic's sedation recovery scale and its discharge score (settings), for the check form */
  sedation: z.object({ scale: z.enum(SEDATION_SCALES), scaleLabel: z.string(), dischargeScore: z.number().int() }),
  stay: StayView.nullable(),
  /** the procedure's current discharge summary (the latest not entered in error), or null before one is opened */
  dischargeSummaryId: Id.nullable(),
  /** the procedure note was entered in error: nothing more can be recorded */
  closed: z.boolean(),
  updatedAt: IsoInstant,
  version: Version,
})
export type RecoveryView = z.infer<typeof RecoveryView>

export const DecideStay = z
  .object({
    procedureId: Id,
    /** the version of the decision read, when changing one */
    version: Version.optional(),
    disposition: z.enum(DISPOSITIONS, { message: 'must be same-day discharge or overnight stay' }),
    reasons: z.array(StayReason, { message: 'must be a list' }).default([]).transform((r) => STAY_REASONS.filter((k) => r.includes(k))),
    otherText: optionalText(500),
    note: optionalText(2000),
    /** the physician saw that the overnight beds are full and keeps the patient anyway */
    confirmOverCapacity: z.boolean({ message: 'must be yes or no' }).default(false),
    /** why the patient goes home the same day although the recovery record stands against it (sameDayBlockers) */
    overrideReason: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.disposition === 'overnight' && v.reasons.length === 0) ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'must name at least one reason for an overnight stay' })
    if (v.disposition === 'sameDay' && v.reasons.length > 0) ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'are for an overnight stay only' })
    if (v.reasons.includes('other') && !v.otherText) ctx.addIssue({ code: 'custom', path: ['otherText'], message: 'is required with the reason "other"' })
    if (!v.reasons.includes('other') && v.otherText) ctx.addIssue({ code: 'custom', path: ['otherText'], message: 'goes with the reason "other"' })
    if (v.disposition === 'overnight' && v.overrideReason) ctx.addIssue({ code: 'custom', path: ['overrideReason'], message: 'is for a same-day discharge only' })
  })

export const StaysQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'must not be after "to"', path: ['from'] })

export const StayListItem = z.object({
  procedureId: Id,
  patientId: Id,
  mrn: z.string(),
  patientName: z.string(),
  night: IsoDate,
  kind: ProcedureKind,
  levels: z.array(Level),
  reasons: z.array(StayReason),
  reasonsText: z.string(),
  overCapacity: z.boolean(),
  decidedByName: z.string(),
  decidedAt: IsoInstant,
})

export const StaysList = z.object({
  tonight: IsoDate,
  beds: z.number().int(),
  tonightCount: z.number().int(),
  bedsLeftTonight: z.number().int(),
  stays: z.array(StayListItem),
})
export type StaysList = z.infer<typeof StaysList>
