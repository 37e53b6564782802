/**
 * The referrers' directory (issue 19 point 1): referring clinicians and practices, found as patients are (any
 * words of the name, practice or specialty in any order, case and accents ignored, or the phone or fax digits:
 * shared/text.ts searchWords, the patient search's own splitting and folding), with a duplicate warning when one
 * is added that the directory seems to have already.
 */
import { sql } from 'kysely'
import { describeFields } from '../../shared/fieldNames'
import { AppError } from '../../shared/result'
import {
  DUPLICATE_WHY_LABELS,
  practiceKey,
  referrerNameKey,
  referrerSearchText,
  type AddReferrer,
  type Referrer,
  type ReferrerDuplicate,
  type ReferrerFields,
  type UpdateReferrer,
} from '../../shared/schemas/referrals'
import { digitsOnly, searchWords } from '../../shared/text'
import type { Tx } from '../db/tx'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { assertVersion, assertWritten, nextVersion } from './records/versions'
import './referralTables'

function referrersQuery(db: Tx) {
  return db
    .selectFrom('referrers as r')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .selectAll('r')
    .select('u.display_name as created_by_name')
    .select((eb) => eb.selectFrom('referrals as x').select((e) => e.fn.countAll<number>().as('n')).whereRef('x.referrer_id', '=', 'r.id').as('referral_count'))
}
type ReferrerRow = Awaited<ReturnType<ReturnType<typeof referrersQuery>['executeTakeFirstOrThrow']>>

function toReferrer(r: ReferrerRow): Referrer {
  return {
    id: r.id,
    name: r.name,
    specialty: r.specialty,
    practice: r.practice,
    address: r.address,
    phone: r.phone,
    fax: r.fax,
    email: r.email,
    letterDelivery: r.letter_delivery as Referrer['letterDelivery'],
    active: r.active === 1,
    referralCount: Number(r.referral_count ?? 0),
    createdAt: r.created_at,
    createdBy: r.created_by === null ? null : (r.created_by_name ?? `User #${r.created_by}`),
    updatedAt: r.updated_at,
    version: r.version,
  }
}

export async function referrerRow(db: Tx, id: number): Promise<ReferrerRow> {
  const r = await referrersQuery(db).where('r.id', '=', id).executeTakeFirst()
  if (!r) throw new AppError('not_found', `There is no referrer with id ${id}.`, { id: 'no such referrer' })
  return r
}

export async function getReferrer(ctx: ServiceContext, input: { id: number }): Promise<Referrer> {
  return toReferrer(await referrerRow(ctx.db, input.id))
}

/** Each word of the query must begin a word of the name, practice or specialty, or (digits) be in the phone or fax. */
export async function searchReferrers(ctx: ServiceContext, input: { q: string; includeInactive: boolean; limit: number }): Promise<Referrer[]> {
  let q = referrersQuery(ctx.db)
  if (!input.includeInactive) q = q.where('r.active', '=', 1)
  const { words, initials } = searchWords(input.q)
  if (words.length === 0 && input.q.trim() !== '' && initials.length === 0) return []
  // ' ' || search_text: a word of the text begins after a space (search_text holds folded words only, so the
  // query's words, folded the same way and stripped of anything but letters and digits, need no escaping)
  const text = sql<string>`(' ' || r.search_text)`
  for (const w of [...words, ...initials]) {
    q = q.where((eb) => {
      const inText = eb(text, 'like', `% ${w}%`)
      return /^\d+$/.test(w) ? eb.or([inText, eb('r.phone_digits', 'like', `%${w}%`), eb('r.fax_digits', 'like', `%${w}%`)]) : inText
    })
  }
  const rows = await q.orderBy('r.name_key').orderBy('r.id').limit(input.limit).execute()
  return rows.map(toReferrer)
}

/** The stored keys of a referrer's fields: what search and the duplicate check compare. */
function keyColumns(f: ReferrerFields) {
  return {
    name_key: referrerNameKey(f.name),
    practice_key: practiceKey(f.practice),
    search_text: referrerSearchText(f),
    phone_digits: digitsOnly(f.phone),
    fax_digits: digitsOnly(f.fax),
    email_key: f.email.trim().toLowerCase(),
  }
}

function fieldColumns(f: ReferrerFields) {
  return {
    name: f.name,
    specialty: f.specialty,
    practice: f.practice,
    address: f.address,
    phone: f.phone,
    fax: f.fax,
    email: f.email,
    letter_delivery: f.letterDelivery,
    active: f.active ? 1 : 0,
    ...keyColumns(f),
  }
}

/**
 * Referrers the directory may already have: the same name and practice (both normalised: "Dr. Émile Roy, St Mary's"
 * is "emile roy" at "st marys"), or the same phone, fax or e-mail.
 */
export async function findDuplicateReferrers(
  ctx: Pick<ServiceContext, 'db'>,
  f: { name?: string | undefined; practice?: string | undefined; phone?: string | undefined; fax?: string | undefined; email?: string | undefined; excludeId?: number | undefined },
): Promise<ReferrerDuplicate[]> {
  const k = keyColumns({ name: f.name ?? '', practice: f.practice ?? '', specialty: '', phone: f.phone ?? '', fax: f.fax ?? '', email: f.email ?? '', address: '', letterDelivery: 'post', active: true })
  if (k.name_key === '' && k.phone_digits === '' && k.fax_digits === '' && k.email_key === '') return []
  const rows = await referrersQuery(ctx.db)
    .where((eb) => {
      const any = []
      if (k.name_key !== '') any.push(eb.and([eb('r.name_key', '=', k.name_key), eb('r.practice_key', '=', k.practice_key)]))
      if (k.phone_digits !== '') any.push(eb('r.phone_digits', '=', k.phone_digits))
      if (k.fax_digits !== '') any.push(eb('r.fax_digits', '=', k.fax_digits))
      if (k.email_key !== '') any.push(eb('r.email_key', '=', k.email_key))
      return eb.or(any)
    })
    .where('r.id', '!=', f.excludeId ?? 0)
    .orderBy('r.id')
    .limit(20)
    .execute()
  return rows.map((r) => {
    const why: ReferrerDuplicate['why'] = []
    if (k.name_key !== '' && r.name_key === k.name_key && r.practice_key === k.practice_key) why.push('nameAndPractice')
    if (k.phone_digits !== '' && r.phone_digits === k.phone_digits) why.push('phone')
    if (k.fax_digits !== '' && r.fax_digits === k.fax_digits) why.push('fax')
    if (k.email_key !== '' && r.email_key === k.email_key) why.push('email')
    return { referrer: toReferrer(r), why }
  })
}

export async function checkReferrerDuplicates(ctx: ServiceContext, input: Parameters<typeof findDuplicateReferrers>[1]): Promise<ReferrerDuplicate[]> {
  return findDuplicateReferrers(ctx, input)
}

const auditFields = (f: ReferrerFields) => ({
  name: f.name,
  specialty: f.specialty,
  practice: f.practice,
  phone: f.phone,
  fax: f.fax,
  email: f.email,
  letterDelivery: f.letterDelivery,
  active: f.active,
})

/**
 * Adds a referrer. A possible duplicate is refused (conflict, the matches in the error's detail) unless the input
 * says `confirmDuplicate`: the screen warns first, but the main process checks again, since another desk may
 * have added the same referrer meanwhile and a renderer's word is not trusted.
 */
export async function addReferrer(ctx: ServiceContext, input: AddReferrer): Promise<Referrer> {
  const actor = requireActor(ctx)
  const { confirmDuplicate, ...f } = input
  const duplicates = await findDuplicateReferrers(ctx, f)
  if (duplicates.length > 0 && !confirmDuplicate) {
    const first = duplicates[0]!
    const what = `${first.referrer.name}${first.referrer.practice ? ` (${first.referrer.practice})` : ''}: ${first.why.map((w) => DUPLICATE_WHY_LABELS[w]).join(', ')}`
    throw new AppError(
      'conflict',
      `The directory may already have this referrer: ${what}${duplicates.length > 1 ? ` and ${duplicates.length - 1} more` : ''}. Open the existing one, or confirm to add anyway. Nothing was added.`,
      { confirmDuplicate: 'confirm to add a possible duplicate' },
      { duplicates },
    )
  }
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('referrers')
    .values({ ...fieldColumns(f), created_at: at, created_by: actor.id, updated_at: at, updated_by: actor.id, version: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'referrer.create',
    entity: 'referrer',
    entityId: row.id,
    details: { ...auditFields(f), ...(duplicates.length > 0 ? { confirmedDuplicateOf: duplicates.map((d) => d.referrer.id) } : {}) },
  })
  return toReferrer(await referrerRow(ctx.db, row.id))
}

export async function updateReferrer(ctx: ServiceContext, input: UpdateReferrer): Promise<Referrer> {
  const actor = requireActor(ctx)
  const { id, version, ...f } = input
  const before = await referrerRow(ctx.db, id)
  await assertVersion(before.version, version, `${before.name} was changed at another desk since you opened it; reload. Nothing was changed.`)
  const written = await ctx.db
    .updateTable('referrers')
    .set({ ...fieldColumns(f), updated_at: nowIso(ctx), updated_by: actor.id, version: nextVersion(version) })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst()
  assertWritten(written, `${before.name} was changed at another desk just now; reload. Nothing was changed.`)
  const changed = Object.fromEntries(Object.entries(auditFields(f)).filter(([k, v]) => v !== toReferrer(before)[k as keyof Referrer]))
  await ctx.audit({ action: 'referrer.update', entity: 'referrer', entityId: id, details: changed })
  return toReferrer(await referrerRow(ctx.db, id))
}

/** Refuses a referrer that is not there, naming the field. */
export async function assertReferrer(db: Tx, id: number, field: string): Promise<{ id: number; name: string; active: number }> {
  const r = await db.selectFrom('referrers').select(['id', 'name', 'active']).where('id', '=', id).executeTakeFirst()
  if (!r) throw new AppError('invalid_input', describeFields({ [field]: 'is not in the referrers directory' }), { [field]: 'is not in the referrers directory' })
  return r
}
