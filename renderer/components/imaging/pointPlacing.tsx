/**
 * Placing points on the viewer's image, shared by its measuring tools (the six points of a vertebra's heights, the
 * four of a Cobb angle): the points in image pixels (what morphometry.ts takes and a measurement stores), whether
 * they are being placed, the screen-to-image mapping of a click, the controls to undo or start again, and their
 * drawing on the overlay (numbered circles, and lines between given pairs).
 *
 * The same points can be placed without a mouse (the handbook's keyboard use everywhere; WCAG 2.1.1), as in
 * imaging workstations: while a tool asks for a point, the focused image shows a crosshair (at the image's centre,
 * or at the last point placed); the arrow keys move it one image pixel, ten with Shift; Enter or Space places the
 * point asked for there, Backspace undoes the last, Escape stops placing. The crosshair's position (pixels, and mm
 * where the image gives its spacing) and the next point's name are announced, as is a point placed or taken back with
 * the mouse (one live region, the stage's: the panels' prompts are shown, not announced). The key handling and the crosshair's
 * moves are pure functions below (placingKeyAction, moveCrosshair, crosshairStart, crosshairWords) with unit tests;
 * usePlacingKeys puts them on the stage.
 */
import { Button, Group } from '@mantine/core'
import { useEffect, useRef, useState, type RefObject } from 'react'
import type { ImagePoint, PixelSpacingMm } from '../../../shared/clinical/morphometry'
import type { Placement } from './dwvStage'

/** The displayed image's columns (width) and rows (height). */
export interface ImageSize {
  width: number
  height: number
}

/** What a key does while points are being placed. */
export type PlacingKey = { kind: 'move'; dx: number; dy: number } | { kind: 'place' } | { kind: 'undo' } | { kind: 'stop' }

/** Shift+arrow: a step of this many image pixels (a vertebra is some 100 pixels high on a radiograph). */
export const LARGE_STEP_PX = 10

const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }

/**
 * What `key` does while a tool places points, or null for a key placing leaves alone (it keeps its meaning on the
 * stage: Page Up/Down, Home, End move through the series; Tab moves on). With Ctrl, Alt or Meta held nothing is
 * taken, so that the system's and the browser's shortcuts still work.
 */
export function placingKeyAction(e: { key: string; shiftKey?: boolean; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean }): PlacingKey | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null
  const arrow = ARROWS[e.key]
  if (arrow) {
    const step = e.shiftKey ? LARGE_STEP_PX : 1
    return { kind: 'move', dx: arrow[0] * step, dy: arrow[1] * step }
  }
  if (e.key === 'Enter' || e.key === ' ') return { kind: 'place' }
  if (e.key === 'Backspace') return { kind: 'undo' }
  if (e.key === 'Escape') return { kind: 'stop' }
  return null
}

/** Where the crosshair starts: on the last point placed, otherwise at the image's centre (a whole pixel). */
export function crosshairStart(points: readonly ImagePoint[], size: ImageSize): ImagePoint {
  const last = points[points.length - 1]
  if (last) return clampToImage(last, size)
  return { x: Math.floor(size.width / 2), y: Math.floor(size.height / 2) }
}

/** The crosshair moved by (dx, dy) image pixels, kept on the image (columns 0..width-1, rows 0..height-1). */
export function moveCrosshair(at: ImagePoint, dx: number, dy: number, size: ImageSize): ImagePoint {
  return clampToImage({ x: at.x + dx, y: at.y + dy }, size)
}

function clampToImage(p: ImagePoint, size: ImageSize): ImagePoint {
  const within = (v: number, n: number) => Math.min(Math.max(0, n - 1), Math.max(0, v))
  return { x: within(p.x, size.width), y: within(p.y, size.height) }
}

const px = (v: number) => String(Math.round(v * 100) / 100)

/**
 * The crosshair's position as read out: image pixels from the top left (column, row), and millimetres across and
 * down when the image gives its spacing (columns scaled by the column spacing, rows by the row spacing).
 */
export function crosshairWords(at: ImagePoint, spacing: PixelSpacingMm | null): string {
  const pixels = `pixel ${px(at.x)} across, ${px(at.y)} down`
  if (!spacing) return pixels
  return `${pixels} (${(at.x * spacing.column).toFixed(1)} mm across, ${(at.y * spacing.row).toFixed(1)} mm down)`
}

export interface PointPlacing {
  points: ImagePoint[]
  setPoints: (p: ImagePoint[]) => void
  /** whether a click on the image (or Enter on it) places the next point */
  placing: boolean
  setPlacing: (on: boolean) => void
  /** places the next point; ignored once `max` are placed */
  add: (p: ImagePoint) => void
  max: number
  /** what each point is, in order, as the tool asks for it ("Superior endplate, anterior"), read out to the keyboard */
  names: readonly string[]
  setNames: (names: readonly string[]) => void
  /**
   * Where the keyboard moved the crosshair, and over which points (the array): once the points change otherwise
   * (a click, Undo, Start again, another image), it goes back to the last point.
   */
  crosshair: { at: ImagePoint; over: ImagePoint[] } | null
  setCrosshair: (c: { at: ImagePoint; over: ImagePoint[] } | null) => void
}

/** `initial`: points placed already (a saved measurement shown again), kept as the same array. */
export function usePointPlacing(max: number, initial?: ImagePoint[], initialNames: readonly string[] = []): PointPlacing {
  const [points, setPoints] = useState<ImagePoint[]>(() => initial ?? [])
  const [placing, setPlacing] = useState(false)
  const [names, setNames] = useState<readonly string[]>(initialNames)
  const [crosshair, setCrosshair] = useState<PointPlacing['crosshair']>(null)
  const add = (p: ImagePoint) => setPoints((ps) => (ps.length >= max ? ps : [...ps, p]))
  return { points, setPoints, placing, setPlacing, add, max, names, setNames, crosshair, setCrosshair }
}

export interface PlacingKeys {
  /** handles a key on the stage while placing (true: it was a placing key, its default prevented) */
  onKeyDown: (e: React.KeyboardEvent) => boolean
  /** where to draw the crosshair: while a point is asked for */
  crosshair: ImagePoint | null
  /** what a screen reader says after each key (polite) */
  announcement: string
  /** what the stage is and what its keys do while placing (its accessible name); null when not placing */
  instructions: string | null
}

/**
 * The keyboard's way of placing `p`'s points on the stage (`stage`, focusable) showing an image of `size`. When
 * placing starts and the button that started it has gone (focus lost with it), the stage takes the focus, so that
 * the keys work at once and its name says what to do.
 */
export function usePlacingKeys(p: PointPlacing, size: ImageSize | null, spacing: PixelSpacingMm | null, stage: RefObject<HTMLElement | null>): PlacingKeys {
  const [announcement, setAnnouncement] = useState('')
  const asking = p.placing && size !== null && p.points.length < p.max
  const at = !size ? null : p.crosshair && p.crosshair.over === p.points ? p.crosshair.at : crosshairStart(p.points, size)
  const next = (placed: number) => (placed >= p.max ? `All ${p.max} points placed.` : `Next: point ${placed + 1} of ${p.max}${p.names[placed] ? `, ${p.names[placed]}` : ''}.`)

  const started = useRef(p.placing)
  const { placing, points, setCrosshair } = p
  useEffect(() => {
    if (placing === started.current) return
    started.current = placing
    if (!placing) return
    setCrosshair(null)
    if (!document.activeElement || document.activeElement === document.body) stage.current?.focus()
    if (size) setAnnouncement(`Placing points. ${next(points.length)}${points.length < p.max ? ` Crosshair at ${crosshairWords(crosshairStart(points, size), spacing)}.` : ''}`)
    // only when placing starts or stops: the points and their names are read as they are then
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [placing])

  // A point placed with the mouse, or taken back with the panel's buttons, is announced here as well, so that the
  // next point's name is said once whatever placed it (the panels' visible prompts are not live regions). A key's
  // own change is left alone: it said more already (the key marks the crosshair as over the points it made). The
  // viewer hands this hook either tool's points (`of`): switching tools is not a point placed or undone.
  const seen = useRef({ of: p.setPoints, points })
  const { crosshair, setPoints } = p
  useEffect(() => {
    const before = seen.current
    seen.current = { of: setPoints, points }
    if (before.of !== setPoints || before.points === points || !placing || crosshair?.over === points) return
    const n = points.length
    if (n > before.points.length) setAnnouncement(`Point ${n} placed. ${next(n)}`)
    else if (n === before.points.length - 1) setAnnouncement(`Point ${before.points.length} undone. ${next(n)}`)
    else setAnnouncement(`Points cleared. ${next(n)}`)
    // only when the points change: the names and the crosshair are read as they are then
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [points])

  const onKeyDown = (e: React.KeyboardEvent): boolean => {
    if (!p.placing || !size || !at) return false
    const action = placingKeyAction(e)
    if (!action) return false
    e.preventDefault()
    e.stopPropagation()
    if (action.kind === 'stop') {
      p.setPlacing(false)
      setAnnouncement('Stopped placing points.')
    } else if (action.kind === 'undo') {
      if (p.points.length === 0) setAnnouncement('No point to undo.')
      else {
        const kept = p.points.slice(0, -1)
        p.setPoints(kept)
        // the crosshair stays where it was: the point is usually placed again close by
        p.setCrosshair({ at, over: kept })
        setAnnouncement(`Point ${p.points.length} undone. ${next(kept.length)}`)
      }
    } else if (!asking) {
      setAnnouncement(`All ${p.max} points placed. Backspace undoes the last point; Escape stops placing.`)
    } else if (action.kind === 'place') {
      const placed = [...p.points, at]
      p.setPoints(placed)
      p.setCrosshair({ at, over: placed })
      setAnnouncement(`Point ${placed.length} placed at ${crosshairWords(at, spacing)}. ${next(placed.length)}`)
    } else {
      const moved = moveCrosshair(at, action.dx, action.dy, size)
      p.setCrosshair({ at: moved, over: p.points })
      const stuck = moved.x === at.x && moved.y === at.y
      setAnnouncement(`${crosshairWords(moved, spacing)}${stuck ? ', at the edge of the image' : ''}`)
    }
    return true
  }

  const instructions = !p.placing
    ? null
    : asking
      ? `Placing points: point ${p.points.length + 1} of ${p.max}${p.names[p.points.length] ? `, ${p.names[p.points.length]}` : ''}. Arrow keys move the crosshair one image pixel, ten with Shift; Enter or Space places the point; Backspace undoes the last point; Escape stops placing.`
      : `Placing points: all ${p.max} placed. Backspace undoes the last point; Escape stops placing.`
  return { onKeyDown, crosshair: asking ? at : null, announcement, instructions }
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
/** The crosshair in another colour than the points, edged in black to show on bone and on air alike. */
const CROSSHAIR = '#66d9e8'

/** The keyboard's crosshair on the overlay: four arms around the pixel, open at the centre so the pixel shows. */
export function PlacingCrosshair({ at, placement }: { at: ImagePoint | null; placement: Placement | null }) {
  if (!at || !placement) return null
  const cx = placement.left + at.x * placement.scaleX
  const cy = placement.top + at.y * placement.scaleY
  const d = `M${cx - 22} ${cy}H${cx - 5}M${cx + 5} ${cy}H${cx + 22}M${cx} ${cy - 22}V${cy - 5}M${cx} ${cy + 5}V${cy + 22}`
  return (
    <g data-testid="placing-crosshair" pointerEvents="none">
      <path d={d} stroke="#000" strokeWidth={4} fill="none" />
      <path d={d} stroke={CROSSHAIR} strokeWidth={2} fill="none" />
    </g>
  )
}

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
