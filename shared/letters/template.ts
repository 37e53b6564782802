/**
 * Letters to the referrer (issue 19 point 4): the clinic's templates and filling them in. Pure: no I/O, no clock.
 *
 * A template is plain text with placeholders written `{{name}}` (spaces inside the braces allowed). Each kind of
 * letter has its own set of placeholders; a template naming one that is not in its set is refused when the settings
 * are saved (shared/schemas/letterSettings.ts), naming it, so a letter never goes out with a typo in braces.
 * The values are plain text put in as they are: a value that itself contains `{{...}}` is never filled in again.
 */

export const LETTER_KINDS = ['consultation', 'procedure'] as const
export type LetterKind = (typeof LETTER_KINDS)[number]
export const LETTER_KIND_LABELS: Record<LetterKind, string> = { consultation: 'Consultation', procedure: 'Procedure' }

/** Every placeholder, with the words the Settings screen shows for it. */
export const PLACEHOLDER_HELP = {
  'clinic.name': "the clinic's name",
  'letter.date': "the letter's date",
  'recipient.name': 'the referrer the letter goes to',
  'patient.name': "the patient's first and last name",
  'patient.firstName': "the patient's first name",
  'patient.lastName': "the patient's last name",
  'patient.dateOfBirth': "the patient's birth date",
  'patient.mrn': "the patient's medical record number",
  'physician.name': 'the physician who signed the record',
  'visit.date': "the consultation's date",
  chiefComplaint: 'the chief complaint',
  findings: 'the imaging findings, one level a line',
  assessment: "the physician's assessment",
  decision: 'the decision (procedure and levels, or conservative care) and its reason',
  levels: 'the levels proposed (consultation) or treated (procedure)',
  plan: 'the plan: the care plan and osteoporosis treatment (consultation); follow-up and medications (procedure)',
  procedure: 'the procedure (vertebroplasty or kyphoplasty)',
  'procedure.date': "the procedure's date",
  outcome: 'complications and the discharge (same day or overnight)',
  followUp: 'the follow-up visits planned',
} as const
export type Placeholder = keyof typeof PLACEHOLDER_HELP

const COMMON = ['clinic.name', 'letter.date', 'recipient.name', 'patient.name', 'patient.firstName', 'patient.lastName', 'patient.dateOfBirth', 'patient.mrn', 'physician.name'] as const

/** The placeholders each kind of letter fills in. */
export const LETTER_PLACEHOLDERS = {
  consultation: [...COMMON, 'visit.date', 'chiefComplaint', 'findings', 'assessment', 'decision', 'levels', 'plan'],
  procedure: [...COMMON, 'procedure', 'procedure.date', 'levels', 'outcome', 'followUp', 'plan'],
} as const satisfies Record<LetterKind, readonly Placeholder[]>

/** The placeholders of a kind of letter, as one list type. */
export const placeholdersOf = (kind: LetterKind): readonly Placeholder[] => LETTER_PLACEHOLDERS[kind]

export type LetterValues<K extends LetterKind = LetterKind> = Record<(typeof LETTER_PLACEHOLDERS)[K][number], string>

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/** The placeholders a text names, in order, once each (as written, trimmed). */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))]
}

/** The placeholders a text names that a letter of this kind does not have, in order, once each. */
export function unknownPlaceholders(text: string, kind: LetterKind): string[] {
  const known: readonly string[] = placeholdersOf(kind)
  return placeholdersIn(text).filter((name) => !known.includes(name))
}

/**
 * The template with each known placeholder replaced by its value. An unknown one (refused when the template was
 * saved, so only in a template written behind the app's back) is left as written, for a reader to notice.
 */
export function renderLetterTemplate(text: string, values: Partial<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => (Object.hasOwn(values, name) && typeof values[name] === 'string' ? values[name] : whole))
}

export const DEFAULT_CONSULTATION_LETTER = [
  'Dear {{recipient.name}},',
  '',
  'Re: {{patient.name}}, born {{patient.dateOfBirth}} (MRN {{patient.mrn}})',
  '',
  'Thank you for referring {{patient.name}}, whom I saw in consultation on {{visit.date}}.',
  '',
  'Presenting complaint: {{chiefComplaint}}',
  '',
  'Findings:',
  '{{findings}}',
  '',
  'Assessment:',
  '{{assessment}}',
  '',
  'Decision:',
  '{{decision}}',
  '',
  'Plan:',
  '{{plan}}',
  '',
  'Please do not hesitate to contact the clinic with any question.',
  '',
  'Yours sincerely,',
].join('\n')

export const DEFAULT_PROCEDURE_LETTER = [
  'Dear {{recipient.name}},',
  '',
  'Re: {{patient.name}}, born {{patient.dateOfBirth}} (MRN {{patient.mrn}})',
  '',
  'I am writing to let you know that {{patient.name}} had a {{procedure}} on {{procedure.date}}.',
  '',
  'Levels treated:',
  '{{levels}}',
  '',
  'Outcome:',
  '{{outcome}}',
  '',
  'Plan and follow-up:',
  '{{plan}}',
  '',
  'Please do not hesitate to contact the clinic with any question.',
  '',
  'Yours sincerely,',
].join('\n')

export const DEFAULT_LETTER_TEMPLATES: Record<LetterKind, string> = { consultation: DEFAULT_CONSULTATION_LETTER, procedure: DEFAULT_PROCEDURE_LETTER }
