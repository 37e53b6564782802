/**
 * What the patient must do before an appointment, as the front desk says it on the confirmation call (issue 21
 * point 2). Pure: the caller gives the appointment, the clinic's fasting policy and what the pre-procedure checklist
 * records; the words use the clinic's time zone.
 *
 * Sources:
 * - Fasting: the clinic's setting fastingHours (Settings; default 6 hours, the American Society of Anesthesiologists
 *   practice guidelines for preoperative fasting, Anesthesiology 2017;126:376-393: 6 hours after a light meal),
 *   the same number the pre-procedure checklist judges against (shared/clinical/preProcedure.ts).
 * - A driver: the clinic's policy for a procedure or any visit with observation afterwards (sedation), following
 *   the ASA practice guidelines for moderate procedural sedation and analgesia (Anesthesiology 2018;128:437-479):
 *   a responsible adult takes the patient home; the patient does not drive that day.
 * - Blood thinners: the hold times of shared/clinical/antithrombotics.ts (SIR 2019, high bleeding risk), applied to
 *   the drugs the pre-procedure checklist records. The front desk passes on what the physician recorded; it never
 *   decides a hold: with nothing recorded the line says to ask and tell the physician.
 */
import { HOLD_RULES, hoursText, type Antithrombotic } from './antithrombotics'
import { zonedParts } from '../scheduling/time'

export interface PreparationInput {
  /** the appointment type's room kind: a 'procedure' appointment is a vertebroplasty or kyphoplasty in the suite */
  roomKind: 'consultation' | 'procedure' | 'observation'
  /** minutes in the observation bay after the visit (sedation) */
  observationMinutes: number
  startsAt: string
  timeZone: string
  fastingHours: number
  /**
   * The blood thinners recorded on the procedure's pre-procedure checklist: null when there is no checklist yet,
   * [] when it records none.
   */
  antithrombotics: readonly { drug: Antithrombotic; lastDoseAt: string | null }[] | null
}

export type PreparationKey = 'fasting' | 'driver' | 'antithrombotic' | 'antithromboticsUnknown' | 'noAntithrombotics'

export interface PreparationItem {
  key: PreparationKey
  text: string
}

/** "Dec 7, 02:30" in the clinic's zone (the date, since a hold or a fast may begin the day before). */
function when(instantMs: number, timeZone: string): string {
  const p = zonedParts(instantMs, timeZone)
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number]
  const month = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' })
  return `${month}, ${p.time}`
}

export function appointmentPreparation(a: PreparationInput): PreparationItem[] {
  const start = Date.parse(a.startsAt)
  if (Number.isNaN(start)) throw new RangeError(`not a time: ${a.startsAt}`)
  const items: PreparationItem[] = []
  const procedure = a.roomKind === 'procedure'
  if (procedure && a.fastingHours > 0) {
    items.push({ key: 'fasting', text: `Nothing to eat from ${when(start - a.fastingHours * 3_600_000, a.timeZone)} (${hoursText(a.fastingHours)} before)` })
  }
  if (procedure || a.observationMinutes > 0) {
    items.push({ key: 'driver', text: 'Bring a driver: no driving home after sedation' })
  }
  if (procedure) {
    if (a.antithrombotics === null) {
      items.push({ key: 'antithromboticsUnknown', text: 'Blood thinners: not recorded yet; ask, and tell the physician' })
    } else if (a.antithrombotics.length === 0) {
      items.push({ key: 'noAntithrombotics', text: 'Blood thinners: none recorded' })
    } else {
      for (const d of a.antithrombotics) {
        const rule = HOLD_RULES[d.drug]
        const lastBy = start - rule.holdHours * 3_600_000
        const recorded = d.lastDoseAt ? `; last dose recorded ${when(Date.parse(d.lastDoseAt), a.timeZone)}` : ''
        items.push({ key: 'antithrombotic', text: `${rule.label}: last dose no later than ${when(lastBy, a.timeZone)} (hold ${hoursText(rule.holdHours)})${recorded}` })
      }
    }
  }
  return items
}
