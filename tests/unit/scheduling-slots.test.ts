import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { firstFreeSlot, isFree, occupancy, overlaps, type Interval } from '../../shared/scheduling/slots'

const M = 60_000
const at = (h: number, m = 0) => (h * 60 + m) * M
const iv = (a: number, b: number): Interval => ({ start: a, end: b })
const base = { from: 0, open: [iv(at(8), at(17))], stepMinutes: 15, providerBusy: [], patientBusy: [], rooms: [[]], bays: [] as Interval[][] }

describe('intervals', () => {
  it('treats back-to-back as free and any shared minute as an overlap', () => {
    expect(overlaps(iv(at(10), at(10, 20)), iv(at(10, 20), at(10, 40)))).toBe(false)
    expect(overlaps(iv(at(10), at(10, 20)), iv(at(10, 19), at(10, 40)))).toBe(true)
    expect(overlaps(iv(at(10), at(12)), iv(at(10, 30), at(11)))).toBe(true)
  })

  it('a procedure holds the patient through the observation after it', () => {
    expect(occupancy(at(8), 60, 120)).toEqual({ visit: iv(at(8), at(9)), observation: iv(at(9), at(11)), patient: iv(at(8), at(11)) })
    expect(occupancy(at(8), 20, 0).observation).toBeNull()
  })
})

describe('first free slot', () => {
  it('starts at opening, steps past a busy provider, and tries the next room', () => {
    expect(firstFreeSlot({ ...base, durationMinutes: 20, observationMinutes: 0 })).toEqual({ start: at(8), roomIndex: 0, bayIndex: -1 })
    expect(firstFreeSlot({ ...base, durationMinutes: 20, observationMinutes: 0, providerBusy: [iv(at(8), at(8, 20))] })!.start).toBe(at(8, 30))
    expect(firstFreeSlot({ ...base, durationMinutes: 20, observationMinutes: 0, rooms: [[iv(at(8), at(12))], []] })).toEqual({ start: at(8), roomIndex: 1, bayIndex: -1 })
  })

  it('rounds "from" up to the next step, and needs the observation to end by closing', () => {
    expect(firstFreeSlot({ ...base, from: at(9, 1), durationMinutes: 20, observationMinutes: 0 })!.start).toBe(at(9, 15))
    expect(firstFreeSlot({ ...base, from: at(14, 1), durationMinutes: 60, observationMinutes: 120, bays: [[]] })).toBeNull()
    expect(firstFreeSlot({ ...base, from: at(13, 59), durationMinutes: 60, observationMinutes: 120, bays: [[]] })!.start).toBe(at(14))
  })

  it('waits for a bay to come free for the hours after a procedure', () => {
    const s = firstFreeSlot({ ...base, durationMinutes: 60, observationMinutes: 120, bays: [[iv(at(9), at(11))], [iv(at(10), at(12))]] })
    expect(s).toEqual({ start: at(10), roomIndex: 0, bayIndex: 0 })
  })

  it('never offers a slot that collides or leaves the open window (property)', () => {
    const busy = fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 12 })).map(([s, l]) => iv(at(8) + s * 10 * M, at(8) + (s + l) * 10 * M)), { maxLength: 8 })
    fc.assert(
      fc.property(busy, busy, busy, fc.constantFrom(20, 45, 60), fc.constantFrom(0, 120), (provider, room, bay, duration, obs) => {
        const q = { ...base, durationMinutes: duration, observationMinutes: obs, providerBusy: provider, rooms: [room], bays: [bay] }
        const s = firstFreeSlot(q)
        if (!s) return true
        const o = occupancy(s.start, duration, obs)
        return (
          o.visit.start >= at(8) && o.patient.end <= at(17) && isFree(provider, o.visit) && isFree(room, o.visit) && (o.observation === null || isFree(bay, o.observation))
        )
      }),
      { numRuns: 300 },
    )
  })
})
