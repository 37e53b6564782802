import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Scheduling: rooms, appointment types, weekly clinic hours, closed days, and one row per
 * appointment (a repeated booking is several rows sharing a series id, each movable on its own).
 * Seeds the defaults a new spine clinic starts with; the administrator edits them.
 */
export const m0002_scheduling: Migration = {
  async up(db, engine) {
    const at = new Date().toISOString()

    await withId(db.schema.createTable('rooms'), engine)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('consultation', 'procedure', 'observation')`))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()

    await withId(db.schema.createTable('appointment_types'), engine)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('code', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('colour', 'text', notNull)
      .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes between 5 and 480`))
      .addColumn('room_kind', 'text', (c) => c.notNull().check(sql`room_kind in ('consultation', 'procedure', 'observation')`))
      .addColumn('observation_minutes', 'integer', (c) => c.notNull().defaultTo(0).check(sql`observation_minutes between 0 and 240`))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()

    // One row per weekday (1 = Monday ... 7 = Sunday), local wall-clock times of the clinic's time zone.
    await db.schema
      .createTable('clinic_hours')
      .addColumn('weekday', 'integer', (c) => c.primaryKey().check(sql`weekday between 1 and 7`))
      .addColumn('is_open', 'integer', (c) => c.notNull().check(sql`is_open in (0, 1)`))
      .addColumn('opens', 'text', notNull)
      .addColumn('closes', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()

    await withId(db.schema.createTable('closed_days'), engine)
      .addColumn('date', 'text', (c) => c.notNull().unique())
      .addColumn('reason', 'text', notNull)
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.references('users.id'))
      .execute()

    const statuses = sql`status in ('booked', 'confirmed', 'arrived', 'in_room', 'completed', 'noshow', 'cancelled')`
    await withId(db.schema.createTable('appointments'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('type_id', 'integer', (c) => c.notNull().references('appointment_types.id'))
      .addColumn('provider_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('room_id', 'integer', (c) => c.notNull().references('rooms.id'))
      // The provider and room are busy [starts_at, ends_at); the bay [ends_at, observation_ends_at);
      // the patient [starts_at, occupied_until). occupied_until = observation_ends_at or ends_at.
      .addColumn('starts_at', 'text', notNull)
      .addColumn('ends_at', 'text', notNull)
      .addColumn('observation_room_id', 'integer', (c) => c.references('rooms.id'))
      .addColumn('observation_ends_at', 'text')
      .addColumn('occupied_until', 'text', notNull)
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('booked').check(statuses))
      .addColumn('cancel_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('arrived_at', 'text')
      .addColumn('arrived_by', 'integer', (c) => c.references('users.id'))
      .addColumn('in_room_at', 'text')
      .addColumn('in_room_by', 'integer', (c) => c.references('users.id'))
      .addColumn('completed_at', 'text')
      .addColumn('completed_by', 'integer', (c) => c.references('users.id'))
      .addColumn('cancelled_at', 'text')
      .addColumn('cancelled_by', 'integer', (c) => c.references('users.id'))
      .addColumn('noshow_at', 'text')
      .addColumn('noshow_by', 'integer', (c) => c.references('users.id'))
      .addColumn('series_id', 'integer')
      .addColumn('series_index', 'integer')
      .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addCheckConstraint('appointments_ends_after_start', sql`ends_at > starts_at`)
      .execute()
    // Every overlap query names one lane and a bounded range of starts (see MAX_OCCUPANCY_MINUTES).
    await db.schema.createIndex('appointments_provider_start').on('appointments').columns(['provider_id', 'starts_at']).execute()
    await db.schema.createIndex('appointments_room_start').on('appointments').columns(['room_id', 'starts_at']).execute()
    await db.schema.createIndex('appointments_obs_room_start').on('appointments').columns(['observation_room_id', 'starts_at']).execute()
    await db.schema.createIndex('appointments_patient_start').on('appointments').columns(['patient_id', 'starts_at']).execute()
    await db.schema.createIndex('appointments_start').on('appointments').column('starts_at').execute()
    await db.schema.createIndex('appointments_status_start').on('appointments').columns(['status', 'starts_at']).execute()
    await db.schema.createIndex('appointments_series').on('appointments').column('series_id').execute()

    await db
      .insertInto('rooms')
      .values(
        [
          ['Consultation room 1', 'consultation'],
          ['Consultation room 2', 'consultation'],
          ['Procedure suite', 'procedure'],
          ['Observation bay 1', 'observation'],
          ['Observation bay 2', 'observation'],
        ].map(([name, kind], i) => ({ name, kind, active: 1, sort_order: (i + 1) * 10, created_at: at, updated_at: at, version: 0 })),
      )
      .execute()

    const types: [string, string, string, number, string, number][] = [
      ['New patient consultation', 'new-consultation', '#1c7ed6', 45, 'consultation', 0],
      ['Follow-up consultation', 'follow-up', '#2f9e44', 20, 'consultation', 0],
      ['Vertebroplasty', 'vertebroplasty', '#e03131', 60, 'procedure', 120],
      ['Kyphoplasty', 'kyphoplasty', '#f08c00', 60, 'procedure', 120],
      ['Post-procedure follow-up', 'post-procedure', '#7048e8', 20, 'consultation', 0],
    ]
    await db
      .insertInto('appointment_types')
      .values(
        types.map(([name, code, colour, duration, roomKind, observation], i) => ({
          name,
          code,
          colour,
          duration_minutes: duration,
          room_kind: roomKind,
          observation_minutes: observation,
          active: 1,
          sort_order: (i + 1) * 10,
          created_at: at,
          updated_at: at,
          version: 0,
        })),
      )
      .execute()

    await db
      .insertInto('clinic_hours')
      .values([1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, is_open: weekday <= 5 ? 1 : 0, opens: '08:00', closes: '17:00', updated_at: at, version: 0 })))
      .execute()
  },
}
