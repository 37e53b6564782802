/**
 * How a patient wants to be contacted, in the words the patient page, the booking dialog and the confirmations
 * list show (issue 21 point 1). Pure: the caller formats dates in the clinic's zone and passes them in.
 */
import { CONTACT_PREFERENCE_LABELS, CONTACT_PREFERENCE_WORDS, type ContactPreference, type ReminderConsent } from './schemas/patients'

export interface ContactFacts {
  contactPreference: ContactPreference
  reminderConsent: ReminderConsent | null
  phone: string
  email: string
}

/** "Reminders: by e-mail, consent given by Dana Desk on Dec 6, 2026", "Reminders: opted out", "Reminders: by phone, not asked yet". */
export function reminderLine(p: ContactFacts & { reminderConsentRecorded: { byName: string; at: string } | null }, formatDate: (instant: string) => string): string {
  if (p.reminderConsent === 'declined') {
    const rec = p.reminderConsentRecorded
    return `Reminders: opted out${rec ? ` (recorded by ${rec.byName} on ${formatDate(rec.at)})` : ''}`
  }
  const how = CONTACT_PREFERENCE_WORDS[p.contactPreference]
  if (p.reminderConsent === 'given') {
    const rec = p.reminderConsentRecorded
    return `Reminders: ${how}, consent given${rec ? ` by ${rec.byName} on ${formatDate(rec.at)}` : ''}`
  }
  return `Reminders: ${how}, not asked yet`
}

/** The address the preferred way uses: the phone number, the e-mail address, or "post". */
function preferredAddress(p: ContactFacts): string {
  if (p.contactPreference === 'email') return p.email || 'no e-mail address'
  if (p.contactPreference === 'letter') return 'by post'
  return p.phone || 'no phone number'
}

/** The booking dialog's one line: "Prefers phone · 555-0100 · reminders not asked yet". */
export function contactSummary(p: ContactFacts): string {
  const consent = p.reminderConsent === 'given' ? 'reminders: consent given' : p.reminderConsent === 'declined' ? 'reminders: opted out' : 'reminders not asked yet'
  const parts = [`Prefers ${CONTACT_PREFERENCE_LABELS[p.contactPreference].toLowerCase()}`, preferredAddress(p)]
  // the front desk phones to confirm whatever the preference: show the number beside an e-mail or letter preference
  if (p.contactPreference !== 'phone' && p.phone) parts.push(`phone ${p.phone}`)
  parts.push(consent)
  return parts.join(' · ')
}
