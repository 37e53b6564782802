import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Access that is taken away ends at once, on every workstation.
 *
 * - `session_version`: raised when an administrator deactivates a user, changes their role or resets their
 *   password, and when the user changes their own password. A window remembers it at sign-in and the router
 *   compares it on every call (a read by primary key), so a session another workstation revoked ends at its
 *   next call.
 * - `must_change_password`: 1 after an administrator set the password (a new user, a reset): the user's first
 *   sign-in asks them to choose their own before anything else. Users who exist before this step keep 0 (they
 *   chose theirs long ago, or were told it in person under the old rules).
 *
 * Two ALTER TABLE statements: SQLite adds one column per statement. Same on both engines.
 */
export const m0014_access: Migration = {
  async up(db) {
    await db.schema.alterTable('users').addColumn('session_version', 'integer', (c) => c.notNull().defaultTo(0)).execute()
    await db.schema
      .alterTable('users')
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0).check(sql`must_change_password in (0, 1)`))
      .execute()
  },
}
