/**
 * A field's path as the router names it ('fields.endedAt', 'findings.0.imagingDate', 'settings.clinicName') in
 * the words a person reads on the screen ("End time", "Finding 1, imaging date", "Clinic name"). The paths stay
 * the keys that put each message under its field; only the sentence a person reads uses these words.
 */

/** Where the word the code uses is not the word on the screen. */
const WORDS: Record<string, string> = {
  startedAt: 'start time',
  checkedAt: 'check time',
  endedAt: 'end time',
  startsAt: 'start time',
  endsAt: 'end time',
  dateOfBirth: 'date of birth',
  primaryCareReferrerId: 'primary care physician',
  mrn: 'MRN',
  nrs: 'pain score',
  painNrs: 'pain score',
  odi: 'ODI',
  rmdq: 'RMDQ',
  inr: 'INR',
  spo2: 'oxygen saturation',
  cpt: 'CPT code',
  icd10: 'ICD-10 code',
  typeId: 'appointment type',
  providerId: 'provider',
  roomId: 'room',
  patientId: 'patient',
  observationRoomId: 'observation room',
  doseDapMgyCm2: 'dose-area product',
  doseAirKermaMgy: 'air kerma',
  fluoroscopySeconds: 'fluoroscopy time',
  balloonVolumeMl: 'balloon volume',
  balloonPressurePsi: 'balloon pressure',
  cementVolumeMl: 'cement volume',
  needleGauge: 'needle gauge',
  flsReferralDate: 'fracture liaison referral date',
  flsReferred: 'fracture liaison referral',
  neuroExam: 'leg neurology',
  neuroExamDetails: 'leg neurology findings',
  kyphoticAngleAfter: 'kyphotic angle after treatment',
  followUpHideOverdueAfterDays: 'hide follow-ups overdue by more than (days)',
  smtpHost: 'SMTP server',
  smtpPort: 'SMTP port',
  smtpTls: 'SMTP security (TLS)',
  smtpUser: 'SMTP user',
  reminderFrom: 'reminders\' From address',
  reminderPhone: 'phone number for patients',
  reminderDaysBefore: 'days before the appointment',
  reminderPlace: 'clinic address',
  reminderTemplate: 'reminder text',
  reminderBring: 'what to bring',
  id: 'record',
  version: 'version',
}

/** Containers whose name says nothing to the person filling the form in. */
const CONTAINERS = new Set(['fields', 'settings', 'values', 'input', 'patient', 'data', 'check'])

/** Lists whose items are named by their position ("finding 2"), in the singular. */
const ITEMS: Record<string, string> = {
  findings: 'finding',
  levels: 'level',
  carePlans: 'care plan',
  diagnoses: 'diagnosis',
  checks: 'check',
  antithrombotics: 'medicine',
  phases: 'phase',
  intervals: 'interval',
  items: 'item',
  windows: 'time window',
}

function words(key: string): string {
  // own keys only: a path such as 'constructor.0' must not find Object's constructor
  if (Object.hasOwn(WORDS, key)) return WORDS[key]!
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/_+/g, ' ')
    .trim()
    .toLowerCase()
}

/** "fields.endedAt" -> "End time"; "findings.0.imagingDate" -> "Finding 1, imaging date". */
export function fieldName(path: string): string {
  const parts = path.split('.').filter((p) => p !== '')
  const out: string[] = []
  parts.forEach((p, i) => {
    if (/^\d+$/.test(p)) {
      const list = parts[i - 1]
      const item = list && Object.hasOwn(ITEMS, list) ? ITEMS[list]! : 'item'
      // the list's own name was left out for its item's: "levels.1" is "level 2"
      if (list && out.at(-1) === words(list)) out.pop()
      out.push(`${item} ${Number(p) + 1}`)
      return
    }
    if (i < parts.length - 1 && CONTAINERS.has(p)) return
    out.push(words(p))
  })
  const text = out.join(', ') || 'this field'
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The refusal's sentence: "Please correct: End time must be after the start time; Finding 1, level is required." */
export function describeFields(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(([k, v]) => `${fieldName(k)} ${v}`)
  return `Please correct: ${parts.slice(0, 5).join('; ')}${parts.length > 5 ? ` (and ${parts.length - 5} more)` : ''}.`
}
