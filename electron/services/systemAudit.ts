import { withWriteTransaction } from '../db/tx'
import type { AppDatabase } from '../db/connect'
import { appendAudit, type AuditActor, type AuditInput } from './audit'

/** Writes an audit row outside the router (the command line, the scheduler, a restore). */
export async function auditSystem(database: AppDatabase, actor: AuditActor, now: Date, entry: AuditInput): Promise<void> {
  await withWriteTransaction(database, (trx) => appendAudit(trx, actor, now.toISOString(), entry))
}
