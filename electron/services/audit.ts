import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { APPEND_TURNS } from '../db/postgresEngine'
import { ONE_SUCCESSOR, type Tx } from '../db/tx'
import type { DB, NewAuditRow } from '../db/types'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditInput {
  action: string
  entity?: string
  entityId?: string | number
  patientId?: number
  /**
   * Every patient the row concerns when there are several (a search's hits, a bulk export's patients): kept in
   * the row's details as `patientIds` (so the chain covers them), from which the database indexes them in
   * audit_patients for the viewer's patient filter (migration 0015).
   */
  patientIds?: readonly number[]
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

function auditRow(actor: AuditActor, at: string, input: AuditInput, prevHash: string): HashedFields {
  return {
    at,
    user_id: actor.userId,
    username: actor.username,
    workstation: actor.workstation,
    action: input.action,
    entity: input.entity ?? null,
    entity_id: input.entityId === undefined ? null : String(input.entityId),
    patient_id: input.patientId ?? null,
    details: JSON.stringify(input.patientIds ? { ...input.details, patientIds: [...new Set(input.patientIds)].sort((a, b) => a - b) } : (input.details ?? {})),
    prev_hash: prevHash,
  }
}

/** Appends one row; must run inside the write transaction of the change it records. */
export async function appendAudit(trx: Tx, actor: AuditActor, at: string, input: AuditInput): Promise<void> {
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst()
  const row = auditRow(actor, at, input, last?.hash ?? GENESIS_HASH)
  await trx.insertInto('audit_log').values({ ...row, hash: auditRowHash(row) }).execute()
}

/** The chain's head as each PostgreSQL database was last seen by this process (a guess: the append checks it). */
const lastHead = new WeakMap<object, string>()


/**
 * PostgreSQL, for a row that records no change of its own (a record opened, an access refused): appended in one
 * statement, outside a transaction, instead of four round trips (begin, read the head, insert, commit). The row
 * is hashed onto the head this process last saw, and inserted only if that is still the head; if another
 * workstation has appended since, the statement inserts nothing and returns the head, and the row is hashed
 * again onto it. Two workstations appending onto the same head at once cannot both succeed: the unique index
 * ONE_SUCCESSOR refuses the second, which tries again on the new head. After two failed guesses (a burst from
 * several workstations) the appenders take turns under an advisory lock, so that none starves. (A change's own
 * row is still appended inside its SERIALIZABLE transaction, by appendAudit; withWriteTransaction retries it
 * when this refusal reaches it.) So the chain stays one line in id order, as verifyAuditChain walks it.
 */
export async function appendAuditAlone(db: Kysely<DB>, actor: AuditActor, at: string, input: AuditInput): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt <= 2) {
        if (await appendOnGuess(db, db, actor, at, input)) return
        continue
      }
      await db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${APPEND_TURNS})`.execute(trx)
        // holding the turn, only a change's own row (appended in its transaction) can still move the head
        for (let moved = 0; !(await appendOnGuess(db, trx, actor, at, input)); moved++) {
          if (moved >= 50) throw new Error('The audit log is being appended to too fast to add a row; try again.')
        }
      })
      return
    } catch (err) {
      if ((err as { constraint?: string }).constraint !== ONE_SUCCESSOR || attempt >= 20) throw err
      lastHead.delete(db) // another workstation appended onto the same head first: read the head again
    }
  }
}

/** One try: inserts the row onto the guessed head if it still is the head; else learns the head. */
async function appendOnGuess(db: Kysely<DB>, tx: Tx, actor: AuditActor, at: string, input: AuditInput): Promise<boolean> {
  const prev = lastHead.get(db) ?? GENESIS_HASH
  const row = auditRow(actor, at, input, prev)
  const hash = auditRowHash(row)
  // The turn lock shared: a change that has lost the head twice holds it exclusively until it commits
  // (db/postgresEngine.ts), and reads' rows then wait for it instead of taking the head from it again and again.
  const r = await sql<{ head: string; inserted: number }>`
    WITH turn AS (SELECT pg_advisory_xact_lock_shared(${APPEND_TURNS}::bigint) AS t),
    head AS (SELECT coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ${GENESIS_HASH}) AS hash FROM turn),
    ins AS (
      INSERT INTO audit_log (at, user_id, username, workstation, action, entity, entity_id, patient_id, details, prev_hash, hash)
      SELECT ${row.at}, ${row.user_id}::integer, ${row.username}, ${row.workstation}, ${row.action}, ${row.entity}, ${row.entity_id},
             ${row.patient_id}::integer, ${row.details}, ${prev}, ${hash}
      FROM head WHERE head.hash = ${prev}
      RETURNING id)
    SELECT (SELECT hash FROM head) AS head, (SELECT count(*) FROM ins) AS inserted`.execute(tx)
  const { head, inserted } = r.rows[0]!
  const done = Number(inserted) === 1
  lastHead.set(db, done ? hash : head)
  return done
}

export interface ChainBreak {
  id: number
  problem: string
}

/** Where a row stood in the chain when the walk passed it (for the anchors: see auditAnchors.ts). */
export interface ChainPosition {
  /** 1 for the first row of the log: the number of rows up to and including this one. */
  position: number
  hash: string
}

export interface ChainWalk {
  rows: number
  breaks: ChainBreak[]
  /** The last row walked (0 when the log is empty). */
  lastId: number
  lastHash: string
  /** The rows asked for in `watch` that exist, with their position and hash. */
  watched: Map<number, ChainPosition>
}

/**
 * Walks the log in id order and names every row whose hash or link does not hold. With `from`, the walk
 * starts after that row (its id, its hash as recorded elsewhere, and its position) instead of at the
 * beginning: the tail check at start walks only what was written since the last anchor. `watch` collects
 * the position and hash of the given row ids on the way, so that one walk checks every anchor.
 */
export async function walkAuditChain(
  db: Tx,
  opts: { from?: { id: number; hash: string; position: number }; watch?: Iterable<number> } = {},
): Promise<ChainWalk> {
  const breaks: ChainBreak[] = []
  const watch = new Set(opts.watch ?? [])
  const watched = new Map<number, ChainPosition>()
  let prev = opts.from?.hash ?? GENESIS_HASH
  let position = opts.from?.position ?? 0
  let rows = 0
  let afterId = opts.from?.id ?? 0
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').limit(5000).execute()
    if (page.length === 0) break
    for (const row of page) {
      rows++
      position++
      if (row.prev_hash !== prev) breaks.push({ id: row.id, problem: 'does not link to the row before it (a row was removed or inserted)' })
      if (auditRowHash(row) !== row.hash) breaks.push({ id: row.id, problem: 'content does not match its hash (the row was edited)' })
      if (watch.has(row.id)) watched.set(row.id, { position, hash: row.hash })
      prev = row.hash
      afterId = row.id
    }
  }
  return { rows, breaks, lastId: afterId, lastHash: prev, watched }
}

/** Walks the whole log in id order and names every row whose hash or link does not hold. */
export async function verifyAuditChain(db: Tx): Promise<{ rows: number; breaks: ChainBreak[] }> {
  const { rows, breaks } = await walkAuditChain(db)
  return { rows, breaks }
}

/** The log's head: how many rows, and the last one's id and hash (0 and the genesis hash when empty). */
export interface AuditHead {
  count: number
  headId: number
  headHash: string
}

/** One statement, so a checkpoint costs a single round trip (and count and head are one moment). */
export async function readAuditHead(db: Tx): Promise<AuditHead> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => [eb.selectFrom('audit_log').select(eb.fn.countAll<number | string>().as('n')).as('n'), 'id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return { count: 0, headId: 0, headHash: GENESIS_HASH }
  return { count: Number(row.n), headId: row.id, headHash: row.hash }
}
