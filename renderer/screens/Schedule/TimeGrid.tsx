/**
 * The schedule's appointment book: time runs down (a time column on the left), one column per lane (the day view)
 * or per day (one lane's week). Sticky column headers and time column; the hours given (the clinic's), closed time
 * shaded; an appointment outside them is counted above or below its column ("1 later ↓ 17:30"), and a click on
 * that widens the hours shown to reach it.
 *
 * Drawn with plain elements for speed (issue 22 point 2): one button per 15-minute slot and one absolutely placed
 * button per appointment, each column memoized, so that a day of 16 lanes and ~470 blocks paints in a frame or two.
 * The grid is one Tab stop (a roving tabindex over its slots and appointments): arrows move (up/down = time,
 * left/right = column), Enter books a slot or opens an appointment. An appointment is moved by dragging it with the
 * pointer onto a slot (pointer events, so a mouse, a pen or Playwright's mouse all do it); the screen confirms.
 * The layout maths is in shared/scheduling/gridLayout.ts (unit tested).
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type FocusEvent, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react'
import { columnStops, outsideRange, placeOverlapping, slotAt, slotStarts, stopMinute, stopNear, timeOfMinutes, verticalBox, type OpenHours, type Range, type Stop } from '../../../shared/scheduling/gridLayout'
import { zonedParts } from '../../../shared/scheduling/time'
import { STATUS_LABELS, type ScheduleBlock } from '../../../shared/schemas/scheduling'
import { languageLine } from '../../format'
import { localTime, textColourOn } from './scheduleUi'
import './TimeGrid.css'

export const SLOT_MINUTES = 15

export type BlockKind = 'provider' | 'room' | 'bay'

export interface GridBlock {
  /** Unique in its column: the kind's letter and the appointment's id. */
  key: string
  start: number
  end: number
  appointment: ScheduleBlock
  kind: BlockKind
}

export interface GridColumn {
  /** Unique among the columns: the lane (day view) or the date (week view). */
  id: string
  /** The header: the lane's name, or the day. */
  label: string
  /** The column's calendar date. */
  date: string
  /** The lane it books in: 'p:ID' or 'r:ID'. */
  lane: string
  /** The lane's name, as the slots say it ("Book <laneName> <date> <HH:mm>"). */
  laneName: string
  /** The clinic's open hours that day (null: closed all day). */
  open: OpenHours | null
  blocks: GridBlock[]
}

interface Props {
  columns: GridColumn[]
  range: Range
  slotHeight: number
  timeZone: string
  today: string
  /** Minutes since midnight now, by the clinic's clock. */
  nowMinute: number
  /** Changes when the user opens another day, week or lane: the view then scrolls to now (or the opening). */
  scrollKey: string
  canBook: boolean
  /** Whether an appointment block may be dragged onto a column. */
  canDrop(block: GridBlock, column: GridColumn): boolean
  onBook(column: GridColumn, minute: number): void
  onOpen(appointmentId: number): void
  onMove(block: GridBlock, column: GridColumn, minute: number): void
  /** Widen the hours shown to include these minutes. */
  onExtend(include: Partial<Range>): void
}

const TIME_COLUMN = 56
const MIN_COLUMN = 112
/** A block may be dragged when it is booked or confirmed (an arrived or finished visit stays where it happened). */
const draggable = (b: GridBlock) => b.kind !== 'bay' && (b.appointment.status === 'booked' || b.appointment.status === 'confirmed')
const blocking = (a: ScheduleBlock) => a.status !== 'noshow' && a.status !== 'cancelled'

const stopId = (column: GridColumn, stop: Stop) => (stop.kind === 'slot' ? `${column.id}|s${stop.minute}` : `${column.id}|${stop.key}`)

export function TimeGrid(props: Props) {
  const { columns, range, slotHeight, canBook } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  const gridRef = useRef<HTMLDivElement>(null)
  const ghostRef = useRef<HTMLDivElement>(null)
  const latest = useRef(props)
  latest.current = props

  const slots = useMemo(() => slotStarts(range, SLOT_MINUTES), [range])
  const stops = useMemo(
    () => columns.map((c) => columnStops(canBook ? slots : [], c.blocks.filter((b) => b.start < range.end && b.end > range.start).map((b) => ({ key: b.key, start: b.start, end: b.end, blocking: blocking(b.appointment) })))),
    [columns, slots, range, canBook],
  )

  // The one Tab stop: a slot at the time the view opens on (or the first appointment when there is nothing to book).
  const firstMinute = props.columns.some((c) => c.date === props.today) && props.nowMinute >= range.start && props.nowMinute < range.end ? props.nowMinute - (props.nowMinute % SLOT_MINUTES) : range.start
  const defaultActive = useMemo(() => {
    const col = columns[0]
    const list = stops[0]
    if (!col || !list || list.length === 0) return null
    const i = stopNear(list, firstMinute)
    const slot = list.slice(i).find((s) => s.kind === 'slot') ?? list[i]!
    return stopId(col, slot)
  }, [columns, stops, firstMinute])
  const [chosen, setChosen] = useState<string | null>(null)
  const known = useMemo(() => new Set(columns.flatMap((c, i) => stops[i]!.map((s) => stopId(c, s)))), [columns, stops])
  const active = chosen && known.has(chosen) ? chosen : defaultActive

  // Height: the rest of the window below the grid's top, so that its scroll bars (and sticky headers) stay on screen.
  const [maxHeight, setMaxHeight] = useState<number>(600)
  useLayoutEffect(() => {
    const fit = () => {
      const top = scrollRef.current?.getBoundingClientRect().top ?? 0
      setMaxHeight(Math.max(320, Math.floor(window.innerHeight - Math.max(top, 0) - 16)))
    }
    fit()
    window.addEventListener('resize', fit)
    return () => window.removeEventListener('resize', fit)
  }, [])

  // Open scrolled to now when the view holds today and now is within the hours shown; else to the opening hour.
  useLayoutEffect(() => {
    const el = scrollRef.current
    if (!el) return
    const p = latest.current
    const hasToday = p.columns.some((c) => c.date === p.today)
    const px = slotHeight / SLOT_MINUTES
    if (hasToday && p.nowMinute > range.start && p.nowMinute < range.end) el.scrollTop = Math.max(0, (p.nowMinute - range.start) * px - el.clientHeight / 4)
    else el.scrollTop = 0
    // only when another day, week or lane is opened (or the zoom changes): not on every refresh of the data
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.scrollKey, slotHeight])

  const focusStop = useCallback((id: string) => {
    const el = gridRef.current?.querySelector<HTMLElement>(`[data-stop="${id}"]`)
    if (!el) return
    setChosen(id)
    el.focus({ preventScroll: true })
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [])

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-stop]')
    if (!target) return
    const id = target.dataset.stop!
    const ci = columns.findIndex((c) => id.startsWith(`${c.id}|`))
    if (ci === -1) return
    const list = stops[ci]!
    const si = list.findIndex((s) => stopId(columns[ci]!, s) === id)
    let next: string | null = null
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const to = si + (e.key === 'ArrowDown' ? 1 : -1)
      if (to >= 0 && to < list.length) next = stopId(columns[ci]!, list[to]!)
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      for (let cj = ci + (e.key === 'ArrowRight' ? 1 : -1); cj >= 0 && cj < columns.length; cj += e.key === 'ArrowRight' ? 1 : -1) {
        const other = stops[cj]!
        const k = stopNear(other, stopMinute(list[si]!))
        if (k !== -1) {
          next = stopId(columns[cj]!, other[k]!)
          break
        }
      }
    } else if (e.key === 'Home' || e.key === 'End') {
      const s = e.key === 'Home' ? list[0] : list.at(-1)
      if (s) next = stopId(columns[ci]!, s)
    } else return
    e.preventDefault()
    if (next) focusStop(next)
  }

  // ---- pointer: a click books or opens; a drag moves ----
  const drag = useRef<{ block: GridBlock; x: number; y: number; moved: boolean; id: number } | null>(null)
  const suppressClick = useRef(false)

  function targetAt(clientX: number, clientY: number, block: GridBlock): { column: GridColumn; minute: number; el: HTMLElement } | null {
    const p = latest.current
    const cols = gridRef.current?.querySelectorAll<HTMLElement>('.tg-col') ?? []
    for (const el of cols) {
      const r = el.getBoundingClientRect()
      if (clientX < r.left || clientX >= r.right) continue
      const column = p.columns[Number(el.dataset.col)]
      if (!column || !p.canDrop(block, column)) return null
      return { column, minute: slotAt(clientY - r.top, p.range, SLOT_MINUTES, p.slotHeight), el }
    }
    return null
  }

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (e.button !== 0 || !canBook) return
    const el = (e.target as HTMLElement).closest<HTMLElement>('.tg-block[data-draggable]')
    if (!el) return
    const column = columns[Number(el.closest<HTMLElement>('.tg-col')?.dataset.col)]
    const block = column?.blocks.find((b) => b.key === el.dataset.key)
    if (!block) return
    drag.current = { block, x: e.clientX, y: e.clientY, moved: false, id: e.pointerId }
    const move = (ev: globalThis.PointerEvent) => {
      const d = drag.current
      if (!d || ev.pointerId !== d.id) return
      if (!d.moved && Math.hypot(ev.clientX - d.x, ev.clientY - d.y) < 5) return
      d.moved = true
      const t = targetAt(ev.clientX, ev.clientY, d.block)
      const ghost = ghostRef.current
      const grid = gridRef.current
      if (!ghost || !grid) return
      if (!t) {
        ghost.style.display = 'none'
        return
      }
      const g = grid.getBoundingClientRect()
      const c = t.el.getBoundingClientRect()
      const p = latest.current
      const box = verticalBox({ start: t.minute, end: t.minute + (d.block.end - d.block.start) }, p.range, SLOT_MINUTES, p.slotHeight)
      ghost.style.display = 'block'
      ghost.style.left = `${c.left - g.left}px`
      ghost.style.width = `${c.width}px`
      ghost.style.top = `${c.top - g.top + (box?.top ?? 0)}px`
      ghost.style.height = `${box?.height ?? p.slotHeight}px`
      ghost.textContent = `${timeOfMinutes(t.minute)} · ${t.column.label}`
    }
    const up = (ev: globalThis.PointerEvent) => {
      const d = drag.current
      if (!d || ev.pointerId !== d.id) return
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
      window.removeEventListener('pointercancel', up)
      drag.current = null
      if (ghostRef.current) ghostRef.current.style.display = 'none'
      if (!d.moved || ev.type === 'pointercancel') return
      suppressClick.current = true
      setTimeout(() => (suppressClick.current = false), 0)
      const t = targetAt(ev.clientX, ev.clientY, d.block)
      if (t) latest.current.onMove(d.block, t.column, t.minute)
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
    window.addEventListener('pointercancel', up)
  }

  function onClick(e: MouseEvent<HTMLDivElement>) {
    if (suppressClick.current) return
    const el = (e.target as HTMLElement).closest<HTMLElement>('.tg-slot, .tg-block')
    if (!el) return
    const column = columns[Number(el.closest<HTMLElement>('.tg-col')?.dataset.col)]
    if (!column) return
    if (el.classList.contains('tg-block')) props.onOpen(Number(el.dataset.appointmentId))
    else if (canBook) props.onBook(column, Number(el.dataset.m))
  }

  function onFocus(e: FocusEvent<HTMLDivElement>) {
    const id = (e.target as HTMLElement).dataset?.stop
    if (id && id !== active) setChosen(id)
  }

  const hours: number[] = []
  for (let m = Math.ceil(range.start / 60) * 60; m < range.end; m += 60) hours.push(m)
  const px = slotHeight / SLOT_MINUTES
  const outside = useMemo(() => columns.map((c) => outsideRange(c.blocks, range)), [columns, range])
  const anyLater = outside.some((o) => o.later.length > 0)
  const anyEarlier = outside.some((o) => o.earlier.length > 0)

  return (
    <div
      ref={scrollRef}
      className="tg-scroll"
      // With nothing to book or open (a manager's empty day), the scrolling area itself takes the Tab stop, so that the
      // keyboard can still scroll it (axe: scrollable-region-focusable).
      tabIndex={active ? undefined : 0}
      style={{ maxHeight, scrollPaddingLeft: TIME_COLUMN, ['--tg-slot-h' as string]: `${slotHeight}px` } as CSSProperties}
    >
      <div
        ref={gridRef}
        className="tg"
        style={{ gridTemplateColumns: `${TIME_COLUMN}px repeat(${columns.length}, minmax(${MIN_COLUMN}px, 1fr))` }}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onClick={onClick}
        onFocus={onFocus}
      >
        <div className="tg-corner" />
        {columns.map((c, i) => (
          <div key={c.id} className="tg-head" data-column-header={c.id}>
            <div className="tg-head-label">{c.label}</div>
            {anyEarlier && <MoreButton items={outside[i]!.earlier} direction="earlier" onExtend={props.onExtend} />}
          </div>
        ))}
        <div className="tg-times" aria-hidden="true" style={{ height: (range.end - range.start) * px }}>
          {hours.map((m) => (
            <div key={m} className="tg-time" style={{ top: (m - range.start) * px }}>
              {timeOfMinutes(m)}
            </div>
          ))}
        </div>
        {columns.map((c, i) => (
          <Column
            key={c.id}
            index={i}
            column={c}
            range={range}
            slots={slots}
            slotHeight={slotHeight}
            timeZone={props.timeZone}
            canBook={canBook}
            active={active?.startsWith(`${c.id}|`) ? active : null}
            nowMinute={c.date === props.today ? props.nowMinute : null}
          />
        ))}
        {anyLater && (
          <>
            <div className="tg-corner tg-foot-corner" />
            {columns.map((c, i) => (
              <div key={c.id} className="tg-foot">
                <MoreButton items={outside[i]!.later} direction="later" onExtend={props.onExtend} />
              </div>
            ))}
          </>
        )}
        <div ref={ghostRef} className="tg-ghost" aria-hidden="true" />
      </div>
    </div>
  )
}

/** "2 earlier ↑ 06:30" / "1 later ↓ 17:30": appointments outside the hours shown; a click shows them. */
function MoreButton({ items, direction, onExtend }: { items: GridBlock[]; direction: 'earlier' | 'later'; onExtend(include: Partial<Range>): void }) {
  if (items.length === 0) return <div className="tg-more-none" />
  const first = direction === 'earlier' ? items[0]!.start : Math.min(...items.map((i) => Math.max(i.start, 0)))
  const text = `${items.length} ${direction} ${direction === 'earlier' ? '↑' : '↓'} ${timeOfMinutes(first)}`
  return (
    <button
      type="button"
      className="tg-more"
      title={`Show ${items.length === 1 ? 'the appointment' : `the ${items.length} appointments`} ${direction === 'earlier' ? 'before' : 'after'} the hours shown`}
      onClick={() => onExtend(direction === 'earlier' ? { start: Math.min(...items.map((i) => i.start)) } : { end: Math.max(...items.map((i) => i.end)) })}
    >
      {text}
    </button>
  )
}

interface ColumnProps {
  index: number
  column: GridColumn
  range: Range
  slots: number[]
  slotHeight: number
  timeZone: string
  canBook: boolean
  /** The grid's one Tab stop, when it is in this column. */
  active: string | null
  /** Minutes since midnight now, when the column is today. */
  nowMinute: number | null
}

/** One lane or day: its slots (in the flow, one per 15 minutes) and its appointments (placed over them). */
const Column = memo(function Column({ index, column, range, slots, slotHeight, timeZone, canBook, active, nowMinute }: ColumnProps) {
  const opens = column.open ? Number(column.open.opens.slice(0, 2)) * 60 + Number(column.open.opens.slice(3, 5)) : 0
  const closes = column.open ? Number(column.open.closes.slice(0, 2)) * 60 + Number(column.open.closes.slice(3, 5)) : 0
  const placed = useMemo(() => placeOverlapping(column.blocks), [column.blocks])
  const px = slotHeight / SLOT_MINUTES
  return (
    <div className="tg-col" data-col={index} data-column={column.id} style={{ height: (range.end - range.start) * px }}>
      {slots.map((m) => {
        const closed = !column.open || m < opens || m >= closes
        const cls = `tg-slot${m % 60 === 0 ? ' tg-hour' : ''}${closed ? ' tg-closed' : ''}`
        if (!canBook) return <div key={m} className={cls} />
        const id = `${column.id}|s${m}`
        return <button key={m} type="button" className={cls} data-m={m} data-stop={id} tabIndex={active === id ? 0 : -1} aria-label={`Book ${column.laneName} ${column.date} ${timeOfMinutes(m)}`} />
      })}
      {placed.map((p) => {
        const box = verticalBox(p.item, range, SLOT_MINUTES, slotHeight)
        if (!box) return null
        const id = `${column.id}|${p.item.key}`
        return <Block key={p.item.key} block={p.item} top={box.top} height={box.height} column={p.column} columns={p.columns} timeZone={timeZone} tabIndex={active === id ? 0 : -1} stop={id} />
      })}
      {nowMinute !== null && nowMinute >= range.start && nowMinute < range.end && <div className="tg-now" style={{ top: (nowMinute - range.start) * px }} aria-hidden="true" />}
    </div>
  )
})

const fgCache = new Map<string, string>()
function fgOn(colour: string): string {
  let fg = fgCache.get(colour)
  if (!fg) {
    fg = textColourOn(colour)
    fgCache.set(colour, fg)
  }
  return fg
}

interface BlockProps {
  block: GridBlock
  top: number
  height: number
  column: number
  columns: number
  timeZone: string
  tabIndex: number
  stop: string
}

/** An appointment, in its type's colour with black or white text; patient, type and status as far as its height allows. */
const Block = memo(function Block({ block, top, height, column, columns, timeZone, tabIndex, stop }: BlockProps) {
  const a = block.appointment
  const fg = fgOn(a.colour)
  const inactive = a.status === 'noshow' || a.status === 'cancelled'
  const bay = block.kind === 'bay'
  const when = bay ? `observation ${localTime(a.endsAt, timeZone)}–${localTime(a.observationEndsAt!, timeZone)}` : `${localTime(a.startsAt, timeZone)}–${localTime(a.endsAt, timeZone)}`
  const language = languageLine({ preferredLanguage: a.patientLanguage, interpreterNeeded: a.interpreterNeeded })
  const what = bay ? 'Observation' : a.typeName
  const label = `${a.patientName}, ${a.typeName}, ${when}, ${a.providerName}, ${bay ? a.observationRoomName : a.roomName}, ${STATUS_LABELS[a.status]}`
  return (
    <button
      type="button"
      className={`tg-block${inactive ? ' tg-inactive' : ''}`}
      data-appointment-id={a.id}
      data-lane={block.kind}
      data-key={block.key}
      data-stop={stop}
      data-draggable={draggable(block) ? '' : undefined}
      tabIndex={tabIndex}
      aria-label={label}
      title={`${a.patientName}\n${what} · ${STATUS_LABELS[a.status]}\n${when}\n${a.providerName} · ${bay ? a.observationRoomName : a.roomName}${language ? `\n${language}` : ''}`}
      style={{
        top,
        height,
        left: `calc(${(100 * column) / columns}% + 1px)`,
        width: `calc(${100 / columns}% - 3px)`,
        background: a.colour,
        color: fg,
        ['--tg-fg' as string]: fg,
      }}
    >
      <span className="tg-name">{a.patientName}</span> <span className="tg-meta">{what} · {STATUS_LABELS[a.status]}</span>
      {language && <span className="tg-meta"> · {language}</span>}
    </button>
  )
})

/** The clinic's wall-clock minutes of an appointment on a day (an end past midnight is cut at midnight); null on another day. */
export function minutesOn(date: string, startsAt: string, endsAt: string, timeZone: string): { start: number; end: number } | null {
  const s = zonedParts(startsAt, timeZone)
  if (s.date !== date) return null
  const e = zonedParts(endsAt, timeZone)
  return { start: s.minuteOfDay, end: e.date === date ? e.minuteOfDay : 24 * 60 }
}

/** Minutes since midnight by the clinic's clock, refreshed every 30 s (the current time line). */
export function useNowMinute(timeZone: string): number {
  const [now, setNow] = useState(() => zonedParts(Date.now(), timeZone).minuteOfDay)
  useEffect(() => {
    const t = setInterval(() => setNow(zonedParts(Date.now(), timeZone).minuteOfDay), 30_000)
    return () => clearInterval(t)
  }, [timeZone])
  return now
}
