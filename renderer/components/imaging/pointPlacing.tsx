/**
 * Placing points on the viewer's image with the mouse, shared by its measuring tools (the six points of a
 * vertebra's heights, the four of a Cobb angle): the points in image pixels (what morphometry.ts takes and a
 * measurement stores), whether clicks place them, the screen-to-image mapping of a click, the controls to undo or
 * start again, and their drawing on the overlay (numbered circles, and lines between given pairs).
 */
import { Button, Group } from '@mantine/core'
import { useState } from 'react'
import type { ImagePoint } from '../../../shared/clinical/morphometry'
import type { Placement } from './dwvStage'

export interface PointPlacing {
  points: ImagePoint[]
  setPoints: (p: ImagePoint[]) => void
  /** whether a click on the image places the next point */
  placing: boolean
  setPlacing: (on: boolean) => void
  /** places the next point; ignored once `max` are placed */
  add: (p: ImagePoint) => void
  max: number
}

/** `initial`: points placed already (a saved measurement shown again), kept as the same array. */
export function usePointPlacing(max: number, initial?: ImagePoint[]): PointPlacing {
  const [points, setPoints] = useState<ImagePoint[]>(() => initial ?? [])
  const [placing, setPlacing] = useState(false)
  const add = (p: ImagePoint) => setPoints((ps) => (ps.length >= max ? ps : [...ps, p]))
  return { points, setPoints, placing, setPlacing, add, max }
}

/** The image pixel under a click on the overlay (to a hundredth of a pixel: a click lands between pixel centres). */
export function imagePointAt(e: React.MouseEvent<Element>, placement: Placement): ImagePoint {
  const box = e.currentTarget.getBoundingClientRect()
  const x = (e.clientX - box.left - placement.left) / placement.scaleX
  const y = (e.clientY - box.top - placement.top) / placement.scaleY
  return { x: Math.round(x * 100) / 100, y: Math.round(y * 100) / 100 }
}

/**
 * Undo the last point, start again, stop placing: shown while placing. Takes the points and their setter (not a
 * PointPlacing) so that a panel given them as props can use it as well.
 */
export function PlacingControls({ points, onPoints, onStop, stopLabel = 'Stop placing points' }: { points: ImagePoint[]; onPoints: (p: ImagePoint[]) => void; onStop: () => void; stopLabel?: string }) {
  return (
    <Group gap={4}>
      <Button size="xs" variant="default" disabled={points.length === 0} onClick={() => onPoints(points.slice(0, -1))}>
        Undo last point
      </Button>
      <Button size="xs" variant="default" disabled={points.length === 0} onClick={() => onPoints([])}>
        Start again
      </Button>
      <Button size="xs" variant="default" onClick={onStop}>
        {stopLabel}
      </Button>
    </Group>
  )
}

const COLOUR = '#ffd43b'

/** The points on the overlay (SVG), numbered in the order placed, and a line for each pair of placed points. */
export function PlacedPoints({ points, lines, placement }: { points: ImagePoint[]; lines: readonly (readonly [number, number])[]; placement: Placement | null }) {
  if (!placement) return null
  const at = (pt: ImagePoint) => ({ cx: placement.left + pt.x * placement.scaleX, cy: placement.top + pt.y * placement.scaleY })
  return (
    <>
      {lines
        .filter(([a, b]) => points[a] && points[b])
        .map(([a, b]) => {
          const from = at(points[a]!)
          const to = at(points[b]!)
          return <line key={`${a}-${b}`} x1={from.cx} y1={from.cy} x2={to.cx} y2={to.cy} stroke={COLOUR} strokeWidth={1.5} />
        })}
      {points.map((pt, i) => (
        <g key={i}>
          <circle {...at(pt)} r={4} fill="none" stroke={COLOUR} strokeWidth={2} />
          <text x={at(pt).cx + 6} y={at(pt).cy - 6} fill={COLOUR} fontSize={12}>
            {i + 1}
          </text>
        </g>
      ))}
    </>
  )
}
