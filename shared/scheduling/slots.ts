/**
 * Interval maths for the schedule, on epoch milliseconds. Intervals are half-open [start, end):
 * an appointment ending at 10:00 does not collide with one starting at 10:00.
 */
export interface Interval {
  start: number
  end: number
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end
}

export function isFree(busy: readonly Interval[], want: Interval): boolean {
  return !busy.some((b) => overlaps(b, want))
}

/** What one booking occupies: the provider and room for the visit, a bay for the observation after it. */
export interface Occupancy {
  visit: Interval
  /** The observation bay's time after the visit, or null when the type needs none. */
  observation: Interval | null
  /** The patient is busy from the start of the visit to the end of the observation. */
  patient: Interval
}

export function occupancy(startMs: number, durationMinutes: number, observationMinutes: number): Occupancy {
  const end = startMs + durationMinutes * 60_000
  const observation = observationMinutes > 0 ? { start: end, end: end + observationMinutes * 60_000 } : null
  return { visit: { start: startMs, end }, observation, patient: { start: startMs, end: observation?.end ?? end } }
}

export interface FreeSlotQuery {
  /** Earliest acceptable start. */
  from: number
  /** Windows in which the whole occupancy (visit and observation) must fit: the clinic's open hours. */
  open: readonly Interval[]
  durationMinutes: number
  observationMinutes: number
  /** Starts are multiples of this many minutes after each window's opening (15: 08:00, 08:15, ...). */
  stepMinutes: number
  providerBusy: readonly Interval[]
  patientBusy: readonly Interval[]
  /** Busy intervals of each room that could host the visit, in order of preference. */
  rooms: readonly (readonly Interval[])[]
  /** Busy intervals of each observation bay, in order of preference (ignored without observation). */
  bays: readonly (readonly Interval[])[]
}

export interface FreeSlot {
  start: number
  roomIndex: number
  /** -1 when the type needs no observation bay. */
  bayIndex: number
}

/**
 * The first start at or after `from` at which the provider, the patient, one room and (if needed)
 * one bay are all free, inside an open window. Null when none fits in the windows given.
 */
export function firstFreeSlot(q: FreeSlotQuery): FreeSlot | null {
  const step = q.stepMinutes * 60_000
  const windows = [...q.open].sort((a, b) => a.start - b.start)
  for (const w of windows) {
    let start = w.start
    if (start < q.from) start += Math.ceil((q.from - start) / step) * step
    for (; start < w.end; start += step) {
      const occ = occupancy(start, q.durationMinutes, q.observationMinutes)
      if (occ.patient.end > w.end) break
      if (!isFree(q.providerBusy, occ.visit) || !isFree(q.patientBusy, occ.patient)) continue
      const roomIndex = q.rooms.findIndex((busy) => isFree(busy, occ.visit))
      if (roomIndex < 0) continue
      let bayIndex = -1
      if (occ.observation) {
        const obs = occ.observation
        bayIndex = q.bays.findIndex((busy) => isFree(busy, obs))
        if (bayIndex < 0) continue
      }
      return { start, roomIndex, bayIndex }
    }
  }
  return null
}
