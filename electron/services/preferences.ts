/**
 * A user's own preferences (shared/schemas/preferences.ts): how the schedule is shown to them. Every statement
 * here is keyed by the signed-in user of the calling window (`requireActor`), never by an id the window sends:
 * the channels take none, so a window can neither read nor change another user's preferences.
 *
 * Audit: a preference change writes no audit row. A preference is not a record and holds no patient data (its
 * values are a fixed list of words and a lane's id, checked by the router); changing one changes what this one
 * person sees, nothing anyone else relies on, and a zoom can be pressed several times a minute. A row per press
 * would bury the rows people read the log for (every change and view of a record), and each row is a link of
 * the hash chain that `admin verify` walks. Overwriting in place is fine for the same reason: no earlier value
 * is evidence of anything.
 */
import { PREFERENCE_SCHEMAS, isPreferenceKey, type Preferences, type SetPreference } from '../../shared/schemas/preferences'
import { nowIso, requireActor, type ServiceContext } from './context'

export async function getPreferences(ctx: ServiceContext): Promise<Preferences> {
  const user = requireActor(ctx)
  const rows = await ctx.db.selectFrom('user_preferences').select(['key', 'value']).where('user_id', '=', user.id).execute()
  const out: Record<string, unknown> = {}
  for (const row of rows) {
    // A key no longer known, or a value its key's schema no longer accepts (written by an older version), is
    // left out: the screen then uses its own default rather than failing on a value it cannot show.
    if (!isPreferenceKey(row.key)) continue
    let parsed: unknown
    try {
      parsed = JSON.parse(row.value)
    } catch {
      continue
    }
    const checked = PREFERENCE_SCHEMAS[row.key].safeParse(parsed)
    if (checked.success) out[row.key] = checked.data
  }
  return out as Preferences
}

export async function setPreference(ctx: ServiceContext, input: SetPreference): Promise<{ key: string; updatedAt: string }> {
  const user = requireActor(ctx)
  const at = nowIso(ctx)
  const value = JSON.stringify(input.value)
  // One statement on both engines: the last choice wins (see the note at the top on why overwriting is fine).
  await ctx.db
    .insertInto('user_preferences')
    .values({ user_id: user.id, key: input.key, value, updated_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doUpdateSet({ value, updated_at: at }))
    .execute()
  return { key: input.key, updatedAt: at }
}
