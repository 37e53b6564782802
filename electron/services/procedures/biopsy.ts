/**
 * A level's biopsy result (issue 17 point 7). Pathology reports days after the procedure, when the note is signed
 * and locked, so the result is its own append-only record beside the note (never changed or deleted: migration
 * 0022's triggers); a corrected report is recorded again and the newest result is the one in force.
 */
import { AppError } from '../../../shared/result'
import type { ProcedureView, RecordBiopsyResult } from '../../../shared/schemas/procedures'
import { BIOPSY_RESULT_LABELS } from '../../../shared/schemas/procedures'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { userName } from '../consultations/rows'
import { signingState } from '../signing'
import { buildView } from './note'
import { loadLevels, loadProcedure } from './rows'

/**
 * Any physician records a result (the report may reach a colleague of the one who operated) against a signed
 * note, at a level where the note says a biopsy was taken. A draft is refused: its levels can still change, and
 * the result would hang off a level the signed note might not hold.
 */
export async function recordBiopsyResult(ctx: ServiceContext, input: RecordBiopsyResult): Promise<ProcedureView> {
  const actor = requireActor(ctx)
  const row = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  const state = await signingState(ctx.db, 'procedure', row.id)
  if (state.status === 'enteredInError') throw new AppError('locked', `The procedure note of ${row.procedure_date} was entered in error; nothing more can be recorded on it.`)
  if (state.status !== 'signed') {
    throw new AppError('conflict', 'Sign the procedure note first: a biopsy result is recorded against the signed note.', { procedureId: 'is not signed yet' })
  }
  const level = (await loadLevels(ctx.db, row.id)).find((l) => l.level === input.level)
  if (!level) throw new AppError('invalid_input', `Level ${input.level} was not treated in this procedure.`, { level: `${input.level} was not treated in this procedure` })
  if (level.biopsyTaken !== true) {
    throw new AppError('invalid_input', `Level ${input.level}: the note does not record a biopsy taken there.`, { level: `has no biopsy taken (${input.level}); correct the note with an addendum` })
  }
  const created = await ctx.db
    .insertInto('procedure_biopsy_results')
    .values({ procedure_id: row.id, patient_id: row.patient_id, level: input.level, result: input.result, text: input.text, recorded_at: nowIso(ctx), recorded_by: actor.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'procedure.biopsyResult',
    entity: 'procedureBiopsyResult',
    entityId: created.id,
    patientId: row.patient_id,
    details: { procedureId: row.id, level: input.level, result: input.result, resultLabel: BIOPSY_RESULT_LABELS[input.result], recordedBy: await userName(ctx.db, actor.id) },
  })
  return buildView(ctx.db, row.id)
}
