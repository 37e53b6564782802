import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Issue 17, procedure day points 1 and 2.
 *
 * Observation checks gain the respiratory rate (breaths per minute) and a sedation recovery score (0-10) with the
 * scale it was scored on (the clinic's setting when recorded: 'aldrete' or 'padss'), so that a later change of the
 * clinic's scale does not relabel old scores. Checks recorded before have none of them (null).
 *
 * The stay decision keeps a same-day discharge's override: the physician's reason, and the blockers (JSON list of
 * { rule, key, message }) the recovery record showed when it was decided. Existing decisions: no override, no
 * blockers (they were taken before the rule).
 *
 * A recorded check is never changed (0004's trigger, on the columns it lists): the trigger is made again with
 * the new value columns, on both engines.
 */
const CHECK_VALUES =
  'procedure_id, patient_id, checked_at, systolic, diastolic, heart_rate, spo2, pain, leg_neuro, neuro_note, recorded_at, recorded_by, respiratory_rate, sedation_score, sedation_scale'

export const m0018_recovery_sedation_override: Migration = {
  async up(db, engine) {
    await db.schema.alterTable('observation_checks').addColumn('respiratory_rate', 'integer', (c) => c.check(sql`respiratory_rate between 0 and 100`)).execute()
    await db.schema.alterTable('observation_checks').addColumn('sedation_score', 'integer', (c) => c.check(sql`sedation_score between 0 and 10`)).execute()
    await db.schema.alterTable('observation_checks').addColumn('sedation_scale', 'text', (c) => c.check(sql`sedation_scale in ('aldrete', 'padss')`)).execute()
    await db.schema.alterTable('stay_decisions').addColumn('override_reason', 'text', (c) => c.notNull().defaultTo('')).execute()
    await db.schema.alterTable('stay_decisions').addColumn('override_blockers', 'text', (c) => c.notNull().defaultTo('[]')).execute()

    if (engine === 'sqlite') {
      await sql`DROP TRIGGER observation_checks_values`.execute(db)
      await sql
        .raw(`CREATE TRIGGER observation_checks_values BEFORE UPDATE OF ${CHECK_VALUES} ON observation_checks BEGIN SELECT RAISE(ABORT, 'a recorded check is never changed; mark it entered in error'); END`)
        .execute(db)
    } else {
      await sql`DROP TRIGGER observation_checks_values ON observation_checks`.execute(db)
      await sql.raw(`CREATE TRIGGER observation_checks_values BEFORE UPDATE OF ${CHECK_VALUES} ON observation_checks FOR EACH ROW EXECUTE FUNCTION observation_check_values()`).execute(db)
    }
  },
}
