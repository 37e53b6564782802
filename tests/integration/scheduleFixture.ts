/** A clinic with people to book: a front desk, two physicians, patients, and the seeded setup. */
import { zonedToInstant } from '../../shared/scheduling/time'
import type { ScheduleSetup } from '../../shared/schemas/scheduling'
import type { AppDatabase } from '../../electron/db/connect'
import { openClinic, SAMPLE_PATIENT, tableCounts, type Clinic } from './harness'

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

export async function openScheduleClinic(): Promise<ScheduleClinic> {
  const clinic = await openClinic()
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
