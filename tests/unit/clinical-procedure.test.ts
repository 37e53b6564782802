import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deriveCptCodes } from '../../shared/clinical/cpt'
import { heightLossPercent, heightRestoration } from '../../shared/clinical/height'
import { compareLevels, levelRegion, sortLevels, VERTEBRAL_LEVELS, type VertebralLevel } from '../../shared/clinical/levels'

describe('vertebral levels', () => {
  it('runs C1 to S5 in order, 29 levels, with their regions', () => {
    expect(VERTEBRAL_LEVELS).toHaveLength(29)
    expect(VERTEBRAL_LEVELS[0]).toBe('C1')
    expect(VERTEBRAL_LEVELS.at(-1)).toBe('S5')
    expect(['C7', 'T1', 'T12', 'L1', 'L5', 'S1'].map((l) => levelRegion(l as VertebralLevel))).toEqual([
      'cervical', 'thoracic', 'thoracic', 'lumbar', 'lumbar', 'sacral',
    ])
    expect(VERTEBRAL_LEVELS.filter((l) => levelRegion(l) === 'thoracic')).toHaveLength(12)
  })
  it('sorts cranial first (T2 before T10, T12 before L1) and drops repeats', () => {
    expect(sortLevels(['L1', 'T10', 'T2', 'T12', 'L1'])).toEqual(['T2', 'T10', 'T12', 'L1'])
    expect(compareLevels('T12', 'L1')).toBeLessThan(0)
  })
})

describe('CPT codes', () => {
  it('vertebroplasty: 22510 cervicothoracic or 22511 lumbosacral first level, 22512 each additional', () => {
    expect(deriveCptCodes('vertebroplasty', ['T8']).summary).toEqual([{ code: '22510', units: 1 }])
    expect(deriveCptCodes('vertebroplasty', ['C6']).summary).toEqual([{ code: '22510', units: 1 }])
    expect(deriveCptCodes('vertebroplasty', ['L2', 'L3', 'L4']).summary).toEqual([{ code: '22511', units: 1 }, { code: '22512', units: 2 }])
  })
  it('kyphoplasty: 22513 thoracic or 22514 lumbar first level, 22515 each additional', () => {
    expect(deriveCptCodes('kyphoplasty', ['T11']).summary).toEqual([{ code: '22513', units: 1 }])
    expect(deriveCptCodes('kyphoplasty', ['L1', 'L2']).summary).toEqual([{ code: '22514', units: 1 }, { code: '22515', units: 1 }])
  })
  it('a mixed thoracic and lumbar session: the first level treated takes the primary code of its region', () => {
    const tl = deriveCptCodes('kyphoplasty', ['T12', 'L1'])
    expect(tl.lines).toEqual([
      { level: 'T12', code: '22513', primary: true },
      { level: 'L1', code: '22515', primary: false },
    ])
    expect(deriveCptCodes('kyphoplasty', ['L1', 'T12']).summary).toEqual([{ code: '22514', units: 1 }, { code: '22515', units: 1 }])
    expect(deriveCptCodes('vertebroplasty', ['T12', 'L1', 'L2']).summary).toEqual([{ code: '22510', units: 1 }, { code: '22512', units: 2 }])
  })
  it('reports, instead of coding, sacral levels, cervical kyphoplasty, repeats and an empty session', () => {
    const r = deriveCptCodes('kyphoplasty', ['C5', 'T10', 'S1', 'T10'])
    expect(r.lines).toEqual([{ level: 'T10', code: '22513', primary: true }])
    expect(r.problems.map((p) => p.level)).toEqual(['C5', 'S1', 'T10'])
    expect(deriveCptCodes('vertebroplasty', []).problems).toHaveLength(1)
  })
  it('property: exactly one primary code when anything is codable, one line per distinct T/L level', () => {
    const tl = VERTEBRAL_LEVELS.filter((l) => l[0] === 'T' || l[0] === 'L')
    fc.assert(
      fc.property(fc.constantFrom('vertebroplasty' as const, 'kyphoplasty' as const), fc.uniqueArray(fc.constantFrom(...tl), { minLength: 1, maxLength: 8 }), (kind, levels) => {
        const r = deriveCptCodes(kind, levels)
        return (
          r.problems.length === 0 &&
          r.lines.length === levels.length &&
          r.lines.filter((l) => l.primary).length === 1 &&
          r.lines[0]!.primary &&
          r.summary.reduce((s, x) => s + x.units, 0) === levels.length
        )
      }),
    )
  })
})

describe('height restoration', () => {
  it('gives the gain per wall in mm and percent, and the share of lost height regained', () => {
    const r = heightRestoration({ anterior: 14, middle: 16, posterior: 24 }, { anterior: 19, middle: 20, posterior: 24 }, { anterior: 24, middle: 24, posterior: 25 })
    expect(r.walls).toEqual([
      { wall: 'anterior', before: 14, after: 19, gainMm: 5, gainPercent: 35.7, restoredOfLossPercent: 50 },
      { wall: 'middle', before: 16, after: 20, gainMm: 4, gainPercent: 25, restoredOfLossPercent: 50 },
      { wall: 'posterior', before: 24, after: 24, gainMm: 0, gainPercent: 0, restoredOfLossPercent: 0 },
    ])
    expect(r.maxGainMm).toBe(5)
    expect(heightRestoration({ anterior: 14, middle: 16, posterior: 24 }, { anterior: 14, middle: 16, posterior: 24 }).walls[0]!.restoredOfLossPercent).toBeNull()
  })
  it('refuses a zero or negative height', () => {
    expect(() => heightRestoration({ anterior: 0, middle: 16, posterior: 24 }, { anterior: 19, middle: 20, posterior: 24 })).toThrow(/before.anterior/)
  })
  it('height loss: shortest of anterior and middle against posterior, or all against a reference', () => {
    expect(heightLossPercent({ anterior: 15, middle: 18, posterior: 25 })).toBe(40)
    expect(heightLossPercent({ anterior: 20, middle: 20, posterior: 20 }, 25)).toBe(20)
  })
  it('property: gain is after minus before', () => {
    const h = fc.double({ min: 1, max: 40, noNaN: true })
    const walls = fc.record({ anterior: h, middle: h, posterior: h })
    fc.assert(
      fc.property(walls, walls, (b, a) =>
        heightRestoration(b, a).walls.every((w) => Math.abs(w.gainMm - (w.after - w.before)) <= 0.05 + 1e-9),
      ),
    )
  })
})
