/** The conflict dialog's words (renderer/components/ConflictDialog.tsx): its title, and the compare table's rows. */
import { describe, expect, it } from 'vitest'
import { conflictTitle, differences, inWords } from '../../renderer/components/ConflictDialog'

describe('conflictTitle', () => {
  it('names who and when; someone else when the record does not say', () => {
    expect(conflictTitle({ changedBy: 'Dr Ana Ruiz', changedAt: '2026-12-06T15:04:00.000Z' }, () => 'Dec 6, 2026, 10:04 AM')).toBe('Not saved: Dr Ana Ruiz changed this at Dec 6, 2026, 10:04 AM')
    expect(conflictTitle({ changedBy: null, changedAt: null }, () => 'never')).toBe('Not saved: someone else changed this')
  })
})

describe('differences', () => {
  it('lists only the fields that read differently, in words, with the screen labels', () => {
    const yours = { allergies: 'latex', allergyCement: true, osteoporosis: 'unknown', dexaTScore: null, priorFractures: 'T11 2019' }
    const theirs = { allergies: 'penicillin (rash)', allergyCement: false, osteoporosis: 'yes', dexaTScore: null, priorFractures: 'T11 2019' }
    expect(differences(yours, theirs, { allergyCement: 'Bone cement (PMMA) allergy' })).toEqual([
      { path: 'allergies', label: 'Allergies', yours: 'latex', theirs: 'penicillin (rash)' },
      { path: 'allergyCement', label: 'Bone cement (PMMA) allergy', yours: 'Yes', theirs: 'No' },
      { path: 'osteoporosis', label: 'Osteoporosis', yours: 'Not known', theirs: 'Yes' },
    ])
  })
  it('nested parts and lists of records are compared field by field, named as the screen names them', () => {
    const yours = { fields: { chiefComplaint: 'Back pain' }, findings: [{ level: 'T12', acuity: 'acute' }] }
    const theirs = { fields: { chiefComplaint: 'Back pain' }, findings: [{ level: 'T12', acuity: 'chronic' }, { level: 'L1', acuity: 'acute' }] }
    expect(differences(yours, theirs).map((r) => [r.label, r.yours, r.theirs])).toEqual([
      ['Finding 1, acuity', 'acute', 'chronic'],
      ['Finding 2, level', '(empty)', 'L1'],
      ['Finding 2, acuity', '(empty)', 'acute'],
    ])
  })
  it('lists of plain values read as one line', () => {
    expect(inWords(['T12', 'L1'])).toBe('T12, L1')
    expect(inWords([])).toBe('(none)')
  })
})
