/**
 * The chart banner tells what the signed notes say (issue 23 point 3): where the patient's history says "not
 * known", the latest signed consultation's yes/no shows with its source; a cement or contrast allergy ticked in a
 * signed note raises the alert; a draft or a note entered in error counts for nothing; the history, when set,
 * stays the record and a disagreeing note is carried beside it. On SQLite and on PostgreSQL.
 */
import { expect } from 'vitest'
import { itEachEngine, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

async function note(
  clinic: Clinic,
  doc: string,
  patientId: number,
  o: { visitDate: string; osteoporosis?: boolean | null; steroidUse?: boolean | null; contraindications?: ('cementAllergy' | 'contrastAllergy')[]; sign?: boolean },
) {
  let n = await clinic.ok(doc, 'consultations.open', { patientId, visitDate: o.visitDate })
  n = await clinic.ok(doc, 'consultations.save', { id: n.id, version: n.version, fields: { visitDate: o.visitDate, chiefComplaint: 'Back pain', osteoporosis: o.osteoporosis ?? null, steroidUse: o.steroidUse ?? null } })
  if (o.contraindications) {
    n = await clinic.ok(doc, 'consultations.saveDecision', { consultationId: n.id, version: n.version, decision: { decision: 'continueConservative', contraindications: o.contraindications } })
  }
  if (o.sign === false) return n
  return clinic.ok(doc, 'consultations.sign', { id: n.id, version: n.version, password: PASSWORD })
}

itEachEngine('the banner carries the latest signed notes beside the patient history (%s)', async (engine) => {
  const clinic = await openClinic({ engine })
  try {
    const doc = await clinic.as('physician', 'drbones')
    const desk = await clinic.as('frontDesk', 'desk')
    const patientId = (await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)).id

    // nothing signed yet: the notes say nothing
    let h = (await clinic.ok(doc, 'chart.get', { patientId })).header
    expect(h.fromNotes).toEqual({ osteoporosis: null, steroidUse: null, cementAllergy: null, contrastAllergy: null })

    const older = await note(clinic, doc, patientId, { visitDate: '2026-10-14', osteoporosis: true, steroidUse: false, contraindications: ['cementAllergy'] })
    // a later signed note that leaves osteoporosis "not known" does not hide the earlier signed yes
    const later = await note(clinic, doc, patientId, { visitDate: '2026-11-02', osteoporosis: null, steroidUse: true })
    // a draft says nothing until it is signed
    await note(clinic, doc, patientId, { visitDate: '2026-11-20', osteoporosis: false, steroidUse: false, contraindications: ['contrastAllergy'], sign: false })

    h = (await clinic.ok(doc, 'chart.get', { patientId })).header
    expect(h.history.osteoporosis).toBeNull()
    expect(h.fromNotes.osteoporosis).toEqual({ consultationId: older.id, visitDate: '2026-10-14', value: true })
    expect(h.fromNotes.steroidUse).toEqual({ consultationId: later.id, visitDate: '2026-11-02', value: true })
    expect(h.fromNotes.cementAllergy).toEqual({ consultationId: older.id, visitDate: '2026-10-14' })
    expect(h.fromNotes.contrastAllergy).toBeNull()
    expect(h.alerts).toEqual([{ kind: 'cementAllergy', text: 'Cement allergy: recorded in the signed consultation of 2026-10-14', fromNote: { consultationId: older.id, visitDate: '2026-10-14' } }])

    // the physician sets the history: it is the record; the disagreeing note is still carried for the banner
    const chart = await clinic.ok(doc, 'chart.get', { patientId })
    const updated = await clinic.ok(doc, 'chart.updateHistory', {
      patientId,
      version: chart.header.historyVersion,
      history: { ...chart.header.history, osteoporosis: false, allergyCement: true },
    })
    expect(updated.history.osteoporosis).toBe(false)
    expect(updated.fromNotes.osteoporosis).toMatchObject({ value: true, visitDate: '2026-10-14' })
    // the history's own allergy raises the alert (no duplicate from the note)
    expect(updated.alerts).toEqual([{ kind: 'cementAllergy', text: 'Cement allergy' }])

    // a note entered in error counts for nothing
    await clinic.ok(doc, 'consultations.markEnteredInError', { id: later.id, reason: 'Wrong patient' })
    h = (await clinic.ok(doc, 'chart.get', { patientId })).header
    expect(h.fromNotes.steroidUse).toEqual({ consultationId: older.id, visitDate: '2026-10-14', value: false })
  } finally {
    await clinic.close()
  }
})
