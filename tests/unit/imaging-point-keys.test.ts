/**
 * Placing measurement points by keyboard (renderer/components/imaging/pointPlacing.tsx, WCAG 2.1.1): which key
 * does what while a tool places points, where the crosshair starts, how it moves and stays on the image, and
 * what is read out about its position.
 */
import { describe, expect, it } from 'vitest'
import { crosshairStart, crosshairWords, LARGE_STEP_PX, moveCrosshair, placingKeyAction } from '../../renderer/components/imaging/pointPlacing'

const key = (k: string, mods: { shiftKey?: boolean; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean } = {}) => placingKeyAction({ key: k, ...mods })
/** the lateral radiograph of the e2e tests: 200 columns, 400 rows */
const SIZE = { width: 200, height: 400 }

describe('which key does what while placing points', () => {
  it('the arrows move the crosshair one image pixel, ten with Shift, in the arrow’s direction', () => {
    expect(key('ArrowLeft')).toEqual({ kind: 'move', dx: -1, dy: 0 })
    expect(key('ArrowRight')).toEqual({ kind: 'move', dx: 1, dy: 0 })
    expect(key('ArrowUp')).toEqual({ kind: 'move', dx: 0, dy: -1 })
    expect(key('ArrowDown')).toEqual({ kind: 'move', dx: 0, dy: 1 })
    expect(LARGE_STEP_PX).toBe(10)
    expect(key('ArrowLeft', { shiftKey: true })).toEqual({ kind: 'move', dx: -10, dy: 0 })
    expect(key('ArrowDown', { shiftKey: true })).toEqual({ kind: 'move', dx: 0, dy: 10 })
  })

  it('Enter and Space place the point, Backspace undoes the last, Escape stops placing', () => {
    expect(key('Enter')).toEqual({ kind: 'place' })
    expect(key(' ')).toEqual({ kind: 'place' })
    expect(key('Backspace')).toEqual({ kind: 'undo' })
    expect(key('Escape')).toEqual({ kind: 'stop' })
  })

  it('leaves other keys, and any key with Ctrl, Alt or Meta, to their usual meaning', () => {
    // Page Up/Down, Home and End still move through the series; Tab moves the focus on
    for (const k of ['PageUp', 'PageDown', 'Home', 'End', 'Tab', 'a', 'Delete']) expect(key(k)).toBeNull()
    expect(key('ArrowLeft', { ctrlKey: true })).toBeNull()
    expect(key('ArrowLeft', { altKey: true })).toBeNull()
    expect(key('Enter', { metaKey: true })).toBeNull()
  })
})

describe('the crosshair', () => {
  it('starts at the image centre on a whole pixel, or on the last point placed', () => {
    expect(crosshairStart([], SIZE)).toEqual({ x: 100, y: 200 })
    expect(crosshairStart([], { width: 201, height: 99 })).toEqual({ x: 100, y: 49 })
    expect(crosshairStart([{ x: 50, y: 150 }, { x: 100.37, y: 151.5 }], SIZE)).toEqual({ x: 100.37, y: 151.5 })
  })

  it('moves by the step asked, pixel for pixel', () => {
    let at = crosshairStart([], SIZE)
    at = moveCrosshair(at, -10, 0, SIZE)
    at = moveCrosshair(at, -1, 0, SIZE)
    at = moveCrosshair(at, 0, 10, SIZE)
    expect(at).toEqual({ x: 89, y: 210 })
  })

  it('stays on the image: columns 0 to width-1, rows 0 to height-1', () => {
    expect(moveCrosshair({ x: 3, y: 5 }, -10, -10, SIZE)).toEqual({ x: 0, y: 0 })
    expect(moveCrosshair({ x: 0, y: 0 }, -1, 0, SIZE)).toEqual({ x: 0, y: 0 })
    expect(moveCrosshair({ x: 195, y: 395 }, 10, 10, SIZE)).toEqual({ x: 199, y: 399 })
    expect(moveCrosshair({ x: 199, y: 399 }, 1, 1, SIZE)).toEqual({ x: 199, y: 399 })
    // a point clicked beyond the last pixel's corner is brought back on the image
    expect(crosshairStart([{ x: 199.6, y: -0.2 }], SIZE)).toEqual({ x: 199, y: 0 })
  })

  it('is read out in image pixels, and in mm with each direction scaled by its own spacing', () => {
    expect(crosshairWords({ x: 50, y: 150 }, null)).toBe('pixel 50 across, 150 down')
    // rows 0.2 mm apart, columns 0.4 mm: x by the column spacing, y by the row spacing
    expect(crosshairWords({ x: 50, y: 150 }, { row: 0.2, column: 0.4 })).toBe('pixel 50 across, 150 down (20.0 mm across, 30.0 mm down)')
    expect(crosshairWords({ x: 100.37, y: 151.5 }, { row: 0.2, column: 0.2 })).toBe('pixel 100.37 across, 151.5 down (20.1 mm across, 30.3 mm down)')
  })
})
