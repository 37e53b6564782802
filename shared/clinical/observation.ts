/**
 * Observation after vertebral augmentation (DOMAIN.md, step 5): the checks due while the patient is in the
 * observation bay, which of them are done, due, late or missed, and what a check's values flag.
 *
 * The schedule is phases of "every N minutes for M minutes" from the arrival in the bay (the clinic's
 * default: every 15 minutes in the first hour, every 30 in the second), with an optional check on arrival.
 * A recorded check counts for the slot nearest to it in time (the midpoint between two slots divides them);
 * a second check nearest the same slot is an extra. Pure functions over ISO instants: no clock of their own.
 */

export interface ObservationPhase {
  everyMinutes: number
  forMinutes: number
}

export const DEFAULT_OBSERVATION_PHASES: readonly ObservationPhase[] = [
  { everyMinutes: 15, forMinutes: 60 },
  { everyMinutes: 30, forMinutes: 60 },
]

export const SLOT_STATUSES = ['done', 'doneLate', 'due', 'late', 'missed', 'upcoming', 'notNeeded'] as const
export type SlotStatus = (typeof SLOT_STATUSES)[number]

export const SLOT_STATUS_LABELS: Record<SlotStatus, string> = {
  done: 'Done',
  doneLate: 'Done late',
  due: 'Due now',
  late: 'Late',
  missed: 'Missed',
  upcoming: 'Upcoming',
  notNeeded: 'Not needed (patient left the bay)',
}

export interface ScheduleSlot {
  /** minutes after arrival in the bay */
  minutes: number
  dueAt: string
  status: SlotStatus
  /** the check that counts for this slot */
  checkId: number | null
  checkedAt: string | null
}

export interface ObservationSchedule {
  slots: ScheduleSlot[]
  dueCount: number
  lateCount: number
  missedCount: number
  /** the first slot still to do (due, late or upcoming), or null */
  nextDueAt: string | null
  /** no slot is left to do */
  complete: boolean
  /** checks that did not count for a slot (a second check near the same time) */
  extraCheckIds: number[]
}

export interface ScheduleInput {
  arrivedAt: string
  departedAt?: string | null
  now: string
  phases: readonly ObservationPhase[]
  checkOnArrival: boolean
  /** minutes after a slot's time within which a check still counts as on time; also how long a slot reads "due" */
  graceMinutes: number
  checks: readonly { id: number; checkedAt: string }[]
  /**
   * The clinic's minimum observation time (a setting). When the patient left before it was over, the slots due
   * within it (up to and including its end) that have no check were missed: the patient should still have been
   * in the room for them. Without it, every slot after the departure is "not needed".
   */
  minimumObservationMinutes?: number
}

const MINUTE = 60_000

function ms(iso: string, name: string): number {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) throw new RangeError(`${name} is not a time: ${iso}`)
  return t
}

/** Minutes after arrival at which checks are due: [0, 15, 30, 45, 60, 90, 120] by default. */
export function slotMinutes(phases: readonly ObservationPhase[], checkOnArrival: boolean): number[] {
  const out: number[] = checkOnArrival ? [0] : []
  let start = 0
  for (const p of phases) {
    if (!Number.isInteger(p.everyMinutes) || p.everyMinutes < 1) throw new RangeError(`everyMinutes must be a whole number of at least 1, got ${p.everyMinutes}`)
    if (!Number.isInteger(p.forMinutes) || p.forMinutes < p.everyMinutes) throw new RangeError(`forMinutes must be at least everyMinutes, got ${p.forMinutes}`)
    for (let m = p.everyMinutes; m <= p.forMinutes; m += p.everyMinutes) out.push(start + m)
    start += p.forMinutes
  }
  return [...new Set(out)].sort((a, b) => a - b)
}

export function observationSchedule(input: ScheduleInput): ObservationSchedule {
  const arrived = ms(input.arrivedAt, 'arrivedAt')
  const now = ms(input.now, 'now')
  const departed = input.departedAt ? ms(input.departedAt, 'departedAt') : null
  // the end of the minimum observation, when the patient left before it (an early departure), else null
  const minimumEnd = input.minimumObservationMinutes === undefined ? null : arrived + input.minimumObservationMinutes * MINUTE
  const earlyUntil = departed !== null && minimumEnd !== null && departed < minimumEnd ? minimumEnd : null
  const grace = input.graceMinutes * MINUTE
  const minutes = slotMinutes(input.phases, input.checkOnArrival)
  const due = minutes.map((m) => arrived + m * MINUTE)
  // slot i owns the times from the midpoint with the slot before to the midpoint with the slot after
  const windowStart = due.map((t, i) => (i === 0 ? -Infinity : (due[i - 1]! + t) / 2))
  const windowEnd = due.map((t, i) => (i === due.length - 1 ? Infinity : (t + due[i + 1]!) / 2))

  const matched: ({ id: number; at: number; iso: string } | null)[] = due.map(() => null)
  const extra: number[] = []
  const sorted = [...input.checks].map((c) => ({ id: c.id, at: ms(c.checkedAt, 'checkedAt'), iso: c.checkedAt })).sort((a, b) => a.at - b.at || a.id - b.id)
  for (const c of sorted) {
    const i = due.findIndex((_, k) => c.at >= windowStart[k]! && c.at < windowEnd[k]!)
    if (i < 0 || matched[i]) {
      extra.push(c.id)
      continue
    }
    matched[i] = c
  }

  const slots = due.map((t, i): ScheduleSlot => {
    const m = matched[i]
    let status: SlotStatus
    if (m) status = m.at <= t + grace ? 'done' : 'doneLate'
    else if (departed !== null && t > departed && !(earlyUntil !== null && t <= earlyUntil)) status = 'notNeeded'
    else if (departed !== null) status = 'missed'
    else if (now < t) status = 'upcoming'
    else if (now <= t + grace) status = 'due'
    else if (now < windowEnd[i]!) status = 'late'
    else status = 'missed'
    return { minutes: minutes[i]!, dueAt: new Date(t).toISOString(), status, checkId: m?.id ?? null, checkedAt: m?.iso ?? null }
  })
  const open = slots.filter((s) => s.status === 'due' || s.status === 'late' || s.status === 'upcoming')
  return {
    slots,
    dueCount: slots.filter((s) => s.status === 'due').length,
    lateCount: slots.filter((s) => s.status === 'late').length,
    missedCount: slots.filter((s) => s.status === 'missed').length,
    nextDueAt: open[0]?.dueAt ?? null,
    complete: open.length === 0,
    extraCheckIds: extra,
  }
}

// ---- the observation stay kept (issue 17, point 1) ----

/**
 * The clinic's patients lie supine while the cement hardens, then stay in the observation room; the clinic sets
 * a minimum for each (settings minimumSupineMinutes, minimumObservationMinutes). A recorded stay shorter than
 * either is flagged. Leaving exactly at the minimum is not early; lying supine exactly the minimum is not short.
 */
export const TIME_FLAGS = ['earlyDeparture', 'shortSupine'] as const
export type TimeFlagKey = (typeof TIME_FLAGS)[number]

export interface TimeFlag {
  key: TimeFlagKey
  message: string
  /** the recorded length, whole minutes (rounded down) */
  minutes: number
  minimumMinutes: number
}

export interface StayTimes {
  supineStartedAt: string | null
  supineEndedAt: string | null
  arrivedAt: string | null
  departedAt: string | null
}

export function observationTimeFlags(t: StayTimes, minimums: { observationMinutes: number; supineMinutes: number }): TimeFlag[] {
  const out: TimeFlag[] = []
  if (t.arrivedAt && t.departedAt) {
    const stayed = ms(t.departedAt, 'departedAt') - ms(t.arrivedAt, 'arrivedAt')
    if (stayed < minimums.observationMinutes * MINUTE) {
      const minutes = Math.floor(stayed / MINUTE)
      out.push({
        key: 'earlyDeparture',
        message: `Left the observation room ${minutes} minute${minutes === 1 ? '' : 's'} after arriving, before the clinic's minimum observation time of ${minimums.observationMinutes} minutes`,
        minutes,
        minimumMinutes: minimums.observationMinutes,
      })
    }
  }
  if (t.supineStartedAt && t.supineEndedAt) {
    const supine = ms(t.supineEndedAt, 'supineEndedAt') - ms(t.supineStartedAt, 'supineStartedAt')
    if (supine < minimums.supineMinutes * MINUTE) {
      const minutes = Math.floor(supine / MINUTE)
      out.push({
        key: 'shortSupine',
        message: `Lay supine ${minutes} minute${minutes === 1 ? '' : 's'}, less than the clinic's minimum of ${minimums.supineMinutes} minutes while the cement hardens`,
        minutes,
        minimumMinutes: minimums.supineMinutes,
      })
    }
  }
  return out
}

// ---- the sedation recovery score ----

/**
 * The clinic scores recovery from sedation on one of two 0-10 scales (setting sedationScale): the modified
 * Aldrete score (Aldrete JA, J Clin Anesth 1995;7:89-91: activity, respiration, circulation, consciousness,
 * oxygen saturation) or the Post-Anaesthetic Discharge Scoring System (Chung F, Chan VW, Ong D, J Clin Anesth
 * 1995;7:500-506: vital signs, ambulation, nausea and vomiting, pain, surgical bleeding). Both take a score of
 * 9 or more as fit for discharge; the clinic's threshold is a setting (sedationDischargeScore).
 */
export const SEDATION_SCALES = ['aldrete', 'padss'] as const
export type SedationScale = (typeof SEDATION_SCALES)[number]
export const SEDATION_SCALE_NAMES: Record<SedationScale, string> = { aldrete: 'Aldrete', padss: 'PADSS' }
export const SEDATION_SCALE_LABELS: Record<SedationScale, string> = {
  aldrete: 'Modified Aldrete score (Aldrete 1995)',
  padss: 'Post-Anaesthetic Discharge Scoring System, PADSS (Chung 1995)',
}

export interface SedationRule {
  scale: SedationScale
  /** a score below this is not fit for discharge */
  dischargeScore: number
}
export const DEFAULT_SEDATION_RULE: SedationRule = { scale: 'aldrete', dischargeScore: 9 }

// ---- one check's values ----

export const LEG_NEURO_RESULTS = ['normal', 'abnormal'] as const
export type LegNeuroResult = (typeof LEG_NEURO_RESULTS)[number]

export interface VitalLimits {
  systolicMin: number
  systolicMax: number
  heartRateMin: number
  heartRateMax: number
  spo2Min: number
  respiratoryRateMin: number
  respiratoryRateMax: number
}

/**
 * Values outside these are flagged for a look (a common post-sedation set; not a treatment threshold).
 * Respiratory rate: below 10 breaths/min is the usual bedside definition of opioid- or sedation-induced
 * respiratory depression (ASA Practice Guidelines for the Prevention, Detection, and Management of Respiratory
 * Depression Associated with Neuraxial Opioid Administration, Anesthesiology 2016;124:535-552); 25 or more is
 * the highest-scoring band of the Royal College of Physicians' National Early Warning Score 2 (NEWS2, 2017),
 * so 10 to 24 passes.
 */
export const DEFAULT_VITAL_LIMITS: VitalLimits = { systolicMin: 90, systolicMax: 180, heartRateMin: 50, heartRateMax: 120, spo2Min: 92, respiratoryRateMin: 10, respiratoryRateMax: 24 }

export interface CheckValues {
  systolic: number | null
  diastolic: number | null
  heartRate: number | null
  spo2: number | null
  pain: number | null
  legNeuro: LegNeuroResult
  /** breaths per minute (checks recorded before it was asked have none) */
  respiratoryRate?: number | null
  /** 0-10 on `sedationScale` (the clinic's scale when the check was recorded) */
  sedationScore?: number | null
  sedationScale?: SedationScale | null
}

export const CHECK_FLAGS = [
  'neuroAbnormal',
  'painAboveBaseline',
  'lowBloodPressure',
  'highBloodPressure',
  'lowHeartRate',
  'highHeartRate',
  'lowOxygen',
  'lowRespiratoryRate',
  'highRespiratoryRate',
  'lowSedationScore',
] as const
export type CheckFlagKey = (typeof CHECK_FLAGS)[number]

export interface CheckFlag {
  key: CheckFlagKey
  message: string
}

/**
 * What a check flags: an abnormal leg neurological check, pain above the baseline, vital signs outside the
 * limits, a sedation recovery score below the clinic's discharge score.
 */
export function checkFlags(c: CheckValues, baselinePain: number | null, limits: VitalLimits = DEFAULT_VITAL_LIMITS, sedation: SedationRule = DEFAULT_SEDATION_RULE): CheckFlag[] {
  const out: CheckFlag[] = []
  if (c.legNeuro === 'abnormal') out.push({ key: 'neuroAbnormal', message: 'Leg neurological check abnormal' })
  if (c.pain !== null && baselinePain !== null && c.pain > baselinePain) out.push({ key: 'painAboveBaseline', message: `Pain ${c.pain}/10 is above the baseline of ${baselinePain}/10` })
  if (c.systolic !== null && c.systolic < limits.systolicMin) out.push({ key: 'lowBloodPressure', message: `Systolic pressure ${c.systolic} is below ${limits.systolicMin}` })
  if (c.systolic !== null && c.systolic > limits.systolicMax) out.push({ key: 'highBloodPressure', message: `Systolic pressure ${c.systolic} is above ${limits.systolicMax}` })
  if (c.heartRate !== null && c.heartRate < limits.heartRateMin) out.push({ key: 'lowHeartRate', message: `Heart rate ${c.heartRate} is below ${limits.heartRateMin}` })
  if (c.heartRate !== null && c.heartRate > limits.heartRateMax) out.push({ key: 'highHeartRate', message: `Heart rate ${c.heartRate} is above ${limits.heartRateMax}` })
  if (c.spo2 !== null && c.spo2 < limits.spo2Min) out.push({ key: 'lowOxygen', message: `Oxygen saturation ${c.spo2}% is below ${limits.spo2Min}%` })
  const rr = c.respiratoryRate ?? null
  if (rr !== null && rr < limits.respiratoryRateMin) out.push({ key: 'lowRespiratoryRate', message: `Respiratory rate ${rr}/min is below ${limits.respiratoryRateMin}/min` })
  if (rr !== null && rr > limits.respiratoryRateMax) out.push({ key: 'highRespiratoryRate', message: `Respiratory rate ${rr}/min is above ${limits.respiratoryRateMax}/min` })
  const score = c.sedationScore ?? null
  if (score !== null && score < sedation.dischargeScore) {
    out.push({ key: 'lowSedationScore', message: `${SEDATION_SCALE_NAMES[c.sedationScale ?? sedation.scale]} score ${score}/10 is below the discharge score of ${sedation.dischargeScore}` })
  }
  return out
}

// ---- discharge readiness ----

export const DISCHARGE_READINESS_ITEMS = [
  'vitalSignsStable',
  'painControlled',
  'neuroAtBaseline',
  'alertAndOriented',
  'walksSafely',
  'toleratingFluids',
  'voided',
  'punctureSitesDry',
  'escortHome',
  'instructionsUnderstood',
] as const
export type DischargeReadinessItem = (typeof DISCHARGE_READINESS_ITEMS)[number]

export const DISCHARGE_READINESS_LABELS: Record<DischargeReadinessItem, string> = {
  vitalSignsStable: 'Vital signs stable and near the pre-procedure values',
  painControlled: 'Pain controlled with oral medication',
  neuroAtBaseline: 'Leg strength and sensation as before the procedure',
  alertAndOriented: 'Recovered from sedation: alert and oriented',
  walksSafely: 'Walks safely (with the usual aid)',
  toleratingFluids: 'Drinking without nausea',
  voided: 'Has passed urine',
  punctureSitesDry: 'Puncture sites clean and dry',
  escortHome: 'A responsible adult takes the patient home',
  instructionsUnderstood: 'Discharge instructions given and understood',
}

export interface DischargeReadiness {
  items: { key: DischargeReadinessItem; label: string; checked: boolean }[]
  allChecked: boolean
  /** facts from the record that argue against discharge now, in words */
  warnings: string[]
  ready: boolean
}

export function dischargeReadiness(
  checklist: Partial<Record<DischargeReadinessItem, boolean>>,
  facts: { latestCheckFlags: readonly CheckFlag[] | null; schedule: ObservationSchedule | null; timeFlags?: readonly TimeFlag[] },
): DischargeReadiness {
  const items = DISCHARGE_READINESS_ITEMS.map((key) => ({ key, label: DISCHARGE_READINESS_LABELS[key], checked: checklist[key] === true }))
  const warnings: string[] = []
  if (facts.latestCheckFlags === null) warnings.push('No observation check is recorded')
  else if (facts.latestCheckFlags.length > 0) warnings.push(`The latest check is flagged: ${facts.latestCheckFlags.map((f) => f.message).join('; ')}`)
  if (facts.schedule) {
    const late = facts.schedule.lateCount + facts.schedule.dueCount
    if (late > 0) warnings.push(`${late} observation check${late === 1 ? ' is' : 's are'} due or late`)
    if (facts.schedule.missedCount > 0) warnings.push(`${facts.schedule.missedCount} observation check${facts.schedule.missedCount === 1 ? ' was' : 's were'} missed`)
  }
  for (const f of facts.timeFlags ?? []) warnings.push(f.message)
  const allChecked = items.every((i) => i.checked)
  return { items, allChecked, warnings, ready: allChecked && warnings.length === 0 }
}

// ---- the overnight-stay decision ----

export const DISPOSITIONS = ['sameDay', 'overnight'] as const
export type Disposition = (typeof DISPOSITIONS)[number]
export const DISPOSITION_LABELS: Record<Disposition, string> = { sameDay: 'Same-day discharge home', overnight: 'Overnight stay' }

export const STAY_REASONS = [
  'uncontrolledPain',
  'sedationReaction',
  'heartOrLungEvent',
  'newNeurologicalFinding',
  'suspectedCementLeak',
  'livesAloneOrFar',
  'otherConditions',
  'other',
] as const
export type StayReason = (typeof STAY_REASONS)[number]
export const STAY_REASON_LABELS: Record<StayReason, string> = {
  uncontrolledPain: 'Uncontrolled pain',
  sedationReaction: 'Reaction to sedation or anaesthesia',
  heartOrLungEvent: 'Heart or lung event',
  newNeurologicalFinding: 'New neurological finding',
  suspectedCementLeak: 'Suspected cement leak',
  livesAloneOrFar: 'Lives alone or far away',
  otherConditions: 'Other medical conditions',
  other: 'Other',
}

/** 'Uncontrolled pain; Other: no ride home' */
export function describeStayReasons(reasons: readonly StayReason[], otherText: string): string {
  return reasons.map((r) => (r === 'other' && otherText ? `${STAY_REASON_LABELS.other}: ${otherText}` : STAY_REASON_LABELS[r])).join('; ')
}

/** Whether one more overnight stay fits the night: `occupied` stays already decided for it, `beds` the clinic's beds. */
export function bedsLeft(beds: number, occupied: number): number {
  return Math.max(0, beds - occupied)
}
