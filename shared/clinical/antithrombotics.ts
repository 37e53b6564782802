/**
 * Anticoagulants and antiplatelets before vertebral augmentation: how long each is held before the needle goes in.
 *
 * Source: Society of Interventional Radiology consensus guidelines for the periprocedural management of thrombotic
 * and bleeding risk in patients undergoing percutaneous image-guided interventions, part II (Patel IJ et al.,
 * J Vasc Interv Radiol 2019;30:1168-1184), which classes vertebral augmentation (vertebroplasty, kyphoplasty) as a
 * HIGH bleeding-risk procedure. The hold times below are its high-risk recommendations for patients with normal
 * renal function; where it gives a range the longer end is used, and where renal function lengthens the hold
 * (dabigatran, rivaroxaban, apixaban, enoxaparin) the checklist says so and the physician decides. The list is
 * a reminder for the physician's sign-off, not a prescription: every failed item can be overridden with a reason.
 */

export const ANTITHROMBOTIC_KINDS = ['anticoagulant', 'antiplatelet'] as const
export type AntithromboticKind = (typeof ANTITHROMBOTIC_KINDS)[number]

export interface HoldRule {
  label: string
  kind: AntithromboticKind
  /** hours from the last dose to the procedure's start */
  holdHours: number
  /** what the rule does not cover, said beside it */
  note: string
}

const DAY = 24

export const HOLD_RULES = {
  warfarin: { label: 'Warfarin', kind: 'anticoagulant', holdHours: 5 * DAY, note: 'and an INR within the clinic threshold on the day' },
  heparinIv: { label: 'Unfractionated heparin (IV)', kind: 'anticoagulant', holdHours: 6, note: '' },
  enoxaparinTherapeutic: { label: 'Enoxaparin, treatment dose', kind: 'anticoagulant', holdHours: 1 * DAY, note: 'longer when creatinine clearance is under 30 mL/min' },
  enoxaparinProphylactic: { label: 'Enoxaparin, prophylactic dose', kind: 'anticoagulant', holdHours: 12, note: '' },
  apixaban: { label: 'Apixaban', kind: 'anticoagulant', holdHours: 2 * DAY, note: '3 days when creatinine clearance is 25-50 mL/min' },
  rivaroxaban: { label: 'Rivaroxaban', kind: 'anticoagulant', holdHours: 2 * DAY, note: '3 days when creatinine clearance is under 30 mL/min' },
  edoxaban: { label: 'Edoxaban', kind: 'anticoagulant', holdHours: 2 * DAY, note: '' },
  dabigatran: { label: 'Dabigatran', kind: 'anticoagulant', holdHours: 2 * DAY, note: '4 days when creatinine clearance is 30-50 mL/min' },
  aspirin: { label: 'Aspirin', kind: 'antiplatelet', holdHours: 5 * DAY, note: 'SIR gives 3 to 5 days; weigh a cardiac stent with the cardiologist' },
  clopidogrel: { label: 'Clopidogrel', kind: 'antiplatelet', holdHours: 5 * DAY, note: '' },
  prasugrel: { label: 'Prasugrel', kind: 'antiplatelet', holdHours: 7 * DAY, note: '' },
  ticagrelor: { label: 'Ticagrelor', kind: 'antiplatelet', holdHours: 5 * DAY, note: '' },
} as const satisfies Record<string, HoldRule>
export type Antithrombotic = keyof typeof HOLD_RULES
export const ANTITHROMBOTICS = Object.keys(HOLD_RULES) as Antithrombotic[]

export interface HoldCheck {
  drug: Antithrombotic
  /** hours between the last dose and the procedure's start, rounded down; null when the last dose is not recorded */
  heldHours: number | null
  requiredHours: number
  met: boolean
  /** in words, for the checklist and the override */
  message: string
}

/** 48 -> "2 days", 30 -> "1 day 6 hours", 6 -> "6 hours" */
export function hoursText(h: number): string {
  const days = Math.floor(h / DAY)
  const hours = h % DAY
  const d = days > 0 ? `${days} day${days === 1 ? '' : 's'}` : ''
  const r = hours > 0 || days === 0 ? `${hours} hour${hours === 1 ? '' : 's'}` : ''
  return [d, r].filter(Boolean).join(' ')
}

/** Whether the drug was held long enough before `procedureStart` (ISO instants). A dose at the boundary is held enough. */
export function checkHold(drug: Antithrombotic, lastDoseAt: string | null, procedureStart: string): HoldCheck {
  const rule: HoldRule = HOLD_RULES[drug]
  const required = rule.holdHours
  if (!lastDoseAt) return { drug, heldHours: null, requiredHours: required, met: false, message: `${rule.label}: the last dose is not recorded (hold ${hoursText(required)})` }
  const ms = Date.parse(procedureStart) - Date.parse(lastDoseAt)
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${Number.isNaN(Date.parse(procedureStart)) ? procedureStart : lastDoseAt}`)
  const held = Math.floor(ms / 3_600_000)
  const met = ms >= required * 3_600_000
  const note = rule.note ? ` (${rule.note})` : ''
  return {
    drug,
    heldHours: held,
    requiredHours: required,
    met,
    message: met
      ? `${rule.label} held ${hoursText(held)} before the procedure; ${hoursText(required)} needed${note}`
      : ms < 0
        ? `${rule.label}: the last dose is recorded after the procedure's start`
        : `${rule.label} held only ${hoursText(held)}; ${hoursText(required)} needed${note}`,
  }
}
