/**
 * The all-lanes week as a compact overview (issue 22 point 1; drawn by renderer/screens/Schedule/WeekOverview.tsx):
 * lanes as rows (providers, then rooms, in the administrator's order), the week's days as columns, and in each
 * cell that lane's appointments of that day in time order. Kept pure and fast: a busy clinic's week is about 2 400
 * appointments, each shown in its provider's row and its room's (and a procedure's observation in its bay's), and
 * the whole overview must be drawn in well under 300 ms, so the clinic's wall clock is worked out once per quarter
 * hour of the week rather than once per appointment.
 */
import type { AppointmentStatus, AppointmentType, ScheduleBlock, ScheduleSetup } from '../schemas/scheduling'
import { addDays, weekdayOf, zoneOffsetMs } from './time'

export interface OverviewLane {
  /** 'p:<provider id>' or 'r:<room id>', as the schedule's lanes are named. */
  id: string
  label: string
  kind: 'provider' | 'room'
  /** Not active any more, shown because it still has appointments this week. */
  inactive: boolean
}

export interface OverviewDay {
  date: string
  /** 1 = Monday ... 7 = Sunday. */
  weekday: number
  /** Why the clinic is closed that day ('Staff training', 'The clinic is closed on Saturdays'), or null. */
  closed: string | null
}

export interface OverviewEntry {
  appointmentId: number
  /** Clinic wall-clock time it starts in this lane (an observation: when the procedure ends), HH:MM. */
  time: string
  /** For ordering within the cell. */
  at: number
  /** The patient's surname as written ("Núñez-García"), in full. */
  surname: string
  patientName: string
  typeName: string
  /** A short, unique form of the type's name ("Cons", "Vert"); the full name is in the title. */
  typeShort: string
  colour: string
  status: AppointmentStatus
  /** This entry is the observation after a procedure, in its bay. */
  observation: boolean
}

export interface WeekOverviewModel {
  lanes: OverviewLane[]
  days: OverviewDay[]
  /** Entries by `${lane}|${date}`, each list in time order. A cell without appointments has no entry. */
  cells: Map<string, OverviewEntry[]>
  /** Entries of the week in no lane shown: none unless an appointment's provider or room is missing from the setup. */
  unplaced: number
}

export const cellKey = (lane: string, date: string) => `${lane}|${date}`

const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

/** "Søndergaard" of "Søndergaard, Anne Marie"; a name without a comma is taken whole. */
export function surnameOf(patientName: string): string {
  const comma = patientName.indexOf(',')
  return (comma < 0 ? patientName : patientName.slice(0, comma)).trim()
}

/**
 * A short name for each appointment type, unique among the types: the shortest start of the name of at least four
 * letters that no other type's name shares ("Consultation" -> "Cons", "Vertebroplasty" -> "Vert", "Follow-up
 * consultation" -> "Foll"), ended at a word's end when only a letter or two of the word would be left; a name of
 * six letters or fewer is kept whole.
 */
export function typeShortNames(types: Pick<AppointmentType, 'id' | 'name'>[]): Map<number, string> {
  const out = new Map<number, string>()
  const names = types.map((t) => t.name.trim())
  types.forEach((t, i) => {
    const name = names[i]!
    if (name.length <= 6) {
      out.set(t.id, name)
      return
    }
    const lower = name.toLowerCase()
    const others = names.filter((n, j) => j !== i && n.toLowerCase() !== lower).map((n) => n.toLowerCase())
    let n = 4
    while (n < name.length && others.some((o) => o.startsWith(lower.slice(0, n)))) n++
    // "Kypho" rather than "Kyph" is no better; but "Consultatio" should be "Consultation"
    const wordEnd = name.slice(n).search(/[\s-]|$/)
    if (wordEnd > 0 && wordEnd <= 2) n += wordEnd
    out.set(t.id, name.slice(0, n).trim())
  })
  return out
}

/**
 * The week's days from its Monday: Monday to Friday always; Saturday and Sunday when the clinic opens then (or
 * something is booked then). A closed day says why: its closure's reason, or that the clinic does not open on that
 * weekday.
 */
export function overviewDays(setup: Pick<ScheduleSetup, 'hours' | 'closedDays'>, from: string, booked: ReadonlySet<string> = new Set()): OverviewDay[] {
  const days: OverviewDay[] = []
  for (let i = 0; i < 7; i++) {
    const date = addDays(from, i)
    const weekday = weekdayOf(date)
    const hours = setup.hours.find((h) => h.weekday === weekday)
    const opens = !!hours?.open
    if (weekday >= 6 && !opens && !booked.has(date)) continue
    const closure = setup.closedDays.find((c) => c.date === date)
    const closed = closure ? closure.reason : opens ? null : `The clinic is closed on ${WEEKDAY_NAMES[weekday - 1]}s`
    days.push({ date, weekday, closed })
  }
  return days
}

/**
 * The clinic's wall clock for instants of one week: the zone's offset is asked once per quarter hour (every zone's
 * changes fall on a quarter hour), not once per appointment (Intl's formatToParts costs microseconds each).
 */
function wallClock(timeZone: string): (ms: number) => { date: string; time: string } {
  const QUARTER = 15 * 60_000
  const offsets = new Map<number, number>()
  return (ms) => {
    const q = Math.floor(ms / QUARTER)
    let offset = offsets.get(q)
    if (offset === undefined) offsets.set(q, (offset = zoneOffsetMs(q * QUARTER, timeZone)))
    const iso = new Date(ms + offset).toISOString()
    return { date: iso.slice(0, 10), time: iso.slice(11, 16) }
  }
}

/** Lanes, days and each cell's appointments in time order, for the week starting on Monday `from`. */
export function buildWeekOverview(setup: ScheduleSetup, appointments: readonly ScheduleBlock[], from: string, timeZone: string): WeekOverviewModel {
  const wall = wallClock(timeZone)
  const shortNames = typeShortNames(setup.types)
  const weekEnd = addDays(from, 7)
  const cells = new Map<string, OverviewEntry[]>()
  const laneUsed = new Set<string>()
  const booked = new Set<string>()

  // the wall clock of each instant once (a busy day's appointments share their slots' starts)
  const walls = new Map<string, { date: string; time: string; at: number }>()
  const wallOf = (instant: string) => {
    let w = walls.get(instant)
    if (!w) {
      const at = Date.parse(instant)
      walls.set(instant, (w = { ...wall(at), at }))
    }
    return w
  }
  const put = (lane: string, date: string, entry: OverviewEntry) => {
    laneUsed.add(lane)
    const key = cellKey(lane, date)
    const list = cells.get(key)
    if (list) list.push(entry)
    else cells.set(key, [entry])
  }
  const entryOf = (a: ScheduleBlock, w: { time: string; at: number }, observation: boolean): OverviewEntry => ({
    appointmentId: a.id,
    time: w.time,
    at: w.at,
    surname: surnameOf(a.patientName),
    patientName: a.patientName,
    typeName: a.typeName,
    typeShort: shortNames.get(a.typeId) ?? a.typeName,
    colour: a.colour,
    status: a.status,
    observation,
  })
  for (const a of appointments) {
    const w = wallOf(a.startsAt)
    if (w.date >= from && w.date < weekEnd) {
      booked.add(w.date)
      // one entry, shown in the provider's row and the room's
      const entry = entryOf(a, w, false)
      put(`p:${a.providerId}`, w.date, entry)
      put(`r:${a.roomId}`, w.date, entry)
    }
    if (a.observationRoomId !== null && a.observationEndsAt) {
      const o = wallOf(a.endsAt)
      if (o.date >= from && o.date < weekEnd) {
        booked.add(o.date)
        put(`r:${a.observationRoomId}`, o.date, entryOf(a, o, true))
      }
    }
  }
  for (const list of cells.values()) list.sort((x, y) => x.at - y.at || (x.surname < y.surname ? -1 : x.surname > y.surname ? 1 : 0))

  // active lanes, and an inactive one that still has appointments this week (so that nothing booked vanishes)
  const lanes: OverviewLane[] = [
    ...setup.providers.map((p) => ({ id: `p:${p.id}`, label: p.displayName, kind: 'provider' as const, inactive: !p.active })),
    ...setup.rooms.map((r) => ({ id: `r:${r.id}`, label: r.name, kind: 'room' as const, inactive: !r.active })),
  ].filter((l) => !l.inactive || laneUsed.has(l.id))

  const days = overviewDays(setup, from, booked)
  const shownLanes = new Set(lanes.map((l) => l.id))
  const shownDays = new Set(days.map((d) => d.date))
  let unplaced = 0
  for (const [key, list] of cells) {
    const [lane, date] = key.split('|') as [string, string]
    if (!shownLanes.has(lane) || !shownDays.has(date)) unplaced += list.length
  }
  return { lanes, days, cells, unplaced }
}
