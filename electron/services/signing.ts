/**
 * Signing, reusable by every signed clinical record (consultation notes now; procedure notes and
 * discharge summaries next). A record type registers nothing: callers pass its `recordType` and the
 * record's content as plain data.
 *
 * - A signature stores who, when, the canonical content that was signed and its SHA-256. Signing twice,
 *   or signing a record entered in error, is refused. After signing the record is locked: callers check
 *   `assertEditable` before any change, and the database's triggers refuse changes to the record's rows.
 * - An addendum is dated and signed at once (author, time, hash over its text and the signature it
 *   amends); it is never edited.
 * - Entered in error marks the record (who, when, why); it stays readable, its signature no longer
 *   counts as valid, and its status no longer reads "signed".
 */
import { createHash } from 'node:crypto'
import { AppError } from '../../shared/result'
import type { AddendumView, SigningState } from '../../shared/schemas/signing'
import type { Tx } from '../db/tx'
import { clinicDateTimeText } from './clinicTime'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'

export type SignedRecordType = 'consultation' | 'procedure' | 'dischargeSummary'

export interface RecordRef {
  type: SignedRecordType
  id: number
  patientId: number
  /** words for messages: 'consultation note' */
  label: string
}

/** JSON with object keys sorted at every depth, so the same content always gives the same text and hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as Record<string, unknown>)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    )
  }
  return v
}

/**
 * Whether the record still says what was signed: every value in the signed snapshot equals the current one.
 * Keys the snapshot does not have (a column added by a later version of the app) are ignored, so an upgrade
 * never invalidates old signatures; a changed or removed value, or a list of another length, does.
 */
export function stillMatches(signed: unknown, current: unknown): boolean {
  if (Array.isArray(signed)) return Array.isArray(current) && current.length === signed.length && signed.every((v, i) => stillMatches(v, current[i]))
  if (signed && typeof signed === 'object') {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return false
    return Object.entries(signed as Record<string, unknown>).every(([k, v]) => stillMatches(v, (current as Record<string, unknown>)[k]))
  }
  return signed === (current === undefined ? undefined : current)
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** A record entered in error reads so even if it was signed; a signed one is locked; anything else is a draft. */
function recordStatus(signed: boolean, enteredInError: boolean): SigningState['status'] {
  return enteredInError ? 'enteredInError' : signed ? 'signed' : 'draft'
}

export async function signingState(db: Tx, type: SignedRecordType, id: number, currentContent?: unknown): Promise<SigningState> {
  const [sig, eie, addenda] = await Promise.all([
    db.selectFrom('signatures').selectAll().where('record_type', '=', type).where('record_id', '=', id).executeTakeFirst(),
    db.selectFrom('entered_in_error').selectAll().where('record_type', '=', type).where('record_id', '=', id).executeTakeFirst(),
    db.selectFrom('addenda').selectAll().where('record_type', '=', type).where('record_id', '=', id).orderBy('id').execute(),
  ])
  const intact = sig ? sig.content_hash === sha256(sig.content) && (currentContent === undefined || stillMatches(JSON.parse(sig.content), sortKeys(currentContent))) : false
  return {
    status: recordStatus(!!sig, !!eie),
    signature: sig
      ? { signedBy: sig.signed_by, signerName: sig.signer_name, signedAt: sig.signed_at, contentHash: sig.content_hash, valid: intact && !eie }
      : null,
    addenda: addenda.map(
      (a): AddendumView => ({ id: a.id, text: a.text, authorId: a.author_id, authorName: a.author_name, signedAt: a.signed_at, contentHash: a.content_hash }),
    ),
    enteredInError: eie ? { markedBy: eie.marked_by, markerName: eie.marker_name, markedAt: eie.marked_at, reason: eie.reason } : null,
  }
}

/** Batch form for lists: the status of many records of one type. */
export async function statusesOf(db: Tx, type: SignedRecordType, ids: number[]): Promise<Map<number, SigningState['status']>> {
  if (ids.length === 0) return new Map()
  const byRecord = (table: 'signatures' | 'entered_in_error') => db.selectFrom(table).select('record_id').where('record_type', '=', type).where('record_id', 'in', ids).execute()
  const [signed, eie] = (await Promise.all([byRecord('signatures'), byRecord('entered_in_error')])).map((rows) => new Set(rows.map((r) => r.record_id)))
  return new Map(ids.map((id) => [id, recordStatus(signed!.has(id), eie!.has(id))]))
}

/** Throws `locked` unless the record is an unsigned draft that was not entered in error. */
export async function assertEditable(db: Tx, ref: Omit<RecordRef, 'patientId'>): Promise<void> {
  const eie = await db.selectFrom('entered_in_error').select(['marked_at', 'marker_name']).where('record_type', '=', ref.type).where('record_id', '=', ref.id).executeTakeFirst()
  if (eie) throw new AppError('locked', `This ${ref.label} was marked entered in error by ${eie.marker_name} and can no longer be changed.`)
  const sig = await db.selectFrom('signatures').select(['signed_at', 'signer_name']).where('record_type', '=', ref.type).where('record_id', '=', ref.id).executeTakeFirst()
  if (sig) {
    throw new AppError(
      'locked',
      `This ${ref.label} was signed by ${sig.signer_name} on ${await clinicDateTimeText(db, sig.signed_at)} and is locked. Add an addendum to correct it.`,
    )
  }
}

/** Signs the record's content as it is now. The caller has checked who may sign and that the content is current. */
export async function signRecord(ctx: ServiceContext, ref: RecordRef, content: unknown): Promise<{ contentHash: string }> {
  const actor = requireActor(ctx)
  await assertEditable(ctx.db, ref)
  const text = canonicalJson(content)
  const contentHash = sha256(text)
  await ctx.db
    .insertInto('signatures')
    .values({ record_type: ref.type, record_id: ref.id, patient_id: ref.patientId, signed_by: actor.id, signer_name: actor.displayName, signed_at: nowIso(ctx), content_hash: contentHash, content: text })
    .execute()
  await ctx.audit({ action: `${ref.type}.sign`, entity: ref.type, entityId: ref.id, patientId: ref.patientId, details: { contentHash } })
  return { contentHash }
}

/** A dated, signed correction to a signed record. */
export async function addAddendum(ctx: ServiceContext, ref: RecordRef, text: string): Promise<void> {
  const actor = requireActor(ctx)
  const eie = await ctx.db.selectFrom('entered_in_error').select('id').where('record_type', '=', ref.type).where('record_id', '=', ref.id).executeTakeFirst()
  if (eie) throw new AppError('locked', `This ${ref.label} was entered in error; it takes no addenda.`)
  const sig = await ctx.db.selectFrom('signatures').select('content_hash').where('record_type', '=', ref.type).where('record_id', '=', ref.id).executeTakeFirst()
  if (!sig) throw new AppError('conflict', `This ${ref.label} is not signed yet: edit it instead of adding an addendum.`)
  const signedAt = nowIso(ctx)
  const contentHash = sha256(canonicalJson({ amends: sig.content_hash, recordType: ref.type, recordId: ref.id, text, authorId: actor.id, signedAt }))
  const row = await ctx.db
    .insertInto('addenda')
    .values({ record_type: ref.type, record_id: ref.id, patient_id: ref.patientId, text, author_id: actor.id, author_name: actor.displayName, signed_at: signedAt, content_hash: contentHash })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: `${ref.type}.addendum`, entity: ref.type, entityId: ref.id, patientId: ref.patientId, details: { addendumId: row.id, contentHash } })
}

/** Marks a record entered in error; it stays readable. Marking twice is refused. */
export async function markEnteredInError(ctx: ServiceContext, ref: RecordRef, reason: string): Promise<void> {
  const actor = requireActor(ctx)
  const existing = await ctx.db.selectFrom('entered_in_error').select(['marker_name', 'marked_at']).where('record_type', '=', ref.type).where('record_id', '=', ref.id).executeTakeFirst()
  if (existing) throw new AppError('conflict', `This ${ref.label} was already marked entered in error by ${existing.marker_name}.`)
  await ctx.db
    .insertInto('entered_in_error')
    .values({ record_type: ref.type, record_id: ref.id, patient_id: ref.patientId, marked_by: actor.id, marker_name: actor.displayName, marked_at: nowIso(ctx), reason })
    .execute()
  await ctx.audit({ action: `${ref.type}.enteredInError`, entity: ref.type, entityId: ref.id, patientId: ref.patientId, details: { reason } })
}
