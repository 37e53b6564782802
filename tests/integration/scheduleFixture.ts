/** A clinic with people to book: a front desk, two physicians, patients, and the seeded setup. */
import { zonedToInstant } from '../../shared/scheduling/time'
import type { ScheduleSetup } from '../../shared/schemas/scheduling'
import type { AppDatabase, OpenOptions } from '../../electron/db/connect'
import { openClinic, SAMPLE_PATIENT, tableCounts, type Clinic, type TestEngine } from './harness'

export const TZ = 'America/New_York'
/** Clinic wall-clock time in New York as a UTC instant. */
export const local = (date: string, time: string) => zonedToInstant(date, time, TZ)

export interface ScheduleClinic extends Clinic {
  desk: string
  drA: string
  drB: string
  manager: string
  admin: string
  drAId: number
  drBId: number
  patients: number[]
  setup: ScheduleSetup
  type(code: string): ScheduleSetup['types'][number]
  room(name: string): ScheduleSetup['rooms'][number]
}

export async function openScheduleClinic(engine: TestEngine = 'sqlite', opts: { onQuery?: OpenOptions['onQuery'] } = {}): Promise<ScheduleClinic> {
  const clinic = await openClinic({ engine, ...opts })
  // Monday 30 November 2026, 09:00 in New York.
  clinic.clock.now = new Date(local('2026-11-30', '09:00'))
  const desk = await clinic.as('frontDesk', 'desk')
  const drA = await clinic.as('physician', 'dra')
  const drB = await clinic.as('physician', 'drb')
  const manager = await clinic.as('manager', 'mgr')
  const admin = await clinic.as('admin', 'admin2')
  const names = [
    ['María José', 'Núñez-García', '1948-02-29'],
    ['Tom', 'Baker', '1940-05-05'],
    ['Ada', 'Lovelace', '1945-12-10'],
    ['Alan', 'Turing', '1942-06-23'],
  ] as const
  const patients: number[] = []
  for (const [firstName, lastName, dateOfBirth] of names) {
    patients.push((await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName, lastName, dateOfBirth })).id)
  }
  // Tests move the clock through a clinic day; keep the idle lock from locking the windows meanwhile.
  const settings = await clinic.ok(admin, 'settings.get')
  await clinic.ok(admin, 'settings.update', { version: settings.version, settings: { ...settings.settings, idleLockSeconds: 4 * 3600 } })
  const setup = await clinic.ok(desk, 'schedule.setup.get')
  const id = (username: string) => setup.providers.find((p) => p.displayName.endsWith(username))!.id
  return {
    ...clinic,
    desk,
    drA,
    drB,
    manager,
    admin,
    drAId: id('dra'),
    drBId: id('drb'),
    patients,
    setup,
    type: (code) => setup.types.find((t) => t.code === code)!,
    room: (name) => setup.rooms.find((r) => r.name === name)!,
  }
}

/** Row counts of every table, scheduling included: "nothing changed" means these are equal. */
export async function allCounts(database: AppDatabase): Promise<Record<string, number>> {
  const out = await tableCounts(database)
  for (const t of ['rooms', 'appointment_types', 'clinic_hours', 'closed_days', 'appointments'] as const) {
    const r = await database.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[t] = Number(r.n)
  }
  return out
}

/**
 * Puts an appointment with a chosen id straight into the table, skipping the booking rules: for
 * tests of other areas (consultations) that need an appointment to point at, including ones at
 * hours the rules would refuse (a late-evening instant whose UTC date is the next day).
 */
export async function insertAppointmentRow(
  db: AppDatabase['db'],
  a: { id: number; patientId: number; providerUsername: string; startsAt: string; minutes?: number },
): Promise<void> {
  const provider = await db.selectFrom('users').select('id').where('username', '=', a.providerUsername).executeTakeFirstOrThrow()
  const type = await db.selectFrom('appointment_types').select('id').where('code', '=', 'follow-up').executeTakeFirstOrThrow()
  const room = await db.selectFrom('rooms').select('id').where('kind', '=', 'consultation').orderBy('id').executeTakeFirstOrThrow()
  const ends = new Date(Date.parse(a.startsAt) + (a.minutes ?? 20) * 60_000).toISOString()
  await db
    .insertInto('appointments')
    .values({
      id: a.id,
      patient_id: a.patientId,
      type_id: type.id,
      provider_id: provider.id,
      room_id: room.id,
      starts_at: a.startsAt,
      ends_at: ends,
      observation_room_id: null,
      observation_ends_at: null,
      occupied_until: ends,
      status: 'booked',
      cancel_reason: '',
      notes: '',
      created_at: a.startsAt,
      created_by: provider.id,
      updated_at: a.startsAt,
      updated_by: provider.id,
      version: 0,
    })
    .execute()
}
