/** The audit log read in words (issue 23 point 7), the raw codes kept for the CSV and one click away. */
import { describe, expect, it } from 'vitest'
import { actionInWords, detailsInWords } from '../../renderer/screens/Audit/auditWords'

describe('actionInWords', () => {
  it('says what was done to what', () => {
    expect(actionInWords('patient.view')).toBe('Patient viewed')
    expect(actionInWords('preProcedureChecklist.signOff')).toBe('Pre-procedure checklist signed off')
    expect(actionInWords('session.signInFailed')).toBe('Session sign-in failed')
    expect(actionInWords('schedule.dayList.print')).toBe('Schedule day list printed')
    expect(actionInWords('consultation.enteredInError')).toBe('Consultation marked entered in error')
    expect(actionInWords('asapEntry.book')).toBe('ASAP list entry booked')
    expect(actionInWords('referral.triage')).toBe('Referral triaged')
    expect(actionInWords('referral.decline')).toBe('Referral declined')
    expect(actionInWords('referral.linkReferrer')).toBe('Referral linked to a referrer')
    expect(actionInWords('referrer.create')).toBe('Referrer created')
    expect(actionInWords('appointment.contactAttempt')).toBe('Appointment call logged')
    expect(actionInWords('reminder.uncertain')).toBe('Reminder marked uncertain (check whether it arrived)')
    expect(actionInWords('imaging.study.import')).toBe('Imaging study imported')
    expect(actionInWords('imaging.import')).toBe('Imaging imported')
    expect(actionInWords('imaging.study.open')).toBe('Imaging study opened')
  })
  it('reads an action it has no word for from its name, never empty', () => {
    expect(actionInWords('widget.frobnicate')).toBe('Widget frobnicate')
    expect(actionInWords('reload')).toBe('Reload')
  })
})

describe('detailsInWords', () => {
  it('names each detail in words', () => {
    expect(detailsInWords('{"query":"garcia","shown":3}')).toBe('Query: garcia · Shown: 3')
    expect(detailsInWords('{"fields":["endedAt","narrative"],"signed":true,"levels":[]}')).toBe('Fields: endedAt, narrative · Signed: yes · Levels: none')
    expect(detailsInWords('{"reason":null}')).toBe('Reason: —')
  })
  it('leaves out the patient index (the Patient column shows it) and keeps text that is not JSON as it is', () => {
    expect(detailsInWords('{"patientIds":[1,2]}')).toBe('—')
    expect(detailsInWords('backup written to D:\\\\backups')).toBe('backup written to D:\\\\backups')
    expect(detailsInWords('[1,2]')).toBe('[1,2]')
  })
})
