/** Letters to the referrer (issue 19 point 4): the clinic's templates filled in, and a wrong placeholder refused on saving. */
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_LETTER_TEMPLATES,
  LETTER_KINDS,
  PLACEHOLDER_HELP,
  placeholdersOf,
  placeholdersIn,
  renderLetterTemplate,
  unknownPlaceholders,
} from '../../shared/letters/template'
import { ClinicSettings } from '../../shared/schemas/settings'

describe('filling in a letter template', () => {
  it('puts each value where its placeholder is, spaces inside the braces allowed, as often as it is named', () => {
    const text = 'Dear {{recipient.name}},\n{{ patient.name }} was seen on {{visit.date}}.\n{{patient.name}} again.'
    expect(renderLetterTemplate(text, { 'recipient.name': 'Dr. Amélie Durand', 'patient.name': 'Łukasz Wiśniewski', 'visit.date': '11/30/2026' })).toBe(
      'Dear Dr. Amélie Durand,\nŁukasz Wiśniewski was seen on 11/30/2026.\nŁukasz Wiśniewski again.',
    )
  })

  it('keeps a value as written: lines kept, braces and dollar signs in it never filled in again', () => {
    const text = 'Findings:\n{{findings}}\nPlan: {{plan}}'
    expect(renderLetterTemplate(text, { findings: 'L1: MRI, acute\nT12: X-ray, chronic', plan: 'see {{findings}} and $& $1' })).toBe(
      'Findings:\nL1: MRI, acute\nT12: X-ray, chronic\nPlan: see {{findings}} and $& $1',
    )
  })

  it('leaves a placeholder it has no value for as written, for a reader to notice', () => {
    expect(renderLetterTemplate('Hello {{nobody}} and {{constructor}}', {})).toBe('Hello {{nobody}} and {{constructor}}')
  })

  it('names the placeholders a text has, once each, and those its kind of letter does not have', () => {
    expect(placeholdersIn('{{a}} {{ b }} {{a}} {single} {{}}')).toEqual(['a', 'b', ''])
    expect(unknownPlaceholders('{{levels}} {{outcome}} {{findings}}', 'procedure')).toEqual(['findings'])
    expect(unknownPlaceholders('{{levels}} {{outcome}} {{findings}}', 'consultation')).toEqual(['outcome'])
    expect(unknownPlaceholders('{{patient.name}} {{Patient.Name}}', 'consultation')).toEqual(['Patient.Name'])
  })

  it('the built-in templates use only their own placeholders, and every placeholder has help text', () => {
    for (const kind of LETTER_KINDS) {
      expect(unknownPlaceholders(DEFAULT_LETTER_TEMPLATES[kind], kind)).toEqual([])
      for (const p of placeholdersOf(kind)) expect(PLACEHOLDER_HELP[p]).toBeTruthy()
    }
    expect(placeholdersIn(DEFAULT_LETTER_TEMPLATES.procedure)).toEqual(expect.arrayContaining(['levels', 'plan', 'outcome', 'procedure']))
    expect(placeholdersIn(DEFAULT_LETTER_TEMPLATES.consultation)).toEqual(expect.arrayContaining(['findings', 'decision', 'plan']))
  })
})

describe('the letter templates in the clinic settings', () => {
  const base = ClinicSettings.parse({ clinicName: 'Clinic' })

  it('start from the built-in texts, with no letterhead', () => {
    expect(base.letterConsultationTemplate).toBe(DEFAULT_LETTER_TEMPLATES.consultation)
    expect(base.letterProcedureTemplate).toBe(DEFAULT_LETTER_TEMPLATES.procedure)
    expect(base.letterhead).toBe('')
  })

  it('refuses an unknown placeholder when saved, naming it under the template it is in', () => {
    const r = ClinicSettings.safeParse({ ...base, letterProcedureTemplate: 'Dear {{recipient.name}}, {{levls}} and {{findings}}' })
    expect(r.success).toBe(false)
    const issue = r.error!.issues[0]!
    expect(issue.path).toEqual(['letterProcedureTemplate'])
    expect(issue.message).toContain('has {{levls}}, {{findings}}, which are not placeholders of the procedure letter')
    expect(issue.message).toContain('{{levels}}')
    const one = ClinicSettings.safeParse({ ...base, letterConsultationTemplate: 'Dear {{recipient}}' })
    expect(one.error!.issues.map((i) => [i.path.join('.'), i.message.split(';')[0]])).toEqual([
      ['letterConsultationTemplate', 'has {{recipient}}, which is not a placeholder of the consultation letter'],
    ])
  })

  it('refuses an empty template', () => {
    const r = ClinicSettings.safeParse({ ...base, letterConsultationTemplate: '  \n ' })
    expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['letterConsultationTemplate', 'is required']])
  })
})
