/**
 * Imports started from the screen: a job per import that runs in the main process after the call has answered,
 * reports its progress (files looked at of how many, stored, already stored, skipped with reasons), and can be
 * cancelled (it stops between two files; what was stored stays, whole). Only the user who started a job sees it.
 *
 * The start checks everything that can refuse the import before it answers (the folder, the patient, a patient on
 * the disc who differs from the chart and was not confirmed), so a refused import stores nothing; and it reads
 * the database only before the job exists, so the router's one retry of a read whose connection dropped cannot
 * start a second job.
 */
import { randomBytes } from 'node:crypto'
import { AppError } from '../../../shared/result'
import type { ImagingImportJob, ImagingScan, StartImagingImport } from '../../../shared/schemas/imaging'
import type { ServiceContext } from '../context'
import { requireActor } from '../context'
import { scanFolder } from './folderScan'
import { describeScan, newProgress, planImport, runImport, type ImportProgress } from './importStudies'

interface Job {
  view: ImagingImportJob
  progress: ImportProgress
  ownerId: number
  controller: AbortController
  done: Promise<void>
}

const jobs = new Map<string, Job>()
/** Finished jobs are forgotten after this long (the screen has read their end by then). */
const KEEP_FINISHED_MS = 60 * 60_000

function viewOf(job: Job): ImagingImportJob {
  const p = job.progress
  return { ...job.view, filesDone: p.filesDone, filesTotal: p.filesTotal, stored: p.stored, duplicates: p.duplicates, newStudies: p.newStudies, skipped: [...p.skipped], skippedCount: p.skippedCount }
}

function own(ctx: ServiceContext, jobId: string): Job {
  const job = jobs.get(jobId)
  if (!job || job.ownerId !== requireActor(ctx).id) throw new AppError('not_found', 'There is no such import (it ended more than an hour ago, or it is another user’s).', { jobId: 'no such import' })
  return job
}

/** The preview: what the folder holds and how it compares with the chart. Stores nothing. */
export async function scanImagingFolder(ctx: ServiceContext, input: { patientId: number; folder: string }): Promise<ImagingScan> {
  requireActor(ctx)
  const scan = await scanFolder(input.folder)
  return describeScan(ctx.db, input.patientId, scan)
}

export async function startImagingImport(ctx: ServiceContext, input: StartImagingImport): Promise<ImagingImportJob> {
  const actor = requireActor(ctx)
  const scan = await scanFolder(input.folder)
  const plan = await planImport(ctx.db, { patientId: input.patientId, confirmedStudyUids: input.confirmedStudyUids ?? [], studyUids: input.studyUids }, scan)
  const jobId = randomBytes(16).toString('hex')
  const controller = new AbortController()
  const progress = newProgress(plan)
  const job: Job = {
    view: { jobId, state: 'running', patientId: input.patientId, filesDone: 0, filesTotal: 0, stored: 0, duplicates: 0, newStudies: 0, skipped: [], skippedCount: 0, error: null },
    progress,
    ownerId: actor.id,
    controller,
    done: Promise.resolve(),
  }
  const database = ctx.database
  const who = { actor: { userId: actor.id, username: actor.username, workstation: ctx.workstation }, userId: actor.id, now: ctx.now }
  job.done = (async () => {
    // let the caller have its answer before the work starts
    await new Promise((r) => setImmediate(r))
    try {
      job.view.state = await runImport(database, who, plan, progress, controller.signal)
    } catch (err) {
      job.view.state = 'failed'
      job.view.error = `The import stopped: ${(err as Error)?.message ?? String(err)}. What was stored before stays stored; import the folder again to continue.`
    }
    const timer = setTimeout(() => jobs.delete(jobId), KEEP_FINISHED_MS)
    timer.unref?.()
  })()
  jobs.set(jobId, job)
  return viewOf(job)
}

export async function imagingImportStatus(ctx: ServiceContext, input: { jobId: string }): Promise<ImagingImportJob> {
  return viewOf(own(ctx, input.jobId))
}

/** Stops a running import between two files and answers once it has stopped; an import already ended is left as it ended. */
export async function cancelImagingImport(ctx: ServiceContext, input: { jobId: string }): Promise<ImagingImportJob> {
  const job = own(ctx, input.jobId)
  if (job.view.state === 'running') {
    job.controller.abort()
    await job.done
  }
  return viewOf(job)
}

/** For tests: waits until every running import has ended. */
export async function allImagingImportsSettled(): Promise<void> {
  await Promise.all([...jobs.values()].map((j) => j.done))
}

/** For tests: waits until one import has ended. */
export async function imagingImportSettled(jobId: string): Promise<void> {
  await jobs.get(jobId)?.done
}
