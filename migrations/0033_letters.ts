import { sql } from 'kysely'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 19 point 4: letters to the referrer, produced from a signed record and kept on the chart.
 *
 * letters: patient_id; record_kind 'consultation' (consultation_id) or 'procedure' (procedure_id, whose discharge
 *   summary was signed); referral_id, the referral that made the letter due (null when produced for another
 *   referrer); the recipient as the letter names them, copied at signing (referrer_id, name, address, fax, e-mail,
 *   delivery: how they asked to receive letters), so a referrer edited later does not change a letter that went;
 *   content: the canonical JSON the PDF is made from (the same content gives the same bytes); sha256 and size of
 *   the PDF (its bytes in migration 0030's blob store under this key; no foreign key to `blobs`, so that this
 *   step names no table of 0030-0032); signer (id, name, credentials, signed_at);
 *   created_at/by; sent_at/by and sent_method (print, fax, email, post), all or none; entered_in_error_at/by and
 *   reason, all or none; version for optimistic concurrency. Never deleted: the service has no delete.
 *
 * Portable: text, integers and CHECKs only, nothing engine-specific; it names no table of 0030-0032, so a database
 * at 0029, 0031 or 0032 takes it alike (the migrator runs the steps in name order).
 * One letter per record and referrer while neither is entered in error (a partial unique index).
 */
export const m0033_letters: Migration = {
  async up(db, engine) {
    await withId(db.schema.createTable('letters'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('record_kind', 'text', (c) => c.notNull().check(sql`record_kind in ('consultation', 'procedure')`))
      .addColumn('consultation_id', 'integer', (c) => c.references('consultations.id'))
      .addColumn('procedure_id', 'integer', (c) => c.references('procedures.id'))
      .addColumn('referral_id', 'integer', (c) => c.references('referrals.id'))
      .addColumn('recipient_kind', 'text', (c) => c.notNull().defaultTo('referrer').check(sql`recipient_kind in ('referrer', 'primaryCare')`))
      .addColumn('referrer_id', 'integer', (c) => c.references('referrers.id'))
      .addColumn('recipient_name', 'text', notNull)
      .addColumn('recipient_address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recipient_fax', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('recipient_email', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('print', 'fax', 'email', 'post')`))
      .addColumn('content', 'text', notNull)
      .addColumn('sha256', 'text', (c) => c.notNull().check(sql`length(sha256) = 64`))
      .addColumn('size', 'integer', notNull)
      .addColumn('signer_id', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('signer_name', 'text', notNull)
      .addColumn('signer_credentials', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('signed_at', 'text', notNull)
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
      .addColumn('sent_at', 'text')
      .addColumn('sent_by', 'integer', (c) => c.references('users.id'))
      .addColumn('sent_method', 'text', (c) => c.check(sql`sent_method in ('print', 'fax', 'email', 'post')`))
      .addColumn('entered_in_error_at', 'text')
      .addColumn('entered_in_error_by', 'integer', (c) => c.references('users.id'))
      .addColumn('entered_in_error_reason', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      // the record it is made from, of its kind
      .addCheckConstraint(
        'letters_record',
        sql`(record_kind = 'consultation' AND consultation_id IS NOT NULL AND procedure_id IS NULL) OR (record_kind = 'procedure' AND procedure_id IS NOT NULL AND consultation_id IS NULL)`,
      )
      .addCheckConstraint('letters_sent', sql`(sent_at IS NULL AND sent_by IS NULL AND sent_method IS NULL) OR (sent_at IS NOT NULL AND sent_by IS NOT NULL AND sent_method IS NOT NULL)`)
      .addCheckConstraint(
        'letters_entered_in_error',
        sql`(entered_in_error_at IS NULL AND entered_in_error_by IS NULL AND entered_in_error_reason IS NULL) OR (entered_in_error_at IS NOT NULL AND entered_in_error_by IS NOT NULL AND entered_in_error_reason <> '')`,
      )
      .execute()
    await db.schema.createIndex('letters_patient').on('letters').column('patient_id').execute()
    await db.schema.createIndex('letters_consultation').on('letters').columns(['consultation_id', 'referrer_id']).unique().where(sql.ref('entered_in_error_at'), 'is', null).execute()
    await db.schema.createIndex('letters_procedure').on('letters').columns(['procedure_id', 'referrer_id']).unique().where(sql.ref('entered_in_error_at'), 'is', null).execute()
    await db.schema.createIndex('letters_unsent').on('letters').columns(['sent_at', 'signed_at']).execute()
  },
}
