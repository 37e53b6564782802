import { z } from 'zod'
import { Id, IsoDate } from './common'

/** The audit viewer's filter; dates are calendar days in the clinic's time zone, both ends included. */
const filterShape = {
  userId: Id.optional(),
  patientId: Id.optional(),
  action: z
    .string({ message: 'must be text' })
    .trim()
    .max(60, { message: 'must be at most 60 characters' })
    .regex(/^[A-Za-z0-9._-]*$/, { message: 'must be an action name such as patient.view' })
    .optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
}
const datesInOrder = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to
const DATES_MESSAGE = { message: 'must be on or after the first date', path: ['to'] }

export const AuditFilter = z.object(filterShape).refine(datesInOrder, DATES_MESSAGE)
export type AuditFilter = z.infer<typeof AuditFilter>

export const AuditQuery = z
  .object({
    ...filterShape,
    limit: z.number().int().min(1).max(500).default(100),
    /** Pages backwards: the rows older than this id. */
    beforeId: Id.optional(),
  })
  .refine(datesInOrder, DATES_MESSAGE)

export const AuditEntry = z.object({
  id: Id,
  at: z.string(),
  userId: z.number().nullable(),
  username: z.string().nullable(),
  workstation: z.string(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  patientId: z.number().nullable(),
  /** The patient's MRN, when the row names a patient. */
  patientMrn: z.string().nullable(),
  details: z.string(),
})
export type AuditEntry = z.infer<typeof AuditEntry>

/** What the viewer's filter lists offer: every user (active or not) and every action the log holds. */
export const AuditFilterOptions = z.object({
  users: z.array(z.object({ id: Id, username: z.string(), displayName: z.string(), active: z.boolean() })),
  actions: z.array(z.string()),
})
export type AuditFilterOptions = z.infer<typeof AuditFilterOptions>

/** The patient picker of the viewer (managers and administrators; administrators cannot use the clinical search). */
export const AuditPatientLookup = z.object({
  q: z.string({ message: 'must be text' }).trim().min(1, { message: 'is required' }).max(100, { message: 'must be at most 100 characters' }),
})
export const AuditPatientOption = z.object({ id: Id, mrn: z.string(), name: z.string(), dateOfBirth: z.string() })
export type AuditPatientOption = z.infer<typeof AuditPatientOption>

/** The filtered rows as a CSV file, written by the main process (and the export itself audited). */
export const AuditExport = z.object({
  fileName: z.string(),
  mimeType: z.literal('text/csv'),
  content: z.string(),
  rows: z.number().int().nonnegative(),
})
export type AuditExport = z.infer<typeof AuditExport>

/** More rows than this: narrow the filter (an export is never silently cut short). */
export const AUDIT_EXPORT_MAX_ROWS = 100_000
