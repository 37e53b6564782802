/**
 * The running app's watch over its audit log (openClinicApp starts one per database):
 *
 * - at start, before each scheduled backup and after a restore it checks the chain's tail: the newest anchors
 *   of this computer's anchor file must still be in the log with their hashes and position, and the rows
 *   written since the newest one must link and match their hashes (bounded: at most `maxTailRows` rows, so a
 *   start stays quick on a twenty-year log; `admin verify` walks all of it);
 * - it writes a checkpoint (one cheap statement for the head, one appended line) every few minutes while the
 *   log grows, and at shutdown;
 * - a failed check is kept (for the administrator's banner and Backups screen: `backup.auditCheck`), written
 *   to the audit log (`audit.verifyFailed`), and stops the checkpoints, so that the anchors which disagree
 *   stay the newest ones in the file and the next start finds the same failure instead of blessing the
 *   altered log. It stays until the database is replaced (a restore) or the anchor file is dealt with.
 */
import { hostname } from 'node:os'
import type { AppDatabase, DbTarget } from '../db/connect'
import { readAuditHead, walkAuditChain, type AuditActor } from './audit'
import {
  anchorFileFor,
  anchorLine,
  appendAnchor,
  compareEvidence,
  currentLineage,
  databaseIdentity,
  evidenceOfLine,
  lookUpAnchoredRows,
  readAnchorFile,
  rewrittenBetween,
} from './auditAnchors'
import { auditSystem } from './systemAudit'
import type { ServiceContext } from './context'

export interface AuditCheckStatus {
  state: 'ok' | 'failed' | 'notChecked'
  /** When the last check ran, and why (start, backup, restore). */
  checkedAt: string | null
  reason: string | null
  summary: string
  problems: string[]
  anchorFile: string | null
}

export interface AuditWatch {
  /** Checks the tail of the chain against the anchors now; keeps and returns the outcome. */
  check(reason: 'start' | 'backup' | 'restore'): Promise<AuditCheckStatus>
  /** Appends a checkpoint when the log has grown since the last one (never while a check has failed). */
  checkpoint(reason: string): Promise<void>
  status(): AuditCheckStatus
  /** Follows the database after a restore replaced it. */
  attach(database: AppDatabase): void
  start(): void
  /** Stops the timer and writes a last checkpoint. */
  stop(): Promise<void>
  readonly dir: string
}

const NOT_CHECKED: AuditCheckStatus = { state: 'notChecked', checkedAt: null, reason: null, summary: 'The audit log has not been checked against its anchors yet.', problems: [], anchorFile: null }

/** The watch of each database this process has open (the channel that shows the outcome finds it here). */
const watches = new Map<string, AuditWatch>()

export function auditWatchFor(target: DbTarget): AuditWatch | undefined {
  return watches.get(databaseIdentity(target))
}

export function createAuditWatch(options: {
  database: AppDatabase
  dir: string
  workstation?: string
  now?: () => Date
  /** How often to write a checkpoint while the log grows; five minutes by default. */
  intervalMs?: number
  /** How many of the newest anchors the tail check compares (each is one indexed lookup). */
  recentAnchors?: number
  /** The most rows the tail check walks. */
  maxTailRows?: number
  log?: (message: string, err?: unknown) => void
}): AuditWatch {
  let database = options.database
  const dir = options.dir
  const workstation = options.workstation ?? hostname()
  const now = options.now ?? (() => new Date())
  const log = options.log ?? ((m, e) => console.error(`[audit] ${m}`, e ?? ''))
  const actor: AuditActor = { userId: null, username: 'audit-check', workstation }
  let current: AuditCheckStatus = { ...NOT_CHECKED }
  let lastWrittenId = -1
  let lastAuditedFailure = ''
  let timer: NodeJS.Timeout | undefined
  // Checks and checkpoints take turns: a checkpoint must not land between a check's reads.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  async function runCheck(reason: 'start' | 'backup' | 'restore'): Promise<AuditCheckStatus> {
    const identity = databaseIdentity(database.target)
    const file = anchorFileFor(dir, identity)
    const at = now().toISOString()
    try {
      const read = readAnchorFile(file, identity)
      const recent = currentLineage(read.lines)
        .slice(-(options.recentAnchors ?? 20))
        .map((l) => evidenceOfLine(file, l))
      const problems = [...read.damaged]
      const found = await lookUpAnchoredRows(database.db, recent)
      const mismatches = compareEvidence(recent, found)
      problems.push(...mismatches.map((p) => p.problem))
      const between = rewrittenBetween(recent, mismatches, found.watched)
      if (between) problems.push(between)
      if (!read.exists) problems.push(...(await missingAnchorFile(file)))

      // The rows written since the newest anchor that still matches (or the newest maxTailRows rows).
      const newest = recent.at(-1)
      let from = newest && found.watched.get(newest.headId)?.hash === newest.headHash ? { id: newest.headId, hash: newest.headHash, position: newest.count } : undefined
      const bound = await database.db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).offset(options.maxTailRows ?? 100_000).executeTakeFirst()
      if (bound && (!from || bound.id > from.id)) from = { id: bound.id, hash: bound.hash, position: 0 }
      const walk = await walkAuditChain(database.db, from ? { from } : {})
      problems.push(...walk.breaks.map((b) => `audit_log row ${b.id} ${b.problem}`))

      if (problems.length === 0) {
        current = {
          state: 'ok',
          checkedAt: at,
          reason,
          summary: recent.length > 0
            ? `The audit log matches the ${recent.length} newest anchor(s) on this computer (the newest from ${newest!.at}), and the ${walk.rows} row(s) written since link and match their hashes.`
            : `No anchors for this database on this computer yet; the newest ${walk.rows} row(s) of the audit log link and match their hashes.`,
          problems: [],
          anchorFile: file,
        }
        return current
      }
      current = {
        state: 'failed',
        checkedAt: at,
        reason,
        summary: `The audit log does not match what was recorded of it: it was changed outside Spine Clinic (${problems.length} problem(s)). Run "verify" for the whole log, and keep the backups.`,
        problems,
        anchorFile: file,
      }
      log(`the audit log check failed (${reason}): ${problems.join(' | ')}`)
      const key = problems.join('\n')
      if (key !== lastAuditedFailure) {
        lastAuditedFailure = key
        try {
          await auditSystem(database, actor, now(), { action: 'audit.verifyFailed', entity: 'audit_log', details: { reason, anchorFile: file, problems: problems.slice(0, 20) } })
        } catch (err) {
          log('could not record the failed audit check', err)
        }
      }
      return current
    } catch (err) {
      log('the audit log could not be checked', err)
      current = { state: 'notChecked', checkedAt: at, reason, summary: `The audit log could not be checked: ${err instanceof Error ? err.message : String(err)}`, problems: [], anchorFile: file }
      return current
    }
  }

  /**
   * This computer recorded in the log that it writes an anchor file (audit.anchorFile), but the file is gone:
   * that is evidence removed, not a computer that never had any.
   */
  async function missingAnchorFile(file: string): Promise<string[]> {
    const rows = await database.db.selectFrom('audit_log').select(['id', 'at', 'workstation', 'details']).where('action', '=', 'audit.anchorFile').execute()
    const mine = rows.find((r) => r.workstation === workstation && safeFile(r.details) === file)
    return mine ? [`the anchor file ${file}, which this computer has written since ${mine.at} (audit row ${mine.id}), is missing`] : []
  }

  /** Writes the audit row that says where this computer anchors this database, once per file. */
  async function recordAnchorFile(file: string): Promise<void> {
    const rows = await database.db.selectFrom('audit_log').select(['workstation', 'details']).where('action', '=', 'audit.anchorFile').execute()
    if (rows.some((r) => r.workstation === workstation && safeFile(r.details) === file)) return
    await auditSystem(database, actor, now(), { action: 'audit.anchorFile', entity: 'audit_log', details: { file, workstation } })
  }

  async function runCheckpoint(reason: string): Promise<void> {
    if (current.state === 'failed') return
    const head = await readAuditHead(database.db)
    if (head.count === 0 || head.headId === lastWrittenId) return
    const { file, created } = appendAnchor(dir, anchorLine('checkpoint', database.target, head, now(), { workstation, reason }))
    lastWrittenId = head.headId
    if (created || reason === 'start') await recordAnchorFile(file)
  }

  const watch: AuditWatch = {
    dir,
    check: (reason) => serial(() => runCheck(reason)),
    checkpoint: (reason) =>
      serial(() => runCheckpoint(reason)).catch((err) => {
        log('could not write an audit checkpoint', err)
      }),
    status: () => ({ ...current, problems: [...current.problems] }),
    attach(next) {
      watches.delete(databaseIdentity(database.target))
      database = next
      current = { ...NOT_CHECKED }
      lastWrittenId = -1
      lastAuditedFailure = ''
      watches.set(databaseIdentity(database.target), watch)
    },
    start() {
      clearInterval(timer)
      timer = setInterval(() => void watch.checkpoint('periodic'), options.intervalMs ?? 5 * 60_000)
      timer.unref?.()
    },
    async stop() {
      clearInterval(timer)
      timer = undefined
      await watch.checkpoint('shutdown')
    },
  }
  watches.set(databaseIdentity(database.target), watch)
  return watch
}

/** Forgets the watch (the app closed its database). */
export function forgetAuditWatch(watch: AuditWatch, target: DbTarget): void {
  if (watches.get(databaseIdentity(target)) === watch) watches.delete(databaseIdentity(target))
}

function safeFile(details: string): string | null {
  try {
    const d = JSON.parse(details) as { file?: unknown }
    return typeof d.file === 'string' ? d.file : null
  } catch {
    return null
  }
}

/** `backup.auditCheck`: the outcome of the app's latest check, for the administrator's banner. */
export function auditCheckStatus(ctx: ServiceContext): AuditCheckStatus {
  const watch = auditWatchFor(ctx.database.target)
  if (!watch) return { ...NOT_CHECKED, summary: 'This process does not check the audit log against anchors (it was not started as the app).' }
  return watch.status()
}
