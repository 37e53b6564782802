/**
 * The audit log's anchors: its head (how many rows, the last row's id and hash) written down outside the
 * database, so that a log which was trimmed, or rewritten and re-hashed, no longer passes `verify`.
 *
 * The hash chain (audit.ts) proves that no row was changed, removed or inserted *between* rows, but the chain
 * lives in the same database as the rows: someone who can write to the database (the file's owner with the
 * triggers dropped, a PostgreSQL user with the owner's password) can delete the newest rows, or rewrite a row
 * and re-hash every later one, and the chain is intact again. What they cannot reach so easily is a record
 * kept elsewhere:
 *
 * - an anchor file on each computer that runs the app (`paths.anchorDir()`: beside, never inside, the app's own
 *   database folder), one per database, appended to (never rewritten) with one JSON line per checkpoint:
 *   periodically while the log grows, at shutdown, after every backup and restore. Created 0600, each line
 *   flushed to disk;
 * - the manifest written beside every backup (backupManifest.ts), which records the backup's audit head.
 *
 * `verify` then checks that the row each anchor names still exists, still has that hash and still stands at
 * that position. What this cannot catch: rows written after the newest anchor and removed before the next one
 * (at most one checkpoint interval's worth), and a tamperer who can also edit every anchor file and manifest.
 *
 * A restore legitimately takes the log back in time (to the backup's head). It appends a `restore` line: the
 * anchors before it describe the database that was replaced, and are no longer compared with this one.
 */
import { createHash } from 'node:crypto'
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import type { DbTarget } from '../db/connect'
import { anchorDir } from '../paths'
import type { Tx } from '../db/tx'
import type { AuditHead, ChainPosition } from './audit'

/**
 * Which database an anchor belongs to: the SQLite file's full path, or the PostgreSQL server and database
 * (never the user name or password). A database moved to another path starts a new set of anchors.
 */
export function databaseIdentity(target: DbTarget): string {
  if (target.engine === 'sqlite') return `sqlite:${path.resolve(target.file)}`
  try {
    const u = new URL(target.url)
    const host = u.hostname || u.searchParams.get('host') || 'localhost'
    return `postgres://${host}:${u.port || '5432'}${u.pathname || '/'}`
  } catch {
    return 'postgres:(unreadable address)'
  }
}

export const ANCHOR_KINDS = ['checkpoint', 'backup', 'restore'] as const

export const AnchorLine = z.object({
  v: z.literal(1),
  kind: z.enum(ANCHOR_KINDS),
  at: z.string(),
  database: z.string(),
  count: z.number().int().nonnegative(),
  headId: z.number().int().nonnegative(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  workstation: z.string().optional(),
  /** Why it was written: start, periodic, shutdown; the backup or restored file's name. */
  reason: z.string().optional(),
})
export type AnchorLine = z.infer<typeof AnchorLine>

/** One file per database in the folder, so each file is only ever read for its own database. */
export function anchorFileFor(dir: string, identity: string): string {
  return path.join(dir, `audit-anchors-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}.jsonl`)
}

export function anchorLine(kind: AnchorLine['kind'], target: DbTarget, head: AuditHead, at: Date, extra: { workstation?: string; reason?: string } = {}): AnchorLine {
  return { v: 1, kind, at: at.toISOString(), database: databaseIdentity(target), count: head.count, headId: head.headId, headHash: head.headHash, ...extra }
}

/**
 * Appends one line (opened for appending only, created 0600 in a 0700 folder, flushed to disk before it
 * returns). A line left unfinished by a crash is closed off first, so the new line stays readable.
 * Returns the file and whether this call created it.
 */
export function appendAnchor(dir: string, line: AnchorLine): { file: string; created: boolean } {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const file = anchorFileFor(dir, line.database)
  const created = !existsSync(file)
  const fd = openSync(file, 'a+', 0o600)
  try {
    const size = fstatSync(fd).size
    let text = `${JSON.stringify(AnchorLine.parse(line))}\n`
    if (size > 0) {
      const last = Buffer.alloc(1)
      readSync(fd, last, 0, 1, size - 1)
      if (last[0] !== 0x0a) text = `\n${text}`
    }
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return { file, created }
}

export interface AnchorFile {
  file: string
  exists: boolean
  /** This database's lines, in the order written, with their line numbers. */
  lines: (AnchorLine & { line: number })[]
  /** Lines that are not anchors (the file was edited by hand), as problems to report. */
  damaged: string[]
}

/** Reads a database's anchor file. A last line cut short by a crash is not counted as damage. */
export function readAnchorFile(file: string, identity: string): AnchorFile {
  if (!existsSync(file)) return { file, exists: false, lines: [], damaged: [] }
  const text = readFileSync(file, 'utf8')
  const raw = text.split('\n')
  const lines: AnchorFile['lines'] = []
  const damaged: string[] = []
  raw.forEach((t, i) => {
    if (t.trim() === '') return
    const cutShort = i === raw.length - 1 // no newline after it: a write that did not finish
    let parsed: ReturnType<typeof AnchorLine.safeParse> | undefined
    try {
      parsed = AnchorLine.safeParse(JSON.parse(t))
    } catch {
      parsed = undefined
    }
    if (!parsed?.success) {
      if (!cutShort) damaged.push(`line ${i + 1} of ${file} is not an anchor (the file was edited by hand)`)
      return
    }
    if (parsed.data.database === identity) lines.push({ ...parsed.data, line: i + 1 })
  })
  return { file, exists: true, lines, damaged }
}

/** The lines that describe the database as it is now: those from the last restore on (a restore replaced it). */
export function currentLineage<T extends { kind: AnchorLine['kind'] }>(lines: T[]): T[] {
  let i = lines.length - 1
  while (i >= 0 && lines[i]!.kind !== 'restore') i--
  return i < 0 ? lines : lines.slice(i)
}

/** One recorded head, whatever recorded it (an anchor line, a backup's manifest), to compare with the log. */
export interface Evidence {
  /** How an administrator finds it: "the anchor written at … (file, line N)". */
  label: string
  at: string
  count: number
  headId: number
  headHash: string
}

export function evidenceOfLine(file: string, l: AnchorLine & { line: number }): Evidence {
  const what = l.kind === 'backup' ? `the anchor written with a backup at ${l.at}` : l.kind === 'restore' ? `the anchor written by the restore at ${l.at}` : `the anchor written at ${l.at}`
  return { label: `${what} (${path.basename(file)} line ${l.line})`, at: l.at, count: l.count, headId: l.headId, headHash: l.headHash }
}

export interface EvidenceProblem {
  evidence: Evidence
  /** The row the problem is about (the anchor's last row). */
  rowId: number
  problem: string
}

/**
 * Compares each piece of evidence with the log as a walk found it (`watched`: position and hash of each
 * anchored row that still exists; `rows`: how many rows the log has; `lastId`: its last row).
 */
export function compareEvidence(evidence: Evidence[], found: { rows: number; lastId: number; watched: Map<number, ChainPosition> }): EvidenceProblem[] {
  const problems: EvidenceProblem[] = []
  for (const e of evidence) {
    if (e.count === 0) continue // recorded an empty log: nothing to find
    const row = found.watched.get(e.headId)
    let problem: string | null = null
    if (!row) {
      if (e.headId > found.lastId && found.rows < e.count) {
        problem = `the audit log has ${found.rows} rows but ${e.label} recorded ${e.count} rows (rows ${found.rows + 1}..${e.count} are missing; the last row it recorded, id ${e.headId}, is gone)`
      } else {
        problem = `row ${e.headId}, the last row ${e.label} recorded (row ${e.count} of the log then), is missing: rows were removed`
      }
    } else if (row.hash !== e.headHash) {
      problem = `row ${e.headId}'s hash differs from ${e.label}: the log was rewritten at or before row ${e.headId} (and the rows after it re-hashed)`
    } else if (row.position !== e.count) {
      problem = `${e.label} recorded ${e.count} rows up to row ${e.headId}; the log now has ${row.position}: rows before it were removed or inserted`
    }
    if (problem) problems.push({ evidence: e, rowId: e.headId, problem })
  }
  return problems
}

/**
 * Where a rewrite happened, as closely as the evidence says: after the newest anchored row that still
 * matches and at or before the oldest one that does not. Null when nothing was rewritten.
 */
export function rewrittenBetween(evidence: Evidence[], problems: EvidenceProblem[], watched: Map<number, ChainPosition>): string | null {
  const rewritten = problems.filter((p) => /hash differs/.test(p.problem)).map((p) => p.rowId)
  if (rewritten.length === 0) return null
  const firstBad = Math.min(...rewritten)
  const good = evidence.filter((e) => e.headId < firstBad && watched.get(e.headId)?.hash === e.headHash).map((e) => e.headId)
  const after = good.length > 0 ? Math.max(...good) : 0
  return after > 0 ? `the rewritten row is after row ${after} (which still matches its anchor) and at or before row ${firstBad}` : `the rewritten row is at or before row ${firstBad}`
}

/**
 * The anchored rows of `evidence` as they are now, found with one statement (the tail check at start does
 * not walk the whole log): their hash, and for the newest one, its position.
 */
export async function lookUpAnchoredRows(db: Tx, evidence: Evidence[]): Promise<{ rows: number; lastId: number; watched: Map<number, ChainPosition> }> {
  const ids = [...new Set(evidence.map((e) => e.headId).filter((id) => id > 0))]
  const newest = evidence.reduce<Evidence | undefined>((a, e) => (!a || e.headId > a.headId ? e : a), undefined)
  const head = await db
    .selectFrom('audit_log')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('id').as('last')])
    .executeTakeFirstOrThrow()
  const watched = new Map<number, ChainPosition>()
  if (ids.length > 0) {
    const found = await db.selectFrom('audit_log').select(['id', 'hash']).where('id', 'in', ids).execute()
    let newestPosition = 0
    if (newest && found.some((r) => r.id === newest.headId)) {
      const r = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n')).where('id', '<=', newest.headId).executeTakeFirstOrThrow()
      newestPosition = Number(r.n)
    }
    for (const r of found) {
      // Positions are counted for the newest anchor only (one count); the others are checked by their hash,
      // which changes when anything before them is rewritten, removed or inserted and re-hashed.
      const e = evidence.find((x) => x.headId === r.id)!
      watched.set(r.id, { hash: r.hash, position: r.id === newest?.headId ? newestPosition : e.count })
    }
  }
  return { rows: Number(head.n), lastId: Number(head.last ?? 0), watched }
}

/** The folder each open database anchors to in this process (openClinicApp registers it; the default otherwise). */
const anchorDirs = new Map<string, string>()

export function registerAnchorDir(target: DbTarget, dir: string): () => void {
  const id = databaseIdentity(target)
  anchorDirs.set(id, dir)
  return () => {
    if (anchorDirs.get(id) === dir) anchorDirs.delete(id)
  }
}

/** Where a backup or restore of this database writes its anchor line: the app's folder, else this computer's default. */
export function anchorDirFor(target: DbTarget, env: NodeJS.ProcessEnv = process.env): string {
  return anchorDirs.get(databaseIdentity(target)) ?? anchorDir(env)
}
