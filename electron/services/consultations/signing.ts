/** Signing a consultation note, its addenda and entered-in-error, on the reusable signing module. */
import { AppError } from '../../../shared/result'
import type { ConsultationView } from '../../../shared/schemas/consultations'
import type { ServiceContext } from '../context'
import { requireActor } from '../context'
import { assertMayMarkInError } from '../records/enteredInError'
import { assertVersion } from '../records/versions'
import { addAddendum, assertEditable, markEnteredInError, signRecord } from '../signing'
import { assertDecisionSignable, cancelRequestOnError, createRequestOnSign } from './candidacy'
import { loadNote, noteRef, userName } from './rows'
import { buildView, signedContent } from './view'

/**
 * The note's provider signs the version they read: the signature binds the exact content (hash) and
 * locks the note. A decision for a procedure becomes a procedure request.
 */
export async function signConsultation(ctx: ServiceContext, input: { id: number; version: number }): Promise<ConsultationView> {
  const actor = requireActor(ctx)
  const row = await loadNote(ctx.db, input.id)
  const ref = noteRef(row)
  await assertEditable(ctx.db, ref)
  if (row.provider_id !== actor.id) {
    throw new AppError('forbidden', `Only ${await userName(ctx.db, row.provider_id)}, the provider of this consultation, can sign its note.`)
  }
  await assertVersion(row.version, input.version, 'The note changed since you last read it; review the current content before signing.')
  assertDecisionSignable(row)
  await signRecord(ctx, ref, await signedContent(ctx.db, row))
  await createRequestOnSign(ctx, row)
  return buildView(ctx.db, row.id)
}

/** Any physician may add a dated, signed addendum to a signed note. */
export async function addConsultationAddendum(ctx: ServiceContext, input: { id: number; text: string }): Promise<ConsultationView> {
  const row = await loadNote(ctx.db, input.id)
  await addAddendum(ctx, noteRef(row), input.text)
  return buildView(ctx.db, row.id)
}

/**
 * The note's provider (or a manager, when the provider cannot) marks a note entered in error, saying why.
 * It stays readable; its signature stops counting; an open procedure request from it is cancelled.
 */
export async function markConsultationInError(ctx: ServiceContext, input: { id: number; reason: string }): Promise<ConsultationView> {
  const row = await loadNote(ctx.db, input.id)
  await assertMayMarkInError(ctx, row.provider_id, (name) => `Only ${name}, the provider of this consultation, or a manager can mark its note entered in error.`)
  await markEnteredInError(ctx, noteRef(row), input.reason)
  await cancelRequestOnError(ctx, row, input.reason)
  return buildView(ctx.db, row.id)
}
