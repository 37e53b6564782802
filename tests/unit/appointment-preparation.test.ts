import { describe, expect, it } from 'vitest'
import { appointmentPreparation, type PreparationInput } from '../../shared/clinical/appointmentPreparation'

// 2026-12-02 08:00 in New York is 13:00 UTC.
const base: PreparationInput = { roomKind: 'procedure', observationMinutes: 120, startsAt: '2026-12-02T13:00:00.000Z', timeZone: 'America/New_York', fastingHours: 6, antithrombotics: null }
const keys = (a: PreparationInput) => appointmentPreparation(a).map((i) => i.key)

describe('appointment preparation', () => {
  it('a consultation needs nothing; one with observation afterwards needs a driver only', () => {
    expect(appointmentPreparation({ ...base, roomKind: 'consultation', observationMinutes: 0 })).toEqual([])
    expect(keys({ ...base, roomKind: 'consultation', observationMinutes: 1 })).toEqual(['driver'])
  })

  it('a procedure: fasting from exactly the policy hours before, across midnight, a driver, and the thinners', () => {
    const items = appointmentPreparation(base)
    expect(items.map((i) => i.key)).toEqual(['fasting', 'driver', 'antithromboticsUnknown'])
    expect(items[0]!.text).toBe('Nothing to eat from Dec 2, 02:00 (6 hours before)')
    expect(appointmentPreparation({ ...base, fastingHours: 9 })[0]!.text).toBe('Nothing to eat from Dec 1, 23:00 (9 hours before)')
    // a clinic that sets no fasting (0 hours) gets no fasting line; a procedure without observation still needs a driver
    expect(keys({ ...base, fastingHours: 0, observationMinutes: 0 })).toEqual(['driver', 'antithromboticsUnknown'])
  })

  it('holds each recorded blood thinner by its SIR time, and says when none is recorded', () => {
    expect(keys({ ...base, antithrombotics: [] })).toEqual(['fasting', 'driver', 'noAntithrombotics'])
    const items = appointmentPreparation({ ...base, antithrombotics: [{ drug: 'warfarin', lastDoseAt: null }, { drug: 'heparinIv', lastDoseAt: '2026-12-01T20:00:00.000Z' }] })
    // warfarin 5 days: Nov 27 08:00; IV heparin 6 hours: Dec 2 02:00 (clinic time)
    expect(items[2]!.text).toBe('Warfarin: last dose no later than Nov 27, 08:00 (hold 5 days)')
    expect(items[3]!.text).toBe('Unfractionated heparin (IV): last dose no later than Dec 2, 02:00 (hold 6 hours); last dose recorded Dec 1, 15:00')
  })

  it('refuses a start that is not a time', () => {
    expect(() => appointmentPreparation({ ...base, startsAt: 'tomorrow' })).toThrow(RangeError)
  })
})
