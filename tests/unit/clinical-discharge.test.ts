import { describe, expect, it } from 'vitest'
import { sameDayDischargeBlockers, uncoveredBlockers, type SameDayFacts } from '../../shared/clinical/discharge'
import { DEFAULT_OBSERVATION_PHASES, DISCHARGE_READINESS_ITEMS, DISCHARGE_READINESS_LABELS, observationSchedule, observationTimeFlags, type CheckFlag } from '../../shared/clinical/observation'

// 14:00 UTC is 09:00 in New York, the clinic's zone in these facts
const ARRIVED = '2026-11-30T14:00:00.000Z'
const at = (minutes: number) => new Date(Date.parse(ARRIVED) + minutes * 60_000).toISOString()
const ALL_SLOTS = [0, 15, 30, 45, 60, 90, 120]
const checklist = (unticked: string[] = []) => DISCHARGE_READINESS_ITEMS.map((key) => ({ key, label: DISCHARGE_READINESS_LABELS[key], checked: !unticked.includes(key) }))

/** A stay kept to the letter: every check on time and clean, the last Aldrete 10, everything ticked, left at 125 minutes. */
function facts(over: Partial<SameDayFacts> & { checksAt?: number[]; departedMin?: number | null; flags?: Record<number, CheckFlag[]>; scores?: Record<number, number | null> } = {}): SameDayFacts {
  const checksAt = over.checksAt ?? ALL_SLOTS
  const departedMin = over.departedMin === undefined ? 125 : over.departedMin
  const checks = checksAt.map((m, i) => ({ id: i + 1, checkedAt: at(m), flags: over.flags?.[m] ?? [], sedationScore: over.scores && m in over.scores ? (over.scores[m] ?? null) : 10, sedationScale: 'aldrete' as const }))
  const departedAt = departedMin === null ? null : at(departedMin)
  return {
    arrivedAt: ARRIVED,
    checks,
    schedule: observationSchedule({ arrivedAt: ARRIVED, departedAt, now: at(200), phases: DEFAULT_OBSERVATION_PHASES, checkOnArrival: true, graceMinutes: 5, checks, minimumObservationMinutes: 60 }),
    checklist: checklist(),
    timeFlags: observationTimeFlags({ arrivedAt: ARRIVED, departedAt, supineStartedAt: at(-30), supineEndedAt: at(-5) }, { observationMinutes: 60, supineMinutes: 20 }),
    sedation: { scale: 'aldrete', dischargeScore: 9 },
    levels: [{ level: 'L1', leakage: ['none'], leakageSymptomatic: null }],
    timeZone: 'America/New_York',
    ...over,
  }
}
const keys = (f: SameDayFacts) => sameDayDischargeBlockers(f).map((b) => b.key)

describe('same-day discharge blockers', () => {
  it('finds none when the stay was kept and the record is clean', () => {
    expect(sameDayDischargeBlockers(facts())).toEqual([])
  })

  it('an early departure: the departure and the checks it missed, named with their clinic times', () => {
    const b = sameDayDischargeBlockers(facts({ checksAt: [0, 15, 30], departedMin: 40 }))
    expect(b.map((x) => x.key)).toEqual(['earlyDeparture', 'missedCheck:45', 'missedCheck:60'])
    expect(b[0]!.message).toBe("Left the observation room 40 minutes after arriving, before the clinic's minimum observation time of 60 minutes")
    expect(b[1]!.message).toBe('The check due at 09:45 (45 minutes after arrival) was missed')
    // leaving exactly at the minimum, every check done: nothing
    expect(keys(facts({ checksAt: [0, 15, 30, 45, 60], departedMin: 60 }))).toEqual([])
  })

  it('a short supine rest, not one exactly at the minimum', () => {
    const short = observationTimeFlags({ arrivedAt: ARRIVED, departedAt: at(125), supineStartedAt: at(-30), supineEndedAt: at(-11) }, { observationMinutes: 60, supineMinutes: 20 })
    expect(keys(facts({ timeFlags: short }))).toEqual(['shortSupine'])
    const exact = observationTimeFlags({ arrivedAt: ARRIVED, departedAt: at(125), supineStartedAt: at(-30), supineEndedAt: at(-10) }, { observationMinutes: 60, supineMinutes: 20 })
    expect(keys(facts({ timeFlags: exact }))).toEqual([])
  })

  it('no arrival in the observation room recorded', () => {
    expect(keys(facts({ arrivedAt: null, schedule: null, timeFlags: [] }))).toEqual(['noObservation'])
  })

  it('every flagged check, an abnormal leg neurological check among them, even when a later check is clean', () => {
    const f = facts({
      flags: {
        15: [{ key: 'neuroAbnormal', message: 'Leg neurological check abnormal' }],
        30: [{ key: 'painAboveBaseline', message: 'Pain 6/10 is above the baseline of 3/10' }, { key: 'lowRespiratoryRate', message: 'Respiratory rate 9/min is below 10/min' }],
      },
    })
    const b = sameDayDischargeBlockers(f)
    expect(b.map((x) => x.key)).toEqual(['flaggedCheck:2', 'flaggedCheck:3'])
    expect(b[0]!.message).toBe('The check at 09:15 is flagged: Leg neurological check abnormal')
    expect(b[1]!.message).toBe('The check at 09:30 is flagged: Pain 6/10 is above the baseline of 3/10; Respiratory rate 9/min is below 10/min')
  })

  it('judges sedation by the latest score: an early low score is expected, the latest below the threshold or none blocks', () => {
    const low: CheckFlag = { key: 'lowSedationScore', message: 'Aldrete score 7/10 is below the discharge score of 9' }
    // 7 on arrival (flagged as such on the check), 10 at the end: fit
    expect(keys(facts({ scores: { 0: 7 }, flags: { 0: [low] } }))).toEqual([])
    // the latest score exactly at the threshold: fit; one below: not
    expect(keys(facts({ scores: { 120: 9 } }))).toEqual([])
    const b = sameDayDischargeBlockers(facts({ scores: { 120: 8 } }))
    expect(b).toEqual([{ rule: 'sedationScore', key: 'sedationScore:7', message: 'The latest Aldrete score, 8/10 at 11:00, is below the discharge score of 9' }])
    // the latest scored check counts, not the latest check: a check without a score leaves the 8 standing
    expect(keys(facts({ scores: { 90: 8, 120: null } }))).toEqual(['sedationScore:6'])
    // none recorded at all
    const none = Object.fromEntries(ALL_SLOTS.map((m) => [m, null]))
    expect(sameDayDischargeBlockers(facts({ scores: none }))).toEqual([{ rule: 'sedationScore', key: 'sedationScore:none', message: 'No sedation recovery score (Aldrete) is recorded' }])
    // the clinic's PADSS threshold of 10
    expect(sameDayDischargeBlockers(facts({ scores: { 120: 9 }, sedation: { scale: 'padss', dischargeScore: 10 } }))[0]!.message).toBe('The latest Aldrete score, 9/10 at 11:00, is below the discharge score of 10')
  })

  it('each readiness item not ticked', () => {
    const b = sameDayDischargeBlockers(facts({ checklist: checklist(['voided', 'escortHome']) }))
    expect(b.map((x) => x.message)).toEqual(['Discharge readiness not ticked: Has passed urine', 'Discharge readiness not ticked: A responsible adult takes the patient home'])
  })

  it('a symptomatic cement leak at any level; one without symptoms or not yet said does not block', () => {
    const levels = [
      { level: 'T12', leakage: ['segmentalVein'], leakageSymptomatic: false },
      { level: 'L1', leakage: ['disc', 'corticalDefect'], leakageSymptomatic: true },
      { level: 'L2', leakage: ['basivertebralVein'], leakageSymptomatic: null },
    ]
    expect(sameDayDischargeBlockers(facts({ levels }))).toEqual([{ rule: 'symptomaticLeak', key: 'symptomaticLeak:L1', message: 'Symptomatic cement leak at L1' }])
  })

  it('tells the blockers an override covered from those that arose since', () => {
    const atDecision = sameDayDischargeBlockers(facts({ checklist: checklist(['voided']) }))
    const later = sameDayDischargeBlockers(facts({ checksAt: [0, 15, 30], departedMin: 40, checklist: checklist(['voided']) }))
    expect(uncoveredBlockers(later, atDecision).map((b) => b.key)).toEqual(['earlyDeparture', 'missedCheck:45', 'missedCheck:60'])
    expect(uncoveredBlockers(atDecision, atDecision)).toEqual([])
    // a blocker resolved since is simply gone
    expect(uncoveredBlockers(sameDayDischargeBlockers(facts()), atDecision)).toEqual([])
  })
})
