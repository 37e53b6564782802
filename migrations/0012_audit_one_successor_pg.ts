import { sql } from 'kysely'
import type { Migration } from './helpers'

/**
 * PostgreSQL: a row of the audit log may follow only one row. Until now every row was appended inside a
 * SERIALIZABLE transaction, which kept the chain one line; a read's row (a record opened) is now appended in a
 * single statement outside one (services/audit.ts, appendAuditAlone: one round trip instead of four), and this
 * index is what refuses the second of two workstations appending onto the same head at once. Rows already there
 * are left out of it: a log someone has tampered with must still open (and `verify` names the rows), not stop the
 * upgrade. SQLite: nothing (one writer at a time, the chain is read and appended under its write lock).
 */
export const m0012_audit_one_successor_pg: Migration = {
  async up(db, engine) {
    if (engine !== 'postgres') return
    const last = await sql<{ id: number | null }>`SELECT max(id) AS id FROM audit_log`.execute(db)
    const after = Math.trunc(Number(last.rows[0]?.id ?? 0))
    await sql.raw(`CREATE UNIQUE INDEX audit_log_one_successor ON audit_log (prev_hash) WHERE id > ${after}`).execute(db)
  },
}
