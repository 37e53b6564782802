/** The service context of a command-line change: no window, no signed-in user, audited as "admin-cli". */
import type { AppDatabase } from '../db/connect'
import type { Tx } from '../db/tx'
import { appendAudit } from '../services/audit'
import type { ServiceContext } from '../services/context'
import { SessionStore } from '../sessions'
import { cliActor } from './common'

export function cliServiceContext(database: AppDatabase, trx: Tx, at: Date): ServiceContext {
  const actor = cliActor()
  return {
    db: trx,
    database,
    sessions: new SessionStore(),
    windowId: 'admin-cli',
    workstation: actor.workstation,
    actor: null,
    now: () => at,
    audit: (entry) => appendAudit(trx, actor, at.toISOString(), entry),
  }
}
