/**
 * The schedule grid's layout maths (renderer/screens/Schedule/TimeGrid.tsx), kept pure so that it is unit tested:
 * time runs down a column in slots of a few minutes; the hours shown are the clinic's (a day's own, or the union of a
 * week's), widened on request to reach an appointment outside them; appointments that overlap in one column sit side
 * by side; and the keyboard walks a column's free slots and appointments in time order.
 *
 * Times are minutes since the column's local midnight (the clinic's wall clock), so a DST day needs nothing special.
 */

export interface Range {
  /** First minute shown (a slot boundary). */
  start: number
  /** End of the last slot shown (exclusive). */
  end: number
}

export interface OpenHours {
  opens: string
  closes: string
}

export interface GridItem {
  key: string
  /** Minutes since the column's local midnight. */
  start: number
  end: number
}

export interface Placed<T extends GridItem = GridItem> {
  item: T
  /** Which of the cluster's side-by-side columns the item takes (0 = leftmost). */
  column: number
  /** How many side-by-side columns its cluster of overlapping items needs. */
  columns: number
}

const DEFAULT_DAY: Range = { start: 8 * 60, end: 17 * 60 }

export function minutesOfTime(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))
}

/** `HH:mm` for minutes since midnight (24:00 for the end of the day). */
export function timeOfMinutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

const floorTo = (m: number, step: number) => Math.floor(m / step) * step
const ceilTo = (m: number, step: number) => Math.ceil(m / step) * step

/**
 * The hours a grid shows: the union of the open hours given (a day's own; a week's days), rounded out to whole
 * slots; 08:00-17:00 when none is open (a closed day still shows a grid, shaded, to book around it). `include`
 * widens it to reach items the user asked to see (outside the clinic's hours), never past midnight.
 */
export function gridRange(open: (OpenHours | null)[], slotMinutes: number, include: Partial<Range> = {}): Range {
  let start = Infinity
  let end = -Infinity
  for (const h of open) {
    if (!h) continue
    start = Math.min(start, minutesOfTime(h.opens))
    end = Math.max(end, minutesOfTime(h.closes))
  }
  if (!(start < end)) ({ start, end } = DEFAULT_DAY)
  if (include.start !== undefined) start = Math.min(start, include.start)
  if (include.end !== undefined) end = Math.max(end, include.end)
  return { start: Math.max(0, floorTo(start, slotMinutes)), end: Math.min(24 * 60, ceilTo(end, slotMinutes)) }
}

/** Slot start minutes of a range. */
export function slotStarts(range: Range, slotMinutes: number): number[] {
  const out: number[] = []
  for (let m = range.start; m < range.end; m += slotMinutes) out.push(m)
  return out
}

/**
 * Items not (wholly) inside the range: those that start before it ("earlier") and those that end after it
 * ("later"), each sorted by start. An item that runs across a whole short range is in both.
 */
export function outsideRange<T extends GridItem>(items: T[], range: Range): { earlier: T[]; later: T[] } {
  const earlier = items.filter((i) => i.start < range.start).sort((a, b) => a.start - b.start)
  const later = items.filter((i) => i.end > range.end).sort((a, b) => a.start - b.start)
  return { earlier, later }
}

/** The part of an item a range shows, in pixels from the range's top; null when none of it is inside. */
export function verticalBox(item: { start: number; end: number }, range: Range, slotMinutes: number, slotHeight: number): { top: number; height: number } | null {
  const from = Math.max(item.start, range.start)
  const to = Math.min(Math.max(item.end, item.start + 1), range.end)
  if (to <= from) return null
  const px = slotHeight / slotMinutes
  return { top: (from - range.start) * px, height: (to - from) * px }
}

/** The minute of the slot under a point `y` pixels below the range's top (clamped to the range). */
export function slotAt(y: number, range: Range, slotMinutes: number, slotHeight: number): number {
  const index = Math.floor(y / slotHeight)
  const last = (range.end - range.start) / slotMinutes - 1
  return range.start + Math.min(Math.max(index, 0), Math.max(last, 0)) * slotMinutes
}

/**
 * Side by side: items sorted by start (longer first on a tie) are grouped into clusters of transitively
 * overlapping items; within a cluster each takes the leftmost column free at its start, and every item of the
 * cluster shares the cluster's column count (so widths line up). Touching items (one ends as the next starts) do
 * not overlap.
 */
export function placeOverlapping<T extends GridItem>(items: T[]): Placed<T>[] {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const out: Placed<T>[] = []
  let cluster: Placed<T>[] = []
  let columnEnds: number[] = []
  let clusterEnd = -Infinity
  const close = () => {
    for (const p of cluster) p.columns = columnEnds.length
    cluster = []
    columnEnds = []
  }
  for (const item of sorted) {
    if (item.start >= clusterEnd) close()
    let column = columnEnds.findIndex((end) => end <= item.start)
    if (column === -1) {
      column = columnEnds.length
      columnEnds.push(item.end)
    } else columnEnds[column] = item.end
    const placed = { item, column, columns: 1 }
    cluster.push(placed)
    out.push(placed)
    clusterEnd = cluster.length === 1 ? item.end : Math.max(clusterEnd, item.end)
  }
  close()
  return out
}

/** A stop of the keyboard's walk down a column: a free slot, or an appointment. */
export type Stop = { kind: 'slot'; minute: number } | { kind: 'item'; key: string; start: number; end: number }

/**
 * A column's keyboard stops in time order: every slot that no blocking appointment covers, and every appointment
 * (at its start; shown ones only). A slot under a cancelled or no-show appointment stays a stop (it can be booked).
 */
export function columnStops(slots: number[], items: (GridItem & { blocking: boolean })[]): Stop[] {
  const blocking = items.filter((i) => i.blocking)
  const stops: (Stop & { at: number; order: number })[] = []
  for (const minute of slots) {
    const covered = blocking.some((i) => i.start <= minute && i.end > minute)
    if (!covered) stops.push({ kind: 'slot', minute, at: minute, order: 1 })
  }
  for (const i of items) stops.push({ kind: 'item', key: i.key, start: i.start, end: i.end, at: i.start, order: 0 })
  stops.sort((a, b) => a.at - b.at || a.order - b.order)
  return stops.map(({ at: _at, order: _order, ...s }) => s as Stop)
}

/** The stop of a column nearest to a time (the one that covers it, else the next, else the last). */
export function stopNear(stops: Stop[], minute: number): number {
  if (stops.length === 0) return -1
  const covers = stops.findIndex((s) => (s.kind === 'slot' ? s.minute === minute : s.start <= minute && s.end > minute))
  if (covers !== -1) return covers
  const next = stops.findIndex((s) => (s.kind === 'slot' ? s.minute : s.start) >= minute)
  return next !== -1 ? next : stops.length - 1
}

/** The minute a stop stands for, for moving to the same time in the next column. */
export function stopMinute(stop: Stop): number {
  return stop.kind === 'slot' ? stop.minute : stop.start
}
