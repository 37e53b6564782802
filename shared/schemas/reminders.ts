/** The reminder outbox's shapes (issue 21 point 3): what the Reminder outbox screen and Settings > Reminders exchange. */
import { z } from 'zod'
import { Id } from './common'

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'skipped', 'uncertain', 'printed'] as const
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

export const OutboxQuery = z.object({
  /** what to list: every status by default; 'letters' = letters still to print */
  show: z.enum(['all', 'queued', 'sent', 'failed', 'skipped', 'uncertain', 'letters'], { message: 'must be one of the outbox lists' }).default('all'),
  limit: z.number({ message: 'must be a number' }).int().min(1).max(500).default(200),
})

export const OutboxEntry = z.object({
  id: Id,
  appointmentId: Id,
  patientId: Id,
  patientName: z.string(),
  channel: z.enum(['email', 'letter']),
  offsetDays: z.number().int(),
  appointmentStartsAt: z.string(),
  dueAt: z.string(),
  status: z.enum(OUTBOX_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  recipient: z.string(),
  sentAt: z.string().nullable(),
  printedAt: z.string().nullable(),
  /** the server's answer, the failure, or why it was skipped or is uncertain */
  detail: z.string(),
  messageId: z.string().nullable(),
})
export type OutboxEntry = z.infer<typeof OutboxEntry>

export const OutboxView = z.object({
  entries: z.array(OutboxEntry),
  counts: z.record(z.string(), z.number()),
})
export type OutboxView = z.infer<typeof OutboxView>

export const OutboxIds = z.object({ ids: z.array(Id, { message: 'must list the reminders' }).min(1, { message: 'must name at least one reminder' }).max(500) })

export const ResolveUncertain = z.object({
  id: Id,
  /** sent: the patient has it (checked with the server's log or the patient); sendAgain: queue it again, same Message-ID */
  decision: z.enum(['sent', 'sendAgain'], { message: 'must be sent or send again' }),
})

export const LetterPdfRequest = z.object({ id: Id })
export const LetterPdf = z.object({ fileName: z.string(), base64: z.string() })
export type LetterPdf = z.infer<typeof LetterPdf>

export const TestEmail = z.object({
  to: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(254, { message: 'must be at most 254 characters' })
    .regex(/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/, { message: 'must be an e-mail address such as it@clinic.example' }),
})
export const TestEmailResult = z.object({
  ok: z.boolean(),
  /** the server's answer ("250 2.0.0 Ok: queued as ...") or the failure in words */
  message: z.string(),
})
export type TestEmailResult = z.infer<typeof TestEmailResult>

export const SetSmtpPassword = z.object({ password: z.string({ message: 'must be text' }).max(500, { message: 'must be at most 500 characters' }) })
export const SmtpPasswordStatus = z.object({
  /** where this computer's SMTP password comes from: saved here, CLINIC_SMTP_PASSWORD, none, or saved but unreadable */
  source: z.enum(['saved', 'env', 'none', 'unreadable']),
  /** why a password cannot be saved on this computer (no keystore), or read; null when it can */
  problem: z.string().nullable(),
})
export type SmtpPasswordStatus = z.infer<typeof SmtpPasswordStatus>
