import { existsSync } from 'node:fs'
import path from 'node:path'
import type { AppDatabase } from '../../db/connect'
import { exportFhirFile } from '../../services/outcomes/exports'
import { cliActor, requireString, UsageError, type CommandContext } from '../common'
import type { Exporter } from './export'
import { withFilter } from './exportFilter'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'

export const fhirExporter: Exporter = {
  summary: 'a FHIR R4 Bundle (collection) of the procedures in a date range: Patient, Appointment, Encounter, Procedure, Condition, Observation',
  usage: 'export fhir --from DATE --to DATE --out FILE [--physician NAME] [--kind KIND]',
  run: (ctx) => withFilter(ctx, (database, filter) => exportFhir(ctx, database, filter, requireString(ctx.values, 'out', 'the file to write'))),
}

async function exportFhir(ctx: CommandContext, database: AppDatabase, filter: OutcomeFilter, out: string): Promise<number> {
  if (existsSync(out)) throw new UsageError(`--out: ${out} exists already; choose another name (nothing is overwritten).`)
  const n = await exportFhirFile(database, filter, path.resolve(out), { actor: cliActor(), now: ctx.now })
  ctx.io.out(`Wrote a FHIR R4 bundle of ${n} procedure${n === 1 ? '' : 's'} to ${out}.`)
  return n
}
