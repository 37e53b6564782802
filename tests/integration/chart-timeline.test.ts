/**
 * Issue 17, points 8 and 9, through the router on each engine: the chart's timeline holds every kind of record
 * newest first (consultations, care plan and reassessment, procedure request, the procedure with its levels,
 * recovery, the stay decision, the discharge summary, follow-up visits, an addendum, entered-in-error marks),
 * each keeps its status, the filter shows one kind at a time, and the spine marks the treated level with its
 * date and kind beside a new fracture at the next level.
 */
import { afterEach, beforeEach, expect, it } from 'vitest'
import { filterTimeline } from '../../shared/chartTimeline'
import type { ChartView } from '../../shared/schemas/chart'
import { describeEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

describeEachEngine('the chart timeline and treated levels on %s', (engine) => {
  let clinic: Clinic
  let doc: string
  let desk: string
  let manager: string
  let patientId: number
  let procedureId: number

  /** Moves the clinic's clock (and unlocks the windows the idle lock closed on the way). */
  async function at(iso: string) {
    clinic.clock.now = new Date(iso)
    for (const w of [doc, desk, manager]) await clinic.ok(w, 'session.unlock', { password: PASSWORD })
  }

  async function signedNote(opts: { visitDate: string; findings?: { level: 'L1' | 'T12'; imagingDate: string }[]; plan?: { bracing: string; startDate: string }; decision?: { decision: 'kyphoplasty' | 'continueConservative'; levels: 'L1'[] } }) {
    let n = await clinic.ok(doc, 'consultations.open', { patientId, visitDate: opts.visitDate })
    n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: opts.visitDate, chiefComplaint: 'Back pain', painNrs: 8, odiAnswers: null } })
    if (opts.findings) {
      const findings = opts.findings.map((f) => ({ ...f, modality: 'mri' as const, acuity: 'acute' as const, marrowOedema: true, heightLossPercent: 30 }))
      n = await clinic.ok(doc, 'consultations.saveFindings', { consultationId: n.id, version: n.version, findings })
    }
    if (opts.plan) n = await clinic.ok(doc, 'consultations.saveCarePlan', { consultationId: n.id, version: n.version, plan: opts.plan })
    if (opts.decision) n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: opts.decision })
    return clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
  }

  beforeEach(async () => {
    clinic = await openClinic({ engine })
    doc = await clinic.as('physician', 'drbones')
    desk = await clinic.as('frontDesk', 'desk')
    manager = await clinic.as('manager', 'boss')
    patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id

    // October: a brace; November: it failed, an acute L1 fracture, kyphoplasty decided
    await at('2026-10-01T14:00:00.000Z')
    const first = await signedNote({ visitDate: '2026-10-01', plan: { bracing: 'TLSO brace', startDate: '2026-10-01' }, decision: { decision: 'continueConservative', levels: [] } })
    await at('2026-11-30T14:00:00.000Z')
    await clinic.ok(doc, 'care.recordOutcome', { planId: first.carePlan!.id, version: first.carePlan!.version, outcome: 'failed', reason: 'Pain 8/10 despite the brace' })
    await at('2026-11-30T14:30:00.000Z')
    await signedNote({ visitDate: '2026-11-30', findings: [{ level: 'L1', imagingDate: '2026-11-20' }], decision: { decision: 'kyphoplasty', levels: ['L1'] } })

    // 3 December: the procedure day (New York is UTC-5: 15:00Z is 10:00 at the clinic)
    await at('2026-12-03T15:00:00.000Z')
    let p = await clinic.ok(doc, 'procedures.open', { patientId })
    procedureId = p.id
    await at('2026-12-03T16:00:00.000Z')
    p = await clinic.ok(doc, 'procedures.save', {
      id: p.id,
      version: p.version,
      fields: {
        kind: 'kyphoplasty',
        procedureDate: '2026-12-03',
        anaesthesia: 'moderateSedation',
        fluoroscopySeconds: 120,
        startedAt: '2026-12-03T15:05:00Z',
        endedAt: '2026-12-03T15:40:00Z',
        narrative: 'Bipedicular kyphoplasty at L1.',
        diagnoses: [{ code: 'M80.08XA', description: 'Age-related osteoporosis with current pathological fracture, vertebra' }],
      },
      levels: [
        {
          level: 'L1',
          approach: 'bipedicular',
          needleGauge: 11,
          balloonVolumeMl: 3.2,
          balloonPressurePsi: 220,
          cementType: 'PMMA',
          cementVolumeMl: 4.5,
          heightBefore: { anterior: 14, middle: 12, posterior: 24 },
          heightAfter: { anterior: 18, middle: 16, posterior: 24 },
          leakage: ['none'],
        },
      ],
    })
    await clinic.ok(doc, 'procedures.sign', { id: p.id, version: p.version, password: PASSWORD })
    await at('2026-12-03T16:50:00.000Z')
    await clinic.ok(doc, 'stays.decide', { procedureId, disposition: 'overnight', reasons: ['uncontrolledPain'] })
    await at('2026-12-03T17:10:00.000Z')
    let d = await clinic.ok(doc, 'discharge.open', { procedureId })
    d = await clinic.ok(doc, 'discharge.save', { id: d.id, version: d.version, fields: { ...d.fields, medications: 'Paracetamol 1 g four times a day as needed' } })
    await clinic.ok(doc, 'discharge.sign', { id: d.id, version: d.version, password: PASSWORD })
    await at('2026-12-03T17:30:00.000Z')
    const r = await clinic.ok(doc, 'recovery.get', { procedureId })
    await clinic.ok(doc, 'recovery.save', {
      procedureId,
      version: r.version,
      fields: { ...r.fields, supineStartedAt: '2026-12-03T15:45:00Z', supineEndedAt: '2026-12-03T16:10:00Z', arrivedAt: '2026-12-03T16:15:00Z', departedAt: '2026-12-03T17:20:00Z', baselinePain: 3 },
    })
    await at('2026-12-04T15:00:00.000Z')
    await clinic.ok(doc, 'procedures.addAddendum', { id: procedureId, text: 'No cement outside the vertebral body on the final image.', password: PASSWORD })

    // 14 December: the two-week visit, recorded, put in error, recorded again; a new fracture at T12
    await at('2026-12-14T15:00:00.000Z')
    const twoWeeks = (await clinic.ok(desk, 'followUps.list', { patientId })).find((f) => f.label === '2 weeks')!
    const visit = { visitDate: '2026-12-14', painNrs: 2, odiAnswers: null, newFracture: true, newFractureLevels: ['T12' as const] }
    const v = await clinic.ok(doc, 'followUpVisits.record', { followUpId: twoWeeks.id, fields: visit })
    await at('2026-12-14T15:30:00.000Z')
    await clinic.ok(doc, 'followUpVisits.markEnteredInError', { visitId: v.id, reason: 'Pain recorded on the wrong scale' })
    await at('2026-12-14T15:45:00.000Z')
    await clinic.ok(doc, 'followUpVisits.record', { followUpId: twoWeeks.id, fields: { ...visit, painNrs: 3 } })
    // 15 December: the new fracture imaged, next to the cemented level
    await at('2026-12-15T15:00:00.000Z')
    await signedNote({ visitDate: '2026-12-15', findings: [{ level: 'T12', imagingDate: '2026-12-15' }] })
    // 16 December: a note opened on the wrong patient and put in error
    await at('2026-12-16T15:00:00.000Z')
    const wrong = await clinic.ok(doc, 'consultations.open', { patientId, visitDate: '2026-12-16' })
    await at('2026-12-16T15:10:00.000Z')
    await clinic.ok(doc, 'consultations.markEnteredInError', { id: wrong.id, reason: 'Opened on the wrong patient' })
  }, 60_000)
  afterEach(async () => clinic?.close())

  const rows = (c: ChartView) => c.timeline.map((i) => [i.date, i.kind, i.status, i.enteredInError])

  it('every kind of record is on the timeline, newest first, with its status; entered in error is flagged, never hidden', async () => {
    const chart = await clinic.ok(doc, 'chart.get', { patientId })
    expect(rows(chart)).toEqual([
      ['2026-12-16', 'enteredInError', 'Entered in error', false],
      ['2026-12-16', 'consultation', 'Entered in error', true],
      ['2026-12-15', 'consultation', 'Signed', false],
      ['2026-12-14', 'followUp', 'Recorded', false],
      ['2026-12-14', 'enteredInError', 'Entered in error', false],
      ['2026-12-14', 'followUp', 'Entered in error', true],
      ['2026-12-04', 'addendum', 'Signed', false],
      ['2026-12-03', 'dischargeSummary', 'Signed', false],
      ['2026-12-03', 'stayDecision', 'Decided', false],
      ['2026-12-03', 'recovery', 'Departed', false],
      ['2026-12-03', 'procedure', 'Signed', false],
      ['2026-11-30', 'procedureRequest', expect.any(String), false],
      ['2026-11-30', 'consultation', 'Signed', false],
      ['2026-11-30', 'reassessment', 'failed', false],
      ['2026-10-01', 'consultation', 'Signed', false],
      ['2026-10-01', 'conservativeCare', 'Reassessed: failed', false],
    ])
    const one = (kind: string) => chart.timeline.find((i) => i.kind === kind)!
    expect(one('procedure')).toMatchObject({ title: 'Kyphoplasty L1 by physician drbones', detail: 'L1 bipedicular, 4.5 mL cement', procedureId, consultationId: null })
    // the clinic's times, not UTC's
    expect(one('recovery')).toMatchObject({ detail: 'Supine from 10:45 until 11:10; in the observation bay from 11:15 until 12:20', procedureId })
    expect(one('stayDecision')).toMatchObject({ title: 'Stay decision: Overnight stay', detail: 'Decided by physician drbones; reasons: Uncontrolled pain' })
    expect(one('dischargeSummary')).toMatchObject({ title: 'Discharge summary by physician drbones', detail: 'Medications: Paracetamol 1 g four times a day as needed', procedureId })
    expect(one('addendum').title).toBe('Addendum to the procedure note (L1) of 2026-12-03 by physician drbones')
    expect(one('followUp')).toMatchObject({ title: 'Follow-up visit (2 weeks)', detail: 'Pain 3/10 · new fracture at T12', procedureId })
    expect(chart.timeline.filter((i) => i.kind === 'enteredInError').map((i) => [i.title, i.detail])).toEqual([
      ['Consultation note of 2026-12-16 marked entered in error by physician drbones', 'Opened on the wrong patient'],
      ['Follow-up visit (2 weeks) of 2026-12-14 marked entered in error by physician drbones', 'Pain recorded on the wrong scale'],
    ])
  })

  it('the filter shows one kind at a time in the same order, and "All" shows everything', async () => {
    const { timeline } = await clinic.ok(doc, 'chart.get', { patientId })
    const kinds = (f: Parameters<typeof filterTimeline>[1]) => filterTimeline(timeline, f).map((i) => [i.date, i.kind])
    expect(filterTimeline(timeline, 'all')).toEqual(timeline)
    expect(kinds('procedures')).toEqual([
      ['2026-12-03', 'procedure'],
      ['2026-11-30', 'procedureRequest'],
    ])
    expect(kinds('recovery')).toEqual([
      ['2026-12-03', 'stayDecision'],
      ['2026-12-03', 'recovery'],
    ])
    expect(kinds('discharge')).toEqual([['2026-12-03', 'dischargeSummary']])
    expect(kinds('followUps')).toEqual([
      ['2026-12-14', 'followUp'],
      ['2026-12-14', 'followUp'],
    ])
    expect(kinds('care')).toEqual([
      ['2026-11-30', 'reassessment'],
      ['2026-10-01', 'conservativeCare'],
    ])
    expect(kinds('consultations').map(([d]) => d)).toEqual(['2026-12-16', '2026-12-15', '2026-11-30', '2026-10-01'])
    expect(kinds('corrections')).toEqual([
      ['2026-12-16', 'enteredInError'],
      ['2026-12-14', 'enteredInError'],
      ['2026-12-04', 'addendum'],
    ])
  })

  it('the spine marks the treated level with its date and kind beside the new fracture next to it', async () => {
    const { spine } = await clinic.ok(doc, 'chart.get', { patientId })
    const level = (l: string) => spine.find((s) => s.level === l)!
    expect(level('L1')).toMatchObject({ findingCount: 1, treated: true, treatments: [{ procedureId, date: '2026-12-03', kind: 'kyphoplasty', noteStatus: 'signed' }] })
    expect(level('T12')).toMatchObject({ findingCount: 1, treated: false, treatments: [], latest: { acuity: 'acute', imagingDate: '2026-12-15' } })
    expect(spine.filter((s) => s.treated).map((s) => s.level)).toEqual(['L1'])
  })

  it('a procedure entered in error treats nothing, and its day stays on the timeline struck through with the mark beside it', async () => {
    await at('2026-12-17T15:00:00.000Z')
    await clinic.ok(manager, 'procedures.markEnteredInError', { id: procedureId, reason: 'Recorded on the wrong patient' })
    const chart = await clinic.ok(doc, 'chart.get', { patientId })
    expect(chart.spine.find((s) => s.level === 'L1')).toMatchObject({ treated: false, treatments: [] })
    const ofProcedure = chart.timeline.filter((i) => i.procedureId === procedureId && i.kind !== 'enteredInError')
    expect(ofProcedure.map((i) => [i.kind, i.enteredInError])).toEqual([
      ['followUp', true],
      ['followUp', true],
      ['addendum', true],
      ['dischargeSummary', true],
      ['stayDecision', true],
      ['recovery', true],
      ['procedure', true],
    ])
    expect(chart.timeline.find((i) => i.kind === 'procedure')!.status).toBe('Entered in error')
    expect(chart.timeline[0]).toMatchObject({
      date: '2026-12-17',
      kind: 'enteredInError',
      title: 'Procedure note (L1) of 2026-12-03 marked entered in error by manager boss',
      detail: 'Recorded on the wrong patient',
      procedureId,
    })
  })
})
