/**
 * The link to the scheduling engineer's `appointments` table (migration 0002, on its own branch).
 * Until that table is on main, an appointment id is checked only when the table exists, and only
 * against the columns it has (patient_id, provider_id, a start time or date).
 */
import { sql } from 'kysely'
import { clinicDateOf } from '../../../shared/clinicClock'
import type { Tx } from '../../db/tx'

export async function appointmentsTableExists(db: Tx): Promise<boolean> {
  const tables = await db.introspection.getTables()
  return tables.some((t) => t.name === 'appointments')
}

export interface AppointmentFacts {
  id: number
  patientId: number | null
  providerId: number | null
  /** the start instant or date as stored */
  start: string | null
}

/** null: no such appointment. 'unchecked': the appointments table does not exist yet. */
export async function findAppointment(db: Tx, id: number): Promise<AppointmentFacts | null | 'unchecked'> {
  if (!(await appointmentsTableExists(db))) return 'unchecked'
  const r = await sql<Record<string, unknown>>`SELECT * FROM appointments WHERE id = ${id}`.execute(db)
  const row = r.rows[0]
  if (!row) return null
  const num = (k: string) => (typeof row[k] === 'number' ? (row[k] as number) : row[k] == null ? null : Number(row[k]))
  const startKey = ['starts_at', 'start_at', 'start', 'date', 'appointment_date'].find((k) => typeof row[k] === 'string')
  return {
    id,
    patientId: 'patient_id' in row ? num('patient_id') : null,
    providerId: 'provider_id' in row ? num('provider_id') : 'physician_id' in row ? num('physician_id') : null,
    start: startKey ? (row[startKey] as string) : null,
  }
}

/** A stored start (an instant or a date) as a clinic calendar date. */
export function startToDate(start: string, timeZone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(start)) return start
  const t = new Date(start)
  return Number.isNaN(t.getTime()) ? start.slice(0, 10) : clinicDateOf(t, timeZone)
}
