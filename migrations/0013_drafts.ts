import type { Migration } from './helpers'
import { notNull } from './helpers'

/**
 * What a user has typed into a form and not saved yet (a consultation note, a visit, a discharge summary), kept
 * so that it survives the idle lock, a reload or a renderer crash. Not clinical content: never signed, never
 * shown as a record, read only by the user who typed it, and deleted when the form is saved or the user
 * discards it (deleting a draft is allowed: it is not a record). One row per user and form (draft_key, e.g.
 * 'consultation:12'); `screen` is the address of the screen it belongs to; `data` the form's values as JSON.
 */
export const m0013_drafts: Migration = {
  async up(db) {
    await db.schema
      .createTable('drafts')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('draft_key', 'text', notNull)
      .addColumn('screen', 'text', notNull)
      .addColumn('data', 'text', notNull)
      .addColumn('created_at', 'text', notNull)
      .addColumn('updated_at', 'text', notNull)
      .addPrimaryKeyConstraint('drafts_pkey', ['user_id', 'draft_key'])
      .execute()
  },
  async down(db) {
    await db.schema.dropTable('drafts').execute()
  },
}
