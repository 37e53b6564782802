import { createHash } from 'node:crypto'
import type { Tx } from '../db/tx'
import type { NewAuditRow } from '../db/types'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditInput {
  action: string
  entity?: string
  entityId?: string | number
  patientId?: number
  details?: Record<string, unknown>
}

export interface AuditActor {
  userId: number | null
  username: string | null
  workstation: string
}

type HashedFields = Omit<NewAuditRow, 'id' | 'hash'>

/** The hash covers every column of the row and the previous row's hash, so an edit or a removed row breaks the chain. */
export function auditRowHash(row: HashedFields): string {
  const canonical = JSON.stringify([
    row.prev_hash,
    row.at,
    row.user_id ?? null,
    row.username ?? null,
    row.workstation,
    row.action,
    row.entity ?? null,
    row.entity_id ?? null,
    row.patient_id ?? null,
    row.details,
  ])
  return createHash('sha256').update(canonical).digest('hex')
}

/** Appends one row; must run inside the write transaction of the change it records. */
export async function appendAudit(trx: Tx, actor: AuditActor, at: string, input: AuditInput): Promise<void> {
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const row: HashedFields = {
    at,
    user_id: actor.userId,
    username: actor.username,
    workstation: actor.workstation,
    action: input.action,
    entity: input.entity ?? null,
    entity_id: input.entityId === undefined ? null : String(input.entityId),
    patient_id: input.patientId ?? null,
    details: JSON.stringify(input.details ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  }
  await trx.insertInto('audit_log').values({ ...row, hash: auditRowHash(row) }).execute()
}

export interface ChainBreak {
  id: number
  problem: string
}

/** Walks the whole log in id order and names every row whose hash or link does not hold. */
export async function verifyAuditChain(db: Tx): Promise<{ rows: number; breaks: ChainBreak[] }> {
  const breaks: ChainBreak[] = []
  let prev = GENESIS_HASH
  let rows = 0
  let afterId = 0
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(5000).execute()
    if (page.length === 0) break
    for (const row of page) {
      rows++
      if (row.prev_hash !== prev) breaks.push({ id: row.id, problem: 'does not link to the row before it (a row was removed or inserted)' })
      if (auditRowHash(row) !== row.hash) breaks.push({ id: row.id, problem: 'content does not match its hash (the row was edited)' })
      prev = row.hash
      afterId = row.id
    }
  }
  return { rows, breaks }
}
