/**
 * `admin import dicom --patient MRN --dir PATH`: the screen's imaging import from the command line (issue 20
 * point 1), with the same scan, checks and file-by-file storage (electron/services/imaging/importStudies.ts).
 * It prints what the folder holds first; a study whose patient differs from the chart's is imported only with
 * --confirm-identity, after the differences were shown (a run without it stores nothing). Ctrl+C stops between
 * two files, keeping what was stored. Audited as "admin-cli".
 *
 * A kind of the `import` command (electron/cli/commands/importDocument.ts dispatches "import dicom" here).
 */
import { formatTypedDate } from '../../../shared/dates'
import { AppError } from '../../../shared/result'
import { isUpToDate } from '../../db/migrate'
import { scanFolder, type FolderScan } from '../../services/imaging/folderScan'
import { describeScan, newProgress, planImport, runImport, type ImportPlan } from '../../services/imaging/importStudies'
import { cliActor, EXIT_FAILED, EXIT_OK, EXIT_USAGE, openTarget, UsageError, type CommandContext, type OptionSpec } from '../common'

export const IMPORT_DICOM_OPTIONS: OptionSpec = {
  dir: { type: 'string' },
  'confirm-identity': { type: 'boolean' },
}

export const IMPORT_DICOM_HELP = `Usage: npm run admin -- import dicom --patient MRN --dir PATH [--confirm-identity] [--db FILE | --db-url URL]

Imports the DICOM studies in PATH (a CD's or USB stick's folder, or a copy of one) into the chart of the
patient with that MRN, as the chart's Imaging section does: the disc's DICOMDIR is read where it has one,
otherwise every file under PATH. It first prints what it found (patient, birth date, study date, modality,
description, images). Images the chart holds already (same SOP Instance UID) are skipped; files that are not
DICOM, or are damaged, are listed with the reason and skipped. The files are kept in the database (backups
carry them), one at a time. Ctrl+C stops between two files; what was stored stays. Audited ("admin-cli").

  --patient MRN        the patient's MRN, e.g. SC-000123
  --dir PATH           the folder to import
  --confirm-identity   import studies whose patient name or birth date differ from the chart's (run once
                       without it to see the differences; nothing is stored then)`

const MAX_SKIPPED_PRINTED = 50

export async function runImportDicom({ io, values, target, now }: CommandContext): Promise<number> {
  const mrn = typeof values.patient === 'string' ? values.patient.trim().toUpperCase() : ''
  const dir = typeof values.dir === 'string' ? values.dir : ''
  if (!mrn) throw new UsageError('--patient MRN is required.')
  if (!dir) throw new UsageError('--dir PATH is required: the folder of the CD or USB stick.')
  if (values.file !== undefined || values.kind !== undefined) throw new UsageError('"import dicom" takes --dir, not --file or --kind (those are for "import document").')

  const database = openTarget(target)
  const controller = new AbortController()
  const stop = () => {
    io.err('Stopping after the file being stored…')
    controller.abort()
  }
  process.once('SIGINT', stop)
  try {
    if (!(await isUpToDate(database))) {
      io.err('The database schema is not up to date: run "npm run admin -- migrate" first. Nothing was stored.')
      return EXIT_FAILED
    }
    const patient = await database.db.selectFrom('patients').select(['id', 'first_name', 'last_name', 'date_of_birth']).where('mrn', '=', mrn).executeTakeFirst()
    if (!patient) {
      io.err(`There is no patient with MRN ${mrn}. Nothing was stored.`)
      return EXIT_USAGE
    }
    let scan: FolderScan
    try {
      scan = await scanFolder(dir)
    } catch (err) {
      if (err instanceof AppError) {
        io.err(`--dir: ${dir} ${Object.values(err.fields ?? {})[0] ?? err.message}. Nothing was stored.`)
        return EXIT_USAGE
      }
      throw err
    }
    const found = await describeScan(database.db, patient.id, scan)
    io.out(`${found.source === 'dicomdir' ? 'DICOMDIR' : 'Every file'} read in ${found.folder}: ${found.studies.length} stud${found.studies.length === 1 ? 'y' : 'ies'}, ${found.files} image(s).`)
    io.out(`Chart: ${patient.last_name}, ${patient.first_name} (${mrn}), born ${formatTypedDate(patient.date_of_birth)}`)
    for (const s of found.studies) {
      io.out(
        `  ${s.studyDate ? formatTypedDate(s.studyDate) : 'no date'}  ${s.modalities.join('/') || '?'}  ${s.description || '(no description)'}: ${s.series.length} series, ${s.images} image(s)${s.alreadyStored ? `, ${s.alreadyStored} stored already` : ''}`,
      )
      io.out(`      patient on the disc: ${s.patientName || '(none)'}, born ${s.patientBirthDate ? formatTypedDate(s.patientBirthDate) : '(not given)'}: ${s.identity.matches ? 'matches the chart' : `DIFFERS: ${s.identity.differences.join('; ')}`}`)
    }
    const mismatched = found.studies.filter((s) => !s.identity.matches).map((s) => s.studyInstanceUid)
    let plan: ImportPlan
    try {
      plan = await planImport(database.db, { patientId: patient.id, confirmedStudyUids: values['confirm-identity'] === true ? mismatched : [] }, scan)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      io.err(err.message)
      if (err.code === 'conflict') io.err('Run again with --confirm-identity to import these studies into this chart.')
      return EXIT_FAILED
    }
    const progress = newProgress(plan)
    const total = plan.files.length
    const every = Math.max(1, Math.ceil(total / 20))
    let last = 0
    const timer = setInterval(() => {
      if (progress.filesDone - last >= every) {
        last = progress.filesDone
        io.out(`  ${progress.filesDone} of ${total} files`)
      }
    }, 500)
    let ended: 'done' | 'cancelled'
    try {
      ended = await runImport(database, { actor: cliActor(), userId: null, now }, plan, progress, controller.signal)
    } finally {
      clearInterval(timer)
    }
    io.out(
      `${ended === 'cancelled' ? `Stopped after ${progress.filesDone} of ${total} files. ` : ''}Stored ${progress.stored} image(s)${progress.newStudies ? ` (${progress.newStudies} new stud${progress.newStudies === 1 ? 'y' : 'ies'})` : ''}; ${progress.duplicates} stored already, not stored again; ${progress.skippedCount} file(s) skipped.`,
    )
    for (const s of progress.skipped.slice(0, MAX_SKIPPED_PRINTED)) io.out(`  skipped ${s.file}: ${s.reason}`)
    if (progress.skippedCount > MAX_SKIPPED_PRINTED) io.out(`  … and ${progress.skippedCount - MAX_SKIPPED_PRINTED} more`)
    return ended === 'cancelled' ? EXIT_FAILED : EXIT_OK
  } finally {
    process.removeListener('SIGINT', stop)
    await database.close()
  }
}
