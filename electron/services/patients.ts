import { sql } from 'kysely'
import { parseDateQuery } from '../../shared/dates'
import { AppError } from '../../shared/result'
import type { Patient, PatientCursor, PatientFields, PatientSummary } from '../../shared/schemas/patients'
import { digitsOnly, foldText, nameKey, searchWords } from '../../shared/text'
import type { Tx } from '../db/tx'
import type { PatientRow } from '../db/types'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { requireSettings } from './settings'

const SUMMARY_COLUMNS = ['id', 'mrn', 'first_name', 'last_name', 'date_of_birth', 'sex', 'phone'] as const
type SummaryRow = Pick<PatientRow, (typeof SUMMARY_COLUMNS)[number]>

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

function toPatient(r: PatientRow): Patient {
  return {
    ...toSummary(r),
    email: r.email,
    address: r.address,
    referringPhysician: r.referring_physician,
    notes: r.notes,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function columnsFrom(f: PatientFields) {
  return {
    first_name: f.firstName,
    last_name: f.lastName,
    name_key: nameKey(f.firstName, f.lastName),
    date_of_birth: f.dateOfBirth,
    sex: f.sex,
    phone: f.phone,
    phone_digits: digitsOnly(f.phone),
    email: f.email,
    address: f.address,
    referring_physician: f.referringPhysician,
    notes: f.notes,
  }
}

/** One FTS5 prefix term per word; digit runs are matched against the digits-only phone and the MRN. */
export function ftsQuery(q: string): string | null {
  const { words } = searchWords(q)
  if (words.length === 0) return null
  return words.map((t) => `"${t}"*`).join(' ')
}

/** Keeps rows where every single-letter word of the query starts some word of the name. */
function matchesInitials(row: SummaryRow, initials: string[]): boolean {
  if (initials.length === 0) return true
  const starts = new Set(foldText(`${row.first_name} ${row.last_name}`).split(/[^\p{L}\p{N}]+/u).map((w) => w.charAt(0)))
  return initials.every((i) => starts.has(i))
}

/**
 * Finds patients as the user types: any words of the name in any order (case and accents ignored),
 * the MRN, the date of birth (YYYY-MM-DD or MM/DD/YYYY) or the phone number.
 */
export async function searchPatients(ctx: ServiceContext, input: { q: string; limit: number; after?: PatientCursor }): Promise<PatientSummary[]> {
  const q = input.q.trim()
  let base = ctx.db.selectFrom('patients').select([...SUMMARY_COLUMNS])
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
  const { words, initials } = searchWords(q)
  if (words.length === 0) return []
  if (ctx.database.engine === 'sqlite') {
    base = base.where('id', 'in', sql<number>`(SELECT rowid FROM patients_fts WHERE patients_fts MATCH ${ftsQuery(q)})`)
  } else {
    // Every word must start a word of the patient's (migration 0008); quoted, so the tsquery parser takes it as is.
    const prefixes = words.map((w) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`).join(' & ')
    base = base.where(sql<boolean>`search_words @@ ${prefixes}::tsquery`)
  }
  // Single letters filter afterwards, so fetch more to still fill the page.
  const fetch = initials.length > 0 ? input.limit * 5 : input.limit
  const rows = await base.orderBy('last_name').orderBy('first_name').orderBy('id').limit(fetch).execute()
  return rows.filter((r) => matchesInitials(r, initials)).slice(0, input.limit).map(toSummary)
}

async function getRow(db: Tx, id: number): Promise<PatientRow> {
  const row = await db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no patient with id ${id}.`, { id: 'no such patient' })
  return row
}

export async function getPatient(ctx: ServiceContext, input: { id: number }): Promise<Patient> {
  const row = await getRow(ctx.db, input.id)
  await ctx.audit({ action: 'patient.view', entity: 'patient', entityId: row.id, patientId: row.id })
  return toPatient(row)
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
  return (await q.limit(20).execute()).map(toSummary)
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

export async function registerPatient(ctx: ServiceContext, input: PatientFields & { acknowledgeDuplicate: boolean }): Promise<Patient> {
  const actor = requireActor(ctx)
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
  const { settings } = await requireSettings(ctx.db)
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('patients')
    .values({ ...columnsFrom(input), mrn: await nextMrn(ctx.db, settings.mrnPrefix), created_at: at, created_by: actor.id, updated_at: at, updated_by: actor.id, version: 0 })
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'patient.create', entity: 'patient', entityId: row.id, patientId: row.id, details: { mrn: row.mrn, duplicateAcknowledged: input.acknowledgeDuplicate } })
  return toPatient(row)
}

const FIELD_LABELS: Record<keyof PatientFields, keyof PatientRow> = {
  firstName: 'first_name',
  lastName: 'last_name',
  dateOfBirth: 'date_of_birth',
  sex: 'sex',
  phone: 'phone',
  email: 'email',
  address: 'address',
  referringPhysician: 'referring_physician',
  notes: 'notes',
}

export async function updatePatient(ctx: ServiceContext, input: PatientFields & { id: number; version: number }): Promise<Patient> {
  const actor = requireActor(ctx)
  const before = await getRow(ctx.db, input.id)
  const current = toPatient(before)
  const changed = (Object.keys(FIELD_LABELS) as (keyof PatientFields)[]).filter((k) => input[k] !== current[k])
  if (before.version !== input.version) {
    throw new AppError(
      'conflict',
      `Someone else changed this patient while you were editing (${before.updated_at.slice(0, 16).replace('T', ' ')} UTC). Your changes were not saved; reload to see theirs.`,
      undefined,
      { current },
    )
  }
  if (changed.length === 0) return current
  const row = await ctx.db
    .updateTable('patients')
    .set({ ...columnsFrom(input), updated_at: nowIso(ctx), updated_by: actor.id, version: before.version + 1 })
    .where('id', '=', input.id)
    .where('version', '=', input.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'patient.update', entity: 'patient', entityId: row.id, patientId: row.id, details: { changed } })
  return toPatient(row)
}
