import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 21 point 4: the ASAP list, patients waiting for an earlier consultation or procedure.
 *
 * - type_id: the appointment type wanted (a freed slot must be of this type); provider_id: the provider they
 *   want, null for any.
 * - windows: JSON of shared/schemas/asap.ts AsapWindow[] (weekdays and clinic times they can come at short
 *   notice). A JSON document because it is judged as a whole (shared/scheduling/asap.ts whyNotFit), never queried.
 * - earliest_date / latest_date: optional, inclusive, clinic calendar dates.
 * - appointment_id: their booked appointment to move earlier; booking from the list then moves it.
 * - status 'waiting' or 'removed'. A removed row is kept with removed_at/by, remove_reason (booked,
 *   noLongerWants, other), remove_note, and booked_appointment_id when it left the list booked. Never deleted.
 * - added_at/by, updated_at/by, version (optimistic concurrency, as every editable row).
 *
 * Indexes: (status, type_id) for the fits of a freed slot and the list; patient_id for the patient page.
 */
export const m0027_asap_list: Migration = {
  async up(db, engine) {
    await withId(db.schema.createTable('asap_entries'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('type_id', 'integer', (c) => c.notNull().references('appointment_types.id'))
      .addColumn('provider_id', 'integer', (c) => c.references('users.id'))
      .addColumn('windows', 'text', notNull)
      .addColumn('earliest_date', 'text')
      .addColumn('latest_date', 'text')
      .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('appointment_id', 'integer', (c) => c.references('appointments.id'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('waiting').check(sql`status in ('waiting', 'removed')`))
      .addColumn('added_at', 'text', notNull)
      .addColumn('added_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('removed_at', 'text')
      .addColumn('removed_by', 'integer', (c) => c.references('users.id'))
      .addColumn('remove_reason', 'text', (c) => c.check(sql`remove_reason in ('booked', 'noLongerWants', 'other')`))
      .addColumn('remove_note', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('booked_appointment_id', 'integer', (c) => c.references('appointments.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      // a removed entry says who removed it, when and why; a waiting one says none of these
      .addCheckConstraint(
        'asap_entries_removal',
        sql`(status = 'waiting' AND removed_at IS NULL AND removed_by IS NULL AND remove_reason IS NULL) OR (status = 'removed' AND removed_at IS NOT NULL AND removed_by IS NOT NULL AND remove_reason IS NOT NULL)`,
      )
      .execute()
    await db.schema.createIndex('asap_entries_status_type').on('asap_entries').columns(['status', 'type_id']).execute()
    await db.schema.createIndex('asap_entries_patient').on('asap_entries').column('patient_id').execute()
  },
}
