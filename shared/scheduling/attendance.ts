/**
 * Confirmation and no-show rates (issue 21 point 5), for the managers' dashboard.
 *
 * Definitions (the dashboard's help text says the same in words):
 * - The appointments counted are those DUE in the period: their start falls on a clinic date from `from` to `to`
 *   (inclusive) and has already passed. Appointments still to come are not counted: their confirmation and their
 *   attendance are not known yet.
 * - Confirmation rate = due appointments that were confirmed before their start ÷ due appointments, cancelled ones
 *   included (an appointment the front desk had to confirm; a call that ended in a cancellation is not a
 *   confirmation). "Confirmed" is the appointments.confirmed_at stamp (migration 0025), kept when the patient then
 *   arrives; an appointment confirmed only after its start does not count.
 * - No-show rate = due appointments marked no-show ÷ due appointments that were not cancelled (a cancelled slot
 *   cannot be missed).
 * - By appointment type: the type's name. By reminder channel: how the patient asks to be contacted (their contact
 *   preference as recorded when the dashboard is read: phone, e-mail or letter), not how a particular reminder was
 *   actually sent.
 * A rate with a zero denominator is null ("no appointments"), never 0 %.
 */
import { CONTACT_PREFERENCES, CONTACT_PREFERENCE_LABELS, type ContactPreference } from '../schemas/patients'

export interface AttendanceRow {
  typeName: string
  channel: ContactPreference
  status: string
  startsAt: string
  confirmedAt: string | null
}

export interface Rate {
  numerator: number
  denominator: number
  rate: number | null
}

export interface AttendanceGroup {
  key: string
  label: string
  due: number
  confirmation: Rate
  noShow: Rate
}

const rate = (numerator: number, denominator: number): Rate => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator })

function group(key: string, label: string, rows: readonly AttendanceRow[]): AttendanceGroup {
  const confirmed = rows.filter((r) => r.confirmedAt !== null && Date.parse(r.confirmedAt) <= Date.parse(r.startsAt)).length
  const notCancelled = rows.filter((r) => r.status !== 'cancelled')
  const noShows = notCancelled.filter((r) => r.status === 'noshow').length
  return { key, label, due: rows.length, confirmation: rate(confirmed, rows.length), noShow: rate(noShows, notCancelled.length) }
}

/** The rates over `rows` (the due appointments), overall, by type (by name) and by channel (phone, e-mail, letter). */
export function attendanceRates(rows: readonly AttendanceRow[]): { overall: AttendanceGroup; byType: AttendanceGroup[]; byChannel: AttendanceGroup[] } {
  const types = [...new Set(rows.map((r) => r.typeName))].sort((a, b) => a.localeCompare(b))
  return {
    overall: group('all', 'All appointments', rows),
    byType: types.map((t) => group(t, t, rows.filter((r) => r.typeName === t))),
    byChannel: CONTACT_PREFERENCES.map((c) => group(c, CONTACT_PREFERENCE_LABELS[c], rows.filter((r) => r.channel === c))).filter((g) => g.due > 0),
  }
}
