/** Kysely's view of the tables. Instants are ISO-8601 UTC text; booleans are 0/1 integers. */
import type { Generated, Insertable, Selectable } from 'kysely'

export interface SettingsTable {
  key: string
  value: string
  version: number
  updated_at: string
  updated_by: number | null
}

export interface CountersTable {
  name: string
  value: number
}

export interface UsersTable {
  id: Generated<number>
  username: string
  display_name: string
  role: string
  password_hash: string
  active: number
  failed_attempts: number
  locked_until: string | null
  created_at: string
  updated_at: string
  version: number
}

export interface PatientsTable {
  id: Generated<number>
  mrn: string
  first_name: string
  last_name: string
  name_key: string
  date_of_birth: string
  sex: string
  phone: string
  phone_digits: string
  email: string
  address: string
  referring_physician: string
  notes: string
  created_at: string
  created_by: number
  updated_at: string
  updated_by: number
  version: number
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  user_id: number | null
  username: string | null
  workstation: string
  action: string
  entity: string | null
  entity_id: string | null
  patient_id: number | null
  details: string
  prev_hash: string
  hash: string
}

export interface DB {
  settings: SettingsTable
  counters: CountersTable
  users: UsersTable
  patients: PatientsTable
  audit_log: AuditLogTable
}

export type UserRow = Selectable<UsersTable>
export type PatientRow = Selectable<PatientsTable>
export type NewAuditRow = Insertable<AuditLogTable>
