/**
 * How many SQL statements the hot paths issue, as a bound (issue 22: "statements per booking and per chart at
 * today's count or fewer"). A timing moves with the machine's load; a count does not. A new N+1 query (one
 * statement per consultation, per level, per follow-up...) or an extra round trip shows here as a failing
 * count on every machine, not as a slower run someone has to notice in the bench.
 *
 * What is counted: every statement Kysely runs for the call, through openDatabase's `onQuery` hook (Kysely's
 * `log` option, the hook the query-plan tests use). That includes the session check, the reads, the audit
 * entry the call writes (opening a chart or a record is audited; a booking audits itself) and the transaction's
 * BEGIN/COMMIT where Kysely issues them. A statement run on the raw driver, outside Kysely, would not be seen
 * (on these paths the audit writes go through Kysely: they are in the figures below).
 *
 * The chart is a realistic small one built through the router as the clinic records it: a signed consultation
 * with a finding and a kyphoplasty decision, the signed procedure note (two levels), a same-day stay decision,
 * the signed discharge summary (which proposes the follow-ups) and the 2-week follow-up visit recorded.
 * Each call is made once, uncounted, before it is counted, so a first-call cache does not decide the figure.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'
import { local } from './scheduleFixture'

describeEachEngine('statements per call on %s', (engine) => {
  let clinic: Clinic
  let doc: string
  let desk: string
  let patientId: number
  let recording: string[] | null = null

  /** The statements `call` issues, in order. */
  async function statementsOf(call: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = []
    recording = seen
    try {
      await call()
    } finally {
      recording = null
    }
    return seen
  }

  beforeAll(async () => {
    clinic = await openClinic({ engine, onQuery: (sql) => recording?.push(sql) })
    doc = await clinic.as('physician', 'drbones')
    desk = await clinic.as('frontDesk', 'desk')
    patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id

    // the consultation deciding kyphoplasty at T12 and L1
    let n = await clinic.ok(doc, 'consultations.open', { patientId })
    n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: n.fields.visitDate, chiefComplaint: 'Back pain after a fall', painNrs: 8, odiAnswers: null } })
    n = await clinic.ok(doc, 'consultations.saveFindings', {
      consultationId: n.id,
      version: n.version,
      findings: [{ level: 'T12', modality: 'mri', imagingDate: '2026-11-20', acuity: 'subacute', marrowOedema: true, heightLossPercent: 30 }],
    })
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'kyphoplasty', levels: ['T12', 'L1'], reason: 'Failed conservative care' } })
    await clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })

    // the procedure, the stay and the discharge summary
    let p = await clinic.ok(doc, 'procedures.open', { patientId })
    p = await clinic.ok(doc, 'procedures.save', {
      id: p.id,
      version: p.version,
      fields: { kind: 'kyphoplasty', procedureDate: '2026-11-30', anaesthesia: 'moderateSedation', startedAt: '2026-11-30T12:30:00Z', endedAt: '2026-11-30T13:05:00Z' },
      levels: (['T12', 'L1'] as const).map((level) => ({ level, approach: 'bipedicular' as const, needleGauge: 11, balloonVolumeMl: 3, balloonPressurePsi: 200, cementType: 'PMMA', cementVolumeMl: 3.5, leakage: ['none' as const] })),
    })
    p = await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    await clinic.ok(doc, 'stays.decide', { procedureId: p.id, disposition: 'sameDay', overrideReason: 'Recovery recorded on paper during a network outage' })
    const d = await clinic.ok(doc, 'discharge.open', { procedureId: p.id })
    await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })

    // two weeks later, the 2-week follow-up visit
    clinic.clock.now = new Date('2026-12-15T15:00:00.000Z')
    for (const w of [doc, desk]) await clinic.ok(w, 'session.unlock', { password: PASSWORD })
    const [twoWeeks] = await clinic.ok(desk, 'followUps.list', { patientId })
    await clinic.ok(doc, 'followUpVisits.record', {
      followUpId: twoWeeks!.id,
      fields: { visitDate: '2026-12-14', painNrs: 3, odiAnswers: [1, 1, 1, 1, 1, null, 1, 1, 1, 1], analgesics: 'none', brace: 'none', newFracture: false, newFractureLevels: [], complications: [], satisfaction: 'satisfied' },
    })
  }, 60_000)
  afterAll(async () => clinic?.close())

  /**
   * Today's counts (measured 2026-12-06 on this chart), per engine:
   *   chart.get            SQLite 19 = session check, patient, settings, 12 reads of the chart's parts (one
   *                        statement per kind of record for the whole patient, never one per record), then the
   *                        audit entry: BEGIN IMMEDIATE, the chain's last hash, the INSERT, COMMIT (4).
   *                        PostgreSQL 16 = the same 15 reads; the audit entry is one statement (a CTE taking the
   *                        chain's lock, reading its head and inserting), no separate BEGIN/COMMIT.
   *   patients.get         SQLite 6 = session check, patient, audit entry (4). PostgreSQL 3 = session, patient, audit.
   *   schedule book        9 on both = session check, BEGIN, one read of the settings, patient, type, provider
   *                        and rooms (JSON subqueries; five statements until 2026-12-07), clinic hours, one UNION ALL
   *                        for every clash (provider, patient, rooms, bay), INSERT ... RETURNING, audit (the chain's
   *                        last hash, then the INSERT), COMMIT.
   * A bound, not an equality: a change that saves a statement passes (lower the figure here when it lands).
   */
  const BOUNDS: Record<typeof engine, { chart: number; record: number; book: number }> = {
    sqlite: { chart: 19, record: 6, book: 9 },
    postgres: { chart: 16, record: 3, book: 9 },
  }

  it('opening the chart issues no more statements than today', async () => {
    const chart = () => clinic.ok(doc, 'chart.get', { patientId })
    const view = await chart()
    // the chart counted is the one described above (else a smaller chart could pass a bound it should fail)
    expect(view.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['consultation', 'procedure', 'dischargeSummary', 'followUp']))
    const s = await statementsOf(chart)
    expect(s.length, s.join('\n')).toBeLessThanOrEqual(BOUNDS[engine].chart)
  })

  it('opening the patient record issues no more statements than today', async () => {
    const record = () => clinic.ok(desk, 'patients.get', { id: patientId })
    await record()
    const s = await statementsOf(record)
    expect(s.length, s.join('\n')).toBeLessThanOrEqual(BOUNDS[engine].record)
  })

  it('booking one appointment issues no more statements than today', async () => {
    const setup = await clinic.ok(desk, 'schedule.setup.get')
    const providerId = setup.providers.find((x) => x.displayName.endsWith('drbones'))!.id
    const typeId = setup.types.find((t) => t.code === 'follow-up')!.id
    // the patient already has an appointment that week, so the clash check has rows to weigh
    await clinic.ok(desk, 'schedule.appointments.book', { patientId, typeId, providerId, startsAt: local('2026-12-16', '10:00') })
    const s = await statementsOf(() => clinic.ok(desk, 'schedule.appointments.book', { patientId, typeId, providerId, startsAt: local('2026-12-17', '10:00') }))
    expect(s.length, s.join('\n')).toBeLessThanOrEqual(BOUNDS[engine].book)
    const { upcoming } = await clinic.ok(desk, 'schedule.appointments.forPatient', { patientId })
    expect(upcoming.map((a) => a.startsAt)).toEqual([local('2026-12-16', '10:00'), local('2026-12-17', '10:00')])
  })
})
