/** When a status change can be made (shared/scheduling/statusTiming.ts), at the edges of the clinic's day. */
import { describe, expect, it } from 'vitest'
import { statusTimingRefusal } from '../../shared/scheduling/statusTiming'

const timeZone = 'America/Chicago'
// 09:00 in Chicago on 2026-12-07 (UTC-6)
const startsAt = '2026-12-07T15:00:00.000Z'
const at = (iso: string) => ({ startsAt, timeZone, nowMs: Date.parse(iso) })

describe('statusTimingRefusal', () => {
  it('checks in on the clinic day only: from its first minute to its last, in the clinic time zone', () => {
    expect(statusTimingRefusal('booked', 'arrived', at('2026-12-07T05:59:59.000Z'))).toBe('notToday') // 23:59:59 the day before
    expect(statusTimingRefusal('booked', 'arrived', at('2026-12-07T06:00:00.000Z'))).toBeNull() // 00:00 the day itself
    expect(statusTimingRefusal('confirmed', 'arrived', at('2026-12-08T05:59:59.000Z'))).toBeNull() // 23:59:59
    expect(statusTimingRefusal('confirmed', 'arrived', at('2026-12-08T06:00:00.000Z'))).toBe('notToday') // next day
  })

  it('lets a step back from the room or a finished visit be undone on another day', () => {
    expect(statusTimingRefusal('in_room', 'arrived', at('2026-12-09T15:00:00.000Z'))).toBeNull()
    expect(statusTimingRefusal('completed', 'in_room', at('2026-12-09T15:00:00.000Z'))).toBeNull()
  })

  it('marks a no-show from the start time on, not a millisecond before', () => {
    expect(statusTimingRefusal('booked', 'noshow', at('2026-12-07T14:59:59.999Z'))).toBe('notStarted')
    expect(statusTimingRefusal('booked', 'noshow', at(startsAt))).toBeNull()
  })

  it('reinstates a no-show until the end of its day', () => {
    expect(statusTimingRefusal('noshow', 'booked', at('2026-12-08T05:59:59.999Z'))).toBeNull()
    expect(statusTimingRefusal('noshow', 'booked', at('2026-12-08T06:00:00.000Z'))).toBe('dayOver')
  })

  it('holds nothing else back (confirming or cancelling a future appointment)', () => {
    expect(statusTimingRefusal('booked', 'confirmed', at('2026-11-01T12:00:00.000Z'))).toBeNull()
    expect(statusTimingRefusal('booked', 'cancelled', at('2026-11-01T12:00:00.000Z'))).toBeNull()
  })
})
