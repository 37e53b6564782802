import { writeFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { isValidIsoDate } from '../../../shared/dates'
import { AppError } from '../../../shared/result'
import { auditSystem } from '../../services/systemAudit'
import { exportProviderIcs } from '../../services/schedulingExport'
import { cliActor, EXIT_OK, openTarget, requireString, UsageError, type Command, type CommandContext } from '../common'
import { dischargesExporter } from './exportDischarges'
import { FILTER_HELP } from './exportFilter'
import { fhirExporter } from './exportFhir'
import { outcomesExporter } from './exportOutcomes'

/** One kind of export: `npm run admin -- export <kind> …`. */
export interface Exporter {
  summary: string
  usage: string
  run(ctx: CommandContext): Promise<number>
}

function dateOption(values: CommandContext['values'], name: string): string {
  const v = requireString(values, name, 'a date written YYYY-MM-DD')
  if (!isValidIsoDate(v)) throw new UsageError(`--${name} must be a real date written YYYY-MM-DD (got "${v}").`)
  return v
}

function outFile(values: CommandContext['values']): string {
  const out = path.resolve(requireString(values, 'out', 'the file to write'))
  if (existsSync(out)) throw new UsageError(`--out: ${out} already exists; an export never overwrites a file.`)
  return out
}

const scheduleExporter: Exporter = {
  summary: "a physician's appointments for a date range as an iCalendar (.ics) file",
  usage: 'export schedule --provider ID --from DATE --to DATE --format ics --out FILE',
  async run({ io, values, target, now }) {
    const provider = Number(requireString(values, 'provider', "the physician's user id (see the Users screen)"))
    if (!Number.isInteger(provider) || provider <= 0) throw new UsageError(`--provider must be a user id (a whole number), not "${values.provider}".`)
    const from = dateOption(values, 'from')
    const to = dateOption(values, 'to')
    const format = (values.format as string | undefined) ?? 'ics'
    if (format !== 'ics') throw new UsageError(`--format: schedules export as ics (got "${format}").`)
    const out = outFile(values)
    const database = openTarget(target)
    try {
      let file
      try {
        file = await exportProviderIcs(database.db, provider, from, to)
      } catch (err) {
        // The service names the field in its own terms; on the command line it is an option.
        if (err instanceof AppError && err.code === 'invalid_input') {
          const field = Object.keys(err.fields ?? {})[0] ?? ''
          const option = field === 'providerId' ? '--provider' : field ? `--${field}` : ''
          throw new UsageError(`${option ? `${option}: ` : ''}${err.message}`)
        }
        throw err
      }
      writeFileSync(out, file.ics)
      await auditSystem(database, cliActor(), now(), {
        action: 'schedule.export',
        entity: 'provider_schedule',
        entityId: provider,
        details: { format: 'ics', from, to, events: file.events, patientIds: file.patientIds, out, via: 'cli' },
      })
      io.out(`Wrote ${file.events} appointment${file.events === 1 ? '' : 's'} to ${out}`)
      return EXIT_OK
    } finally {
      await database.close()
    }
  },
}

/** The kinds of export; later features add theirs here. */
export const EXPORTERS: Record<string, Exporter> = {
  schedule: scheduleExporter,
  outcomes: outcomesExporter,
  discharges: dischargesExporter,
  fhir: fhirExporter,
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'export records to a file (schedule as iCalendar, outcomes as CSV, discharge PDFs, FHIR; see --help)',
  get help() {
    return `Usage: npm run admin -- export <kind> [options]

Kinds:
${Object.entries(EXPORTERS)
  .map(([k, e]) => `  ${k.padEnd(10)} ${e.summary}\n             npm run admin -- ${e.usage}`)
  .join('\n')}

Every export is written to the audit log with its filter and how many records it holds.
An export never overwrites an existing file.

  --provider ID   (schedule) the physician's user id
  --from DATE     first day, YYYY-MM-DD
  --to DATE       last day, YYYY-MM-DD (inclusive)
  --format F      file format (schedule: ics; outcomes: csv)
  --out FILE      the file to write (discharges: the folder)

Outcomes, discharges and fhir select procedures by date (never those entered in error):
${FILTER_HELP}
  --deidentify        (outcomes) no names, MRN, contact details, exact birth dates, free text or record ids;
                      the patient becomes a stable random code (made on first export, kept in the database)
Columns of the outcome CSV: README, "Exports".`
  },
  options: {
    provider: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    physician: { type: 'string' },
    kind: { type: 'string' },
    deidentify: { type: 'boolean' },
  },
  positionals: 1,
  async run(ctx) {
    const kind = ctx.args[0]
    if (!kind) throw new UsageError(`Which export? One of: ${Object.keys(EXPORTERS).join(', ')}.`)
    const exporter = EXPORTERS[kind]
    if (!exporter) throw new UsageError(`Unknown export "${kind}"; one of: ${Object.keys(EXPORTERS).join(', ')}.`)
    return exporter.run(ctx)
  },
}
