/**
 * One stored image's DICOM file for the viewer, exactly as imported (from the blob store). Not audited on its own:
 * the viewer reads a study's images only after imaging.studies.open, which records the opening.
 */
import { AppError } from '../../../shared/result'
import type { InstanceContent } from '../../../shared/schemas/imagingViewer'
import { getBlob } from '../blobStore'
import type { ServiceContext } from '../context'
import './imagingTables'

export async function instanceContent(ctx: ServiceContext, input: { instanceId: number }): Promise<InstanceContent> {
  const row = await ctx.db.selectFrom('imaging_instances').select(['id', 'sop_instance_uid', 'sha256']).where('id', '=', input.instanceId).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no stored image with id ${input.instanceId}.`, { instanceId: 'no such image' })
  const bytes = await getBlob(ctx.db, row.sha256)
  if (!bytes) throw new AppError('internal', `The file of image ${row.sop_instance_uid} is missing from the database (run verify).`)
  return { instanceId: row.id, sopInstanceUid: row.sop_instance_uid, content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') }
}
