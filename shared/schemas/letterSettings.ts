/**
 * The letters' clinic settings (issue 19 point 4): the letterhead under the clinic's name, and the text of the
 * letter to the referrer after a consultation and after a procedure. Stored in the clinic's settings document.
 * A template naming a placeholder its letter does not have is refused, naming it (shared/letters/template.ts).
 */
import { z } from 'zod'
import { DEFAULT_LETTER_TEMPLATES, placeholdersOf, unknownPlaceholders, type LetterKind } from '../letters/template'

const WHICH: Record<LetterKind, string> = { consultation: 'the consultation letter', procedure: 'the procedure letter' }

const letterTemplate = (kind: LetterKind) =>
  z
    .string({ message: 'must be text' })
    .max(8000, { message: 'must be at most 8000 characters' })
    .superRefine((text, ctx) => {
      if (text.trim() === '') {
        ctx.addIssue({ code: 'custom', message: 'is required' })
        return
      }
      const unknown = unknownPlaceholders(text, kind)
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `has ${unknown.map((u) => `{{${u}}}`).join(', ')}, which ${unknown.length === 1 ? 'is not a placeholder' : 'are not placeholders'} of ${WHICH[kind]}; use only ${placeholdersOf(kind).map((p) => `{{${p}}}`).join(' ')}`,
        })
      }
    })
    .default(DEFAULT_LETTER_TEMPLATES[kind])

export const LetterSettingsFields = {
  /** Lines printed under the clinic's name at the top of every letter: address, phone, fax. '' = the name alone. */
  letterhead: z.string({ message: 'must be text' }).max(1000, { message: 'must be at most 1000 characters' }).default(''),
  letterConsultationTemplate: letterTemplate('consultation'),
  letterProcedureTemplate: letterTemplate('procedure'),
}

export const LETTER_TEMPLATE_SETTING: Record<LetterKind, 'letterConsultationTemplate' | 'letterProcedureTemplate'> = {
  consultation: 'letterConsultationTemplate',
  procedure: 'letterProcedureTemplate',
}
