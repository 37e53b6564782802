/**
 * The manifest written beside every backup (`<backup>.manifest.json`) when it is made: what the file is (its
 * SHA-256 and size), what it holds (its schema step and its audit log's head) and who made it (the database,
 * the app's version). A restore takes a file only when it still matches its manifest, so a file swapped
 * into the backup folder, or a backup edited afterwards, is refused unless an administrator confirms it as
 * an outside file. `verify` also uses every manifest as an anchor of the live log (auditAnchors.ts): the
 * backup's head must still be in the log, unchanged.
 */
import type Database from 'better-sqlite3'
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { version as APP_VERSION } from '../../package.json'
import { GENESIS_HASH, type AuditHead } from './audit'
import type { Evidence } from './auditAnchors'

export const MANIFEST_SUFFIX = '.manifest.json'

export const BackupManifest = z.object({
  format: z.literal('spine-clinic-backup-manifest'),
  version: z.literal(1),
  /** The backup's file name (the manifest sits beside it). */
  file: z.string(),
  kind: z.string(),
  madeAt: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The newest schema step in the backup. */
  schema: z.string(),
  appVersion: z.string(),
  /** The database it was made from (auditAnchors.databaseIdentity). */
  database: z.string(),
  audit: z.object({ count: z.number().int().nonnegative(), headId: z.number().int().nonnegative(), headHash: z.string().regex(/^[0-9a-f]{64}$/) }),
})
export type BackupManifest = z.infer<typeof BackupManifest>

export function manifestPathFor(backupFile: string): string {
  return `${backupFile}${MANIFEST_SUFFIX}`
}

export function appVersion(): string {
  return APP_VERSION
}

/** The audit head of an open SQLite file (a backup copy), read the way readAuditHead reads a live one. */
export function auditHeadOfHandle(handle: Database.Database): AuditHead {
  const row = handle.prepare('SELECT (SELECT count(*) FROM audit_log) AS n, id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { n: number; id: number; hash: string } | undefined
  return row ? { count: Number(row.n), headId: row.id, headHash: row.hash } : { count: 0, headId: 0, headHash: GENESIS_HASH }
}

/** Written under a temporary name, flushed and renamed: a crash never leaves half a manifest. Owner-only. */
export function writeManifest(backupFile: string, manifest: BackupManifest): string {
  const target = manifestPathFor(backupFile)
  const partial = `${target}.partial`
  const fd = openSync(partial, 'w', 0o600)
  try {
    writeSync(fd, `${JSON.stringify(BackupManifest.parse(manifest), null, 2)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(partial, target)
  return target
}

export type ManifestRead = { status: 'missing' } | { status: 'unreadable'; problem: string } | { status: 'ok'; manifest: BackupManifest }

export function readManifest(backupFile: string): ManifestRead {
  const file = manifestPathFor(backupFile)
  if (!existsSync(file)) return { status: 'missing' }
  try {
    const parsed = BackupManifest.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    if (!parsed.success) return { status: 'unreadable', problem: `its manifest (${path.basename(file)}) is not one Spine Clinic wrote` }
    return { status: 'ok', manifest: parsed.data }
  } catch {
    return { status: 'unreadable', problem: `its manifest (${path.basename(file)}) is not readable JSON` }
  }
}

/** What a backup file is now, to hold against its manifest. */
export interface BackupFacts {
  bytes: number
  sha256: string
  schema: string
  audit: AuditHead
}

export type ManifestMatch = { matches: true; manifest: BackupManifest } | { matches: false; reason: string; manifest?: BackupManifest }

/** Does the file still match the manifest written when it was made? The reason names what differs. */
export function matchManifest(backupFile: string, facts: BackupFacts): ManifestMatch {
  const read = readManifest(backupFile)
  if (read.status === 'missing') return { matches: false, reason: 'has no manifest: it was not made by Spine Clinic\'s backup (or was made by a version from before manifests)' }
  if (read.status === 'unreadable') return { matches: false, reason: read.problem }
  const m = read.manifest
  const differs: string[] = []
  if (m.file !== path.basename(backupFile)) differs.push(`the manifest is for ${m.file}`)
  if (m.bytes !== facts.bytes) differs.push(`its size is ${facts.bytes} bytes, the manifest says ${m.bytes}`)
  if (m.sha256 !== facts.sha256) differs.push('its SHA-256 differs from the manifest\'s')
  if (m.schema !== facts.schema) differs.push(`its schema step is ${facts.schema}, the manifest says ${m.schema}`)
  if (m.audit.count !== facts.audit.count || m.audit.headId !== facts.audit.headId || m.audit.headHash !== facts.audit.headHash) {
    differs.push(`its audit log ends at row ${facts.audit.headId} (${facts.audit.count} rows), the manifest recorded row ${m.audit.headId} (${m.audit.count} rows) with another hash`)
  }
  if (differs.length > 0) return { matches: false, reason: `does not match the manifest written when it was made (${differs.join('; ')})`, manifest: m }
  return { matches: true, manifest: m }
}

/** Removes a backup's manifest with it (the rotation). */
export function removeManifest(backupFile: string): void {
  rmSync(manifestPathFor(backupFile), { force: true })
}

/** The manifests in a folder that were made from this database, as evidence of its log's head. */
export function manifestEvidence(folder: string, identity: string): Evidence[] {
  if (!existsSync(folder)) return []
  const out: Evidence[] = []
  for (const name of readdirSync(folder)) {
    if (!name.endsWith(MANIFEST_SUFFIX)) continue
    const read = readManifest(path.join(folder, name.slice(0, -MANIFEST_SUFFIX.length)))
    if (read.status !== 'ok' || read.manifest.database !== identity) continue
    const m = read.manifest
    out.push({ label: `the manifest of backup ${m.file} (made ${m.madeAt})`, at: m.madeAt, count: m.audit.count, headId: m.audit.headId, headHash: m.audit.headHash })
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}
