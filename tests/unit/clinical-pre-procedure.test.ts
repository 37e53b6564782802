import { describe, expect, it } from 'vitest'
import { checkHold, hoursText, HOLD_RULES } from '../../shared/clinical/antithrombotics'
import { DEFAULT_PRE_PROCEDURE_POLICY as DEFAULTS, evaluateChecklist, type PlannedProcedure, type PreProcedureChecklist } from '../../shared/clinical/preProcedure'

const START = '2026-12-07T14:00:00.000Z'
const hoursBefore = (h: number) => new Date(Date.parse(START) - h * 3_600_000).toISOString()

const planned: PlannedProcedure = { kind: 'kyphoplasty', levels: ['L1', 'L2'], startsAt: START, date: '2026-12-07', patient: { sex: 'male', ageYears: 74 }, chartAntithrombotics: '' }
const complete: PreProcedureChecklist = {
  consent: { obtainedBy: 'Dr Kim', obtainedAt: '2026-12-01T15:00:00.000Z', procedureKind: 'kyphoplasty', levels: ['L1', 'L2'] },
  inr: { value: 1.1, date: '2026-12-03' },
  platelets: { value: 210, date: '2026-12-03' },
  antithrombotics: [],
  pregnancy: 'notRecorded',
  infectionScreen: 'noSigns',
  allergiesConfirmed: true,
  fastingSince: hoursBefore(8),
}
const item = (c: PreProcedureChecklist, key: string, p: PlannedProcedure = planned) => evaluateChecklist(c, p).items.find((i) => i.key === key)!

describe('antithrombotic holds (SIR 2019, high bleeding risk)', () => {
  it('counts the hours from the last dose; exactly the hold time is enough, an hour less is not', () => {
    expect(checkHold('clopidogrel', hoursBefore(120), START)).toMatchObject({ met: true, heldHours: 120, requiredHours: 120 })
    expect(checkHold('clopidogrel', hoursBefore(119), START)).toMatchObject({ met: false, message: 'Clopidogrel held only 4 days 23 hours; 5 days needed' })
    expect(checkHold('apixaban', hoursBefore(48), START).met).toBe(true)
    expect(checkHold('apixaban', hoursBefore(47.5), START).message).toBe('Apixaban held only 1 day 23 hours; 2 days needed (3 days when creatinine clearance is 25-50 mL/min)')
    expect(checkHold('heparinIv', hoursBefore(6), START).met).toBe(true)
    expect(checkHold('warfarin', null, START)).toMatchObject({ met: false, heldHours: null, message: 'Warfarin: the last dose is not recorded (hold 5 days)' })
    expect(checkHold('aspirin', hoursBefore(-1), START).message).toMatch(/after the procedure's start/)
  })
  it('has a rule for every listed drug, with a kind and a positive hold', () => {
    for (const r of Object.values(HOLD_RULES)) expect(r.holdHours).toBeGreaterThan(0)
    expect(HOLD_RULES.prasugrel.holdHours).toBe(7 * 24)
    expect(hoursText(6)).toBe('6 hours')
    expect(hoursText(24)).toBe('1 day')
    expect(hoursText(25)).toBe('1 day 1 hour')
  })
})

describe('the pre-procedure checklist', () => {
  it('is clear when every item is met or does not apply', () => {
    const r = evaluateChecklist(complete, planned)
    expect(r.clear).toBe(true)
    expect(r.items.map((i) => [i.key, i.status])).toEqual([
      ['consent', 'met'],
      ['inr', 'met'],
      ['platelets', 'met'],
      ['antithrombotics', 'notApplicable'],
      ['pregnancy', 'notApplicable'],
      ['infectionScreen', 'met'],
      ['allergies', 'met'],
      ['fasting', 'met'],
    ])
  })

  it('consent must name who, when, this procedure and every planned level', () => {
    expect(item({ ...complete, consent: { ...complete.consent, procedureKind: 'vertebroplasty' } }, 'consent').detail).toBe('consent is for a vertebroplasty; a kyphoplasty is planned')
    expect(item({ ...complete, consent: { ...complete.consent, levels: ['L1'] } }, 'consent').detail).toBe('L2 is planned but not consented')
    expect(item({ ...complete, consent: { ...complete.consent, obtainedBy: ' ', obtainedAt: null } }, 'consent').status).toBe('failed')
    expect(item({ ...complete, consent: { ...complete.consent, obtainedAt: hoursBefore(-1) } }, 'consent').detail).toMatch(/after the procedure starts/)
  })

  it('INR at most 1.5 and platelets at least 50 (SIR 2019), dated within 30 days of the procedure', () => {
    expect(item({ ...complete, inr: { value: 1.5, date: '2026-12-03' } }, 'inr').status).toBe('met')
    expect(item({ ...complete, inr: { value: 1.6, date: '2026-12-03' } }, 'inr').detail).toBe("INR 1.6 (2026-12-03) is outside the clinic's threshold (at most 1.5)")
    expect(item({ ...complete, platelets: { value: 50, date: '2026-12-03' } }, 'platelets').status).toBe('met')
    expect(item({ ...complete, platelets: { value: 49, date: '2026-12-03' } }, 'platelets').status).toBe('failed')
    expect(item({ ...complete, inr: { value: 1.0, date: '2026-11-07' } }, 'inr').status).toBe('met') // 30 days
    expect(item({ ...complete, inr: { value: 1.0, date: '2026-11-06' } }, 'inr').detail).toBe('INR 1 is 31 days old; at most 30 days are accepted')
    expect(item({ ...complete, inr: { value: 1.0, date: '2026-12-08' } }, 'inr').detail).toBe('the INR is dated after the procedure day')
    expect(item({ ...complete, platelets: { value: null, date: null } }, 'platelets').detail).toBe('no platelets recorded with its date')
    expect(evaluateChecklist({ ...complete, inr: { value: 1.7, date: '2026-12-03' } }, planned, { ...DEFAULTS, inrMax: 1.8 }).clear).toBe(true)
  })

  it('each drug held long enough, with a restart date; a drug on the chart must be listed', () => {
    const held = { ...complete, antithrombotics: [{ drug: 'clopidogrel' as const, lastDoseAt: hoursBefore(130), restartOn: '2026-12-08' }] }
    expect(item(held, 'antithrombotics')).toMatchObject({ status: 'met', detail: 'Clopidogrel held 5 days 10 hours before the procedure; 5 days needed' })
    expect(item({ ...held, antithrombotics: [{ ...held.antithrombotics[0]!, restartOn: null }] }, 'antithrombotics').detail).toBe('Clopidogrel: no restart date for the discharge summary')
    expect(item({ ...held, antithrombotics: [{ ...held.antithrombotics[0]!, restartOn: '2026-12-06' }] }, 'antithrombotics').detail).toBe('Clopidogrel: the restart date is before the procedure')
    expect(item({ ...held, antithrombotics: [{ drug: 'warfarin', lastDoseAt: hoursBefore(100), restartOn: '2026-12-08' }] }, 'antithrombotics').status).toBe('failed')
    expect(item(complete, 'antithrombotics', { ...planned, chartAntithrombotics: 'apixaban 5 mg twice daily' }).detail).toBe('the chart records "apixaban 5 mg twice daily": list each drug with its last dose')
  })

  it('pregnancy status is needed for women aged 12 to 55; positive fails', () => {
    const woman = (ageYears: number) => ({ ...planned, patient: { sex: 'female', ageYears } })
    expect(item(complete, 'pregnancy', woman(55)).status).toBe('failed')
    expect(item(complete, 'pregnancy', woman(56)).status).toBe('notApplicable')
    expect(item(complete, 'pregnancy', woman(11)).status).toBe('notApplicable')
    expect(item({ ...complete, pregnancy: 'negativeTest' }, 'pregnancy', woman(40)).status).toBe('met')
    expect(item({ ...complete, pregnancy: 'notPossible' }, 'pregnancy', woman(40)).status).toBe('met')
    expect(item({ ...complete, pregnancy: 'positive' }, 'pregnancy', woman(40)).detail).toMatch(/absolute contraindication/)
  })

  it('infection screen, allergies and fasting (6 hours, ASA 2017)', () => {
    expect(item({ ...complete, infectionScreen: 'signsPresent' }, 'infectionScreen').status).toBe('failed')
    expect(item({ ...complete, infectionScreen: 'notChecked' }, 'infectionScreen').status).toBe('failed')
    expect(item({ ...complete, allergiesConfirmed: false }, 'allergies').status).toBe('failed')
    expect(item({ ...complete, fastingSince: hoursBefore(6) }, 'fasting').status).toBe('met')
    expect(item({ ...complete, fastingSince: hoursBefore(5.9) }, 'fasting').detail).toBe('only 5 hours without food; 6 hours needed')
    expect(item({ ...complete, fastingSince: null }, 'fasting').status).toBe('failed')
    const r = evaluateChecklist({ ...complete, allergiesConfirmed: false, fastingSince: null }, planned)
    expect(r.clear).toBe(false)
    expect(r.failed.map((i) => i.key)).toEqual(['allergies', 'fasting'])
  })
})
