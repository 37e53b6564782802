/**
 * Exports started from the screen: a job per export that runs in the main process, reports how many rows it
 * has written (of how many), can be cancelled, and hands the finished file to the window that started it.
 * The file is written to a private temp folder and removed once handed over (or on cancel or failure).
 * Audited when it completes, like the command line's exports.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { AppError } from '../../../shared/result'
import type { EXPORT_KINDS, ExportJobView, OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { ServiceContext } from '../context'
import { requireActor } from '../context'
import { countOutcomeRows } from './outcomeRows'
import { dischargeSummaryIds, exportDischargePdfs, exportFhirFile, exportOutcomesCsvFile, type ExportRun } from './exports'
import { writeStoredZip } from './zip'

type Kind = (typeof EXPORT_KINDS)[number]

interface Job {
  view: ExportJobView
  ownerId: number
  file: string
  dir: string
  controller: AbortController
  done: Promise<void>
}

const jobs = new Map<string, Job>()
const EXPORT_DIR_PREFIX = 'clinic-export-'
/** A folder of an export still being written is touched as its rows arrive; one this old is a leftover. */
const LEFTOVER_AFTER_MS = 60 * 60_000

/**
 * Removes export files left behind by an app that crashed or was killed before the user collected them (they
 * hold patient data in the computer's temporary folder). Run at start and at quit. At start only folders
 * untouched for an hour go: another copy of the app for the same account (the development bridge beside
 * the desktop app) may be writing one now. At quit this process's own jobs go too, finished or not.
 */
export function sweepExportLeftovers(opts: { ownJobs: boolean }, nowMs: number = Date.now()): number {
  let removed = 0
  if (opts.ownJobs) {
    for (const [id, job] of jobs) {
      job.controller.abort()
      rmSync(job.dir, { recursive: true, force: true })
      jobs.delete(id)
      removed++
    }
  }
  let names: string[] = []
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(EXPORT_DIR_PREFIX))
  } catch {
    return removed
  }
  for (const name of names) {
    const dir = path.join(tmpdir(), name)
    try {
      const st = statSync(dir)
      // only our own account's folders (another account's are not ours to judge, nor removable)
      if (process.getuid && st.uid !== process.getuid()) continue
      if (nowMs - newestMtime(dir, st.mtimeMs) < LEFTOVER_AFTER_MS) continue
      rmSync(dir, { recursive: true, force: true })
      removed++
    } catch {
      // gone meanwhile, or not readable: nothing to do
    }
  }
  return removed
}

function newestMtime(dir: string, own: number): number {
  let newest = own
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) newest = Math.max(newest, statSync(path.join(dir, entry)).mtimeMs)
  return newest
}
const MIME = { outcomesCsv: 'text/csv', fhir: 'application/fhir+json', dischargePdfs: 'application/zip' } as const
const BINARY: Record<Kind, boolean> = { outcomesCsv: false, fhir: false, dischargePdfs: true }

function fileNameOf(kind: Kind, f: OutcomeFilter, deidentify: boolean): string {
  if (kind === 'fhir') return `outcomes-${f.from}-${f.to}.fhir.json`
  if (kind === 'dischargePdfs') return `discharge-summaries-${f.from}-${f.to}.zip`
  return `outcomes-${f.from}-${f.to}${deidentify ? '-deidentified' : ''}.csv`
}

/** The discharge summaries of the selection, one PDF each, in a ZIP; a cancelled run leaves nothing. */
async function dischargeZip(ctx: ServiceContext, f: OutcomeFilter, dir: string, file: string, run: ExportRun): Promise<number> {
  const pdfs = path.join(dir, 'pdfs')
  const { files } = await exportDischargePdfs(ctx.database, f, pdfs, run)
  if (run.signal?.aborted) throw new Error('cancelled')
  await writeStoredZip(file, files.map((name) => ({ name, path: path.join(pdfs, name) })), run.now(), run.signal)
  await rm(pdfs, { recursive: true, force: true })
  return files.length
}

function own(ctx: ServiceContext, jobId: string): Job {
  const job = jobs.get(jobId)
  if (!job || job.ownerId !== requireActor(ctx).id) throw new AppError('not_found', 'There is no such export (it finished and was collected, or it is another user’s).', { jobId: 'no such export' })
  return job
}

export async function startExport(ctx: ServiceContext, input: { kind: Kind; filter: OutcomeFilter; deidentify: boolean }): Promise<ExportJobView> {
  const actor = requireActor(ctx)
  const jobId = randomBytes(16).toString('hex')
  const total = input.kind === 'dischargePdfs' ? (await dischargeSummaryIds(ctx.database, input.filter)).length : await countOutcomeRows(ctx.db, input.filter)
  const fileName = fileNameOf(input.kind, input.filter, input.deidentify)
  const dir = mkdtempSync(path.join(tmpdir(), EXPORT_DIR_PREFIX))
  const controller = new AbortController()
  const view: ExportJobView = { jobId, kind: input.kind, state: 'running', rows: 0, total, fileName, error: null }
  const run = {
    actor: { userId: actor.id, username: actor.username, workstation: ctx.workstation },
    now: ctx.now,
    signal: controller.signal,
    onProgress: (rows: number) => void (view.rows = rows),
  }
  const file = path.join(dir, fileName)
  const job: Job = { view, ownerId: actor.id, file, dir, controller, done: Promise.resolve() }
  job.done = (async () => {
    // let the caller have its answer before the work starts
    await new Promise((r) => setImmediate(r))
    try {
      view.rows =
        input.kind === 'fhir'
          ? await exportFhirFile(ctx.database, input.filter, file, run)
          : input.kind === 'dischargePdfs'
            ? await dischargeZip(ctx, input.filter, dir, file, run)
            : await exportOutcomesCsvFile(ctx.database, input.filter, file, { deidentify: input.deidentify }, run)
      view.state = 'done'
    } catch (err) {
      rmSync(dir, { recursive: true, force: true })
      if (controller.signal.aborted) view.state = 'cancelled'
      else {
        view.state = 'failed'
        view.error = (err as Error).message
      }
    }
  })()
  jobs.set(jobId, job)
  return { ...view }
}

export async function exportStatus(ctx: ServiceContext, input: { jobId: string }): Promise<ExportJobView> {
  return { ...own(ctx, input.jobId).view }
}

/**
 * Stops a running export. One that finished but was not collected yet (the screen had not seen it finish when
 * the user pressed Cancel) is discarded too: its file is removed and it reports `cancelled`, so that Cancel
 * never leaves a file behind, whenever it arrives.
 */
export async function cancelExport(ctx: ServiceContext, input: { jobId: string }): Promise<ExportJobView> {
  const job = own(ctx, input.jobId)
  if (job.view.state === 'running') {
    job.controller.abort()
    await job.done
  }
  if (job.view.state === 'done') {
    rmSync(job.dir, { recursive: true, force: true })
    job.view.state = 'cancelled'
  }
  return { ...job.view }
}

export async function exportResult(ctx: ServiceContext, input: { jobId: string }): Promise<{ fileName: string; mimeType: string; encoding: 'utf8' | 'base64'; content: string; rows: number }> {
  const job = own(ctx, input.jobId)
  if (job.view.state !== 'done') throw new AppError('conflict', `The export is ${job.view.state}${job.view.error ? `: ${job.view.error}` : ''}.`, { jobId: `is ${job.view.state}` })
  const encoding = BINARY[job.view.kind] ? 'base64' : 'utf8'
  const content = await readFile(job.file, encoding)
  rmSync(job.dir, { recursive: true, force: true })
  jobs.delete(input.jobId)
  return { fileName: job.view.fileName, mimeType: MIME[job.view.kind], encoding, content, rows: job.view.rows }
}

/** For tests: where a job's file is (or was) written. */
export function exportFile(jobId: string): string | undefined {
  return jobs.get(jobId)?.file
}

/** For tests: wait until a job has finished. */
export async function settled(jobId: string): Promise<void> {
  await jobs.get(jobId)?.done
}

/** Waits for every running export (tests that compare the database before and after a call). */
export async function allExportsSettled(): Promise<void> {
  await Promise.all([...jobs.values()].map((j) => j.done))
}
