/**
 * Booking from a worklist is one call (schedule.appointments.bookAndLink): the appointment and the worklist
 * row's link in one transaction. Either half refused leaves both as they were: no appointment without its
 * link, no row pointing at an appointment that is not there.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChannelInput } from '../../shared/contract'
import { describeEachEngine, PASSWORD } from './harness'
import { allCounts, local, openScheduleClinic, type ScheduleClinic } from './scheduleFixture'

let c: ScheduleClinic

const TUE = '2026-12-01'

/** A signed consultation (by Dr A, for the first patient) deciding kyphoplasty at T12 with a care plan: a request and a reassessment. */
async function signedDecision(patientId = c.patients[0]!) {
  let n = await c.ok(c.drA, 'consultations.open', { patientId })
  n = await c.ok(c.drA, 'consultations.saveNote', {
    id: n.id,
    version: n.version,
    plan: { bracing: 'TLSO brace', painMedication: '', otherMeasures: '', startDate: '2026-10-01', reassessmentDate: '2026-11-12' },
    decision: { decision: 'kyphoplasty', levels: ['T12'], reason: 'Failed conservative care', contraindications: [], overrideReason: '' },
  })
  return c.ok(c.drA, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
}

function booking(over: Partial<ChannelInput<'schedule.appointments.bookAndLink'>> & Pick<ChannelInput<'schedule.appointments.bookAndLink'>, 'link'>): ChannelInput<'schedule.appointments.bookAndLink'> {
  return { patientId: c.patients[0]!, typeId: c.type('kyphoplasty').id, providerId: c.drAId, startsAt: local(TUE, '10:00'), notes: '', ...over }
}

async function refuse(input: ChannelInput<'schedule.appointments.bookAndLink'>) {
  const r = await c.call(c.desk, 'schedule.appointments.bookAndLink', input)
  expect(r.ok, JSON.stringify(r)).toBe(false)
  if (r.ok) throw new Error('unreachable')
  return r.error
}

/** What the front desk and the database would show: every table's count, the worklists, the appointments. */
async function everything() {
  const db = c.database.db
  return {
    counts: await allCounts(c.database),
    appointments: await db.selectFrom('appointments').selectAll().orderBy('id').execute(),
    requests: await db.selectFrom('procedure_requests').selectAll().orderBy('id').execute(),
    plans: await db.selectFrom('conservative_care_plans').selectAll().orderBy('id').execute(),
    followUps: await db.selectFrom('procedure_follow_ups').selectAll().orderBy('id').execute(),
  }
}

describeEachEngine('booking from a worklist on %s', (engine) => {
  beforeEach(async () => {
    c = await openScheduleClinic(engine)
  })
  afterEach(async () => c?.close())

  describe('a procedure request', () => {
    it('is booked and leaves the list in one call, with both audit rows', async () => {
      await signedDecision()
      const [req] = await c.ok(c.desk, 'procedureRequests.list', {})
      const done = await c.ok(c.desk, 'schedule.appointments.bookAndLink', booking({ link: { kind: 'request', id: req!.id, version: req!.version } }))
      const appt = done.appointments[0]!
      expect(appt).toMatchObject({ patientId: c.patients[0], typeName: 'Kyphoplasty', status: 'booked' })
      expect(done.link).toEqual({ kind: 'request', id: req!.id, version: req!.version + 1 })
      expect(await c.ok(c.desk, 'procedureRequests.list', {})).toEqual([])
      expect(await c.ok(c.desk, 'procedureRequests.list', { status: 'booked' })).toMatchObject([{ id: req!.id, appointmentId: appt.id }])
      const board = await c.ok(c.desk, 'schedule.view', { from: TUE })
      expect(board.appointments.map((a) => a.id)).toContain(appt.id)
      const audit = await c.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'in', ['appointment.book', 'procedureRequest.book']).orderBy('id').execute()
      expect(audit.map((a) => [a.action, Number(a.entity_id)])).toEqual([
        ['appointment.book', appt.id],
        ['procedureRequest.book', req!.id],
      ])
    })

    it('when the slot is taken: nothing is booked and the request stays open', async () => {
      await signedDecision()
      const [req] = await c.ok(c.desk, 'procedureRequests.list', {})
      // Dr A is already busy at that time with another patient.
      await c.ok(c.desk, 'schedule.appointments.book', { patientId: c.patients[1]!, typeId: c.type('follow-up').id, providerId: c.drAId, startsAt: local(TUE, '10:00'), notes: '' })
      const before = await everything()
      const e = await refuse(booking({ link: { kind: 'request', id: req!.id, version: req!.version } }))
      expect(e.code).toBe('conflict')
      expect(e.message).toContain('Nothing was booked')
      expect(await everything()).toEqual(before)
      expect(await c.ok(c.desk, 'procedureRequests.list', {})).toMatchObject([{ id: req!.id, status: 'open', appointmentId: null }])
    })

    it('when the list was stale (the request was booked meanwhile): the new appointment does not exist and the error names link.id', async () => {
      await signedDecision()
      const [req] = await c.ok(c.desk, 'procedureRequests.list', {})
      const first = await c.ok(c.desk, 'schedule.appointments.bookAndLink', booking({ link: { kind: 'request', id: req!.id, version: req!.version } }))
      const before = await everything()
      // A second workstation, still showing the old list, books the same request at another time.
      const e = await refuse(booking({ startsAt: local(TUE, '14:00'), link: { kind: 'request', id: req!.id, version: req!.version } }))
      expect(e.code).toBe('conflict')
      expect(Object.keys(e.fields ?? {})).toEqual(['link.id'])
      expect(e.message).toMatch(/already booked.*Nothing was booked/)
      expect(await everything()).toEqual(before)
      const afternoon = (await c.ok(c.desk, 'schedule.view', { from: TUE })).appointments.filter((a) => a.startsAt === local(TUE, '14:00'))
      expect(afternoon).toEqual([])
      expect((await c.ok(c.desk, 'procedureRequests.list', { status: 'booked' }))[0]).toMatchObject({ appointmentId: first.appointments[0]!.id })
    })

    it('for another patient than the request’s: refused naming patientId, nothing written', async () => {
      await signedDecision()
      const [req] = await c.ok(c.desk, 'procedureRequests.list', {})
      const before = await everything()
      const e = await refuse(booking({ patientId: c.patients[1]!, link: { kind: 'request', id: req!.id, version: req!.version } }))
      expect(e.code).toBe('invalid_input')
      expect(e.fields).toEqual({ patientId: 'is not the patient of this procedure request' })
      expect(await everything()).toEqual(before)
    })
  })

  describe('a reassessment due', () => {
    it('is booked and linked in one call; a stale version books nothing and names link.version', async () => {
      const note = await signedDecision()
      const [due] = await c.ok(c.desk, 'care.dueReassessments', {})
      expect(due).toMatchObject({ planId: note.carePlan!.id, overdue: true, appointmentId: null })

      const before = await everything()
      const stale = await refuse(booking({ typeId: c.type('follow-up').id, link: { kind: 'reassessment', id: due!.planId, version: due!.version + 1 } }))
      expect(stale.code).toBe('conflict')
      expect(stale.fields).toEqual({ 'link.version': 'is out of date' })
      expect(await everything()).toEqual(before)

      const done = await c.ok(c.desk, 'schedule.appointments.bookAndLink', booking({ typeId: c.type('follow-up').id, link: { kind: 'reassessment', id: due!.planId, version: due!.version } }))
      expect(done.link.version).toBe(due!.version + 1)
      expect(await c.ok(c.desk, 'care.dueReassessments', {})).toEqual([])
      expect(await c.ok(c.desk, 'care.dueReassessments', { includeBooked: true })).toMatchObject([{ planId: due!.planId, appointmentId: done.appointments[0]!.id }])
    })
  })

  describe('a follow-up visit after a procedure', () => {
    it('is booked and linked in one call; a repeat of the click books nothing more', async () => {
      await signedDecision()
      let p = await c.ok(c.drA, 'procedures.open', { patientId: c.patients[0]! })
      p = await c.ok(c.drA, 'procedures.save', {
        id: p.id,
        version: p.version,
        fields: {
          kind: 'kyphoplasty',
          procedureDate: '2026-11-30',
          anaesthesia: 'moderateSedation',
          startedAt: '2026-11-30T12:30:00Z',
          endedAt: '2026-11-30T13:05:00Z',
          narrative: 'Uneventful bilateral transpedicular kyphoplasty.',
        } as never,
        levels: [{ level: 'T12', approach: 'bipedicular', cementType: 'PMMA', cementVolumeMl: 4.5, leakage: ['none'] }] as never,
      })
      await c.ok(c.drA, 'discharge.open', { procedureId: p.id })
      const [twoWeeks] = await c.ok(c.desk, 'followUps.list', {})
      expect(twoWeeks).toMatchObject({ label: '2 weeks', status: 'proposed' })

      const input = booking({ typeId: c.type('follow-up').id, startsAt: local('2026-12-14', '10:00'), link: { kind: 'followUp', id: twoWeeks!.id, version: twoWeeks!.version } })
      const done = await c.ok(c.desk, 'schedule.appointments.bookAndLink', input)
      expect(done.link).toEqual({ kind: 'followUp', id: twoWeeks!.id, version: twoWeeks!.version + 1 })
      expect((await c.ok(c.desk, 'followUps.list', { status: 'booked' }))[0]).toMatchObject({ id: twoWeeks!.id, appointmentId: done.appointments[0]!.id })

      const before = await everything()
      const again = await refuse({ ...input, startsAt: local('2026-12-14', '11:00') })
      expect(again.code).toBe('conflict')
      expect(again.fields).toEqual({ 'link.id': 'is booked' })
      expect(await everything()).toEqual(before)
    })
  })

  it('is the front desk’s: a physician cannot book from a worklist', async () => {
    await signedDecision()
    const [req] = await c.ok(c.desk, 'procedureRequests.list', {})
    const r = await c.call(c.drA, 'schedule.appointments.bookAndLink', booking({ link: { kind: 'request', id: req!.id, version: req!.version } }))
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
