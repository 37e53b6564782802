/**
 * PostgreSQL least privilege. The clinic's IT person creates two roles (README, "Several workstations"):
 * - the owner, which owns the database and its schema and is used only by the administrator's `migrate`
 *   (and `migrate-to-postgres`); it is the only role that can change the schema, drop a trigger or TRUNCATE;
 * - the workstation role, which the app on every workstation connects as: it reads and writes the clinical
 *   tables but may only SELECT and INSERT the evidence (the audit log, signatures, addenda, entered-in-error
 *   rows, signed discharge PDFs), and has no DDL and no TRUNCATE. A workstation, or someone who reads its
 *   saved password, then cannot trim the audit log (TRUNCATE fires no row trigger) or drop the triggers that
 *   keep signed records unchangeable.
 * The grants are (re)applied by `migrate` after every schema change, to the roles named with
 * `--workstation-role` and to every role that already holds the workstation grants (so a table added by a
 * later version reaches the workstations without anyone remembering the role's name).
 */
import { sql, type Kysely } from 'kysely'

/** Rows that are written once and never changed or removed (their triggers say so too). */
export const APPEND_ONLY_TABLES = ['audit_log', 'audit_patients', 'signatures', 'addenda', 'entered_in_error', 'discharge_pdfs'] as const

/** A role name as PostgreSQL writes it unquoted: what IT people type; anything else is refused, not quoted. */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

export function checkRoleName(role: string): string {
  if (!ROLE_NAME.test(role)) throw new Error(`--workstation-role must be a PostgreSQL role name of lower-case letters, digits and _ (not "${role}").`)
  return role
}

/** The roles that hold the workstation grants today (INSERT on the audit log, without owning it). */
export async function workstationRoles(db: Kysely<any>): Promise<string[]> {
  const r = await sql<{ grantee: string }>`
    SELECT DISTINCT grantee FROM information_schema.role_table_grants
    WHERE table_schema = current_schema() AND table_name = 'audit_log' AND privilege_type = 'INSERT'
      AND grantee <> current_user AND grantee <> 'PUBLIC'
      AND grantee NOT IN (SELECT rolname FROM pg_roles WHERE rolsuper)`.execute(db)
  return r.rows.map((x) => x.grantee).sort()
}

/** Grants `role` what a workstation needs on every table and sequence of the schema, and nothing more. */
export async function grantWorkstation(db: Kysely<any>, role: string): Promise<void> {
  const name = sql.id(checkRoleName(role))
  const tables = await sql<{ tablename: string }>`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`.execute(db)
  await sql`GRANT USAGE ON SCHEMA public TO ${name}`.execute(db)
  for (const { tablename } of tables.rows) {
    const table = sql.id(tablename)
    await sql`REVOKE ALL ON ${table} FROM ${name}`.execute(db)
    if ((APPEND_ONLY_TABLES as readonly string[]).includes(tablename) || tablename.startsWith('kysely_migration')) {
      // the migration tables: read (a workstation checks the schema's version), never written
      const rights = tablename.startsWith('kysely_migration') ? sql`SELECT` : sql`SELECT, INSERT`
      await sql`GRANT ${rights} ON ${table} TO ${name}`.execute(db)
    } else {
      await sql`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO ${name}`.execute(db)
    }
  }
  await sql`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${name}`.execute(db)
}

/** Whether the connected role may change the schema (the owner's, not a workstation's). */
export async function canChangeSchema(db: Kysely<any>): Promise<boolean> {
  const r = await sql<{ ok: boolean }>`SELECT has_schema_privilege(current_user, current_schema(), 'CREATE') AS ok`.execute(db)
  return r.rows[0]?.ok === true
}

export class SchemaBehindError extends Error {
  constructor(applied: number, needed: number) {
    super(
      `The clinic's database is at schema step ${applied}; this version of Spine Clinic needs step ${needed}. ` +
        `This workstation's database user may not change the schema (by design): ask your IT person to run ` +
        `"Spine Clinic" --admin migrate --db-url postgres://OWNER@SERVER/DATABASE as the database's owner, then start again.`,
    )
    this.name = 'SchemaBehindError'
  }
}
