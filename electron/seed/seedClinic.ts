/**
 * A synthetic clinic for benchmarks and demonstrations, deterministic for a given seed. Every record is
 * parsed with the same zod schema the app uses before it is written, and every write carries its
 * hash-chained audit row, so `admin verify` passes on a seeded database.
 */
import type { Kysely } from 'kysely'
import { PatientFields, type PatientFields as PatientFieldsT } from '../../shared/schemas/patients'
import { ClinicSettings } from '../../shared/schemas/settings'
import { digitsOnly, nameKey } from '../../shared/text'
import type { Role } from '../../shared/roles'
import type { AppDatabase } from '../db/connect'
import { withWriteTransaction, type Tx } from '../db/tx'
import type { DB } from '../db/types'
import { appendAudit } from '../services/audit'
import { hashPassword } from '../services/passwords'
import { FEMALE_FIRST, LAST, MALE_FIRST, PHYSICIANS, STREETS, TOWNS } from './names'
import { Rng } from './random'

export const SEED_PASSWORD = 'seeded-password-1'

export interface SeedOptions {
  patients: number
  seed: number
  /** "Today" of the synthetic clinic; its history runs twenty years back from here. */
  today?: string
  onProgress?: (message: string) => void
}

export interface SeedResult {
  users: Record<string, number>
  patients: number
  firstPatientId: number
}

const STAFF: { username: string; displayName: string; role: Role }[] = [
  { username: 'admin', displayName: 'Ada Administrator', role: 'admin' },
  { username: 'manager', displayName: 'Morgan Manager', role: 'manager' },
  { username: 'desk1', displayName: 'Frank Frontdesk', role: 'frontDesk' },
  { username: 'desk2', displayName: 'Fiona Frontdesk', role: 'frontDesk' },
  { username: 'desk3', displayName: 'Felix Frontdesk', role: 'frontDesk' },
  ...PHYSICIANS.map((name, i) => ({ username: `dr${i + 1}`, displayName: name, role: 'physician' as Role })),
]

const SEED_ACTOR = (userId: number, username: string) => ({ userId, username, workstation: 'seed' })

async function ensureSetup(trx: Tx, at: string): Promise<void> {
  const existing = await trx.selectFrom('settings').select('key').where('key', '=', 'clinic').executeTakeFirst()
  if (existing) return
  await trx
    .insertInto('settings')
    .values({ key: 'clinic', value: JSON.stringify(ClinicSettings.parse({ clinicName: 'Synthetic Spine Center' })), version: 0, updated_at: at, updated_by: null })
    .execute()
  await trx.insertInto('counters').values({ name: 'mrn', value: 0 }).execute()
}

async function seedUsers(trx: Tx, at: string): Promise<Record<string, number>> {
  const ids: Record<string, number> = {}
  const hash = await hashPassword(SEED_PASSWORD)
  for (const u of STAFF) {
    const found = await trx.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst()
    if (found) {
      ids[u.username] = found.id
      continue
    }
    const row = await trx
      .insertInto('users')
      .values({ username: u.username, display_name: u.displayName, role: u.role, password_hash: hash, active: 1, failed_attempts: 0, locked_until: null, created_at: at, updated_at: at, version: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
    ids[u.username] = row.id
    await appendAudit(trx, SEED_ACTOR(row.id, 'seed'), at, { action: 'user.create', entity: 'user', entityId: row.id, details: { username: u.username, role: u.role, seeded: true } })
  }
  return ids
}

function isoDaysBefore(today: string, days: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10)
}

/** One synthetic patient: ~78% women, ages around 75 (50 to 100), as in osteoporotic fractures. */
export function syntheticPatient(rng: Rng, today: string): PatientFieldsT {
  const female = rng.chance(0.78)
  const age = Math.min(100, Math.max(50, Math.round(rng.normal(75, 9))))
  const dob = isoDaysBefore(today, age * 365 + rng.int(0, 364))
  const first = rng.pick(female ? FEMALE_FIRST : MALE_FIRST)
  const last = rng.chance(0.05) ? `${rng.pick(LAST)}-${rng.pick(LAST)}` : rng.pick(LAST)
  return PatientFields.parse({
    firstName: first,
    lastName: last,
    dateOfBirth: dob,
    sex: female ? 'female' : 'male',
    phone: `(${rng.int(201, 989)}) ${rng.int(200, 999)}-${String(rng.int(0, 9999)).padStart(4, '0')}`,
    email: rng.chance(0.6) ? `${first}.${last}${rng.int(1, 999)}@example.org`.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/[^A-Za-z0-9.@-]/g, '').toLowerCase() : '',
    address: `${rng.int(1, 9999)} ${rng.pick(STREETS)}, ${rng.pick(TOWNS)}`,
    referringPhysician: rng.chance(0.8) ? rng.pick(PHYSICIANS) : '',
    notes: '',
  })
}

async function seedPatients(db: AppDatabase, opts: SeedOptions, registrarIds: { id: number; username: string }[]): Promise<{ count: number; firstId: number }> {
  const rng = new Rng(opts.seed)
  const today = opts.today ?? new Date().toISOString().slice(0, 10)
  const batch = 500
  let firstId = 0
  for (let done = 0; done < opts.patients; done += batch) {
    const n = Math.min(batch, opts.patients - done)
    await withWriteTransaction(db, async (trx) => {
      const counter = await trx.selectFrom('counters').select('value').where('name', '=', 'mrn').executeTakeFirstOrThrow()
      const prefix = 'SC'
      const rows = Array.from({ length: n }, (_, i) => {
        const p = syntheticPatient(rng, today)
        const registrar = rng.pick(registrarIds)
        // Registrations spread over twenty years, oldest first.
        const created = new Date(Date.parse(`${today}T00:00:00Z`) - (20 * 365 * 86_400_000 * (opts.patients - done - i)) / opts.patients).toISOString()
        return {
          mrn: `${prefix}-${String(counter.value + i + 1).padStart(6, '0')}`,
          first_name: p.firstName,
          last_name: p.lastName,
          name_key: nameKey(p.firstName, p.lastName),
          date_of_birth: p.dateOfBirth,
          sex: p.sex,
          phone: p.phone,
          phone_digits: digitsOnly(p.phone),
          email: p.email,
          address: p.address,
          referring_physician: p.referringPhysician,
          notes: p.notes,
          created_at: created,
          created_by: registrar.id,
          updated_at: created,
          updated_by: registrar.id,
          version: 0,
        }
      })
      const inserted = await (trx as Kysely<DB>).insertInto('patients').values(rows).returning(['id', 'mrn', 'created_at', 'created_by']).execute()
      if (!firstId) firstId = inserted[0]!.id
      await trx.updateTable('counters').set({ value: counter.value + n }).where('name', '=', 'mrn').execute()
      for (const r of inserted) {
        await appendAudit(trx, SEED_ACTOR(r.created_by, 'seed'), r.created_at, { action: 'patient.create', entity: 'patient', entityId: r.id, patientId: r.id, details: { mrn: r.mrn, seeded: true } })
      }
    })
    if ((done / batch) % 20 === 0) opts.onProgress?.(`patients: ${done + n} of ${opts.patients}`)
  }
  return { count: opts.patients, firstId }
}

export async function seedClinic(db: AppDatabase, opts: SeedOptions): Promise<SeedResult> {
  const at = new Date().toISOString()
  const users = await withWriteTransaction(db, async (trx) => {
    await ensureSetup(trx, at)
    return seedUsers(trx, at)
  })
  opts.onProgress?.(`users: ${Object.keys(users).join(', ')} (password ${SEED_PASSWORD})`)
  const registrars = ['desk1', 'desk2', 'desk3'].map((u) => ({ id: users[u]!, username: u }))
  const patients = await seedPatients(db, opts, registrars)
  return { users, patients: patients.count, firstPatientId: patients.firstId }
}
