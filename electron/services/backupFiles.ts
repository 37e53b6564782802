/**
 * Backup files of the clinic's SQLite database: making one, checking one, naming, listing and rotating them.
 *
 * A backup is taken online with SQLite's backup API (through better-sqlite3), so the app keeps working
 * while it runs and the copy is one consistent moment. It is written under a temporary name, switched to
 * a self-contained single file (no -wal), checked with integrity_check, flushed to disk and only then
 * renamed to its final name: a crash mid-backup never leaves a half file that looks like a backup.
 *
 * PostgreSQL clinics back up with the server's tools (pg_dump); these functions refuse them clearly.
 */
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { AppError } from '../../shared/result'
import { sqliteLibraryOptions, type AppDatabase } from '../db/connect'
import { appliedMigrations, assertNotTooNew, DatabaseTooNewError } from '../db/migrate'
import type { DB } from '../db/types'
import { defaultBackupFolder } from '../paths'
import { walkAuditChain, type AuditHead, type AuditInput } from './audit'
import { anchorDirFor, anchorLine, appendAnchor, databaseIdentity } from './auditAnchors'
import { appVersion, auditHeadOfHandle, removeManifest, writeManifest } from './backupManifest'
import { backupFileName, backupsToDelete, parseBackupFileName, type BackupKind, type RotationPolicy } from './backupRotation'
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

export const POSTGRES_MESSAGE =
  'This clinic uses a PostgreSQL server: back it up and restore it with the server\'s tools (pg_dump and pg_restore). ' +
  'Backups made by Spine Clinic are for a clinic kept in a SQLite file.'

export function sqliteOptions(readonly: boolean): Database.Options {
  return { ...sqliteLibraryOptions(), ...(readonly ? { readonly: true, fileMustExist: true } : { fileMustExist: true }) }
}

export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Makes a rename durable; directories cannot be opened for that on Windows, where NTFS journals it anyway. */
export function fsyncDir(dir: string): void {
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
