/**
 * What the Electron adapter asks of the clinic besides routing a window's calls: locking windows when the
 * operating system says the person has gone (or a window's page crashed), and the facts the About box shows.
 * Here rather than in main.ts because it needs the router and the database, which live in the core bundle.
 */
import { hostname } from 'node:os'
import { LATEST_MIGRATION } from '../migrations'
import type { ClinicApp } from './app'
import { describeDbTarget } from './db/connectionSettings'
import { appliedMigrations } from './db/migrate'
import { withWriteTransaction } from './db/tx'
import type { Router } from './rpc'
import { appendAudit } from './services/audit'
import type { WindowSession } from './sessions'

/**
 * Locks these windows' sessions, as the Lock button does (the session stays; its user unlocks with their
 * password; a draft's autosave fired as the screen gives way is still accepted for a moment), and audits each
 * lock with its reason ('screen-locked', 'sleep', 'user-switched', 'page-crashed', 'user').
 * Windows with no session or already locked are left alone. Returns the user ids of the sessions it locked.
 * The caller tells the windows (a sessionChanged event), so their screens show the lock at once.
 */
export async function lockWindows(
  router: Router,
  windowIds: readonly string[],
  reason: string,
  opts: { now?: () => Date; workstation?: string; log?: (message: string, err?: unknown) => void } = {},
): Promise<number[]> {
  const now = opts.now ?? (() => new Date())
  // Every window is locked before anything is written: a database that does not answer must not leave one open.
  const sessions = windowIds.map((id) => router.sessions.get(id)).filter((s): s is WindowSession => s !== undefined && !s.locked)
  for (const session of sessions) {
    session.locked = true
    session.lockedAt = now().getTime()
  }
  for (const session of sessions) {
    const user = session.user
    const actor = { userId: user.id, username: user.username, workstation: opts.workstation ?? hostname() }
    try {
      await withWriteTransaction(router.database(), (trx) =>
        appendAudit(trx, actor, now().toISOString(), { action: 'session.lock', entity: 'user', entityId: user.id, details: { reason } }),
      )
    } catch (err) {
      opts.log?.(`the lock of user ${user.id}'s window (${reason}) could not be audited`, err)
    }
  }
  return sessions.map((s) => s.user.id)
}

/** The database facts the About box shows: which database (never its password) and its schema step. */
export async function aboutDatabase(clinic: ClinicApp): Promise<{ database: string; engine: 'sqlite' | 'postgres'; schemaVersion: string | null; latestSchemaVersion: string }> {
  const database = clinic.database
  const applied = await appliedMigrations(database)
  return { database: describeDbTarget(database.target), engine: database.engine, schemaVersion: applied.at(-1) ?? null, latestSchemaVersion: LATEST_MIGRATION }
}
