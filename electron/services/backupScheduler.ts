/**
 * The daily backup, for the main process to start: `startBackupScheduler({ database })`.
 *
 * Every minute (and shortly after start) it asks: has a daily backup been made since the last time one
 * was due (the clinic's `backupTime`, in the clinic's time zone)? If not, it makes one, rotates the folder
 * (7 daily, 4 weekly, 12 monthly) and audits both. A computer that was off at backup time therefore
 * catches up when the app next starts. A failure is audited and retried after `retryMs`.
 *
 * Before each backup it runs `beforeBackup` (the app's check of the audit log's tail against its anchors,
 * auditWatch.ts). The backup is made either way (a copy of an altered database is evidence too), but when the
 * check fails the rotation removes nothing: the older backups may be the only copies from before the change.
 */
import { hostname } from 'node:os'
import type { AppDatabase } from '../db/connect'
import type { AuditActor } from './audit'
import { backupAuditEntry, backupFolderFor, backupToFolder, listBackups, rotateBackups } from './backupFiles'
import { lastDueInstant, type RotationPolicy } from './backupRotation'
import { readSettings } from './settings'
import { auditSystem } from './systemAudit'

export interface SchedulerOptions {
  database: AppDatabase
  workstation?: string
  now?: () => Date
  /** How often to look; a minute by default. */
  intervalMs?: number
  /** First look after start (lets the app finish starting first). */
  firstCheckMs?: number
  /** Wait after a failed backup before trying again. */
  retryMs?: number
  /** What the rotation keeps; the clinic's setting (`backupRotation`) when absent. */
  policy?: RotationPolicy
  log?: (message: string, err?: unknown) => void
  /** Checks the audit log before each backup; a failure keeps every backup (no rotation). */
  beforeBackup?: () => Promise<{ ok: boolean; summary: string }>
}

export type TickOutcome =
  | { status: 'not-applicable'; reason: string }
  | { status: 'up-to-date'; lastBackup: string }
  | { status: 'backed-up'; file: string; removed: string[]; auditCheckFailed?: string }
  | { status: 'failed'; error: string }
  | { status: 'waiting'; until: string }

export interface BackupScheduler {
  /** Runs one check now (the timer calls this; tests and "back up now if due" may too). */
  tick(): Promise<TickOutcome>
  /** Starts the timer (startBackupScheduler does this). */
  start(): void
  /** Stops the timer and waits for a backup in progress to finish (then the database may close). */
  stop(): Promise<void>
}

export function createBackupScheduler(options: SchedulerOptions): BackupScheduler {
  const { database } = options
  const now = options.now ?? (() => new Date())
  const actor: AuditActor = { userId: null, username: 'backup-scheduler', workstation: options.workstation ?? hostname() }
  const retryMs = options.retryMs ?? 30 * 60_000
  const log = options.log ?? ((m, e) => console.error(`[backup] ${m}`, e ?? ''))
  let running: Promise<TickOutcome> | null = null
  let retryAfter = 0
  let timer: NodeJS.Timeout | undefined
  let first: NodeJS.Timeout | undefined

  async function check(): Promise<TickOutcome> {
    if (database.engine !== 'sqlite') return { status: 'not-applicable', reason: 'PostgreSQL is backed up with the server\'s tools' }
    const settings = await readSettings(database.db)
    if (!settings) return { status: 'not-applicable', reason: 'the clinic is not set up yet' }
    const at = now()
    if (at.getTime() < retryAfter) return { status: 'waiting', until: new Date(retryAfter).toISOString() }
    const { backupTime, timeZone } = settings.settings
    const due = lastDueInstant(at, backupTime, timeZone)
    try {
      const folder = await backupFolderFor(database)
      const last = listBackups(folder).find((b) => b.kind === 'daily')
      if (last && last.at.getTime() >= due.getTime()) return { status: 'up-to-date', lastBackup: last.at.toISOString() }
      const evidence = options.beforeBackup
        ? await options.beforeBackup().catch((err: unknown) => ({ ok: true, summary: `the audit log could not be checked: ${err instanceof Error ? err.message : String(err)}` }))
        : { ok: true, summary: '' }
      const info = await backupToFolder(database, 'daily', at, folder)
      await auditSystem(database, actor, at, backupAuditEntry(info))
      if (!evidence.ok) {
        await auditSystem(database, actor, at, { action: 'backup.rotateSkipped', entity: 'backup', details: { folder, reason: evidence.summary } })
        retryAfter = 0
        return { status: 'backed-up', file: info.file, removed: [], auditCheckFailed: evidence.summary }
      }
      const removed = rotateBackups(folder, options.policy ?? settings.settings.backupRotation, timeZone)
      if (removed.length > 0) await auditSystem(database, actor, at, { action: 'backup.rotate', entity: 'backup', details: { folder, removed } })
      retryAfter = 0
      return { status: 'backed-up', file: info.file, removed }
    } catch (err) {
      retryAfter = at.getTime() + retryMs
      const error = err instanceof Error ? err.message : String(err)
      log('daily backup failed', err)
      try {
        await auditSystem(database, actor, at, { action: 'backup.failed', entity: 'backup', details: { error, retryAt: new Date(retryAfter).toISOString() } })
      } catch (auditErr) {
        log('could not audit the failed backup', auditErr)
      }
      return { status: 'failed', error }
    }
  }

  function tick(): Promise<TickOutcome> {
    // Never two backups at once, whether from the timer or a caller.
    running ??= check().finally(() => {
      running = null
    })
    return running
  }

  return {
    tick,
    async stop() {
      clearTimeout(first)
      clearInterval(timer)
      await running?.catch(() => undefined)
    },
    start() {
      const loop = () => void tick().catch((e) => log('backup check failed', e))
      first = setTimeout(loop, options.firstCheckMs ?? 30_000)
      timer = setInterval(loop, options.intervalMs ?? 60_000)
      first.unref?.()
      timer.unref?.()
    },
  }
}

/** Starts the daily backup (main process, after migrating); call `stop()` before closing the database. */
export function startBackupScheduler(options: SchedulerOptions): BackupScheduler {
  const scheduler = createBackupScheduler(options)
  scheduler.start()
  return scheduler
}
