/**
 * Referrers and referrals (issue 19 points 1 and 2): the directory of referring clinicians and practices, and the
 * referrals the clinic receives, triages and books. One schema per shape, used by the screens' forms and by the
 * router alike (the router validates every input with these).
 *
 * Later parts of issue 19 link to these records by id: a document that came with a referral names its referral
 * (documents.referral_id), a letter out names its referrer (letters.referrer_id).
 */
import { z } from 'zod'
import { foldText, NAME_APOSTROPHES } from '../text'
import { Id, IsoDate, IsoInstant, optionalText, requiredText, Version } from './common'

/** How the referrer wants the clinic's letters (issue 19 point 4 sends them so). */
export const LETTER_DELIVERIES = ['post', 'fax', 'email', 'print'] as const
export type LetterDelivery = (typeof LETTER_DELIVERIES)[number]
export const LETTER_DELIVERY_LABELS: Record<LetterDelivery, string> = { post: 'Post', fax: 'Fax', email: 'E-mail', print: 'Print (handed to the patient)' }

/**
 * Triage urgency, the clinic's policy for a spine clinic's referrals:
 * - urgent: an acute fracture with severe pain (or new neurology): seen within days (3 working days);
 * - soon: a recent fracture, pain controlled: seen within 2 weeks;
 * - routine: seen within weeks (6 weeks).
 * 'untriaged' until the front desk or a physician sets one. Not a setting: the words are the policy.
 */
export const URGENCIES = ['untriaged', 'urgent', 'soon', 'routine'] as const
export type Urgency = (typeof URGENCIES)[number]
export const TRIAGE_URGENCIES = ['urgent', 'soon', 'routine'] as const
export const URGENCY_LABELS: Record<Urgency, string> = {
  untriaged: 'Not triaged',
  urgent: 'Urgent (within days)',
  soon: 'Soon (within 2 weeks)',
  routine: 'Routine (within weeks)',
}
/**
 * The worklist's order: a known urgent referral first, then the untriaged (any of them may be urgent, so they come
 * before the known soon and routine ones), then soon, then routine; within each, the oldest received first.
 */
export const URGENCY_RANK: Record<Urgency, number> = { urgent: 0, untriaged: 1, soon: 2, routine: 3 }

export const REFERRAL_STATUSES = ['open', 'booked', 'declined', 'closed'] as const
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number]
export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = { open: 'Open', booked: 'Consultation booked', declined: 'Declined', closed: 'Closed' }

// ---------------------------------------------------------------------------------------------------------------
// Normalising: the patient search's own folding (shared/text.ts foldText: case, accents, spaces), plus what a
// referrer's name carries that a patient's does not (titles, punctuation).

const TITLES = new Set(['dr', 'doctor', 'prof', 'professor', 'mr', 'mrs', 'ms', 'md', 'mbbs', 'frcs', 'frcp', 'phd'])
const APOSTROPHE_RE = new RegExp(`[${NAME_APOSTROPHES}]`, 'g')

/** Words of a text as compared: folded, apostrophes joined, other punctuation a space. */
export function foldedWords(s: string): string[] {
  return foldText(s)
    .replace(APOSTROPHE_RE, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '')
}

/** The key two spellings of one clinician share: "Dr. Émile O'Brien" and "emile obrien" are one referrer. */
export function referrerNameKey(name: string): string {
  return foldedWords(name)
    .filter((w) => !TITLES.has(w))
    .join(' ')
}

/** What a referrer is found by: the folded words of name, practice and specialty (the phone's digits beside it). */
export const referrerSearchText = (r: { name: string; practice: string; specialty: string }) => foldedWords(`${r.name} ${r.practice} ${r.specialty}`).join(' ')

/** A practice's key ("St. Mary's Clinic" = "st marys clinic"). */
export const practiceKey = (practice: string) => foldedWords(practice).join(' ')

/**
 * Why a free-text referrer (patients.referring_physician, or what the front desk typed for an unknown referrer)
 * cannot be matched to one referrer, or null when it can. The rule, kept simple on purpose:
 * - 'empty': nothing but titles and punctuation ("Dr.", "-");
 * - 'several': it names more than one clinician ("Dr Lee / Dr Park", "Lee and Park", "Lee or Park", "Lee & Park");
 * - 'vague': a placeholder ("self", "unknown", "GP", "ED", "?"), or one name word only ("Dr Lee": there may be
 *   two Dr Lees; a person decides).
 * Two spellings that normalise to the same key ("Dr. Hans Müller" and "hans muller, MD") are ONE referrer: that is
 * the point of normalising. The words' order counts ("Müller, Hans" is another key than "Hans Müller"): a guess
 * there could join two people.
 */
export type UnmatchableReason = 'empty' | 'several' | 'vague'
const PLACEHOLDERS = new Set(['self', 'unknown', 'none', 'na', 'n a', 'gp', 'ed', 'er', 'emergency', 'family doctor', 'walk in', 'other', 'tbc', 'see notes'])
export function unmatchableReason(text: string): UnmatchableReason | null {
  const words = foldedWords(text)
  const key = referrerNameKey(text)
  if (key === '') return 'empty'
  if (text.includes('?') || PLACEHOLDERS.has(words.join(' '))) return 'vague'
  if (/[/&+;]/.test(text) || words.some((w) => CONJUNCTIONS.has(w))) return 'several'
  if (key.split(' ').length < 2) return 'vague'
  return null
}
const CONJUNCTIONS = new Set(['and', 'or', 'und', 'et'])
export const UNMATCHABLE_LABELS: Record<UnmatchableReason, string> = {
  empty: 'No name in the text',
  several: 'Names more than one clinician',
  vague: 'Not specific enough (one name word, or a placeholder)',
}

// ---------------------------------------------------------------------------------------------------------------
// Referrers

const Phone = optionalText(40).refine((s) => s === '' || /^[\d\s()+.\-x]+$/i.test(s), { message: 'must be a phone number (digits, spaces, ( ) + - .)' })

export const ReferrerFields = z.object({
  name: requiredText(120),
  specialty: optionalText(80),
  practice: optionalText(120),
  address: optionalText(300),
  phone: Phone,
  fax: Phone,
  email: optionalText(200).refine((s) => s === '' || z.string().email().safeParse(s).success, { message: 'must be an e-mail address' }),
  letterDelivery: z.enum(LETTER_DELIVERIES, { message: 'must be post, fax, email or print' }).default('post'),
  active: z.boolean({ message: 'must be true or false' }).default(true),
})
export type ReferrerFields = z.infer<typeof ReferrerFields>
export const EMPTY_REFERRER: z.input<typeof ReferrerFields> = { name: '', specialty: '', practice: '', address: '', phone: '', fax: '', email: '', letterDelivery: 'post', active: true }

/**
 * Adding a referrer. When another referrer has the same name and practice, or the same phone, fax or e-mail, the
 * main process refuses (conflict, the matches in `detail.duplicates`) unless `confirmDuplicate` says the user saw
 * them and adds anyway.
 */
export const AddReferrer = ReferrerFields.extend({ confirmDuplicate: z.boolean({ message: 'must be true or false' }).default(false) })
export type AddReferrer = z.infer<typeof AddReferrer>
export const UpdateReferrer = ReferrerFields.extend({ id: Id, version: Version })
export type UpdateReferrer = z.infer<typeof UpdateReferrer>

export const Referrer = z.object({
  id: Id,
  name: z.string(),
  specialty: z.string(),
  practice: z.string(),
  address: z.string(),
  phone: z.string(),
  fax: z.string(),
  email: z.string(),
  letterDelivery: z.enum(LETTER_DELIVERIES),
  active: z.boolean(),
  /** Referrals received from them (all time). */
  referralCount: z.number().int(),
  createdAt: IsoInstant,
  /** null: made by the upgrade from the patients' free text (migration 0029). */
  createdBy: z.string().nullable(),
  updatedAt: IsoInstant,
  version: Version,
})
export type Referrer = z.infer<typeof Referrer>

export const ReferrerSearch = z.object({
  q: z.string({ message: 'must be text' }).max(100, { message: 'must be at most 100 characters' }).default(''),
  includeInactive: z.boolean({ message: 'must be true or false' }).default(false),
  limit: z.number().int().min(1).max(200).default(50),
})
export const ReferrerDuplicateCheck = ReferrerFields.pick({ name: true, practice: true, phone: true, fax: true, email: true }).partial().extend({ excludeId: Id.optional() })
/** A possible duplicate and why it is one. */
export const ReferrerDuplicate = z.object({ referrer: Referrer, why: z.array(z.enum(['nameAndPractice', 'phone', 'fax', 'email'])) })
export type ReferrerDuplicate = z.infer<typeof ReferrerDuplicate>
export const DUPLICATE_WHY_LABELS: Record<ReferrerDuplicate['why'][number], string> = { nameAndPractice: 'same name and practice', phone: 'same phone', fax: 'same fax', email: 'same e-mail' }

// ---------------------------------------------------------------------------------------------------------------
// Referrals

export const AddReferral = z
  .object({
    patientId: Id,
    receivedOn: IsoDate,
    /** The referrer from the directory; null when unknown (then `referrerText` says who, as written). */
    referrerId: Id.nullable().default(null),
    /** Who referred, as written on the letter: kept even with a referrer chosen; required without one. */
    referrerText: optionalText(200),
    reason: requiredText(1000),
  })
  .refine((r) => r.referrerId !== null || r.referrerText !== '', { path: ['referrerId'], message: 'is required: choose a referrer, or type who referred' })
export type AddReferral = z.infer<typeof AddReferral>

export const TriageReferral = z.object({ id: Id, version: Version, urgency: z.enum(TRIAGE_URGENCIES, { message: 'must be urgent, soon or routine' }) })
export type TriageReferral = z.infer<typeof TriageReferral>
export const DeclineReferral = z.object({ id: Id, version: Version, reason: requiredText(500) })
export type DeclineReferral = z.infer<typeof DeclineReferral>
/** Links a referral kept as text (an unmatched migrated one, or an unknown referrer) to a referrer; the text stays. */
export const SetReferralReferrer = z.object({ id: Id, version: Version, referrerId: Id })
export type SetReferralReferrer = z.infer<typeof SetReferralReferrer>

export const ReferralView = z.object({
  id: Id,
  patientId: Id,
  patientName: z.string(),
  patientMrn: z.string(),
  patientPhone: z.string(),
  receivedOn: z.string(),
  referrerId: Id.nullable(),
  /** The directory's name (and practice) when linked; else the text as written. */
  referrerName: z.string(),
  referrerText: z.string(),
  reason: z.string(),
  urgency: z.enum(URGENCIES),
  triagedAt: IsoInstant.nullable(),
  triagedBy: z.string().nullable(),
  status: z.enum(REFERRAL_STATUSES),
  declineReason: z.string(),
  appointmentId: Id.nullable(),
  appointmentStartsAt: IsoInstant.nullable(),
  appointmentStatus: z.string().nullable(),
  appointmentType: z.string().nullable(),
  /** 'intake': recorded in the app; 'migrated': made by the upgrade from the patient's free-text referring physician. */
  source: z.enum(['intake', 'migrated']),
  /** Days from receipt to the clinic's today. */
  daysWaited: z.number().int(),
  createdAt: IsoInstant,
  createdBy: z.string().nullable(),
  version: Version,
})
export type ReferralView = z.infer<typeof ReferralView>

export const ReferralWorklist = z.object({ today: z.string(), timeZone: z.string(), referrals: z.array(ReferralView) })
export type ReferralWorklist = z.infer<typeof ReferralWorklist>
export const PatientReferrals = z.object({ timeZone: z.string(), referrals: z.array(ReferralView) })

/** Referral texts kept without a referrer (migrated or typed), for a person to match. */
export const UnmatchedReferral = z.object({
  id: Id,
  patientId: Id,
  patientName: z.string(),
  patientMrn: z.string(),
  receivedOn: z.string(),
  referrerText: z.string(),
  source: z.enum(['intake', 'migrated']),
  /** Why the text was not matched (the rule: unmatchableReason); null for a text typed at intake with no referrer chosen. */
  why: z.enum(['empty', 'several', 'vague']).nullable(),
  version: Version,
})
export type UnmatchedReferral = z.infer<typeof UnmatchedReferral>

/** The managers' figures: referrals by referrer over the last 12 months, and the median days to consultation and to procedure. */
export const ReferralStats = z.object({
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  byReferrer: z.array(z.object({ referrerId: Id.nullable(), name: z.string(), count: z.number().int() })),
  /** Median days from receipt to the booked consultation's date (consultations that took place or are checked in). */
  medianDaysToConsultation: z.number().nullable(),
  consultations: z.number().int(),
  /** Median days from receipt to the patient's first procedure on or after it. */
  medianDaysToProcedure: z.number().nullable(),
  procedures: z.number().int(),
})
export type ReferralStats = z.infer<typeof ReferralStats>

/** A referrer as the screens, letters and exports name them: "Dr. Amélie Durand, St. Mary's Clinic". */
export function referrerLabel(name: string, practice: string | null | undefined): string {
  return practice ? `${name}, ${practice}` : name
}
