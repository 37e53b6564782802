/**
 * `admin import document`: attaches a file to a patient's chart from the command line (a batch of scanned letters,
 * the old system's files), with the checks of the screen's attach (shared/documentSniff.ts, the clinic's size
 * limit, the date not in the future) and its audit row (actor admin-cli, action document.import). The file is read
 * whole before anything is written, and the document and its bytes are written in one transaction: a file that
 * is missing, unreadable or vanishes while it is read stores nothing.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { clinicToday } from '../../../shared/clinicClock'
import { titleFromFileName } from '../../../shared/documentSniff'
import { AppError } from '../../../shared/result'
import { DOCUMENT_KINDS, type DocumentKind } from '../../../shared/schemas/documents'
import { isValidIsoDate } from '../../../shared/dates'
import { isUpToDate } from '../../db/migrate'
import { withWriteTransaction } from '../../db/tx'
import { storeDocument } from '../../services/documents'
import { readSettings } from '../../services/settings'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, openTarget, UsageError, type Command } from '../common'
import { cliServiceContext } from '../serviceContext'
import { IMPORT_DICOM_HELP, IMPORT_DICOM_OPTIONS, runImportDicom } from './importDicom'

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'does not exist (or was removed while it was being imported)',
  EISDIR: 'is a folder, not a file',
  EACCES: 'cannot be read (permission denied)',
  EPERM: 'cannot be read (permission denied)',
}

export const importCommand: Command = {
  name: 'import',
  summary: "attach a file to a patient's chart (import document), or a disc's DICOM studies (import dicom)",
  help: `Usage: npm run admin -- import document --patient MRN --file FILE --kind KIND [--title TITLE] [--date YYYY-MM-DD]
                                   [--db FILE | --db-url URL]

Attaches FILE to the chart of the patient with that MRN, as the chart's Documents section does: a PDF, JPEG,
PNG, TIFF or plain text file (judged by its content, not its name), at most the clinic's size limit
(setting documentMaxMegabytes). Programs, empty files and files whose content is not what their name says are
refused, naming the file. The file is kept in the database (backups carry it); the import is audited
(actor "admin-cli"). Nothing is stored when anything is refused.

  --patient MRN   the patient's MRN, e.g. SC-000123
  --file FILE     the file to attach
  --kind KIND     ${DOCUMENT_KINDS.join(', ')}
  --title TITLE   default: the file's name without its ending
  --date DATE     the date the document bears, YYYY-MM-DD (default: the clinic's today)

${IMPORT_DICOM_HELP}`,
  options: { patient: { type: 'string' }, file: { type: 'string' }, kind: { type: 'string' }, title: { type: 'string' }, date: { type: 'string' }, ...IMPORT_DICOM_OPTIONS },
  positionals: 1,
  async run(ctx) {
    // `import dicom` (electron/cli/commands/importDicom.ts): a CD's or folder's DICOM studies
    if (ctx.args[0] === 'dicom') return runImportDicom(ctx)
    const { io, values, args, target, now } = ctx
    if (args[0] !== 'document') throw new UsageError(args[0] ? `Unknown kind "${args[0]}": use "import document" or "import dicom".` : 'Use "import document --patient MRN --file FILE --kind KIND" or "import dicom --patient MRN --dir PATH".')
    const mrn = typeof values.patient === 'string' ? values.patient.trim() : ''
    const file = typeof values.file === 'string' ? values.file : ''
    const kind = typeof values.kind === 'string' ? values.kind : ''
    if (!mrn) throw new UsageError('--patient MRN is required.')
    if (!file) throw new UsageError('--file FILE is required.')
    if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${DOCUMENT_KINDS.join(', ')}${kind ? ` (not "${kind}")` : ''}.`)
    const date = typeof values.date === 'string' ? values.date : undefined
    if (date !== undefined && !isValidIsoDate(date)) throw new UsageError(`--date must be a real date written YYYY-MM-DD (not "${date}").`)
    const fileName = path.basename(file)
    const title = (typeof values.title === 'string' ? values.title.trim() : '') || titleFromFileName(fileName) || fileName
    if (title.length > 200) throw new UsageError('--title must be at most 200 characters.')

    const database = openTarget(target)
    try {
      if (!(await isUpToDate(database))) {
        io.err('The database schema is not up to date: run "npm run admin -- migrate" first. Nothing was stored.')
        return EXIT_FAILED
      }
      const settings = await readSettings(database.db)
      if (!settings) {
        io.err('The clinic has not been set up yet: start Spine Clinic and complete first-run setup. Nothing was stored.')
        return EXIT_FAILED
      }
      const patient = await database.db.selectFrom('patients').select(['id', 'first_name', 'last_name']).where('mrn', '=', mrn.toUpperCase()).executeTakeFirst()
      if (!patient) {
        io.err(`There is no patient with MRN ${mrn}. Nothing was stored.`)
        return EXIT_USAGE
      }
      let bytes: Buffer
      try {
        bytes = readFileSync(file)
      } catch (err) {
        const code = (err as { code?: string }).code ?? ''
        io.err(`${file} ${READ_ERRORS[code] ?? `cannot be read (${(err as Error).message})`}. Nothing was stored.`)
        return EXIT_FAILED
      }
      try {
        const id = await withWriteTransaction(database, (trx) =>
          storeDocument(
            cliServiceContext(database, trx, now()),
            { patientId: patient.id, referralId: null, consultationId: null, procedureId: null, kind: kind as DocumentKind, title, documentDate: date ?? clinicToday(now(), settings.settings.timeZone), fileName },
            bytes,
            'import',
          ),
        )
        io.out(`Attached "${title}" (${fileName}, ${bytes.byteLength} bytes) to ${patient.first_name} ${patient.last_name} (${mrn.toUpperCase()}) as document ${id}.`)
        return EXIT_OK
      } catch (err) {
        if (err instanceof AppError) {
          io.err(err.message)
          return err.code === 'invalid_input' ? EXIT_USAGE : EXIT_FAILED
        }
        throw err
      }
    } finally {
      await database.close()
    }
  },
}
