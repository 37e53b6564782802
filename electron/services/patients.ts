import { sql } from 'kysely'
import { parseDateQuery } from '../../shared/dates'
import { AppError } from '../../shared/result'
import { EMPTY_PATIENT_FIELDS, type Patient, type PatientCursor, type PatientFields, type PatientSummary } from '../../shared/schemas/patients'
import { digitsOnly, mrnQuery, nameKey } from '../../shared/text'
import { engineOf } from '../db/engine'
import type { Tx } from '../db/tx'
import type { PatientRow } from '../db/types'
import { staleDetail, staleSentence } from './records/conflicts'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { clinicToday } from './records/today'
import { requireSettings } from './settings'

const SUMMARY_COLUMNS = ['id', 'mrn', 'first_name', 'last_name', 'date_of_birth', 'sex', 'phone'] as const
type SummaryRow = Pick<PatientRow, (typeof SUMMARY_COLUMNS)[number]>
const summaries = (ctx: ServiceContext) => ctx.db.selectFrom('patients').select([...SUMMARY_COLUMNS])

function toSummary(r: SummaryRow): PatientSummary {
  return {
    id: r.id,
    mrn: r.mrn,
    firstName: r.first_name,
    lastName: r.last_name,
    dateOfBirth: r.date_of_birth,
    sex: r.sex as PatientSummary['sex'],
    phone: r.phone,
  }
}

/**
 * Each field of the patient form and its column: the one list that reading, registering, editing and the audit
 * of an edit use. A field left out fails the type check (the record type requires every key); text fields are
 * stored as typed, yes/no fields as 0/1.
 */
const FIELD_COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  dateOfBirth: 'date_of_birth',
  sex: 'sex',
  phone: 'phone',
  email: 'email',
  address: 'address',
  referringPhysician: 'referring_physician',
  preferredLanguage: 'preferred_language',
  interpreterNeeded: 'interpreter_needed',
  notes: 'notes',
  contactPreference: 'contact_preference',
  reminderConsent: 'reminder_consent',
  primaryCareReferrerId: 'primary_care_referrer_id',
} as const satisfies Record<keyof PatientFields, keyof PatientRow>

const FIELDS = Object.keys(FIELD_COLUMNS) as (keyof PatientFields)[]

/** The record as read: every field, and who recorded the reminder consent (a name the screen shows, looked up here). */
async function toPatient(db: Tx, r: PatientRow): Promise<Patient> {
  const fields = Object.fromEntries(FIELDS.map((f) => [f, typeof EMPTY_PATIENT_FIELDS[f] === 'boolean' ? r[FIELD_COLUMNS[f]] === 1 : r[FIELD_COLUMNS[f]]])) as PatientFields
  let reminderConsentRecorded: Patient['reminderConsentRecorded'] = null
  if (r.reminder_consent_by !== null && r.reminder_consent_at !== null) {
    const by = await db.selectFrom('users').select('display_name').where('id', '=', r.reminder_consent_by).executeTakeFirst()
    reminderConsentRecorded = { byId: r.reminder_consent_by, byName: by?.display_name ?? `user #${r.reminder_consent_by}`, at: r.reminder_consent_at }
  }
  return { ...fields, ...toSummary(r), reminderConsentRecorded, primaryCare: await primaryCareOf(db, r.primary_care_referrer_id), version: r.version, createdAt: r.created_at, updatedAt: r.updated_at }
}

async function primaryCareOf(db: Tx, id: number | null): Promise<Patient['primaryCare']> {
  if (id === null) return null
  const r = await db.selectFrom('referrers').select(['id', 'name', 'practice', 'active']).where('id', '=', id).executeTakeFirst()
  return r ? { id: r.id, name: r.name, practice: r.practice, active: r.active === 1 } : null
}

/** A primary care physician recorded now: letters to them are due for what is signed from now on (services/letters/due.ts). */
const primaryCareSince = (id: number | null, at: string) => ({ primary_care_since: id === null ? null : at })

/**
 * The primary care physician must be a clinician of the referrers' directory who is active: letters go to them.
 * Checked when the field is set or changed only, so that a physician made inactive later does not stop the
 * front desk from correcting the patient's phone number.
 */
async function assertPrimaryCare(db: Tx, id: number | null): Promise<void> {
  if (id === null) return
  const r = await db.selectFrom('referrers').select(['name', 'active']).where('id', '=', id).executeTakeFirst()
  if (!r) throw new AppError('invalid_input', 'Please correct: Primary care physician is not in the referrers directory. Nothing was saved.', { primaryCareReferrerId: 'is not in the referrers directory' })
  if (r.active !== 1) {
    throw new AppError('invalid_input', `Please correct: Primary care physician ${r.name} is marked inactive in the referrers directory. Nothing was saved.`, { primaryCareReferrerId: 'is inactive in the referrers directory' })
  }
}

/**
 * Who recorded the reminder consent and when: the signed-in user and the server's clock, whenever the answer
 * changes (the screen sends only the answer). An answer once recorded is changed to the other answer (an
 * opt-out is 'declined'), never back to "not asked yet", which would lose who recorded it.
 */
function consentStamps(actorId: number, at: string, before: Pick<PatientRow, 'reminder_consent'> | null, answer: PatientFields['reminderConsent']) {
  const was = before?.reminder_consent ?? null
  if (answer === was) return {}
  if (answer === null) {
    throw new AppError(
      'invalid_input',
      `Please correct: Reminder consent was recorded as ${was === 'given' ? 'given' : 'declined'}; it can be changed to given or declined (an opt-out), not back to not asked yet.`,
      { reminderConsent: 'cannot go back to not asked yet once recorded' },
    )
  }
  return { reminder_consent_by: actorId, reminder_consent_at: at }
}

/** The form's fields as their columns: text as text, a yes/no as 0/1. */
type FieldColumns = { [K in keyof PatientFields as (typeof FIELD_COLUMNS)[K]]: PatientFields[K] extends boolean ? number : PatientFields[K] }

function columnsFrom(f: PatientFields) {
  const columns = Object.fromEntries(FIELDS.map((k) => [FIELD_COLUMNS[k], typeof f[k] === 'boolean' ? (f[k] ? 1 : 0) : f[k]])) as FieldColumns
  return { ...columns, name_key: nameKey(f.firstName, f.lastName), phone_digits: digitsOnly(f.phone) }
}

/**
 * A patient search as a user makes it, audited: who searched for what, and every patient shown (the hits are
 * a disclosure of names, birth dates and MRNs, so the audit viewer finds the row by any of them).
 */
export async function searchPatients(ctx: ServiceContext, input: { q: string; limit: number; after?: PatientCursor }): Promise<PatientSummary[]> {
  const found = await findPatients(ctx, input)
  await ctx.audit({ action: 'patient.search', entity: 'patient', details: { query: input.q.trim(), shown: found.length, ...(input.after ? { page: 'next' } : {}) }, patientIds: found.map((p) => p.id) })
  return found
}

/**
 * Finds patients as the user types: any words of the name in any order (case and accents ignored),
 * the MRN, the date of birth (YYYY-MM-DD or MM/DD/YYYY) or the phone number.
 */
export async function findPatients(ctx: ServiceContext, input: { q: string; limit: number; after?: PatientCursor }): Promise<PatientSummary[]> {
  const q = input.q.trim()
  let base = summaries(ctx)
  // Keyset paging: every list is ordered by (last name, first name, id), and the next page starts after the last row shown.
  const after = input.after
  if (after) base = base.where((eb) => eb(eb.refTuple('last_name', 'first_name', 'id'), '>', eb.tuple(after.lastName, after.firstName, after.id)))
  if (q === '') {
    const rows = await base.orderBy('last_name').orderBy('first_name').orderBy('id').limit(input.limit).execute()
    return rows.map(toSummary)
  }
  const dob = parseDateQuery(q)
  if (dob) {
    const rows = await base.where('date_of_birth', '=', dob).orderBy('last_name').orderBy('first_name').orderBy('id').limit(input.limit).execute()
    return rows.map(toSummary)
  }
  const mrn = mrnQuery(q)
  if (mrn) base = base.where(sql`upper(mrn)`, 'like', `${mrn.prefix}%`)
  // the word index is the engine's: SQLite's FTS5 table, PostgreSQL's tsvector (db/sqliteEngine.ts, db/postgresEngine.ts)
  const words = engineOf(ctx.database).patientWords
  const query = words.query(q, mrn?.digits ?? null)
  if (!query) return []
  return (await words.page(ctx.db, base, query, input.limit)).map(toSummary)
}

async function getRow(db: Tx, id: number): Promise<PatientRow> {
  const row = await db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no patient with id ${id}.`, { id: 'no such patient' })
  return row
}

export async function getPatient(ctx: ServiceContext, input: { id: number }): Promise<Patient> {
  const row = await getRow(ctx.db, input.id)
  await ctx.audit({ action: 'patient.view', entity: 'patient', entityId: row.id, patientId: row.id })
  return toPatient(ctx.db, row)
}

export async function findDuplicates(
  ctx: ServiceContext,
  input: { firstName: string; lastName: string; dateOfBirth: string; excludeId?: number },
): Promise<PatientSummary[]> {
  let q = ctx.db
    .selectFrom('patients')
    .select([...SUMMARY_COLUMNS])
    .where('name_key', '=', nameKey(input.firstName, input.lastName))
    .where('date_of_birth', '=', input.dateOfBirth)
  if (input.excludeId) q = q.where('id', '!=', input.excludeId)
  const found = (await q.limit(20).execute()).map(toSummary)
  // a possible duplicate shown at registration is a patient disclosed, as a search's hit is
  if (found.length > 0) await ctx.audit({ action: 'patient.duplicateCheck', entity: 'patient', details: { shown: found.length }, patientIds: found.map((p) => p.id) })
  return found
}

async function nextMrn(db: Tx, prefix: string): Promise<string> {
  const r = await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'mrn')
    .returning('value')
    .executeTakeFirstOrThrow()
  return `${prefix}-${String(r.value).padStart(6, '0')}`
}

/**
 * The shared schema refuses a birth date only when it is in the future everywhere on Earth (it knows no zone);
 * the clinic's own today decides here, so a birth this evening in New York is not refused at 01:00 UTC.
 */
async function assertBornByToday(ctx: ServiceContext, dateOfBirth: string): Promise<void> {
  const today = await clinicToday(ctx)
  if (dateOfBirth > today) {
    throw new AppError('invalid_input', `Please correct: Date of birth cannot be in the future (today is ${today}).`, { dateOfBirth: 'cannot be in the future' })
  }
}

export async function registerPatient(ctx: ServiceContext, input: PatientFields & { acknowledgeDuplicate: boolean }): Promise<Patient> {
  const actor = requireActor(ctx)
  const { settings } = await requireSettings(ctx.db)
  await assertBornByToday(ctx, input.dateOfBirth)
  await assertPrimaryCare(ctx.db, input.primaryCareReferrerId)
  if (!input.acknowledgeDuplicate) {
    const dupes = await findDuplicates(ctx, input)
    if (dupes.length > 0) {
      throw new AppError(
        'conflict',
        `A patient named ${input.firstName} ${input.lastName} born ${input.dateOfBirth} is already registered (${dupes.map((d) => d.mrn).join(', ')}). Open that record, or confirm that this is a different person.`,
        { acknowledgeDuplicate: 'possible duplicate' },
        { duplicates: dupes },
      )
    }
  }
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('patients')
    .values({ ...columnsFrom(input), ...consentStamps(actor.id, at, null, input.reminderConsent), ...primaryCareSince(input.primaryCareReferrerId, at), mrn: await nextMrn(ctx.db, settings.mrnPrefix), created_at: at, created_by: actor.id, updated_at: at, updated_by: actor.id, version: 0 })
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'patient.create',
    entity: 'patient',
    entityId: row.id,
    patientId: row.id,
    details: {
      mrn: row.mrn,
      duplicateAcknowledged: input.acknowledgeDuplicate,
      contactPreference: input.contactPreference,
      ...(input.reminderConsent ? { reminderConsent: input.reminderConsent } : {}),
      ...(input.primaryCareReferrerId !== null ? { primaryCareReferrerId: input.primaryCareReferrerId } : {}),
    },
  })
  return toPatient(ctx.db, row)
}

export async function updatePatient(ctx: ServiceContext, input: PatientFields & { id: number; version: number }): Promise<Patient> {
  const actor = requireActor(ctx)
  const before = await getRow(ctx.db, input.id)
  const current = await toPatient(ctx.db, before)
  const changed = FIELDS.filter((k) => input[k] !== current[k])
  if (before.version !== input.version) {
    const detail = await staleDetail(ctx.db, before.updated_by, before.updated_at, current)
    throw new AppError('conflict', `${await staleSentence(ctx.db, "this patient's details", detail)} Your changes were not saved; reload to see theirs.`, undefined, detail)
  }
  if (changed.length === 0) return current
  if (changed.includes('dateOfBirth')) await assertBornByToday(ctx, input.dateOfBirth)
  if (changed.includes('primaryCareReferrerId')) await assertPrimaryCare(ctx.db, input.primaryCareReferrerId)
  const at = nowIso(ctx)
  const row = await ctx.db
    .updateTable('patients')
    .set({ ...columnsFrom(input), ...consentStamps(actor.id, at, before, input.reminderConsent), ...(changed.includes('primaryCareReferrerId') ? primaryCareSince(input.primaryCareReferrerId, at) : {}), updated_at: at, updated_by: actor.id, version: before.version + 1 })
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  // the contact preference and consent are short codes, not clinical text: the audit row carries the new answer
  const contact = {
    ...(changed.includes('contactPreference') ? { contactPreference: input.contactPreference } : {}),
    ...(changed.includes('reminderConsent') ? { reminderConsent: input.reminderConsent } : {}),
    // a directory id, not clinical text: who the letters go to
    ...(changed.includes('primaryCareReferrerId') ? { primaryCareReferrerId: input.primaryCareReferrerId } : {}),
  }
  await ctx.audit({ action: 'patient.update', entity: 'patient', entityId: row.id, patientId: row.id, details: { changed, ...contact } })
  return toPatient(ctx.db, row)
}
