import { z } from 'zod'
import { latestDateOnEarth } from '../clinicClock'
import { ageOn } from '../dates'
import { Id, IsoDate, IsoInstant, optionalText, requiredText, Version } from './common'

export const SEXES = ['female', 'male', 'other', 'unknown'] as const
export const SEX_LABELS: Record<(typeof SEXES)[number], string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Unknown',
}

// No zone here (the form and the router share this schema): "the future" is after the latest date anywhere on
// Earth, so no clinic's today is refused; the patients service then holds the date to the clinic's own today.
const today = () => latestDateOnEarth(Date.now())

/** How the patient wants to hear from the clinic (reminders, confirmations): issue 21 point 1. */
export const CONTACT_PREFERENCES = ['phone', 'email', 'letter'] as const
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number]
export const CONTACT_PREFERENCE_LABELS: Record<ContactPreference, string> = { phone: 'Phone', email: 'E-mail', letter: 'Letter' }
/** "Reminders: by e-mail" */
export const CONTACT_PREFERENCE_WORDS: Record<ContactPreference, string> = { phone: 'by phone', email: 'by e-mail', letter: 'by letter' }

/** The patient's answer to "may we send you reminders?": null while not asked; an opt-out is 'declined'. */
export const REMINDER_CONSENTS = ['given', 'declined'] as const
export type ReminderConsent = (typeof REMINDER_CONSENTS)[number]

/** The registration form's fields; the same schema validates the form and the router. */
export const PatientFields = z.object({
  firstName: requiredText(80),
  lastName: requiredText(80),
  dateOfBirth: IsoDate.refine((d) => d <= today(), { message: 'cannot be in the future' }).refine(
    (d) => ageOn(d, today()) <= 130,
    { message: 'is more than 130 years ago' },
  ),
  sex: z.enum(SEXES, { message: 'must be female, male, other or unknown' }),
  phone: optionalText(40).refine((p) => p === '' || /^[0-9+()\-. ]{7,40}$/.test(p), {
    message: 'must be a phone number (digits, spaces, + - ( ) .)',
  }),
  email: optionalText(200).refine((e) => e === '' || z.email().safeParse(e).success, {
    message: 'must be an email address such as name@example.org',
  }),
  address: optionalText(400),
  referringPhysician: optionalText(120),
  /** As the patient says it ("Spanish", "Português"); shown on the schedule and the chart with the interpreter flag. */
  preferredLanguage: optionalText(60),
  interpreterNeeded: z.boolean({ message: 'must be yes or no' }).default(false),
  notes: optionalText(4000),
  /** How reminders and confirmation calls reach the patient; the address it needs is checked by contactPreferenceRule. */
  contactPreference: z.enum(CONTACT_PREFERENCES, { message: 'must be phone, e-mail or letter' }).default('phone'),
  /** null = not asked yet. Who recorded it and when are set by the main process, never sent from the screen. */
  reminderConsent: z.enum(REMINDER_CONSENTS, { message: 'must be given, declined or not asked yet' }).nullable().default(null),
  /** The patient's primary care physician, a clinician of the referrers' directory (null = not recorded); letters go to them too. */
  primaryCareReferrerId: Id.nullable().default(null),
})
export type PatientFields = z.infer<typeof PatientFields>
export type PatientFieldsInput = z.input<typeof PatientFields>

/** A new patient's fields before anything is typed: every field of the form, so a new field cannot be left out. */
export const EMPTY_PATIENT_FIELDS: PatientFields = {
  firstName: '',
  lastName: '',
  dateOfBirth: '',
  sex: 'female',
  phone: '',
  email: '',
  address: '',
  referringPhysician: '',
  preferredLanguage: '',
  interpreterNeeded: false,
  notes: '',
  contactPreference: 'phone',
  reminderConsent: null,
  primaryCareReferrerId: null,
}

/**
 * A preference the clinic cannot act on is refused where it is typed and again by the router (both use the schemas
 * below): reminders by e-mail need an e-mail address, by letter a postal address. The message sits under the field
 * that is missing and says which preference needs it. Phone, the default, does not demand a number: a patient
 * registered without one (as many were before this field) must still be savable; the worklist shows "no phone".
 */
export function contactPreferenceRule(f: { contactPreference: ContactPreference; email: string; address: string }, ctx: z.RefinementCtx): void {
  if (f.contactPreference === 'email' && f.email.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['email'], message: 'is needed to send reminders by e-mail (type the address, or choose phone or letter)' })
  }
  if (f.contactPreference === 'letter' && f.address.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['address'], message: 'is needed to send reminders by letter (type the postal address, or choose phone or e-mail)' })
  }
}

/** The patient form (registration and editing) as the screen validates it: the fields and the contact rule. */
export const PatientForm = PatientFields.superRefine(contactPreferenceRule)

export const RegisterPatient = PatientFields.extend({
  /** Set once the user has seen the possible-duplicate warning and still wants a new record. */
  acknowledgeDuplicate: z.boolean().default(false),
}).superRefine(contactPreferenceRule)

export const UpdatePatient = PatientFields.extend({ id: Id, version: Version }).superRefine(contactPreferenceRule)

export const FindDuplicates = z.object({
  firstName: z.string().max(80),
  lastName: z.string().max(80),
  dateOfBirth: IsoDate,
  excludeId: Id.optional(),
})

export const PatientSummary = z.object({
  id: Id,
  mrn: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  dateOfBirth: z.string(),
  sex: z.enum(SEXES),
  phone: z.string(),
})
export type PatientSummary = z.infer<typeof PatientSummary>

export const Patient = PatientSummary.extend({
  email: z.string(),
  address: z.string(),
  referringPhysician: z.string(),
  preferredLanguage: z.string(),
  interpreterNeeded: z.boolean(),
  notes: z.string(),
  contactPreference: z.enum(CONTACT_PREFERENCES),
  reminderConsent: z.enum(REMINDER_CONSENTS).nullable(),
  /** Who recorded the reminder consent and when (null while not asked). */
  reminderConsentRecorded: z.object({ byId: Id, byName: z.string(), at: IsoInstant }).nullable(),
  primaryCareReferrerId: Id.nullable(),
  /** The primary care physician as the directory names them now (null when not recorded). */
  primaryCare: z.object({ id: Id, name: z.string(), practice: z.string(), active: z.boolean() }).nullable(),
  version: Version,
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
})
export type Patient = z.infer<typeof Patient>

/** Where the next page of a patient list starts: the last row shown (lists are ordered by last name, first name, id). */
export const PatientCursor = z.object({
  lastName: z.string({ message: 'must be text' }).max(200, { message: 'must be at most 200 characters' }),
  firstName: z.string({ message: 'must be text' }).max(200, { message: 'must be at most 200 characters' }),
  id: Id,
})
export type PatientCursor = z.infer<typeof PatientCursor>

export const PatientSearch = z.object({
  q: z.string({ message: 'must be text' }).max(100, { message: 'must be at most 100 characters' }),
  limit: z.number().int().min(1).max(200).default(50),
  /** the next page: rows after this one */
  after: PatientCursor.optional(),
})

// A patient as read carries every field of the form (a field missing here would be blank when the record is
// edited, and saving would erase it): the type check fails if one is left out.
type MissingFromPatient = Exclude<keyof PatientFields, keyof Patient>
const everyFieldRead: [MissingFromPatient] extends [never] ? true : MissingFromPatient = true
void everyFieldRead
