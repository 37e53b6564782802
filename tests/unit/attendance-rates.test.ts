import { describe, expect, it } from 'vitest'
import { attendanceRates, type AttendanceRow } from '../../shared/scheduling/attendance'

const START = '2026-11-20T15:00:00.000Z'
const row = (o: Partial<AttendanceRow>): AttendanceRow => ({ typeName: 'Follow-up consultation', channel: 'phone', status: 'completed', startsAt: START, confirmedAt: null, ...o })

describe('confirmation and no-show rates', () => {
  it('counts a confirmation made up to the start, not one after; cancelled ones stay in the confirmation denominator only', () => {
    const r = attendanceRates([
      row({ confirmedAt: START }), // confirmed at the very start: counts
      row({ confirmedAt: '2026-11-20T15:00:00.001Z' }), // after the start: does not
      row({ status: 'noshow', confirmedAt: '2026-11-19T15:00:00.000Z' }),
      row({ status: 'cancelled', confirmedAt: '2026-11-19T15:00:00.000Z' }), // confirmed, then cancelled: still confirmed
    ])
    expect(r.overall.confirmation).toEqual({ numerator: 3, denominator: 4, rate: 0.75 })
    expect(r.overall.noShow).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 })
  })

  it('groups by type name and by channel, leaving out channels with no appointment; an empty group is null, not 0 %', () => {
    const r = attendanceRates([row({ typeName: 'Vertebroplasty', channel: 'email', status: 'noshow' }), row({ channel: 'email' }), row({ status: 'cancelled', channel: 'letter' })])
    expect(r.byType.map((g) => [g.label, g.due, g.noShow.rate])).toEqual([
      ['Follow-up consultation', 2, 0],
      ['Vertebroplasty', 1, 1],
    ])
    expect(r.byChannel.map((g) => [g.label, g.due, g.noShow.rate])).toEqual([
      ['E-mail', 2, 0.5],
      ['Letter', 1, null], // its only appointment was cancelled: no denominator for no-shows
    ])
    expect(attendanceRates([]).overall.confirmation.rate).toBeNull()
  })
})
