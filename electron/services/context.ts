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
}

export function requireActor(ctx: ServiceContext): SessionUser {
  if (!ctx.actor) throw new Error('requireActor on a public channel')
  return ctx.actor
}

export const nowIso = (ctx: ServiceContext) => ctx.now().toISOString()
