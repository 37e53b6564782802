/**
 * The part of a measured image its preview shows (MeasuredImagePreview.tsx): a square around the six points. Kept
 * apart from the drawing (measuredPreview.ts) so that the chart can place the points without loading dwv.
 */
import type { MeasurementSummary } from '../../../shared/schemas/imagingViewer'
import type { ImageCrop } from './dwvStage'

/**
 * Margin around the points' bounding box on each side, as a share of its larger span: a disc space is about a
 * quarter of a vertebral body's height, so 40% shows the neighbouring endplates above and below.
 */
const MARGIN = 0.4

/** The square (in millimetres, so non-square pixels keep their shape) around the six points, and its side in mm. */
export function previewCrop(m: Pick<MeasurementSummary, 'points' | 'spacing'>): { crop: ImageCrop; sideMm: number; leftMm: number; topMm: number } {
  const pts = Object.values(m.points).map((p) => ({ x: p.x * m.spacing.column, y: p.y * m.spacing.row }))
  const xs = pts.map((p) => p.x)
  const ys = pts.map((p) => p.y)
  const minX = Math.min(...xs)
  const minY = Math.min(...ys)
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY, 1e-3)
  const sideMm = span * (1 + 2 * MARGIN)
  const leftMm = (minX + Math.max(...xs)) / 2 - sideMm / 2
  const topMm = (minY + Math.max(...ys)) / 2 - sideMm / 2
  return {
    crop: { x: leftMm / m.spacing.column, y: topMm / m.spacing.row, width: sideMm / m.spacing.column, height: sideMm / m.spacing.row },
    sideMm,
    leftMm,
    topMm,
  }
}
