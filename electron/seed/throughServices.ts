/**
 * The part of the synthetic clinic made through the app's own services (./serviceCaller.ts), so that it holds
 * every kind of record the app makes, valid and audited as the app would have made them:
 *
 * - the administrator's work: settings (the backup time), a physician added, a former one deactivated, a
 *   consultation room and a closed day;
 * - a few patients followed from registration on, named in several scripts (Łukasz Wiśniewski, Nguyễn Thị Mai,
 *   Дмитрий Иванов, 王伟): appointments booked, checked in, seen, completed, moved, repeated, cancelled and
 *   missed; consultations from their appointments with findings, decisions and a care plan, its reassessment and
 *   outcome; procedure requests booked; procedure notes, recovery, observation checks (one entered in error),
 *   stay decisions; discharge summaries signed with their stored PDFs, one with an addendum, one entered in error
 *   and opened again; follow-ups booked and their visits recorded (one entered in error); addenda; a clinical
 *   history; a registration corrected;
 * - a discharge summary, signed with its PDF, for every signed procedure of the last RECENT_DAYS days of the bulk
 *   history (the latest RECENT_MAX at most), and a draft one for the procedures not signed yet.
 *
 * Everything is a pure function of the seed's random stream and "today".
 */
import type { VertebralLevel } from '../../shared/clinical/levels'
import { addDays, weekdayOf, zonedToInstant } from '../../shared/scheduling/time'
import type { SessionUser } from '../../shared/schemas/session'
import type { AppDatabase } from '../db/connect'
import type { Tx } from '../db/tx'
import { carePlanFields, checkFields, consultationFields, findingFields, levelFields, procedureFields, recoveringCheck, recoveryFields, steadyCheck, visitFields } from './clinical'
import type { Rng } from './random'
import { ServiceCaller, type SeedAuditSink } from './serviceCaller'

/** The bulk history's procedures of these last days get their discharge summaries (through the services: a PDF each). */
export const RECENT_DAYS = 90

/** Patients followed through the services, as the front desk registers them (given name, family name). */
export const STORY_PATIENTS = [
  { firstName: 'Łukasz', lastName: 'Wiśniewski', dateOfBirth: '1949-03-14', sex: 'male', preferredLanguage: 'Polish', interpreterNeeded: false },
  { firstName: 'Thị Mai', lastName: 'Nguyễn', dateOfBirth: '1952-08-02', sex: 'female', preferredLanguage: 'Vietnamese', interpreterNeeded: true },
  { firstName: 'Дмитрий', lastName: 'Иванов', dateOfBirth: '1944-11-21', sex: 'male', preferredLanguage: 'Russian', interpreterNeeded: true },
  { firstName: '伟', lastName: '王', dateOfBirth: '1947-06-30', sex: 'male', preferredLanguage: 'Mandarin', interpreterNeeded: true },
  { firstName: 'Zofia', lastName: 'Kowalczyk', dateOfBirth: '1941-01-09', sex: 'female', preferredLanguage: '', interpreterNeeded: false },
  { firstName: 'Ingrid', lastName: 'Søndergaard', dateOfBirth: '1946-04-18', sex: 'female', preferredLanguage: 'English', interpreterNeeded: false },
] as const

/**
 * Staff of the story, written with the other seeded users (their password hashed once for all: a hash costs a
 * few hundred milliseconds): the physician who follows the patients, and a former colleague whom the
 * administrator deactivates.
 */
export const STORY_STAFF = [
  { username: 'drzoe', displayName: 'Dr. Zoë Ødegaard-Nuñez', role: 'physician' },
  { username: 'drformer', displayName: 'Dr. Hal Former', role: 'physician' },
] as const
export const STORY_PHYSICIAN = STORY_STAFF[0]

/** At most this many of the bulk history's recent procedures get summaries (the most recent), to bound a large seed. */
export const RECENT_MAX = 200

const MEDICATIONS = [
  'Paracetamol 1 g four times a day as needed for up to two weeks',
  'Paracetamol 1 g four times a day; continue alendronate 70 mg weekly',
  'Ibuprofen 400 mg three times a day with food for five days; then paracetamol as needed',
  'Tramadol 50 mg at night for three nights if pain keeps you awake; paracetamol by day',
]

export interface ThroughServicesOptions {
  database: AppDatabase
  db: Tx
  audit: SeedAuditSink
  rng: Rng
  today: string
  /** the seeded staff, by username, STORY_STAFF among them */
  staff: Record<string, SessionUser>
  password: string
}

export interface ThroughServicesResult {
  calls: Record<string, number>
  patients: number[]
  dischargeSummaries: number
}

export async function seedThroughServices(o: ThroughServicesOptions): Promise<ThroughServicesResult> {
  const { rng, today } = o
  const caller = new ServiceCaller(o.database, o.db, o.audit)
  const call = caller.call.bind(caller)
  const tz = (await o.db.selectFrom('settings').select('value').where('key', '=', 'clinic').executeTakeFirstOrThrow().then((r) => JSON.parse(r.value) as { timeZone?: string })).timeZone ?? 'America/New_York'
  const local = (date: string, time: string) => new Date(zonedToInstant(date, time, tz))
  const setNow = (d: Date | string) => void (caller.now = new Date(d))
  /** The n-th weekday before (n < 0) or after (n > 0) today; 0: today, or the next weekday when today is not one. */
  const workday = (n: number) => {
    let d = today
    const step = n < 0 ? -1 : 1
    let left = Math.abs(n)
    while (weekdayOf(d) > 5) d = addDays(d, 1)
    while (left > 0) {
      d = addDays(d, step)
      if (weekdayOf(d) <= 5) left--
    }
    return d
  }
  const nextWorkdayFrom = (date: string) => {
    let d = date
    while (weekdayOf(d) > 5) d = addDays(d, 1)
    return d
  }
  // The signer's password, spread into sign and addendum calls: signing asks for it again
  const pw = { password: o.password }
  const admin = o.staff.admin!
  const desk = o.staff.desk1!
  const manager = o.staff.manager!
  const start = workday(-60)

  // ---- the administrator ----
  setNow(local(start, '07:30'))
  const settings = await call(admin, 'settings.get', {})
  await call(admin, 'settings.update', { version: settings.version, settings: { ...settings.settings, backupTime: '19:30' } })
  const zoe = o.staff[STORY_PHYSICIAN.username]!
  const former = o.staff[STORY_STAFF[1].username]!
  setNow(local(workday(-50), '07:30'))
  await call(admin, 'users.update', { id: former.id, version: 0, displayName: former.displayName, role: 'physician', active: false })
  const room = await call(admin, 'schedule.rooms.create', { name: 'Consultation room Z', kind: 'consultation', sortOrder: 90 })
  // a closed day beyond the booked schedule (two months ahead at most)
  await call(admin, 'schedule.closedDays.add', { date: nextWorkdayFrom(addDays(today, 100)), reason: 'Clinic closed: staff training day' })
  const types = new Map((await call(admin, 'schedule.setup.get', {})).types.map((t) => [t.code, t]))
  const typeId = (code: string) => types.get(code)!.id

  // ---- registrations ----
  setNow(local(start, '08:15'))
  const patients: number[] = []
  for (const p of STORY_PATIENTS) {
    const r = await call(desk, 'patients.register', {
      ...p,
      phone: `(555) ${rng.int(200, 999)}-${String(rng.int(0, 9999)).padStart(4, '0')}`,
      email: '',
      address: `${rng.int(1, 999)} Elm Street, Springfield`,
      referringPhysician: 'Dr. Helen Park',
      notes: '',
    })
    patients.push(r.id)
  }
  setNow(local(workday(-55), '09:10'))
  const moved = await call(desk, 'patients.get', { id: patients[4]! })
  await call(desk, 'patients.update', { ...moved, address: '27 Oak Avenue, Riverside', notes: 'Moved in with her daughter; new address.' })

  // ---- the schedule as the front desk keeps it ----
  const book = async (patientId: number, code: string, date: string, time: string, bookedOn: string, extra: { roomId?: number; repeat?: { everyWeeks: number; times: number } } = {}) => {
    setNow(local(bookedOn, '08:30'))
    const code2room = types.get(code)!.roomKind === 'consultation' ? { roomId: room.id } : {}
    const r = await call(desk, 'schedule.appointments.book', { patientId, typeId: typeId(code), providerId: zoe.id, startsAt: local(date, time).toISOString(), notes: '', ...code2room, ...extra })
    return r.appointments
  }
  const status = async (who: SessionUser, appt: { id: number; version: number }, to: 'arrived' | 'in_room' | 'completed' | 'noshow' | 'cancelled', when: Date, reason = '') => {
    setNow(when)
    return call(who, 'schedule.appointments.setStatus', { id: appt.id, version: appt.version, status: to, reason })
  }
  /** Checked in, seen and completed on its day around `visit`, which runs between seen and completed. */
  const attend = async <T>(appt: { id: number; version: number; startsAt: string }, visit: () => Promise<T>): Promise<T> => {
    const startMs = Date.parse(appt.startsAt)
    let a = await status(desk, appt, 'arrived', new Date(startMs - 10 * 60_000))
    a = await status(desk, a, 'in_room', new Date(startMs + 2 * 60_000))
    setNow(new Date(startMs + 5 * 60_000))
    const out = await visit()
    await status(zoe, a, 'completed', new Date(Date.parse(a.endsAt) + 5 * 60_000))
    return out
  }

  // ---- clinical steps ----
  const baseline = () => ({ pain: rng.int(6, 9), odiMean: 3 + rng.next() })
  const consultation = async (patientId: number, appointmentId: number | undefined, date: string, levels: VertebralLevel[], decision: 'vertebroplasty' | 'kyphoplasty' | 'continueConservative' | 'refer', reassessment = false) => {
    let n = await call(zoe, 'consultations.open', { patientId, ...(appointmentId ? { appointmentId } : { visitDate: date }) })
    const fields = consultationFields(rng, date, baseline(), reassessment)
    n = await call(zoe, 'consultations.save', { id: n.id, version: n.version, fields: { ...fields, rmdqAnswers: Array.from({ length: 24 }, () => rng.chance(0.6)) } })
    n = await call(zoe, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings: levels.map((l) => findingFields(rng, l, date, true)) })
    const procedure = decision === 'vertebroplasty' || decision === 'kyphoplasty'
    if (decision === 'continueConservative') {
      const plan = carePlanFields(rng, date)
      n = await call(zoe, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: { ...plan, reassessmentDate: nextWorkdayFrom(plan.reassessmentDate!) } })
    }
    n = await call(zoe, 'consultations.saveDecision', {
      consultationId: n.id,
      version: n.version,
      decision: {
        decision,
        levels: procedure ? levels : [],
        reason: procedure ? 'Painful acute fracture with marrow oedema despite treatment.' : decision === 'refer' ? 'Referred to spinal surgery: posterior wall involvement.' : 'Recent fracture, pain manageable: conservative care first.',
        contraindications: [],
        overrideReason: '',
      },
    })
    return call(zoe, 'consultations.sign', { id: n.id, version: n.version, ...pw })
  }
  const openRequest = async (patientId: number) => (await call(desk, 'procedureRequests.list', { status: 'open' })).find((r) => r.patientId === patientId)!

  /** The procedure day from the suite's appointment: note, recovery and checks, stay decision, signed summary. */
  const procedureDay = async (patientId: number, kind: 'vertebroplasty' | 'kyphoplasty', levels: VertebralLevel[], appt: { id: number; version: number; startsAt: string; endsAt: string }, overnight: boolean) => {
    const startMs = Date.parse(appt.startsAt)
    let a = await status(desk, appt, 'arrived', new Date(startMs - 30 * 60_000))
    a = await status(desk, a, 'in_room', new Date(startMs))
    let p = await call(zoe, 'procedures.open', { patientId, appointmentId: appt.id })
    const date = p.fields.procedureDate
    const startedAt = new Date(startMs + 10 * 60_000).toISOString()
    const endedAt = new Date(startMs + (25 + 15 * levels.length) * 60_000).toISOString()
    setNow(new Date(Date.parse(endedAt) + 10 * 60_000))
    p = await call(zoe, 'procedures.save', { id: p.id, version: p.version, fields: { ...procedureFields(rng, kind, date, levels.length), startedAt, endedAt }, levels: levels.map((l) => levelFields(rng, kind, l)) })
    p = await call(zoe, 'procedures.sign', { id: p.id, version: p.version, ...pw })
    const r = recoveryFields(rng, endedAt, overnight)
    const arrived = Date.parse(r.arrivedAt!)
    // recovery and its checks as the afternoon goes, the stay decided after the last check, the departure later
    setNow(new Date(arrived + 95 * 60_000))
    let rec = await call(zoe, 'recovery.get', { procedureId: p.id })
    rec = await call(zoe, 'recovery.save', { procedureId: p.id, version: rec.version, fields: { ...r, departedAt: null } })
    const at = (minutes: number) => new Date(arrived + minutes * 60_000).toISOString()
    // every check the clinic's timetable asks for (0, 15, 30, 45, 60, 90 and 120 minutes), with the respiratory rate
    // and the Aldrete score recovering from sedation; the 15- and 45-minute ones (added later to the story) and the
    // recovery values draw nothing from the random stream, so that the rest of the seeded clinic stays as it was
    for (const minutes of [0, 15, 30, 45, 60, 90]) {
      const pain = Math.max(0, r.baselinePain! - (minutes > 60 ? 1 : 0))
      const recovering = recoveringCheck(minutes)
      const check = minutes % 30 === 0 ? { ...checkFields(rng, at(minutes), pain), ...recovering } : steadyCheck(at(minutes), pain, recovering)
      rec = await call(zoe, 'recovery.addCheck', { procedureId: p.id, check })
    }
    // the record rarely stands against going home (a symptomatic leak): the physician then says why all the same
    const override = rec.sameDayBlockers.length > 0 ? { overrideReason: 'Symptoms settled after an hour; lives five minutes away with her husband, who was told what to watch for.' } : {}
    await call(zoe, 'stays.decide', overnight ? { procedureId: p.id, disposition: 'overnight', reasons: ['livesAloneOrFar'], confirmOverCapacity: true } : { procedureId: p.id, disposition: 'sameDay', ...override })
    await status(zoe, a, 'completed', caller.now)
    setNow(new Date(Math.max(caller.now.getTime(), Date.parse(r.departedAt!)) + 5 * 60_000))
    // the two-hour check, when the patient was still there for it
    if (Date.parse(r.departedAt!) >= arrived + 120 * 60_000) {
      rec = await call(zoe, 'recovery.addCheck', { procedureId: p.id, check: steadyCheck(at(120), Math.max(0, r.baselinePain! - 1), recoveringCheck(120)) })
    }
    rec = await call(zoe, 'recovery.save', { procedureId: p.id, version: rec.version, fields: r })
    const last = rec
    let d = await call(zoe, 'discharge.open', { procedureId: p.id })
    d = await call(zoe, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: rng.pick(MEDICATIONS) } })
    d = await call(zoe, 'discharge.sign', { id: d.id, version: d.version, ...pw })
    return { procedure: p, recovery: last, discharge: d, date }
  }
  /** Books the follow-up visit `label` of a patient's procedure and records the visit on the day. */
  const followUpVisit = async (patientId: number, label: string, step: number, bookedOn: string) => {
    setNow(local(bookedOn, '09:00'))
    const f = (await call(desk, 'followUps.list', { status: 'proposed', patientId })).find((x) => x.label === label)!
    const visitDay = nextWorkdayFrom(f.targetDate)
    if (visitDay >= today) return null
    const [appt] = await book(patientId, 'post-procedure', visitDay, '11:00', bookedOn)
    setNow(local(bookedOn, '09:05'))
    await call(desk, 'followUps.markBooked', { id: f.id, version: f.version, appointmentId: appt!.id })
    return attend(appt!, async () => {
      const { odiScore: _score, ...fields } = visitFields(rng, visitDay, step, baseline())
      return call(zoe, 'followUpVisits.record', { followUpId: f.id, fields })
    })
  }

  // Łukasz Wiśniewski: consultation from his appointment, kyphoplasty at two levels, a same-day discharge with
  // a signed summary, his two-week visit, and an addendum to the procedure note.
  {
    const pid = patients[0]!
    const day = workday(-40)
    const [c] = await book(pid, 'new-consultation', day, '09:00', workday(-47))
    await attend(c!, () => consultation(pid, c!.id, day, ['T12', 'L1'], 'kyphoplasty'))
    const req = await openRequest(pid)
    const procDay = workday(-32)
    const [pa] = await book(pid, 'kyphoplasty', procDay, '14:00', addDays(day, 1))
    await call(desk, 'procedureRequests.markBooked', { id: req.id, version: req.version, appointmentId: pa!.id })
    const done = await procedureDay(pid, 'kyphoplasty', ['T12', 'L1'], pa!, false)
    // a check typed into the wrong patient's bay, entered in error
    setNow(new Date(caller.now.getTime() + 60_000))
    const wrong = done.recovery.checks.at(-1)!
    await call(zoe, 'recovery.markCheckInError', { checkId: wrong.id, reason: 'Recorded for the patient in the next bay' })
    await followUpVisit(pid, '2 weeks', 0, nextWorkdayFrom(addDays(done.date, 2)))
    setNow(local(workday(-10), '12:30'))
    await call(zoe, 'procedures.addAddendum', { id: done.procedure.id, text: 'Addendum: cement volume at L1 confirmed from the injector log as recorded.', ...pw })
  }

  // Nguyễn Thị Mai: conservative care first; the reassessment visit booked against the plan finds it failed,
  // and vertebroplasty is decided (its request waits for the front desk to book).
  {
    const pid = patients[1]!
    const day = workday(-58)
    const [c] = await book(pid, 'new-consultation', day, '10:00', workday(-60))
    const note = await attend(c!, () => consultation(pid, c!.id, day, ['L2'], 'continueConservative'))
    const plan = note.carePlan!
    const [r] = await book(pid, 'follow-up', plan.reassessmentDate, '10:30', addDays(day, 1))
    setNow(local(addDays(day, 1), '08:40'))
    await call(desk, 'care.linkAppointment', { planId: plan.id, version: plan.version, appointmentId: r!.id })
    await attend(r!, async () => {
      const again = await consultation(pid, r!.id, plan.reassessmentDate, ['L2'], 'vertebroplasty', true)
      const current = (await call(zoe, 'consultations.get', { id: note.id })).carePlan!
      await call(zoe, 'care.recordOutcome', { planId: plan.id, version: current.version, outcome: 'failed', reason: 'Pain still limits walking after six weeks of bracing and analgesia', consultationId: again.id })
    })
  }

  // Дмитрий Иванов: vertebroplasty with an overnight stay (beds confirmed over capacity when full), an addendum to
  // the summary, and a two-week visit recorded twice: the first entered in error.
  {
    const pid = patients[2]!
    const day = workday(-36)
    const [c] = await book(pid, 'new-consultation', day, '11:00', workday(-42))
    await attend(c!, () => consultation(pid, c!.id, day, ['T11'], 'vertebroplasty'))
    const req = await openRequest(pid)
    const procDay = workday(-29)
    const [pa] = await book(pid, 'vertebroplasty', procDay, '14:00', addDays(day, 1))
    await call(desk, 'procedureRequests.markBooked', { id: req.id, version: req.version, appointmentId: pa!.id })
    const done = await procedureDay(pid, 'vertebroplasty', ['T11'], pa!, true)
    setNow(new Date(caller.now.getTime() + 2 * 3600_000))
    await call(zoe, 'discharge.addAddendum', { id: done.discharge.id, text: 'Addendum: stayed overnight as planned; home the next morning with his son.', ...pw })
    const visit = await followUpVisit(pid, '2 weeks', 0, nextWorkdayFrom(addDays(done.date, 2)))
    if (visit) {
      setNow(new Date(caller.now.getTime() + 30 * 60_000))
      await call(manager, 'followUpVisits.markEnteredInError', { visitId: visit.id, reason: 'Scores entered from another patient’s form' })
      const { odiScore: _score, ...fields } = visitFields(rng, visit.fields.visitDate, 0, baseline())
      await call(zoe, 'followUpVisits.record', { followUpId: visit.followUpId, fields })
    }
  }

  // 王伟: a consultation opened for the wrong patient is entered in error; the right one leads to vertebroplasty,
  // whose signed summary is entered in error (wrong medication list) and written again as a draft.
  {
    const pid = patients[3]!
    const day = workday(-26)
    setNow(local(day, '13:00'))
    const wrong = await consultation(pid, undefined, day, ['L1'], 'refer')
    setNow(local(day, '13:20'))
    await call(manager, 'consultations.markEnteredInError', { id: wrong.id, reason: 'Wrong patient selected' })
    setNow(local(day, '13:30'))
    await consultation(pid, undefined, day, ['L1'], 'vertebroplasty')
    const req = await openRequest(pid)
    const procDay = workday(-20)
    const [pa] = await book(pid, 'vertebroplasty', procDay, '14:00', addDays(day, 1))
    await call(desk, 'procedureRequests.markBooked', { id: req.id, version: req.version, appointmentId: pa!.id })
    const done = await procedureDay(pid, 'vertebroplasty', ['L1'], pa!, false)
    setNow(new Date(caller.now.getTime() + 45 * 60_000))
    await call(zoe, 'discharge.markEnteredInError', { id: done.discharge.id, reason: 'Wrong medication list' })
    const fresh = await call(zoe, 'discharge.open', { procedureId: done.procedure.id })
    await call(zoe, 'discharge.save', { id: fresh.id, version: fresh.version, fields: { ...fresh.fields, medications: MEDICATIONS[0]! } })
  }

  // Zofia Kowalczyk: a missed visit, a moved one, a cancelled one, a fortnightly series, and (on a weekday) today's
  // board with her checked in.
  {
    const pid = patients[4]!
    const [missed] = await book(pid, 'follow-up', workday(-3), '15:00', workday(-8))
    await status(desk, missed!, 'noshow', local(workday(-3), '15:40'))
    const [later] = await book(pid, 'follow-up', workday(4), '15:00', workday(-2))
    setNow(local(workday(-1), '09:00'))
    await call(desk, 'schedule.appointments.move', { id: later!.id, version: later!.version, startsAt: local(workday(5), '15:30').toISOString() })
    const [cancel] = await book(pid, 'follow-up', workday(6), '16:00', workday(-2))
    await status(desk, cancel!, 'cancelled', local(workday(-1), '09:10'), 'Patient request: daughter cannot drive her that day')
    await book(pid, 'follow-up', workday(7), '16:30', workday(-1), { repeat: { everyWeeks: 2, times: 3 } })
    if (weekdayOf(today) <= 5) {
      // the board: Ingrid Søndergaard with the physician, Zofia Kowalczyk early and waiting
      const [seen] = await book(patients[5]!, 'follow-up', today, '08:30', workday(-1))
      const waiting = await status(desk, seen!, 'arrived', local(today, '08:20'))
      await status(desk, waiting, 'in_room', local(today, '08:32'))
      const [now] = await book(pid, 'follow-up', today, '16:00', workday(-1))
      await status(desk, now!, 'arrived', local(today, '08:40'))
    }
  }

  // Ingrid Søndergaard: her clinical history recorded from the chart, and a referral to spinal surgery.
  {
    const pid = patients[5]!
    const day = workday(-15)
    setNow(local(day, '12:00'))
    const chart = await call(zoe, 'chart.get', { patientId: pid })
    await call(zoe, 'chart.updateHistory', {
      patientId: pid,
      version: chart.header.historyVersion,
      history: { ...chart.header.history, allergies: 'Iodinated contrast (hives)', allergyContrast: true, anticoagulants: 'Apixaban 5 mg twice daily', osteoporosis: true, asaClass: 3, dexaTScore: -3.1, dexaDate: addDays(day, -120) },
    })
    await consultation(pid, undefined, day, ['T8', 'T9'], 'refer')
  }

  // ---- the bulk history's recent procedures: their discharge summaries ----
  const users = new Map(Object.values(o.staff).map((u) => [u.id, u]))
  const since = addDays(today, -RECENT_DAYS)
  const recent = await o.db
    .selectFrom('procedures as p')
    .innerJoin('stay_decisions as s', 's.procedure_id', 'p.id')
    .leftJoin('signatures as g', (j) => j.onRef('g.record_id', '=', 'p.id').on('g.record_type', '=', 'procedure'))
    .select(['p.id', 'p.provider_id', 'p.ended_at', 's.decided_at', 'g.signed_at'])
    .where('p.procedure_date', '>=', since)
    .where('p.id', 'not in', o.db.selectFrom('entered_in_error').select('record_id').where('record_type', '=', 'procedure'))
    .where('p.id', 'not in', o.db.selectFrom('discharge_summaries').select('procedure_id'))
    .orderBy('p.procedure_date', 'desc')
    .orderBy('p.id', 'desc')
    .limit(RECENT_MAX)
    .execute()
  let summaries = 0
  for (const p of recent.reverse()) {
    const surgeon = users.get(p.provider_id)
    if (!surgeon) continue
    // written after the stay decision (and after the note's signature, which the bulk signs that evening)
    setNow(new Date(Math.max(Date.parse(p.decided_at), p.signed_at ? Date.parse(p.signed_at) : 0) + 20 * 60_000))
    let d = await call(surgeon, 'discharge.open', { procedureId: p.id })
    d = await call(surgeon, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: rng.pick(MEDICATIONS) } })
    if (p.signed_at) await call(surgeon, 'discharge.sign', { id: d.id, version: d.version, ...pw })
    summaries++
  }
  return { calls: caller.calls, patients, dischargeSummaries: summaries }
}
