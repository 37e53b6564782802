import { describe, expect, it } from 'vitest'
import { suggestContraindications } from '../../shared/clinical/contraindications'
import { coverageReadiness, type CoverageFacts } from '../../shared/clinical/coverage'

const empty: CoverageFacts = {
  asOf: '2026-11-30',
  findings: [],
  painNrs: null,
  hospitalized: false,
  odiScore: null,
  rmdqScore: null,
  conservativeCare: [],
  boneDensity: null,
  boneDensityReferred: false,
  osteoporosisEducation: false,
}

describe('coverage readiness', () => {
  it('an empty record: every point shows what is missing', () => {
    const r = coverageReadiness(empty)
    expect(r.metCount).toBe(0)
    expect(r.items.map((i) => i.key)).toEqual(['imagingConfirmedFracture', 'painDespiteCare', 'conservativeCareDuration', 'functionScore', 'boneDensityAndEducation'])
    for (const i of r.items) expect(i.missing).not.toBe('')
  })

  it('a complete record fills every point from what it says', () => {
    const r = coverageReadiness({
      ...empty,
      findings: [{ level: 'T12', acuity: 'subacute', modality: 'mri', imagingDate: '2026-11-20', marrowOedema: true }],
      painNrs: 7,
      odiScore: 48,
      conservativeCare: [{ startDate: '2026-10-12', outcome: 'failed' }],
      boneDensity: { tScore: -2.9, date: '2026-06-01' },
      osteoporosisEducation: true,
    })
    expect(r.metCount).toBe(5)
    expect(r.conservativeWeeks).toBe(7)
    expect(r.items[0]!.evidence).toContain('T12 subacute on MRI 2026-11-20 with marrow oedema')
    expect(r.items.every((i) => i.missing === '')).toBe(true)
  })

  it('pain below the threshold, too short a trial, chronic fractures only', () => {
    const r = coverageReadiness({
      ...empty,
      findings: [{ level: 'L1', acuity: 'chronic', modality: 'xray', imagingDate: '2026-11-01', marrowOedema: null }],
      painNrs: 4,
      conservativeCare: [{ startDate: '2026-11-09', outcome: null }],
    })
    expect(r.items.find((i) => i.key === 'imagingConfirmedFracture')).toMatchObject({ met: false })
    expect(r.items.find((i) => i.key === 'painDespiteCare')!.missing).toContain('below the policy threshold of 5')
    expect(r.items.find((i) => i.key === 'conservativeCareDuration')!.missing).toBe('3 of the 6 weeks the policy expects')
  })

  it('a hospitalised patient needs pain of 8 and no minimum trial', () => {
    const base = { ...empty, hospitalized: true }
    expect(coverageReadiness({ ...base, painNrs: 7 }).items[1]!.met).toBe(false)
    expect(coverageReadiness({ ...base, painNrs: 8 }).items[1]!.met).toBe(true)
    expect(coverageReadiness(base).items[2]!.met).toBe(true)
  })

  it('care planned after the visit does not count', () => {
    const r = coverageReadiness({ ...empty, painNrs: 9, conservativeCare: [{ startDate: '2026-12-01', outcome: null }] })
    expect(r.conservativeWeeks).toBeNull()
    expect(r.items[1]!.met).toBe(false)
  })
})

describe('contraindication suggestions', () => {
  it('suggests from allergies, retropulsion, level count and collapse', () => {
    const s = suggestContraindications({ levelsProposed: 4, allergyCement: false, allergyContrast: true, anyRetropulsion: true, maxHeightLossPercentAtProposedLevels: 85 })
    expect(s.map((x) => x.item)).toEqual(['cementOrContrastAllergy', 'neurologicalCompromiseOrRetropulsion', 'moreThanThreeLevels', 'vertebraPlana'])
    expect(suggestContraindications({ levelsProposed: 3, allergyCement: false, allergyContrast: false, anyRetropulsion: false, maxHeightLossPercentAtProposedLevels: 30 })).toEqual([])
  })
})
