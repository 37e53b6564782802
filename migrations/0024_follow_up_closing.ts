import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Issue 23 point 4: the front desk closes a follow-up it will not book, with a reason, and the due list hides it.
 *
 * procedure_follow_ups already had status 'cancelled', cancelled_at and cancel_reason (0004), written when the
 * procedure note is entered in error. Closing from the worklist also records:
 * - cancelled_by: who closed it (a user); null for the rows closed before (by a procedure entered in error).
 * - cancel_code: why, from the fixed list of shared/schemas/outcomes.ts FOLLOW_UP_CLOSE_REASONS (declined,
 *   movedAway, died, seenElsewhere, other); cancel_reason keeps the words (the reason's label, or what was typed
 *   for "other"). Null for earlier cancellations, whose words are their only reason.
 * The row is never deleted: a closed follow-up stays in the record with who, when and why.
 */
export const m0024_follow_up_closing: Migration = {
  async up(db) {
    await db.schema.alterTable('procedure_follow_ups').addColumn('cancelled_by', 'integer', (c) => c.references('users.id')).execute()
    await db.schema
      .alterTable('procedure_follow_ups')
      .addColumn('cancel_code', 'text', (c) => c.check(sql`cancel_code in ('declined', 'movedAway', 'died', 'seenElsewhere', 'other')`))
      .execute()
  },
}
