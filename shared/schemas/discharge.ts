/** The discharge summary (generated from the records) and the follow-up visits discharge proposes. */
import { z } from 'zod'
import { DISPOSITIONS } from '../clinical/observation'
import { Id, IsoDate, IsoInstant, optionalText, Version } from './common'
import { Level } from './consultations'
import { PatientHeader, ProcedureKind } from './procedures'
import { SigningState } from './signing'

const template = (max: number) => z.string({ message: 'is required' }).trim().min(1, { message: 'is required' }).max(max, { message: `must be at most ${max} characters` })

/** What the physician writes on the summary; everything else comes from the records. */
export const DischargeFields = z.object({
  medications: optionalText(4000),
  activityGuidelines: template(4000),
  warningSigns: template(4000),
})
export type DischargeFields = z.infer<typeof DischargeFields>

export const OpenDischarge = z.object({ procedureId: Id })
export const SaveDischarge = z.object({ id: Id, version: Version, fields: DischargeFields })

export const PDF_PURPOSES = ['preview', 'print', 'export'] as const
export const DischargePdfRequest = z.object({ id: Id, purpose: z.enum(PDF_PURPOSES, { message: 'must be preview, print or export' }).default('preview') })
export const DischargePdf = z.object({
  fileName: z.string(),
  base64: z.string(),
  sha256: z.string(),
  /** the stored, signed PDF (true), or one made now from the current records (false: a draft, or a record entered in error) */
  stored: z.boolean(),
})

/** The data a summary's PDF is made from, and that its signature covers. */
export const DischargeContent = z.object({
  clinicName: z.string(),
  patient: z.object({ name: z.string(), mrn: z.string(), dateOfBirth: IsoDate }),
  procedure: z.object({ id: Id, kind: ProcedureKind, kindLabel: z.string(), date: IsoDate, physician: z.string() }),
  levels: z.array(z.object({ level: Level, approach: z.string(), cementType: z.string(), cementVolumeMl: z.number().nullable(), leakage: z.string() })),
  totalCementMl: z.number(),
  complications: z.array(z.string()),
  disposition: z
    .object({
      disposition: z.enum(DISPOSITIONS),
      label: z.string(),
      reasons: z.string(),
      decidedBy: z.string(),
      decidedAt: IsoInstant,
      /**
       * A same-day discharge against the recovery record: the physician's reason and what it overrode (issue 17).
       * Absent from summaries signed before it was recorded.
       */
      override: z.object({ reason: z.string(), blockers: z.array(z.string()) }).nullable().optional(),
    })
    .nullable(),
  /**
   * The observation stay's flags: a departure before the clinic's minimum observation time, a supine rest shorter
   * than its minimum (issue 17). Absent from summaries signed before they were recorded.
   */
  observationFlags: z.array(z.string()).optional(),
  /**
   * Each anticoagulant and antiplatelet held for the procedure with the date the patient takes it again, from the
   * pre-procedure checklist (issue 17; null: no restart date recorded). Absent from summaries signed before it.
   */
  antithromboticRestarts: z.array(z.object({ drug: z.string(), restartOn: IsoDate.nullable() })).optional(),
  medications: z.string(),
  activityGuidelines: z.string(),
  warningSigns: z.string(),
  followUps: z.array(z.object({ label: z.string(), targetDate: IsoDate, appointment: z.string().nullable() })),
  /**
   * The clinic's time zone when the content was made: the PDF shows its times in it, named. Absent from
   * summaries signed before it was recorded, whose PDFs show UTC and are made again that way.
   */
  timeZone: z.string().optional(),
})
export type DischargeContent = z.infer<typeof DischargeContent>

export const DischargeView = z.object({
  id: Id,
  procedureId: Id,
  patient: PatientHeader,
  providerId: Id,
  providerName: z.string(),
  fields: DischargeFields,
  /** the signed content once signed; made from the current records before */
  content: DischargeContent,
  /** the records changed since the summary was signed (add an addendum) */
  changedSinceSigning: z.boolean(),
  missingForSigning: z.record(z.string(), z.string()),
  pdf: z.object({ sha256: z.string(), bytes: z.number().int(), intact: z.boolean(), createdAt: IsoInstant }).nullable(),
  signing: SigningState,
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  version: Version,
})
export type DischargeView = z.infer<typeof DischargeView>

export const FOLLOW_UP_STATUSES = ['proposed', 'booked', 'cancelled'] as const
export const FollowUpQuery = z.object({
  status: z.enum(FOLLOW_UP_STATUSES, { message: 'must be proposed, booked or cancelled' }).default('proposed'),
  patientId: Id.optional(),
})

/** What the front desk sees to book a visit: who, when, and nothing clinical. */
export const FollowUpView = z.object({
  id: Id,
  patientId: Id,
  mrn: z.string(),
  patientName: z.string(),
  phone: z.string(),
  label: z.string(),
  targetDate: IsoDate,
  status: z.enum(FOLLOW_UP_STATUSES),
  appointmentId: Id.nullable(),
  version: Version,
})
export type FollowUpView = z.infer<typeof FollowUpView>

export const MarkFollowUpBooked = z.object({ id: Id, version: Version, appointmentId: Id })
