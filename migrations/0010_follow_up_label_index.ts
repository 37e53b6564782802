import type { Migration } from './helpers'

/**
 * An export has a column group for every follow-up label in use. Finding those labels read every follow-up
 * of the selected procedures (26 ms at 50k procedures, on every export), because the only index with the
 * label has the procedure first. Indexed by label, the labels in use are a few index seeks. Same on both
 * engines.
 */
export const m0010_follow_up_label_index: Migration = {
  async up(db) {
    await db.schema.createIndex('procedure_follow_ups_by_label').on('procedure_follow_ups').column('label').execute()
  },
}
