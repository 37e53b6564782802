import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * Issue 17 point 7, the consultation's part: what a spine interventionalist expects on the chart.
 *
 * Per imaging finding (consultation_findings, one row per vertebral level):
 * - fracture_cause: 'osteoporotic' | 'tumour' | 'trauma' | 'unknown' (a tumour changes the work-up: biopsy).
 * - tenderness: 'yes' | 'no' | 'notExamined', tenderness over that level on examination.
 * - intravertebral_cleft: 'yes' | 'no' | 'notAssessed', a cleft on imaging (Kümmell sign).
 *
 * Per consultation (consultations):
 * - neuro_exam: 'normal' | 'abnormal' | 'notExamined', the baseline neurological exam of the legs, with
 *   neuro_exam_details ('' by default; the schema requires it when abnormal: power, sensation, reflexes).
 * - osteoporosis_treatment: 'onTreatment' | 'startedToday' | 'referred' | 'declined' | 'notIndicated'.
 * - fls_referred (0/1) with fls_referral_date: a fracture-liaison-service referral.
 *
 * Every new column is nullable or defaulted, and existing rows keep null (not recorded) or the default (not
 * referred, no details): older notes did not ask, and "not recorded" is what they hold. Adding columns changes
 * no existing value, so a signed note's content and its hash stay as signed (the signed snapshot compares only
 * the keys it holds: services/signing.ts stillMatches), and 0003's lock triggers (whole-row BEFORE UPDATE on
 * consultations and consultation_findings) are not fired by ALTER TABLE, yet do cover the new columns of a
 * signed note from now on. Text enums with CHECK are portable across SQLite and PostgreSQL.
 */
export const m0021_consultation_exam_fields: Migration = {
  async up(db) {
    const findings = () => db.schema.alterTable('consultation_findings')
    await findings().addColumn('fracture_cause', 'text', (c) => c.check(sql`fracture_cause in ('osteoporotic', 'tumour', 'trauma', 'unknown')`)).execute()
    await findings().addColumn('tenderness', 'text', (c) => c.check(sql`tenderness in ('yes', 'no', 'notExamined')`)).execute()
    await findings().addColumn('intravertebral_cleft', 'text', (c) => c.check(sql`intravertebral_cleft in ('yes', 'no', 'notAssessed')`)).execute()

    const notes = () => db.schema.alterTable('consultations')
    await notes().addColumn('neuro_exam', 'text', (c) => c.check(sql`neuro_exam in ('normal', 'abnormal', 'notExamined')`)).execute()
    await notes().addColumn('neuro_exam_details', 'text', (c) => c.notNull().defaultTo('')).execute()
    await notes()
      .addColumn('osteoporosis_treatment', 'text', (c) => c.check(sql`osteoporosis_treatment in ('onTreatment', 'startedToday', 'referred', 'declined', 'notIndicated')`))
      .execute()
    await notes().addColumn('fls_referred', 'integer', (c) => c.notNull().defaultTo(0).check(sql`fls_referred in (0, 1)`)).execute()
    await notes().addColumn('fls_referral_date', 'text').execute()
  },
}
