/**
 * "Nothing changed" means nothing changed: a digest of every table's content, to take before and after a
 * call that was refused. Row counts are not enough: a partial UPDATE (one column of one row written before
 * the call failed) leaves every count equal.
 *
 * Each table's rows are turned into canonical text (SQLite: the values as JSON, BLOBs as hex; PostgreSQL:
 * `to_jsonb(row)`), sorted, and hashed, so the digest does not depend on the order the engine returns rows in.
 * The audit log is the one table a refused call may add to (an `access.denied` row, a wrong password): its
 * digest covers the rows up to a bound (`auditThrough`, the last id of the digest taken before the call), and
 * `auditRowsAfter` counts the rows after it. Its rows up to the bound are digested by their count and the
 * last one's id and hash, not row by row: the database's triggers refuse any UPDATE or DELETE of the log (so
 * a service cannot change an old row without failing loudly), the chain makes the last hash depend on every
 * row before it, and the suites digest thousands of times over a log that keeps growing.
 */
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { AppDatabase } from '../../electron/db/connect'
import { allExportsSettled } from '../../electron/services/outcomes/exportJobs'

export interface DatabaseDigest {
  /** Per table, a hash of its content. */
  tables: Record<string, string>
  /** The audit log's last row when the digest was taken (the bound for the digest after the call). */
  auditMaxId: number
}

export interface DigestOptions {
  /** Digest the audit log's rows up to this id only (rows a refused call may add come after it). */
  auditThrough?: number
  /**
   * Per table, columns to leave out of a second digest of it, kept beside the full one under the key
   * `table without col1, col2` (a refused sign-in keeps the account's wrong-password count on purpose:
   * compare that table without those columns, and every other table in full).
   */
  alsoWithout?: Record<string, readonly string[]>
}

export const withoutKey = (table: string, columns: readonly string[]) => `${table} without ${columns.join(', ')}`

const tableNames = new WeakMap<AppDatabase, Promise<string[]>>()

function namesOf(database: AppDatabase): Promise<string[]> {
  let names = tableNames.get(database)
  if (!names) {
    // looked up once per database (PostgreSQL's catalogue is slow to ask and the suites digest thousands of times)
    names = database.db.introspection.getTables().then((ts) => ts.filter((t) => !t.isView).map((t) => t.name).sort())
    tableNames.set(database, names)
  }
  return names
}

/** The audit log up to a row: how many rows, and the last one's id and hash (see above for why not every row). */
const AUDIT_HEAD = (through: number) =>
  `SELECT (SELECT count(*) FROM audit_log WHERE id <= ${Math.trunc(through)}) AS n, id, hash FROM audit_log WHERE id <= ${Math.trunc(through)} ORDER BY id DESC LIMIT 1`

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`

/** A table read for the digest: the audit log's head, its patient index up to the same row, any other whole. */
function digestSource(name: string, through: number): string {
  if (name === 'audit_log') return AUDIT_HEAD(through)
  if (name === 'audit_patients') return `SELECT * FROM audit_patients WHERE audit_id <= ${Math.trunc(through)}`
  return `SELECT * FROM ${quote(name)}`
}

function canonical(value: unknown): unknown {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `x'${Buffer.from(value).toString('hex')}'`
  if (typeof value === 'bigint') return value.toString()
  return value
}

function hashLines(lines: string[]): string {
  lines.sort()
  const h = createHash('sha256')
  for (const l of lines) h.update(l).update('\n')
  return h.digest('hex')
}

export async function databaseDigest(database: AppDatabase, opts: DigestOptions = {}): Promise<DatabaseDigest> {
  // Exports started from a screen finish in the background; digest once they have.
  await allExportsSettled()
  const names = await namesOf(database)
  const maxRow = await database.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst()
  const auditMaxId = Number(maxRow?.m ?? 0)
  const through = opts.auditThrough ?? auditMaxId
  const tables: Record<string, string> = {}
  if (database.sqlite) {
    const handle = database.sqlite
    for (const name of names) {
      const rows = handle.prepare(digestSource(name, through)).all() as Record<string, unknown>[]
      const digestOf = (ignore: ReadonlySet<string>) => hashLines(rows.map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !ignore.has(k)).map(([k, v]) => [k, canonical(v)]))))
      tables[name] = digestOf(new Set())
      const without = opts.alsoWithout?.[name]
      if (without) tables[withoutKey(name, without)] = digestOf(new Set(without))
    }
    return { tables, auditMaxId }
  }
  // PostgreSQL: every table in one statement (one round trip); each row as jsonb text, which is canonical.
  const keyed: [string, string][] = []
  for (const name of names) {
    const from = `(${digestSource(name, through)})`
    const digestOf = (ignore: readonly string[]) => {
      const row = `(to_jsonb(t)${ignore.map((c) => ` - '${c.replace(/'/g, "''")}'`).join('')})::text`
      return `(SELECT md5(coalesce(string_agg(${row}, chr(10) ORDER BY ${row}), '')) FROM ${from} t)`
    }
    keyed.push([name, digestOf([])])
    const without = opts.alsoWithout?.[name]
    if (without) keyed.push([withoutKey(name, without), digestOf(without)])
  }
  const row = (await sql.raw<Record<string, string>>(`SELECT ${keyed.map(([, q], i) => `${q} AS d${i}`).join(', ')}`).execute(database.db)).rows[0]!
  keyed.forEach(([key], i) => (tables[key] = row[`d${i}`]!))
  return { tables, auditMaxId }
}

/** How many audit rows were written after the digest `before` was taken. */
export async function auditRowsAfter(database: AppDatabase, before: DatabaseDigest): Promise<number> {
  const r = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number | string>().as('n')).where('id', '>', before.auditMaxId).executeTakeFirstOrThrow()
  return Number(r.n)
}

/**
 * The tables whose content differs between two digests (for a failure message that says where): [] when
 * nothing changed. Take `after` with `auditThrough: before.auditMaxId`.
 */
export function changedTables(before: DatabaseDigest, after: DatabaseDigest, opts: { except?: readonly string[] } = {}): string[] {
  const except = new Set(opts.except ?? [])
  const names = new Set([...Object.keys(before.tables), ...Object.keys(after.tables)])
  return [...names].filter((n) => !except.has(n) && before.tables[n] !== after.tables[n]).sort()
}
