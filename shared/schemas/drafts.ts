import { z } from 'zod'

/**
 * A draft: what a user typed into a form and has not saved yet, kept in the clinic database as that user's
 * own (never a record, never signed). The form's values travel as JSON text, so that the router can bound
 * its size before parsing it and the services never walk an arbitrary object.
 */

/** Largest draft, as JSON characters. A full consultation note with long free text is a few tens of KB. */
export const MAX_DRAFT_JSON = 200_000

/** 'consultation:12', 'procedure:4', 'dischargeSummary:9', 'followUpVisit:7', 'patientRegistration:new'. */
export const DraftKey = z
  .string({ message: 'is required' })
  .min(1, { message: 'is required' })
  .max(100, { message: 'must be at most 100 characters' })
  .regex(/^[a-z][A-Za-z0-9]*(:[A-Za-z0-9_-]+)*$/, { message: "must be a form's name and record, like consultation:12" })

/** The address of the screen the form is on (a hash route such as /consultations/12). */
export const DraftScreen = z
  .string({ message: 'is required' })
  .max(300, { message: 'must be at most 300 characters' })
  .regex(/^\/[A-Za-z0-9/_\-?=&.%]*$/, { message: 'must be an address in the app, like /consultations/12' })

const isJsonObject = (text: string): boolean => {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
  } catch {
    // not JSON, or nested deeper than the parser allows
    return false
  }
}

export const DraftJson = z
  .string({ message: 'is required' })
  .max(MAX_DRAFT_JSON, { message: `is too large (at most ${MAX_DRAFT_JSON} characters)` })
  .refine(isJsonObject, { message: 'must be a JSON object' })

export const GetDraft = z.object({ key: DraftKey }).strict()

export const SaveDraft = z.object({ key: DraftKey, screen: DraftScreen, json: DraftJson }).strict()
export type SaveDraft = z.infer<typeof SaveDraft>

/** 'saved': the form was saved or signed, so the record has it; 'discarded': the user threw it away. */
export const DiscardDraft = z.object({ key: DraftKey, reason: z.enum(['saved', 'discarded'], { message: 'must be saved or discarded' }) }).strict()
export type DiscardDraft = z.infer<typeof DiscardDraft>

export const Draft = z.object({
  key: z.string(),
  screen: z.string(),
  json: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Draft = z.infer<typeof Draft>

export const DraftSaved = z.object({ key: z.string(), updatedAt: z.string() })
export const DraftDiscarded = z.object({ key: z.string(), discarded: z.boolean() })
