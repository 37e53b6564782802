/**
 * Backups and restores of the clinic's SQLite database.
 *
 * A backup is taken online with SQLite's backup API (through better-sqlite3), so the app keeps working
 * while it runs and the copy is one consistent moment. It is written under a temporary name, switched to
 * a self-contained single file (no -wal), checked with integrity_check, flushed to disk and only then
 * renamed to its final name: a crash mid-backup never leaves a half file that looks like a backup.
 *
 * PostgreSQL clinics back up with the server's tools (pg_dump); these functions refuse them clearly.
 */
import { canChangeSchema, checkRoleName, grantWorkstation, SchemaBehindError, workstationRoles } from '../db/pgRoles'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { MIGRATIONS } from '../../migrations'
import { AppError } from '../../shared/result'
import { openDatabase, sqliteLibraryOptions, type AppDatabase } from '../db/connect'
import { appliedMigrations, assertNotTooNew, DatabaseTooNewError, migrateToLatest } from '../db/migrate'
import { withWriteTransaction } from '../db/tx'
import type { DB } from '../db/types'
import { defaultBackupFolder } from '../paths'
import { appendAudit, readAuditHead, walkAuditChain, type AuditActor, type AuditHead, type AuditInput } from './audit'
import { anchorDirFor, anchorLine, appendAnchor, databaseIdentity } from './auditAnchors'
import { appVersion, auditHeadOfHandle, manifestPathFor, matchManifest, removeManifest, writeManifest, type ManifestMatch } from './backupManifest'
import { backupFileName, backupsToDelete, DEFAULT_ROTATION, parseBackupFileName, type BackupKind, type RotationPolicy } from './backupRotation'
import type { BackupList, BackupResult, RestoreResult as RestoreView } from '../../shared/schemas/backup'
import { requireActor, type ServiceContext } from './context'
import { readSettings } from './settings'

export interface BackupInfo {
  file: string
  bytes: number
  sha256: string
  /** The newest schema step in the backup. */
  schema: string
  at: string
  kind: BackupKind
  /** The backup's audit log head, as its manifest records it. */
  audit: AuditHead
  /** The manifest written beside it. */
  manifest: string
}

export interface BackupCheck {
  ok: boolean
  /** What is wrong, in words an administrator can act on (empty when ok). */
  problems: string[]
  migrations: string[]
  tooNew?: DatabaseTooNewError
  /** The file's audit log head (when it is a Spine Clinic database). */
  audit?: AuditHead
}

/** Walks the audit log's hash chain of a database file (read-only), e.g. an outside file before a restore. */
export async function auditChainOfFile(file: string): Promise<{ rows: number; breaks: { id: number; problem: string }[] }> {
  const handle = new Database(file, sqliteOptions(true))
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: handle }) })
  try {
    const { rows, breaks } = await walkAuditChain(db)
    return { rows, breaks }
  } finally {
    handle.close()
  }
}

const POSTGRES_MESSAGE =
  'This clinic uses a PostgreSQL server: back it up and restore it with the server\'s tools (pg_dump and pg_restore). ' +
  'Backups made by Spine Clinic are for a clinic kept in a SQLite file.'

function sqliteOptions(readonly: boolean): Database.Options {
  return { ...sqliteLibraryOptions(), ...(readonly ? { readonly: true, fileMustExist: true } : { fileMustExist: true }) }
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Makes a rename durable; directories cannot be opened for that on Windows, where NTFS journals it anyway. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Reads in 8 MB chunks: a twenty-year clinic file is over 2 GB, more than one Buffer may hold. */
export function sha256File(file: string): string {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(8 * 1024 * 1024)
  const fd = openSync(file, 'r')
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n))
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}

/** Runs integrity_check on an open handle; returns its complaints ([] when the file is sound). */
export function integrityProblems(handle: Database.Database): string[] {
  const rows = handle.pragma('integrity_check') as { integrity_check: string }[]
  return rows.map((r) => r.integrity_check).filter((m) => m !== 'ok')
}

/**
 * Checks a backup file without changing it: a SQLite file, sound (integrity_check), written by Spine
 * Clinic (it has the schema history) and not by a newer version than this one.
 */
export async function checkBackupFile(file: string): Promise<BackupCheck> {
  if (!existsSync(file)) return { ok: false, problems: [`There is no file at ${file}.`], migrations: [] }
  let handle: Database.Database | undefined
  try {
    handle = new Database(file, sqliteOptions(true))
    const problems = integrityProblems(handle)
    if (problems.length > 0) {
      return { ok: false, problems: [`The backup is damaged (integrity_check: ${problems.slice(0, 5).join('; ')}).`], migrations: [] }
    }
    const tables = (handle.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name)
    if (!tables.includes('kysely_migration') || !tables.includes('audit_log')) {
      return { ok: false, problems: ['This is a SQLite file, but not a Spine Clinic database (it has no schema history or audit log).'], migrations: [] }
    }
    const view: AppDatabase = {
      db: new Kysely<DB>({ dialect: new SqliteDialect({ database: handle }) }),
      engine: 'sqlite',
      target: { engine: 'sqlite', file },
      sqlite: handle,
      close: async () => {},
    }
    const migrations = await appliedMigrations(view)
    try {
      await assertNotTooNew(view)
    } catch (err) {
      if (err instanceof DatabaseTooNewError) return { ok: false, problems: [err.message], migrations, tooNew: err }
      throw err
    }
    return { ok: true, problems: [], migrations, audit: auditHeadOfHandle(handle) }
  } catch (err) {
    const code = (err as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      return { ok: false, problems: [`${file} is not a readable SQLite database (${code}: ${(err as Error).message}).`], migrations: [] }
    }
    throw err
  } finally {
    handle?.close()
  }
}

/**
 * Writes an online backup of the open database to `outFile` (which must not exist yet) and checks it.
 */
export async function createBackup(
  database: AppDatabase,
  outFile: string,
  kind: BackupKind,
  now: Date = new Date(),
  opts: { anchorDir?: string | null } = {},
): Promise<BackupInfo> {
  if (!database.sqlite) throw new AppError('conflict', POSTGRES_MESSAGE)
  const target = path.resolve(outFile)
  if (existsSync(target)) throw new AppError('conflict', `${target} already exists; a backup never overwrites a file. Choose another name.`, { out: 'already exists' })
  mkdirSync(path.dirname(target), { recursive: true })
  const partial = `${target}.partial-${randomBytes(4).toString('hex')}`
  let audit: AuditHead
  let schema: string
  try {
    await database.sqlite.backup(partial)
    const copy = new Database(partial, sqliteOptions(false))
    try {
      // One self-contained file: no -wal or -shm needs to travel with it.
      copy.pragma('journal_mode = DELETE')
      const problems = integrityProblems(copy)
      if (problems.length > 0) throw new Error(`the backup failed its integrity check: ${problems.slice(0, 5).join('; ')}`)
      // What the manifest records is read from the copy itself: the live log may have grown meanwhile.
      audit = auditHeadOfHandle(copy)
      schema = (copy.prepare('SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1').get() as { name: string } | undefined)?.name ?? ''
    } finally {
      copy.close()
    }
    fsyncFile(partial)
    renameSync(partial, target)
    fsyncDir(path.dirname(target))
  } catch (err) {
    rmSync(partial, { force: true })
    rmSync(`${partial}-journal`, { force: true })
    throw err
  }
  const bytes = statSync(target).size
  const sha256 = sha256File(target)
  const manifest = writeManifest(target, {
    format: 'spine-clinic-backup-manifest',
    version: 1,
    file: path.basename(target),
    kind,
    madeAt: now.toISOString(),
    bytes,
    sha256,
    schema,
    appVersion: appVersion(),
    database: databaseIdentity(database.target),
    audit,
  })
  fsyncDir(path.dirname(target))
  // The backup's head also goes to this computer's anchor file, which outlives the backup's rotation.
  const dir = opts.anchorDir === undefined ? anchorDirFor(database.target) : opts.anchorDir
  if (dir) {
    try {
      appendAnchor(dir, anchorLine('backup', database.target, audit, now, { workstation: hostname(), reason: path.basename(target) }))
    } catch (err) {
      // The backup and its manifest are sound; the anchor file is an extra record (verify says when one is missing).
      console.error(`[backup] could not write the audit anchor in ${dir}`, err)
    }
  }
  return { file: target, bytes, sha256, schema, at: now.toISOString(), kind, audit, manifest }
}

/** The administrator's backup folder: the setting, or `backups` next to the database. */
export async function backupFolderFor(database: AppDatabase): Promise<string> {
  const settings = await readSettings(database.db)
  const chosen = settings?.settings.backupFolder
  if (chosen) return chosen
  if (database.target.engine !== 'sqlite') throw new AppError('conflict', POSTGRES_MESSAGE)
  return defaultBackupFolder(database.target.file)
}

/** Writes an audit row outside the router (the command line, the scheduler, a restore). */
export async function auditSystem(database: AppDatabase, actor: AuditActor, now: Date, entry: AuditInput): Promise<void> {
  await withWriteTransaction(database, (trx) => appendAudit(trx, actor, now.toISOString(), entry))
}

export function backupAuditEntry(info: BackupInfo): AuditInput {
  return { action: 'backup.create', entity: 'backup', entityId: path.basename(info.file), details: { ...info } }
}

/** A backup into the backup folder under its standard name. The caller audits it. */
export async function backupToFolder(
  database: AppDatabase,
  kind: BackupKind,
  now: Date = new Date(),
  folder?: string,
  opts: { anchorDir?: string | null } = {},
): Promise<BackupInfo> {
  const dir = folder ?? (await backupFolderFor(database))
  // Two backups in the same millisecond (a double click) get distinct names a millisecond apart.
  let at = now
  while (existsSync(path.join(dir, backupFileName(at, kind)))) at = new Date(at.getTime() + 1)
  return createBackup(database, path.join(dir, backupFileName(at, kind)), kind, now, opts)
}

export interface FolderBackup {
  name: string
  file: string
  at: Date
  kind: BackupKind
  bytes: number
}

/** The backups in a folder (files with Spine Clinic's backup names), newest first. */
export function listBackups(folder: string): FolderBackup[] {
  if (!existsSync(folder)) return []
  const out: FolderBackup[] = []
  for (const name of readdirSync(folder)) {
    const parsed = parseBackupFileName(name)
    if (!parsed) continue
    const file = path.join(folder, name)
    out.push({ name, file, ...parsed, bytes: statSync(file).size })
  }
  return out.sort((a, b) => b.at.getTime() - a.at.getTime())
}

/** Removes the daily backups the rotation no longer keeps; returns their names. */
export function rotateBackups(folder: string, policy?: RotationPolicy, timeZone = 'UTC'): string[] {
  const daily = listBackups(folder).filter((b) => b.kind === 'daily')
  const doomed = backupsToDelete(daily, policy, timeZone)
  for (const b of doomed) {
    rmSync(b.file, { force: true })
    removeManifest(b.file)
  }
  return doomed.map((b) => b.name)
}

/**
 * Brings the schema up to date, first taking a backup when the database already holds data and
 * there is something to apply (SQLite only; a PostgreSQL server is backed up with its own tools).
 */
export async function migrateWithBackup(
  database: AppDatabase,
  opts: { actor: AuditActor; now?: Date; folder?: string; anchorDir?: string | null; workstationRoles?: string[] },
): Promise<{ applied: string[]; backup?: BackupInfo; granted?: string[] }> {
  const now = opts.now ?? new Date()
  await assertNotTooNew(database)
  const before = await appliedMigrations(database)
  const pending = Object.keys(MIGRATIONS).filter((n) => !before.includes(n))
  if (database.engine === 'postgres') return migratePostgres(database, pending.length, before.length, opts.workstationRoles ?? [])
  // (Kysely's migrator would create its tables IF NOT EXISTS, which a role without CREATE may not even try.)
  if (pending.length === 0) return { applied: [] }
  let backup: BackupInfo | undefined
  if (database.engine === 'sqlite' && before.length > 0 && pending.length > 0) {
    backup = await backupToFolder(database, 'pre-migrate', now, opts.folder, { anchorDir: opts.anchorDir })
    await auditSystem(database, opts.actor, now, { ...backupAuditEntry(backup), details: { ...backup, pending } })
  }
  const { applied } = await migrateToLatest(database)
  return { applied, ...(backup ? { backup } : {}) }
}

export interface RestoreResult {
  restoredFrom: string
  sha256: string
  /** Where the database that was replaced now lives (absent when there was none). */
  keptAsideAs?: string
  backupSchema: string
  /** Schema steps applied to the restored copy because the backup came from an older version. */
  migrated: string[]
  /** 'manifest': the file matched the manifest written when it was made; 'outside file': an administrator confirmed it. */
  accepted: 'manifest' | 'outside file'
}

/**
 * PostgreSQL: only the owner changes the schema (db/pgRoles.ts). A workstation connected as the workstation
 * role finds the schema behind and says so instead of trying; the owner migrates and then grants the
 * workstation roles what the new tables need.
 */
async function migratePostgres(database: AppDatabase, pending: number, applied: number, extraRoles: string[]): Promise<{ applied: string[]; granted?: string[] }> {
  const owner = await canChangeSchema(database.db)
  if (!owner) {
    if (extraRoles.length > 0) throw new Error('--workstation-role needs the database owner\'s connection (the role that may change the schema).')
    if (pending > 0) throw new SchemaBehindError(applied, applied + pending)
    return { applied: [] }
  }
  const result = pending > 0 ? await migrateToLatest(database) : { applied: [] }
  const roles = [...new Set([...extraRoles.map(checkRoleName), ...(await workstationRoles(database.db))])].sort()
  for (const role of roles) await grantWorkstation(database.db, role)
  return { ...result, ...(roles.length > 0 ? { granted: roles } : {}) }
}

/** What was checked of a file that has no matching manifest, for the administrator who is asked to confirm it. */
export interface OutsideFileFacts {
  /** Why it is an outside file: no manifest, or what differs from it. */
  reason: string
  /** One line per check that passed (integrity, version, audit chain). */
  checked: string[]
}

export class RestoreRefusedError extends Error {
  /** Set when the file is sound but not a backup with a matching manifest: it may be restored once confirmed. */
  readonly outsideFile?: OutsideFileFacts
  constructor(message: string, outsideFile?: OutsideFileFacts) {
    super(message)
    this.name = 'RestoreRefusedError'
    if (outsideFile) this.outsideFile = outsideFile
  }
}

function stamp(now: Date): string {
  return now.toISOString().replace(/:/g, '-').replace('.', '-')
}

/**
 * Everything a restore checks before it touches anything, without changing the file: a sound Spine Clinic
 * database not from a newer version, and the manifest written when it was made (its hash, size, schema and
 * audit head). A file without a matching manifest is refused, naming what was checked, unless `outsideFile`
 * (an administrator's explicit confirmation): then its audit log's hash chain must hold as well.
 */
export async function inspectBackupForRestore(from: string, opts: { outsideFile?: boolean } = {}): Promise<{ sha256: string; check: BackupCheck; manifest: ManifestMatch; facts?: OutsideFileFacts }> {
  const check = await checkBackupFile(from)
  if (check.tooNew) throw check.tooNew
  if (!check.ok) throw new RestoreRefusedError(`Nothing was changed: ${check.problems.join(' ')}`)
  const sha256 = sha256File(from)
  const schema = check.migrations.at(-1) ?? ''
  const manifest = matchManifest(from, { bytes: statSync(from).size, sha256, schema, audit: check.audit! })
  if (manifest.matches) return { sha256, check, manifest }
  const chain = await auditChainOfFile(from)
  if (chain.breaks.length > 0) {
    const first = chain.breaks[0]!
    throw new RestoreRefusedError(
      `Nothing was changed: ${path.basename(from)} ${manifest.reason}, and its audit log's hash chain is broken (${chain.breaks.length} break(s); row ${first.id} ${first.problem}). It cannot be restored.`,
    )
  }
  const facts: OutsideFileFacts = {
    reason: manifest.reason,
    checked: [
      'SQLite integrity_check: the file is sound',
      `schema version: ${schema || '(none)'}, not newer than this version of Spine Clinic`,
      `audit log: ${chain.rows} row(s), hash chain intact`,
    ],
  }
  if (!opts.outsideFile) {
    throw new RestoreRefusedError(
      `Nothing was changed: ${path.basename(from)} ${manifest.reason}. Only a backup that still matches the manifest written when it was made is restored as it is. ` +
        `If you know where this file comes from, confirm it as an outside file (checked: ${facts.checked.join('; ')}).`,
      facts,
    )
  }
  return { sha256, check, manifest, facts }
}

/**
 * Gives the live file a second name (a hard link; a copy where the file system has no links) before the new
 * file is renamed over its path: so there is no moment where the path holds no database. Another process (or
 * a window of this one) opening the path at any moment finds the old database or the new one, never nothing,
 * and so never first-run setup.
 */
function keepAside(file: string, keptAsideAs: string): void {
  try {
    linkSync(file, keptAsideAs)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EMLINK') throw err
    copyFileSync(file, keptAsideAs)
    fsyncFile(keptAsideAs)
  }
}

/**
 * Replaces the database file with a backup. The live database must be closed by this process (the
 * command line runs with the app closed; the admin screen will close its connection first): a file
 * still open elsewhere is refused. Checks the backup before touching anything (inspectBackupForRestore),
 * keeps the replaced database aside as `clinic.replaced-<time>.sqlite`, brings an older backup's schema up
 * to date, writes a `backup.restore` row to the restored database's audit log, and a `restore` line to this
 * computer's anchor file (the anchors before it describe the database that was replaced).
 */
export async function restoreDatabaseFile(opts: {
  file: string
  from: string
  actor: AuditActor
  now?: Date
  outsideFile?: boolean
  anchorDir?: string | null
}): Promise<RestoreResult> {
  const now = opts.now ?? new Date()
  const file = path.resolve(opts.file)
  const from = path.resolve(opts.from)
  if (file === from) throw new RestoreRefusedError('The backup is the live database itself; choose a backup file.')
  const { sha256, check, manifest, facts } = await inspectBackupForRestore(from, { outsideFile: opts.outsideFile })

  const ext = path.extname(file)
  const keptAsideAs = path.join(path.dirname(file), `${path.basename(file, ext)}.replaced-${stamp(now)}${ext}`)
  const hadFile = existsSync(file)
  if (hadFile && existsSync(keptAsideAs)) throw new RestoreRefusedError(`${keptAsideAs} already exists; try again in a moment. Nothing was changed.`)
  if (hadFile) {
    const live = new Database(file, sqliteOptions(false))
    try {
      live.pragma('busy_timeout = 2000')
      live.pragma('wal_checkpoint(TRUNCATE)')
      // Leaving WAL mode needs the only connection to the file; it also folds the -wal into the file.
      const mode = String(live.pragma('journal_mode = DELETE', { simple: true }))
      if (mode !== 'delete') {
        throw new RestoreRefusedError('The database is in use (is Spine Clinic open on this or another computer?). Close it everywhere and try again. Nothing was changed.')
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') {
        throw new RestoreRefusedError('The database is in use (is Spine Clinic open on this or another computer?). Close it everywhere and try again. Nothing was changed.')
      }
      throw err
    } finally {
      live.close()
    }
  }

  const incoming = `${file}.restoring-${randomBytes(4).toString('hex')}`
  let replaced = false
  try {
    mkdirSync(path.dirname(file), { recursive: true })
    copyFileSync(from, incoming)
    fsyncFile(incoming)
    if (hadFile) keepAside(file, keptAsideAs)
    // One rename: the path holds the old database until this instant and the new one from it.
    renameSync(incoming, file)
    replaced = true
    for (const side of ['-wal', '-shm']) rmSync(`${file}${side}`, { force: true })
    fsyncDir(path.dirname(file))
  } catch (err) {
    rmSync(incoming, { force: true })
    if (hadFile && replaced) renameSync(keptAsideAs, file)
    else if (hadFile) rmSync(keptAsideAs, { force: true }) // the live database never left its path
    throw err
  }

  const accepted: RestoreResult['accepted'] = manifest.matches ? 'manifest' : 'outside file'
  const database = openDatabase({ engine: 'sqlite', file })
  try {
    const { applied } = await migrateToLatest(database)
    await auditSystem(database, opts.actor, now, {
      action: 'backup.restore',
      entity: 'backup',
      entityId: path.basename(from),
      details: {
        from,
        sha256,
        keptAsideAs: hadFile ? keptAsideAs : null,
        backupSchema: check.migrations.at(-1) ?? '',
        migrated: applied,
        accepted,
        backupAudit: check.audit ?? null,
        ...(facts ? { outsideFile: facts } : {}),
      },
    })
    const head = await readAuditHead(database.db)
    await database.close()
    // From here on the anchors describe the restored log; those before this line, the one it replaced.
    const dir = opts.anchorDir === undefined ? anchorDirFor({ engine: 'sqlite', file }) : opts.anchorDir
    if (dir) {
      try {
        appendAnchor(dir, anchorLine('restore', { engine: 'sqlite', file }, head, now, { workstation: hostname(), reason: path.basename(from) }))
      } catch (err) {
        console.error(`[restore] could not write the audit anchor in ${dir}`, err)
      }
    }
    return { restoredFrom: from, sha256, ...(hadFile ? { keptAsideAs } : {}), backupSchema: check.migrations.at(-1) ?? '', migrated: applied, accepted }
  } catch (err) {
    // Bringing the restored copy up to date failed: put the database that was there back (in one rename).
    await database.close()
    for (const side of ['-wal', '-shm']) rmSync(`${file}${side}`, { force: true })
    if (hadFile) renameSync(keptAsideAs, file)
    throw err
  }
}

/** `backup.run`: a manual backup into the backup folder, from the administrator's screen. */
export async function runManualBackup(ctx: ServiceContext): Promise<BackupResult> {
  const info = await backupToFolder(ctx.database, 'manual', ctx.now())
  await ctx.audit(backupAuditEntry(info))
  return { file: info.file, bytes: info.bytes, sha256: info.sha256, at: info.at, schema: info.schema }
}

/** `backup.list`: where backups go, when, what the rotation keeps, and the backups there, newest first. */
export async function listFolderBackups(ctx: ServiceContext): Promise<BackupList> {
  const settings = (await readSettings(ctx.db))?.settings
  const common = { backupTime: settings?.backupTime ?? '', timeZone: settings?.timeZone ?? 'UTC', rotation: DEFAULT_ROTATION }
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
