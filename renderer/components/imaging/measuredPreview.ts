/**
 * A measurement's preview on the record it went into (issue 20 point 4): the measured image itself, cropped around
 * the vertebra, made in the series thumbnails' queue (one at a time, never while a viewer stage loads its image)
 * and kept for the session, once per measurement. Loaded with dwv (a lazy chunk), never in the first bundle.
 */
import type { MeasurementSummary } from '../../../shared/schemas/imagingViewer'
import { renderThumbnail } from './dwvStage'
import { previewCrop } from './previewCrop'
import { queuedPicture, THUMBNAIL_WAIT_MS, type Thumbnail } from './seriesThumbnails'

/** Pixels of the preview's square (shown smaller, so that it stays sharp on a high-density screen). */
export const PREVIEW_PX = 224
/** The measured image cropped around the vertebra, made once per measurement. */
export function measuredPreviewOf(m: Pick<MeasurementSummary, 'id' | 'instanceId' | 'points' | 'spacing'>): Promise<Thumbnail> {
  const { crop } = previewCrop(m)
  return queuedPicture(`measurement ${m.id}`, m.instanceId, (bytes) => renderThumbnail(bytes, PREVIEW_PX, THUMBNAIL_WAIT_MS, crop))
}
