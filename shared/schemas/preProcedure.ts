/**
 * The pre-procedure checklist (issue 17, point 3): what the physician records before the procedure, the calls that
 * save and sign it off, and what the screen shows. The form and the router use these same schemas; the items are
 * judged by shared/clinical/preProcedure.ts against the clinic's thresholds (settings).
 */
import { z } from 'zod'
import { ANTITHROMBOTICS, HOLD_RULES } from '../clinical/antithrombotics'
import { CHECKLIST_ITEMS, INFECTION_SCREENS, PREGNANCY_STATUSES, type PreProcedureChecklist } from '../clinical/preProcedure'
import { Id, IsoDate, IsoInstant, optionalText, Version } from './common'
import { Level } from './consultations'
import { PatientHeader, ProcedureKind, UtcInstant } from './procedures'
import { SigningPassword } from './signing'

export const PREGNANCY_LABELS: Record<(typeof PREGNANCY_STATUSES)[number], string> = {
  negativeTest: 'Negative pregnancy test',
  notPossible: 'Pregnancy not possible',
  positive: 'Pregnant',
  notRecorded: 'Not recorded',
}
export const INFECTION_SCREEN_LABELS: Record<(typeof INFECTION_SCREENS)[number], string> = {
  noSigns: 'No sign of infection',
  signsPresent: 'Signs of infection',
  notChecked: 'Not checked',
}
export const ANTITHROMBOTIC_LABELS = Object.fromEntries(ANTITHROMBOTICS.map((d) => [d, HOLD_RULES[d].label])) as Record<(typeof ANTITHROMBOTICS)[number], string>

const instant = UtcInstant.nullable().default(null)
const date = IsoDate.nullable().default(null)

/** A lab value with the date it was taken: both or neither. */
function lab(value: z.ZodNumber, name: string) {
  return z
    .object({ value: value.nullable().default(null), date })
    .superRefine((v, ctx) => {
      if (v.value !== null && v.date === null) ctx.addIssue({ code: 'custom', path: ['date'], message: `is required with the ${name} value` })
      if (v.value === null && v.date !== null) ctx.addIssue({ code: 'custom', path: ['value'], message: `is required with the ${name} date` })
    })
    .default({ value: null, date: null })
}

export const Antithrombotic = z.object({
  drug: z.enum(ANTITHROMBOTICS, { message: 'must be a drug of the hold list' }),
  /** the last dose taken before the procedure */
  lastDoseAt: instant,
  /** when the patient takes it again: printed on the discharge summary */
  restartOn: date,
})

export const ChecklistFields = z.object({
  consent: z
    .object({
      obtainedBy: optionalText(120),
      obtainedAt: instant,
      procedureKind: ProcedureKind.nullable().default(null),
      levels: z
        .array(Level, { message: 'must be a list' })
        .max(10, { message: 'must be at most 10 levels' })
        .default([])
        .superRefine((levels, ctx) => {
          levels.forEach((l, i) => {
            if (levels.indexOf(l) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `${l} is listed twice` })
          })
        }),
    })
    .default({ obtainedBy: '', obtainedAt: null, procedureKind: null, levels: [] }),
  inr: lab(z.number({ message: 'must be a number' }).min(0.5, { message: 'must be 0.5 to 15' }).max(15, { message: 'must be 0.5 to 15' }), 'INR'),
  /** x10^9/L */
  platelets: lab(
    z.number({ message: 'must be a number' }).int({ message: 'must be a whole number (x10^9/L)' }).min(1, { message: 'must be 1 to 2000 x10^9/L' }).max(2000, { message: 'must be 1 to 2000 x10^9/L' }),
    'platelet',
  ),
  antithrombotics: z
    .array(Antithrombotic, { message: 'must be a list' })
    .max(ANTITHROMBOTICS.length, { message: `must be at most ${ANTITHROMBOTICS.length} drugs` })
    .default([])
    .superRefine((list, ctx) => {
      list.forEach((d, i) => {
        if (list.findIndex((x) => x.drug === d.drug) !== i) ctx.addIssue({ code: 'custom', path: [i, 'drug'], message: `${HOLD_RULES[d.drug].label} is listed twice` })
      })
    }),
  pregnancy: z.enum(PREGNANCY_STATUSES, { message: 'must be negative test, not possible, pregnant or not recorded' }).default('notRecorded'),
  infectionScreen: z.enum(INFECTION_SCREENS, { message: 'must be no signs, signs present or not checked' }).default('notChecked'),
  allergiesConfirmed: z.boolean({ message: 'must be yes or no' }).default(false),
  /** the last solid food */
  fastingSince: instant,
}) satisfies z.ZodType<PreProcedureChecklist, unknown>
export type ChecklistFields = z.infer<typeof ChecklistFields>
export type ChecklistFieldsInput = z.input<typeof ChecklistFields>

export const EMPTY_CHECKLIST: ChecklistFields = ChecklistFields.parse({})

export const GetChecklist = z.object({ procedureId: Id })
/** `version` null: there is no checklist yet (the first save makes it); otherwise the version read. */
export const SaveChecklist = z.object({ procedureId: Id, version: Version.nullable(), checklist: ChecklistFields })
export const SignOffChecklist = z.object({
  procedureId: Id,
  version: Version,
  /** required when an item failed: why the procedure goes ahead all the same */
  overrideReason: optionalText(2000),
  password: SigningPassword,
})

export const ChecklistItemView = z.object({ key: z.enum(CHECKLIST_ITEMS), label: z.string(), status: z.enum(['met', 'failed', 'notApplicable']), detail: z.string() })
export type ChecklistItemView = z.infer<typeof ChecklistItemView>

export const STARTS_AT_SOURCES = ['started', 'appointment', 'now'] as const
export const PolicyView = z.object({
  inrMax: z.number(),
  plateletsMin: z.number(),
  labMaxAgeDays: z.number(),
  fastingHours: z.number(),
  pregnancyAgeFrom: z.number(),
  pregnancyAgeTo: z.number(),
})

export const ChecklistView = z.object({
  procedureId: Id,
  patient: PatientHeader,
  procedureKind: ProcedureKind,
  procedureDate: IsoDate,
  /** the levels the consent must cover: the procedure request's and those on the note */
  plannedLevels: z.array(Level),
  /**
   * The start the holds and fasting are judged against: the recorded start of the procedure, else its appointment's
   * start, else now (no appointment and not started yet).
   */
  startsAt: IsoInstant,
  startsAtSource: z.enum(STARTS_AT_SOURCES),
  /** what the chart records under anticoagulants and antiplatelets, and its allergy flags ('' when nothing) */
  chart: z.object({ antithrombotics: z.string(), allergies: z.string() }),
  checklist: ChecklistFields,
  /** the items judged now (before sign-off), or as the physician was shown them at sign-off */
  items: z.array(ChecklistItemView),
  failedCount: z.number().int(),
  policy: PolicyView,
  signOff: z.object({ byName: z.string(), at: IsoInstant, overrideReason: z.string() }).nullable(),
  /** the procedure note was entered in error: nothing more can be recorded */
  closed: z.boolean(),
  /** null before the first save */
  version: Version.nullable(),
  updatedAt: IsoInstant.nullable(),
  updatedByName: z.string().nullable(),
})
export type ChecklistView = z.infer<typeof ChecklistView>
