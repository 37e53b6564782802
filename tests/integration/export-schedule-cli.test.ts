import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ICAL from 'ical.js'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { admin } from './cliHarness'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic
beforeEach(async () => {
  c = await openScheduleClinic()
})
afterEach(async () => c.close())

const TUE = '2026-12-01'

it('exports a physician\'s schedule as iCalendar that an independent parser reads back, and audits it', async () => {
  const starts = [local(TUE, '09:00'), local(TUE, '10:30')]
  for (const startsAt of starts) {
    await c.ok(c.desk, 'schedule.appointments.book', {
      patientId: c.patients[0]!,
      typeId: c.type('follow-up').id,
      providerId: c.drAId,
      roomId: c.room('Consultation room 1').id,
      startsAt,
    } as never)
  }
  const file = (c.database.target as { file: string }).file
  const out = join(c.dir, 'dra.ics')
  const r = await admin(['export', 'schedule', '--db', file, '--provider', String(c.drAId), '--from', TUE, '--to', TUE, '--format', 'ics', '--out', out])
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  expect(r.out).toContain('Wrote 2 appointments')

  const cal = new ICAL.Component(ICAL.parse(readFileSync(out, 'utf8')))
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v))
  expect(events.map((e) => e.startDate.toJSDate().toISOString()).sort()).toEqual(starts.map((s) => new Date(s).toISOString()).sort())
  expect(events.every((e) => e.summary.includes('Núñez-García'))).toBe(true)

  const audit = await c.database.db.selectFrom('audit_log').select(['action', 'username', 'details']).where('action', '=', 'schedule.export').execute()
  expect(audit).toHaveLength(1)
  expect(audit[0]!.username).toBe('admin-cli')
  expect(JSON.parse(audit[0]!.details)).toMatchObject({ from: TUE, to: TUE, events: 2 })
})

it('refuses bad options by name and writes nothing', async () => {
  const file = (c.database.target as { file: string }).file
  const out = join(c.dir, 'x.ics')
  const cases: [string[], RegExp][] = [
    [['--provider', 'abc', '--from', TUE, '--to', TUE], /--provider must be a user id/],
    [['--provider', String(c.drAId), '--from', '2026-02-30', '--to', TUE], /--from must be a real date/],
    [['--provider', String(c.drAId), '--from', TUE, '--to', '2026-11-01'], /--to: /],
    [['--provider', '1', '--from', TUE, '--to', TUE], /--provider: Choose a physician/],
    [['--provider', String(c.drAId), '--from', TUE, '--to', TUE, '--format', 'csv'], /--format/],
  ]
  for (const [args, message] of cases) {
    const r = await admin(['export', 'schedule', '--db', file, ...args, '--out', out])
    expect(r.code, args.join(' ')).toBe(2)
    expect(r.err).toMatch(message)
    expect(existsSync(out)).toBe(false)
  }
})
