/**
 * Vertebral morphometry on a lateral image (issue 20 point 3): six points placed on one vertebral body give its
 * anterior, middle and posterior heights in millimetres, its height loss against a named reference, its shape and
 * its Genant grade. The grading is the app's own (genant.ts, heightLossPercent in height.ts); this module only
 * turns pixels into millimetres and names the shape.
 *
 * Sources:
 * - Genant HK, Wu CY, van Kuijk C, Nevitt MC. Vertebral fracture assessment using a semiquantitative technique.
 *   J Bone Miner Res 1993;8(9):1137-1148: the grade from the height loss (genant.ts) and the three shapes of a
 *   deformity (wedge: the anterior height reduced; biconcave: the middle height; crush: the whole body, the
 *   posterior height included).
 * - Eastell R, Cedel SL, Wahner HW, Riggs BL, Melton LJ 3rd. Classification of vertebral fractures.
 *   J Bone Miner Res 1991;6(3):207-215: the ratios that tell the shapes apart (anterior/posterior,
 *   middle/posterior, and the posterior height against the adjacent vertebrae's), used here to name the shape.
 * - Cobb JR. Outline for the study of scoliosis. AAOS Instructional Course Lectures 1948;5:261-275: the angle
 *   between two endplates, used on a lateral image as the kyphotic angle.
 *
 * Coordinates are image pixels: x is the column, y the row, as a viewer reports a click. DICOM's Pixel Spacing
 * (0028,0030) is "row spacing\column spacing": the first value is the distance between two rows (it scales a
 * step in y), the second the distance between two columns (a step in x). Pixels need not be square, so both are
 * applied before any distance or angle is taken.
 */
import { genantGrade, type GenantGrade } from './genant'
import { heightLossPercent, HEIGHT_WALLS, type HeightWall, type WallHeights } from './height'

export interface ImagePoint {
  /** column, in pixels (fractions allowed: a click lands between pixel centres) */
  x: number
  /** row, in pixels */
  y: number
}

/** mm per pixel: `row` between two rows (a step in y), `column` between two columns (a step in x). */
export interface PixelSpacingMm {
  row: number
  column: number
}

/** The six standard points: anterior, middle and posterior on the superior and on the inferior endplate. */
export interface SixPoints {
  superiorAnterior: ImagePoint
  superiorMiddle: ImagePoint
  superiorPosterior: ImagePoint
  inferiorAnterior: ImagePoint
  inferiorMiddle: ImagePoint
  inferiorPosterior: ImagePoint
}

export const SIX_POINT_NAMES = ['superiorAnterior', 'superiorMiddle', 'superiorPosterior', 'inferiorAnterior', 'inferiorMiddle', 'inferiorPosterior'] as const satisfies readonly (keyof SixPoints)[]

export const SIX_POINT_LABELS: Record<keyof SixPoints, string> = {
  superiorAnterior: 'Superior endplate, anterior',
  superiorMiddle: 'Superior endplate, middle',
  superiorPosterior: 'Superior endplate, posterior',
  inferiorAnterior: 'Inferior endplate, anterior',
  inferiorMiddle: 'Inferior endplate, middle',
  inferiorPosterior: 'Inferior endplate, posterior',
}

/** What "normal height" the loss is measured against; named on screen and kept with the measurement. */
export type HeightReference =
  | { kind: 'posterior' }
  /** the posterior heights (mm) of the adjacent vertebrae read as normal: one or two, usually above and below */
  | { kind: 'adjacent'; posteriorHeightsMm: readonly number[] }

export const HEIGHT_REFERENCE_LABELS: Record<HeightReference['kind'], string> = {
  posterior: "the same vertebra's posterior height",
  adjacent: "the adjacent normal vertebrae's mean posterior height",
}

export type DeformityShape = 'normal' | 'wedge' | 'biconcave' | 'crush'

export const DEFORMITY_SHAPE_LABELS: Record<DeformityShape, string> = {
  normal: 'No deformity (under 20% height loss)',
  wedge: 'Wedge (anterior height reduced)',
  biconcave: 'Biconcave (middle height reduced)',
  crush: 'Crush (whole body, posterior height reduced)',
}

/** The image gives no millimetres: refused rather than measured in pixels or on a guessed scale. */
export class UncalibratedImageError extends RangeError {
  constructor(detail: string) {
    super(`This image has no calibrated pixel spacing (${detail}), so nothing on it can be measured in millimetres. Use an image with a pixel spacing, or calibrate it first.`)
    this.name = 'UncalibratedImageError'
  }
}

function checkSpacing(spacing: PixelSpacingMm | null | undefined): PixelSpacingMm {
  if (!spacing) throw new UncalibratedImageError('none given')
  for (const k of ['row', 'column'] as const) {
    const v = spacing[k]
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UncalibratedImageError(`${k} spacing missing`)
    if (v <= 0) throw new UncalibratedImageError(`${k} spacing is ${v} mm`)
  }
  return spacing
}

function checkPoint(p: ImagePoint | undefined, name: string): ImagePoint {
  if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) throw new RangeError(`${name} must be a point on the image (x and y in pixels)`)
  return p
}

/** The distance between two image points, in mm, with each axis scaled by its own spacing. */
export function distanceMm(a: ImagePoint, b: ImagePoint, spacing: PixelSpacingMm): number {
  const s = checkSpacing(spacing)
  checkPoint(a, 'the first point')
  checkPoint(b, 'the second point')
  return Math.hypot((b.x - a.x) * s.column, (b.y - a.y) * s.row)
}

const round1 = (n: number) => Math.round(n * 10) / 10

/** Anterior, middle and posterior heights in mm (not rounded: round for display only). */
export function vertebralHeightsMm(points: SixPoints, spacing: PixelSpacingMm): WallHeights {
  const s = checkSpacing(spacing)
  for (const name of SIX_POINT_NAMES) checkPoint(points[name], SIX_POINT_LABELS[name])
  const heights: WallHeights = {
    anterior: distanceMm(points.superiorAnterior, points.inferiorAnterior, s),
    middle: distanceMm(points.superiorMiddle, points.inferiorMiddle, s),
    posterior: distanceMm(points.superiorPosterior, points.inferiorPosterior, s),
  }
  for (const w of HEIGHT_WALLS) {
    if (!(heights[w] > 0)) throw new RangeError(`the ${w} height is 0: its superior and inferior points are the same point`)
  }
  return heights
}

export interface Morphometry {
  /** mm, one decimal */
  heightsMm: WallHeights
  reference: HeightReference['kind']
  /** the height the loss is measured against, mm, one decimal */
  referenceHeightMm: number
  /** percent, one decimal (heightLossPercent in height.ts) */
  heightLossPercent: number
  grade: GenantGrade
  shape: DeformityShape
  /** each wall's shortfall against its comparison, percent, one decimal (what decided the shape) */
  reductionPercent: Record<HeightWall, number>
}

function referenceHeight(ref: HeightReference, heights: WallHeights): number {
  if (ref.kind === 'posterior') return heights.posterior
  const hs = ref.posteriorHeightsMm
  if (hs.length === 0) throw new RangeError('adjacent reference needs the posterior height of at least one adjacent normal vertebra')
  for (const h of hs) if (!Number.isFinite(h) || h <= 0) throw new RangeError(`adjacent vertebra's posterior height must be a height in mm above 0, got ${h}`)
  return hs.reduce((a, b) => a + b, 0) / hs.length
}

/**
 * Heights, height loss, grade and shape from the six points. The loss is the app's heightLossPercent: against
 * the same vertebra's posterior height, the shorter of the anterior and middle heights; against the adjacent
 * vertebrae, the shortest of the three (so a crush, which shortens the posterior wall too, is caught; against
 * its own posterior height a crush cannot show, and is never named).
 *
 * The shape is the wall with the largest reduction (Eastell 1991's ratios): anterior against posterior (wedge),
 * middle against posterior (biconcave), posterior against the adjacent vertebrae (crush). A tie goes to wedge,
 * then biconcave: the more common deformities in osteoporosis. Grade 0 is 'normal', whatever the ratios.
 */
export function vertebralMorphometry(points: SixPoints, spacing: PixelSpacingMm, reference: HeightReference): Morphometry {
  const heights = vertebralHeightsMm(points, spacing)
  const refHeight = referenceHeight(reference, heights)
  const loss = heightLossPercent(heights, reference.kind === 'posterior' ? undefined : refHeight)
  const grade = genantGrade(loss)
  const shortfall = (h: number, of: number) => round1(Math.max(0, (1 - h / of) * 100))
  const reductionPercent: Record<HeightWall, number> = {
    anterior: shortfall(heights.anterior, heights.posterior),
    middle: shortfall(heights.middle, heights.posterior),
    posterior: reference.kind === 'adjacent' ? shortfall(heights.posterior, refHeight) : 0,
  }
  let shape: DeformityShape = 'normal'
  if (grade > 0) {
    const { anterior, middle, posterior } = reductionPercent
    shape = posterior > anterior && posterior > middle ? 'crush' : middle > anterior ? 'biconcave' : 'wedge'
  }
  return {
    heightsMm: { anterior: round1(heights.anterior), middle: round1(heights.middle), posterior: round1(heights.posterior) },
    reference: reference.kind,
    referenceHeightMm: round1(refHeight),
    heightLossPercent: loss,
    grade,
    shape,
    reductionPercent,
  }
}

/** An endplate's line: two points on it, in the order the physician places them (anterior, then posterior). */
export interface EndplateLine {
  anterior: ImagePoint
  posterior: ImagePoint
}

/**
 * The Cobb angle between two endplate lines, in degrees (0 to 180, one decimal): the angle between the two lines
 * each directed from its anterior to its posterior point, in millimetre space (so non-square pixels do not bend
 * it). Directed lines keep a kyphosis beyond 90 degrees from folding back below 90. Kyphosis or lordosis is not
 * told apart: that depends on which way the patient faces on the image, which the viewer knows.
 */
export function cobbAngleDegrees(upper: EndplateLine, lower: EndplateLine, spacing: PixelSpacingMm): number {
  const s = checkSpacing(spacing)
  const vec = (l: EndplateLine, name: string) => {
    const a = checkPoint(l?.anterior, `${name} endplate's anterior point`)
    const p = checkPoint(l?.posterior, `${name} endplate's posterior point`)
    const v = { x: (p.x - a.x) * s.column, y: (p.y - a.y) * s.row }
    if (v.x === 0 && v.y === 0) throw new RangeError(`the ${name} endplate's two points are the same point: it has no direction`)
    return v
  }
  const u = vec(upper, 'upper')
  const v = vec(lower, 'lower')
  const angle = Math.abs(Math.atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y)) * (180 / Math.PI)
  return round1(angle)
}

/**
 * Which spacing calibrates a measurement on a DICOM image: Pixel Spacing (0028,0030), the spacing in the patient,
 * when the image has it; otherwise Imager Pixel Spacing (0018,1164), the spacing at the detector of a radiograph,
 * which reads a body part larger than it is by the beam's magnification (often 10 to 20%). The height loss and
 * the grade are ratios and do not change; the millimetres do, which is why the source is returned to be shown.
 * Null when the image has neither (refused by the measurements).
 */
export function measurementSpacing(meta: {
  pixelSpacing: PixelSpacingMm | null
  imagerPixelSpacing: PixelSpacingMm | null
}): { spacing: PixelSpacingMm; source: 'patient' | 'detector' } | null {
  const usable = (s: PixelSpacingMm | null) => s !== null && Number.isFinite(s.row) && Number.isFinite(s.column) && s.row > 0 && s.column > 0
  if (usable(meta.pixelSpacing)) return { spacing: meta.pixelSpacing!, source: 'patient' }
  if (usable(meta.imagerPixelSpacing)) return { spacing: meta.imagerPixelSpacing!, source: 'detector' }
  return null
}
