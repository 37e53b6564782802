import { describe, expect, it } from 'vitest'
import { buildTimeline, compareTimelineItems, filterTimeline, mergeTimeline, TIMELINE_FILTERS, timelineFilterCounts, treatmentsByLevel, type TimelineSources } from '../../shared/chartTimeline'
import { TIMELINE_KINDS, type TimelineItem } from '../../shared/schemas/chart'

/**
 * One patient's year, in the clinic's zone (New York, UTC-5 in December): two consultations, a failed brace,
 * a kyphoplasty of L1 then T12 with its recovery, same-day discharge and summary, an addendum, a follow-up
 * visit entered in error, a vertebroplasty note entered in error, a draft note entered in error, and a draft
 * procedure note of the day.
 */
function sources(): TimelineSources {
  return {
    timeZone: 'America/New_York',
    consultations: [
      { id: 1, visitDate: '2026-10-01', createdAt: '2026-10-01T14:00:00.000Z', providerName: 'Dr Bones', chiefComplaint: 'Back pain', decision: 'continueConservative', decisionLevels: [] },
      { id: 2, visitDate: '2026-11-30', createdAt: '2026-11-30T15:00:00.000Z', providerName: 'Dr Bones', chiefComplaint: 'Still 8/10', decision: 'kyphoplasty', decisionLevels: ['T12', 'L1'] },
      { id: 3, visitDate: '2026-12-20', createdAt: '2026-12-20T15:00:00.000Z', providerName: 'Dr Bones', chiefComplaint: 'Opened on the wrong patient', decision: null, decisionLevels: [] },
    ],
    carePlans: [
      {
        id: 5,
        consultationId: 1,
        startDate: '2026-10-01',
        // the same instant as its note: the plan follows from the note
        createdAt: '2026-10-01T14:00:00.000Z',
        bracing: 'TLSO',
        painMedication: 'Paracetamol',
        otherMeasures: '',
        reassessmentDate: '2026-11-12',
        outcome: 'failed',
        outcomeAt: '2026-11-30T14:30:00.000Z',
        outcomeReason: 'Still 8/10',
        outcomeConsultationId: 2,
      },
    ],
    procedureRequests: [{ id: 7, consultationId: 2, createdAt: '2026-11-30T15:30:00.000Z', kind: 'kyphoplasty', levels: ['T12', 'L1'], status: 'booked', cancelReason: '' }],
    procedures: [
      { id: 10, procedureDate: '2026-12-03', createdAt: '2026-12-03T19:30:00.000Z', startedAt: '2026-12-03T16:00:00.000Z', kind: 'kyphoplasty', providerName: 'Dr Bones' },
      { id: 11, procedureDate: '2026-12-10', createdAt: '2026-12-10T16:00:00.000Z', startedAt: null, kind: 'vertebroplasty', providerName: 'Dr Bones' },
      { id: 12, procedureDate: '2026-12-22', createdAt: '2026-12-22T16:00:00.000Z', startedAt: null, kind: 'vertebroplasty', providerName: 'Dr Bones' },
    ],
    procedureLevels: [
      // stored in any order: each procedure lists its levels in the order treated
      { procedureId: 10, treatedOrder: 2, level: 'T12', approach: 'unipedicular', cementVolumeMl: 3.5, leakage: 'none' },
      { procedureId: 10, treatedOrder: 1, level: 'L1', approach: 'bipedicular', cementVolumeMl: 4.5, leakage: 'segmentalVein,disc' },
      { procedureId: 11, treatedOrder: 1, level: 'T11', approach: null, cementVolumeMl: null, leakage: '' },
      { procedureId: 12, treatedOrder: 1, level: 'T10', approach: null, cementVolumeMl: null, leakage: '' },
    ],
    recoveries: [
      { procedureId: 10, supineStartedAt: '2026-12-03T17:05:00.000Z', supineEndedAt: '2026-12-03T17:35:00.000Z', arrivedAt: '2026-12-03T17:40:00.000Z', departedAt: '2026-12-03T19:10:00.000Z', updatedAt: '2026-12-03T19:11:00.000Z' },
    ],
    stays: [{ procedureId: 10, disposition: 'sameDay', reasons: [], otherText: '', note: 'Walking unaided', overCapacity: false, decidedAt: '2026-12-03T19:00:00.000Z', decidedByName: 'Dr Bones' }],
    dischargeSummaries: [{ id: 20, procedureId: 10, createdAt: '2026-12-03T18:50:00.000Z', providerName: 'Dr Bones', medications: 'Paracetamol 1 g as needed' }],
    followUpVisits: [
      {
        id: 30,
        procedureId: 10,
        label: '2 weeks',
        visitDate: '2026-12-17',
        recordedAt: '2026-12-17T16:00:00.000Z',
        painNrs: 2,
        odiScore: 20,
        newFractureLevels: ['T11'],
        complications: ['newFracture'],
        error: { at: '2026-12-18T15:00:00.000Z', byName: 'Mia Manager', reason: 'Recorded against the wrong follow-up' },
      },
    ],
    addenda: [{ id: 40, recordType: 'procedure', recordId: 10, authorName: 'Dr Bones', signedAt: '2026-12-04T15:00:00.000Z', text: 'Cement leak into the disc seen on the final image.' }],
    // the pathology of a level biopsied on 3 December, recorded days after the note was signed
    biopsyResults: [{ id: 50, procedureId: 10, level: 'L1', result: 'benign', text: 'Osteoporotic fracture, no tumour', recordedAt: '2026-12-08T15:00:00.000Z', recordedByName: 'Dr Path' }],
    signed: [
      { recordType: 'consultation', recordId: 1 },
      { recordType: 'consultation', recordId: 2 },
      { recordType: 'procedure', recordId: 10 },
      { recordType: 'dischargeSummary', recordId: 20 },
    ],
    marks: [
      { recordType: 'procedure', recordId: 11, markerName: 'Dr Bones', markedAt: '2026-12-11T15:00:00.000Z', reason: 'Wrong patient' },
      { recordType: 'consultation', recordId: 3, markerName: 'Dr Bones', markedAt: '2026-12-21T15:00:00.000Z', reason: 'Opened on the wrong patient' },
    ],
  }
}

describe('the chart timeline', () => {
  const timeline = buildTimeline(sources())
  const find = (kind: TimelineItem['kind'], id?: number) => timeline.find((i) => i.kind === kind && (id === undefined || i.ref.id === id))!

  it('holds every kind of record, newest first, each with its status', () => {
    expect(timeline.map((i) => [i.date, i.kind, i.status, i.enteredInError])).toEqual([
      ['2026-12-22', 'procedure', 'Draft (not signed)', false],
      ['2026-12-21', 'enteredInError', 'Entered in error', false],
      ['2026-12-20', 'consultation', 'Entered in error', true],
      ['2026-12-18', 'enteredInError', 'Entered in error', false],
      ['2026-12-17', 'followUp', 'Entered in error', true],
      ['2026-12-11', 'enteredInError', 'Entered in error', false],
      ['2026-12-10', 'procedure', 'Entered in error', true],
      ['2026-12-08', 'biopsyResult', 'Recorded', false],
      ['2026-12-04', 'addendum', 'Signed', false],
      ['2026-12-03', 'stayDecision', 'Decided', false],
      ['2026-12-03', 'dischargeSummary', 'Signed', false],
      ['2026-12-03', 'recovery', 'Departed', false],
      ['2026-12-03', 'procedure', 'Signed', false],
      ['2026-11-30', 'procedureRequest', 'booked', false],
      ['2026-11-30', 'consultation', 'Signed', false],
      ['2026-11-30', 'reassessment', 'failed', false],
      ['2026-10-01', 'consultation', 'Signed', false],
      ['2026-10-01', 'conservativeCare', 'Reassessed: failed', false],
    ])
    // every kind is there (documents come from documentTimelineItems, merged by the chart screen: document-timeline.test.ts)
    expect(new Set(timeline.map((i) => i.kind))).toEqual(new Set(TIMELINE_KINDS.filter((k) => k !== 'document' && k !== 'imagingStudy')))
  })

  it('says what each record was: levels in the order treated, clinic times, the stay, the visit, the corrections', () => {
    expect(find('procedure', 10)).toMatchObject({
      title: 'Kyphoplasty L1, T12 by Dr Bones',
      detail: 'L1 bipedicular, 4.5 mL cement, leak: segmental vein, disc; T12 unipedicular, 3.5 mL cement',
      procedureId: 10,
      consultationId: null,
    })
    // 17:05Z is 12:05 in New York in December
    expect(find('recovery')).toMatchObject({ title: 'Recovery after the kyphoplasty', detail: 'Supine from 12:05 until 12:35; in the observation bay from 12:40 until 14:10', procedureId: 10 })
    expect(find('stayDecision')).toMatchObject({ title: 'Stay decision: Same-day discharge home', detail: 'Decided by Dr Bones; Walking unaided' })
    expect(find('dischargeSummary')).toMatchObject({ title: 'Discharge summary by Dr Bones', detail: 'Medications: Paracetamol 1 g as needed', ref: { type: 'dischargeSummary', id: 20 } })
    expect(find('followUp')).toMatchObject({ title: 'Follow-up visit (2 weeks)', detail: 'Pain 2/10 · ODI 20% · new fracture at T11 · complications: New fracture' })
    expect(find('addendum')).toMatchObject({ title: 'Addendum to the procedure note (L1, T12) of 2026-12-03 by Dr Bones', procedureId: 10, consultationId: null })
    expect(timeline.filter((i) => i.kind === 'enteredInError').map((i) => [i.title, i.detail])).toEqual([
      ['Consultation note of 2026-12-20 marked entered in error by Dr Bones', 'Opened on the wrong patient'],
      ['Follow-up visit (2 weeks) of 2026-12-17 marked entered in error by Mia Manager', 'Recorded against the wrong follow-up'],
      ['Procedure note (T11) of 2026-12-10 marked entered in error by Dr Bones', 'Wrong patient'],
    ])
    expect(find('biopsyResult')).toMatchObject({
      title: 'Biopsy result at L1 (kyphoplasty of 2026-12-03): Benign (osteoporotic or other non-malignant)',
      detail: 'Recorded by Dr Path; Osteoporotic fracture, no tumour',
      ref: { type: 'procedure', id: 10 },
      procedureId: 10,
    })
    expect(find('procedureRequest')).toMatchObject({ title: 'Kyphoplasty requested: T12, L1', consultationId: 2 })
    expect(find('consultation', 2).detail).toBe('Still 8/10 - Kyphoplasty (T12, L1)')
  })

  it('a procedure entered in error puts its recovery, stay, summary and visits in error too, and never drops them', () => {
    const s = sources()
    s.marks.push({ recordType: 'procedure', recordId: 10, markerName: 'Dr Bones', markedAt: '2026-12-05T15:00:00.000Z', reason: 'Wrong patient' })
    const t = buildTimeline(s)
    const of10 = t.filter((i) => i.procedureId === 10 && i.kind !== 'enteredInError')
    expect(of10.map((i) => [i.kind, i.enteredInError])).toEqual([
      ['followUp', true],
      ['biopsyResult', true],
      ['addendum', true],
      ['stayDecision', true],
      ['dischargeSummary', true],
      ['recovery', true],
      ['procedure', true],
    ])
    expect(t).toHaveLength(timeline.length + 1)
  })

  it('a recovery record with no time recorded yet is not an entry; one with the supine rest only is', () => {
    const s = sources()
    const empty = { procedureId: 12, supineStartedAt: null, supineEndedAt: null, arrivedAt: null, departedAt: null, updatedAt: '2026-12-22T16:00:00.000Z' }
    s.recoveries = [empty]
    expect(buildTimeline(s).filter((i) => i.kind === 'recovery')).toEqual([])
    s.recoveries = [{ ...empty, supineStartedAt: '2026-12-22T17:00:00.000Z' }]
    expect(buildTimeline(s).find((i) => i.kind === 'recovery')).toMatchObject({
      date: '2026-12-22',
      at: '2026-12-22T17:00:00.000Z',
      status: 'Not yet in the bay',
      title: 'Recovery after the vertebroplasty',
      detail: 'Supine from 12:00',
    })
  })

  it('merging is newest first, by date, then instant, then what follows from what, and leaves its lists alone', () => {
    const item = (kind: TimelineItem['kind'], date: string, at: string, id = 1): TimelineItem => ({ kind, date, at, title: '', detail: '', status: '', ref: { type: kind, id }, consultationId: null, procedureId: null, enteredInError: false })
    const a = [item('consultation', '2026-01-02', '2026-01-02T10:00:00.000Z'), item('procedure', '2026-01-01', '2026-01-01T10:00:00.000Z')]
    const b = [item('addendum', '2026-01-02', '2026-01-02T10:00:00.000Z'), item('followUp', '2026-01-02', '2026-01-02T11:00:00.000Z')]
    const merged = mergeTimeline(a, b)
    expect(merged.map((i) => i.kind)).toEqual(['followUp', 'addendum', 'consultation', 'procedure'])
    expect(a.map((i) => i.kind)).toEqual(['consultation', 'procedure'])
    // the same kind at the same instant: the later record first, so the order never depends on reading order
    expect([item('procedure', '2026-01-01', 'x', 1), item('procedure', '2026-01-01', 'x', 2)].sort(compareTimelineItems).map((i) => i.ref.id)).toEqual([2, 1])
  })
})

describe('the timeline filter', () => {
  const timeline = buildTimeline(sources())

  it('"All" first and by default shows everything; every kind is in exactly one other choice', () => {
    expect(TIMELINE_FILTERS[0]).toMatchObject({ key: 'all', label: 'All' })
    expect(filterTimeline(timeline, 'all')).toEqual(timeline)
    const kinds = TIMELINE_FILTERS.slice(1).flatMap((f) => f.kinds)
    expect([...kinds].sort()).toEqual([...TIMELINE_KINDS].sort())
  })

  it('each choice keeps the timeline’s order and only its kinds; the counts add up', () => {
    expect(filterTimeline(timeline, 'procedures').map((i) => [i.date, i.kind])).toEqual([
      ['2026-12-22', 'procedure'],
      ['2026-12-10', 'procedure'],
      ['2026-12-08', 'biopsyResult'],
      ['2026-12-03', 'procedure'],
      ['2026-11-30', 'procedureRequest'],
    ])
    expect(filterTimeline(timeline, 'recovery').map((i) => i.kind)).toEqual(['stayDecision', 'recovery'])
    expect(filterTimeline(timeline, 'corrections').map((i) => i.kind)).toEqual(['enteredInError', 'enteredInError', 'enteredInError', 'addendum'])
    const counts = timelineFilterCounts(timeline)
    expect(counts).toEqual({ all: 18, consultations: 3, care: 2, procedures: 5, recovery: 2, discharge: 1, followUps: 1, corrections: 4, documents: 0, imaging: 0 })
    expect(Object.entries(counts).filter(([k]) => k !== 'all').reduce((n, [, v]) => n + v, 0)).toBe(counts.all)
  })

  it('an unknown choice (an old saved address) shows everything rather than an empty timeline', () => {
    expect(filterTimeline(timeline, 'nonsense' as never)).toHaveLength(timeline.length)
  })
})

describe('treated levels for the spine', () => {
  it('each level lists its procedures newest first with date, kind and note status; one entered in error treated nothing', () => {
    const byLevel = treatmentsByLevel(sources())
    expect(Object.fromEntries(byLevel)).toEqual({
      L1: [{ procedureId: 10, date: '2026-12-03', kind: 'kyphoplasty', noteStatus: 'signed' }],
      T12: [{ procedureId: 10, date: '2026-12-03', kind: 'kyphoplasty', noteStatus: 'signed' }],
      T10: [{ procedureId: 12, date: '2026-12-22', kind: 'vertebroplasty', noteStatus: 'draft' }],
    })
    expect(byLevel.has('T11')).toBe(false)
  })

  it('a level treated twice lists the later procedure first', () => {
    const s = sources()
    s.procedureLevels.push({ procedureId: 12, treatedOrder: 2, level: 'L1', approach: null, cementVolumeMl: null, leakage: '' })
    expect(treatmentsByLevel(s).get('L1')!.map((t) => t.procedureId)).toEqual([12, 10])
  })
})
