/**
 * The import itself, shared by the screen's job (importJobs.ts) and `admin import dicom`: plan what to store from a
 * folder's scan (which studies, whose patient differs from the chart's and whether the user confirmed it), then
 * store file by file. Streaming: one file's bytes in memory at a time, each stored in its own short write
 * transaction, so the main process's memory stays flat whatever the disc's size, other windows' writes are never
 * held up for long, and a cancelled import keeps what it stored, whole.
 */
import { readFile, stat } from 'node:fs/promises'
import { AppError } from '../../../shared/result'
import { SKIPPED_LISTED, type FoundStudy, type ImagingScan, type SkippedFile } from '../../../shared/schemas/imaging'
import type { AppDatabase } from '../../db/connect'
import { withWriteTransaction, type Tx } from '../../db/tx'
import { appendAudit, type AuditActor } from '../audit'
import { checkPixelDataWhole, parseDicom, readHeader, type DicomHeader } from './dicomFile'
import { fileProblemReason, type FolderScan, type ScannedFile } from './folderScan'
import { compareIdentity, displayDicomName, type ChartIdentity } from './identity'
import { instanceExists, storeInstance } from './storeInstance'
import './imagingTables'

export async function chartIdentity(db: Tx, patientId: number, field = 'patientId'): Promise<ChartIdentity & { mrn: string }> {
  const p = await db.selectFrom('patients').select(['first_name', 'last_name', 'date_of_birth', 'mrn']).where('id', '=', patientId).executeTakeFirst()
  if (!p) throw new AppError('invalid_input', 'Please correct: Patient does not exist.', { [field]: 'does not exist' })
  return { firstName: p.first_name, lastName: p.last_name, dateOfBirth: p.date_of_birth, mrn: p.mrn }
}

/** The SOP Instance UIDs of `uids` the patient's chart holds already (looked up 500 at a time). */
export async function storedUids(db: Tx, patientId: number, uids: string[]): Promise<Set<string>> {
  const out = new Set<string>()
  for (let i = 0; i < uids.length; i += 500) {
    const rows = await db
      .selectFrom('imaging_instances')
      .select('sop_instance_uid')
      .where('patient_id', '=', patientId)
      .where('sop_instance_uid', 'in', uids.slice(i, i + 500))
      .execute()
    for (const r of rows) out.add(r.sop_instance_uid)
  }
  return out
}

/** The preview: every study of the scan with its series, how many of its images are stored already, and the patient compared. */
export async function describeScan(db: Tx, patientId: number, scan: FolderScan): Promise<ImagingScan> {
  const chart = await chartIdentity(db, patientId)
  const stored = await storedUids(db, patientId, scan.files.map((f) => f.sopInstanceUid))
  const storedPerStudy = new Map<string, number>()
  for (const f of scan.files) if (stored.has(f.sopInstanceUid)) storedPerStudy.set(f.studyInstanceUid, (storedPerStudy.get(f.studyInstanceUid) ?? 0) + 1)
  const studies: FoundStudy[] = [...scan.studies.values()]
    .sort((a, b) => (a.studyDate ?? '').localeCompare(b.studyDate ?? '') || a.studyInstanceUid.localeCompare(b.studyInstanceUid))
    .map((s) => {
      const series = [...s.series.values()].sort((a, b) => (a.seriesNumber ?? 1e9) - (b.seriesNumber ?? 1e9) || a.seriesInstanceUid.localeCompare(b.seriesInstanceUid))
      return {
        studyInstanceUid: s.studyInstanceUid,
        patientName: displayDicomName(s.patientName),
        patientBirthDate: s.patientBirthDate,
        patientIdOnDisc: s.patientId,
        studyDate: s.studyDate,
        description: s.description,
        modalities: [...new Set(series.map((x) => x.modality).filter((m) => m !== ''))],
        images: s.images,
        alreadyStored: storedPerStudy.get(s.studyInstanceUid) ?? 0,
        series: series.map((x) => ({ seriesInstanceUid: x.seriesInstanceUid, seriesNumber: x.seriesNumber, modality: x.modality, description: x.description, images: x.images })),
        identity: compareIdentity(chart, { patientName: s.patientName, patientBirthDate: s.patientBirthDate }),
      }
    })
  return {
    folder: scan.folder,
    source: scan.source,
    files: scan.files.length,
    studies,
    skipped: scan.skipped.slice(0, SKIPPED_LISTED),
    skippedCount: scan.skipped.length,
  }
}

export interface ImportPlan {
  patientId: number
  chart: ChartIdentity
  /** the files of the chosen studies, in the order they are stored */
  files: ScannedFile[]
  studyUids: Set<string>
  /** chosen studies whose patient differed from the chart's, confirmed by the user: their differences */
  confirmed: Map<string, string[]>
  /** the scan's own skipped files, reported with the import's */
  skipped: SkippedFile[]
  source: FolderScan['source']
  /** a file larger than this is skipped, not read (MAX_FILE_BYTES; smaller in a test) */
  maxFileBytes: number
}

/**
 * The largest file imported: one file is read whole into memory and stored as one value, and PostgreSQL's bytea
 * holds at most 1 GB. A single image is far smaller (a CR about 10 to 30 MB, an MR slice under 1 MB); a file this
 * large is a long cine or a whole-body multi-frame, skipped with the reason rather than risking the import.
 */
export const MAX_FILE_BYTES = 512 * 1024 * 1024

/**
 * Decides what an import stores, or refuses before anything is stored: a study named that the folder does not
 * hold, a folder without images, or a study whose patient differs from the chart's that the user has not
 * confirmed (`conflict`, naming each difference, with the studies in `detail` so that the screen can ask).
 */
export async function planImport(db: Tx, input: { patientId: number; confirmedStudyUids: string[]; studyUids?: string[] }, scan: FolderScan): Promise<ImportPlan> {
  const chart = await chartIdentity(db, input.patientId)
  const chosen = input.studyUids ? new Set(input.studyUids) : new Set(scan.studies.keys())
  const unknown = [...chosen].filter((u) => !scan.studies.has(u))
  if (unknown.length > 0) throw new AppError('invalid_input', `Please correct: Study UIDs names a study the folder does not hold (${unknown[0]}). Nothing was stored.`, { studyUids: `names a study the folder does not hold (${unknown[0]})` })
  if (chosen.size === 0) {
    const why = scan.skipped.length > 0 ? ` (${scan.skipped.length} file(s) skipped: ${scan.skipped[0]!.file} ${scan.skipped[0]!.reason}${scan.skipped.length > 1 ? ', …' : ''})` : ''
    throw new AppError('invalid_input', `Please correct: Folder holds no DICOM images${why}. Nothing was stored.`, { folder: `holds no DICOM images${why}` })
  }
  const confirmedInput = new Set(input.confirmedStudyUids)
  const confirmed = new Map<string, string[]>()
  const unconfirmed: { studyInstanceUid: string; patientName: string; differences: string[] }[] = []
  for (const uid of chosen) {
    const s = scan.studies.get(uid)!
    const check = compareIdentity(chart, { patientName: s.patientName, patientBirthDate: s.patientBirthDate })
    if (check.matches) continue
    if (confirmedInput.has(uid)) confirmed.set(uid, check.differences)
    else unconfirmed.push({ studyInstanceUid: uid, patientName: displayDicomName(s.patientName), differences: check.differences })
  }
  if (unconfirmed.length > 0) {
    const first = unconfirmed[0]!
    throw new AppError(
      'conflict',
      `The patient on the disc differs from ${chart.firstName} ${chart.lastName}'s chart: ${first.differences.join('; ')}${unconfirmed.length > 1 ? ` (and ${unconfirmed.length - 1} more stud${unconfirmed.length > 2 ? 'ies' : 'y'})` : ''}. Confirm that ${unconfirmed.length > 1 ? 'these studies are' : 'this study is'} this patient's to import ${unconfirmed.length > 1 ? 'them' : 'it'}. Nothing was stored.`,
      { confirmedStudyUids: 'the patient on the disc differs from the chart: confirm to import' },
      { needsConfirmation: unconfirmed },
    )
  }
  return {
    patientId: input.patientId,
    chart,
    files: scan.files.filter((f) => chosen.has(f.studyInstanceUid)),
    studyUids: chosen,
    confirmed,
    skipped: scan.skipped,
    source: scan.source,
    maxFileBytes: MAX_FILE_BYTES,
  }
}

export interface ImportProgress {
  filesDone: number
  filesTotal: number
  stored: number
  duplicates: number
  newStudies: number
  skipped: SkippedFile[]
  skippedCount: number
}

export function newProgress(plan: ImportPlan): ImportProgress {
  const p: ImportProgress = { filesDone: 0, filesTotal: plan.files.length, stored: 0, duplicates: 0, newStudies: 0, skipped: [], skippedCount: 0 }
  for (const s of plan.skipped) skip(p, s)
  return p
}

function skip(p: ImportProgress, s: SkippedFile): void {
  p.skippedCount++
  if (p.skipped.length < SKIPPED_LISTED) p.skipped.push(s)
}

export interface ImportWho {
  actor: AuditActor
  userId: number | null
  now: () => Date
}

/** What one file comes to: stored, already there, or skipped with a reason. */
async function importFile(database: AppDatabase, who: ImportWho, plan: ImportPlan, f: ScannedFile): Promise<'stored' | 'newStudy' | 'duplicate' | SkippedFile> {
  // a second import of the same disc reads nothing it has stored already
  if (await instanceExists(database.db, plan.patientId, f.sopInstanceUid)) return 'duplicate'
  let bytes: Buffer
  try {
    const { size } = await stat(f.path)
    if (size > plan.maxFileBytes) return { file: f.rel, reason: `larger than ${Math.round(plan.maxFileBytes / 1024 / 1024)} MB (${Math.round(size / 1024 / 1024)} MB): not imported` }
    bytes = await readFile(f.path)
  } catch (err) {
    return { file: f.rel, reason: fileProblemReason(err) }
  }
  let header: DicomHeader
  try {
    const ds = parseDicom(bytes, { headerOnly: false })
    checkPixelDataWhole(ds, bytes.length)
    header = readHeader(ds)
  } catch (err) {
    return { file: f.rel, reason: fileProblemReason(err) }
  }
  // the file is the truth, whatever the DICOMDIR said of it
  if (!plan.studyUids.has(header.studyInstanceUid)) return { file: f.rel, reason: 'belongs to a study that was not in the preview (the DICOMDIR and the file disagree)' }
  const differences = compareIdentity(plan.chart, header)
  if (!differences.matches && !plan.confirmed.has(header.studyInstanceUid)) {
    return { file: f.rel, reason: `its patient differs from the chart's and was not confirmed: ${differences.differences.join('; ')}` }
  }
  const at = who.now().toISOString()
  const outcome = await withWriteTransaction(database, (trx) =>
    storeInstance(trx, { actor: who.actor, userId: who.userId, at }, { patientId: plan.patientId, header, bytes, confirmedDifferences: differences.matches ? null : differences.differences }),
  )
  if (!outcome.stored) return 'duplicate'
  return outcome.newStudy ? 'newStudy' : 'stored'
}

/**
 * Stores the plan's files one by one. Stops between two files when `signal` is aborted. A file that cannot be read
 * or parsed is skipped with its reason; a failure of the database itself ends the import (thrown), what was stored
 * before it staying stored. Audited at the end, however it ended, with the counts.
 */
export async function runImport(database: AppDatabase, who: ImportWho, plan: ImportPlan, progress: ImportProgress, signal?: AbortSignal): Promise<'done' | 'cancelled'> {
  let failure: unknown = null
  try {
    for (const f of plan.files) {
      if (signal?.aborted) break
      const r = await importFile(database, who, plan, f)
      if (r === 'duplicate') progress.duplicates++
      else if (r === 'stored' || r === 'newStudy') {
        progress.stored++
        if (r === 'newStudy') progress.newStudies++
      } else skip(progress, r)
      progress.filesDone++
    }
  } catch (err) {
    failure = err
  }
  const ended = failure ? 'failed' : signal?.aborted ? 'cancelled' : 'done'
  await withWriteTransaction(database, (trx) =>
    appendAudit(trx, who.actor, who.now().toISOString(), {
      action: 'imaging.import',
      entity: 'patient',
      entityId: plan.patientId,
      patientId: plan.patientId,
      details: {
        ended,
        source: plan.source,
        studies: [...plan.studyUids],
        files: progress.filesTotal,
        stored: progress.stored,
        duplicates: progress.duplicates,
        skipped: progress.skippedCount,
        ...(failure ? { error: (failure as Error)?.message ?? String(failure) } : {}),
      },
    }),
  ).catch((err) => {
    // the import's own failure is the one to report; an audit row that cannot be written then is secondary
    if (!failure) throw err
  })
  if (failure) throw failure
  return ended === 'cancelled' ? 'cancelled' : 'done'
}
