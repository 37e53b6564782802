import { AppError } from '../../shared/result'
import { ClinicSettings, type SettingsView } from '../../shared/schemas/settings'
import type { Tx } from '../db/tx'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'

const KEY = 'clinic'

/**
 * The last settings text parsed, and what it parsed to (frozen: every caller shares it). Bookings, slot
 * searches and schedule views read the settings on every call for the time zone; validating the whole object
 * (templates, intervals, observation phases) each time cost more than reading it.
 */
let parsed: { text: string; settings: ClinicSettings } | null = null

function parseSettings(text: string): ClinicSettings {
  if (parsed?.text !== text) parsed = { text, settings: deepFreeze(ClinicSettings.parse(JSON.parse(text))) }
  return parsed.settings
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value)) deepFreeze(v)
  }
  return value
}

/** The clinic's settings; fields added since they were saved take their defaults. Null before first-run setup. */
export async function readSettings(db: Tx): Promise<SettingsView | null> {
  const row = await db.selectFrom('settings').select(['value', 'version']).where('key', '=', KEY).executeTakeFirst()
  if (!row) return null
  return { version: row.version, settings: parseSettings(row.value) }
}

export async function requireSettings(db: Tx): Promise<SettingsView> {
  const s = await readSettings(db)
  if (!s) throw new AppError('conflict', 'The clinic has not been set up yet.')
  return s
}

export async function createSettings(db: Tx, settings: ClinicSettings, at: string): Promise<void> {
  await db.insertInto('settings').values({ key: KEY, value: JSON.stringify(settings), version: 0, updated_at: at, updated_by: null }).execute()
}

export async function updateSettings(ctx: ServiceContext, input: { version: number; settings: ClinicSettings }): Promise<SettingsView> {
  const actor = requireActor(ctx)
  const before = await requireSettings(ctx.db)
  const res = await ctx.db
    .updateTable('settings')
    .set({ value: JSON.stringify(input.settings), version: input.version + 1, updated_at: nowIso(ctx), updated_by: actor.id })
    .where('key', '=', KEY)
    .where('version', '=', input.version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) {
    throw new AppError('conflict', 'Someone else changed the settings since you opened them. Reload to see their change, then try again.', undefined, {
      current: before,
    })
  }
  const changed = Object.keys(input.settings).filter(
    (k) => JSON.stringify(input.settings[k as keyof ClinicSettings]) !== JSON.stringify(before.settings[k as keyof ClinicSettings]),
  )
  await ctx.audit({ action: 'settings.update', entity: 'settings', entityId: KEY, details: { changed } })
  return { version: input.version + 1, settings: input.settings }
}
