/** Refusals name fields in the screen's words, never by their internal paths (issue 23 point 1). */
import { describe, expect, it } from 'vitest'
import { describeFields, fieldName } from '../../shared/fieldNames'

describe('fieldName', () => {
  it('reads a path as the words on the screen', () => {
    expect(fieldName('fields.endedAt')).toBe('End time')
    expect(fieldName('findings.0.imagingDate')).toBe('Finding 1, imaging date')
    expect(fieldName('levels.2.kyphoticAngleAfter')).toBe('Level 3, kyphotic angle after treatment')
    expect(fieldName('windows.1.days')).toBe('Time window 2, days')
    expect(fieldName('settings.clinicName')).toBe('Clinic name')
    expect(fieldName('dateOfBirth')).toBe('Date of birth')
    expect(fieldName('mrn')).toBe('MRN')
    expect(fieldName('fields.diagnoses.1.code')).toBe('Diagnosis 2, code')
  })

  it('keeps a container named last (it is the field itself) and never comes out empty', () => {
    expect(fieldName('patient')).toBe('Patient')
    expect(fieldName('')).toBe('This field')
    expect(fieldName('0')).toBe('Item 1')
    // hostile keys read as words, not as Object's own properties
    expect(fieldName('constructor.0')).toBe('Item 1')
    expect(fieldName('__proto__')).toBe('Proto')
    expect(fieldName('toString')).toBe('To string')
  })
})

describe('describeFields', () => {
  it('says each problem as a sentence, five at most', () => {
    expect(describeFields({ 'fields.endedAt': 'must be after the start time' })).toBe('Please correct: End time must be after the start time.')
    const many = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`findings.${i}.level`, 'is required']))
    expect(describeFields(many)).toBe(
      'Please correct: Finding 1, level is required; Finding 2, level is required; Finding 3, level is required; Finding 4, level is required; Finding 5, level is required (and 2 more).',
    )
  })
})
