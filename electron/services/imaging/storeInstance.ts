/**
 * Stores one DICOM file for a patient, in the caller's write transaction: its bytes in the blob store, its study
 * and series rows when they are new (the study's creation audited), and its instance row. One file per
 * transaction: an import stopped at any point (Cancel, a crash, a full disk) leaves every stored image whole, with
 * its study, series and bytes.
 */
import type { Tx } from '../../db/tx'
import type { AuditActor } from '../audit'
import { appendAudit } from '../audit'
import { putBlob } from '../blobStore'
import type { DicomHeader } from './dicomFile'
import './imagingTables'

export interface StoreWho {
  actor: AuditActor
  /** users.id of the person importing; null for the command line */
  userId: number | null
  at: string
}

export interface StoreInstanceInput {
  patientId: number
  header: DicomHeader
  bytes: Uint8Array
  /** the user confirmed this study although its patient differed from the chart's: the differences, in words */
  confirmedDifferences: string[] | null
}

export type StoreOutcome = { stored: true; newStudy: boolean; instanceId: number } | { stored: false; reason: 'duplicate' }

export async function instanceExists(db: Tx, patientId: number, sopInstanceUid: string): Promise<boolean> {
  const row = await db.selectFrom('imaging_instances').select('id').where('patient_id', '=', patientId).where('sop_instance_uid', '=', sopInstanceUid).executeTakeFirst()
  return row !== undefined
}

export async function storeInstance(trx: Tx, who: StoreWho, input: StoreInstanceInput): Promise<StoreOutcome> {
  const h = input.header
  // checked again inside the transaction: another workstation may have imported the same disc meanwhile
  if (await instanceExists(trx, input.patientId, h.sopInstanceUid)) return { stored: false, reason: 'duplicate' }

  let newStudy = false
  let study = await trx
    .selectFrom('imaging_studies')
    .select('id')
    .where('patient_id', '=', input.patientId)
    .where('study_instance_uid', '=', h.studyInstanceUid)
    .executeTakeFirst()
  if (!study) {
    const confirmed = input.confirmedDifferences !== null && input.confirmedDifferences.length > 0
    study = await trx
      .insertInto('imaging_studies')
      .values({
        patient_id: input.patientId,
        study_instance_uid: h.studyInstanceUid,
        study_date: h.studyDate,
        description: h.studyDescription,
        accession_number: h.accessionNumber,
        patient_name_on_disc: h.patientName,
        patient_birth_date_on_disc: h.patientBirthDate,
        patient_id_on_disc: h.patientId,
        identity_confirmed_by: confirmed ? who.userId : null,
        identity_confirmed_at: confirmed ? who.at : null,
        imported_at: who.at,
        imported_by: who.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    newStudy = true
    await appendAudit(trx, who.actor, who.at, {
      action: 'imaging.study.import',
      entity: 'imaging_study',
      entityId: study.id,
      patientId: input.patientId,
      details: {
        studyInstanceUid: h.studyInstanceUid,
        studyDate: h.studyDate,
        ...(confirmed ? { identityConfirmed: input.confirmedDifferences } : {}),
      },
    })
  }

  let series = await trx.selectFrom('imaging_series').select('id').where('study_id', '=', study.id).where('series_instance_uid', '=', h.seriesInstanceUid).executeTakeFirst()
  if (!series) {
    series = await trx
      .insertInto('imaging_series')
      .values({
        study_id: study.id,
        series_instance_uid: h.seriesInstanceUid,
        series_number: h.seriesNumber,
        modality: h.modality,
        description: h.seriesDescription,
        body_part: h.bodyPart,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  }

  const blob = await putBlob(trx, input.bytes)
  const instance = await trx
    .insertInto('imaging_instances')
    .values({
      series_id: series.id,
      patient_id: input.patientId,
      sop_instance_uid: h.sopInstanceUid,
      sop_class_uid: h.sopClassUid,
      instance_number: h.instanceNumber,
      pixel_rows: h.rows,
      pixel_columns: h.columns,
      frames: h.frames,
      pixel_spacing_row: h.pixelSpacing?.row ?? null,
      pixel_spacing_column: h.pixelSpacing?.column ?? null,
      imager_spacing_row: h.imagerPixelSpacing?.row ?? null,
      imager_spacing_column: h.imagerPixelSpacing?.column ?? null,
      window_center: h.windowCenter,
      window_width: h.windowWidth,
      slice_location: h.sliceLocation,
      transfer_syntax_uid: h.transferSyntaxUid,
      sha256: blob.sha256,
      size: blob.size,
      imported_at: who.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { stored: true, newStudy, instanceId: instance.id }
}
