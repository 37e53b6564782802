/**
 * The all-lanes week as a compact overview (issue 22 point 1): a table with a row per lane (providers, then rooms,
 * in the administrator's order) and a column per day (Monday to Friday; a weekend day when the clinic opens then),
 * each cell listing that lane's appointments of the day in time order as "08:30 Søndergaard · New" (the time and
 * the surname in full, the type shortly; the full name, type and status in the tooltip and the accessible name),
 * with a count (a crowded cell lists its first ten and "+N more", which opens the day). A closed day is shaded, its
 * reason in the tooltip. The row's header opens the lane's own week, the
 * day's header the day, an appointment the appointment.
 *
 * Plain elements, no Mantine component per appointment, one click handler for the whole table (a busy week is
 * ~2 400 appointments, each in two or three rows, and must be drawn in well under 300 ms). The table fits its
 * width (fixed layout), so the page never scrolls sideways. From the keyboard each
 * cell is one Tab stop (its first appointment); the arrow keys go up and down the cell's list.
 * The grouping is shared/scheduling/weekOverview.ts (unit tested).
 */
import { useMemo, type KeyboardEvent, type MouseEvent } from 'react'
import { buildWeekOverview, cellKey, type OverviewDay, type OverviewEntry, type OverviewLane } from '../../../shared/scheduling/weekOverview'
import { STATUS_LABELS, type ScheduleBlock, type ScheduleSetup } from '../../../shared/schemas/scheduling'
import { longDate } from './scheduleUi'
import './WeekOverview.css'

export interface WeekOverviewProps {
  setup: ScheduleSetup
  appointments: ScheduleBlock[]
  /** Monday, YYYY-MM-DD */
  from: string
  timeZone: string
  onOpenDay(date: string): void
  /** 'p:ID' | 'r:ID' */
  onOpenLane(lane: string): void
  onOpenAppointment(id: number): void
}

const dayHead = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' })
/** "Mon, Dec 7" */
const shortDay = (date: string) => dayHead.format(new Date(`${date}T12:00:00Z`))

/** What the tooltip and a screen reader say of an appointment: "08:30 Søndergaard, Anne Marie · Vertebroplasty · Booked". */
function describe(e: OverviewEntry): string {
  return `${e.time} ${e.patientName} · ${e.observation ? `Observation after ${e.typeName}` : e.typeName} · ${STATUS_LABELS[e.status]}`
}

export function WeekOverview({ setup, appointments, from, timeZone, onOpenDay, onOpenLane, onOpenAppointment }: WeekOverviewProps) {
  const model = useMemo(() => buildWeekOverview(setup, appointments, from, timeZone), [setup, appointments, from, timeZone])

  // One handler for every button of the table: which one says what it opens (data-appointment, data-lane, data-day).
  function onClick(e: MouseEvent<HTMLTableElement>) {
    const button = (e.target as HTMLElement).closest('button')
    if (!button) return
    const { appointment, lane, day } = button.dataset
    if (appointment) onOpenAppointment(Number(appointment))
    else if (lane) onOpenLane(lane)
    else if (day) onOpenDay(day)
  }

  // Up and down a cell's list (each cell is one Tab stop).
  function onKeyDown(e: KeyboardEvent<HTMLTableElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return
    const item = e.target as HTMLElement
    const list = item.parentElement
    if (!item.classList.contains('wo-appt') || !list) return
    const next =
      e.key === 'ArrowDown' ? item.nextElementSibling : e.key === 'ArrowUp' ? item.previousElementSibling : e.key === 'Home' ? list.firstElementChild : list.lastElementChild
    if (!(next instanceof HTMLElement)) return
    e.preventDefault()
    next.focus()
  }

  const label = `Every lane, week of ${longDate(from)}`
  return (
    <div className="wo-scroll" role="region" aria-label={label} data-testid="week-overview">
      <table className="wo" onClick={onClick} onKeyDown={onKeyDown}>
        <caption className="wo-sr">{label}</caption>
        <colgroup>
          <col className="wo-lanecol" />
          {model.days.map((d) => (
            <col key={d.date} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col" className="wo-corner">
              Lane
            </th>
            {model.days.map((d) => (
              <DayHead key={d.date} day={d} />
            ))}
          </tr>
        </thead>
        <tbody>
          {model.lanes.length === 0 && (
            <tr>
              <td colSpan={model.days.length + 1}>No providers or rooms yet: an administrator adds them under Schedule setup.</td>
            </tr>
          )}
          {model.lanes.map((lane) => (
            <LaneRow key={lane.id} lane={lane} days={model.days} cells={model.cells} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function DayHead({ day }: { day: OverviewDay }) {
  const name = longDate(day.date)
  return (
    <th scope="col" className={day.closed ? 'wo-day wo-closed' : 'wo-day'} title={day.closed ? `Closed: ${day.closed}` : undefined}>
      <button type="button" className="wo-head-button" data-day={day.date} aria-label={day.closed ? `Day of ${name} (closed: ${day.closed})` : `Day of ${name}`}>
        {shortDay(day.date)}
      </button>
      {day.closed && (
        <span className="wo-closed-note" aria-hidden>
          Closed
        </span>
      )}
    </th>
  )
}

function LaneRow({ lane, days, cells }: { lane: OverviewLane; days: OverviewDay[]; cells: Map<string, OverviewEntry[]> }) {
  return (
    <tr className={lane.kind === 'provider' ? 'wo-provider' : 'wo-room'}>
      <th scope="row" className="wo-lane">
        <button type="button" className="wo-head-button" data-lane={lane.id} aria-label={`Week of ${lane.label}`} title={`Week of ${lane.label}`}>
          {lane.label}
        </button>
        {lane.inactive && <span className="wo-inactive">inactive</span>}
      </th>
      {days.map((d) => (
        <Cell key={d.date} day={d} entries={cells.get(cellKey(lane.id, d.date))} />
      ))}
    </tr>
  )
}

/**
 * At most this many appointments are listed in a cell; the rest are counted in a "+N more" that opens the day. A
 * busy clinic's lane has sixty a day: listing every one in every cell would be ~5 000 buttons, too many to draw in
 * the time a click on Week allows, and no more readable at a glance than the count.
 */
export const CELL_LIMIT = 10

function Cell({ day, entries }: { day: OverviewDay; entries: OverviewEntry[] | undefined }) {
  const n = entries?.length ?? 0
  // "+1 more" would take the line the one appointment needs
  const shown = n > CELL_LIMIT + 1 ? entries!.slice(0, CELL_LIMIT) : (entries ?? [])
  const more = n - shown.length
  return (
    <td className={day.closed ? 'wo-cell wo-closed' : 'wo-cell'} title={day.closed ? `Closed: ${day.closed}` : undefined}>
      {n > 0 && (
        <>
          <div className="wo-count">
            {n}
            <span className="wo-sr">{n === 1 ? ' appointment' : ' appointments'}</span>
          </div>
          <div className="wo-list">
            {shown.map((e, i) => {
              const text = describe(e)
              // one element per appointment: no list item, no inner spans
              return (
                <button
                  key={`${e.appointmentId}${e.observation ? 'o' : ''}`}
                  type="button"
                  className={`wo-appt wo-${e.status}`}
                  data-appointment={e.appointmentId}
                  tabIndex={i === 0 ? 0 : -1}
                  style={{ borderLeftColor: e.colour }}
                  title={text}
                  aria-label={text}
                >
                  {`${e.time} ${e.surname} · ${e.observation ? 'Obs' : e.typeShort}`}
                </button>
              )
            })}
            {more > 0 && (
              <button type="button" className="wo-appt wo-more" data-day={day.date} tabIndex={-1} title={`${more} more: open ${longDate(day.date)}`}>
                +{more} more
              </button>
            )}
          </div>
        </>
      )}
    </td>
  )
}
