import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  cobbAngleDegrees,
  distanceMm,
  measurementSpacing,
  UncalibratedImageError,
  vertebralHeightsMm,
  vertebralMorphometry,
  type PixelSpacingMm,
  type SixPoints,
} from '../../shared/clinical/morphometry'

/**
 * A vertebra drawn upright on the image: anterior wall at x=100, middle at x=150, posterior at x=200; each wall's
 * superior point at row `top`, its inferior point `px` rows lower. With spacing 0.25 mm, 100 rows are 25 mm.
 */
function vertebra(px: { anterior: number; middle: number; posterior: number }, top = 50): SixPoints {
  return {
    superiorAnterior: { x: 100, y: top },
    superiorMiddle: { x: 150, y: top },
    superiorPosterior: { x: 200, y: top },
    inferiorAnterior: { x: 100, y: top + px.anterior },
    inferiorMiddle: { x: 150, y: top + px.middle },
    inferiorPosterior: { x: 200, y: top + px.posterior },
  }
}
const QUARTER: PixelSpacingMm = { row: 0.25, column: 0.25 }

describe('vertebral heights from six points', () => {
  it('gives each wall in mm: rows times the row spacing', () => {
    expect(vertebralHeightsMm(vertebra({ anterior: 60, middle: 80, posterior: 100 }), QUARTER)).toEqual({ anterior: 15, middle: 20, posterior: 25 })
  })
  it('scales y by the row spacing and x by the column spacing (DICOM order: row\\column), not the other way round', () => {
    // 100 rows at 0.2 mm = 20 mm; a swap would give 100 x 0.5 = 50 mm
    expect(vertebralHeightsMm(vertebra({ anterior: 100, middle: 100, posterior: 100 }), { row: 0.2, column: 0.5 }).posterior).toBeCloseTo(20, 10)
    // a horizontal 10-column step at 0.5 mm is 5 mm
    expect(distanceMm({ x: 0, y: 0 }, { x: 10, y: 0 }, { row: 0.2, column: 0.5 })).toBeCloseTo(5, 10)
  })
  it('measures a tilted wall along its length (Pythagoras in mm)', () => {
    // 30 columns x 0.1 mm = 3 mm across, 40 rows x 0.1 mm = 4 mm down: 5 mm
    expect(distanceMm({ x: 10, y: 10 }, { x: 40, y: 50 }, { row: 0.1, column: 0.1 })).toBeCloseTo(5, 10)
  })
  it('refuses a missing, zero, negative or non-numeric pixel spacing, saying the image is not calibrated', () => {
    const points = vertebra({ anterior: 60, middle: 80, posterior: 100 })
    for (const bad of [null, undefined, { row: 0, column: 0.25 }, { row: 0.25, column: 0 }, { row: -0.1, column: 0.1 }, { row: Number.NaN, column: 0.2 }, { row: 0.2 } as PixelSpacingMm]) {
      expect(() => vertebralHeightsMm(points, bad as PixelSpacingMm)).toThrow(UncalibratedImageError)
      expect(() => vertebralHeightsMm(points, bad as PixelSpacingMm)).toThrow(/no calibrated pixel spacing/)
      expect(() => vertebralMorphometry(points, bad as PixelSpacingMm, { kind: 'posterior' })).toThrow(UncalibratedImageError)
    }
  })
  it('refuses a wall whose two points are one point, and a point that is not a number', () => {
    expect(() => vertebralHeightsMm(vertebra({ anterior: 0, middle: 80, posterior: 100 }), QUARTER)).toThrow(/anterior height is 0/)
    const p = vertebra({ anterior: 60, middle: 80, posterior: 100 })
    expect(() => vertebralHeightsMm({ ...p, inferiorMiddle: { x: Number.NaN, y: 3 } }, QUARTER)).toThrow(/Inferior endplate, middle/)
  })
})

describe('height loss, Genant grade and shape from the points', () => {
  // posterior 100 rows = 25 mm; the anterior height decides the loss against it
  const wedge = (anteriorRows: number) => vertebralMorphometry(vertebra({ anterior: anteriorRows, middle: 100, posterior: 100 }), QUARTER, { kind: 'posterior' })

  it('grades at the boundaries of Genant 1993: under 20% grade 0, 20% grade 1, 25% grade 2, 40% grade 2, over 40% grade 3', () => {
    expect([wedge(80.1).heightLossPercent, wedge(80.1).grade]).toEqual([19.9, 0])
    expect([wedge(80).heightLossPercent, wedge(80).grade]).toEqual([20, 1])
    expect([wedge(75.1).heightLossPercent, wedge(75.1).grade]).toEqual([24.9, 1])
    expect([wedge(75).heightLossPercent, wedge(75).grade]).toEqual([25, 2])
    expect([wedge(60).heightLossPercent, wedge(60).grade]).toEqual([40, 2])
    expect([wedge(59.9).heightLossPercent, wedge(59.9).grade]).toEqual([40.1, 3])
  })
  it('a short anterior wall is a wedge; a short middle a biconcave; under 20% is normal whatever the shape', () => {
    expect(wedge(60)).toMatchObject({ shape: 'wedge', heightsMm: { anterior: 15, middle: 25, posterior: 25 }, reference: 'posterior', referenceHeightMm: 25 })
    const biconcave = vertebralMorphometry(vertebra({ anterior: 100, middle: 70, posterior: 100 }), QUARTER, { kind: 'posterior' })
    expect(biconcave).toMatchObject({ shape: 'biconcave', heightLossPercent: 30, grade: 2 })
    expect(wedge(85)).toMatchObject({ shape: 'normal', grade: 0, heightLossPercent: 15 })
  })
  it('against its own posterior height a crush cannot show: the uniformly short body reads 0%', () => {
    const crushed = vertebra({ anterior: 60, middle: 60, posterior: 60 })
    expect(vertebralMorphometry(crushed, QUARTER, { kind: 'posterior' })).toMatchObject({ heightLossPercent: 0, grade: 0, shape: 'normal' })
  })
  it('against the adjacent normal vertebrae (their mean posterior height) the crush is caught and named', () => {
    const crushed = vertebra({ anterior: 60, middle: 60, posterior: 60 }) // 15 mm each wall
    const m = vertebralMorphometry(crushed, QUARTER, { kind: 'adjacent', posteriorHeightsMm: [24, 26] })
    expect(m).toMatchObject({ reference: 'adjacent', referenceHeightMm: 25, heightLossPercent: 40, grade: 2, shape: 'crush' })
    expect(m.reductionPercent).toEqual({ anterior: 0, middle: 0, posterior: 40 })
  })
  it('against the adjacent vertebrae a wedge stays a wedge (its posterior wall is intact)', () => {
    const m = vertebralMorphometry(vertebra({ anterior: 50, middle: 90, posterior: 100 }), QUARTER, { kind: 'adjacent', posteriorHeightsMm: [25] })
    expect(m).toMatchObject({ heightLossPercent: 50, grade: 3, shape: 'wedge' })
  })
  it('refuses an adjacent reference without a vertebra, or with a height that is not one', () => {
    const p = vertebra({ anterior: 60, middle: 80, posterior: 100 })
    expect(() => vertebralMorphometry(p, QUARTER, { kind: 'adjacent', posteriorHeightsMm: [] })).toThrow(/at least one adjacent/)
    expect(() => vertebralMorphometry(p, QUARTER, { kind: 'adjacent', posteriorHeightsMm: [25, 0] })).toThrow(/above 0/)
  })
  it('the grade does not depend on where the vertebra sits or on the scale (a ratio), only the mm do', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 100 }),
        fc.integer({ min: 30, max: 100 }),
        fc.double({ min: 0.05, max: 2, noNaN: true }),
        fc.integer({ min: 0, max: 2000 }),
        (anterior, middle, spacing, top) => {
          const a = vertebralMorphometry(vertebra({ anterior, middle, posterior: 100 }, top), { row: spacing, column: spacing }, { kind: 'posterior' })
          const b = vertebralMorphometry(vertebra({ anterior, middle, posterior: 100 }), QUARTER, { kind: 'posterior' })
          return a.grade === b.grade && a.shape === b.shape && Math.abs(a.heightLossPercent - b.heightLossPercent) <= 0.1
        },
      ),
    )
  })
})

describe('Cobb angle between two endplates', () => {
  const flat = { anterior: { x: 100, y: 100 }, posterior: { x: 200, y: 100 } }
  it('is 0 for parallel endplates and 90 for perpendicular ones', () => {
    expect(cobbAngleDegrees(flat, { anterior: { x: 100, y: 300 }, posterior: { x: 200, y: 300 } }, QUARTER)).toBe(0)
    expect(cobbAngleDegrees(flat, { anterior: { x: 150, y: 300 }, posterior: { x: 150, y: 400 } }, QUARTER)).toBe(90)
  })
  it('gives the angle between the lines, tilted either way (20 degrees)', () => {
    const t = Math.tan((20 * Math.PI) / 180) * 100
    expect(cobbAngleDegrees(flat, { anterior: { x: 100, y: 300 }, posterior: { x: 200, y: 300 + t } }, QUARTER)).toBe(20)
    expect(cobbAngleDegrees(flat, { anterior: { x: 100, y: 300 }, posterior: { x: 200, y: 300 - t } }, QUARTER)).toBe(20)
  })
  it('is taken in mm: non-square pixels change the angle the pixels show', () => {
    // 100 columns across, 100 rows down: 45 degrees in pixels; with rows twice as far apart, atan(2) = 63.4 degrees
    const tilted = { anterior: { x: 100, y: 100 }, posterior: { x: 200, y: 200 } }
    expect(cobbAngleDegrees(flat, tilted, { row: 0.2, column: 0.2 })).toBe(45)
    expect(cobbAngleDegrees(flat, tilted, { row: 0.4, column: 0.2 })).toBe(63.4)
  })
  it('keeps an angle beyond 90 degrees (both lines run anterior to posterior)', () => {
    const back = { anterior: { x: 200, y: 300 }, posterior: { x: 100, y: 300 - Math.tan((10 * Math.PI) / 180) * 100 } }
    expect(cobbAngleDegrees(flat, back, QUARTER)).toBe(170)
  })
  it('refuses a missing spacing and an endplate whose two points are one', () => {
    expect(() => cobbAngleDegrees(flat, flat, { row: 0, column: 0.2 })).toThrow(UncalibratedImageError)
    expect(() => cobbAngleDegrees(flat, { anterior: { x: 1, y: 1 }, posterior: { x: 1, y: 1 } }, QUARTER)).toThrow(/lower endplate's two points are the same/)
  })
})

describe('which spacing calibrates the image', () => {
  it('prefers Pixel Spacing (in the patient), then Imager Pixel Spacing (at the detector), else none', () => {
    const s = { row: 0.14, column: 0.14 }
    const d = { row: 0.16, column: 0.16 }
    expect(measurementSpacing({ pixelSpacing: s, imagerPixelSpacing: d })).toEqual({ spacing: s, source: 'patient' })
    expect(measurementSpacing({ pixelSpacing: null, imagerPixelSpacing: d })).toEqual({ spacing: d, source: 'detector' })
    expect(measurementSpacing({ pixelSpacing: { row: 0, column: 0 }, imagerPixelSpacing: null })).toBeNull()
  })
})
