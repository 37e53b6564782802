/**
 * The audit log in words: 'preProcedureChecklist.signOff' reads "Pre-procedure checklist signed off", and a row's
 * details {"query":"garcia","shown":3} read "Query: garcia · Shown: 3". The raw record stays one click away on
 * the screen, and the CSV export keeps the codes (what an auditor's tools filter on).
 */
import { fieldName } from '../../../shared/fieldNames'

/** What was done, as a past participle (the entity comes first: "Patient viewed"). */
const DONE: Record<string, string> = {
  view: 'viewed',
  create: 'created',
  update: 'changed',
  remove: 'removed',
  search: 'searched',
  list: 'listed',
  sign: 'signed',
  signOff: 'signed off',
  addendum: 'addendum added',
  enteredInError: 'marked entered in error',
  checkEnteredInError: 'check marked entered in error',
  book: 'booked',
  booked: 'booked',
  move: 'moved',
  status: 'status changed',
  cancel: 'cancelled',
  close: 'closed',
  propose: 'proposed',
  triage: 'triaged',
  decline: 'declined',
  linkReferrer: 'linked to a referrer',
  record: 'recorded',
  outcome: 'outcome recorded',
  decision: 'decision recorded',
  findings: 'findings saved',
  history: 'clinical history changed',
  duplicateCheck: 'checked for duplicates',
  check: 'check recorded',
  export: 'exported',
  print: 'printed',
  add: 'added',
  discard: 'discarded',
  restore: 'restored',
  rotate: 'rotated',
  rotateSkipped: 'rotation skipped',
  failed: 'failed',
  verifyFailed: 'verification failed',
  anchorFile: 'anchor file written',
  complete: 'completed',
  signIn: 'signed in',
  signInFailed: 'sign-in failed',
  signOut: 'signed out',
  lock: 'locked',
  unlock: 'unlocked',
  revoked: 'ended by an administrator',
  changePassword: 'password changed',
  resetPassword: 'password reset',
  lockout: 'locked out after failed sign-ins',
  denied: 'denied',
  pdfStored: 'PDF stored',
  biopsyResult: 'biopsy result recorded',
  dashboard: 'dashboard viewed',
  viewPatient: "patient's outcomes viewed",
  migrateToPostgres: 'moved to PostgreSQL',
  save: 'saved',
  test: 'tested',
  contactAttempt: 'call logged',
  queued: 'queued',
  requeued: 'queued again',
  retry: 'to be retried',
  sent: 'sent',
  confirmedSent: 'confirmed as sent',
  skipped: 'skipped',
  uncertain: 'marked uncertain (check whether it arrived)',
  letterPdf: 'letter PDF made',
  testEmail: 'test e-mail sent',
  import: 'imported',
  open: 'opened',
}

/** Where the code's name for a thing is not the clinic's word for it. */
const THINGS: Record<string, string> = {
  preProcedureChecklist: 'pre-procedure checklist',
  dischargeSummary: 'discharge summary',
  followUpVisit: 'follow-up visit',
  followUp: 'follow-up',
  procedureRequest: 'procedure request',
  appointmentType: 'appointment type',
  clinicHours: 'clinic hours',
  closedDay: 'closed day',
  care: 'care plan',
  access: 'access',
  session: 'session',
  schedule: 'schedule',
  dayList: 'day list',
  asapEntry: 'ASAP list entry',
  referrer: 'referrer',
  referral: 'referral',
}

const thing = (key: string) => (Object.hasOwn(THINGS, key) ? THINGS[key]! : fieldName(key).toLowerCase())

/** 'preProcedureChecklist.signOff' -> 'Pre-procedure checklist signed off'. */
export function actionInWords(action: string): string {
  const parts = action.split('.')
  const verb = parts.length > 1 ? parts.at(-1)! : ''
  const subject = (parts.length > 1 ? parts.slice(0, -1) : parts).map(thing).join(' ')
  const text = verb ? `${subject} ${Object.hasOwn(DONE, verb) ? DONE[verb] : fieldName(verb).toLowerCase()}` : subject
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function valueInWords(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(valueInWords).join(', ')
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${fieldName(k).toLowerCase()} ${valueInWords(x)}`).join(', ')
  return String(v)
}

/** '{"query":"garcia","shown":3}' -> 'Query: garcia · Shown: 3'; text that is not a JSON object is shown as it is. */
export function detailsInWords(details: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(details)
  } catch {
    return details
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return details
  const entries = Object.entries(parsed as Record<string, unknown>).filter(([k]) => k !== 'patientIds')
  return entries.length === 0 ? '—' : entries.map(([k, v]) => `${fieldName(k)}: ${valueInWords(v)}`).join(' · ')
}
