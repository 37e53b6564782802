/**
 * Several workstations (each its own connection pool) booking overlapping slots on one PostgreSQL
 * database at the same moment: for each contested provider, room or patient exactly one booking wins
 * and every other attempt gets a `conflict` (SERIALIZABLE transactions, retried on serialization failure).
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../electron/db/connect'
import { createRouter, type Router } from '../../electron/rpc'
import { newWindow, onPostgres, PASSWORD, PG_URL } from './harness'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic
const extra: AppDatabase[] = []
beforeEach(async () => {
  if (PG_URL) c = await openScheduleClinic('postgres')
})
afterEach(async () => {
  for (const d of extra.splice(0)) await d.close()
  await c?.close()
})

async function workstations(n: number): Promise<{ router: Router; w: string }[]> {
  const out = []
  for (let i = 0; i < n; i++) {
    await c.as('frontDesk', `ws${i}`)
    const database = openDatabase(c.database.target)
    extra.push(database)
    const router = createRouter({ database, now: () => c.clock.now, workstation: `ws-${i}`, log: () => {} })
    const w = newWindow()
    const r = await router.call(w, 'session.signIn', { username: `ws${i}`, password: PASSWORD })
    expect(r.ok).toBe(true)
    out.push({ router, w })
  }
  return out
}

it.skipIf(!PG_URL)(onPostgres('contested provider, room and patient: exactly one booking each, the rest are conflicts'), async () => {
  const desks = await workstations(6)
  const at = local('2026-12-01', '10:00')
  const followUp = c.type('follow-up').id
  const room1 = c.room('Consultation room 1').id
  const room2 = c.room('Consultation room 2').id
  // Three races at once: 4 bookings for drA (different patients and rooms), 4 for room 2 at 14:00
  // (different providers... only two exist, so also different patients), 4 for one patient at 15:00.
  const attempts = [
    ...[0, 1, 2, 3].map((i) => ({ patientId: c.patients[i]!, typeId: followUp, providerId: c.drAId, roomId: i % 2 ? room1 : room2, startsAt: at })),
    ...[0, 1, 2, 3].map((i) => ({ patientId: c.patients[i]!, typeId: followUp, providerId: i % 2 ? c.drAId : c.drBId, roomId: room2, startsAt: local('2026-12-01', '14:00') })),
    ...[0, 1, 2, 3].map((i) => ({ patientId: c.patients[0]!, typeId: followUp, providerId: i % 2 ? c.drAId : c.drBId, roomId: i % 2 ? room1 : room2, startsAt: local('2026-12-01', '15:00') })),
  ]
  const results = await Promise.all(attempts.map((input, i) => desks[i % desks.length]!.router.call(desks[i % desks.length]!.w, 'schedule.appointments.book', input)))
  for (const group of [results.slice(0, 4), results.slice(4, 8), results.slice(8, 12)]) {
    expect(group.filter((r) => r.ok)).toHaveLength(1)
    for (const r of group.filter((r) => !r.ok)) expect(r.ok === false && r.error.code).toBe('conflict')
  }
  const rows = await c.database.db.selectFrom('appointments').select(['starts_at']).where('status', '=', 'booked').execute()
  expect(rows).toHaveLength(3)
})
