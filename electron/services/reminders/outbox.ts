/**
 * The reminder outbox (issue 21 point 3): queue what is due, skip what no longer applies, send each e-mail once,
 * retry with back-off, and record every send, skip and failure in the audit log. The desktop app runs it every
 * minute (./scheduler.ts); `npm run admin -- reminders run` runs it once. Same code, same guarantees.
 *
 * ONE SENDER. On PostgreSQL (several workstations) a run that can send e-mail first takes the session advisory
 * lock REMINDER_SENDER_LOCK on a connection of its own (pg_try_advisory_lock): the one that gets it sends, the
 * others skip this minute; the lock goes with the connection if that process dies. On SQLite the file lives on one
 * computer, and every claim below is its own write transaction (BEGIN IMMEDIATE): SQLite lets one writer at a time
 * change the file, and the claim is "UPDATE ... WHERE status = 'queued'", so of two processes (the app's timer and
 * the command line) exactly one claims a row; the other finds it claimed and moves on.
 *
 * NEVER TWICE (at-most-once). Before a message is handed to the SMTP server its row is claimed in a committed
 * transaction: status 'sending', a fresh attempt id, the claimer, and a Message-ID derived from the row (the same
 * for every attempt of that row). Only after the server's "250" is it marked 'sent'. A process killed between
 * the claim's commit and the 'sent' commit leaves the row in 'sending'; the next run does NOT send it again: it
 * marks it 'uncertain' (audited) and the front desk checks it on the Reminder outbox screen (it may have
 * arrived: the server accepted it just before the crash; or not: the crash came before the hand-off). So the
 * remaining window is exactly that: a crash or power cut between the claim and the 'sent' mark, at most one SMTP
 * conversation long (SMTP_TIMEOUTS, under a minute), turns one reminder into one 'uncertain' row; it never turns
 * it into two e-mails. A row the front desk sends again keeps its Message-ID, so a receiving server that
 * de-duplicates by Message-ID drops a copy it already has.
 * A 'sending' row is taken to be a dead run's: on PostgreSQL when this run holds the sender lock (no other sender
 * can be alive); on SQLite when its claimer was a process on this computer that no longer runs, or when it was
 * claimed longer ago than STALE_CLAIM_MS (far longer than one SMTP conversation can last).
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { sql, type Kysely } from 'kysely'
import type { ClinicSettings } from '../../../shared/schemas/settings'
import type { AppDatabase } from '../../db/connect'
import { withWriteTransaction, type Tx } from '../../db/tx'
import type { DB, ReminderOutboxRow } from '../../db/types'
import { appendAudit, type AuditActor, type AuditInput } from '../audit'
import { readSettings } from '../settings'
import { reminderContent } from './content'
import { sendMessage, SmtpFailure, smtpConfig, type Delivered, type SmtpConfig } from './smtp'
import type { SmtpPasswordState } from './smtpPassword'

/** pg_try_advisory_lock's key for "the workstation that sends reminders" ('REMIND' in ASCII). */
export const REMINDER_SENDER_LOCK = 0x52454d494e44
/** Minutes to wait after the 1st, 2nd, 3rd, 4th temporary failure; after the 5th attempt the row is 'failed'. */
export const DEFAULT_BACKOFF_MINUTES = [1, 5, 15, 60] as const
/** A 'sending' row older than this belongs to a run that ended (an SMTP conversation lasts under a minute). */
export const STALE_CLAIM_MS = 10 * 60_000
/** Appointments in these states get reminders; any other state skips the queued ones. */
const REMINDED_STATUSES = ['booked', 'confirmed'] as const
const DAY_MS = 86_400_000

export type ReminderChannel = 'email' | 'letter'

export interface OutboxItem {
  id: number
  appointmentId: number
  patientId: number
  channel: ReminderChannel
  offsetDays: number
  appointmentStartsAt: string
  recipient?: string
  /** why it was skipped or failed, or the server's answer */
  detail?: string
}

export interface RunReport {
  /** ran: this process did the work; another-sender: another workstation holds the sender lock (PostgreSQL) */
  status: 'ran' | 'another-sender' | 'not-set-up'
  queued: OutboxItem[]
  sent: OutboxItem[]
  skipped: OutboxItem[]
  /** gave up (or refused for good by the server) */
  failed: OutboxItem[]
  /** a temporary failure: tried again at the row's next_attempt_at */
  retrying: OutboxItem[]
  /** found 'sending' from a run that ended: not resent, for the front desk to check */
  uncertain: OutboxItem[]
  /** letters waiting to be printed */
  lettersToPrint: number
  /** why this process sends no e-mail now (no SMTP server set, a password it cannot read), if so */
  emailNotSent?: string
}

export interface RunOptions {
  database: AppDatabase
  now?: () => Date
  /** who the audit rows name: 'reminder-sender' (the app's timer) or 'admin-cli' */
  actor?: AuditActor
  /** The SMTP password this process has (./smtpPassword.ts); none when absent. */
  password?: () => Promise<SmtpPasswordState>
  backoffMinutes?: readonly number[]
  /**
   * Called after the server accepted a message and before the row is marked sent: the crash test kills the
   * process here, the widest point of the window described above.
   */
  afterHandOff?: (item: OutboxItem, delivered: Delivered) => Promise<void> | void
  /** Sends one message; nodemailer's SMTP by default. */
  send?: (config: SmtpConfig, message: Parameters<typeof sendMessage>[1]) => Promise<Delivered>
}

export function defaultSenderActor(username = 'reminder-sender'): AuditActor {
  return { userId: null, username, workstation: hostname() }
}

/** Who claims a row: this computer and process, so that a later run can tell a dead claimer (SQLite). */
const claimer = () => `${hostname()}#${process.pid}`

function emptyReport(status: RunReport['status']): RunReport {
  return { status, queued: [], sent: [], skipped: [], failed: [], retrying: [], uncertain: [], lettersToPrint: 0 }
}

const item = (r: Pick<ReminderOutboxRow, 'id' | 'appointment_id' | 'patient_id' | 'channel' | 'offset_days' | 'appointment_starts_at' | 'recipient'>, detail?: string): OutboxItem => ({
  id: r.id,
  appointmentId: r.appointment_id,
  patientId: r.patient_id,
  channel: r.channel as ReminderChannel,
  offsetDays: r.offset_days,
  appointmentStartsAt: r.appointment_starts_at,
  ...(r.recipient ? { recipient: r.recipient } : {}),
  ...(detail ? { detail } : {}),
})

/**
 * Of the clinic's reminder days, the one due now for an appointment: the fewest days before that has come. A
 * computer that was off when the 3-day reminder came due, and starts on the day before, sends the 1-day one only.
 */
export function currentOffset(startsAt: string, now: Date, days: readonly number[]): number | null {
  const start = Date.parse(startsAt)
  if (start <= now.getTime()) return null
  const due = [...days].sort((a, b) => a - b).find((d) => start - d * DAY_MS <= now.getTime())
  return due ?? null
}

/** The channel a patient's reminders take, or null: consent 'given', e-mail with an address, else a letter; phone: none. */
export function channelFor(p: { contact_preference: string; reminder_consent: string | null; email: string }): ReminderChannel | null {
  if (p.reminder_consent !== 'given') return null
  if (p.contact_preference === 'email') return p.email.trim() !== '' ? 'email' : 'letter'
  if (p.contact_preference === 'letter') return 'letter'
  return null
}

/** The Message-ID of a row: the same on every attempt, so a resend is recognisably the same message. */
export function messageIdFor(row: Pick<ReminderOutboxRow, 'id' | 'offset_days' | 'appointment_starts_at'>, from: string): string {
  const domain = from.split('@')[1] || 'spine-clinic.invalid'
  const when = row.appointment_starts_at.replace(/[^0-9]/g, '').slice(0, 12)
  return `<reminder.${row.id}.${row.offset_days}d.${when}@${domain}>`
}

interface RowFacts {
  row: ReminderOutboxRow
  appointmentStatus: string
  startsAt: string
  typeCode: string
  roomName: string
  contactPreference: string
  reminderConsent: string | null
  email: string
}

async function readFacts(db: Tx, ids: number[]): Promise<RowFacts[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('reminder_outbox as o')
    .innerJoin('appointments as a', 'a.id', 'o.appointment_id')
    .innerJoin('patients as p', 'p.id', 'o.patient_id')
    .innerJoin('appointment_types as t', 't.id', 'a.type_id')
    .innerJoin('rooms as r', 'r.id', 'a.room_id')
    .selectAll('o')
    .select(['a.status as appointmentStatus', 'a.starts_at as startsAt', 't.code as typeCode', 'r.name as roomName'])
    .select(['p.contact_preference as contactPreference', 'p.reminder_consent as reminderConsent', 'p.email as email'])
    .where('o.id', 'in', ids)
    .orderBy('o.id')
    .execute()
  return rows.map(({ appointmentStatus, startsAt, typeCode, roomName, contactPreference, reminderConsent, email, ...row }) => ({
    row: row as ReminderOutboxRow,
    appointmentStatus,
    startsAt,
    typeCode,
    roomName,
    contactPreference,
    reminderConsent,
    email,
  }))
}

/** Why a queued reminder must not go out (any more), or null when it still should. */
export function whyNotSend(f: RowFacts, now: Date, settings: ClinicSettings): string | null {
  if (!(REMINDED_STATUSES as readonly string[]).includes(f.appointmentStatus)) return f.appointmentStatus === 'cancelled' ? 'the appointment was cancelled' : `the appointment is ${f.appointmentStatus.replace('_', ' ')}`
  if (f.startsAt !== f.row.appointment_starts_at) return `the appointment was moved (to ${f.startsAt}); a reminder for the new time is queued when it is due`
  if (Date.parse(f.startsAt) <= now.getTime()) return 'the appointment time has passed'
  const channel = channelFor({ contact_preference: f.contactPreference, reminder_consent: f.reminderConsent, email: f.email })
  if (channel === null) return f.reminderConsent !== 'given' ? 'the patient has not given consent to reminders (or withdrew it)' : 'the patient asked to be contacted by phone'
  if (channel !== f.row.channel) return `the patient's contact preference changed (now ${channel === 'email' ? 'e-mail' : 'letter'})`
  const offset = currentOffset(f.startsAt, now, settings.reminderDaysBefore)
  if (offset !== f.row.offset_days) return offset === null ? 'the clinic no longer sends this reminder (Settings > Reminders)' : `the ${offset}-day reminder is due instead`
  return null
}

function reminderAudit(action: string, r: Pick<ReminderOutboxRow, 'id' | 'appointment_id' | 'patient_id' | 'channel' | 'offset_days' | 'appointment_starts_at'>, details: Record<string, unknown> = {}): AuditInput {
  return {
    action,
    entity: 'reminder',
    entityId: r.id,
    patientId: r.patient_id,
    details: { appointmentId: r.appointment_id, channel: r.channel, offsetDays: r.offset_days, appointmentStartsAt: r.appointment_starts_at, ...details },
  }
}

/**
 * Inserts the reminders that have come due (once: the unique key, ON CONFLICT DO NOTHING). A row already there
 * for the same key is not inserted again; if that row was skipped (the appointment was moved away and is back at
 * that time, consent was withdrawn and given again), what skipped it no longer holds, so it is queued again
 * (audited 'reminder.requeued' with the old reason): otherwise the patient would get no reminder at all. Rows
 * already queued, sent or printed are read first and left alone, so a minute's run writes only what changed.
 */
export async function queueDue(database: AppDatabase, now: Date, settings: ClinicSettings, actor: AuditActor): Promise<OutboxItem[]> {
  const days = settings.reminderDaysBefore
  if (days.length === 0) return []
  const horizon = new Date(now.getTime() + Math.max(...days) * DAY_MS).toISOString()
  const at = now.toISOString()
  const candidates = await database.db
    .selectFrom('appointments as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .select(['a.id', 'a.patient_id', 'a.starts_at', 'p.contact_preference', 'p.reminder_consent', 'p.email'])
    .where('a.status', 'in', REMINDED_STATUSES)
    .where('a.starts_at', '>', at)
    .where('a.starts_at', '<=', horizon)
    .where('p.reminder_consent', '=', 'given')
    .orderBy('a.starts_at')
    .execute()
  const queued: OutboxItem[] = []
  const keyOf = (r: { appointment_id: number; offset_days: number; channel: string; appointment_starts_at: string }) => `${r.appointment_id}|${r.offset_days}|${r.channel}|${r.appointment_starts_at}`
  const existing = new Map<string, { id: number; status: string }>()
  for (let i = 0; i < candidates.length; i += 500) {
    const ids = candidates.slice(i, i + 500).map((c) => c.id)
    const rows = await database.db.selectFrom('reminder_outbox').select(['id', 'appointment_id', 'offset_days', 'channel', 'appointment_starts_at', 'status']).where('appointment_id', 'in', ids).execute()
    for (const r of rows) existing.set(keyOf(r), { id: r.id, status: r.status })
  }
  for (const c of candidates) {
    const channel = channelFor(c)
    const offset = currentOffset(c.starts_at, now, days)
    if (!channel || offset === null) continue
    const before = existing.get(keyOf({ appointment_id: c.id, offset_days: offset, channel, appointment_starts_at: c.starts_at }))
    if (before && before.status !== 'skipped') continue
    if (before) {
      const requeued = await withWriteTransaction(database, async (trx) => {
        const row = await trx
          .updateTable('reminder_outbox')
          .set({ status: 'queued', skip_reason: '', next_attempt_at: at, updated_at: at })
          .where('id', '=', before.id)
          .where('status', '=', 'skipped')
          .returningAll()
          .executeTakeFirst()
        if (row) await appendAudit(trx, actor, at, reminderAudit('reminder.requeued', row, { reason: 'due again: what skipped it no longer holds' }))
        return row
      })
      if (requeued) queued.push(item(requeued))
      continue
    }
    const inserted = await withWriteTransaction(database, async (trx) => {
      const row = await trx
        .insertInto('reminder_outbox')
        .values({
          appointment_id: c.id,
          patient_id: c.patient_id,
          offset_days: offset,
          channel,
          appointment_starts_at: c.starts_at,
          due_at: new Date(Date.parse(c.starts_at) - offset * DAY_MS).toISOString(),
          status: 'queued',
          next_attempt_at: at,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) => oc.columns(['appointment_id', 'offset_days', 'channel', 'appointment_starts_at']).doNothing())
        .returningAll()
        .executeTakeFirst()
      if (row) await appendAudit(trx, actor, at, reminderAudit('reminder.queued', row))
      return row
    })
    if (inserted) queued.push(item(inserted))
  }
  return queued
}

/** Marks skipped, with the reason, every queued reminder (e-mail or letter) that must not go out any more. */
export async function skipStale(database: AppDatabase, now: Date, settings: ClinicSettings, actor: AuditActor): Promise<OutboxItem[]> {
  const ids = (await database.db.selectFrom('reminder_outbox').select('id').where('status', '=', 'queued').execute()).map((r) => r.id)
  const skipped: OutboxItem[] = []
  for (const f of await readFacts(database.db, ids)) {
    if (whyNotSend(f, now, settings) === null) continue
    const done = await withWriteTransaction(database, async (trx) => {
      // read again inside the write transaction: the answer may have changed since
      const [fresh] = await readFacts(trx, [f.row.id])
      if (!fresh || fresh.row.status !== 'queued') return null
      const why = whyNotSend(fresh, now, settings)
      if (why === null) return null
      await markSkipped(trx, fresh.row, why, now, actor)
      return item(fresh.row, why)
    })
    if (done) skipped.push(done)
  }
  return skipped
}

async function markSkipped(trx: Tx, row: ReminderOutboxRow, why: string, now: Date, actor: AuditActor): Promise<void> {
  const at = now.toISOString()
  await trx.updateTable('reminder_outbox').set({ status: 'skipped', skip_reason: why, updated_at: at }).where('id', '=', row.id).where('status', '=', 'queued').execute()
  await appendAudit(trx, actor, at, reminderAudit('reminder.skipped', row, { reason: why }))
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** 'sending' rows of runs that ended become 'uncertain' (never resent blindly): see the head of this file. */
export async function recoverInterrupted(database: AppDatabase, now: Date, actor: AuditActor, holdsSenderLock: boolean): Promise<OutboxItem[]> {
  const rows = await database.db.selectFrom('reminder_outbox').selectAll().where('status', '=', 'sending').execute()
  const host = hostname()
  const out: OutboxItem[] = []
  for (const row of rows) {
    const [claimHost, pidText] = (row.claimed_by ?? '').split('#')
    const deadHere = claimHost === host && pidText !== undefined && Number(pidText) !== process.pid && !processAlive(Number(pidText))
    const old = now.getTime() - Date.parse(row.claimed_at ?? '1970-01-01T00:00:00Z') > STALE_CLAIM_MS
    if (!(holdsSenderLock || deadHere || old)) continue
    const why =
      `The run that was sending this reminder (${row.claimed_by ?? 'unknown'}, ${row.claimed_at ?? ''}) ended before the server's answer was recorded. ` +
      'It may or may not have reached the patient, so it is not sent again by itself: check, then mark it sent or send it again.'
    const at = now.toISOString()
    const changed = await withWriteTransaction(database, async (trx) => {
      const res = await trx
        .updateTable('reminder_outbox')
        .set({ status: 'uncertain', last_error: why, updated_at: at })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .where('attempt_id', '=', row.attempt_id)
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) !== 1) return false
      await appendAudit(trx, actor, at, reminderAudit('reminder.uncertain', row, { attemptId: row.attempt_id, messageId: row.message_id, claimedBy: row.claimed_by, claimedAt: row.claimed_at }))
      return true
    })
    if (changed) out.push(item(row, why))
  }
  return out
}

/**
 * Claims one due e-mail in its own committed transaction (or skips it when it must not go out any more). Returns
 * the message to hand over, or null when the row is not this run's to send.
 */
async function claim(
  database: AppDatabase,
  id: number,
  now: Date,
  settings: ClinicSettings,
  actor: AuditActor,
): Promise<{ kind: 'claimed'; row: ReminderOutboxRow; to: string; subject: string; text: string } | { kind: 'skipped'; item: OutboxItem } | null> {
  return withWriteTransaction(database, async (trx) => {
    const [f] = await readFacts(trx, [id])
    if (!f || f.row.status !== 'queued' || f.row.next_attempt_at > now.toISOString()) return null
    const why = whyNotSend(f, now, settings)
    if (why !== null) {
      await markSkipped(trx, f.row, why, now, actor)
      return { kind: 'skipped' as const, item: item(f.row, why) }
    }
    const at = now.toISOString()
    const attemptId = randomUUID()
    const messageId = f.row.message_id ?? messageIdFor(f.row, settings.reminderFrom)
    const res = await trx
      .updateTable('reminder_outbox')
      .set({ status: 'sending', attempt_id: attemptId, message_id: messageId, recipient: f.email.trim(), attempts: f.row.attempts + 1, claimed_at: at, claimed_by: claimer(), updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) !== 1) return null
    const content = reminderContent(settings, { startsAt: f.startsAt, roomName: f.roomName, typeCode: f.typeCode })
    const row = { ...f.row, status: 'sending', attempt_id: attemptId, message_id: messageId, recipient: f.email.trim(), attempts: f.row.attempts + 1, claimed_at: at }
    return { kind: 'claimed' as const, row, to: f.email.trim(), subject: content.subject, text: content.text }
  })
}

async function recordSent(database: AppDatabase, row: ReminderOutboxRow, delivered: Delivered, now: Date, actor: AuditActor): Promise<void> {
  const at = now.toISOString()
  await withWriteTransaction(database, async (trx) => {
    await trx
      .updateTable('reminder_outbox')
      .set({ status: 'sent', sent_at: at, server_response: delivered.response.slice(0, 500), last_error: '', updated_at: at })
      .where('id', '=', row.id)
      .where('attempt_id', '=', row.attempt_id)
      .execute()
    await appendAudit(trx, actor, at, reminderAudit('reminder.sent', row, { recipient: row.recipient, messageId: row.message_id, attempt: row.attempts, response: delivered.response.slice(0, 200) }))
  })
}

async function recordFailure(database: AppDatabase, row: ReminderOutboxRow, failure: SmtpFailure, now: Date, actor: AuditActor, backoff: readonly number[]): Promise<'retrying' | 'failed'> {
  const at = now.toISOString()
  const wait = backoff[row.attempts - 1]
  const retry = failure.temporary && wait !== undefined
  const next = retry ? new Date(now.getTime() + wait * 60_000).toISOString() : row.next_attempt_at
  await withWriteTransaction(database, async (trx) => {
    await trx
      .updateTable('reminder_outbox')
      .set({ status: retry ? 'queued' : 'failed', next_attempt_at: next, last_error: failure.message.slice(0, 1000), updated_at: at })
      .where('id', '=', row.id)
      .where('attempt_id', '=', row.attempt_id)
      .execute()
    await appendAudit(
      trx,
      actor,
      at,
      reminderAudit(retry ? 'reminder.retry' : 'reminder.failed', row, { recipient: row.recipient, attempt: row.attempts, error: failure.message.slice(0, 300), ...(retry ? { nextAttemptAt: next } : {}) }),
    )
  })
  return retry ? 'retrying' : 'failed'
}

/** Why this process cannot send e-mail now, or null. */
function emailBlocker(settings: ClinicSettings, password: SmtpPasswordState): string | null {
  if (settings.smtpHost === '') return 'No SMTP server is set (Settings > Reminders): e-mail reminders wait in the outbox.'
  if (settings.reminderFrom === '') return 'No From address is set (Settings > Reminders).'
  if (password.source === 'unreadable') return password.problem
  if (settings.smtpUser !== '' && password.password === '') return `The SMTP user is set but this computer has no SMTP password (save it in Settings > Reminders, or set CLINIC_SMTP_PASSWORD).`
  return null
}

/** pg_try_advisory_lock on a connection of its own, held while `work` runs (PostgreSQL); SQLite: see the head. */
async function asTheSender<T>(database: AppDatabase, work: () => Promise<T>): Promise<{ got: true; value: T } | { got: false }> {
  if (database.engine !== 'postgres') return { got: true, value: await work() }
  return (database.db as Kysely<DB>).connection().execute(async (conn) => {
    const r = await sql<{ got: boolean }>`SELECT pg_try_advisory_lock(${REMINDER_SENDER_LOCK}::bigint) AS got`.execute(conn)
    if (!r.rows[0]?.got) return { got: false as const }
    try {
      return { got: true as const, value: await work() }
    } finally {
      await sql`SELECT pg_advisory_unlock(${REMINDER_SENDER_LOCK}::bigint)`.execute(conn)
    }
  })
}

/** One run: queue what is due, skip what must not go, recover interrupted sends, send what is due. */
export async function runReminders(opts: RunOptions): Promise<RunReport> {
  const { database } = opts
  const now = opts.now ?? (() => new Date())
  const actor = opts.actor ?? defaultSenderActor()
  const backoff = opts.backoffMinutes ?? DEFAULT_BACKOFF_MINUTES
  const view = await readSettings(database.db)
  if (!view) return emptyReport('not-set-up')
  const settings = view.settings
  const password = opts.password ? await opts.password() : { source: 'none' as const, password: '' }
  const blocker = emailBlocker(settings, password)

  const prepare = async (report: RunReport) => {
    report.queued.push(...(await queueDue(database, now(), settings, actor)))
    report.skipped.push(...(await skipStale(database, now(), settings, actor)))
  }
  const finish = async (report: RunReport) => {
    const letters = await database.db.selectFrom('reminder_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'queued').where('channel', '=', 'letter').executeTakeFirst()
    report.lettersToPrint = Number(letters?.n ?? 0)
    if (blocker) report.emailNotSent = blocker
    return report
  }

  if (blocker) {
    // Queueing and skipping are safe from any process (the unique key; conditional updates): no lock needed.
    const report = emptyReport('ran')
    await prepare(report)
    return finish(report)
  }
  const config = smtpConfig(settings, password.password)
  const send = opts.send ?? sendMessage
  const ran = await asTheSender(database, async () => {
    const report = emptyReport('ran')
    report.uncertain.push(...(await recoverInterrupted(database, now(), actor, database.engine === 'postgres')))
    await prepare(report)
    const due = await database.db
      .selectFrom('reminder_outbox')
      .select('id')
      .where('status', '=', 'queued')
      .where('channel', '=', 'email')
      .where('next_attempt_at', '<=', now().toISOString())
      .orderBy('next_attempt_at')
      .orderBy('id')
      .execute()
    for (const { id } of due) {
      const claimed = await claim(database, id, now(), settings, actor)
      if (!claimed) continue
      if (claimed.kind === 'skipped') {
        report.skipped.push(claimed.item)
        continue
      }
      const { row } = claimed
      let delivered: Delivered
      try {
        delivered = await send(config, { to: claimed.to, subject: claimed.subject, text: claimed.text, messageId: row.message_id! })
      } catch (err) {
        const failure = err instanceof SmtpFailure ? err : new SmtpFailure(err instanceof Error ? err.message : String(err), true)
        const outcome = await recordFailure(database, row, failure, now(), actor, backoff)
        report[outcome].push(item(row, failure.message))
        continue
      }
      await opts.afterHandOff?.(item(row), delivered)
      await recordSent(database, row, delivered, now(), actor)
      report.sent.push(item(row, delivered.response))
    }
    return finish(report)
  })
  return ran.got ? ran.value : emptyReport('another-sender')
}
