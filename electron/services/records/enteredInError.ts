/**
 * Records entered in error: never deleted, kept readable with who and why (electron/services/signing.ts writes
 * the mark). Here: the one filter that leaves them out of lists and worklists, and the one rule for who may mark
 * one (its author, or a manager when the author cannot).
 */
import { AppError } from '../../../shared/result'
import { mayMarkEnteredInError } from '../../../shared/roles'
import type { Tx } from '../../db/tx'
import type { ServiceContext } from '../context'
import { requireActor } from '../context'
import type { SignedRecordType } from '../signing'

/** The kinds of record marked in the entered_in_error table (a follow-up visit keeps its mark on its own row). */
export type ErrorableRecord = SignedRecordType

/** The ids of the records of a kind entered in error: `.where('c.id', 'not in', enteredInErrorIds(db, 'consultation'))`. */
export function enteredInErrorIds(db: Tx, type: ErrorableRecord) {
  return db.selectFrom('entered_in_error').select('record_id').where('record_type', '=', type)
}

export async function isEnteredInError(db: Tx, type: ErrorableRecord, id: number): Promise<boolean> {
  const r = await db.selectFrom('entered_in_error').select('id').where('record_type', '=', type).where('record_id', '=', id).executeTakeFirst()
  return r !== undefined
}

/**
 * The author of a record, or a manager, may mark it entered in error. `refusal` words the refusal with the
 * author's name ("Only Dr X, who recorded this visit, or a manager can ...").
 */
export async function assertMayMarkInError(ctx: ServiceContext, authorId: number, refusal: (authorName: string) => string): Promise<void> {
  const actor = requireActor(ctx)
  if (mayMarkEnteredInError(actor, authorId)) return
  const u = await ctx.db.selectFrom('users').select('display_name').where('id', '=', authorId).executeTakeFirst()
  throw new AppError('forbidden', refusal(u?.display_name ?? `user ${authorId}`))
}

/** The ids of one patient's records of a kind entered in error (read through the patient_id index). */
export async function enteredInErrorOfPatient(db: Tx, type: ErrorableRecord, patientId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('entered_in_error').select('record_id').where('record_type', '=', type).where('patient_id', '=', patientId).execute()
  return new Set(rows.map((r) => r.record_id))
}
