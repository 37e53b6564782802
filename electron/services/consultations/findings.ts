/** Imaging findings per vertebra, saved as the note's whole list. */
import type { ConsultationView, FindingFields } from '../../../shared/schemas/consultations'
import type { ServiceContext } from '../context'
import { assertNotFuture, beginNoteChange, bit, loadFindings } from './rows'
import { buildView } from './view'

export async function saveFindings(ctx: ServiceContext, input: { consultationId: number; version: number; findings: FindingFields[] }): Promise<ConsultationView> {
  const note = await beginNoteChange(ctx, input.consultationId, input.version, 'consultationId')
  await assertNotFuture(ctx, Object.fromEntries(input.findings.map((f, i) => [`findings.${i}.imagingDate`, f.imagingDate])))
  const before = (await loadFindings(ctx.db, note.id)).map((f) => f.level)
  await ctx.db.deleteFrom('consultation_findings').where('consultation_id', '=', note.id).execute()
  for (const f of input.findings) {
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
      })
      .execute()
  }
  await ctx.audit({
    action: 'consultation.findings',
    entity: 'consultation',
    entityId: note.id,
    patientId: note.patient_id,
    details: { before, after: input.findings.map((f) => f.level) },
  })
  return buildView(ctx.db, note.id)
}
