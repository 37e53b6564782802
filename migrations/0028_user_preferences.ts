import type { Migration } from './helpers'
import { notNull } from './helpers'

/**
 * Issue 22 point 1: a user's own preferences (the schedule's zoom, which lanes it shows, the lane of the per-lane
 * week), kept in the clinic database so that they follow the person to any workstation and survive signing out
 * and a restart. Not a record: overwritten in place, never audited row by row (electron/services/preferences.ts).
 *
 * - user_id: whose (the session's user; never an id a window sends).
 * - key: one of shared/schemas/preferences.ts PREFERENCE_SCHEMAS ('schedule.zoom').
 * - value: the value as JSON text ('"large"'), checked against the key's schema on the way in and again on the
 *   way out (a value an older version wrote that no longer fits is left out, so the screen uses its default).
 * - updated_at: when it was last set.
 *
 * The primary key (user_id, key) is the only lookup (a user's preferences, and the upsert of one key).
 */
export const m0028_user_preferences: Migration = {
  async up(db) {
    await db.schema
      .createTable('user_preferences')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('key', 'text', notNull)
      .addColumn('value', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addPrimaryKeyConstraint('user_preferences_pkey', ['user_id', 'key'])
      .execute()
  },
  async down(db) {
    await db.schema.dropTable('user_preferences').execute()
  },
}
