import type { AppDatabase } from '../../db/connect'
import { exportDischargePdfs } from '../../services/outcomes/exports'
import { cliActor, requireString, type CommandContext } from '../common'
import type { Exporter } from './export'
import { withFilter } from './exportFilter'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'

/**
 * The discharge summary PDFs of the procedures in the range, one file each: the stored, signed PDF (refused if
 * its bytes no longer match their SHA-256), or a draft marked "DRAFT - NOT SIGNED". Entered in error: left out.
 */
export const dischargesExporter: Exporter = {
  summary: 'the discharge summary PDFs of the procedures in a date range, one file each, into a folder',
  usage: 'export discharges --from DATE --to DATE --out FOLDER [--physician NAME] [--kind KIND]',
  run: (ctx) => withFilter(ctx, (database, filter) => exportDischarges(ctx, database, filter, requireString(ctx.values, 'out', 'the folder to write the PDFs into'))),
}

async function exportDischarges(ctx: CommandContext, database: AppDatabase, filter: OutcomeFilter, out: string): Promise<number> {
  const { files, drafts } = await exportDischargePdfs(database, filter, out, { actor: cliActor(), now: ctx.now })
  ctx.io.out(`Wrote ${files.length} discharge summar${files.length === 1 ? 'y' : 'ies'} to ${out}${drafts ? ` (${drafts} unsigned draft${drafts === 1 ? '' : 's'}, marked as such)` : ''}.`)
  return files.length
}
