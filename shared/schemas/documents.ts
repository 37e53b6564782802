/**
 * Documents on the chart (issue 19 point 3): files attached to a patient (and optionally to one of their referrals,
 * consultations or procedures). One schema per shape, used by the screens and by the router alike.
 *
 * The file's bytes travel as base64 (the development bridge speaks JSON); the schema checks that the text is
 * base64 and not longer than the largest limit the setting allows, the service decodes it and applies the clinic's
 * own limit and the content check (shared/documentSniff.ts), so a refused file leaves nothing stored.
 */
import { z } from 'zod'
import { DOCUMENT_MEDIA_TYPES } from '../documentSniff'
import { Id, IsoDate, IsoInstant, requiredText, Version } from './common'

export const DOCUMENT_KINDS = ['referralLetter', 'imagingReport', 'labResult', 'consentForm', 'correspondence', 'other'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  referralLetter: 'Referral letter',
  imagingReport: 'Imaging report',
  labResult: 'Lab result',
  consentForm: 'Consent form',
  correspondence: 'Correspondence',
  other: 'Other',
}

/**
 * Who opens a document's content. Physicians open every kind. The front desk opens what its own work needs (the
 * referral letter it triages and books from, consent forms, correspondence, other papers) but not results
 * (imaging reports, lab results), which are clinical findings for the physicians; the list (title, kind, date)
 * is shown to every clinical role, so the front desk sees that a result arrived. Managers see the list only.
 */
export const FRONT_DESK_KINDS: readonly DocumentKind[] = ['referralLetter', 'consentForm', 'correspondence', 'other']
export function mayOpenDocument(role: string, kind: DocumentKind): boolean {
  return role === 'physician' || (role === 'frontDesk' && FRONT_DESK_KINDS.includes(kind))
}

/** The size limit's setting (clinic settings, documentMaxMegabytes): 1 to 100 MB, 50 MB by default. */
export const DOCUMENT_MAX_MB_DEFAULT = 50
export const DOCUMENT_MAX_MB_CEILING = 100
export const MEGABYTE = 1024 * 1024
/** The longest base64 any allowed file gives (4 characters per 3 bytes). */
export const MAX_BASE64_LENGTH = Math.ceil((DOCUMENT_MAX_MB_CEILING * MEGABYTE) / 3) * 4

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
export const Base64Content = z
  .string({ message: 'is required' })
  .max(MAX_BASE64_LENGTH, { message: `is larger than ${DOCUMENT_MAX_MB_CEILING} MB` })
  .refine((s) => s.length % 4 === 0 && BASE64.test(s), { message: 'is not base64-encoded' })

/** A file's own name as the person chose it: no folders (the main process never sees a path) and no control characters. */
export const FileName = requiredText(255).refine((n) => ![...n].some((ch) => ch === '/' || ch === '\\' || ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127), {
  message: 'must be a file name without folders or control characters',
})

export const AttachDocument = z.object({
  patientId: Id,
  referralId: Id.nullable().default(null),
  consultationId: Id.nullable().default(null),
  procedureId: Id.nullable().default(null),
  kind: z.enum(DOCUMENT_KINDS, { message: 'must be one of the kinds listed' }),
  title: requiredText(200),
  documentDate: IsoDate,
  fileName: FileName,
  /** the file's bytes, base64 */
  content: Base64Content,
})
export type AttachDocument = z.input<typeof AttachDocument>

export const DocumentView = z.object({
  id: Id,
  patientId: Id,
  referralId: Id.nullable(),
  consultationId: Id.nullable(),
  procedureId: Id.nullable(),
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string(),
  documentDate: IsoDate,
  fileName: z.string(),
  mediaType: z.enum(DOCUMENT_MEDIA_TYPES),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  createdAt: IsoInstant,
  createdBy: z.string(),
  /** whether the signed-in user may open its content (mayOpenDocument) */
  mayOpen: z.boolean(),
  enteredInError: z.object({ at: IsoInstant, by: z.string(), reason: z.string() }).nullable(),
  version: Version,
})
export type DocumentView = z.infer<typeof DocumentView>

export const PatientDocuments = z.object({
  documents: z.array(DocumentView),
  /** the clinic's limit, for the attach form to refuse a file before sending it */
  maxBytes: z.number().int().positive(),
})
export type PatientDocuments = z.infer<typeof PatientDocuments>

/** How a document's content is wanted: each is audited under its own action. */
export const DOCUMENT_USES = ['view', 'export'] as const
export const OpenDocument = z.object({ id: Id, use: z.enum(DOCUMENT_USES).default('view') })
export type OpenDocument = z.input<typeof OpenDocument>

export const DocumentContent = z.object({ document: DocumentView, content: z.string() })
export type DocumentContent = z.infer<typeof DocumentContent>

export const DocumentPrinted = z.object({ id: Id })

export const MarkDocumentInError = z.object({
  id: Id,
  version: Version,
  reason: requiredText(500),
})
export type MarkDocumentInError = z.input<typeof MarkDocumentInError>
