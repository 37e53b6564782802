/**
 * `admin reminders run`: the reminder outbox once (electron/services/reminders/outbox.ts), for a clinic that
 * sends from a server's scheduled task instead of (or besides) the desktop app: the same queue, the same claim
 * before the hand-off, the same sender lock on PostgreSQL, the same audit rows (actor "admin-cli").
 */
import { isUpToDate } from '../../db/migrate'
import { defaultSenderActor, runReminders, type OutboxItem } from '../../services/reminders/outbox'
import { readSmtpPassword, SMTP_PASSWORD_ENV } from '../../services/reminders/smtpPassword'
import { EXIT_FAILED, EXIT_OK, openTarget, UsageError, type Command } from '../common'

const line = (i: OutboxItem) =>
  `  #${i.id} appointment #${i.appointmentId} at ${i.appointmentStartsAt}, ${i.offsetDays} day(s) before, ${i.channel}${i.recipient ? ` to ${i.recipient}` : ''}${i.detail ? `: ${i.detail}` : ''}`

export const remindersCommand: Command = {
  name: 'reminders',
  summary: 'send the appointment reminders that are due, once (for a scheduled task)',
  help: `Usage: npm run admin -- reminders run [--db FILE | --db-url URL]

Queues the reminders that have come due (Settings > Reminders: days before), skips those whose appointment was
cancelled or moved or whose patient withdrew consent, sends the due e-mails through the clinic's SMTP server
once each (retrying later when the server does not answer), and prints what it sent, skipped and failed, and
how many letters wait to be printed. Run it every few minutes from the server's scheduler if no desktop app
sends. On PostgreSQL only one sender works at a time (an advisory lock): if a workstation is sending, this
run says so and sends nothing. The SMTP password comes from the ${SMTP_PASSWORD_ENV} environment variable
(never an argument). Exit status 1 when a reminder failed for good.`,
  options: {},
  positionals: 1,
  async run({ io, args, target, now }) {
    if (args[0] !== 'run') throw new UsageError(args[0] ? `Unknown action "${args[0]}": use "reminders run".` : 'Use "reminders run".')
    const database = openTarget(target)
    try {
      if (!(await isUpToDate(database))) {
        io.err('The database schema is not up to date: run "npm run admin -- migrate" first. Nothing was sent.')
        return EXIT_FAILED
      }
      const report = await runReminders({
        database,
        now,
        actor: defaultSenderActor('admin-cli'),
        password: () => readSmtpPassword({ env: io.env }),
      })
      if (report.status === 'not-set-up') {
        io.err('The clinic has not been set up yet: nothing to send.')
        return EXIT_FAILED
      }
      if (report.status === 'another-sender') {
        io.out('Another workstation is sending reminders right now (it holds the sender lock): nothing was sent by this run.')
        return EXIT_OK
      }
      const section = (title: string, items: OutboxItem[]) => io.out(`${title}: ${items.length}${items.length ? `\n${items.map(line).join('\n')}` : ''}`)
      section('Sent', report.sent)
      section('Skipped', report.skipped)
      section('Failed', report.failed)
      if (report.retrying.length) section('To retry later', report.retrying)
      if (report.uncertain.length) section('Uncertain (a run ended mid-send; check on the Reminder outbox screen, not resent)', report.uncertain)
      if (report.queued.length) io.out(`Newly queued: ${report.queued.length}`)
      io.out(`Letters to print: ${report.lettersToPrint}`)
      if (report.emailNotSent) io.out(`E-mail not sent: ${report.emailNotSent}`)
      return report.failed.length > 0 ? EXIT_FAILED : EXIT_OK
    } finally {
      await database.close()
    }
  },
}
