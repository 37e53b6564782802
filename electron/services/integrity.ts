/**
 * `verify`: is the database sound, and was anything changed behind the app's back?
 *
 * - SQLite's own integrity_check and foreign_key_check (not applicable to PostgreSQL),
 * - the schema history (a database written by a newer version is reported; pending steps are noted),
 * - the audit log's hash chain (verifyAuditChain names every edited, removed or inserted row),
 * - every signed record checker (signedRecordCheckers.ts): signed notes and summaries whose content no
 *   longer matches the hash they were signed with.
 */
import { MIGRATIONS } from '../../migrations'
import type { AppDatabase } from '../db/connect'
import { appliedMigrations } from '../db/migrate'
import { verifyAuditChain } from './audit'
import { SIGNED_RECORD_CHECKERS, type SignedRecordChecker } from './signedRecordCheckers'

export interface IntegrityProblem {
  table?: string
  rowId?: string | number
  problem: string
}

export interface CheckResult {
  name: string
  ok: boolean
  /** One line for the administrator: what was checked and the outcome. */
  summary: string
  problems: IntegrityProblem[]
}

export interface VerifyReport {
  ok: boolean
  checks: CheckResult[]
}

const extraCheckers: SignedRecordChecker[] = []

/** Adds a checker at run time (tests; plug-ins). Returns a function that removes it again. */
export function registerSignedRecordChecker(checker: SignedRecordChecker): () => void {
  extraCheckers.push(checker)
  return () => {
    const i = extraCheckers.indexOf(checker)
    if (i >= 0) extraCheckers.splice(i, 1)
  }
}

export function signedRecordCheckers(): SignedRecordChecker[] {
  return [...SIGNED_RECORD_CHECKERS, ...extraCheckers]
}

async function schemaCheck(database: AppDatabase): Promise<CheckResult> {
  const applied = await appliedMigrations(database)
  const unknown = applied.filter((n) => !(n in MIGRATIONS))
  const pending = Object.keys(MIGRATIONS).filter((n) => !applied.includes(n))
  if (unknown.length > 0) {
    return {
      name: 'schema version',
      ok: false,
      summary: `written by a newer version of Spine Clinic (unknown steps ${unknown.join(', ')}); verify with that version`,
      problems: unknown.map((n) => ({ table: 'kysely_migration', rowId: n, problem: 'unknown schema step' })),
    }
  }
  return {
    name: 'schema version',
    ok: true,
    summary: pending.length === 0 ? `up to date (${applied.at(-1)})` : `${pending.length} schema step(s) not applied yet (${pending.join(', ')}): run migrate`,
    problems: [],
  }
}

function sqliteChecks(database: AppDatabase): CheckResult[] {
  const handle = database.sqlite!
  let integrity: string[]
  try {
    integrity = (handle.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).filter((m) => m !== 'ok')
  } catch (err) {
    // A page damaged badly enough makes integrity_check itself stop.
    if ((err as { code?: string }).code !== 'SQLITE_CORRUPT') throw err
    integrity = [`${(err as Error).message} (SQLITE_CORRUPT)`]
  }
  const fk = integrity.length > 0 ? [] : handle.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string; fkid: number }[]
  return [
    {
      name: 'SQLite integrity_check',
      ok: integrity.length === 0,
      summary: integrity.length === 0 ? 'the file is sound' : `${integrity.length} problem(s): the file is damaged; restore the latest good backup`,
      problems: integrity.map((problem) => ({ problem })),
    },
    {
      name: 'SQLite foreign_key_check',
      ok: fk.length === 0,
      summary: fk.length === 0 ? 'every reference points at an existing row' : `${fk.length} row(s) point at rows that do not exist`,
      problems: fk.map((r) => ({ table: r.table, rowId: r.rowid ?? '?', problem: `refers to a missing row in ${r.parent}` })),
    },
  ]
}

async function auditCheck(database: AppDatabase): Promise<CheckResult> {
  const { rows, breaks } = await verifyAuditChain(database.db)
  return {
    name: 'audit log hash chain',
    ok: breaks.length === 0,
    summary: breaks.length === 0 ? `${rows} row(s), chain intact` : `${rows} row(s), ${breaks.length} break(s): the log was changed outside the app`,
    problems: breaks.map((b) => ({ table: 'audit_log', rowId: b.id, problem: b.problem })),
  }
}

async function signedCheck(database: AppDatabase, checker: SignedRecordChecker, tables: Set<string>): Promise<CheckResult> {
  if (!tables.has(checker.table)) {
    return { name: checker.name, ok: true, summary: `skipped: this database has no ${checker.table} table yet`, problems: [] }
  }
  const { checked, problems, notes } = await checker.check(database.db)
  const summary = problems.length === 0 ? `${checked} signed record(s), all match their signatures` : `${checked} signed record(s), ${problems.length} changed after signing`
  return {
    name: checker.name,
    ok: problems.length === 0,
    summary: notes?.length ? `${summary}; ${notes.join('; ')}` : summary,
    problems: problems.map((p) => ({ table: p.table ?? checker.table, rowId: p.rowId, problem: p.problem })),
  }
}

/** A check that could not run (a damaged file usually makes queries fail) is a failed check, not a crash. */
async function guarded(name: string, run: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  try {
    return await run()
  } catch (err) {
    const e = err as { message?: string; code?: string }
    return [{ name, ok: false, summary: `could not be checked: ${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}`, problems: [] }]
  }
}

export async function verifyDatabase(database: AppDatabase): Promise<VerifyReport> {
  const checks: CheckResult[] = []
  checks.push(...(await guarded('schema version', async () => [await schemaCheck(database)])))
  if (database.sqlite) checks.push(...(await guarded('SQLite integrity_check', async () => sqliteChecks(database))))
  const tables = await guarded('tables', async () => {
    const names = new Set((await database.db.introspection.getTables()).map((t) => t.name))
    return [{ name: 'tables', ok: true, summary: [...names].join(','), problems: [] }]
  })
  if (!tables[0]!.ok) {
    checks.push(...tables)
    return { ok: false, checks }
  }
  const present = new Set(tables[0]!.summary.split(','))
  if (present.has('audit_log')) checks.push(...(await guarded('audit log hash chain', async () => [await auditCheck(database)])))
  else checks.push({ name: 'audit log hash chain', ok: true, summary: 'skipped: no audit log yet (run migrate)', problems: [] })
  for (const checker of signedRecordCheckers()) checks.push(...(await guarded(checker.name, async () => [await signedCheck(database, checker, present)])))
  return { ok: checks.every((c) => c.ok), checks }
}

/** The report as the command line prints it: one line per check, then one line per problem. */
export function formatReport(report: VerifyReport): string {
  const lines: string[] = []
  for (const c of report.checks) {
    lines.push(`${c.ok ? 'OK    ' : 'FAILED'} ${c.name}: ${c.summary}`)
    for (const p of c.problems.slice(0, 200)) {
      const where = p.table ? `${p.table}${p.rowId !== undefined ? ` row ${p.rowId}` : ''}: ` : ''
      lines.push(`         ${where}${p.problem}`)
    }
    if (c.problems.length > 200) lines.push(`         ... and ${c.problems.length - 200} more`)
  }
  lines.push(report.ok ? 'Verified: no problems found.' : 'Verification FAILED: see the lines above.')
  return lines.join('\n')
}
