/** What every signed clinical record shows about its signature, addenda and entered-in-error mark. */
import { z } from 'zod'
import { Id, IsoInstant, requiredText } from './common'

export const SIGNED_RECORD_STATUSES = ['draft', 'signed', 'enteredInError'] as const
export type SignedRecordStatus = (typeof SIGNED_RECORD_STATUSES)[number]
export const SIGNED_RECORD_STATUS_LABELS: Record<SignedRecordStatus, string> = {
  draft: 'Draft (not signed)',
  signed: 'Signed',
  enteredInError: 'Entered in error',
}

export const SignatureView = z.object({
  signedBy: Id,
  signerName: z.string(),
  signedAt: IsoInstant,
  contentHash: z.string(),
  /** false when the content no longer matches what was signed (or the signature was invalidated) */
  valid: z.boolean(),
})
export type SignatureView = z.infer<typeof SignatureView>

export const AddendumView = z.object({
  id: Id,
  text: z.string(),
  authorId: Id,
  authorName: z.string(),
  signedAt: IsoInstant,
  contentHash: z.string(),
})
export type AddendumView = z.infer<typeof AddendumView>

export const EnteredInErrorView = z.object({
  markedBy: Id,
  markerName: z.string(),
  markedAt: IsoInstant,
  reason: z.string(),
})

export const SigningState = z.object({
  status: z.enum(SIGNED_RECORD_STATUSES),
  signature: SignatureView.nullable(),
  addenda: z.array(AddendumView),
  enteredInError: EnteredInErrorView.nullable(),
})
export type SigningState = z.infer<typeof SigningState>

/** The signer's own password, asked again at the moment of signing (checked by the router: `reauthenticate`). */
export const SigningPassword = z.string({ message: 'is required' }).min(1, { message: 'is required' }).max(200)
export const SignRecord = z.object({ id: Id, version: z.number({ message: 'must be a number' }).int().nonnegative(), password: SigningPassword })
export const AddAddendum = z.object({ id: Id, text: requiredText(8000), password: SigningPassword })
export const MarkEnteredInError = z.object({ id: Id, reason: requiredText(1000) })
