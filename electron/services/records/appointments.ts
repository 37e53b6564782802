/**
 * The one place a clinical record or a worklist row meets an appointment: "there is such an appointment" and
 * "it is this patient's". Notes (consultation, procedure) are opened from one; reassessments, procedure requests
 * and follow-up visits are linked to the one booked for them. Reads the scheduling table (migration 0002, always
 * there before the tables that point at it), so no guessing at its columns.
 */
import { AppError } from '../../../shared/result'
import type { Tx } from '../../db/tx'

export interface AppointmentFacts {
  id: number
  patientId: number
  providerId: number
  /** the start instant (ISO-8601 UTC) */
  startsAt: string
}

/** The appointment, or null when there is none with that id. */
export async function findAppointment(db: Tx, id: number): Promise<AppointmentFacts | null> {
  const row = await db.selectFrom('appointments').select(['id', 'patient_id', 'provider_id', 'starts_at']).where('id', '=', id).executeTakeFirst()
  return row ? { id: row.id, patientId: row.patient_id, providerId: row.provider_id, startsAt: row.starts_at } : null
}

/**
 * The appointment a record is for: it exists (not_found) and is this patient's (invalid_input), each naming
 * `field` (the input's name for the appointment).
 */
export async function requireAppointmentFor(db: Tx, appointmentId: number, patientId: number, field = 'appointmentId'): Promise<AppointmentFacts> {
  const appt = await findAppointment(db, appointmentId)
  if (!appt) throw new AppError('not_found', `There is no appointment with id ${appointmentId}.`, { [field]: 'no such appointment' })
  if (appt.patientId !== patientId) throw new AppError('invalid_input', 'That appointment is for another patient.', { [field]: 'is for another patient' })
  return appt
}
