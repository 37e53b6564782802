import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { columnStops, gridRange, outsideRange, placeOverlapping, slotAt, slotStarts, stopNear, verticalBox } from '../../shared/scheduling/gridLayout'

const at = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))
const item = (key: string, from: string, to: string) => ({ key, start: at(from), end: at(to) })

describe('the hours a schedule grid shows', () => {
  it("is the day's own hours, in whole slots", () => {
    expect(gridRange([{ opens: '08:00', closes: '17:00' }], 15)).toEqual({ start: at('08:00'), end: at('17:00') })
    expect(gridRange([{ opens: '08:10', closes: '16:50' }], 15)).toEqual({ start: at('08:00'), end: at('17:00') })
  })
  it("is the union of a week's open days; closed days add nothing", () => {
    expect(gridRange([{ opens: '08:00', closes: '17:00' }, null, { opens: '07:30', closes: '12:00' }, { opens: '09:00', closes: '18:30' }], 15)).toEqual({ start: at('07:30'), end: at('18:30') })
  })
  it('is 08:00-17:00 for a closed day, and widens to what the user asked to see, never past midnight', () => {
    expect(gridRange([null], 15)).toEqual({ start: at('08:00'), end: at('17:00') })
    expect(gridRange([{ opens: '08:00', closes: '17:00' }], 15, { end: at('18:10') })).toEqual({ start: at('08:00'), end: at('18:15') })
    expect(gridRange([{ opens: '08:00', closes: '17:00' }], 15, { start: at('06:20') })).toEqual({ start: at('06:15'), end: at('17:00') })
    expect(gridRange([{ opens: '08:00', closes: '17:00' }], 15, { start: -30, end: 24 * 60 + 40 })).toEqual({ start: 0, end: 24 * 60 })
  })
  it('has a slot every 15 minutes: 36 in a 9-hour day', () => {
    const slots = slotStarts({ start: at('08:00'), end: at('17:00') }, 15)
    expect(slots).toHaveLength(36)
    expect(slots[0]).toBe(at('08:00'))
    expect(slots.at(-1)).toBe(at('16:45'))
  })
})

describe('appointments outside the hours shown', () => {
  const range = { start: at('08:00'), end: at('17:00') }
  it('are counted as earlier or later, not lost', () => {
    const items = [item('a', '06:30', '07:00'), item('b', '10:00', '10:30'), item('c', '17:30', '18:00'), item('d', '16:45', '17:15'), item('e', '07:45', '08:15')]
    const { earlier, later } = outsideRange(items, range)
    expect(earlier.map((i) => i.key)).toEqual(['a', 'e'])
    expect(later.map((i) => i.key)).toEqual(['d', 'c'])
  })
  it('are drawn only for the part inside the range', () => {
    expect(verticalBox(item('x', '17:30', '18:00'), range, 15, 20)).toBeNull()
    expect(verticalBox(item('x', '07:45', '08:15'), range, 15, 20)).toEqual({ top: 0, height: 20 })
    expect(verticalBox(item('x', '10:00', '10:30'), range, 15, 20)).toEqual({ top: 160, height: 40 })
  })
})

describe('positions', () => {
  const range = { start: at('08:00'), end: at('17:00') }
  it('a point in the grid is the slot under it, clamped to the range', () => {
    expect(slotAt(0, range, 15, 20)).toBe(at('08:00'))
    expect(slotAt(169, range, 15, 20)).toBe(at('10:00'))
    expect(slotAt(-5, range, 15, 20)).toBe(at('08:00'))
    expect(slotAt(100_000, range, 15, 20)).toBe(at('16:45'))
  })
  it('a 30-minute appointment is two slots tall at any zoom', () => {
    for (const h of [14, 20, 30]) expect(verticalBox(item('x', '09:00', '09:30'), range, 15, h)!.height).toBe(2 * h)
  })
})

describe('overlapping appointments in one column sit side by side', () => {
  it('leaves items that do not overlap (or only touch) full width', () => {
    const placed = placeOverlapping([item('a', '09:00', '09:30'), item('b', '09:30', '10:00')])
    expect(placed.map((p) => [p.item.key, p.column, p.columns])).toEqual([
      ['a', 0, 1],
      ['b', 0, 1],
    ])
  })
  it('puts two overlapping items in two columns, and a third that fits under the first back in column 0', () => {
    const placed = placeOverlapping([item('c', '09:30', '10:00'), item('a', '09:00', '09:45'), item('b', '09:15', '09:30')])
    const by = Object.fromEntries(placed.map((p) => [p.item.key, [p.column, p.columns]]))
    expect(by).toEqual({ a: [0, 2], b: [1, 2], c: [1, 2] })
  })
  it('shares the column count across a chain of overlaps, and starts afresh after it', () => {
    const placed = placeOverlapping([item('a', '09:00', '10:00'), item('b', '09:15', '09:45'), item('c', '09:20', '09:40'), item('d', '11:00', '11:15')])
    const by = Object.fromEntries(placed.map((p) => [p.item.key, [p.column, p.columns]]))
    expect(by).toEqual({ a: [0, 3], b: [1, 3], c: [2, 3], d: [0, 1] })
  })
  it('never lets two items of one column overlap, whatever the input (property)', () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 12 })), { maxLength: 30 })
    fc.assert(
      fc.property(arb, (raw) => {
        const items = raw.map(([s, len], i) => ({ key: `k${i}`, start: s * 5, end: s * 5 + len * 5 }))
        const placed = placeOverlapping(items)
        expect(placed).toHaveLength(items.length)
        for (const p of placed) expect(p.column).toBeLessThan(p.columns)
        for (const p of placed)
          for (const q of placed) {
            if (p === q) continue
            const overlap = p.item.start < q.item.end && q.item.start < p.item.end
            if (overlap) {
              expect(p.column).not.toBe(q.column)
              expect(p.columns).toBe(q.columns)
            }
          }
      }),
    )
  })
})

describe("the keyboard's walk down a column", () => {
  const slots = slotStarts({ start: at('09:00'), end: at('10:30') }, 15)
  it('goes over free slots and appointments in time order, skipping the slots an appointment covers', () => {
    const stops = columnStops(slots, [{ ...item('p1', '09:30', '10:00'), blocking: true }])
    expect(stops.map((s) => (s.kind === 'slot' ? s.minute : s.key))).toEqual([at('09:00'), at('09:15'), 'p1', at('10:00'), at('10:15')])
  })
  it("keeps a cancelled or no-show appointment's slots bookable", () => {
    const stops = columnStops(slots, [{ ...item('p2', '09:30', '10:00'), blocking: false }])
    expect(stops.map((s) => (s.kind === 'slot' ? s.minute : s.key))).toEqual([at('09:00'), at('09:15'), 'p2', at('09:30'), at('09:45'), at('10:00'), at('10:15')])
  })
  it('moves to the same time in the next column: the stop that covers it', () => {
    const stops = columnStops(slots, [{ ...item('p1', '09:30', '10:00'), blocking: true }])
    expect(stops[stopNear(stops, at('09:45'))]).toMatchObject({ kind: 'item', key: 'p1' })
    expect(stops[stopNear(stops, at('10:15'))]).toMatchObject({ kind: 'slot', minute: at('10:15') })
    expect(stopNear([], 0)).toBe(-1)
  })
})
