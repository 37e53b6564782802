/**
 * What the pre-procedure checklist accepts (shared/schemas/preProcedure.ts, used by the form and the router) and the
 * clinic's thresholds for it (settings), at their boundaries; the verdicts' boundaries are in
 * clinical-pre-procedure.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_PRE_PROCEDURE_POLICY, evaluateChecklist } from '../../shared/clinical/preProcedure'
import { ChecklistFields, EMPTY_CHECKLIST, SignOffChecklist } from '../../shared/schemas/preProcedure'
import { ClinicSettings } from '../../shared/schemas/settings'

const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'))

describe('the checklist as recorded', () => {
  it('starts empty: nothing recorded, nothing confirmed', () => {
    expect(EMPTY_CHECKLIST).toEqual({
      consent: { obtainedBy: '', obtainedAt: null, procedureKind: null, levels: [] },
      inr: { value: null, date: null },
      platelets: { value: null, date: null },
      antithrombotics: [],
      pregnancy: 'notRecorded',
      infectionScreen: 'notChecked',
      allergiesConfirmed: false,
      fastingSince: null,
    })
  })

  it('takes a lab value with its date, both or neither', () => {
    expect(ChecklistFields.safeParse({ inr: { value: 1.2, date: '2026-11-27' } }).success).toBe(true)
    expect(paths(ChecklistFields.safeParse({ inr: { value: 1.2, date: null } }))).toEqual(['inr.date'])
    expect(ChecklistFields.safeParse({ inr: { value: 1.2 } }).error!.issues[0]!.message).toBe('is required with the INR value')
    expect(paths(ChecklistFields.safeParse({ platelets: { value: null, date: '2026-11-27' } }))).toEqual(['platelets.value'])
    expect(paths(ChecklistFields.safeParse({ platelets: { value: 150, date: '2026-02-30' } }))).toEqual(['platelets.date'])
  })

  it('takes an INR of 0.5 to 15 and whole platelet counts of 1 to 2000 x10^9/L', () => {
    const inr = (value: number) => ChecklistFields.safeParse({ inr: { value, date: '2026-11-27' } })
    expect(inr(0.5).success).toBe(true)
    expect(inr(15).success).toBe(true)
    expect(inr(0.49).error!.issues[0]).toMatchObject({ path: ['inr', 'value'], message: 'must be 0.5 to 15' })
    expect(inr(15.1).success).toBe(false)
    const plt = (value: number) => ChecklistFields.safeParse({ platelets: { value, date: '2026-11-27' } })
    expect(plt(1).success).toBe(true)
    expect(plt(2000).success).toBe(true)
    expect(plt(0).success).toBe(false)
    expect(plt(2001).success).toBe(false)
    expect(plt(150.5).error!.issues[0]!.message).toBe('must be a whole number (x10^9/L)')
  })

  it('takes each drug of the hold list once, and each consented level once', () => {
    const drug = (d: string) => ({ drug: d, lastDoseAt: '2026-11-25T08:00:00Z', restartOn: '2026-12-01' })
    const ok = ChecklistFields.parse({ antithrombotics: [drug('apixaban'), drug('clopidogrel')] })
    // instants are stored in one form, so that they compare as text
    expect(ok.antithrombotics[0]!.lastDoseAt).toBe('2026-11-25T08:00:00.000Z')
    expect(paths(ChecklistFields.safeParse({ antithrombotics: [drug('apixaban'), drug('apixaban')] }))).toEqual(['antithrombotics.1.drug'])
    expect(ChecklistFields.safeParse({ antithrombotics: [drug('coumadin')] }).error!.issues[0]).toMatchObject({ path: ['antithrombotics', 0, 'drug'], message: 'must be a drug of the hold list' })
    expect(paths(ChecklistFields.safeParse({ consent: { levels: ['T12', 'L1', 'T12'] } }))).toEqual(['consent.levels.2'])
    expect(paths(ChecklistFields.safeParse({ consent: { levels: ['L6'] } }))).toEqual(['consent.levels.0'])
    expect(paths(ChecklistFields.safeParse({ pregnancy: 'maybe', infectionScreen: 'fine', allergiesConfirmed: 'yes' }))).toEqual(['pregnancy', 'infectionScreen', 'allergiesConfirmed'])
  })

  it('is what the rules judge: an empty checklist fails every item that applies', () => {
    const r = evaluateChecklist(EMPTY_CHECKLIST, { kind: 'vertebroplasty', levels: ['L1'], startsAt: '2026-11-30T15:00:00.000Z', date: '2026-11-30', patient: { sex: 'male', ageYears: 70 }, chartAntithrombotics: '' })
    expect(r.failed.map((i) => i.key)).toEqual(['consent', 'inr', 'platelets', 'infectionScreen', 'allergies', 'fasting'])
  })

  it('signs off with the password; the override reason is trimmed and optional in the schema (the service asks for it when an item failed)', () => {
    expect(SignOffChecklist.parse({ procedureId: 1, version: 0, password: 'x' }).overrideReason).toBe('')
    expect(SignOffChecklist.parse({ procedureId: 1, version: 0, overrideReason: '  why  ', password: 'x' }).overrideReason).toBe('why')
    expect(paths(SignOffChecklist.safeParse({ procedureId: 1, version: 0, password: '' }))).toEqual(['password'])
  })
})

describe("the clinic's thresholds (settings)", () => {
  const settings = (s: Record<string, unknown>) => ClinicSettings.safeParse({ clinicName: 'Clinic', ...s })
  it('default to the published values the rules use', () => {
    const s = ClinicSettings.parse({ clinicName: 'Clinic' })
    expect({ inrMax: s.inrMax, plateletsMin: s.plateletsMin, labMaxAgeDays: s.labMaxAgeDays, fastingHours: s.fastingHours, pregnancyAgeFrom: s.pregnancyAgeFrom, pregnancyAgeTo: s.pregnancyAgeTo }).toEqual(
      DEFAULT_PRE_PROCEDURE_POLICY,
    )
  })
  it('take an INR of 1 to 3, platelets of 10 to 200, labs up to 180 days, fasting up to 24 hours, ages up to 80', () => {
    for (const ok of [{ inrMax: 1 }, { inrMax: 3 }, { inrMax: 1.75 }, { plateletsMin: 10 }, { plateletsMin: 200 }, { labMaxAgeDays: 0 }, { labMaxAgeDays: 180 }, { fastingHours: 0 }, { fastingHours: 24 }, { pregnancyAgeFrom: 0, pregnancyAgeTo: 80 }]) {
      expect(settings(ok).success, JSON.stringify(ok)).toBe(true)
    }
    expect(settings({ inrMax: 0.9 }).error!.issues).toMatchObject([{ path: ['inrMax'], message: 'must be 1 to 3' }])
    expect(paths(settings({ inrMax: 3.01, plateletsMin: 201, labMaxAgeDays: 181, fastingHours: 25 }))).toEqual(['inrMax', 'plateletsMin', 'labMaxAgeDays', 'fastingHours'])
    expect(settings({ plateletsMin: 49.5 }).error!.issues[0]!.message).toBe('must be whole x10^9/L')
    expect(settings({ fastingHours: 6.5 }).error!.issues[0]!.message).toBe('must be whole hours')
  })
  it('refuse a pregnancy age range that ends before it starts; one age alone is a range', () => {
    expect(settings({ pregnancyAgeFrom: 40, pregnancyAgeTo: 40 }).success).toBe(true)
    expect(settings({ pregnancyAgeFrom: 41, pregnancyAgeTo: 40 }).error!.issues).toMatchObject([{ path: ['pregnancyAgeTo'], message: 'must not be below the first age (41)' }])
  })
})
