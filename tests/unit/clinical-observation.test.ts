import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { icd10Encounter, normalizeIcd10Cm } from '../../shared/clinical/icd10'
import {
  bedsLeft,
  checkFlags,
  DEFAULT_OBSERVATION_PHASES,
  describeStayReasons,
  DISCHARGE_READINESS_ITEMS,
  dischargeReadiness,
  observationSchedule,
  observationTimeFlags,
  slotMinutes,
  type ScheduleInput,
} from '../../shared/clinical/observation'

const ARRIVED = '2026-11-30T14:00:00.000Z'
const at = (minutes: number) => new Date(Date.parse(ARRIVED) + minutes * 60_000).toISOString()

function schedule(over: Partial<ScheduleInput> & { nowMin: number; checksAt?: number[] }) {
  return observationSchedule({
    arrivedAt: ARRIVED,
    phases: DEFAULT_OBSERVATION_PHASES,
    checkOnArrival: true,
    graceMinutes: 5,
    checks: (over.checksAt ?? []).map((m, i) => ({ id: i + 1, checkedAt: at(m) })),
    now: at(over.nowMin),
    ...over,
  })
}

describe('the observation schedule', () => {
  it('is due every 15 minutes in the first hour and every 30 in the second, with a check on arrival', () => {
    expect(slotMinutes(DEFAULT_OBSERVATION_PHASES, true)).toEqual([0, 15, 30, 45, 60, 90, 120])
    expect(slotMinutes(DEFAULT_OBSERVATION_PHASES, false)).toEqual([15, 30, 45, 60, 90, 120])
    expect(slotMinutes([{ everyMinutes: 10, forMinutes: 30 }, { everyMinutes: 20, forMinutes: 40 }], false)).toEqual([10, 20, 30, 50, 70])
    expect(() => slotMinutes([{ everyMinutes: 0, forMinutes: 30 }], true)).toThrow(RangeError)
  })

  it('marks what is done, due, late, missed and upcoming', () => {
    // checks at arrival and at 16 minutes; now 37: the 30-minute check is 7 minutes late (still catchable until 37.5)
    const s = schedule({ nowMin: 37, checksAt: [0, 16] })
    expect(s.slots.map((x) => x.status)).toEqual(['done', 'done', 'late', 'upcoming', 'upcoming', 'upcoming', 'upcoming'])
    expect(s.slots[1]).toMatchObject({ minutes: 15, dueAt: at(15), checkId: 2, checkedAt: at(16) })
    expect(s).toMatchObject({ lateCount: 1, dueCount: 0, missedCount: 0, nextDueAt: at(30), complete: false })
    // at 38 the 30-minute slot is past its window: a check now counts for 45 (early), so 30 is missed
    expect(schedule({ nowMin: 38, checksAt: [0, 16] }).slots[2]!.status).toBe('missed')
    // within the grace it reads due
    expect(schedule({ nowMin: 33, checksAt: [0, 16] }).slots[2]!.status).toBe('due')
    expect(schedule({ nowMin: 29, checksAt: [0, 16] }).slots[2]!.status).toBe('upcoming')
  })

  it('counts a check after the grace as done late, and a second check near the same time as an extra', () => {
    const s = schedule({ nowMin: 50, checksAt: [0, 1, 21, 44] })
    // 1 minute after arrival is nearest the arrival slot, which is taken: an extra; 21 is nearest 15 (done late);
    // 44 is nearest 45; nothing was near 30, now long past: missed
    expect(s.slots.slice(0, 4).map((x) => x.status)).toEqual(['done', 'doneLate', 'missed', 'done'])
    expect(s.slots[1]!.checkedAt).toBe(at(21))
    expect(s.extraCheckIds).toEqual([2])
  })

  it('needs nothing after the patient left the bay; an unchecked slot before leaving was missed', () => {
    const s = schedule({ nowMin: 200, checksAt: [0, 15, 45, 60], departedAt: at(70) })
    expect(s.slots.map((x) => x.status)).toEqual(['done', 'done', 'missed', 'done', 'done', 'notNeeded', 'notNeeded'])
    expect(s.complete).toBe(true)
    expect(s.nextDueAt).toBeNull()
  })

  it('is complete when every slot is checked on time', () => {
    const s = schedule({ nowMin: 130, checksAt: [0, 15, 30, 45, 60, 90, 120] })
    expect(s.slots.every((x) => x.status === 'done')).toBe(true)
    expect(s.complete).toBe(true)
  })

  it('property: every check counts for exactly one slot or is an extra; statuses follow the clock', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -10, max: 200 }), { maxLength: 12 }), fc.integer({ min: 0, max: 240 }), (checksAt, nowMin) => {
        const s = schedule({ nowMin, checksAt })
        const used = s.slots.filter((x) => x.checkId !== null).map((x) => x.checkId)
        expect(new Set(used).size).toBe(used.length)
        expect(used.length + s.extraCheckIds.length).toBe(checksAt.length)
        for (const slot of s.slots) {
          if (slot.status === 'upcoming') expect(Date.parse(slot.dueAt)).toBeGreaterThan(Date.parse(at(nowMin)))
          if (slot.status === 'late' || slot.status === 'missed') expect(Date.parse(slot.dueAt) + 5 * 60_000).toBeLessThan(Date.parse(at(nowMin)))
        }
      }),
    )
  })
})

describe('an early departure (before the minimum observation time)', () => {
  // the default schedule: arrival, 15, 30, 45, 60, 90, 120 minutes; the clinic's minimum is 60 minutes
  const left = (departedMin: number, checksAt: number[], minimumObservationMinutes: number | null = 60) =>
    schedule({ nowMin: 200, checksAt, departedAt: at(departedMin), ...(minimumObservationMinutes === null ? {} : { minimumObservationMinutes }) }).slots.map((x) => x.status)

  it('makes the unchecked slots due within the minimum missed, not "not needed"; slots after it stay not needed', () => {
    // left at 40: 45 and 60 fell within the minimum observation and have no check
    expect(left(40, [0, 15, 30])).toEqual(['done', 'done', 'done', 'missed', 'missed', 'notNeeded', 'notNeeded'])
    // without the clinic's minimum, the old reading: everything after the departure not needed
    expect(left(40, [0, 15, 30], null)).toEqual(['done', 'done', 'done', 'notNeeded', 'notNeeded', 'notNeeded', 'notNeeded'])
  })

  it('counts the slot at exactly the minimum as within it', () => {
    expect(left(59, [0, 15, 30, 45])).toEqual(['done', 'done', 'done', 'done', 'missed', 'notNeeded', 'notNeeded'])
  })

  it('is not early when the patient leaves exactly at the minimum, or after it', () => {
    expect(left(60, [0, 15, 30, 45, 60])).toEqual(['done', 'done', 'done', 'done', 'done', 'notNeeded', 'notNeeded'])
    // left at exactly 60 without the 60-minute check: that slot was due before leaving, so missed as before
    expect(left(60, [0, 15, 30, 45])[4]).toBe('missed')
    expect(left(61, [0, 15, 30, 45, 60])).toEqual(['done', 'done', 'done', 'done', 'done', 'notNeeded', 'notNeeded'])
    // a clinic minimum of 90 minutes: leaving at 70 misses the 90-minute check too
    expect(left(70, [0, 15, 30, 45, 60], 90)).toEqual(['done', 'done', 'done', 'done', 'done', 'missed', 'notNeeded'])
  })
})

describe('the observation stay times', () => {
  const T0 = Date.parse(ARRIVED)
  const t = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString()
  const minimums = { observationMinutes: 60, supineMinutes: 20 }
  const flags = (arrived: number | null, departed: number | null, supineFrom: number | null, supineTo: number | null, m = minimums) =>
    observationTimeFlags(
      { arrivedAt: arrived === null ? null : t(arrived), departedAt: departed === null ? null : t(departed), supineStartedAt: supineFrom === null ? null : t(supineFrom), supineEndedAt: supineTo === null ? null : t(supineTo) },
      m,
    )

  it('flags a departure before the minimum observation time, not one exactly at it', () => {
    expect(flags(0, 60, null, null)).toEqual([])
    const early = flags(0, 59.5, null, null)
    expect(early).toEqual([
      { key: 'earlyDeparture', minutes: 59, minimumMinutes: 60, message: "Left the observation room 59 minutes after arriving, before the clinic's minimum observation time of 60 minutes" },
    ])
    expect(flags(0, 40, null, null)[0]!.message).toContain('40 minutes after arriving')
    // not yet left: nothing to flag
    expect(flags(0, null, null, null)).toEqual([])
    // a clinic minimum of 0 never flags
    expect(flags(0, 0, null, null, { observationMinutes: 0, supineMinutes: 0 })).toEqual([])
  })

  it('flags a supine rest shorter than the minimum, not one exactly at it', () => {
    expect(flags(null, null, -30, -10)).toEqual([])
    expect(flags(null, null, -30, -11)).toEqual([
      { key: 'shortSupine', minutes: 19, minimumMinutes: 20, message: "Lay supine 19 minutes, less than the clinic's minimum of 20 minutes while the cement hardens" },
    ])
    // the rest not ended yet: nothing to judge
    expect(flags(null, null, -30, null)).toEqual([])
    expect(flags(0, 30, -10, -5).map((f) => f.key)).toEqual(['earlyDeparture', 'shortSupine'])
  })
})

describe('check flags', () => {
  const normal = { systolic: 128, diastolic: 76, heartRate: 72, spo2: 97, pain: 3, legNeuro: 'normal' as const }
  it('flags nothing in a normal check at or under the baseline pain', () => {
    expect(checkFlags(normal, 3)).toEqual([])
    expect(checkFlags(normal, null)).toEqual([])
  })
  it('flags an abnormal leg neurological check and pain above the baseline', () => {
    expect(checkFlags({ ...normal, legNeuro: 'abnormal', pain: 5 }, 3).map((f) => f.key)).toEqual(['neuroAbnormal', 'painAboveBaseline'])
    expect(checkFlags({ ...normal, pain: 5 }, 3)[0]!.message).toBe('Pain 5/10 is above the baseline of 3/10')
  })
  it('flags a respiratory rate outside 10 to 24 breaths a minute', () => {
    expect(checkFlags({ ...normal, respiratoryRate: 10 }, null)).toEqual([])
    expect(checkFlags({ ...normal, respiratoryRate: 24 }, null)).toEqual([])
    expect(checkFlags({ ...normal, respiratoryRate: 9 }, null)).toEqual([{ key: 'lowRespiratoryRate', message: 'Respiratory rate 9/min is below 10/min' }])
    expect(checkFlags({ ...normal, respiratoryRate: 25 }, null)).toEqual([{ key: 'highRespiratoryRate', message: 'Respiratory rate 25/min is above 24/min' }])
    expect(checkFlags({ ...normal, respiratoryRate: null }, null)).toEqual([])
  })
  it("flags a sedation recovery score below the clinic's discharge score, on the check's scale", () => {
    expect(checkFlags({ ...normal, sedationScore: 9, sedationScale: 'aldrete' }, null)).toEqual([])
    expect(checkFlags({ ...normal, sedationScore: 8, sedationScale: 'aldrete' }, null)).toEqual([{ key: 'lowSedationScore', message: 'Aldrete score 8/10 is below the discharge score of 9' }])
    expect(checkFlags({ ...normal, sedationScore: 9, sedationScale: 'padss' }, null, undefined, { scale: 'padss', dischargeScore: 10 })[0]!.message).toBe('PADSS score 9/10 is below the discharge score of 10')
    expect(checkFlags({ ...normal, sedationScore: 0 }, null, undefined, { scale: 'padss', dischargeScore: 0 })).toEqual([])
  })
  it('flags vital signs outside the limits', () => {
    expect(checkFlags({ ...normal, systolic: 85, heartRate: 130, spo2: 89 }, null).map((f) => f.key)).toEqual(['lowBloodPressure', 'highHeartRate', 'lowOxygen'])
    expect(checkFlags({ ...normal, systolic: 190, heartRate: 45 }, null).map((f) => f.key)).toEqual(['highBloodPressure', 'lowHeartRate'])
  })
})

describe('discharge readiness', () => {
  const all = Object.fromEntries(DISCHARGE_READINESS_ITEMS.map((k) => [k, true]))
  it('is ready when every item is ticked, the latest check is clean and no check is late', () => {
    const s = schedule({ nowMin: 130, checksAt: [0, 15, 30, 45, 60, 90, 120] })
    expect(dischargeReadiness(all, { latestCheckFlags: [], schedule: s })).toMatchObject({ allChecked: true, warnings: [], ready: true })
  })
  it('warns about a flagged latest check, late or missed checks, and no checks at all', () => {
    const s = schedule({ nowMin: 37, checksAt: [0] })
    const r = dischargeReadiness({ ...all, voided: false }, { latestCheckFlags: [{ key: 'neuroAbnormal', message: 'Leg neurological check abnormal' }], schedule: s })
    expect(r.ready).toBe(false)
    expect(r.items.find((i) => i.key === 'voided')!.checked).toBe(false)
    expect(r.warnings).toEqual(['The latest check is flagged: Leg neurological check abnormal', '1 observation check is due or late', '1 observation check was missed'])
    expect(dischargeReadiness(all, { latestCheckFlags: null, schedule: null }).warnings).toEqual(['No observation check is recorded'])
  })
  it('warns about an early departure and a short supine rest', () => {
    const s = schedule({ nowMin: 130, checksAt: [0, 15, 30, 45, 60, 90, 120] })
    const timeFlags = observationTimeFlags({ arrivedAt: at(0), departedAt: at(45), supineStartedAt: at(-20), supineEndedAt: at(-5) }, { observationMinutes: 60, supineMinutes: 20 })
    const r = dischargeReadiness(all, { latestCheckFlags: [], schedule: s, timeFlags })
    expect(r.ready).toBe(false)
    expect(r.warnings).toEqual([timeFlags[0]!.message, timeFlags[1]!.message])
  })
})

describe('overnight stays', () => {
  it('describes the reasons, with the text of "other"', () => {
    expect(describeStayReasons(['uncontrolledPain', 'other'], 'no ride home')).toBe('Uncontrolled pain; Other: no ride home')
  })
  it('counts the beds left, never below zero', () => {
    expect(bedsLeft(2, 1)).toBe(1)
    expect(bedsLeft(2, 2)).toBe(0)
    expect(bedsLeft(1, 3)).toBe(0)
  })
})

describe('ICD-10-CM codes', () => {
  it('normalises the shape and tells the encounter from the 7th character', () => {
    expect(normalizeIcd10Cm('m8008xa')).toBe('M80.08XA')
    expect(normalizeIcd10Cm('M48.56XA')).toBe('M48.56XA')
    expect(normalizeIcd10Cm(' s22.080d ')).toBe('S22.080D')
    expect(normalizeIcd10Cm('M81')).toBe('M81')
    expect(normalizeIcd10Cm('u07.1')).toBe('U07.1')
    for (const bad of ['', '22513', 'M8', 'M80.08XAB', 'MX0.0']) expect(normalizeIcd10Cm(bad)).toBeNull()
    expect(icd10Encounter('M80.08XA')).toBe('initial')
    expect(icd10Encounter('S32.010D')).toBe('subsequent')
    expect(icd10Encounter('M81.0')).toBeNull()
  })
})
