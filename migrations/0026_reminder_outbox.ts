import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 21 point 3: reminders the app sends (e-mail through the clinic's SMTP server) or prints (letters).
 *
 * One row per (appointment, reminder offset in days, channel, appointment time announced). The unique key makes
 * queueing idempotent: every run (the desktop app's timer, `admin reminders run`) inserts what is due with
 * ON CONFLICT DO NOTHING, so a reminder is queued once however many runs see it. The appointment time is part of
 * the key because a moved appointment is a new reminder: a queued one for the old time is skipped ('moved'), and
 * one already sent for the old time stays as it was (history) while the new time gets its own row.
 *
 * status: queued (e-mail waiting, or a letter to print) -> sending (claimed in a committed transaction before the
 * hand-off to SMTP) -> sent; or back to queued with next_attempt_at after a temporary failure; failed (gave up, or
 * the server refused for good); skipped (cancelled, moved, no consent any more, no address); uncertain (a run
 * ended while the row was 'sending': the server may or may not have it, the front desk decides, never resent
 * blindly); printed (a letter marked printed). The row is never deleted: it is the history of what the patient
 * was sent.
 */
export const m0026_reminder_outbox: Migration = {
  async up(db, engine) {
    await withId(db.schema.createTable('reminder_outbox'), engine)
      .addColumn('appointment_id', 'integer', (c) => c.notNull().references('appointments.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('offset_days', 'integer', notNull)
      .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'letter')`))
      .addColumn('appointment_starts_at', 'text', notNull)
      .addColumn('due_at', 'text', notNull)
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('queued', 'sending', 'sent', 'failed', 'skipped', 'uncertain', 'printed')`),
      )
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', notNull)
      .addColumn('attempt_id', 'text')
      .addColumn('message_id', 'text')
      .addColumn('recipient', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('claimed_at', 'text')
      .addColumn('claimed_by', 'text')
      .addColumn('sent_at', 'text')
      .addColumn('server_response', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('skip_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('printed_at', 'text')
      .addColumn('printed_by', 'integer', (c) => c.references('users.id'))
      .addColumn('created_at', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addUniqueConstraint('reminder_outbox_once', ['appointment_id', 'offset_days', 'channel', 'appointment_starts_at'])
      .execute()
    // the sender's question every minute: what is queued and due now
    await db.schema.createIndex('reminder_outbox_status_next').on('reminder_outbox').columns(['status', 'next_attempt_at']).execute()
    await db.schema.createIndex('reminder_outbox_patient').on('reminder_outbox').column('patient_id').execute()
  },
  async down(db) {
    await db.schema.dropTable('reminder_outbox').execute()
  },
}
