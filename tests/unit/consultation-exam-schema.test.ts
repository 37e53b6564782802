/**
 * Issue 17 point 7 (consultation): the schema's rules for the new note and finding fields, at their boundaries.
 * The editor and the router use these same schemas, so a refusal here is the message the physician reads.
 */
import { describe, expect, it } from 'vitest'
import { ConsultationFields, examFindingWords, FindingFields, SaveNote } from '../../shared/schemas/consultations'

const fields = (over: Record<string, unknown>) => ConsultationFields.safeParse({ visitDate: '2026-11-30', ...over })
/** The refusals as 'path: message' lines. */
const refusals = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`))

const FINDING = { level: 'T12', modality: 'mri', imagingDate: '2026-11-20', acuity: 'acute' }

describe('baseline leg neurology', () => {
  it('is not recorded by default, and normal or not examined needs no description', () => {
    expect(fields({}).data).toMatchObject({ neuroExam: null, neuroExamDetails: '' })
    expect(fields({ neuroExam: 'normal' }).success).toBe(true)
    expect(fields({ neuroExam: 'notExamined' }).success).toBe(true)
    // a description with a normal exam is kept
    expect(fields({ neuroExam: 'normal', neuroExamDetails: 'Power 5/5 throughout' }).data).toMatchObject({ neuroExamDetails: 'Power 5/5 throughout' })
  })

  it('abnormal without a description is refused naming the field; blanks do not count as one', () => {
    expect(refusals(fields({ neuroExam: 'abnormal' }))).toEqual(['neuroExamDetails: is required when the neurological exam is abnormal: describe power, sensation and reflexes'])
    expect(refusals(fields({ neuroExam: 'abnormal', neuroExamDetails: ' \n ' }))).toHaveLength(1)
    expect(fields({ neuroExam: 'abnormal', neuroExamDetails: 'L EHL 4/5' }).success).toBe(true)
  })

  it('refuses an unknown value and an over-long description, naming the field', () => {
    expect(refusals(fields({ neuroExam: 'Abnormal' }))).toEqual(['neuroExam: must be normal, abnormal or not examined'])
    expect(refusals(fields({ neuroExam: 'abnormal', neuroExamDetails: 'x'.repeat(2001) }))).toEqual(['neuroExamDetails: must be at most 2000 characters'])
    expect(fields({ neuroExam: 'abnormal', neuroExamDetails: 'x'.repeat(2000) }).success).toBe(true)
  })
})

describe('bone health: osteoporosis treatment and the fracture liaison referral', () => {
  it('takes each treatment answer and refuses others', () => {
    for (const t of ['onTreatment', 'startedToday', 'referred', 'declined', 'notIndicated']) expect(fields({ osteoporosisTreatment: t }).success, t).toBe(true)
    expect(refusals(fields({ osteoporosisTreatment: 'yes' }))).toEqual(['osteoporosisTreatment: must be already on treatment, started today, referred, declined or not indicated'])
    expect(fields({}).data).toMatchObject({ osteoporosisTreatment: null, flsReferred: false, flsReferralDate: null })
  })

  it('a referral needs its date, and a date needs the referral', () => {
    expect(refusals(fields({ flsReferred: true }))).toEqual(['flsReferralDate: is required with a fracture liaison referral'])
    expect(refusals(fields({ flsReferralDate: '2026-11-30' }))).toEqual(['flsReferralDate: only goes with a fracture liaison referral: tick the referral or clear the date'])
    expect(refusals(fields({ flsReferred: true, flsReferralDate: '2026-02-30' }))).toEqual(['flsReferralDate: must be a real date (MM/DD/YYYY)'])
    expect(fields({ flsReferred: true, flsReferralDate: '2026-11-30' }).success).toBe(true)
  })
})

describe('per finding: cause, tenderness, intravertebral cleft', () => {
  it('are not recorded by default (findings written before they were asked read so)', () => {
    expect(FindingFields.parse(FINDING)).toMatchObject({ fractureCause: null, tenderness: null, intravertebralCleft: null })
  })

  it('take their answers and refuse others, naming the field', () => {
    for (const c of ['osteoporotic', 'tumour', 'trauma', 'unknown']) expect(FindingFields.safeParse({ ...FINDING, fractureCause: c }).success, c).toBe(true)
    expect(refusals(FindingFields.safeParse({ ...FINDING, fractureCause: 'metastasis' }))).toEqual(['fractureCause: must be osteoporotic, tumour, trauma or unknown'])
    expect(refusals(FindingFields.safeParse({ ...FINDING, tenderness: 'notAssessed' }))).toEqual(['tenderness: must be yes, no or not examined'])
    expect(refusals(FindingFields.safeParse({ ...FINDING, intravertebralCleft: 'notExamined' }))).toEqual(['intravertebralCleft: must be yes, no or not assessed'])
  })

  it('errors of a note name the finding by its place, as the editor shows them', () => {
    const r = SaveNote.safeParse({ id: 1, version: 0, findings: [FINDING, { ...FINDING, level: 'L1', tenderness: true }] })
    expect(refusals(r)).toEqual(['findings.1.tenderness: must be yes, no or not examined'])
  })

  it('read in words, saying nothing when not recorded', () => {
    expect(examFindingWords({ tenderness: null, intravertebralCleft: null })).toEqual([])
    expect(examFindingWords({ tenderness: 'yes', intravertebralCleft: 'yes' })).toEqual(['tender', 'intravertebral cleft'])
    expect(examFindingWords({ tenderness: 'notExamined', intravertebralCleft: 'notAssessed' })).toEqual(['tenderness not examined', 'cleft not assessed'])
  })
})
