/**
 * The main window's size and position, remembered between starts in a small JSON file in the app's data
 * folder. What is read back is checked: a corrupt file, or a position on a display that is no longer there
 * (a laptop taken off its docking station), falls back to a window of the default size centred on the primary
 * display, and a window larger than the screen it lands on is shrunk to fit that screen's work area.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  bounds: Rect
  maximized: boolean
}

export const WINDOW_STATE_FILE = 'window-state.json'
export const DEFAULT_SIZE = { width: 1400, height: 900 } as const
export const MIN_SIZE = { width: 1000, height: 640 } as const

/** Coordinates beyond this are nonsense on any real set of displays (a hand-edited or damaged file). */
const LIMIT = 100_000

const isCoordinate = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= LIMIT
const isLength = (v: unknown): v is number => isCoordinate(v) && v > 0

/** The saved state, or null when the text is not a state this app wrote. */
export function parseWindowState(text: string): WindowState | null {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  if (!raw || typeof raw !== 'object') return null
  const { bounds, maximized } = raw as { bounds?: Partial<Rect>; maximized?: unknown }
  if (!bounds || typeof bounds !== 'object' || typeof maximized !== 'boolean') return null
  const { x, y, width, height } = bounds
  if (!isCoordinate(x) || !isCoordinate(y) || !isLength(width) || !isLength(height)) return null
  return { bounds: { x, y, width, height }, maximized }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  }
}

/**
 * The work area a window at `bounds` can be used on: the one that shows most of its title bar, when enough of
 * it shows to grab it (the top 32 px, at least 120 px of its width). Null when no display does.
 */
function homeArea(bounds: Rect, workAreas: readonly Rect[]): Rect | null {
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: 32 }
  let best: { area: Rect; width: number } | null = null
  for (const area of workAreas) {
    const o = overlap(titleBar, area)
    if (o.width >= Math.min(120, bounds.width) && o.height >= 16 && (!best || o.width > best.width)) best = { area, width: o.width }
  }
  return best?.area ?? null
}

function centred(area: Rect, size: { width: number; height: number }): Rect {
  const width = Math.min(size.width, area.width)
  const height = Math.min(size.height, area.height)
  return { x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2), width, height }
}

/** Moves and shrinks `bounds` so the whole window is inside `area`. */
function fitInto(bounds: Rect, area: Rect): Rect {
  const width = Math.min(bounds.width, area.width)
  const height = Math.min(bounds.height, area.height)
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width)
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height)
  return { x, y, width, height }
}

/**
 * Where the window opens: the saved bounds fitted into the display that shows them, or the default size
 * centred on the primary display's work area when nothing was saved or the saved place cannot be seen.
 * `workAreas` are every display's work area (screen.getAllDisplays()), `primary` the primary display's.
 */
export function placeWindow(saved: WindowState | null, workAreas: readonly Rect[], primary: Rect): WindowState {
  const area = saved ? homeArea(saved.bounds, workAreas) : null
  if (!saved || !area) return { bounds: centred(primary, DEFAULT_SIZE), maximized: saved?.maximized ?? false }
  return { bounds: fitInto(saved.bounds, area), maximized: saved.maximized }
}

/** Reads the saved state; `problem` says why a file that exists could not be used (for the log). */
export function readWindowState(file: string): { state: WindowState | null; problem?: string } {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: null }
    return { state: null, problem: `${file} could not be read (${(err as Error).message}); the window opens at its default size` }
  }
  const state = parseWindowState(text)
  return state ? { state } : { state: null, problem: `${file} is not a saved window state; the window opens at its default size` }
}

/** Saves the state (readable by this user only), replacing the file in one step so a crash leaves the old one. */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.tmp`
  writeFileSync(tmp, `${JSON.stringify({ bounds: state.bounds, maximized: state.maximized })}\n`, { mode: 0o600 })
  renameSync(tmp, file)
}
