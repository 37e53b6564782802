import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_SIZE, parseWindowState, placeWindow, readWindowState, writeWindowState, type Rect } from '../../electron/desktop/windowState'

const FULL_HD: Rect = { x: 0, y: 0, width: 1920, height: 1040 } // 1920x1080 less a task bar
const LAPTOP: Rect = { x: 0, y: 0, width: 1366, height: 728 }
const RIGHT_MONITOR: Rect = { x: 1920, y: 0, width: 2560, height: 1400 }

const inside = (r: Rect, area: Rect) => r.x >= area.x && r.y >= area.y && r.x + r.width <= area.x + area.width && r.y + r.height <= area.y + area.height

describe('window size and position', () => {
  it('opens where it was when that place is on a display', () => {
    const saved = { bounds: { x: 100, y: 50, width: 1500, height: 950 }, maximized: false }
    expect(placeWindow(saved, [FULL_HD], FULL_HD)).toEqual(saved)
    const onSecond = { bounds: { x: 2100, y: 80, width: 1600, height: 1000 }, maximized: true }
    expect(placeWindow(onSecond, [FULL_HD, RIGHT_MONITOR], FULL_HD)).toEqual(onSecond)
  })

  it('on a smaller screen, shrinks and moves the window to fit its work area', () => {
    const saved = { bounds: { x: 200, y: 100, width: 1600, height: 1000 }, maximized: false }
    const placed = placeWindow(saved, [LAPTOP], LAPTOP)
    expect(placed.bounds).toEqual({ x: 0, y: 0, width: 1366, height: 728 })
    expect(inside(placed.bounds, LAPTOP)).toBe(true)
    const partlyOff = placeWindow({ bounds: { x: 900, y: 300, width: 1200, height: 700 }, maximized: false }, [LAPTOP], LAPTOP)
    expect(partlyOff.bounds).toEqual({ x: 166, y: 28, width: 1200, height: 700 })
  })

  it('centres the default size on the primary display when the saved display is gone (a laptop off its dock)', () => {
    const saved = { bounds: { x: 2100, y: 80, width: 1600, height: 1000 }, maximized: false }
    const placed = placeWindow(saved, [LAPTOP], LAPTOP)
    // the default (1400x900) does not fit either: as large as the work area, centred
    expect(placed.bounds).toEqual({ x: 0, y: 0, width: 1366, height: 728 })
    const big = placeWindow(saved, [FULL_HD], FULL_HD)
    expect(big.bounds).toEqual({ x: 260, y: 70, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height })
  })

  it('does not trust a title bar that is off every screen (it could not be dragged back)', () => {
    const titleAbove = { bounds: { x: 100, y: -500, width: 1200, height: 800 }, maximized: false }
    expect(placeWindow(titleAbove, [FULL_HD], FULL_HD).bounds).toEqual({ x: 260, y: 70, width: 1400, height: 900 })
    const sliver = { bounds: { x: 1880, y: 100, width: 1200, height: 800 }, maximized: false }
    expect(placeWindow(sliver, [FULL_HD], FULL_HD).bounds.x).toBe(260)
  })

  it('opens at the default size when nothing was saved', () => {
    expect(placeWindow(null, [FULL_HD], FULL_HD)).toEqual({ bounds: { x: 260, y: 70, width: 1400, height: 900 }, maximized: false })
    // the primary display need not be at 0,0
    const left = { x: -1280, y: 0, width: 1280, height: 984 }
    expect(placeWindow(null, [left, FULL_HD], left).bounds).toEqual({ x: -1280, y: 42, width: 1280, height: 900 })
  })

  it('refuses a corrupt or hand-made file', () => {
    for (const text of ['', 'not json', '[]', 'null', '{"bounds":{"x":0,"y":0,"width":0,"height":10},"maximized":false}', '{"bounds":{"x":"0","y":0,"width":10,"height":10},"maximized":false}', '{"bounds":{"x":0,"y":0,"width":10,"height":10}}', '{"bounds":{"x":1e9,"y":0,"width":10,"height":10},"maximized":false}', '{"bounds":{"x":0.5,"y":0,"width":10,"height":10},"maximized":false}']) {
      expect(parseWindowState(text), text).toBeNull()
    }
    expect(parseWindowState('{"bounds":{"x":-10,"y":5,"width":1200,"height":700},"maximized":true,"extra":1}')).toEqual({ bounds: { x: -10, y: 5, width: 1200, height: 700 }, maximized: true })
  })
})

describe('the window-state file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-desktop-window-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('round-trips, readable by its owner only; a missing file is no problem, a corrupt one says so', () => {
    const file = join(dir, 'state', 'window-state.json')
    expect(readWindowState(file)).toEqual({ state: null })
    const state = { bounds: { x: 10, y: 20, width: 1300, height: 800 }, maximized: true }
    writeWindowState(file, state)
    expect(readWindowState(file)).toEqual({ state })
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    writeFileSync(file, '{"bounds":')
    const corrupt = readWindowState(file)
    expect(corrupt.state).toBeNull()
    expect(corrupt.problem).toMatch(/is not a saved window state; the window opens at its default size/)
    expect(readFileSync(file, 'utf8')).toBe('{"bounds":')
  })
})
