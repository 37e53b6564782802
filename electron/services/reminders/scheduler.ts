/**
 * The desktop app's reminder sender (main process, like the daily backup in ../backupScheduler.ts): every minute
 * it runs the outbox once (./outbox.ts). Several workstations may all run it: on PostgreSQL the advisory lock
 * lets one send per minute; on SQLite there is one computer. A run never overlaps the previous one here.
 */
import type { AppDatabase } from '../../db/connect'
import type { SecretStore } from '../../db/secretStore'
import { defaultSenderActor, runReminders, type RunReport } from './outbox'
import { readSmtpPassword } from './smtpPassword'

export interface ReminderSenderOptions {
  database: AppDatabase
  /** where this computer's SMTP password is kept (the app's settings folder and keystore) */
  configDir?: string
  secrets?: SecretStore
  intervalMs?: number
  firstCheckMs?: number
  log?: (message: string, err?: unknown) => void
  /** told when a run changed the outbox, so that open Reminder outbox screens refresh */
  changed?: () => void
}

export interface ReminderSender {
  tick(): Promise<RunReport>
  stop(): Promise<void>
}

export function startReminderSender(options: ReminderSenderOptions): ReminderSender {
  const log = options.log ?? ((m, e) => console.error(`[reminders] ${m}`, e ?? ''))
  const actor = defaultSenderActor()
  let running: Promise<RunReport> | null = null
  let lastProblem = ''
  const tick = () => {
    running ??= runReminders({
      database: options.database,
      actor,
      password: () => readSmtpPassword({ configDir: options.configDir, secrets: options.secrets, env: process.env }),
    })
      .then((r) => {
        const n = r.queued.length + r.sent.length + r.skipped.length + r.failed.length + r.retrying.length + r.uncertain.length
        if (n > 0) {
          log(`reminders: ${r.sent.length} sent, ${r.skipped.length} skipped, ${r.failed.length} failed, ${r.retrying.length} to retry, ${r.uncertain.length} uncertain, ${r.queued.length} queued`)
          options.changed?.()
        }
        // say once why e-mail is not going out, not every minute
        if ((r.emailNotSent ?? '') !== lastProblem) {
          lastProblem = r.emailNotSent ?? ''
          // a clinic that has not set up e-mail reminders is not told so in its log every start
          if (lastProblem && !lastProblem.startsWith('No SMTP server is set')) log(`reminders: ${lastProblem}`)
        }
        return r
      })
      .finally(() => {
        running = null
      })
    return running
  }
  const loop = () => void tick().catch((e: unknown) => log('reminder run failed', e))
  const first = setTimeout(loop, options.firstCheckMs ?? 45_000)
  const timer = setInterval(loop, options.intervalMs ?? 60_000)
  first.unref?.()
  timer.unref?.()
  return {
    tick,
    async stop() {
      clearTimeout(first)
      clearInterval(timer)
      await running?.catch(() => undefined)
    },
  }
}
