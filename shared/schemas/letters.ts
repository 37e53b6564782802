/**
 * Letters to the referrer (issue 19 point 4): produced by a physician from a signed record (a consultation note, or a
 * procedure note with its signed discharge summary), signed in their name, stored on the chart, printed or exported,
 * and marked sent (how and when). Never deleted: a wrong one is marked entered in error, with who, when and why.
 */
import { z } from 'zod'
import { LETTER_KINDS } from '../letters/template'
import { Id, IsoDate, IsoInstant, requiredText, Version } from './common'
import { SigningPassword } from './signing'

export const LetterKind = z.enum(LETTER_KINDS, { message: 'must be consultation or procedure' })

export const SEND_METHODS = ['print', 'fax', 'email', 'post'] as const
export type SendMethod = (typeof SEND_METHODS)[number]
export const SEND_METHOD_LABELS: Record<SendMethod, string> = { print: 'Printed (handed over)', fax: 'Fax', email: 'E-mail', post: 'Post' }

/** Who a letter goes to: the referral's referrer, or the patient's primary care physician (migration 0034). */
export const RECIPIENT_KINDS = ['referrer', 'primaryCare'] as const
export type RecipientKind = (typeof RECIPIENT_KINDS)[number]
export const RECIPIENT_KIND_LABELS: Record<RecipientKind, string> = { referrer: 'Referrer', primaryCare: 'Primary care physician' }
export const RecipientKind = z.enum(RECIPIENT_KINDS, { message: 'must be the referrer or the primary care physician' })

/** The signed record a letter is made from. */
export const LetterSource = z.object({
  kind: LetterKind,
  /** the consultation's id, or the procedure's */
  recordId: Id,
})
export type LetterSource = z.infer<typeof LetterSource>

const Credentials = z.string({ message: 'must be text' }).trim().max(120, { message: 'must be at most 120 characters' }).default('')

export const LetterDraftRequest = z.object({
  source: LetterSource,
  referrerId: Id,
  /** which of the record's recipients referrerId is: the referral's referrer, or the patient's primary care physician */
  recipientKind: RecipientKind.default('referrer'),
  /** the signer's credentials as printed under their name ('MD, FRCPC'); remembered from their last letter */
  signerCredentials: Credentials,
})
export type LetterDraftRequest = z.infer<typeof LetterDraftRequest>

export const ProduceLetter = LetterDraftRequest.extend({ password: SigningPassword })
export type ProduceLetter = z.infer<typeof ProduceLetter>

export const LETTER_PDF_PURPOSES = ['view', 'print', 'export'] as const
export const LetterPdfRequest = z.object({ id: Id, purpose: z.enum(LETTER_PDF_PURPOSES, { message: 'must be view, print or export' }).default('view') })

export const LetterPdf = z.object({
  fileName: z.string(),
  base64: z.string(),
  sha256: z.string(),
  /** false for a draft made to read before signing (it says DRAFT across the top) */
  signed: z.boolean(),
})
export type LetterPdf = z.infer<typeof LetterPdf>

export const MarkLetterSent = z.object({
  id: Id,
  version: Version,
  method: z.enum(SEND_METHODS, { message: 'must be print, fax, e-mail or post' }),
  /** when it went; now when left out (it cannot be in the future, nor before the letter was signed) */
  sentAt: IsoInstant.optional(),
})
export type MarkLetterSent = z.infer<typeof MarkLetterSent>

export const MarkLetterInError = z.object({ id: Id, version: Version, reason: requiredText(1000) })

/** What a letter says, as stored with it: the PDF is made again from exactly this (same bytes). */
export const LetterContent = z.object({
  kind: LetterKind,
  clinicName: z.string(),
  letterhead: z.string(),
  /** the letter's date line, a clinic calendar date */
  letterDate: IsoDate,
  recipient: z.object({ name: z.string(), practice: z.string(), address: z.string() }),
  patient: z.object({ name: z.string(), mrn: z.string(), dateOfBirth: IsoDate }),
  /** the clinic's template filled in */
  body: z.string(),
  signer: z.object({ name: z.string(), credentials: z.string() }),
  timeZone: z.string(),
})
export type LetterContent = z.infer<typeof LetterContent>

export const LetterView = z.object({
  id: Id,
  patientId: Id,
  patientName: z.string(),
  patientMrn: z.string(),
  kind: LetterKind,
  recordId: Id,
  /** the consultation's visit date or the procedure's date */
  recordDate: IsoDate,
  referrerId: Id.nullable(),
  recipientKind: RecipientKind,
  recipientName: z.string(),
  recipientAddress: z.string(),
  recipientFax: z.string(),
  recipientEmail: z.string(),
  /** how the referrer asked to receive letters */
  delivery: z.enum(SEND_METHODS),
  sha256: z.string(),
  bytes: z.number().int(),
  signerId: Id,
  signerName: z.string(),
  signerCredentials: z.string(),
  signedAt: IsoInstant,
  createdByName: z.string(),
  sentAt: IsoInstant.nullable(),
  sentByName: z.string().nullable(),
  sentMethod: z.enum(SEND_METHODS).nullable(),
  enteredInError: z.object({ at: IsoInstant, byName: z.string(), reason: z.string() }).nullable(),
  version: Version,
})
export type LetterView = z.infer<typeof LetterView>

/** A signed record whose patient was referred, with no letter yet to the referrer (or to the primary care physician). */
export const LetterDue = z.object({
  kind: LetterKind,
  recordId: Id,
  recordDate: IsoDate,
  patientId: Id,
  patientName: z.string(),
  patientMrn: z.string(),
  physicianName: z.string(),
  /** when the record (the discharge summary, for a procedure) was signed */
  signedAt: IsoInstant,
  /**
   * the referral that made the record due (a letter to the primary care physician is not filed under it); null for
   * a primary care physician's letter to a patient without a referral in the app
   */
  referralId: Id.nullable(),
  /** the recipient: the referral's referrer, or the patient's primary care physician (a referrer of the directory) */
  referrerId: Id,
  recipientKind: RecipientKind,
  referrerName: z.string(),
  delivery: z.enum(SEND_METHODS),
})
export type LetterDue = z.infer<typeof LetterDue>

export const LetterWorklist = z.object({
  due: z.array(LetterDue),
  /** produced, not sent, not entered in error: oldest first */
  unsent: z.array(LetterView),
})
export type LetterWorklist = z.infer<typeof LetterWorklist>

export const PatientLetters = z.object({ due: z.array(LetterDue), letters: z.array(LetterView) })
export type PatientLetters = z.infer<typeof PatientLetters>

/** The signed-in physician's credentials as on their last letter ('' before their first). */
export const SignerDefaults = z.object({ credentials: z.string() })
