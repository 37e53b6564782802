/**
 * PostgreSQL's plans for the schedule's lane reads (issue 22 point 4). Each branch of the slot search, the booking's
 * clash check and the week view is a range on (lane, starts_at); at clinic size PostgreSQL chose the plain starts_at
 * index for them and checked the lane on every appointment of the week it read from the table (1 219 rows for 89,
 * three times a week searched). Migration 0038 puts the lanes into the starts_at index, so whichever index the
 * planner takes, the lane is checked in the index.
 *
 * This fills three years of a 12-physician clinic's appointments in time order (as a clinic books them, which is
 * what makes the starts_at index look cheapest), runs the scheduling channels through the router, records what the
 * server is sent and checks each EXPLAIN: in the slot search and the clash check no scan of appointments checks a
 * lane (`provider_id = ...`) as a filter on rows already fetched from the table, none starts parallel workers (the
 * finer histogram of 0038: a coarse one of the text times took a week for a hundredth of the table, and the plan
 * spent 5 ms starting workers), and no statement is a sequential scan. (The week view asks for several lanes at once, `IN (...)`, which PostgreSQL 15 checks on the fetched rows;
 * most of a week's rows are in the lanes shown, so it reads them by time.)
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres, PG_URL } from './harness'
import { planNodesOf, recordingStatements, type SentStatement } from './pgStatements'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

const LANE_EQUALS = /\b(provider_id|room_id|observation_room_id|patient_id) = /

describe.skipIf(!PG_URL)(onPostgres('the schedule’s lane reads on PostgreSQL'), () => {
  let c: ScheduleClinic
  let server: pg.Client
  const sent: SentStatement[] = []

  beforeAll(async () => {
    c = await openScheduleClinic('postgres')
    for (let i = 0; i < 10; i++) await c.as('physician', `drx${i}`)
    server = new pg.Client({ connectionString: (c.database.target as { url: string }).url })
    await server.connect()
    const providers = (await server.query(`SELECT id FROM users WHERE role = 'physician' ORDER BY id`)).rows.map((r) => r.id as number)
    const rooms = (await server.query(`SELECT id FROM rooms WHERE kind = 'consultation' ORDER BY id`)).rows.map((r) => r.id as number)
    const followUp = c.type('follow-up').id
    // Every physician sees a patient every 20 minutes from 09:00 to 13:00 (New York), every day, from 2024 to three
    // months past the clinic's today (30 November 2026): 165 600 rows, in the order of their times. The afternoons
    // are left free for the bookings below.
    await server.query(
      `INSERT INTO appointments (patient_id, type_id, provider_id, room_id, starts_at, ends_at, occupied_until, status, cancel_reason, notes, created_at, created_by, updated_at, updated_by, version)
       SELECT ($1::int[])[1 + i % cardinality($1::int[])], $2, p, ($3::int[])[1 + (i / 7) % cardinality($3::int[])],
              to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char(t + interval '20 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              to_char(t + interval '20 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'completed', '', '', '2024-01-01T00:00:00.000Z', 1, '2024-01-01T00:00:00.000Z', 1, 0
       FROM generate_series(0, 1150 * 12 - 1) i,
            LATERAL (SELECT timestamp '2024-01-01 14:00' + (i / 12) * interval '1 day' + (i % 12) * interval '20 minutes' AS t) slot,
            unnest($4::int[]) p
       ORDER BY t, p`,
      [c.patients, followUp, rooms, providers],
    )
    await server.query('ANALYZE appointments')

    const followUpFor = { typeId: followUp, providerId: c.drAId }
    await recordingStatements(/from "appointments"/, sent, async () => {
      await c.ok(c.desk, 'schedule.slots.next', { ...followUpFor, patientId: c.patients[1]!, withinDays: 28 })
      await c.ok(c.desk, 'schedule.slots.check', { ...followUpFor, patientId: c.patients[1]!, startsAt: local('2026-12-01', '15:00') })
      await c.ok(c.desk, 'schedule.appointments.book', { ...followUpFor, patientId: c.patients[1]!, startsAt: local('2026-12-01', '15:00') })
      await c.ok(c.desk, 'schedule.view', { from: '2026-11-23', days: 7, providerIds: providers.slice(0, 5), roomIds: rooms })
      // a week across the new year, which a coarse histogram of the text times took for a hundredth of the table
      await c.ok(c.desk, 'schedule.slots.next', { ...followUpFor, after: local('2026-12-29', '08:00'), withinDays: 14 })
    })
  }, 180_000)
  afterAll(async () => {
    await server?.end()
    await c?.close()
  })

  const planNodes = (s: SentStatement) => planNodesOf(server, s)
  const scansOfAppointments = async (s: SentStatement) => (await planNodes(s)).filter((n) => n['Relation Name'] === 'appointments')

  it('records the slot search, the clash check and the week view', () => {
    expect(sent.some((s) => /'provider' as "lane"/.test(s.text))).toBe(true)
    expect(sent.some((s) => /'provider' as "tag"/.test(s.text))).toBe(true)
    expect(sent.some((s) => /"appointments"."room_id" in/.test(s.text))).toBe(true)
  })

  it('checks the lane in the index in the slot search and the clash check, never on rows fetched from the table', async () => {
    const laneReads = sent.filter((s) => /'provider' as "(lane|tag)"/.test(s.text))
    const bad: { text: string; node: string; filter: string }[] = []
    for (const s of laneReads) {
      for (const n of await scansOfAppointments(s)) {
        if (LANE_EQUALS.test(n.Filter ?? '')) bad.push({ text: s.text.slice(0, 80), node: `${n['Node Type']} ${n['Index Name'] ?? ''}`, filter: n.Filter ?? '' })
      }
    }
    expect(bad).toEqual([])
  })

  it('starts no parallel workers for a week of one lane, across the new year too', async () => {
    const gathers: string[] = []
    for (const s of sent.filter((x) => /'provider' as "(lane|tag)"/.test(x.text))) {
      for (const n of await planNodes(s)) if (/^Gather/.test(n['Node Type'])) gathers.push(`${n['Node Type']}: ${String(s.values[0])}`)
    }
    expect(gathers).toEqual([])
  })

  it('reads appointments by an index in every statement, the week view included', async () => {
    const scans: string[] = []
    for (const s of sent) for (const n of await scansOfAppointments(s)) scans.push(n['Node Type'])
    expect(scans.length).toBeGreaterThan(10)
    expect(scans.filter((t) => t === 'Seq Scan')).toEqual([])
  })
})
