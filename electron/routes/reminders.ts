import type { reminderChannels } from '../../shared/channels/reminders'
import * as reminders from '../services/reminders/service'
import type { RouteTable } from './types'

export const reminderRoutes: RouteTable<keyof typeof reminderChannels> = {
  'reminders.outbox': (ctx, input) => reminders.listOutbox(ctx, input),
  'reminders.letterPdf': (ctx, input) => reminders.letterPdf(ctx, input),
  'reminders.markPrinted': (ctx, input) => reminders.markPrinted(ctx, input),
  'reminders.resolveUncertain': (ctx, input) => reminders.resolveUncertain(ctx, input),
  'reminders.testEmail': (ctx, input) => reminders.sendTestEmail(ctx, input),
  'reminders.smtpPassword': (ctx) => reminders.smtpPasswordStatus(ctx),
  'reminders.setSmtpPassword': (ctx, input) => reminders.setSmtpPassword(ctx, input),
}
