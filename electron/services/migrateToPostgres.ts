/**
 * Moves a single-workstation SQLite clinic into an empty PostgreSQL database: the same schema is
 * created by the migrations, then every row is copied in foreign-key order in one transaction, the id
 * sequences are moved past the copied ids, and the copy is checked (row counts, audit chain).
 */
import { sql } from 'kysely'
import type { AppDatabase } from '../db/connect'
import { appliedMigrations, isUpToDate, migrateToLatest } from '../db/migrate'
import { appendAudit, verifyAuditChain, type AuditActor } from './audit'

export class MigrationRefused extends Error {}

// audit_patients is filled by PostgreSQL's own trigger as the audit rows are copied (migration 0015)
const SKIP = /^(sqlite_|kysely_migration|patients_fts|audit_patients$)/
const LOCKS = ['signatures', 'addenda', 'entered_in_error']

/** The source's tables, parents before children, from SQLite's own foreign-key list. */
export function tablesInDependencyOrder(source: AppDatabase): string[] {
  const raw = source.sqlite!
  const names = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[])
    .map((r) => r.name)
    .filter((n) => !SKIP.test(n))
  const parents = new Map(names.map((n) => [n, (raw.prepare(`SELECT "table" FROM pragma_foreign_key_list(?)`).all(n) as { table: string }[]).map((r) => r.table)]))
  const ordered: string[] = []
  const visit = (n: string, path: Set<string>) => {
    if (ordered.includes(n) || path.has(n)) return
    path.add(n)
    for (const p of parents.get(n) ?? []) if (p !== n && names.includes(p)) visit(p, path)
    ordered.push(n)
  }
  for (const n of names) visit(n, new Set())
  // Signatures and entered-in-error marks lock their records (PostgreSQL's triggers refuse a procedure level
  // added to a locked note), so they are copied after every record they may lock.
  return [...ordered.filter((n) => !LOCKS.includes(n)), ...ordered.filter((n) => LOCKS.includes(n))]
}

export interface MigrationReport {
  tables: { table: string; rows: number }[]
  auditRows: number
  /** Why VACUUM ANALYZE after the copy failed (the copy itself stands), or null. */
  vacuumFailed: string | null
}

export async function migrateSqliteToPostgres(source: AppDatabase, target: AppDatabase, actor: AuditActor, now: Date): Promise<MigrationReport> {
  if (source.engine !== 'sqlite' || target.engine !== 'postgres') throw new MigrationRefused('The source must be a SQLite file and the target a PostgreSQL database.')
  if (!(await isUpToDate(source))) throw new MigrationRefused('The SQLite database is not at the current schema: run "npm run admin -- migrate --db FILE" first (it takes a backup).')
  const sourceChain = await verifyAuditChain(source.db)
  if (sourceChain.breaks.length > 0) throw new MigrationRefused(`The SQLite database's audit chain is broken at row ${sourceChain.breaks[0]!.id}; run "verify" and resolve that first.`)

  if ((await appliedMigrations(target)).length > 0) {
    const users = await target.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    const patients = await target.db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    if (Number(users?.n ?? 0) > 0 || Number(patients?.n ?? 0) > 0) {
      throw new MigrationRefused('The PostgreSQL database already holds a clinic (users or patients). Give an empty database; nothing was copied.')
    }
  }
  await migrateToLatest(target)

  const tables = tablesInDependencyOrder(source)
  const report: MigrationReport = { tables: [], auditRows: 0, vacuumFailed: null }
  await target.db.transaction().execute(async (trx) => {
    // The fresh schema holds seeded defaults (rooms, appointment types, hours); the source's own replace them.
    for (const t of [...tables].reverse()) await sql`DELETE FROM ${sql.table(t)}`.execute(trx)
    for (const t of tables) {
      const stmt = source.sqlite!.prepare(`SELECT * FROM "${t}" ORDER BY rowid`)
      let batch: Record<string, unknown>[] = []
      let batchBytes = 0
      let rows = 0
      const flush = async () => {
        if (batch.length === 0) return
        await (trx as any).insertInto(t).values(batch).execute()
        rows += batch.length
        batch = []
        batchBytes = 0
      }
      for (const row of stmt.iterate() as Iterable<Record<string, unknown>>) {
        batch.push(row)
        // Stored files (the blobs table) are up to the size limit each: 500 of them would not fit in memory.
        for (const v of Object.values(row)) if (Buffer.isBuffer(v)) batchBytes += v.byteLength
        if (batch.length === 500 || batchBytes >= 32 * 1024 * 1024) await flush()
      }
      await flush()
      report.tables.push({ table: t, rows })
      const idColumn = (source.sqlite!.prepare(`SELECT pk FROM pragma_table_info(?) WHERE name = 'id'`).get(t) as { pk: number } | undefined)?.pk === 1
      const seq = idColumn ? (await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${t}, 'id') AS seq`.execute(trx)).rows[0]?.seq : null
      if (seq) await sql`SELECT setval(${seq}, GREATEST((SELECT COALESCE(MAX(id), 0) FROM ${sql.table(t)}), 1))`.execute(trx)
    }
    for (const { table, rows } of report.tables) {
      const r = await sql<{ n: number }>`SELECT COUNT(*)::int AS n FROM ${sql.table(table)}`.execute(trx)
      if (Number(r.rows[0]!.n) !== rows) throw new Error(`Copy check failed for ${table}: ${rows} rows read, ${r.rows[0]!.n} in PostgreSQL.`)
    }
    const chain = await verifyAuditChain(trx)
    if (chain.breaks.length > 0 || chain.rows !== sourceChain.rows) throw new Error('The copied audit chain does not verify; nothing was kept.')
    report.auditRows = chain.rows
    await appendAudit(trx, actor, now.toISOString(), { action: 'database.migrateToPostgres', details: { tables: report.tables, auditRows: chain.rows } })
  })
  // A bulk load leaves PostgreSQL without statistics (so without good plans) and every row unvacuumed (so no
  // index-only reads, and autovacuum working through the tables while the clinic starts using them): both now.
  await sql`VACUUM ANALYZE`.execute(target.db).catch((err: Error) => (report.vacuumFailed = err.message))
  return report
}
