/**
 * Letters due: a signed record whose patient was referred by a referrer in the directory, with no letter to that
 * referrer yet. The records: consultation notes signed and not entered in error; procedures signed with their
 * discharge summary signed, neither entered in error. The referral: the patient's latest one recorded in the app
 * (source 'intake', not declined) naming a referrer and received on or before the record's date. Referrals the
 * upgrade made from the old free text ('migrated') do not make letters due: they are history, and every signed
 * record of years past would otherwise be listed; a letter can still be produced for them from the chart.
 * The primary care physician (patients.primary_care_referrer_id, migration 0034; issue 19 point 4 "to the referrer
 * (and the patient's primary care physician)") is due a letter about the same records too, unless they are the
 * referral's referrer: one letter then, to the referrer. A patient without such a referral (self-referred, or
 * referred before the directory) still has letters due to their primary care physician, for the records signed
 * since that physician was recorded on the patient (patients.primary_care_since, migration 0036): the clinic's
 * policy of writing to the family doctor, bounded so that recording one on a long-standing patient does not make
 * years of signed notes due at once.
 */
import type { SendMethod, LetterDue } from '../../../shared/schemas/letters'
import type { Tx } from '../../db/tx'
import { enteredInErrorIds } from '../records/enteredInError'
import '../referralTables'
import './tables'
import { referrerLabel } from '../../../shared/schemas/referrals'

interface Candidate {
  kind: LetterDue['kind']
  recordId: number
  patientId: number
  recordDate: string
  physicianName: string
  signedAt: string
  patientName: string
  patientMrn: string
}

function intakeReferrals(db: Tx, patientId?: number) {
  let q = db
    .selectFrom('referrals as f')
    .innerJoin('referrers as r', 'r.id', 'f.referrer_id')
    .select(['f.id', 'f.patient_id', 'f.received_on', 'f.referrer_id', 'r.name', 'r.practice', 'r.letter_delivery'])
    .where('f.source', '=', 'intake')
    .where('f.status', '<>', 'declined')
  if (patientId !== undefined) q = q.where('f.patient_id', '=', patientId)
  return q
}

/** Patients who may have a letter due: referred in the app by a referrer of the directory, or with a primary care physician. */
function letteredPatients(db: Tx, patientId?: number) {
  let referred = db.selectFrom('referrals').select('patient_id').where('source', '=', 'intake').where('status', '<>', 'declined').where('referrer_id', 'is not', null)
  let withPrimaryCare = db.selectFrom('patients').select('id as patient_id').where('primary_care_referrer_id', 'is not', null)
  if (patientId !== undefined) {
    referred = referred.where('patient_id', '=', patientId)
    withPrimaryCare = withPrimaryCare.where('id', '=', patientId)
  }
  return referred.union(withPrimaryCare)
}

async function signedConsultations(db: Tx, patientId?: number): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('consultations as c')
    .innerJoin('signatures as s', (j) => j.onRef('s.record_id', '=', 'c.id').on('s.record_type', '=', 'consultation'))
    .innerJoin('patients as p', 'p.id', 'c.patient_id')
    .select(['c.id', 'c.patient_id', 'c.visit_date', 's.signer_name', 's.signed_at', 'p.first_name', 'p.last_name', 'p.mrn'])
    .where('c.patient_id', 'in', letteredPatients(db, patientId))
    .where('c.id', 'not in', enteredInErrorIds(db, 'consultation'))
    .execute()
  return rows.map((r) => ({
    kind: 'consultation',
    recordId: r.id,
    patientId: r.patient_id,
    recordDate: r.visit_date,
    physicianName: r.signer_name,
    signedAt: r.signed_at,
    patientName: `${r.last_name}, ${r.first_name}`,
    patientMrn: r.mrn,
  }))
}

async function signedProcedures(db: Tx, patientId?: number): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('procedures as x')
    .innerJoin('signatures as s', (j) => j.onRef('s.record_id', '=', 'x.id').on('s.record_type', '=', 'procedure'))
    .innerJoin('discharge_summaries as d', 'd.procedure_id', 'x.id')
    .innerJoin('discharge_pdfs as dp', 'dp.summary_id', 'd.id')
    .innerJoin('patients as p', 'p.id', 'x.patient_id')
    .select(['x.id', 'x.patient_id', 'x.procedure_date', 's.signer_name', 'dp.created_at', 'p.first_name', 'p.last_name', 'p.mrn'])
    .where('x.patient_id', 'in', letteredPatients(db, patientId))
    .where('x.id', 'not in', enteredInErrorIds(db, 'procedure'))
    .where('d.id', 'not in', enteredInErrorIds(db, 'dischargeSummary'))
    .execute()
  return rows.map((r) => ({
    kind: 'procedure',
    recordId: r.id,
    patientId: r.patient_id,
    recordDate: r.procedure_date,
    physicianName: r.signer_name,
    signedAt: r.created_at,
    patientName: `${r.last_name}, ${r.first_name}`,
    patientMrn: r.mrn,
  }))
}

const record = (c: Candidate) => ({
  kind: c.kind,
  recordId: c.recordId,
  recordDate: c.recordDate,
  patientId: c.patientId,
  patientName: c.patientName,
  patientMrn: c.patientMrn,
  physicianName: c.physicianName,
  signedAt: c.signedAt,
})

/** The due letters (of one patient, or of every patient), the longest signed first. */
export async function dueLetters(db: Tx, patientId?: number): Promise<LetterDue[]> {
  const referrals = await intakeReferrals(db, patientId).execute()
  const byPatient = new Map<number, typeof referrals>()
  for (const r of referrals) byPatient.set(r.patient_id, [...(byPatient.get(r.patient_id) ?? []), r])
  const [consultations, procedures, letters, primaryCare] = await Promise.all([
    signedConsultations(db, patientId),
    signedProcedures(db, patientId),
    db.selectFrom('letters').select(['record_kind', 'consultation_id', 'procedure_id', 'referrer_id']).where('entered_in_error_at', 'is', null).$if(patientId !== undefined, (q) => q.where('patient_id', '=', patientId!)).execute(),
    db
      .selectFrom('patients as p')
      .innerJoin('referrers as r', 'r.id', 'p.primary_care_referrer_id')
      .select(['p.id', 'p.primary_care_since', 'r.id as referrer_id', 'r.name', 'r.practice', 'r.letter_delivery'])
      .where('p.id', 'in', letteredPatients(db, patientId))
      .execute(),
  ])
  const primaryCareOf = new Map(primaryCare.map((r) => [r.id, r]))
  const written = new Set(letters.map((l) => `${l.record_kind}:${l.consultation_id ?? l.procedure_id}:${l.referrer_id}`))
  const due: LetterDue[] = []
  const seen = new Set<string>()
  for (const c of [...consultations, ...procedures]) {
    // one row per record (a procedure joins each of its discharge summaries)
    if (seen.has(`${c.kind}:${c.recordId}`)) continue
    seen.add(`${c.kind}:${c.recordId}`)
    const referral = (byPatient.get(c.patientId) ?? [])
      .filter((r) => r.received_on <= c.recordDate)
      .sort((a, b) => (a.received_on === b.received_on ? b.id - a.id : a.received_on < b.received_on ? 1 : -1))[0]
    const pcp = primaryCareOf.get(c.patientId)
    // without a referral, only what was signed since the primary care physician was recorded (see above)
    const pcpConcerned = pcp && (referral ? pcp.referrer_id !== referral.referrer_id : pcp.primary_care_since !== null && c.signedAt >= pcp.primary_care_since)
    if (pcp && pcpConcerned && !written.has(`${c.kind}:${c.recordId}:${pcp.referrer_id}`)) {
      due.push({
        ...record(c),
        referralId: referral?.id ?? null,
        referrerId: pcp.referrer_id,
        recipientKind: 'primaryCare',
        referrerName: referrerLabel(pcp.name, pcp.practice),
        delivery: pcp.letter_delivery as SendMethod,
      })
    }
    if (!referral || referral.referrer_id === null || written.has(`${c.kind}:${c.recordId}:${referral.referrer_id}`)) continue
    due.push({
      ...record(c),
      referralId: referral.id,
      referrerId: referral.referrer_id,
      recipientKind: 'referrer',
      referrerName: referrerLabel(referral.name, referral.practice),
      delivery: referral.letter_delivery as SendMethod,
    })
  }
  // the referrer's letter before the primary care physician's, for the same record
  const order = (d: LetterDue) => (d.recipientKind === 'referrer' ? 0 : 1)
  return due.sort((a, b) => (a.signedAt < b.signedAt ? -1 : a.signedAt > b.signedAt ? 1 : a.recordId - b.recordId || order(a) - order(b)))
}
