/**
 * Reminders sent by the app (issue 21 point 3), through a real SMTP server on 127.0.0.1 (smtp-server), on a real
 * database (SQLite, and PostgreSQL when given): each reminder is received once, none for a cancelled appointment,
 * a moved one's message has the new time, a server that refuses and then accepts gets it once, a crash between
 * the hand-off and the record does not send it twice, every send, skip and failure is audited, the command line
 * prints what it did, bad settings are refused naming the field, and a letter's PDF says the date and time and
 * nothing clinical.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import type { DbTarget } from '../../electron/db/connect'
import { REMINDER_SENDER_LOCK, runReminders, type RunOptions } from '../../electron/services/reminders/outbox'
import { admin } from './cliHarness'
import { keystoreSecretStore } from '../../electron/db/secretStore'
import { readSmtpPassword } from '../../electron/services/reminders/smtpPassword'
import { fakeKeystore } from '../fixtures/fakeKeystore'
import { bundleChildScript, type ChildScript } from './childScript'
import { describeEachEngine, expectError, openClinic, SAMPLE_PATIENT, type Clinic } from './harness'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'
import { startTestSmtp, type TestSmtp } from './smtpTestServer'

const THU = '2026-12-03'
/** Monday 30 November, 10:30 in New York: the 3-day reminders of Thursday's appointments have come due. */
const MON_1030 = () => new Date(local('2026-11-30', '10:30'))

let runner: ChildScript
beforeAll(async () => {
  runner = await bundleChildScript('tests/integration/reminderCrashRunner.ts', 'reminder-crash')
}, 60_000)
afterAll(() => runner?.remove())

describeEachEngine('reminders sent by the app (%s)', (engine) => {
  let c: ScheduleClinic
  let smtp: TestSmtp
  let patients: { email: number; letter: number; phone: number; declined: number }

  afterEach(async () => {
    await smtp?.close()
    await c?.close()
  })

  async function setUp(extra: Record<string, unknown> = {}, server?: TestSmtp) {
    c = await openScheduleClinic(engine)
    smtp = server ?? (await startTestSmtp())
    const s = await c.ok(c.admin, 'settings.get')
    await c.ok(c.admin, 'settings.update', {
      version: s.version,
      settings: {
        ...s.settings,
        smtpHost: '127.0.0.1',
        smtpPort: smtp.port,
        smtpTls: 'none',
        reminderFrom: 'reminders@spine-clinic.example',
        reminderPhone: '(555) 010-2000',
        reminderPlace: '1 Main Street, Springfield',
        reminderDaysBefore: [3, 1],
        reminderBring: { 'follow-up': 'your insurance card and your medication list' },
        ...extra,
      },
    })
    const reg = async (firstName: string, contactPreference: string, reminderConsent: string | null, email = SAMPLE_PATIENT.email) =>
      (await c.ok(c.desk, 'patients.register', { ...SAMPLE_PATIENT, firstName, lastName: 'Reminder', dateOfBirth: '1950-05-05', email, contactPreference, reminderConsent } as never)).id
    patients = {
      email: await reg('Emma', 'email', 'given', 'emma@example.org'),
      letter: await reg('Leo', 'letter', 'given'),
      phone: await reg('Paula', 'phone', 'given'),
      declined: await reg('Dora', 'email', 'declined', 'dora@example.org'),
    }
  }

  async function book(patientId: number, date: string, time: string) {
    const r = await c.ok(c.desk, 'schedule.appointments.book', { patientId, typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local(date, time) })
    return r.appointments[0]!
  }

  const run = (at: Date, more: Partial<RunOptions> = {}) => runReminders({ database: c.database, now: () => at, ...more })

  async function outbox() {
    return c.database.db.selectFrom('reminder_outbox').selectAll().orderBy('id').execute()
  }
  async function auditActions(prefix = 'reminder.') {
    const rows = await c.database.db.selectFrom('audit_log').select(['action', 'entity_id', 'username']).where('action', 'like', `${prefix}%`).orderBy('id').execute()
    return rows
  }

  it('sends each due e-mail once, prepares a letter, none by phone or without consent; every send audited', async () => {
    await setUp()
    const appts = {
      email: await book(patients.email, THU, '10:00'),
      letter: await book(patients.letter, THU, '09:00'),
      phone: await book(patients.phone, THU, '09:20'),
      declined: await book(patients.declined, THU, '09:40'),
    }
    // Monday 08:30: nothing is due yet (Thursday 09:00 minus 3 days is Monday 09:00)
    expect((await run(new Date(local('2026-11-30', '08:30')))).queued).toHaveLength(0)
    const first = await run(MON_1030())
    expect(first.sent.map((s) => s.appointmentId)).toEqual([appts.email.id])
    expect(first.lettersToPrint).toBe(1)
    expect(smtp.received).toHaveLength(1)
    const msg = smtp.received[0]!
    expect(msg.to).toEqual(['emma@example.org'])
    expect(msg.text).toContain('Thursday, December 3, 2026')
    expect(msg.text).toContain('10:00 AM')
    expect(msg.text).toContain('1 Main Street, Springfield')
    expect(msg.text).toContain('your insurance card and your medication list')
    expect(msg.text).toContain('(555) 010-2000')
    expect(msg.text).toContain('Test Spine Clinic')
    // the minimum: not the appointment's type, nor anything of the record
    expect(msg.raw).not.toMatch(/Follow-up consultation|physician|Núñez|Emma/)
    expect(msg.messageId).toMatch(/^<reminder\.\d+\.3d\.\d+@spine-clinic\.example>$/)

    // again, and again later the same day: nothing more
    const again = await run(MON_1030())
    expect(again.sent).toHaveLength(0)
    expect((await run(new Date(local('2026-11-30', '16:00')))).sent).toHaveLength(0)
    expect(smtp.received).toHaveLength(1)

    // Wednesday 10:30: the 1-day reminder, a second message with its own Message-ID
    const wed = await run(new Date(local('2026-12-02', '10:30')))
    expect(wed.sent).toHaveLength(1)
    expect(smtp.received).toHaveLength(2)
    expect(smtp.received[1]!.messageId).not.toBe(msg.messageId)

    const rows = await outbox()
    expect(rows.filter((r) => r.channel === 'email').map((r) => [r.offset_days, r.status])).toEqual([[3, 'sent'], [1, 'sent']])
    expect(rows.filter((r) => r.channel === 'letter').map((r) => [r.appointment_id, r.offset_days, r.status])).toEqual([
      [appts.letter.id, 3, 'skipped'],
      [appts.letter.id, 1, 'queued'],
    ])
    expect(rows.find((r) => r.channel === 'letter' && r.status === 'skipped')!.skip_reason).toContain('1-day reminder is due instead')
    expect(rows.some((r) => r.appointment_id === appts.phone.id || r.appointment_id === appts.declined.id)).toBe(false)
    const sent = (await auditActions()).filter((a) => a.action === 'reminder.sent')
    expect(sent.map((a) => a.entity_id)).toEqual(rows.filter((r) => r.status === 'sent').map((r) => String(r.id)))
    expect(sent.every((a) => a.username === 'reminder-sender')).toBe(true)
  }, 60_000)

  it('a cancelled appointment is never sent (skipped, audited); a moved one is sent with the new time', async () => {
    await setUp()
    const cancelled = await book(patients.email, THU, '10:00')
    const moved = await book(patients.declined, THU, '10:20')
    // the patient agrees to reminders after all
    await c.database.db.updateTable('patients').set({ reminder_consent: 'given' }).where('id', '=', patients.declined).execute()
    // the server is busy: both queued, to be retried
    smtp.refuseNext(2)
    const busy = await run(MON_1030())
    expect(busy.retrying).toHaveLength(2)
    expect(busy.retrying[0]!.detail).toContain('451')
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: cancelled.id, version: cancelled.version, status: 'cancelled', reason: 'Patient unwell' })
    await c.ok(c.desk, 'schedule.appointments.move', { id: moved.id, version: moved.version, startsAt: local('2026-12-02', '14:00') })
    const later = await run(new Date(local('2026-11-30', '10:40')))
    expect(later.sent).toHaveLength(1)
    expect(later.skipped.map((s) => s.detail)).toEqual([expect.stringContaining('cancelled'), expect.stringContaining('moved')])
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]!.to).toEqual(['dora@example.org'])
    expect(smtp.received[0]!.text).toContain('Wednesday, December 2, 2026')
    expect(smtp.received[0]!.text).toContain('2:00 PM')
    expect(smtp.received[0]!.text).not.toContain('10:20 AM')
    expect((await run(new Date(local('2026-11-30', '11:00')))).sent).toHaveLength(0)
    expect(smtp.received).toHaveLength(1)
    const actions = (await auditActions()).map((a) => a.action)
    expect(actions.filter((a) => a === 'reminder.retry')).toHaveLength(2)
    expect(actions.filter((a) => a === 'reminder.skipped')).toHaveLength(2)
    expect(actions.filter((a) => a === 'reminder.sent')).toHaveLength(1)
  }, 60_000)

  it('a moved appointment whose reminder was already sent gets one more, for the new time; the sent one stays as it was', async () => {
    await setUp()
    const appt = await book(patients.email, THU, '10:00')
    expect((await run(MON_1030())).sent).toHaveLength(1)
    await c.ok(c.desk, 'schedule.appointments.move', { id: appt.id, version: appt.version, startsAt: local('2026-12-02', '14:00') })
    const after = await run(new Date(local('2026-11-30', '10:40')))
    expect(after.sent).toHaveLength(1)
    expect(smtp.received.map((m) => m.text.includes('Thursday, December 3, 2026') && m.text.includes('10:00 AM'))).toEqual([true, false])
    expect(smtp.received[1]!.text).toContain('Wednesday, December 2, 2026')
    expect(smtp.received[1]!.text).toContain('2:00 PM')
    expect((await outbox()).map((r) => [r.appointment_starts_at, r.status])).toEqual([
      [local(THU, '10:00'), 'sent'],
      [local('2026-12-02', '14:00'), 'sent'],
    ])
    expect((await run(new Date(local('2026-11-30', '11:00')))).sent).toHaveLength(0)
    expect(smtp.received).toHaveLength(2)
  }, 60_000)

  it('an appointment moved away and back: the reminder skipped for that time is queued again and goes out once', async () => {
    await setUp()
    const appt = await book(patients.email, THU, '10:00')
    smtp.refuseNext(1)
    expect((await run(MON_1030())).retrying).toHaveLength(1)
    const away = await c.ok(c.desk, 'schedule.appointments.move', { id: appt.id, version: appt.version, startsAt: local('2026-12-02', '14:00') })
    const movedAway = await run(new Date(local('2026-11-30', '10:40')))
    expect(movedAway.skipped.map((s) => s.detail)).toEqual([expect.stringContaining('moved')])
    expect(movedAway.sent).toHaveLength(1)
    await c.ok(c.desk, 'schedule.appointments.move', { id: appt.id, version: away.version, startsAt: local(THU, '10:00') })
    const back = await run(new Date(local('2026-11-30', '10:50')))
    expect(back.sent).toHaveLength(1)
    expect(smtp.received).toHaveLength(2)
    expect(smtp.received[1]!.text).toContain('Thursday, December 3, 2026')
    expect(smtp.received[1]!.text).toContain('10:00 AM')
    expect((await outbox()).map((r) => [r.appointment_starts_at, r.status])).toEqual([
      [local(THU, '10:00'), 'sent'],
      [local('2026-12-02', '14:00'), 'sent'],
    ])
    expect((await auditActions()).map((a) => a.action)).toContain('reminder.requeued')
    // and only once
    expect((await run(new Date(local('2026-11-30', '11:00')))).sent).toHaveLength(0)
    expect(smtp.received).toHaveLength(2)
  }, 60_000)

  it('a server that refuses (451) or is down, then accepts, gets the message exactly once; after the last retry it is failed', async () => {
    await setUp()
    await book(patients.email, THU, '10:00')
    smtp.refuseNext(1)
    const t0 = MON_1030()
    expect((await run(t0)).retrying).toHaveLength(1)
    // within the first back-off minute nothing is tried
    expect((await run(new Date(t0.getTime() + 30_000))).sent).toHaveLength(0)
    const ok = await run(new Date(t0.getTime() + 61_000))
    expect(ok.sent).toHaveLength(1)
    expect(smtp.received).toHaveLength(1)
    const [row] = await outbox()
    expect(row).toMatchObject({ status: 'sent', attempts: 2 })

    // a server that is down: connection refused, retried, then given up (back-off 1 minute, one retry)
    await book(patients.email, THU, '10:40')
    const port = smtp.port
    await smtp.close()
    const t1 = new Date(local('2026-11-30', '10:45'))
    const down = await run(t1, { backoffMinutes: [1] })
    expect(down.retrying[0]!.detail).toContain(`Connection refused by 127.0.0.1:${port}`)
    const gaveUp = await run(new Date(t1.getTime() + 61_000), { backoffMinutes: [1] })
    expect(gaveUp.failed).toHaveLength(1)
    const actions = (await auditActions()).map((a) => a.action)
    expect(actions).toContain('reminder.failed')
    smtp = await startTestSmtp()
  }, 60_000)

  it('a crash between the hand-off and the record does not send it twice; the row is uncertain until the front desk decides', async () => {
    await setUp()
    await book(patients.email, THU, '10:00')
    const where = c.database.target.engine === 'sqlite' ? (c.database.target as Extract<DbTarget, { engine: 'sqlite' }>).file : (c.database.target as Extract<DbTarget, { engine: 'postgres' }>).url
    const at = MON_1030().toISOString()
    const handed = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [runner.file, where, at], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      const guard = setTimeout(() => child.kill('SIGKILL'), 30_000)
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        // killed at the widest point: the server has the message, the outbox has not recorded it
        if (/HANDED \d+\n/.test(out)) child.kill('SIGKILL')
      })
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('exit', () => {
        clearTimeout(guard)
        const m = /HANDED (\d+)/.exec(out)
        if (m) resolve(m[1]!)
        else reject(new Error(`the runner ended without handing over: ${out} ${err}`))
      })
    })
    expect(smtp.received).toHaveLength(1)
    expect((await outbox())[0]).toMatchObject({ id: Number(handed), status: 'sending' })
    // the restart (PostgreSQL may take a moment to see the killed session go and free its lock)
    let after = await run(MON_1030())
    for (let i = 0; after.status === 'another-sender' && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100))
      after = await run(MON_1030())
    }
    expect(after.status).toBe('ran')
    expect(after.sent).toHaveLength(0)
    expect(after.uncertain.map((u) => u.id)).toEqual([Number(handed)])
    expect((await run(new Date(local('2026-11-30', '12:00')))).sent).toHaveLength(0)
    expect(smtp.received).toHaveLength(1)
    const [row] = await outbox()
    expect(row!.status).toBe('uncertain')
    expect((await auditActions()).map((a) => a.action)).toContain('reminder.uncertain')

    // the outbox screen lists it; the front desk chooses to send it again: same Message-ID
    const listed = await c.ok(c.desk, 'reminders.outbox', { show: 'uncertain' })
    expect(listed.entries.map((e) => e.id)).toEqual([row!.id])
    await c.ok(c.desk, 'reminders.resolveUncertain', { id: row!.id, decision: 'sendAgain' })
    c.clock.now = new Date(local('2026-11-30', '12:00'))
    expect((await run(new Date(local('2026-11-30', '12:01')))).sent).toHaveLength(1)
    expect(smtp.received).toHaveLength(2)
    expect(smtp.received[1]!.messageId).toBe(smtp.received[0]!.messageId)
  }, 60_000)

  it('the command line sends what is due once and prints what it sent, skipped and failed', async () => {
    await setUp()
    const a = await book(patients.email, THU, '10:00')
    const b = await book(patients.declined, THU, '10:20')
    await c.database.db.updateTable('patients').set({ reminder_consent: 'given' }).where('id', '=', patients.declined).execute()
    smtp.refuseNext(1)
    // first run: the first message is refused (retry), the second sent
    const db = c.database.target.engine === 'sqlite' ? ['--db', (c.database.target as { file: string }).file] : ['--db-url', (c.database.target as { url: string }).url]
    const first = await admin(['reminders', 'run', ...db], { now: MON_1030() })
    expect(first.code, first.err).toBe(0)
    expect(first.out).toContain('Sent: 1')
    expect(first.out).toContain('To retry later: 1')
    expect(first.out).toContain('451')
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: b.id, version: b.version, status: 'cancelled', reason: 'Patient unwell' })
    const second = await admin(['reminders', 'run', ...db], { now: new Date(MON_1030().getTime() + 120_000) })
    expect(second.out).toContain('Sent: 1')
    expect(second.out).toContain(`appointment #${a.id}`)
    expect(second.out).toMatch(/Skipped: 0|Skipped: 1/)
    expect(second.out).toContain('Failed: 0')
    expect(smtp.received).toHaveLength(2)
    const third = await admin(['reminders', 'run', ...db], { now: new Date(MON_1030().getTime() + 180_000) })
    expect(third.out).toContain('Sent: 0')
    expect(smtp.received).toHaveLength(2)
    const byCli = (await auditActions()).filter((x) => x.action === 'reminder.sent')
    expect(byCli.every((x) => x.username === 'admin-cli')).toBe(true)
    expect((await admin(['reminders', 'nonsense', ...db])).code).toBe(2)
  }, 60_000)

  it('two senders at once (another process, as the app and the command line would be): each message once', async () => {
    await setUp()
    for (const [i, time] of ['09:00', '09:20', '09:40', '10:00', '10:20'].entries()) {
      const id = (await c.ok(c.desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: `Many${i}`, lastName: 'Reminder', dateOfBirth: '1950-05-05', email: `many${i}@example.org`, contactPreference: 'email', reminderConsent: 'given' } as never)).id
      await book(id, THU, time)
    }
    const where = c.database.target.engine === 'sqlite' ? (c.database.target as { file: string }).file : (c.database.target as { url: string }).url
    const child = new Promise<string>((resolve) => {
      const p = spawn(process.execPath, [runner.file, where, MON_1030().toISOString(), 'whole'], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      p.stdout.on('data', (d: Buffer) => (out += d.toString()))
      p.stderr.on('data', (d: Buffer) => (out += d.toString()))
      p.on('exit', () => resolve(out))
    })
    const mine = await run(MON_1030())
    const theirs = JSON.parse(/DONE (.*)/.exec(await child)?.[1] ?? 'null') as { status: string; sent: number } | null
    expect(theirs, 'the other sender finished').not.toBeNull()
    expect(mine.sent.length + theirs!.sent).toBe(5)
    expect(smtp.received).toHaveLength(5)
    expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(5)
    expect((await outbox()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true)
  }, 60_000)

  it.runIf(engine === 'postgres')('on PostgreSQL a workstation holding the sender lock keeps the others from sending', async () => {
    await setUp()
    await book(patients.email, THU, '10:00')
    const holder = new pg.Client({ connectionString: (c.database.target as { url: string }).url })
    await holder.connect()
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [REMINDER_SENDER_LOCK])
      expect((await run(MON_1030())).status).toBe('another-sender')
      const cli = await admin(['reminders', 'run', '--db-url', (c.database.target as { url: string }).url], { now: MON_1030() })
      expect(cli.out).toContain('Another workstation is sending reminders right now')
      expect(smtp.received).toHaveLength(0)
    } finally {
      await holder.end()
    }
    expect((await run(MON_1030())).sent).toHaveLength(1)
    expect(smtp.received).toHaveLength(1)
  }, 60_000)

  it('bad settings are refused naming the field, and nothing is changed', async () => {
    await setUp()
    const s = await c.ok(c.admin, 'settings.get')
    const bad: [string, unknown][] = [
      ['reminderTemplate', 'Your {diagnosis} appointment on {date}'],
      ['smtpPort', 70000],
      ['smtpTls', 'ssl'],
      ['reminderFrom', 'not an address'],
      ['reminderDaysBefore', [3, 3]],
      ['smtpHost', 'mail server'],
    ]
    for (const [key, value] of bad) {
      const r = await c.call(c.admin, 'settings.update', { version: s.version, settings: { ...s.settings, [key]: value } } as never)
      expectError(r, 'invalid_input', `settings.${key}`)
      if (key === 'reminderTemplate') expect(r.ok || r.error.message).toContain('{diagnosis}')
    }
    expect((await c.ok(c.admin, 'settings.get')).version).toBe(s.version)
    // the front desk cannot send a test e-mail or touch the password
    expectError(await c.call(c.desk, 'reminders.testEmail', { to: 'it@clinic.example' }), 'forbidden')
  }, 60_000)
})

describe('Settings > Reminders: test e-mail and the SMTP password', () => {
  let c: ScheduleClinic
  const servers: TestSmtp[] = []
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close()
    await c?.close()
    delete process.env.CLINIC_SMTP_PASSWORD
  })

  async function configure(patch: Record<string, unknown>) {
    const s = await c.ok(c.admin, 'settings.get')
    await c.ok(c.admin, 'settings.update', { version: s.version, settings: { ...s.settings, smtpHost: '127.0.0.1', smtpTls: 'none', reminderFrom: 'reminders@spine-clinic.example', ...patch } })
  }

  it('reports the server answer, or connection refused, authentication failed and a TLS mismatch in words', async () => {
    c = await openScheduleClinic('sqlite')
    const open = await startTestSmtp()
    servers.push(open)
    await configure({ smtpPort: open.port })
    const ok = await c.ok(c.admin, 'reminders.testEmail', { to: 'it@clinic.example' })
    expect(ok).toMatchObject({ ok: true })
    expect(ok.message).toMatch(/accepted the test e-mail to it@clinic\.example: 250/)
    expect(open.received.map((m) => m.to)).toEqual([['it@clinic.example']])

    await configure({ smtpPort: open.port, smtpTls: 'tls' })
    const tls = await c.ok(c.admin, 'reminders.testEmail', { to: 'it@clinic.example' })
    expect(tls.ok).toBe(false)
    expect(tls.message).toMatch(/TLS mismatch|did not answer/)

    // STARTTLS offered, with a certificate nobody trusts: said in words, not sent
    const selfSigned = await startTestSmtp({ starttls: true })
    servers.push(selfSigned)
    await configure({ smtpPort: selfSigned.port, smtpTls: 'starttls' })
    const untrusted = await c.ok(c.admin, 'reminders.testEmail', { to: 'it@clinic.example' })
    expect(untrusted).toMatchObject({ ok: false, message: expect.stringContaining('certificate this computer does not trust') })
    expect(selfSigned.received).toHaveLength(0)

    const closed = await startTestSmtp()
    await closed.close()
    await configure({ smtpPort: closed.port })
    const refused = await c.ok(c.admin, 'reminders.testEmail', { to: 'it@clinic.example' })
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('Connection refused') })

    const locked = await startTestSmtp({ user: 'clinic', password: 's3cret' })
    servers.push(locked)
    await configure({ smtpPort: locked.port, smtpUser: 'clinic' })
    process.env.CLINIC_SMTP_PASSWORD = 'wrong'
    const wrong = await c.ok(c.admin, 'reminders.testEmail', { to: 'it@clinic.example' })
    expect(wrong).toMatchObject({ ok: false, message: expect.stringContaining('Authentication failed') })
    process.env.CLINIC_SMTP_PASSWORD = 's3cret'
    expect(await c.ok(c.admin, 'reminders.testEmail', { to: 'it@clinic.example' })).toMatchObject({ ok: true })
    expect(locked.received).toHaveLength(1)
    const audited = await c.database.db.selectFrom('audit_log').select('details').where('action', '=', 'reminder.testEmail').execute()
    expect(audited).toHaveLength(6)
    expect(audited.map((a) => a.details).join(' ')).not.toContain('s3cret')

    expectError(await c.call(c.admin, 'reminders.testEmail', { to: 'nobody' }), 'invalid_input', 'to')
  }, 60_000)

  it('keeps the password encrypted in this computer\'s keystore, and signs in with it', async () => {
    const clinic: Clinic = await openClinic({ secrets: keystoreSecretStore(fakeKeystore(), 'darwin') })
    try {
      const locked = await startTestSmtp({ user: 'clinic', password: 'kept-s3cret' })
      servers.push(locked)
      const adm = await clinic.as('admin')
      const s = await clinic.ok(adm, 'settings.get')
      await clinic.ok(adm, 'settings.update', { version: s.version, settings: { ...s.settings, smtpHost: '127.0.0.1', smtpPort: locked.port, smtpTls: 'none', smtpUser: 'clinic', reminderFrom: 'reminders@spine-clinic.example' } })
      expect(await clinic.ok(adm, 'reminders.setSmtpPassword', { password: 'kept-s3cret' })).toEqual({ source: 'saved', problem: null })
      const file = join(clinic.dir, 'config', 'smtp-password.json')
      expect(readFileSync(file, 'utf8')).not.toContain('kept-s3cret')
      expect(await readSmtpPassword({ configDir: clinic.connection.configDir, secrets: clinic.connection.secrets, env: {} })).toEqual({ source: 'saved', password: 'kept-s3cret' })
      expect(await clinic.ok(adm, 'reminders.testEmail', { to: 'it@clinic.example' })).toMatchObject({ ok: true })
      expect(locked.received).toHaveLength(1)
      // the settings document and the audit log never hold it
      const texts = (await clinic.database.db.selectFrom('audit_log').select('details').execute()).map((r) => r.details).join(' ')
      expect(texts).not.toContain('kept-s3cret')
      expect(JSON.stringify(await clinic.ok(adm, 'settings.get'))).not.toContain('kept-s3cret')
      // saved empty: removed
      expect(await clinic.ok(adm, 'reminders.setSmtpPassword', { password: '' })).toMatchObject({ source: 'none' })
      expect(existsSync(file)).toBe(false)
    } finally {
      await clinic.close()
    }
  }, 60_000)

  it('refuses to store the password where there is no keystore, with the advice', async () => {
    c = await openScheduleClinic('sqlite')
    const r = await c.call(c.admin, 'reminders.setSmtpPassword', { password: 'secret' })
    expectError(r, 'invalid_input', 'password')
    expect(r.ok || r.error.message).toContain('CLINIC_SMTP_PASSWORD')
    expect(existsSync(join(c.dir, 'config', 'smtp-password.json'))).toBe(false)
    const status = await c.ok(c.admin, 'reminders.smtpPassword')
    expect(status.source).toBe('none')
    expect(status.problem).toContain('CLINIC_SMTP_PASSWORD')
  })
})

const pdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('a printed reminder letter', () => {
  let c: ScheduleClinic
  afterEach(async () => c?.close())

  it.skipIf(!pdftotext)('says the clinic, date, time, place and phone, addressed to the patient, and nothing clinical (pdftotext)', async () => {
    c = await openScheduleClinic('sqlite')
    const s = await c.ok(c.admin, 'settings.get')
    await c.ok(c.admin, 'settings.update', { version: s.version, settings: { ...s.settings, reminderPhone: '(555) 010-2000', reminderPlace: '1 Main Street, Springfield' } })
    const patientId = (await c.ok(c.desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Łukasz', lastName: 'Wiśniewski', dateOfBirth: '1944-04-04', contactPreference: 'letter', reminderConsent: 'given', notes: 'osteoporotic fracture T12' } as never)).id
    const appt = (await c.ok(c.desk, 'schedule.appointments.book', { patientId, typeId: c.type('vertebroplasty').id, providerId: c.drAId, startsAt: local(THU, '09:00') })).appointments[0]!
    const report = await runReminders({ database: c.database, now: MON_1030 })
    expect(report.lettersToPrint).toBe(1)
    const letters = await c.ok(c.desk, 'reminders.outbox', { show: 'letters' })
    expect(letters.entries.map((e) => e.appointmentId)).toEqual([appt.id])
    const pdf = await c.ok(c.desk, 'reminders.letterPdf', { id: letters.entries[0]!.id })
    const file = join(c.dir, pdf.fileName)
    const { writeFileSync } = await import('node:fs')
    writeFileSync(file, Buffer.from(pdf.base64, 'base64'))
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text).toContain('Thursday, December 3, 2026')
    expect(text).toContain('9:00 AM')
    expect(text).toContain('Łukasz Wiśniewski')
    expect(text).toContain('12 Elm Street, Springfield')
    expect(text).toContain('(555) 010-2000')
    expect(text).toContain('Test Spine Clinic')
    expect(text).not.toMatch(/vertebroplasty|osteoporo|fracture|T12|physician/i)
    await c.ok(c.desk, 'reminders.markPrinted', { ids: [letters.entries[0]!.id] })
    expect((await c.ok(c.desk, 'reminders.outbox', { show: 'letters' })).entries).toHaveLength(0)
    expectError(await c.call(c.desk, 'reminders.markPrinted', { ids: [letters.entries[0]!.id] }), 'conflict', 'ids')
    const actions = (await c.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'reminder.%').execute()).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['reminder.queued', 'reminder.letterPdf', 'reminder.printed']))
  }, 60_000)
  if (!pdftotext) it.skip('letter PDF read back: pdftotext (poppler-utils) is not installed here', () => {})
})
