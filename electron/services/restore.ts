/**
 * Restoring the clinic's SQLite database from a backup file: everything is checked before anything changes,
 * the replaced database is kept aside, and the path never holds no database (see restoreDatabaseFile).
 */
import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, linkSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { openDatabase } from '../db/connect'
import { migrateToLatest } from '../db/migrate'
import { readAuditHead, type AuditActor } from './audit'
import { anchorDirFor, anchorLine, appendAnchor } from './auditAnchors'
import { auditChainOfFile, checkBackupFile, fsyncDir, fsyncFile, sha256File, sqliteOptions, type BackupCheck } from './backupFiles'
import { matchManifest, type ManifestMatch } from './backupManifest'
import { auditSystem } from './systemAudit'

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
