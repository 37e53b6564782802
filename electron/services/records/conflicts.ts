/**
 * Who changed a record since it was read: the detail a stale-version `conflict` carries (shared/conflicts.ts),
 * read from the row's own updated_by / updated_at, and the sentence that names them.
 */
import type { StaleVersionDetail } from '../../../shared/conflicts'
import type { Tx } from '../../db/tx'
import { clinicDateTimeText } from '../clinicTime'

export async function staleDetail(db: Tx, by: number | null, at: string | null, current?: unknown): Promise<StaleVersionDetail> {
  const user = by === null ? undefined : await db.selectFrom('users').select('display_name').where('id', '=', by).executeTakeFirst()
  return { changedBy: user?.display_name ?? null, changedAt: at, ...(current === undefined ? {} : { current }) }
}

/** "Dr Ana Ruiz changed this clinical history (2026-12-06 10:04 EST) since you opened it." */
export async function staleSentence(db: Tx, noun: string, d: StaleVersionDetail): Promise<string> {
  const who = d.changedBy ?? 'Someone else'
  const when = d.changedAt ? ` (${await clinicDateTimeText(db, d.changedAt)})` : ''
  return `${who} changed ${noun}${when} since you opened it.`
}

/** For a table without updated_by (users): the last audit row of that change to that record says who. */
export async function staleDetailFromAudit(db: Tx, where: { action: string; entity: string; entityId: number }, fallbackAt: string, current?: unknown): Promise<StaleVersionDetail> {
  const row = await db
    .selectFrom('audit_log')
    .select(['user_id', 'at'])
    .where('action', '=', where.action)
    .where('entity', '=', where.entity)
    .where('entity_id', '=', String(where.entityId))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return staleDetail(db, row?.user_id ?? null, row?.at ?? fallbackAt, current)
}
