import { describe, expect, it } from 'vitest'
import { compareFits, fitsForSlot, whyNotFit, type AsapCandidate, type SlotToFill } from '../../shared/scheduling/asap'
import { zonedToInstant } from '../../shared/scheduling/time'
import { AddAsapEntry, RemoveAsapEntry } from '../../shared/schemas/asap'

const TZ = 'America/New_York'
const local = (date: string, time: string) => zonedToInstant(date, time, TZ)
// Wednesday 2 December 2026, 10:00-10:30 with provider 7, type 3.
const WED = '2026-12-02'
const slot = (time = '10:00', end = '10:30', date = WED): SlotToFill => ({ typeId: 3, providerId: 7, startsAt: local(date, time), endsAt: local(date, end) })
const MORNINGS_MON_WED = { days: [1, 3], from: '08:00', to: '12:00' }
const entry = (over: Partial<AsapCandidate> = {}): AsapCandidate => ({
  id: 1,
  typeId: 3,
  providerId: null,
  windows: [MORNINGS_MON_WED],
  earliestDate: null,
  latestDate: null,
  addedAt: local('2026-11-20', '09:00'),
  currentStartsAt: null,
  busy: [],
  ...over,
})

describe('whyNotFit', () => {
  it('fits a slot of the type wanted inside a window on one of its days', () => {
    expect(whyNotFit(slot(), entry(), TZ)).toBeNull()
  })
  it('requires the type', () => {
    expect(whyNotFit(slot(), entry({ typeId: 4 }), TZ)).toBe('type')
  })
  it('takes any provider, or only the one named', () => {
    expect(whyNotFit(slot(), entry({ providerId: null }), TZ)).toBeNull()
    expect(whyNotFit(slot(), entry({ providerId: 7 }), TZ)).toBeNull()
    expect(whyNotFit(slot(), entry({ providerId: 8 }), TZ)).toBe('provider')
  })
  it('needs the slot on one of the window days (clinic time, not UTC)', () => {
    expect(whyNotFit(slot('10:00', '10:30', '2026-12-03'), entry(), TZ)).toBe('weekday') // Thursday
    expect(whyNotFit(slot('10:00', '10:30', '2026-11-30'), entry(), TZ)).toBeNull() // Monday
    // 20:00 on a Wednesday in New York is Thursday in UTC: still Wednesday for the window
    expect(whyNotFit(slot('20:00', '20:30'), entry({ windows: [{ days: [3], from: '18:00', to: '22:00' }] }), TZ)).toBeNull()
  })
  it('takes a visit that starts at the window opening and one that ends at its close, not a minute over', () => {
    expect(whyNotFit(slot('08:00', '08:30'), entry(), TZ)).toBeNull()
    expect(whyNotFit(slot('11:30', '12:00'), entry(), TZ)).toBeNull()
    expect(whyNotFit(slot('07:59', '08:29'), entry(), TZ)).toBe('window')
    expect(whyNotFit(slot('11:31', '12:01'), entry(), TZ)).toBe('window')
    // a window the visit straddles does not count, but any window that holds it does
    expect(whyNotFit(slot('11:45', '12:15'), entry({ windows: [MORNINGS_MON_WED, { days: [1, 2, 3, 4, 5, 6, 7], from: '12:00', to: '17:00' }] }), TZ)).toBe('window')
    expect(whyNotFit(slot('13:00', '13:30'), entry({ windows: [MORNINGS_MON_WED, { days: [1, 2, 3, 4, 5, 6, 7], from: '12:00', to: '17:00' }] }), TZ)).toBeNull()
  })
  it('keeps to the earliest and latest dates, both included', () => {
    expect(whyNotFit(slot(), entry({ earliestDate: WED, latestDate: WED }), TZ)).toBeNull()
    expect(whyNotFit(slot(), entry({ earliestDate: '2026-12-03' }), TZ)).toBe('date')
    expect(whyNotFit(slot(), entry({ latestDate: '2026-12-01' }), TZ)).toBe('date')
  })
  it('does not offer a patient already booked at an overlapping time; back to back is fine', () => {
    const busy = (a: string, b: string) => [{ start: Date.parse(local(WED, a)), end: Date.parse(local(WED, b)) }]
    expect(whyNotFit(slot(), entry({ busy: busy('10:15', '10:45') }), TZ)).toBe('busy')
    expect(whyNotFit(slot(), entry({ busy: busy('09:30', '10:00') }), TZ)).toBeNull()
    expect(whyNotFit(slot(), entry({ busy: busy('10:30', '11:00') }), TZ)).toBeNull()
  })
  it('moves a linked appointment only earlier', () => {
    expect(whyNotFit(slot(), entry({ currentStartsAt: local('2026-12-20', '10:00') }), TZ)).toBeNull()
    expect(whyNotFit(slot(), entry({ currentStartsAt: local(WED, '10:00') }), TZ)).toBe('notEarlier')
    expect(whyNotFit(slot(), entry({ currentStartsAt: local(WED, '09:00') }), TZ)).toBe('notEarlier')
  })
})

describe('ranking', () => {
  it('puts the longest waiting first, counted in clinic days', () => {
    const older = entry({ id: 2, addedAt: local('2026-11-19', '17:00') })
    const newer = entry({ id: 1, addedAt: local('2026-11-20', '08:00'), currentStartsAt: null })
    expect(fitsForSlot(slot(), [newer, older], TZ).map((e) => e.id)).toEqual([2, 1])
  })
  it('on the same day, the one whose current appointment is furthest away goes first; none at all before any', () => {
    const soon = entry({ id: 1, addedAt: local('2026-11-20', '08:00'), currentStartsAt: local('2026-12-10', '09:00') })
    const far = entry({ id: 2, addedAt: local('2026-11-20', '16:00'), currentStartsAt: local('2027-01-10', '09:00') })
    const none = entry({ id: 3, addedAt: local('2026-11-20', '17:00'), currentStartsAt: null })
    expect(fitsForSlot(slot(), [soon, far, none], TZ).map((e) => e.id)).toEqual([3, 2, 1])
  })
  it('the day boundary is the clinic midnight: 23:59 and 00:00 are different days', () => {
    const lateEve = entry({ id: 1, addedAt: local('2026-11-19', '23:59'), currentStartsAt: local('2026-12-10', '09:00') })
    const midnight = entry({ id: 2, addedAt: local('2026-11-20', '00:00'), currentStartsAt: null })
    expect(compareFits(lateEve, midnight, TZ)).toBeLessThan(0)
  })
  it('breaks a full tie by the earlier addition, then the id', () => {
    const a = entry({ id: 5, addedAt: local('2026-11-20', '08:00') })
    const b = entry({ id: 4, addedAt: local('2026-11-20', '09:00') })
    const c = entry({ id: 3, addedAt: local('2026-11-20', '09:00') })
    expect(fitsForSlot(slot(), [b, c, a], TZ).map((e) => e.id)).toEqual([5, 3, 4])
  })
  it('leaves out those that do not fit', () => {
    expect(fitsForSlot(slot(), [entry({ id: 1, typeId: 9 }), entry({ id: 2 })], TZ).map((e) => e.id)).toEqual([2])
  })
})

describe('the entry schema', () => {
  it('names the field it refuses', () => {
    const base = { patientId: 1, typeId: 3, windows: [MORNINGS_MON_WED] }
    expect(AddAsapEntry.safeParse(base).success).toBe(true)
    const paths = (v: unknown) => (AddAsapEntry.safeParse(v).error?.issues ?? []).map((i) => i.path.join('.'))
    expect(paths({ ...base, windows: [] })).toEqual(['windows'])
    expect(paths({ ...base, windows: [{ days: [], from: '08:00', to: '12:00' }] })).toEqual(['windows.0.days'])
    expect(paths({ ...base, windows: [{ days: [8], from: '08:00', to: '12:00' }] })).toEqual(['windows.0.days.0'])
    expect(paths({ ...base, windows: [{ days: [1], from: '12:00', to: '12:00' }] })).toEqual(['windows.0.to'])
    expect(paths({ ...base, earliestDate: '2026-12-10', latestDate: '2026-12-09' })).toEqual(['latestDate'])
    expect(RemoveAsapEntry.safeParse({ id: 1, version: 0, reason: 'other', note: '  ' }).error?.issues[0]?.path).toEqual(['note'])
  })
})
