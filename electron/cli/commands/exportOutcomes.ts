import { existsSync } from 'node:fs'
import path from 'node:path'
import type { AppDatabase } from '../../db/connect'
import { exportOutcomesCsvFile } from '../../services/outcomes/exports'
import { cliActor, requireString, UsageError, type CommandContext } from '../common'
import type { Exporter } from './export'
import { withFilter } from './exportFilter'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'

export const outcomesExporter: Exporter = {
  summary: 'one CSV row per procedure: levels, kind, disposition, baseline and follow-up scores',
  usage: 'export outcomes --from DATE --to DATE --format csv --out FILE [--deidentify] [--physician NAME] [--kind KIND]',
  run: (ctx) => withFilter(ctx, (database, filter) => exportOutcomes(ctx, database, filter, requireString(ctx.values, 'out', 'the file to write'))),
}

async function exportOutcomes(ctx: CommandContext, database: AppDatabase, filter: OutcomeFilter, out: string): Promise<number> {
  const format = (ctx.values.format as string | undefined) ?? 'csv'
  if (format !== 'csv') throw new UsageError(`--format ${format}: outcomes are exported as csv (use "export fhir" for FHIR).`)
  if (existsSync(out)) throw new UsageError(`--out: ${out} exists already; choose another name (nothing is overwritten).`)
  const started = Date.now()
  const rows = await exportOutcomesCsvFile(database, filter, path.resolve(out), { deidentify: Boolean(ctx.values.deidentify) }, { actor: cliActor(), now: ctx.now })
  ctx.io.out(`Wrote ${rows} procedure${rows === 1 ? '' : 's'} to ${out}${ctx.values.deidentify ? ' (de-identified)' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
  return rows
}
