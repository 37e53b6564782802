/**
 * What stands against sending the patient home the same day (issue 17, point 2: "discharge follows the
 * recovery record"). Each blocker is a fact of the record, in words; a same-day discharge with any of them is
 * refused unless the physician records an override reason, which is kept on the decision with the blockers it
 * overrode. Pure: the caller gathers the record and the clinic's settings.
 *
 * Every blocker has a stable key (the rule and what it is about: a check's id, a slot's minutes, a checklist
 * item, a level), so that a later look can tell the blockers an override covered from ones that arose since.
 */
import { clinicTimeOf } from '../clinicClock'
import { SEDATION_SCALE_NAMES, type CheckFlag, type ObservationSchedule, type SedationRule, type SedationScale, type TimeFlag } from './observation'

export const SAME_DAY_BLOCKER_RULES = [
  'noObservation',
  'earlyDeparture',
  'shortSupine',
  'missedCheck',
  'flaggedCheck',
  'sedationScore',
  'checklist',
  'symptomaticLeak',
] as const
export type SameDayBlockerRule = (typeof SAME_DAY_BLOCKER_RULES)[number]

export interface SameDayBlocker {
  rule: SameDayBlockerRule
  /** the rule and what it is about, e.g. 'flaggedCheck:12', 'missedCheck:45', 'checklist:voided', 'symptomaticLeak:L1' */
  key: string
  message: string
}

export interface SameDayFacts {
  arrivedAt: string | null
  /** the current checks (not entered in error), each with what it flags */
  checks: readonly { id: number; checkedAt: string; flags: readonly CheckFlag[]; sedationScore: number | null; sedationScale: SedationScale | null }[]
  schedule: ObservationSchedule | null
  checklist: readonly { key: string; label: string; checked: boolean }[]
  timeFlags: readonly TimeFlag[]
  sedation: SedationRule
  /** the procedure note's levels: a leak with symptoms at any of them */
  levels: readonly { level: string; leakage: readonly string[]; leakageSymptomatic: boolean | null }[]
  /** the clinic's time zone, for the times in the messages */
  timeZone: string
}

export function sameDayDischargeBlockers(f: SameDayFacts): SameDayBlocker[] {
  const out: SameDayBlocker[] = []
  const time = (iso: string) => clinicTimeOf(iso, f.timeZone)

  // Point 1: the observation stay is kept. With no arrival in the observation room there is no stay to judge.
  if (!f.arrivedAt) out.push({ rule: 'noObservation', key: 'noObservation', message: 'The arrival in the observation room is not recorded' })
  // Point 1: a departure before the clinic's minimum observation time, a supine rest shorter than its minimum.
  for (const t of f.timeFlags) out.push({ rule: t.key, key: t.key, message: t.message })

  // Point 2: a missed check (a slot the patient was due to be observed at, with no check).
  for (const s of f.schedule?.slots ?? []) {
    if (s.status === 'missed') out.push({ rule: 'missedCheck', key: `missedCheck:${s.minutes}`, message: `The check due at ${time(s.dueAt)} (${s.minutes} minutes after arrival) was missed` })
  }

  // Point 2: an abnormal or flagged check, among them an abnormal leg neurological check. A sedation score below
  // the threshold is left to its own rule below: the scores (Aldrete 1995, PADSS 1995) are recorded until they
  // reach the discharge score, so an early low score is expected and only the latest one decides.
  for (const c of f.checks) {
    const flags = c.flags.filter((x) => x.key !== 'lowSedationScore')
    if (flags.length > 0) out.push({ rule: 'flaggedCheck', key: `flaggedCheck:${c.id}`, message: `The check at ${time(c.checkedAt)} is flagged: ${flags.map((x) => x.message).join('; ')}` })
  }

  // Point 2, with Aldrete 1995 and Chung's PADSS 1995: discharge at a score of at least the clinic's threshold
  // (9 by both), judged on the latest score recorded; none recorded is no evidence of recovery.
  const scored = f.checks.filter((c) => c.sedationScore !== null)
  const latest = scored.reduce<(typeof scored)[number] | null>((a, c) => (a === null || c.checkedAt >= a.checkedAt ? c : a), null)
  const scaleName = SEDATION_SCALE_NAMES[f.sedation.scale]
  if (latest === null) out.push({ rule: 'sedationScore', key: 'sedationScore:none', message: `No sedation recovery score (${scaleName}) is recorded` })
  else if (latest.sedationScore! < f.sedation.dischargeScore) {
    out.push({
      rule: 'sedationScore',
      key: `sedationScore:${latest.id}`,
      message: `The latest ${SEDATION_SCALE_NAMES[latest.sedationScale ?? f.sedation.scale]} score, ${latest.sedationScore}/10 at ${time(latest.checkedAt)}, is below the discharge score of ${f.sedation.dischargeScore}`,
    })
  }

  // Point 2: the discharge-readiness checklist, every item ticked.
  for (const i of f.checklist) if (!i.checked) out.push({ rule: 'checklist', key: `checklist:${i.key}`, message: `Discharge readiness not ticked: ${i.label}` })

  // Point 2: a cement leak that caused symptoms, at any level of the procedure note.
  for (const l of f.levels) {
    if (l.leakageSymptomatic === true && l.leakage.some((x) => x !== 'none')) out.push({ rule: 'symptomaticLeak', key: `symptomaticLeak:${l.level}`, message: `Symptomatic cement leak at ${l.level}` })
  }
  return out
}

/** The blockers in `current` that an override of `covered` (the blockers recorded with it) did not cover. */
export function uncoveredBlockers(current: readonly SameDayBlocker[], covered: readonly Pick<SameDayBlocker, 'key'>[]): SameDayBlocker[] {
  const keys = new Set(covered.map((b) => b.key))
  return current.filter((b) => !keys.has(b.key))
}
