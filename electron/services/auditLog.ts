import type { z } from 'zod'
import type { AuditEntry, AuditQuery } from '../../shared/schemas/audit'
import type { ServiceContext } from './context'

/** Newest first, filtered; `beforeId` pages backwards through a long log. */
export async function listAudit(ctx: ServiceContext, input: z.output<typeof AuditQuery>): Promise<AuditEntry[]> {
  let q = ctx.db.selectFrom('audit_log').select(['id', 'at', 'user_id', 'username', 'workstation', 'action', 'entity', 'entity_id', 'patient_id', 'details'])
  if (input.userId) q = q.where('user_id', '=', input.userId)
  if (input.patientId) q = q.where('patient_id', '=', input.patientId)
  if (input.action) q = q.where('action', '=', input.action)
  if (input.from) q = q.where('at', '>=', `${input.from}T00:00:00.000Z`)
  if (input.to) q = q.where('at', '<', `${input.to}T23:59:59.999Z`)
  if (input.beforeId) q = q.where('id', '<', input.beforeId)
  const rows = await q.orderBy('id', 'desc').limit(input.limit).execute()
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    workstation: r.workstation,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    patientId: r.patient_id,
    details: r.details,
  }))
}
