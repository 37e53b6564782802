/**
 * The reminders' clinic settings (issue 21 point 3): the clinic's SMTP server, who the e-mail is from, the phone
 * number patients call back, when reminders go out, where the clinic is, what each appointment type asks the
 * patient to bring, and the clinic-editable text. Stored in the clinic's settings document (every workstation
 * sends the same words); the SMTP password is not here: it is kept per computer in the OS keystore
 * (electron/services/reminders/smtpPassword.ts), never in the database or this document.
 */
import { z } from 'zod'

/** The placeholders a reminder's text may use; anything else in braces is refused, naming the field. */
export const REMINDER_PLACEHOLDERS = ['clinic', 'date', 'time', 'place', 'bring', 'phone'] as const
export type ReminderPlaceholder = (typeof REMINDER_PLACEHOLDERS)[number]

export const DEFAULT_REMINDER_TEMPLATE = [
  'This is a reminder from {clinic} of your appointment on {date} at {time}.',
  '',
  'Place: {place}',
  'Please bring: {bring}',
  '',
  'If you cannot come, or have a question, please call us on {phone}.',
].join('\n')

/** The placeholders written in a text that are not known ones, in order, once each. */
export function unknownPlaceholders(text: string): string[] {
  const found = [...text.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]!)
  return [...new Set(found.filter((name) => !(REMINDER_PLACEHOLDERS as readonly string[]).includes(name)))]
}

/** The text with each placeholder replaced by its value (the values are plain text, never interpreted again). */
export function fillReminderTemplate(text: string, values: Record<ReminderPlaceholder, string>): string {
  return text.replace(/\{(clinic|date|time|place|bring|phone)\}/g, (_, name: ReminderPlaceholder) => values[name])
}

export const SMTP_TLS_MODES = ['none', 'starttls', 'tls'] as const
export type SmtpTlsMode = (typeof SMTP_TLS_MODES)[number]

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/

export const ReminderSettingsFields = {
  /** The clinic's SMTP server's host name or address; '' = no e-mail reminders (letters are still prepared). */
  smtpHost: z
    .string({ message: 'must be text' })
    .trim()
    .max(253, { message: 'must be at most 253 characters' })
    .regex(/^[A-Za-z0-9.:\-[\]]*$/, { message: 'must be a host name such as mail.example.org or an address such as 192.168.1.20' })
    .default(''),
  smtpPort: z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be 1 to 65535' })
    .max(65535, { message: 'must be 1 to 65535' })
    .default(587),
  /** none: plain text (only inside the clinic's network); starttls: upgrade on 587/25; tls: TLS from the start (465). */
  smtpTls: z.enum(SMTP_TLS_MODES, { message: 'must be none, STARTTLS or TLS' }).default('starttls'),
  /** '' = the server takes mail without signing in. */
  smtpUser: z.string({ message: 'must be text' }).trim().max(200, { message: 'must be at most 200 characters' }).default(''),
  /** The From address of the reminders. */
  reminderFrom: z
    .string({ message: 'must be text' })
    .trim()
    .max(254, { message: 'must be at most 254 characters' })
    .refine((v) => v === '' || EMAIL.test(v), { message: 'must be an e-mail address such as reminders@clinic.example' })
    .default(''),
  /** The phone number patients call back ({phone}). */
  reminderPhone: z.string({ message: 'must be text' }).trim().max(40, { message: 'must be at most 40 characters' }).default(''),
  /** Days before the appointment a reminder goes out, e.g. [3, 1]: whole days of 24 hours before its start; none = no reminders. */
  reminderDaysBefore: z
    .array(z.number({ message: 'must be whole days' }).int({ message: 'must be whole days' }).min(1, { message: 'must be 1 to 30 days' }).max(30, { message: 'must be 1 to 30 days' }), {
      message: 'must be a list of days such as 3, 1',
    })
    .max(5, { message: 'must be at most 5 reminders' })
    .refine((days) => new Set(days).size === days.length, { message: 'must not name the same day twice' })
    .default([3, 1]),
  /** The clinic's address ({place}, with the room's name before it). */
  reminderPlace: z.string({ message: 'must be text' }).trim().max(300, { message: 'must be at most 300 characters' }).default(''),
  /** The clinic-editable text of e-mails and letters; only the placeholders of REMINDER_PLACEHOLDERS. */
  reminderTemplate: z
    .string({ message: 'must be text' })
    .max(3000, { message: 'must be at most 3000 characters' })
    .superRefine((text, ctx) => {
      const unknown = unknownPlaceholders(text)
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `has ${unknown.map((u) => `{${u}}`).join(', ')}, which is not a placeholder; use only ${REMINDER_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`,
        })
      }
      if (text.trim() === '') ctx.addIssue({ code: 'custom', message: 'is required' })
    })
    .default(DEFAULT_REMINDER_TEMPLATE),
  /** What to bring ({bring}), by appointment type code (e.g. 'vp': 'your medication list and a driver'); '' = nothing listed. */
  reminderBring: z
    .record(
      z.string().max(40),
      z.string({ message: 'must be text' }).trim().max(300, { message: 'must be at most 300 characters' }),
      { message: 'must list what to bring by appointment type' },
    )
    .default({}),
}
