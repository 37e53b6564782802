/**
 * Coverage readiness against LCD L33569, each rule at its boundaries: imaging per proposed level, care within the
 * current fracture episode and lasting before "pain despite care", the severity criteria, the contraindication
 * review, and which criterion each point comes from.
 */
import { describe, expect, it } from 'vitest'
import { COVERAGE_ITEMS, COVERAGE_SOURCES, coverageReadiness, fractureEpisode, whyNotConfirmed, type CoverageFacts, type CoverageFinding, type EpisodeNote } from '../../shared/clinical/coverage'

const empty: CoverageFacts = {
  asOf: '2026-11-30',
  episodeStart: { date: '2026-11-30', from: 'consultation' },
  levels: [],
  levelsProposed: false,
  findings: [],
  mriContraindicated: false,
  painNrs: null,
  painTrend: null,
  hospitalized: false,
  odiScore: null,
  rmdqScore: null,
  kyphoticAngle: null,
  conservativeCare: [],
  contraindicationsReviewed: null,
  boneDensity: null,
  boneDensityReferred: false,
  osteoporosisEducation: false,
}

const mri = (level: CoverageFinding['level'], over: Partial<CoverageFinding> = {}): CoverageFinding => ({ level, acuity: 'subacute', modality: 'mri', imagingDate: '2026-11-20', marrowOedema: true, heightLossPercent: 30, ...over })
const byKey = (f: CoverageFacts) => Object.fromEntries(coverageReadiness(f).items.map((i) => [i.key, i]))

describe('coverage readiness: the whole panel', () => {
  it('an empty record: every point shows what is missing and the criterion it comes from', () => {
    const r = coverageReadiness(empty)
    expect(r.metCount).toBe(0)
    expect(r.items.map((i) => i.key)).toEqual([...COVERAGE_ITEMS])
    for (const i of r.items) {
      expect(i.missing).not.toBe('')
      expect(i.source).toBe(COVERAGE_SOURCES[i.key])
      expect(i.source).toMatch(/L33569/)
    }
  })

  it('a complete record fills every point from what it says', () => {
    const r = coverageReadiness({
      ...empty,
      episodeStart: { date: '2026-10-05', from: 'onset' },
      levels: ['T12'],
      levelsProposed: true,
      findings: [mri('T12')],
      painNrs: 7,
      painTrend: 'worsening',
      odiScore: 48,
      conservativeCare: [{ startDate: '2026-10-12', outcome: 'failed' }],
      contraindicationsReviewed: { byName: 'Dr. Vance', at: '2026-11-30T14:00:00.000Z' },
      boneDensity: { tScore: -2.9, date: '2026-06-01' },
      osteoporosisEducation: true,
    })
    expect(r.metCount).toBe(COVERAGE_ITEMS.length)
    expect(r.conservativeWeeks).toBe(7)
    expect(r.items[0]!.evidence).toContain('T12 subacute on MRI 2026-11-20 with marrow oedema')
    expect(r.items.every((i) => i.missing === '')).toBe(true)
  })
})

describe('imaging confirmation is per proposed level', () => {
  const proposed = (levels: CoverageFacts['levels'], findings: CoverageFinding[], over: Partial<CoverageFacts> = {}) => byKey({ ...empty, levels, levelsProposed: true, findings, ...over }).imagingConfirmedFracture!

  it('each proposed level needs its own finding: one confirmed level does not cover its neighbour', () => {
    const i = proposed(['T12', 'L1'], [mri('T12')])
    expect(i.met).toBe(false)
    expect(i.evidence).toContain('L1: no imaging finding')
    expect(i.missing).toContain('confirm L1 with MRI showing marrow oedema')
    expect(proposed(['T12', 'L1'], [mri('T12'), mri('L1', { acuity: 'acute' })]).met).toBe(true)
  })

  it('an X-ray-only finding does not confirm acuity, even marked acute', () => {
    const i = proposed(['L1'], [mri('L1', { modality: 'xray', acuity: 'acute', marrowOedema: null })])
    expect(i.met).toBe(false)
    expect(i.evidence).toContain('an X-ray does not confirm acuity')
    // the same level also imaged on MRI with oedema is confirmed
    expect(proposed(['L1'], [mri('L1', { modality: 'xray', acuity: 'acute', marrowOedema: null }), mri('L1')]).met).toBe(true)
  })

  it('MRI confirms only with marrow oedema recorded as present', () => {
    expect(proposed(['L1'], [mri('L1', { marrowOedema: false })]).evidence).toContain('MRI without marrow oedema')
    expect(proposed(['L1'], [mri('L1', { marrowOedema: null })]).evidence).toContain('marrow oedema (STIR) not recorded')
    expect(proposed(['L1'], [mri('L1', { marrowOedema: null })]).met).toBe(false)
  })

  it('CT or a bone scan confirms only where MRI is contraindicated', () => {
    for (const modality of ['ct', 'boneScan']) {
      const f = [mri('L1', { modality, marrowOedema: null })]
      expect(proposed(['L1'], f).met).toBe(false)
      expect(proposed(['L1'], f).evidence).toContain('counts only where MRI is contraindicated')
      expect(proposed(['L1'], f, { mriContraindicated: true }).met).toBe(true)
    }
  })

  it('chronic and indeterminate findings confirm nothing', () => {
    expect(whyNotConfirmed(mri('L1', { acuity: 'chronic' }), true)).toBe('chronic, not acute or subacute')
    expect(whyNotConfirmed(mri('L1', { acuity: 'indeterminate' }), true)).toBe('indeterminate, not acute or subacute')
    expect(whyNotConfirmed(mri('L1', { acuity: 'acute' }), false)).toBe('')
  })

  it('with no level proposed yet it judges the episode’s levels and says so', () => {
    const i = byKey({ ...empty, levels: ['T12'], findings: [mri('T12')] }).imagingConfirmedFracture!
    expect(i).toMatchObject({ met: true, evidence: expect.stringContaining('no levels proposed yet') })
    expect(byKey({ ...empty, findings: [mri('T8', { acuity: 'chronic' })] }).imagingConfirmedFracture!).toMatchObject({ met: false, evidence: expect.stringContaining('none acute or subacute (T8 chronic)') })
  })

  it('a finding imaged before the recorded onset is not this fracture’s imaging', () => {
    const onset = { date: '2026-11-21', from: 'onset' as const }
    expect(proposed(['L1'], [mri('L1', { imagingDate: '2026-11-20' })], { episodeStart: onset })).toMatchObject({ met: false, evidence: expect.stringContaining('1 finding imaged before the onset not counted') })
    expect(proposed(['L1'], [mri('L1', { imagingDate: '2026-11-21' })], { episodeStart: onset }).met).toBe(true)
  })
})

describe('conservative care counts for the current fracture episode, and must have lasted', () => {
  const facts = (over: Partial<CoverageFacts>): CoverageFacts => ({ ...empty, painNrs: 6, episodeStart: { date: '2026-10-01', from: 'onset' }, ...over })

  it('care started before the episode does not count, on or after its start does', () => {
    const before = byKey(facts({ conservativeCare: [{ startDate: '2026-09-30', outcome: 'failed' }] }))
    expect(before.conservativeCareDuration).toMatchObject({ met: false, evidence: expect.stringContaining('1 earlier plan before this fracture not counted') })
    expect(before.painDespiteCare!.met).toBe(false)
    const onStart = coverageReadiness(facts({ conservativeCare: [{ startDate: '2026-10-01', outcome: null }] }))
    expect(onStart.conservativeWeeks).toBe(8)
    expect(onStart.items.find((i) => i.key === 'conservativeCareDuration')!.met).toBe(true)
  })

  it('the episode from the consultation that found it is named as such', () => {
    const i = byKey(facts({ episodeStart: { date: '2026-11-02', from: 'consultation' } })).conservativeCareDuration!
    expect(i.evidence).toContain('since the consultation of 2026-11-02 that found it')
  })

  it('care started the day of the visit is not "pain despite care"; one week of care is (the clinic’s policy)', () => {
    const today = byKey(facts({ conservativeCare: [{ startDate: '2026-11-30', outcome: null }] })).painDespiteCare!
    expect(today.met).toBe(false)
    expect(today.missing).toBe('the care started 2026-11-30: pain despite care needs care that has lasted at least 7 days (from 2026-12-07)')
    expect(byKey(facts({ conservativeCare: [{ startDate: '2026-11-24', outcome: null }] })).painDespiteCare!.met).toBe(false)
    expect(byKey(facts({ conservativeCare: [{ startDate: '2026-11-23', outcome: null }] })).painDespiteCare!.met).toBe(true)
  })

  it('pain below the threshold, and too short a trial, say how far off they are', () => {
    const r = byKey(facts({ painNrs: 4, conservativeCare: [{ startDate: '2026-11-09', outcome: null }] }))
    expect(r.painDespiteCare!.missing).toContain('below the policy threshold of 5')
    expect(r.conservativeCareDuration!.missing).toBe('3 of the 6 weeks the policy expects')
    expect(byKey(facts({ painNrs: 5, conservativeCare: [{ startDate: '2026-11-09', outcome: null }] })).painDespiteCare!.met).toBe(true)
  })

  it('a hospitalised patient needs pain of 8 and no minimum trial', () => {
    const base = { ...empty, hospitalized: true }
    expect(byKey({ ...base, painNrs: 7 }).painDespiteCare!.met).toBe(false)
    expect(byKey({ ...base, painNrs: 8 }).painDespiteCare!.met).toBe(true)
    expect(byKey(base).conservativeCareDuration!.met).toBe(true)
  })

  it('care planned after the visit does not count', () => {
    const r = coverageReadiness({ ...empty, painNrs: 9, episodeStart: { date: '2026-11-01', from: 'onset' }, conservativeCare: [{ startDate: '2026-12-01', outcome: null }] })
    expect(r.conservativeWeeks).toBeNull()
    expect(r.items.find((i) => i.key === 'painDespiteCare')!.met).toBe(false)
  })
})

describe('the severity criteria as L33569 writes them', () => {
  const severity = (over: Partial<CoverageFacts>) => byKey({ ...empty, levels: ['L1'], levelsProposed: true, painNrs: 5, painTrend: 'stable', ...over }).severityCriteria!

  it('worsening pain qualifies on its own', () => {
    expect(severity({ painTrend: 'worsening', painNrs: 3 })).toMatchObject({ met: true, evidence: 'pain worsening (qualifies on its own)' })
  })

  it('stable pain of 5 or more needs two of: height loss over 25 %, kyphotic deformity, RMDQ over 17', () => {
    const twoMet = { findings: [mri('L1', { heightLossPercent: 25.5 })], rmdqScore: 18 }
    expect(severity(twoMet).met).toBe(true)
    expect(severity({ ...twoMet, painNrs: 4 })).toMatchObject({ met: false, missing: expect.stringContaining('pain must be 5 or more') })
    // each criterion just below its boundary
    expect(severity({ ...twoMet, findings: [mri('L1', { heightLossPercent: 25 })] }).met).toBe(false)
    expect(severity({ ...twoMet, rmdqScore: 17 }).met).toBe(false)
    expect(severity({ findings: [mri('L1', { heightLossPercent: 26 })], kyphoticAngle: 15 }).met).toBe(true)
    expect(severity({ findings: [mri('L1', { heightLossPercent: 26 })], kyphoticAngle: 14.9 }).met).toBe(false)
    expect(severity({ kyphoticAngle: 20, rmdqScore: 20 }).met).toBe(true)
  })

  it('one criterion is not enough, and the panel lists each with what the record says', () => {
    const i = severity({ findings: [mri('L1', { heightLossPercent: 40 })] })
    expect(i.met).toBe(false)
    expect(i.evidence).toContain('1 of the criteria met: ✓ height loss 40% at L1 (over 25% counts); ✗ kyphotic angle not recorded; ✗ Roland-Morris not recorded')
  })

  it('height loss counts at the levels judged only', () => {
    expect(severity({ findings: [mri('T8', { heightLossPercent: 60 })], rmdqScore: 20 }).met).toBe(false)
  })

  it('improving pain still qualifies through the criteria; an unrecorded trend is asked for', () => {
    expect(severity({ painTrend: 'improving', kyphoticAngle: 20, rmdqScore: 20 }).met).toBe(true)
    expect(severity({ painTrend: null }).missing).toContain('record whether the pain is improving, stable or worsening')
  })
})

describe('the contraindication review', () => {
  it('is met once recorded, with who and when', () => {
    expect(byKey(empty).contraindicationsReviewed).toMatchObject({ met: false, evidence: 'not recorded' })
    expect(byKey({ ...empty, contraindicationsReviewed: { byName: 'Dr. Vance', at: '2026-11-30T14:00:00.000Z' } }).contraindicationsReviewed).toMatchObject({
      met: true,
      evidence: 'reviewed by Dr. Vance at 2026-11-30T14:00:00.000Z',
    })
  })
})

describe('the current fracture episode', () => {
  const note = (id: number, visitDate: string, findings: EpisodeNote['findings'] = [], onsetDate: string | null = null): EpisodeNote => ({ id, visitDate, onsetDate, findings })
  const fresh = (level: 'T8' | 'T12' | 'L1', imagingDate: string, acuity = 'acute') => ({ level, acuity, imagingDate })

  it('starts at this note’s recorded onset', () => {
    expect(fractureEpisode(note(3, '2026-11-30', [fresh('L1', '2026-11-20')], '2026-11-02'), [], [])).toEqual({ start: { date: '2026-11-02', from: 'onset' }, levels: ['L1'] })
  })

  it('else at the first consultation that found an acute fracture at the levels, or its onset', () => {
    const earlier = [note(1, '2024-03-01', [fresh('T8', '2024-02-20')]), note(2, '2026-10-10', [fresh('L1', '2026-10-08')])]
    expect(fractureEpisode(note(3, '2026-11-30'), earlier, ['L1'])).toEqual({ start: { date: '2026-10-10', from: 'consultation' }, levels: ['L1'] })
    const withOnset = [note(2, '2026-10-10', [fresh('L1', '2026-10-08')], '2026-10-01')]
    expect(fractureEpisode(note(3, '2026-11-30'), withOnset, ['L1']).start).toEqual({ date: '2026-10-01', from: 'onset' })
  })

  it('an old fracture at another level does not pull the episode back', () => {
    const earlier = [note(1, '2024-03-01', [fresh('T8', '2024-02-20')])]
    expect(fractureEpisode(note(3, '2026-11-30', [fresh('L1', '2026-11-25')]), earlier, []).start).toEqual({ date: '2026-11-30', from: 'consultation' })
  })

  it('a reassessment note without imaging continues the latest episode that found one', () => {
    const earlier = [note(1, '2024-03-01', [fresh('T8', '2024-02-20')]), note(2, '2026-10-10', [fresh('T12', '2026-10-08', 'subacute'), fresh('T8', '2026-10-08', 'chronic')])]
    expect(fractureEpisode(note(3, '2026-11-30'), earlier, [])).toEqual({ start: { date: '2026-10-10', from: 'consultation' }, levels: ['T12'] })
  })

  it('with nothing found anywhere it starts at this visit', () => {
    expect(fractureEpisode(note(3, '2026-11-30'), [], [])).toEqual({ start: { date: '2026-11-30', from: 'consultation' }, levels: [] })
  })
})
