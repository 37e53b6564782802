/** The "what is missing" rules behind the sign / record confirmations (issue 23 point 2), at their boundaries. */
import { describe, expect, it } from 'vitest'
import { consultationMissing, dischargeMissing, followUpVisitMissing, type ConsultationForCompleteness } from '../../shared/clinical/completeness'

const coverage = (met: number) => ({
  metCount: met,
  items: ['Pain despite care', 'Acute fracture on imaging', 'Function limited', 'Osteoporosis assessed', 'No contraindication'].map((label, i) => ({ label, met: i < met })),
})

const full: ConsultationForCompleteness = {
  fields: { chiefComplaint: 'Back pain', history: 'Lifting', painNrs: 7, examination: 'Tender T12', assessment: 'Acute T12 fracture', plan: 'Kyphoplasty' },
  findings: [{}],
  decision: { decision: 'kyphoplasty' },
  coverage: coverage(3),
}

describe('consultationMissing', () => {
  it('names every empty part of an empty consultation, in the screen words', () => {
    const empty: ConsultationForCompleteness = {
      fields: { chiefComplaint: '', history: '  ', painNrs: null, examination: '', assessment: '', plan: '' },
      findings: [],
      decision: { decision: null },
      coverage: coverage(0),
    }
    expect(consultationMissing(empty)).toEqual([
      'Chief complaint',
      'History of present illness',
      'Pain now (0-10)',
      'Examination',
      'Imaging findings (none recorded)',
      'Assessment',
      'Plan',
      'Candidacy decision',
    ])
  })
  it('asks nothing of a complete note', () => {
    expect(consultationMissing(full)).toEqual([])
  })
  it('a pain of 0 is an answer, not a gap', () => {
    expect(consultationMissing({ ...full, fields: { ...full.fields, painNrs: 0 } })).toEqual([])
  })
  it('a procedure request with coverage at 0 of 5 names the points; 1 of 5 does not ask', () => {
    const zero = consultationMissing({ ...full, coverage: coverage(0) })
    expect(zero).toHaveLength(1)
    expect(zero[0]).toMatch(/^Coverage readiness: 0 of 5 documented \(Pain despite care; Acute fracture on imaging;/)
    expect(consultationMissing({ ...full, coverage: coverage(1) })).toEqual([])
  })
  it('coverage does not matter when no procedure is requested', () => {
    expect(consultationMissing({ ...full, decision: { decision: 'continueConservative' }, coverage: coverage(0) })).toEqual([])
  })
})

const untouched = { painNrs: null, odiAnswers: Array(10).fill(null), rmdqAnswers: null, analgesics: '', brace: '', satisfaction: '', newFracture: false, complications: [], notes: '' }

describe('followUpVisitMissing', () => {
  it('an untouched visit names every outcome and says nothing else was entered', () => {
    expect(followUpVisitMissing(untouched)).toEqual([
      'Pain now (0-10)',
      'ODI questionnaire (no section answered)',
      'Roland-Morris questionnaire',
      'Pain medication',
      'Brace',
      'Satisfaction with the treatment',
      'Nothing else was entered',
    ])
  })
  it('pain and one ODI section answered: recorded without asking', () => {
    const odi = [2, ...Array(9).fill(null)]
    expect(followUpVisitMissing({ ...untouched, painNrs: 0, odiAnswers: odi })).toEqual([])
  })
  it('pain alone: the ODI is named, and the rest that is unanswered, but not "nothing else"', () => {
    expect(followUpVisitMissing({ ...untouched, painNrs: 4, notes: 'Doing well' })).toEqual([
      'ODI questionnaire (no section answered)',
      'Roland-Morris questionnaire',
      'Pain medication',
      'Brace',
      'Satisfaction with the treatment',
    ])
  })
  it('a part-answered ODI with no pain score says how much was answered', () => {
    const odi = [1, 1, 1, ...Array(7).fill(null)]
    expect(followUpVisitMissing({ ...untouched, odiAnswers: odi, rmdqAnswers: Array(24).fill(false), analgesics: 'none', brace: 'none', satisfaction: 'satisfied' })).toEqual([
      'Pain now (0-10)',
      'ODI questionnaire (3 of 10 sections answered)',
    ])
  })
})

describe('dischargeMissing', () => {
  const items = [
    { label: 'Vital signs stable and near the pre-procedure values', checked: true },
    { label: 'Has passed urine', checked: false },
  ]
  it('ready: nothing to ask', () => {
    expect(dischargeMissing({ ready: true, items: items.map((i) => ({ ...i, checked: true })), warnings: [] })).toEqual([])
  })
  it('not ready: each unticked point, then each warning', () => {
    expect(dischargeMissing({ ready: false, items, warnings: ['No observation check is recorded'] })).toEqual(['Not ticked: Has passed urine', 'No observation check is recorded'])
  })
  it('no recovery record: says so', () => {
    expect(dischargeMissing(null)).toEqual(['Discharge readiness (no recovery record)'])
  })
})
