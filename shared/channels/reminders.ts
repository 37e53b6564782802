/**
 * Reminders sent by the app (issue 21 point 3). The outbox is the front desk's worklist (area 'worklists'); the
 * SMTP password and the test e-mail are the administrator's (Settings > Reminders).
 */
import { Empty, Ok, type ChannelDef } from './define'
import { LetterPdf, LetterPdfRequest, OutboxIds, OutboxQuery, OutboxView, ResolveUncertain, SetSmtpPassword, SmtpPasswordStatus, TestEmail, TestEmailResult } from '../schemas/reminders'

const OUTBOX_STAFF = ['frontDesk', 'admin'] as const

export const reminderChannels = {
  'reminders.outbox': { input: OutboxQuery, output: OutboxView, access: OUTBOX_STAFF, reads: ['worklists', 'schedule', 'patients'] },
  /** One letter as a PDF, made now from the template and the appointment as it is (audited: it names the patient). */
  'reminders.letterPdf': { input: LetterPdfRequest, output: LetterPdf, access: OUTBOX_STAFF, reads: ['worklists'] },
  'reminders.markPrinted': { input: OutboxIds, output: Ok, access: OUTBOX_STAFF, mutates: true, changes: ['worklists'] },
  /** An 'uncertain' e-mail (a run ended mid-send): the front desk says it arrived, or queues it again (same Message-ID). */
  'reminders.resolveUncertain': { input: ResolveUncertain, output: Ok, access: OUTBOX_STAFF, mutates: true, changes: ['worklists'] },
  /** Not a write transaction: an SMTP conversation can take a minute, and no other write should wait on it. Audited. */
  'reminders.testEmail': { input: TestEmail, output: TestEmailResult, access: ['admin'], reads: ['settings'] },
  'reminders.smtpPassword': { input: Empty, output: SmtpPasswordStatus, access: ['admin'], reads: ['settings'] },
  'reminders.setSmtpPassword': { input: SetSmtpPassword, output: SmtpPasswordStatus, access: ['admin'], mutates: true, changes: ['settings'] },
} as const satisfies Record<string, ChannelDef>
