/**
 * `verify`: is the database sound, and was anything changed behind the app's back?
 *
 * - SQLite's own integrity_check and foreign_key_check (not applicable to PostgreSQL),
 * - the schema history (a database written by a newer version is reported; pending steps are noted),
 * - the audit log's hash chain (walkAuditChain names every edited, removed or inserted row),
 * - the audit log's anchors (auditAnchors.ts): every head recorded outside the database, in this computer's
 *   anchor files and in the backups' manifests, must still be in the log with the same hash and position;
 *   this is what catches a trimmed tail, or a row rewritten and every later row re-hashed,
 * - every signed record checker (signedRecordCheckers.ts): signed notes and summaries whose content no
 *   longer matches the hash they were signed with,
 * - every stored file (blobStore.ts): re-hashed, the changed one named with the records that use it.
 */
import { MIGRATIONS } from '../../migrations'
import type { AppDatabase } from '../db/connect'
import { appliedMigrations } from '../db/migrate'
import path from 'node:path'
import { defaultBackupFolder } from '../paths'
import { walkAuditChain } from './audit'
import { anchorFileFor, compareEvidence, currentLineage, databaseIdentity, evidenceOfLine, readAnchorFile, rewrittenBetween, type Evidence } from './auditAnchors'
import { manifestEvidence } from './backupManifest'
import { verifyBlobs } from './blobStore'
import { readSettings } from './settings'
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

/** Where `verify` looks for records of the audit log's head kept outside the database. */
export interface EvidenceSources {
  /** This computer's anchor folder (paths.anchorDir()). */
  anchorDir: string
  /** Folders whose backup manifests are anchors too (the backup folder setting, the default one next to the file). */
  backupFolders: string[]
  /** This computer's name: its own anchor files recorded in the log must exist; other workstations' are named. */
  workstation: string
}

/** The anchor folder given, and the backup folders this database uses (the setting and the default one). */
export async function evidenceSourcesFor(database: AppDatabase, anchorDir: string, workstation: string): Promise<EvidenceSources> {
  const folders = new Set<string>()
  try {
    const chosen = (await readSettings(database.db))?.settings.backupFolder
    if (chosen) folders.add(path.resolve(chosen))
  } catch {
    // a damaged settings row: the default folder is still looked at, and the schema checks say what is wrong
  }
  if (database.target.engine === 'sqlite') folders.add(defaultBackupFolder(database.target.file))
  return { anchorDir, backupFolders: [...folders], workstation }
}

function fileOf(details: string): string | null {
  try {
    const d = JSON.parse(details) as { file?: unknown }
    return typeof d.file === 'string' ? d.file : null
  } catch {
    return null
  }
}

interface GatheredEvidence {
  items: Evidence[]
  problems: IntegrityProblem[]
  notes: string[]
  looked: string[]
}

/** Reads every anchor this computer can find for the database: its anchor files and the backups' manifests. */
async function gatherEvidence(database: AppDatabase, sources: EvidenceSources): Promise<GatheredEvidence> {
  const identity = databaseIdentity(database.target)
  const out: GatheredEvidence = { items: [], problems: [], notes: [], looked: [] }
  const files = new Set([anchorFileFor(sources.anchorDir, identity)])
  // Every computer that anchors this database said so in the log (audit.anchorFile, auditWatch.ts).
  const recorded = await database.db.selectFrom('audit_log').select(['id', 'at', 'workstation', 'details']).where('action', '=', 'audit.anchorFile').execute()
  for (const r of recorded) {
    const f = fileOf(r.details)
    if (!f) continue
    if (r.workstation === sources.workstation) files.add(f)
    else out.notes.push(`workstation ${r.workstation} keeps anchors of this database in ${f} on that computer: run verify there too`)
  }
  let restoredAt: string | null = null
  for (const f of files) {
    out.looked.push(f)
    const read = readAnchorFile(f, identity)
    if (!read.exists) {
      const rec = recorded.find((r) => r.workstation === sources.workstation && fileOf(r.details) === f)
      if (rec) out.problems.push({ table: 'audit_log', rowId: rec.id, problem: `the anchor file ${f}, which this computer has written since ${rec.at}, is missing` })
      continue
    }
    out.problems.push(...read.damaged.map((problem) => ({ problem })))
    const lineage = currentLineage(read.lines)
    if (lineage[0]?.kind === 'restore' && (!restoredAt || lineage[0].at > restoredAt)) restoredAt = lineage[0].at
    out.items.push(...lineage.map((l) => evidenceOfLine(f, l)))
  }
  for (const folder of sources.backupFolders) {
    out.looked.push(folder)
    // A backup made before the last restore may belong to the database the restore replaced.
    out.items.push(...manifestEvidence(folder, identity).filter((e) => !restoredAt || e.at >= restoredAt))
  }
  return out
}

/** One walk over the log serves both checks: the chain's own links, and every anchor. */
async function auditChecks(database: AppDatabase, sources: EvidenceSources | undefined): Promise<CheckResult[]> {
  const evidence = sources ? await gatherEvidence(database, sources) : undefined
  const walk = await walkAuditChain(database.db, { watch: evidence?.items.map((e) => e.headId) ?? [] })
  const { rows, breaks } = walk
  const chain: CheckResult = {
    name: 'audit log hash chain',
    ok: breaks.length === 0,
    summary: breaks.length === 0 ? `${rows} row(s), chain intact` : `${rows} row(s), ${breaks.length} break(s): the log was changed outside the app`,
    problems: breaks.map((b) => ({ table: 'audit_log', rowId: b.id, problem: b.problem })),
  }
  if (!evidence) return [chain, { name: 'audit log anchors', ok: true, summary: 'skipped: no anchor folder was given', problems: [] }]
  const mismatches = compareEvidence(evidence.items, walk)
  const between = rewrittenBetween(evidence.items, mismatches, walk.watched)
  const problems: IntegrityProblem[] = [...evidence.problems, ...mismatches.map((m) => ({ table: 'audit_log', rowId: m.rowId, problem: m.problem }))]
  if (between) problems.push({ table: 'audit_log', problem: between })
  const fromFiles = evidence.items.filter((e) => !e.label.startsWith('the manifest')).length
  const counted = `${fromFiles} in anchor files, ${evidence.items.length - fromFiles} in backup manifests`
  const notes = evidence.notes.length > 0 ? `; ${evidence.notes.join('; ')}` : ''
  let summary: string
  if (problems.length > 0) {
    summary = mismatches.length > 0
      ? `${mismatches.length} of ${evidence.items.length} anchor(s) (${counted}) disagree with the log: it was trimmed or rewritten outside the app${notes}`
      : `${problems.length} problem(s) with the anchors themselves${notes}`
  } else if (evidence.items.length === 0) {
    summary = `no anchors of this database found (looked in ${evidence.looked.join(', ')}): only the chain's own links were checked, which cannot show a removed tail or a re-hashed log${notes}`
  } else {
    const newest = evidence.items.reduce((a, e) => (e.at > a.at ? e : a))
    summary = `${evidence.items.length} anchor(s) (${counted}; the newest from ${newest.at}) agree with the log${notes}`
  }
  return [chain, { name: 'audit log anchors', ok: problems.length === 0, summary, problems }]
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

async function blobCheck(database: AppDatabase, tables: Set<string>): Promise<CheckResult> {
  const { checked, bytes, problems } = await verifyBlobs(database.db, tables)
  const mb = (bytes / 1024 / 1024).toFixed(1)
  return {
    name: 'stored files',
    ok: problems.length === 0,
    summary: problems.length === 0 ? `${checked} file(s) (${mb} MB) re-hashed, all match their keys` : `${checked} file(s) re-hashed, ${problems.length} changed outside the app`,
    problems: problems.map((p) => ({ table: 'blobs', rowId: p.sha256, problem: p.problem })),
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

export async function verifyDatabase(database: AppDatabase, opts: { evidence?: EvidenceSources } = {}): Promise<VerifyReport> {
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
  if (present.has('audit_log')) checks.push(...(await guarded('audit log hash chain', () => auditChecks(database, opts.evidence))))
  else checks.push({ name: 'audit log hash chain', ok: true, summary: 'skipped: no audit log yet (run migrate)', problems: [] })
  for (const checker of signedRecordCheckers()) checks.push(...(await guarded(checker.name, async () => [await signedCheck(database, checker, present)])))
  if (present.has('blobs')) checks.push(...(await guarded('stored files', async () => [await blobCheck(database, present)])))
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
