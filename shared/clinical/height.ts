/**
 * Vertebral body heights (anterior, middle, posterior wall, in mm) and what a procedure restored.
 */
export const HEIGHT_WALLS = ['anterior', 'middle', 'posterior'] as const
export type HeightWall = (typeof HEIGHT_WALLS)[number]
export type WallHeights = Record<HeightWall, number>

export interface WallRestoration {
  wall: HeightWall
  before: number
  after: number
  /** after - before, mm, one decimal */
  gainMm: number
  /** gain as a percent of the height before, one decimal */
  gainPercent: number
  /** gain as a percent of the height that had been lost (needs the reference height); null otherwise or when nothing was lost */
  restoredOfLossPercent: number | null
}

export interface HeightRestoration {
  walls: WallRestoration[]
  /** the largest gain among the walls, mm */
  maxGainMm: number
}

const round1 = (n: number) => Math.round(n * 10) / 10

function checkHeights(h: WallHeights, name: string): void {
  for (const w of HEIGHT_WALLS) {
    const v = h[w]
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name}.${w} must be a height in mm above 0, got ${v}`)
  }
}

/**
 * Height restoration per wall. `reference` is the expected intact height (for example from the adjacent
 * vertebrae); with it, restoration is also expressed as the share of the lost height regained.
 */
export function heightRestoration(before: WallHeights, after: WallHeights, reference?: WallHeights): HeightRestoration {
  checkHeights(before, 'before')
  checkHeights(after, 'after')
  if (reference) checkHeights(reference, 'reference')
  const walls = HEIGHT_WALLS.map((wall): WallRestoration => {
    const gain = after[wall] - before[wall]
    const lost = reference ? reference[wall] - before[wall] : 0
    return {
      wall,
      before: before[wall],
      after: after[wall],
      gainMm: round1(gain),
      gainPercent: round1((gain / before[wall]) * 100),
      restoredOfLossPercent: reference && lost > 0 ? round1((gain / lost) * 100) : null,
    }
  })
  return { walls, maxGainMm: Math.max(...walls.map((w) => w.gainMm)) }
}

/**
 * Height loss in percent as the semi-quantitative method reads it: the shortest of the anterior and
 * middle heights against the posterior height (wedge and biconcave shapes), or against a reference
 * height (an intact neighbour) when given, which also catches a crush of the whole body.
 */
export function heightLossPercent(h: WallHeights, reference?: number): number {
  checkHeights(h, 'heights')
  const base = reference ?? h.posterior
  if (!Number.isFinite(base) || base <= 0) throw new RangeError(`reference must be a height in mm above 0, got ${base}`)
  const shortest = reference === undefined ? Math.min(h.anterior, h.middle) : Math.min(h.anterior, h.middle, h.posterior)
  return round1(Math.max(0, Math.min(100, (1 - shortest / base) * 100)))
}
