/** Imaging findings per vertebra, saved as the note's whole list. */
import type { ConsultationView, FindingFields } from '../../../shared/schemas/consultations'
import type { ConsultationRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { assertNotFuture } from '../records/today'
import { beginNoteChange, bit, loadFindings } from './rows'
import { buildView } from './view'

export async function saveFindings(ctx: ServiceContext, input: { consultationId: number; version: number; findings: FindingFields[] }): Promise<ConsultationView> {
  const note = await beginNoteChange(ctx, input.consultationId, input.version, 'consultationId')
  await writeFindings(ctx, note, input.findings)
  return buildView(ctx.db, note.id)
}

/** Replaces the note's findings (the note's change begun: beginNoteChange), with its audit row. */
export async function writeFindings(ctx: ServiceContext, note: ConsultationRow, findings: FindingFields[]): Promise<void> {
  await assertNotFuture(ctx, Object.fromEntries(findings.map((f, i) => [`findings.${i}.imagingDate`, f.imagingDate])))
  const before = (await loadFindings(ctx.db, note.id)).map((f) => f.level)
  await ctx.db.deleteFrom('consultation_findings').where('consultation_id', '=', note.id).execute()
  for (const f of findings) {
    await ctx.db
      .insertInto('consultation_findings')
      .values({
        consultation_id: note.id,
        patient_id: note.patient_id,
        level: f.level,
        modality: f.modality,
        imaging_date: f.imagingDate,
        acuity: f.acuity,
        marrow_oedema: bit(f.marrowOedema),
        height_loss_percent: f.heightLossPercent,
        retropulsion: f.retropulsion ? 1 : 0,
        canal_compromise: f.canalCompromise ? 1 : 0,
        fracture_type: f.fractureType,
        notes: f.notes,
        fracture_cause: f.fractureCause,
        tenderness: f.tenderness,
        intravertebral_cleft: f.intravertebralCleft,
      })
      .execute()
  }
  await ctx.audit({
    action: 'consultation.findings',
    entity: 'consultation',
    entityId: note.id,
    patientId: note.patient_id,
    details: { before, after: findings.map((f) => f.level) },
  })
}
