import { AppError } from '../../shared/result'
import { ClinicSettings, type ChooseFolderResult, type SettingsView, type UpdateSettings } from '../../shared/schemas/settings'
import type { Tx } from '../db/tx'
import type { ServiceContext } from './context'
import { checkBackupFolder } from './backupFolderCheck'
import { nowIso } from './context'
import { staleDetail, staleSentence } from './records/conflicts'

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

const NOT_SET_UP = 'The clinic has not been set up yet.'

export async function requireSettings(db: Tx): Promise<SettingsView> {
  const s = await readSettings(db)
  if (!s) throw new AppError('conflict', NOT_SET_UP)
  return s
}

/** The settings' text, as a subquery of a statement that reads other things beside it (schedulingRules' resolveRefs). */
export function settingsTextQuery(db: Tx) {
  return db.selectFrom('settings').select('value').where('key', '=', KEY)
}

/** The settings from the text that subquery read; refused before first-run setup, as requireSettings refuses. */
export function settingsFromText(text: string | null | undefined): ClinicSettings {
  if (text === null || text === undefined) throw new AppError('conflict', NOT_SET_UP)
  return parseSettings(text)
}

export async function createSettings(db: Tx, settings: ClinicSettings, at: string): Promise<void> {
  await db.insertInto('settings').values({ key: KEY, value: JSON.stringify(settings), version: 0, updated_at: at, updated_by: null }).execute()
}

/** Settings small enough to write their old and new values into the audit row (the templates only say "changed"). */
const AUDIT_VALUE_LIMIT = 300

/**
 * `settings.update` (the Settings screen) and `admin settings set`: the whole settings document, validated by
 * the router (or the command line) with ClinicSettings, saved over the version read. A new backup folder must
 * be writable, and one inside the database's folder on the same disk needs `confirmBackupFolderOnSameDisk`.
 * Audited with each changed key, and the old and new value of the short ones.
 */
export async function updateSettings(ctx: ServiceContext, input: UpdateSettings): Promise<SettingsView> {
  const before = await requireSettings(ctx.db)
  const folder = input.settings.backupFolder
  if (folder !== '' && folder !== before.settings.backupFolder) checkChosenBackupFolder(ctx, folder, input.confirmBackupFolderOnSameDisk === true)
  const res = await ctx.db
    .updateTable('settings')
    .set({ value: JSON.stringify(input.settings), version: input.version + 1, updated_at: nowIso(ctx), updated_by: ctx.actor?.id ?? null })
    .where('key', '=', KEY)
    .where('version', '=', input.version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) {
    // read again: the write lost to another one, whose author and time the person is told
    const now = await ctx.db.selectFrom('settings').select(['value', 'version', 'updated_by', 'updated_at']).where('key', '=', KEY).executeTakeFirst()
    const current = now ? { version: now.version, settings: parseSettings(now.value) } : before
    const detail = await staleDetail(ctx.db, now?.updated_by ?? null, now?.updated_at ?? null, current)
    const said = await staleSentence(ctx.db, 'the settings', detail)
    throw new AppError('conflict', `${said} Your changes were not saved; reload to see theirs, or compare.`, undefined, detail)
  }
  const changed: string[] = []
  const values: Record<string, { from: unknown; to: unknown }> = {}
  for (const key of Object.keys(input.settings) as (keyof ClinicSettings)[]) {
    const from = JSON.stringify(before.settings[key])
    const to = JSON.stringify(input.settings[key])
    if (from === to) continue
    changed.push(key)
    if ((from?.length ?? 0) <= AUDIT_VALUE_LIMIT && (to?.length ?? 0) <= AUDIT_VALUE_LIMIT) values[key] = { from: before.settings[key], to: input.settings[key] }
  }
  await ctx.audit({
    action: 'settings.update',
    entity: 'settings',
    entityId: KEY,
    details: { changed, values, ...(input.confirmBackupFolderOnSameDisk && changed.includes('backupFolder') ? { confirmedBackupFolderOnSameDisk: true } : {}) },
  })
  return { version: input.version + 1, settings: input.settings }
}

function checkChosenBackupFolder(ctx: ServiceContext, folder: string, confirmed: boolean): void {
  const target = ctx.database.target
  // PostgreSQL: the app makes no backups (the server's tools do), so the folder is not checked against a database file.
  if (target.engine !== 'sqlite') return
  const check = checkBackupFolder(folder, target.file)
  if (check.problem) {
    throw new AppError('invalid_input', `Backups cannot be written to ${folder}: ${check.problem} Nothing was changed.`, {
      'settings.backupFolder': `cannot be written: ${check.problem}`,
    })
  }
  if (check.insideDatabaseFolderOnSameDisk && !confirmed) {
    throw new AppError(
      'conflict',
      `${folder} is inside the database's own folder, on the same disk: if that disk fails, the backups are lost with the database. Choose a folder on another disk or a network share, or confirm to keep this one. Nothing was changed.`,
      { 'settings.backupFolder': 'is inside the database\'s folder on the same disk' },
      { backupFolderOnSameDisk: true },
    )
  }
}

/** `settings.chooseBackupFolder`: the system's folder dialog where the app has one (not in a browser). */
export async function chooseBackupFolder(ctx: ServiceContext): Promise<ChooseFolderResult> {
  if (!ctx.chooseFolder) return { available: false, folder: null }
  const current = (await readSettings(ctx.db))?.settings.backupFolder
  const folder = await ctx.chooseFolder({ title: 'Choose the backup folder', ...(current ? { defaultPath: current } : {}) })
  return { available: true, folder }
}
