/**
 * Exports to files for the administrator's command line (the screens use exportJobs.ts): the outcome CSV,
 * the discharge summary PDFs of a range, and the FHIR bundle. Each writes to a temporary name and renames it
 * when complete (a failed or cancelled export leaves no partial file), then writes one audit row: who, what,
 * which filter, how many records.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { finished } from 'node:stream/promises'
import type { Writable } from 'node:stream'
import { sql } from 'kysely'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { AppDatabase } from '../../db/connect'
import { withWriteTransaction } from '../../db/tx'
import { appendAudit, type AuditActor } from '../audit'
import { requireSettings } from '../settings'
import { renderDischargePdf } from '../procedures/discharge'
import { filteredProcedures, inError } from './common'
import { orderedLabels } from './dashboard'
import { writeFhirBundle } from './fhir'
import { writeOutcomesCsv } from './outcomesCsv'
import { pseudonymCodes } from './pseudonym'

export interface ExportRun {
  actor: AuditActor
  now(): Date
  signal?: AbortSignal
  onProgress?: (rows: number) => void
}

/** One row for a finished (or cancelled) export: who, what, and every patient it may have carried out. */
export async function auditExport(database: AppDatabase, run: ExportRun, action: string, details: Record<string, unknown>, patientIds: readonly number[]): Promise<void> {
  await withWriteTransaction(database, (trx) => appendAudit(trx, run.actor, run.now().toISOString(), { action, entity: 'export', details, patientIds }))
}

/** The patients of the procedures a filter selects (those an outcomes or FHIR export carries). */
export async function exportedPatientIds(database: AppDatabase, f: OutcomeFilter): Promise<number[]> {
  const rows = await filteredProcedures(database.db, f).select('p.patient_id').distinct().execute()
  return rows.map((r) => r.patient_id)
}

/**
 * The follow-up labels an export has columns for, in the clinic's order: every configured label (so that
 * exports of different ranges have the same columns), then any other label the selected procedures have.
 * The labels in use are found by stepping through the label index (a handful of seeks, where a DISTINCT
 * over the selected procedures' follow-ups read them all: 26 ms at 50k procedures); only a label outside
 * the settings is then checked against the filter.
 */
export async function exportLabels(database: AppDatabase, f: OutcomeFilter): Promise<string[]> {
  const db = database.db
  const { settings } = await requireSettings(db)
  const configured = new Set(settings.followUpIntervals.map((i) => i.label))
  // the next label after the last one found, by procedure_follow_ups_by_label (ORDER BY + LIMIT: SQLite
  // turns min() with a WHERE into a scan)
  const inUse = await sql<{ label: string }>`with recursive l(label) as (
      select (select x.label from procedure_follow_ups x order by x.label limit 1)
      union all
      select (select x.label from procedure_follow_ups x where x.label > l.label order by x.label limit 1) from l where l.label is not null
    ) select label from l where label is not null`.execute(db)
  const others: string[] = []
  for (const { label } of inUse.rows) {
    if (configured.has(label)) continue
    const used = await db
      .selectFrom('procedure_follow_ups')
      .select('id')
      .where('label', '=', label)
      .where('procedure_id', 'in', filteredProcedures(db, f).select('p.id'))
      .limit(1)
      .executeTakeFirst()
    if (used) others.push(label)
  }
  return orderedLabels(db, others)
}

/** The export codes of every patient the filter selects (made now for those exported for the first time). */
export async function pseudonymFor(database: AppDatabase, f: OutcomeFilter, at: Date): Promise<(patientId: number) => string> {
  const patientIds = await exportedPatientIds(database, f)
  const codes = await withWriteTransaction(database, (trx) => pseudonymCodes(trx, patientIds, at.toISOString()))
  return (patientId) => {
    const code = codes.get(patientId)
    // a patient whose procedure was recorded after the codes were read: refuse rather than leak the id
    if (!code) throw new Error('A patient was added to the export while it ran; run the export again.')
    return code
  }
}

async function toFile(file: string, fill: (out: Writable) => Promise<number>): Promise<number> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`)
  const out = createWriteStream(tmp, { flags: 'wx' })
  try {
    const n = await fill(out)
    out.end()
    await finished(out)
    await rename(tmp, file)
    return n
  } catch (err) {
    out.destroy()
    await rm(tmp, { force: true })
    throw err
  }
}

export async function exportOutcomesCsvFile(database: AppDatabase, f: OutcomeFilter, file: string, o: { deidentify: boolean }, run: ExportRun): Promise<number> {
  const labels = await exportLabels(database, f)
  const pseudonym = o.deidentify ? await pseudonymFor(database, f, run.now()) : undefined
  const rows = await toFile(file, (out) =>
    writeOutcomesCsv(database, f, labels, out, { deidentify: o.deidentify, exportDate: run.now().toISOString().slice(0, 10), ...(pseudonym ? { pseudonym } : {}), ...(run.signal ? { signal: run.signal } : {}), ...(run.onProgress ? { onProgress: run.onProgress } : {}) }),
  )
  await auditExport(database, run, 'export.outcomes', { format: 'csv', filter: f, deidentify: o.deidentify, records: rows, file: path.basename(file) }, await exportedPatientIds(database, f))
  return rows
}

export async function exportFhirFile(database: AppDatabase, f: OutcomeFilter, file: string, run: ExportRun): Promise<number> {
  let resources = 0
  const procedures = await toFile(file, async (out) => {
    const r = await writeFhirBundle(database.db, database.engine, f, out, { now: run.now(), ...(run.signal ? { signal: run.signal } : {}), ...(run.onProgress ? { onProgress: run.onProgress } : {}) })
    resources = r.resources
    return r.procedures
  })
  await auditExport(database, run, 'export.fhir', { format: 'fhir-r4-bundle', filter: f, records: procedures, resources, file: path.basename(file) }, await exportedPatientIds(database, f))
  return procedures
}

/** The discharge summaries (not entered in error) of the procedures a filter selects. */
export async function dischargeSummaryIds(database: AppDatabase, f: OutcomeFilter): Promise<number[]> {
  const ids = filteredProcedures(database.db, f).select('p.id')
  const rows = await database.db
    .selectFrom('discharge_summaries as d')
    .innerJoin('procedures as p', 'p.id', 'd.procedure_id')
    .select('d.id')
    .where('d.procedure_id', 'in', ids)
    .where('d.id', 'not in', inError(database.db, 'dischargeSummary'))
    .orderBy('p.procedure_date')
    .orderBy('d.id')
    .execute()
  return rows.map((r) => r.id)
}

/** One PDF per summary into `dir`: the stored signed PDF, or a draft marked as such. */
export async function exportDischargePdfs(database: AppDatabase, f: OutcomeFilter, dir: string, run: ExportRun): Promise<{ files: string[]; drafts: number }> {
  await mkdir(dir, { recursive: true })
  const ids = await dischargeSummaryIds(database, f)
  const files: string[] = []
  const names = new Set<string>()
  let drafts = 0
  for (const id of ids) {
    if (run.signal?.aborted) break
    const pdf = await renderDischargePdf(database.db, id)
    let name = pdf.fileName
    if (names.has(name)) name = name.replace(/\.pdf$/, `-${id}.pdf`)
    names.add(name)
    if (!pdf.stored) drafts++
    await writeFile(path.join(dir, name), pdf.bytes)
    files.push(name)
    run.onProgress?.(files.length)
  }
  const written = ids.slice(0, files.length)
  const patients: { patient_id: number }[] = []
  // in slices: a statement's parameters are limited (SQLite 32 766, PostgreSQL 65 535)
  for (let i = 0; i < written.length; i += 1000) {
    patients.push(...(await database.db.selectFrom('discharge_summaries').select('patient_id').where('id', 'in', written.slice(i, i + 1000)).execute()))
  }
  await auditExport(
    database,
    run,
    'export.dischargeSummaries',
    { format: 'pdf', filter: f, records: files.length, summaryIds: written, drafts, cancelled: Boolean(run.signal?.aborted) },
    patients.map((p) => p.patient_id),
  )
  return { files, drafts }
}
