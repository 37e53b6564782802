/**
 * The consultation note editor keeps one form per section; a save joins them into the note's values. No
 * field may fall between sections (it would be lost on save), and errors land in the section that shows them.
 */
import { describe, expect, it } from 'vitest'
import { ConsultationFields } from '../../shared/schemas/consultations'
import { FIELD_GROUPS, joinSections, sectionOfError, sectionsOf, type NoteValues } from '../../renderer/screens/Consultation/noteForm'
import { searchWords } from '../../shared/text'

const NOTE: NoteValues = {
  fields: {
    ...ConsultationFields.parse({ visitDate: '2026-11-02', trauma: null, osteoporosis: true, steroidUse: null, hospitalized: false, boneDensityReferred: false, osteoporosisEducation: true }),
    chiefComplaint: 'Back pain',
    odiAnswers: [1, 2, null, null, null, null, null, null, null, null],
    rmdqAnswers: null,
  },
  findings: [{ level: 'L1', modality: 'mri', imagingDate: '2026-11-01', acuity: 'acute', marrowOedema: true, heightLossPercent: 30, retropulsion: false, canalCompromise: false, fractureType: 'wedge', notes: '', fractureCause: 'osteoporotic', tenderness: 'yes', intravertebralCleft: 'notAssessed' }],
  planOn: true,
  plan: { bracing: 'TLSO', painMedication: '', otherMeasures: '', startDate: '2026-11-02', reassessmentDate: '2026-12-14' },
  decision: { decision: null, levels: [], reason: '', contraindications: [], overrideReason: '', contraindicationsReviewed: false },
}

describe('consultation note sections', () => {
  it('puts every field of the note in exactly one section', () => {
    const grouped = Object.values(FIELD_GROUPS).flat()
    expect([...grouped].sort()).toEqual(Object.keys(ConsultationFields.shape).sort())
    expect(new Set(grouped).size).toBe(grouped.length)
  })

  it('joins the sections back into the same note, and takes what a section changed', () => {
    const sections = sectionsOf(NOTE)
    expect(joinSections(NOTE, (n) => sections[n])).toEqual(NOTE)
    const changed = { ...sections, exam: { fields: { ...sections.exam.fields, examination: 'Tender at L1' } } }
    expect(joinSections(NOTE, (n) => changed[n]).fields.examination).toBe('Tender at L1')
    // a section not mounted keeps the baseline's values
    expect(joinSections(NOTE, (n) => (n === 'visit' ? undefined : sections[n])).fields.chiefComplaint).toBe('Back pain')
  })

  it('hands each error, named as the router names it, to its section', () => {
    expect(sectionOfError('fields.tScoreDate')).toBe('relevant')
    expect(sectionOfError('fields.odiAnswers.3')).toBe('pain')
    expect(sectionOfError('fields.visitDate')).toBe('visit')
    expect(sectionOfError('findings.0.level')).toBe('findings')
    expect(sectionOfError('plan.startDate')).toBe('plan')
    expect(sectionOfError('decision.levels')).toBe('decision')
    expect(sectionOfError('version')).toBeNull()
  })
})

describe('patient search words', () => {
  it('joins a word across its apostrophes (any kind) and splits it at hyphens', () => {
    for (const q of ["o'brien", 'O’Brien', 'oʼbrien', 'o‘brien', 'obrien']) expect(searchWords(q).words, q).toEqual(['obrien'])
    expect(searchWords('o brien')).toEqual({ words: ['brien'], initials: ['o'] })
    expect(searchWords('Smith-Jones').words).toEqual(['smith', 'jones'])
    expect(searchWords('SC-000001').words).toEqual(['sc', '000001'])
    expect(searchWords('555-201').words).toEqual(['555201'])
  })
})
