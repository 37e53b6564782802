/**
 * The backup channels (the administrator's Backups screen): a manual backup, the folder's list, a restore.
 * The files themselves are backupFiles.ts; replacing the database, restore.ts.
 */
import { existsSync } from 'node:fs'
import { AppError } from '../../shared/result'
import type { BackupList, BackupResult, RestoreResult as RestoreView } from '../../shared/schemas/backup'
import { DatabaseTooNewError } from '../db/migrate'
import { backupAuditEntry, backupFolderFor, backupToFolder, checkBackupFile, listBackups, POSTGRES_MESSAGE } from './backupFiles'
import { manifestPathFor } from './backupManifest'
import { DEFAULT_ROTATION } from './backupRotation'
import { requireActor, type ServiceContext } from './context'
import { inspectBackupForRestore, restoreDatabaseFile, RestoreRefusedError } from './restore'
import { readSettings } from './settings'

/** `backup.run`: a manual backup into the backup folder, from the administrator's screen. */
export async function runManualBackup(ctx: ServiceContext): Promise<BackupResult> {
  const info = await backupToFolder(ctx.database, 'manual', ctx.now())
  await ctx.audit(backupAuditEntry(info))
  return { file: info.file, bytes: info.bytes, sha256: info.sha256, at: info.at, schema: info.schema }
}

/** `backup.list`: where backups go, when, what the rotation keeps, and the backups there, newest first. */
export async function listFolderBackups(ctx: ServiceContext): Promise<BackupList> {
  const settings = (await readSettings(ctx.db))?.settings
  const common = { backupTime: settings?.backupTime ?? '', timeZone: settings?.timeZone ?? 'UTC', rotation: settings?.backupRotation ?? DEFAULT_ROTATION }
  if (!ctx.database.sqlite) return { engine: 'postgres', folder: '', folderIsDefault: false, message: POSTGRES_MESSAGE, backups: [], ...common }
  const folder = await backupFolderFor(ctx.database)
  return {
    engine: 'sqlite',
    folder,
    folderIsDefault: !settings?.backupFolder,
    message: null,
    ...common,
    backups: listBackups(folder).map((b) => ({ name: b.name, at: b.at.toISOString(), kind: b.kind, bytes: b.bytes, hasManifest: existsSync(manifestPathFor(b.file)) })),
  }
}

/**
 * `backup.restore` from the administrator's screen. The backup must be one in the backup folder; it is
 * checked (integrity, a Spine Clinic database, not from a newer version, and the manifest written when it
 * was made) before anything closes, so a refused one changes nothing. A sound file without a matching
 * manifest is refused with `detail.outsideFile` (why, and what was checked), so that the screen can ask the
 * administrator to confirm it as an outside file (`outsideFile: true`). Then, with no other call running
 * (the channel is exclusive), the database is closed, `restoreDatabaseFile` replaces the file (keeping the
 * current one aside and auditing the restore in the restored log), the database is reopened, and every
 * session ends.
 */
export async function restoreFromBackup(ctx: ServiceContext, input: { name: string; outsideFile?: boolean }): Promise<RestoreView> {
  if (!ctx.database.sqlite || ctx.database.target.engine !== 'sqlite') throw new AppError('conflict', POSTGRES_MESSAGE)
  if (!ctx.replaceDatabase) throw new Error('backup.restore must be an exclusive channel')
  const actor = requireActor(ctx)
  const file = ctx.database.target.file
  const folder = await backupFolderFor(ctx.database)
  const backup = listBackups(folder).find((b) => b.name === input.name)
  if (!backup) throw new AppError('not_found', `There is no backup named ${input.name} in ${folder}. Nothing was changed.`, { name: 'is not in the backup folder' })
  const check = await checkBackupFile(backup.file)
  if (!check.ok) throw new AppError('invalid_input', `This backup cannot be restored, and nothing was changed. ${check.problems.join(' ')}`, { name: 'cannot be restored' })
  try {
    await inspectBackupForRestore(backup.file, { outsideFile: input.outsideFile })
  } catch (err) {
    if (err instanceof RestoreRefusedError && err.outsideFile) {
      throw new AppError('conflict', err.message, { name: 'does not match a manifest written when it was made' }, { outsideFile: err.outsideFile })
    }
    if (err instanceof RestoreRefusedError) throw new AppError('invalid_input', `This backup cannot be restored. ${err.message}`, { name: 'cannot be restored' })
    throw err
  }
  try {
    const r = await ctx.replaceDatabase(() =>
      restoreDatabaseFile({
        file,
        from: backup.file,
        actor: { userId: actor.id, username: actor.username, workstation: ctx.workstation },
        now: ctx.now(),
        outsideFile: input.outsideFile === true,
      }),
    )
    return { restoredFrom: backup.name, keptAsideAs: r.keptAsideAs ?? null, backupSchema: r.backupSchema, migrated: r.migrated, accepted: r.accepted }
  } catch (err) {
    if (err instanceof RestoreRefusedError || err instanceof DatabaseTooNewError) throw new AppError('conflict', err.message, { name: 'cannot be restored' })
    throw err
  }
}
