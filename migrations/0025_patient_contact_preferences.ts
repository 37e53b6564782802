import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 21 points 1, 2 and 5: how each patient wants to be contacted, and the front desk's confirmation calls.
 *
 * patients (point 1; the reminders outbox of migration 0026 reads these names):
 * - contact_preference: 'phone' | 'email' | 'letter'; every existing patient starts at 'phone', the way the front
 *   desk reached them until now.
 * - reminder_consent: null = not asked yet, 'given', 'declined' (an opt-out is 'declined'). Existing patients:
 *   not asked yet, so no reminder is sent to anyone on the strength of this migration.
 * - reminder_consent_by / reminder_consent_at: the user who recorded the answer and when (set by the main process
 *   whenever the answer changes, never taken from the screen). Both null exactly when nothing was recorded.
 *
 * appointment_contact_attempts (point 2): each call the front desk makes to confirm an appointment, with its
 * outcome, who and when, and an optional note. Never updated or deleted (the database refuses both): a call
 * logged by mistake is followed by the next call's row, as a paper call log would be.
 *
 * appointments.confirmed_at / confirmed_by (point 5): when the appointment was marked confirmed and by whom, so that
 * the confirmation rate still counts an appointment whose status has since moved on (arrived, completed). Written by
 * the status change (electron/services/schedulingStatus.ts); appointments confirmed before this migration that are
 * still 'confirmed' take their last change as the time (the closest the record has); earlier ones that moved on
 * cannot be known and count as not confirmed.
 */
export const m0025_patient_contact_preferences: Migration = {
  async up(db, engine) {
    await db.schema
      .alterTable('patients')
      .addColumn('contact_preference', 'text', (c) => c.notNull().defaultTo('phone').check(sql`contact_preference in ('phone', 'email', 'letter')`))
      .execute()
    await db.schema
      .alterTable('patients')
      .addColumn('reminder_consent', 'text', (c) => c.check(sql`reminder_consent in ('given', 'declined')`))
      .execute()
    await db.schema.alterTable('patients').addColumn('reminder_consent_by', 'integer', (c) => c.references('users.id')).execute()
    await db.schema.alterTable('patients').addColumn('reminder_consent_at', 'text').execute()

    await withId(db.schema.createTable('appointment_contact_attempts'), engine)
      .addColumn('appointment_id', 'integer', (c) => c.notNull().references('appointments.id'))
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('reached', 'leftMessage', 'noAnswer', 'wrongNumber')`))
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('attempted_at', 'text', notNull)
      .addColumn('attempted_by', 'integer', (c) => c.notNull().references('users.id'))
      .execute()
    await db.schema.createIndex('appointment_contact_attempts_appointment').on('appointment_contact_attempts').columns(['appointment_id', 'attempted_at']).execute()

    if (engine === 'sqlite') {
      await sql`CREATE TRIGGER appointment_contact_attempts_no_update BEFORE UPDATE ON appointment_contact_attempts
        BEGIN SELECT RAISE(ABORT, 'a logged call is never changed'); END`.execute(db)
      await sql`CREATE TRIGGER appointment_contact_attempts_no_delete BEFORE DELETE ON appointment_contact_attempts
        BEGIN SELECT RAISE(ABORT, 'a logged call is never deleted'); END`.execute(db)
    } else {
      await sql`CREATE FUNCTION appointment_contact_attempt_kept() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'a logged call is never changed or deleted'; END $$`.execute(db)
      await sql`CREATE TRIGGER appointment_contact_attempts_kept BEFORE UPDATE OR DELETE ON appointment_contact_attempts
        FOR EACH ROW EXECUTE FUNCTION appointment_contact_attempt_kept()`.execute(db)
    }

    await db.schema.alterTable('appointments').addColumn('confirmed_at', 'text').execute()
    await db.schema.alterTable('appointments').addColumn('confirmed_by', 'integer', (c) => c.references('users.id')).execute()
    await sql`UPDATE appointments SET confirmed_at = updated_at, confirmed_by = updated_by WHERE status = 'confirmed'`.execute(db)
  },
}
