/**
 * A user's unsaved forms, kept so that nothing typed is lost to the idle lock, a reload or a renderer crash
 * (renderer/drafts.ts saves them about a second after typing stops). A draft is not clinical content: it is
 * never signed, never shown as a record and never read by anyone but the user who typed it (every statement
 * here is keyed by the signed-in user, never by an id the window sends). It is deleted when the form is saved
 * or signed (the record then holds it) or when the user discards it; deleting it removes no record.
 *
 * Audit: a save writes no audit row. Autosave runs every second or so while someone types; a row per save
 * would bury the log that people read, and the save changes no record (the record's own save and signature
 * are audited as always). What the log does get is one row when a user's draft of a form first comes to
 * exist (`draft.create`: who kept unsaved text, on which screen, never the text) and one when it goes
 * (`draft.discard`, with whether the form was saved or the user threw the draft away), so that the log still
 * shows that patient data was kept outside a record, and for how long.
 */
import type { Draft, DiscardDraft, SaveDraft } from '../../shared/schemas/drafts'
import { requireActor, nowIso, type ServiceContext } from './context'

export async function getDraft(ctx: ServiceContext, input: { key: string }): Promise<Draft | null> {
  const user = requireActor(ctx)
  const row = await ctx.db
    .selectFrom('drafts')
    .select(['draft_key', 'screen', 'data', 'created_at', 'updated_at'])
    .where('user_id', '=', user.id)
    .where('draft_key', '=', input.key)
    .executeTakeFirst()
  if (!row) return null
  return { key: row.draft_key, screen: row.screen, json: row.data, createdAt: row.created_at, updatedAt: row.updated_at }
}

export async function saveDraft(ctx: ServiceContext, input: SaveDraft): Promise<{ key: string; updatedAt: string }> {
  const user = requireActor(ctx)
  const at = nowIso(ctx)
  // Read, then insert or update (not an upsert): whether the draft is new decides its one audit row. Two
  // windows of the same user saving the same form at once are serialized by the write transaction (SQLite's
  // write lock; PostgreSQL reports the second insert as a serialization failure, which is retried).
  const existing = await ctx.db
    .selectFrom('drafts')
    .select('created_at')
    .where('user_id', '=', user.id)
    .where('draft_key', '=', input.key)
    .executeTakeFirst()
  if (existing) {
    await ctx.db
      .updateTable('drafts')
      .set({ screen: input.screen, data: input.json, updated_at: at })
      .where('user_id', '=', user.id)
      .where('draft_key', '=', input.key)
      .execute()
  } else {
    await ctx.db.insertInto('drafts').values({ user_id: user.id, draft_key: input.key, screen: input.screen, data: input.json, created_at: at, updated_at: at }).execute()
    await ctx.audit({ action: 'draft.create', entity: 'draft', entityId: input.key, details: { screen: input.screen } })
  }
  return { key: input.key, updatedAt: at }
}

export async function discardDraft(ctx: ServiceContext, input: DiscardDraft): Promise<{ key: string; discarded: boolean }> {
  const user = requireActor(ctx)
  const gone = await ctx.db.deleteFrom('drafts').where('user_id', '=', user.id).where('draft_key', '=', input.key).executeTakeFirst()
  const discarded = Number(gone.numDeletedRows) > 0
  if (discarded) await ctx.audit({ action: 'draft.discard', entity: 'draft', entityId: input.key, details: { reason: input.reason } })
  return { key: input.key, discarded }
}
