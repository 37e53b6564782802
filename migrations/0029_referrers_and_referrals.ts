import { sql } from 'kysely'
import { referrerNameKey, referrerSearchText, unmatchableReason } from '../shared/schemas/referrals'
import type { Migration } from './helpers'
import { notNull, withId } from './helpers'

/**
 * Issue 19 points 1 and 2: the referrers' directory and the referrals the clinic receives.
 *
 * referrers: name, specialty, practice, address, phone, fax, email, letter_delivery (post/fax/email/print), active;
 *   the keys the service compares and searches (name_key: the folded name without titles; practice_key;
 *   search_text: the folded words of name, practice and specialty; phone/fax digits; email folded), kept in step
 *   by the service on every write. created_by/updated_by are null for the referrers this migration makes from the
 *   patients' free text (no person made them). version: optimistic concurrency, as every editable row.
 *
 * referrals: one patient's referral: received_on (a clinic date), referrer_id (null when unknown) and
 *   referrer_text (who referred as written: always kept, so the migrated free text is never lost), reason,
 *   urgency (untriaged/urgent/soon/routine; triaged_at/by from the session), status open/booked/declined/closed
 *   (declined: decline_reason, declined_at/by), appointment_id (the consultation booked from the worklist, with
 *   booked_at/by), source intake/migrated. Never deleted: the service has no delete, and every change is audited.
 *   Issue 19's documents will name a referral (documents.referral_id) and its letters a referrer (letters.referrer_id).
 *
 * The free text: every patient with a non-empty patients.referring_physician gets one referral (source 'migrated',
 * status 'closed': a historical fact, not work for today's list; received_on: the date the patient was registered,
 * the best date known; UTC date of created_at). Its referrer_text is the text as typed. Where the text maps
 * unambiguously (shared/schemas/referrals.ts unmatchableReason returns null), texts with the same key
 * (referrerNameKey: case, accents, titles and punctuation ignored) become ONE referrer named by the spelling most
 * patients have (the first patient's on a tie), and the referrals link to it. The others keep only their text and
 * are listed as not matched (`admin referrers unmatched`, the Referrers screen). patients.referring_physician
 * itself is left as it was.
 */
export const m0029_referrers_and_referrals: Migration = {
  async up(db, engine) {
    await withId(db.schema.createTable('referrers'), engine)
      .addColumn('name', 'text', notNull)
      .addColumn('specialty', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('practice', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('fax', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('letter_delivery', 'text', (c) => c.notNull().defaultTo('post').check(sql`letter_delivery in ('post', 'fax', 'email', 'print')`))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
      .addColumn('name_key', 'text', notNull)
      .addColumn('practice_key', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('search_text', 'text', notNull)
      .addColumn('phone_digits', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('fax_digits', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('email_key', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex('referrers_name_key').on('referrers').column('name_key').execute()
    await db.schema.createIndex('referrers_phone').on('referrers').column('phone_digits').execute()
    await db.schema.createIndex('referrers_fax').on('referrers').column('fax_digits').execute()
    await db.schema.createIndex('referrers_email').on('referrers').column('email_key').execute()

    await withId(db.schema.createTable('referrals'), engine)
      .addColumn('patient_id', 'integer', (c) => c.notNull().references('patients.id'))
      .addColumn('received_on', 'text', notNull)
      .addColumn('referrer_id', 'integer', (c) => c.references('referrers.id'))
      .addColumn('referrer_text', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('urgency', 'text', (c) => c.notNull().defaultTo('untriaged').check(sql`urgency in ('untriaged', 'urgent', 'soon', 'routine')`))
      .addColumn('triaged_at', 'text')
      .addColumn('triaged_by', 'integer', (c) => c.references('users.id'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'booked', 'declined', 'closed')`))
      .addColumn('decline_reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('declined_at', 'text')
      .addColumn('declined_by', 'integer', (c) => c.references('users.id'))
      .addColumn('appointment_id', 'integer', (c) => c.references('appointments.id'))
      .addColumn('booked_at', 'text')
      .addColumn('booked_by', 'integer', (c) => c.references('users.id'))
      .addColumn('source', 'text', (c) => c.notNull().defaultTo('intake').check(sql`source in ('intake', 'migrated')`))
      .addColumn('created_at', 'text', notNull)
      .addColumn('created_by', 'integer', (c) => c.references('users.id'))
      .addColumn('updated_at', 'text', notNull)
      .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      // a referral names its referrer, or says who as text
      .addCheckConstraint('referrals_who', sql`referrer_id IS NOT NULL OR referrer_text <> ''`)
      // declined says why; booked says which appointment
      .addCheckConstraint('referrals_declined', sql`status <> 'declined' OR (decline_reason <> '' AND declined_at IS NOT NULL)`)
      .addCheckConstraint('referrals_booked', sql`status <> 'booked' OR appointment_id IS NOT NULL`)
      .execute()
    await db.schema.createIndex('referrals_status').on('referrals').columns(['status', 'received_on']).execute()
    await db.schema.createIndex('referrals_patient').on('referrals').column('patient_id').execute()
    await db.schema.createIndex('referrals_referrer').on('referrals').columns(['referrer_id', 'received_on']).execute()
    await db.schema.createIndex('referrals_appointment').on('referrals').column('appointment_id').execute()

    await migrateFreeText(db)
  },
}

async function migrateFreeText(db: Parameters<Migration['up']>[0]): Promise<void> {
  const patients: { id: number; referring_physician: string; created_at: string }[] = await db
    .selectFrom('patients')
    .select(['id', 'referring_physician', 'created_at'])
    .where('referring_physician', '<>', '')
    .orderBy('id')
    .execute()
  if (patients.length === 0) return
  const at = new Date().toISOString()

  // Group the matchable texts by key; the spelling most patients have names the referrer.
  const groups = new Map<string, Map<string, number>>()
  for (const p of patients) {
    const text = p.referring_physician.trim()
    if (text === '' || unmatchableReason(text) !== null) continue
    const key = referrerNameKey(text)
    const spellings = groups.get(key) ?? new Map<string, number>()
    spellings.set(text, (spellings.get(text) ?? 0) + 1)
    groups.set(key, spellings)
  }
  const referrerIds = new Map<string, number>()
  for (const [key, spellings] of groups) {
    // Map keeps insertion order: on a tie the first patient's spelling wins
    let name = ''
    let most = 0
    for (const [s, n] of spellings) if (n > most) [name, most] = [s, n]
    const row = await db
      .insertInto('referrers')
      .values({ name, name_key: key, search_text: referrerSearchText({ name, practice: '', specialty: '' }), created_at: at, updated_at: at, version: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    referrerIds.set(key, row.id as number)
  }

  const rows = patients
    .filter((p) => p.referring_physician.trim() !== '')
    .map((p) => {
      const text = p.referring_physician.trim()
      const referrerId = unmatchableReason(text) === null ? (referrerIds.get(referrerNameKey(text)) ?? null) : null
      return {
        patient_id: p.id,
        received_on: p.created_at.slice(0, 10),
        referrer_id: referrerId,
        referrer_text: text,
        reason: '',
        status: 'closed',
        source: 'migrated',
        created_at: at,
        updated_at: at,
        version: 0,
      }
    })
  // in batches: PostgreSQL takes at most 65535 parameters in one statement
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('referrals').values(rows.slice(i, i + 500)).execute()
}
