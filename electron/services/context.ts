import type { AppDatabase } from '../db/connect'
import type { ConnectionHost } from '../db/connectionSettings'
import type { Tx } from '../db/tx'
import type { SessionStore } from '../sessions'
import type { SessionUser } from '../../shared/schemas/session'
import type { AuditInput } from './audit'

/** What every service call receives from the router. */
export interface ServiceContext {
  /** The open write transaction for a mutating call, the database otherwise. */
  db: Tx
  database: AppDatabase
  sessions: SessionStore
  windowId: string
  workstation: string
  /** The signed-in user; null only on public channels. */
  actor: SessionUser | null
  now(): Date
  /** Records an audit row in the same transaction as the change (or right after a read). */
  audit(entry: AuditInput): Promise<void>
  /** This workstation's choice of database (the Database screen); absent in processes that cannot change it. */
  connection?: ConnectionHost
  /**
   * Exclusive channels only: closes the database (and what else uses it), runs `work` on the closed file,
   * then opens the file again, whatever it holds now, and serves every later call from it. No other call
   * runs meanwhile. When `work` succeeds, every window's session ends (everyone signs in again).
   */
  replaceDatabase?: <T>(work: () => Promise<T>) => Promise<T>
  /**
   * Channels that hash or check a password (`hashesPassword`): the router opens no transaction around them
   * (`db` is the database); the service hashes first, then runs its writes here, in one short write transaction
   * whose context writes its audit rows into it. Absent where the caller already holds a transaction (the admin
   * command line).
   */
  write?: <T>(work: (ctx: ServiceContext) => Promise<T>) => Promise<T>
  /** The system's folder dialog over the caller's window (the desktop app only); resolves to null when cancelled. */
  chooseFolder?: (opts: FolderDialogOptions) => Promise<string | null>
}

export interface FolderDialogOptions {
  title: string
  defaultPath?: string
}

/** Runs `work` in the router's short write transaction (`ctx.write`), or in the caller's own where it has one. */
export function inWrite<T>(ctx: ServiceContext, work: (ctx: ServiceContext) => Promise<T>): Promise<T> {
  return ctx.write ? ctx.write(work) : work(ctx)
}

export function requireActor(ctx: ServiceContext): SessionUser {
  if (!ctx.actor) throw new Error('requireActor on a public channel')
  return ctx.actor
}

export const nowIso = (ctx: ServiceContext) => ctx.now().toISOString()
