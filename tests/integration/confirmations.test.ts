/**
 * Tomorrow's confirmations (issue 21 point 2), through the router on SQLite and PostgreSQL: the next clinic day
 * skips a closed day and a weekend (the schedule's own hours and closed days); the list holds that day's booked
 * appointments (not confirmed, not cancelled) with the phone, the contact preference and what to prepare; each call
 * is logged with who and when from the session and the server's clock; "reached and confirmed" confirms through the
 * schedule's status change in one step; a cancellation from the list takes the appointment off it and the schedule
 * shows it cancelled; bad input is refused naming the field with nothing changed.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { nextClinicDay } from '../../electron/services/confirmations'
import { describeEachEngine, expectError, type TestEngine } from './harness'
import { allCounts, local, openScheduleClinic, TZ, type ScheduleClinic } from './scheduleFixture'

describeEachEngine('confirmations worklist on %s', (engine: TestEngine) => {
  let c: ScheduleClinic
  const TUE = '2026-12-01'
  const WED = '2026-12-02'

  beforeEach(async () => {
    c = await openScheduleClinic(engine)
    // Tuesday is a holiday: the next clinic day after Monday 30 November is Wednesday
    await c.ok(c.admin, 'schedule.closedDays.add', { date: TUE, reason: 'Staff training' })
  })
  afterEach(async () => c?.close())

  const book = async (patient: number, code: string, time: string, provider = c.drAId) =>
    (await c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[patient]!, typeId: c.type(code).id, providerId: provider, startsAt: local(WED, time) })).appointments[0]!

  it('finds the next clinic day past a closed day, a weekend, and a closed Monday after the weekend', async () => {
    const db = c.database.db
    expect(await nextClinicDay(db, TZ, '2026-11-30')).toBe(WED) // Tuesday closed
    expect(await nextClinicDay(db, TZ, '2026-12-02')).toBe('2026-12-03') // an ordinary day: tomorrow
    expect(await nextClinicDay(db, TZ, '2026-12-04')).toBe('2026-12-07') // Friday: Monday
    await c.ok(c.admin, 'schedule.closedDays.add', { date: '2026-12-07', reason: 'Holiday' })
    expect(await nextClinicDay(db, TZ, '2026-12-04')).toBe('2026-12-08') // the weekend and the closed Monday
    const list = await c.ok(c.desk, 'confirmations.list', {})
    expect(list).toMatchObject({ date: WED, nextClinicDay: WED, closed: null, rows: [] })
    expect((await c.ok(c.desk, 'confirmations.list', { date: TUE })).closed).toBe('Closed: Staff training')
    expect((await c.ok(c.desk, 'confirmations.list', { date: '2026-12-06' })).closed).toBe('The clinic is closed on Sundays')
  })

  it('lists the day to confirm, logs calls with who and when, confirms and cancels in one step each', async () => {
    // Núñez-García prefers e-mail and has consented; her procedure needs fasting, a driver and the blood thinners asked
    const p0 = await c.ok(c.desk, 'patients.get', { id: c.patients[0]! })
    await c.ok(c.desk, 'patients.update', { ...p0, contactPreference: 'email', reminderConsent: 'given' })
    const vp = await book(0, 'vertebroplasty', '08:00')
    const baker = await book(1, 'follow-up', '11:00')
    const ada = await book(2, 'follow-up', '13:00')
    const turing = await book(3, 'follow-up', '14:00', c.drBId)
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: turing.id, version: turing.version, status: 'confirmed', reason: '' })

    const list = await c.ok(c.desk, 'confirmations.list', {})
    expect(list.rows.map((r) => r.appointmentId)).toEqual([vp.id, baker.id, ada.id]) // the confirmed one is not listed
    expect(list.rows[0]).toMatchObject({
      patientName: 'Núñez-García, María José',
      phone: '(555) 201-3344',
      contactPreference: 'email',
      reminderConsent: 'given',
      typeName: 'Vertebroplasty',
      providerName: 'physician dra',
      attempts: [],
    })
    expect(list.rows[0]!.preparation.map((p) => p.text)).toEqual([
      'Nothing to eat from Dec 2, 02:00 (6 hours before)',
      'Bring a driver: no driving home after sedation',
      'Blood thinners: not recorded yet; ask, and tell the physician',
    ])
    expect(list.rows[1]!.preparation).toEqual([])

    // reached and confirmed: the call is logged and the appointment confirmed through the schedule's status change
    const deskId = (await c.database.db.selectFrom('users').select('id').where('username', '=', 'desk').executeTakeFirstOrThrow()).id
    c.clock.now = new Date(local('2026-11-30', '09:10'))
    const done = await c.ok(c.desk, 'confirmations.logAttempt', { appointmentId: vp.id, version: vp.version, outcome: 'reached', note: '', confirm: true })
    expect(done.appointment.status).toBe('confirmed')
    expect(done.attempt).toMatchObject({ outcome: 'reached', at: local('2026-11-30', '09:10'), byName: 'frontDesk desk' })
    const confirmedRow = await c.database.db.selectFrom('appointments').select(['confirmed_at', 'confirmed_by']).where('id', '=', vp.id).executeTakeFirstOrThrow()
    expect(confirmedRow).toEqual({ confirmed_at: local('2026-11-30', '09:10'), confirmed_by: deskId })

    // a message left: stays on the list, with the call shown
    c.clock.now = new Date(local('2026-11-30', '09:12'))
    await c.ok(c.desk, 'confirmations.logAttempt', { appointmentId: baker.id, version: baker.version, outcome: 'leftMessage', note: 'Voicemail: "call us back"' })

    // cancelled from the list through the schedule's own status change, with the reason
    await c.ok(c.desk, 'schedule.appointments.setStatus', { id: ada.id, version: ada.version, status: 'cancelled', reason: 'Patient unwell, will call to rebook' })

    const after = await c.ok(c.desk, 'confirmations.list', { date: WED })
    expect(after.rows.map((r) => r.appointmentId)).toEqual([baker.id])
    expect(after.rows[0]!.attempts).toEqual([{ id: expect.any(Number), outcome: 'leftMessage', note: 'Voicemail: "call us back"', at: local('2026-11-30', '09:12'), byName: 'frontDesk desk' }])
    const cancelled = await c.ok(c.desk, 'schedule.appointments.get', { id: ada.id })
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Patient unwell, will call to rebook' })

    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'entity_id', 'details']).where('action', 'in', ['appointment.contactAttempt', 'appointment.status']).orderBy('id').execute()
    expect(audit.map((a) => [a.action, Number(a.entity_id)])).toEqual([
      ['appointment.status', turing.id],
      ['appointment.contactAttempt', vp.id],
      ['appointment.status', vp.id],
      ['appointment.contactAttempt', baker.id],
      ['appointment.status', ada.id],
    ])
    // the note (what the patient said) stays out of the audit log
    expect(JSON.stringify(audit)).not.toContain('call us back')

    // a logged call is never changed or deleted
    await expect(c.database.db.deleteFrom('appointment_contact_attempts').execute()).rejects.toThrow(/never/)
    await expect(c.database.db.updateTable('appointment_contact_attempts').set({ note: '' }).execute()).rejects.toThrow(/never/)
  })

  it('refuses what does not fit, naming the field, with nothing changed', async () => {
    const appt = await book(1, 'follow-up', '11:00')
    const before = await allCounts(c.database)
    const attempts = async () => (await c.database.db.selectFrom('appointment_contact_attempts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n
    expectError(await c.call(c.desk, 'confirmations.logAttempt', { appointmentId: appt.id, version: appt.version, outcome: 'leftMessage', confirm: true }), 'invalid_input', 'confirm')
    expectError(await c.call(c.desk, 'confirmations.logAttempt', { appointmentId: appt.id, version: appt.version, outcome: 'busy' } as never), 'invalid_input', 'outcome')
    expectError(await c.call(c.desk, 'confirmations.list', { date: '2026-02-30' }), 'invalid_input', 'date')
    // a stale version: the confirmation is refused and the call is not logged either (one step: both or neither)
    expectError(await c.call(c.desk, 'confirmations.logAttempt', { appointmentId: appt.id, version: appt.version + 1, outcome: 'reached', confirm: true }), 'conflict')
    // a manager reads the list but does not log calls
    expectError(await c.call(c.manager, 'confirmations.logAttempt', { appointmentId: appt.id, version: appt.version, outcome: 'noAnswer' }), 'forbidden')
    expect((await c.ok(c.manager, 'confirmations.list', {})).rows).toHaveLength(1)
    expect(Number(await attempts())).toBe(0)
    // (the refused manager's call is itself audited, as every refused access is: the audit log grows by that row)
    const { audit_log: _a, ...rest } = await allCounts(c.database)
    const { audit_log: _b, ...restBefore } = before
    expect(rest).toEqual(restBefore)
    expect(await c.database.db.selectFrom('audit_log').select('id').where('action', 'in', ['appointment.contactAttempt', 'appointment.status']).execute()).toEqual([])
  })
})
