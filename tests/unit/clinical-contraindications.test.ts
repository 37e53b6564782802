/**
 * Contraindication suggestions from what the chart holds, each rule at its boundary: allergies (cement and
 * contrast apart), anticoagulants and antiplatelets, retropulsion only at proposed levels, more than three levels,
 * vertebra plana above 70 % height loss; and the warnings for proposed levels the record does not support.
 */
import { describe, expect, it } from 'vitest'
import {
  CONTRAINDICATIONS,
  isLegacy,
  LEGACY_CONTRAINDICATIONS,
  proposedLevelWarnings,
  RELATIVE_CONTRAINDICATIONS,
  suggestContraindications,
  VERTEBRA_PLANA_PERCENT,
  type ContraindicationFacts,
  type SuggestionFinding,
} from '../../shared/clinical/contraindications'
import { DecisionFields } from '../../shared/schemas/consultations'

const none: ContraindicationFacts = { proposedLevels: [], allergyCement: false, allergyContrast: false, anticoagulants: '', antiplatelets: '', findings: [] }
const finding = (level: SuggestionFinding['level'], over: Partial<SuggestionFinding> = {}): SuggestionFinding => ({ level, acuity: 'acute', heightLossPercent: 30, retropulsion: false, canalCompromise: false, ...over })
const items = (f: Partial<ContraindicationFacts>) => suggestContraindications({ ...none, ...f }).map((s) => s.item)

describe('contraindication suggestions', () => {
  it('suggest nothing for a record that holds nothing', () => {
    expect(suggestContraindications(none)).toEqual([])
  })

  it('cement and contrast allergies are separate items', () => {
    expect(items({ allergyCement: true })).toEqual(['cementAllergy'])
    expect(items({ allergyContrast: true })).toEqual(['contrastAllergy'])
    expect(items({ allergyCement: true, allergyContrast: true })).toEqual(['cementAllergy', 'contrastAllergy'])
  })

  it('a recorded anticoagulant or antiplatelet suggests bleeding risk, naming the drug; blank text does not', () => {
    const [s] = suggestContraindications({ ...none, anticoagulants: 'apixaban 5 mg twice daily' })
    expect(s).toMatchObject({ item: 'bleedingRisk', because: 'the patient record lists anticoagulant: apixaban 5 mg twice daily' })
    expect(s!.source).toMatch(/L33569/)
    expect(suggestContraindications({ ...none, antiplatelets: 'clopidogrel 75 mg' })[0]!.because).toBe('the patient record lists antiplatelet: clopidogrel 75 mg')
    expect(items({ anticoagulants: '   ', antiplatelets: '' })).toEqual([])
  })

  it('retropulsion or canal compromise suggests neurological compromise only at a proposed level', () => {
    const findings = [finding('L1', { retropulsion: true }), finding('T12')]
    expect(items({ findings, proposedLevels: ['T12'] })).toEqual([])
    expect(items({ findings })).toEqual([])
    const [s] = suggestContraindications({ ...none, findings, proposedLevels: ['T12', 'L1'] })
    expect(s).toMatchObject({ item: 'neurologicalCompromiseOrRetropulsion', because: 'imaging records retropulsion or canal compromise at L1, a proposed level' })
    expect(items({ findings: [finding('T12', { canalCompromise: true })], proposedLevels: ['T12'] })).toEqual(['neurologicalCompromiseOrRetropulsion'])
  })

  it('more than three proposed levels: four suggests it, three does not', () => {
    expect(items({ proposedLevels: ['T10', 'T11', 'T12'] })).toEqual([])
    expect(items({ proposedLevels: ['T10', 'T11', 'T12', 'L1'] })).toEqual(['moreThanThreeLevels'])
  })

  it(`vertebra plana above ${VERTEBRA_PLANA_PERCENT} % height loss at a proposed level, naming the source`, () => {
    expect(VERTEBRA_PLANA_PERCENT).toBe(70)
    expect(items({ proposedLevels: ['L1'], findings: [finding('L1', { heightLossPercent: 70 })] })).toEqual([])
    const [s] = suggestContraindications({ ...none, proposedLevels: ['L1'], findings: [finding('L1', { heightLossPercent: 70.5 })] })
    expect(s).toMatchObject({ item: 'vertebraPlana', because: 'L1, a proposed level, has lost 70.5% of its height (over 70%)' })
    expect(s!.source).toContain('Diagnostics 2023')
    // a collapsed level that is not proposed does not bear on the procedure
    expect(items({ proposedLevels: ['T12'], findings: [finding('L1', { heightLossPercent: 90 })] })).toEqual([])
  })

  it('every suggestion names where it comes from', () => {
    const all = suggestContraindications({
      proposedLevels: ['T10', 'T11', 'T12', 'L1'],
      allergyCement: true,
      allergyContrast: true,
      anticoagulants: 'warfarin',
      antiplatelets: 'aspirin',
      findings: [finding('L1', { retropulsion: true, heightLossPercent: 85 })],
    })
    expect(all.map((s) => s.item)).toEqual(['cementAllergy', 'contrastAllergy', 'bleedingRisk', 'neurologicalCompromiseOrRetropulsion', 'moreThanThreeLevels', 'vertebraPlana'])
    for (const s of all) expect(s.source).not.toBe('')
  })
})

describe('warnings for proposed levels', () => {
  it('a proposed level with no acute or subacute finding warns; one with a fresh finding does not', () => {
    expect(proposedLevelWarnings(['L1'], [finding('L1', { acuity: 'subacute' })])).toEqual([])
    expect(proposedLevelWarnings(['L1'], [])).toEqual([{ level: 'L1', because: 'no imaging finding is recorded at L1', source: expect.stringContaining('pain not primarily due to the identified VCF') }])
    expect(proposedLevelWarnings(['L1'], [finding('L1', { acuity: 'chronic' }), finding('T12')])[0]!.because).toBe('no acute or subacute finding at L1 (chronic)')
  })

  it('a level outside T1 to L5 warns: C7 and S1 do, T1 and L5 do not', () => {
    const fresh = (l: SuggestionFinding['level']) => finding(l)
    expect(proposedLevelWarnings(['T1', 'L5'], [fresh('T1'), fresh('L5')])).toEqual([])
    const w = proposedLevelWarnings(['C7', 'S1'], [fresh('C7'), fresh('S1')])
    expect(w.map((x) => x.because)).toEqual(['C7 is outside T1 to L5', 'S1 is outside T1 to L5'])
  })
})

describe('the legacy combined allergy item', () => {
  it('is still read (a stored decision holding it parses) but no longer offered', () => {
    expect(LEGACY_CONTRAINDICATIONS).toEqual(['cementOrContrastAllergy'])
    expect(CONTRAINDICATIONS).toContain('cementOrContrastAllergy')
    expect(RELATIVE_CONTRAINDICATIONS as readonly string[]).not.toContain('cementOrContrastAllergy')
    expect(isLegacy('cementOrContrastAllergy')).toBe(true)
    expect(isLegacy('cementAllergy')).toBe(false)
    const d = DecisionFields.parse({ decision: 'kyphoplasty', levels: ['T12'], contraindications: ['cementOrContrastAllergy', 'bleedingRisk'] })
    expect(d.contraindications).toEqual(['bleedingRisk', 'cementOrContrastAllergy'])
  })
})
