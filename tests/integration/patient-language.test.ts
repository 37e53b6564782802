/**
 * Issue 18.6: a patient's preferred language and interpreter flag, registered and edited like any field, shown
 * wherever the patient is met: the schedule (block and appointment) and the chart's header.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { describeEachEngine } from './harness'
import { local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

const TUE = '2026-12-01'

describeEachEngine('preferred language on %s', (engine) => {
  let c: ScheduleClinic
  beforeEach(async () => {
    c = await openScheduleClinic(engine)
  })
  afterEach(async () => c?.close())

  it('is registered, kept by an edit of another field, and shown on the booking, the schedule and the chart', async () => {
    const id = c.patients[0]!
    const before = await c.ok(c.desk, 'patients.get', { id })
    expect(before).toMatchObject({ preferredLanguage: '', interpreterNeeded: false })
    const edited = await c.ok(c.desk, 'patients.update', { ...before, preferredLanguage: 'Spanish', interpreterNeeded: true })
    expect(edited).toMatchObject({ preferredLanguage: 'Spanish', interpreterNeeded: true })
    const audit = await c.database.db.selectFrom('audit_log').select('details').where('action', '=', 'patient.update').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details).changed).toEqual(['preferredLanguage', 'interpreterNeeded'])
    // the whole record read back and saved with one change keeps the language (the edit form sends every field)
    const phone = await c.ok(c.desk, 'patients.update', { ...edited, phone: '(555) 777-1234' })
    expect(phone).toMatchObject({ preferredLanguage: 'Spanish', interpreterNeeded: true, phone: '(555) 777-1234' })

    const { appointments } = await c.ok(c.desk, 'schedule.appointments.book', {
      patientId: id,
      typeId: c.type('follow-up').id,
      providerId: c.drAId,
      roomId: c.room('Consultation room 1').id,
      startsAt: local(TUE, '10:00'),
    })
    expect(appointments[0]).toMatchObject({ patientLanguage: 'Spanish', interpreterNeeded: true })
    const day = await c.ok(c.desk, 'schedule.view', { from: TUE, days: 1 })
    expect(day.appointments.find((a) => a.patientId === id)).toMatchObject({ patientLanguage: 'Spanish', interpreterNeeded: true })
    const chart = await c.ok(c.drA, 'chart.get', { patientId: id })
    expect(chart.header).toMatchObject({ preferredLanguage: 'Spanish', interpreterNeeded: true })
  })

  it('refuses a flag that is not yes or no, naming the field, and changes nothing', async () => {
    const before = await c.ok(c.desk, 'patients.get', { id: c.patients[1]! })
    const r = await c.router.call(c.desk, 'patients.update', { ...before, interpreterNeeded: 'yes' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.fields).toMatchObject({ interpreterNeeded: 'must be yes or no' })
    const r2 = await c.router.call(c.desk, 'patients.update', { ...before, preferredLanguage: 'x'.repeat(61) })
    expect(r2.ok).toBe(false)
    if (!r2.ok) expect(r2.error.fields).toMatchObject({ preferredLanguage: 'must be at most 60 characters' })
    expect(await c.ok(c.desk, 'patients.get', { id: c.patients[1]! })).toEqual(before)
  })
})
