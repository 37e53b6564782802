/** The procedure day's clinic settings (observation checks, overnight beds, follow-ups, discharge texts), with defaults. */
import { z } from 'zod'
import { DEFAULT_OBSERVATION_PHASES, SEDATION_SCALES } from '../clinical/observation'
import { DEFAULT_PRE_PROCEDURE_POLICY } from '../clinical/preProcedure'

const wholeMinutes = (min: number, max: number) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be whole minutes' })
    .min(min, { message: `must be ${min} to ${max} minutes` })
    .max(max, { message: `must be ${min} to ${max} minutes` })

export const ObservationPhaseSchema = z
  .object({ everyMinutes: wholeMinutes(5, 120), forMinutes: wholeMinutes(5, 480) })
  .refine((p) => p.forMinutes >= p.everyMinutes, { message: 'must last at least one interval', path: ['forMinutes'] })

export const ObservationPhases = z
  .array(ObservationPhaseSchema, { message: 'must be a list of phases' })
  .min(1, { message: 'must have at least one phase' })
  .max(6, { message: 'must have at most 6 phases' })
  .default(DEFAULT_OBSERVATION_PHASES.map((p) => ({ ...p })))

const count = (max: number) => z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(1, { message: `must be 1 to ${max}` }).max(max, { message: `must be 1 to ${max}` })

export const FollowUpIntervalSchema = z.union(
  [
    z.object({ label: z.string().trim().min(1, { message: 'is required' }).max(40), days: count(730) }).strict(),
    z.object({ label: z.string().trim().min(1, { message: 'is required' }).max(40), weeks: count(104) }).strict(),
    z.object({ label: z.string().trim().min(1, { message: 'is required' }).max(40), months: count(24) }).strict(),
  ],
  { message: 'must be a label with days, weeks or months' },
)

/** Discharge proposes follow-up visits at about 2 weeks, 6 weeks and 3 months after the procedure. */
export const DEFAULT_DISCHARGE_FOLLOW_UPS = [
  { label: '2 weeks', weeks: 2 },
  { label: '6 weeks', weeks: 6 },
  { label: '3 months', months: 3 },
]

export const FollowUpIntervals = z
  .array(FollowUpIntervalSchema, { message: 'must be a list of intervals' })
  .max(8, { message: 'must have at most 8 visits' })
  .default(DEFAULT_DISCHARGE_FOLLOW_UPS.map((f) => ({ ...f })))

export const DEFAULT_ACTIVITY_GUIDELINES = [
  'Wear your brace as prescribed.',
  'Take short walks from the first day; increase them little by little.',
  'Do not drive for about 2 days, and not while you take opioid pain medication.',
  'Do not lift more than about 10 lb (4.5 kg) for 3 months.',
  'Keep the puncture sites clean and dry; you may shower after 24 hours.',
].join('\n')

export const DEFAULT_WARNING_SIGNS = [
  'Call 911 for chest pain or shortness of breath.',
  'Call 911 for new weakness or numbness in the legs, or loss of bladder or bowel control.',
  'Call the clinic for a fever of 100.4 F (38 C) or more, redness or discharge at a puncture site, or back pain that gets worse.',
].join('\n')

const templateText = (def: string) => z.string({ message: 'must be text' }).trim().min(1, { message: 'is required' }).max(4000, { message: 'must be at most 4000 characters' }).default(def)
export const ActivityGuidelinesTemplate = templateText(DEFAULT_ACTIVITY_GUIDELINES)
export const WarningSignsTemplate = templateText(DEFAULT_WARNING_SIGNS)

export const OvernightBeds = z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).min(0, { message: 'must be 0 to 50' }).max(50, { message: 'must be 0 to 50' }).default(2)
export const ObservationGraceMinutes = wholeMinutes(0, 30).default(5)

// ---- the observation stay and the sedation score (issue 17, points 1 and 2) ----

/** The clinic's minimum observation time after the procedure: leaving earlier is flagged, and blocks a same-day discharge. */
export const MinimumObservationMinutes = wholeMinutes(0, 480).default(60)

/**
 * The clinic's minimum supine rest while the cement hardens (its policy). The default of 20 minutes is a clinic
 * policy default taken from the typical setting times of PMMA vertebral augmentation cements (hard within about
 * 20 minutes of mixing); each clinic sets its own.
 */
export const MinimumSupineMinutes = wholeMinutes(0, 240).default(20)

/** The scale the clinic scores recovery from sedation on: the modified Aldrete score or PADSS (shared/clinical/observation.ts). */
export const SedationScaleSetting = z.enum(SEDATION_SCALES, { message: 'must be aldrete or padss' }).default('aldrete')

/**
 * The score, on that scale, at or above which a patient is fit for discharge: 9 by both the modified Aldrete
 * score (Aldrete JA, J Clin Anesth 1995;7:89-91) and Chung's PADSS (Chung F et al., J Clin Anesth 1995;7:500-506).
 */
export const SedationDischargeScore = z
  .number({ message: 'must be a number' })
  .int({ message: 'must be a whole number' })
  .min(0, { message: 'must be 0 to 10' })
  .max(10, { message: 'must be 0 to 10' })
  .default(9)

// ---- the pre-procedure checklist's thresholds (issue 17, point 3); defaults and sources: shared/clinical/preProcedure.ts ----

const decimal = (min: number, max: number, unit = '') =>
  z
    .number({ message: 'must be a number' })
    .min(min, { message: `must be ${min} to ${max}${unit}` })
    .max(max, { message: `must be ${min} to ${max}${unit}` })
const whole = (min: number, max: number, unit: string) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: `must be whole ${unit}` })
    .min(min, { message: `must be ${min} to ${max} ${unit}` })
    .max(max, { message: `must be ${min} to ${max} ${unit}` })

/** The highest INR accepted before the procedure (SIR 2019, high bleeding risk: 1.5 to 1.8). */
export const InrMax = decimal(1, 3).default(DEFAULT_PRE_PROCEDURE_POLICY.inrMax)
/** The lowest platelet count accepted, x10^9/L (SIR 2019, high bleeding risk: 50). */
export const PlateletsMin = whole(10, 200, 'x10^9/L').default(DEFAULT_PRE_PROCEDURE_POLICY.plateletsMin)
/** How old, in days before the procedure day, an INR or platelet count may be. */
export const LabMaxAgeDays = whole(0, 180, 'days').default(DEFAULT_PRE_PROCEDURE_POLICY.labMaxAgeDays)
/** Hours without solid food before sedation (ASA 2017: 6 after a light meal). */
export const FastingHours = whole(0, 24, 'hours').default(DEFAULT_PRE_PROCEDURE_POLICY.fastingHours)
/** The ages, in whole years, at which a female patient's pregnancy status must be recorded (both ends included). */
export const PregnancyAgeFrom = whole(0, 80, 'years').default(DEFAULT_PRE_PROCEDURE_POLICY.pregnancyAgeFrom)
export const PregnancyAgeTo = whole(0, 80, 'years').default(DEFAULT_PRE_PROCEDURE_POLICY.pregnancyAgeTo)
