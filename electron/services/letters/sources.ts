/**
 * The signed record a letter is made from, or a clear refusal: a consultation note that is signed and not entered
 * in error; a procedure note that is signed, with its discharge summary signed (the letter reports the outcome and
 * the follow-up, which the summary holds), neither entered in error. What the letter says comes from what was
 * signed (the signature's snapshot, the summary's stored content), never from rows edited since.
 */
import { formatTypedDate } from '../../../shared/dates'
import type { LetterKind } from '../../../shared/letters/template'
import { AppError } from '../../../shared/result'
import type { DischargeContent } from '../../../shared/schemas/discharge'
import type { LetterSource } from '../../../shared/schemas/letters'
import type { Tx } from '../../db/tx'
import { enteredInErrorIds, isEnteredInError } from '../records/enteredInError'
import type { SignedConsultation } from './values'

export interface SignedSource {
  kind: LetterKind
  recordId: number
  patientId: number
  /** the visit's or the procedure's date */
  recordDate: string
  /** who signed the record (the consultation note, or the procedure note) */
  physicianName: string
  /** when the record was signed (for a procedure: its discharge summary) */
  signedAt: string
  consultation?: SignedConsultation
  discharge?: DischargeContent
}

/** the field a refusal names: the record the letter would be made from ("Record: ...") */
const FIELD = 'record'

function refuse(message: string, why: string): never {
  throw new AppError('invalid_input', `Record: ${message} A letter is made from a signed record only; nothing was produced.`, { [FIELD]: why })
}

async function signatureOf(db: Tx, type: 'consultation' | 'procedure' | 'dischargeSummary', id: number) {
  return db.selectFrom('signatures').select(['signer_name', 'signed_at', 'content']).where('record_type', '=', type).where('record_id', '=', id).executeTakeFirst()
}

export async function loadSignedSource(db: Tx, source: LetterSource): Promise<SignedSource> {
  if (source.kind === 'consultation') {
    const row = await db.selectFrom('consultations').select(['id', 'patient_id', 'visit_date']).where('id', '=', source.recordId).executeTakeFirst()
    if (!row) throw new AppError('not_found', `There is no consultation with id ${source.recordId}. Nothing was produced.`, { [FIELD]: 'no such consultation' })
    const what = `The consultation note of ${formatTypedDate(row.visit_date)}`
    if (await isEnteredInError(db, 'consultation', row.id)) refuse(`${what} was entered in error.`, 'was entered in error')
    const sig = await signatureOf(db, 'consultation', row.id)
    if (!sig) refuse(`${what} is not signed yet.`, 'is not signed yet')
    return {
      kind: 'consultation',
      recordId: row.id,
      patientId: row.patient_id,
      recordDate: row.visit_date,
      physicianName: sig.signer_name,
      signedAt: sig.signed_at,
      consultation: JSON.parse(sig.content) as SignedConsultation,
    }
  }
  const row = await db.selectFrom('procedures').select(['id', 'patient_id', 'procedure_date']).where('id', '=', source.recordId).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no procedure with id ${source.recordId}. Nothing was produced.`, { [FIELD]: 'no such procedure' })
  const what = `The procedure of ${formatTypedDate(row.procedure_date)}`
  if (await isEnteredInError(db, 'procedure', row.id)) refuse(`${what} was entered in error.`, 'was entered in error')
  const sig = await signatureOf(db, 'procedure', row.id)
  if (!sig) refuse(`${what} is not signed yet.`, 'is not signed yet')
  const summary = await db
    .selectFrom('discharge_summaries as s')
    .innerJoin('discharge_pdfs as p', 'p.summary_id', 's.id')
    .select(['s.id', 'p.data', 'p.created_at'])
    .where('s.procedure_id', '=', row.id)
    .where('s.id', 'not in', enteredInErrorIds(db, 'dischargeSummary'))
    .orderBy('s.id', 'desc')
    .executeTakeFirst()
  if (!summary) refuse(`${what} has no signed discharge summary yet.`, 'has no signed discharge summary yet')
  return {
    kind: 'procedure',
    recordId: row.id,
    patientId: row.patient_id,
    recordDate: row.procedure_date,
    physicianName: sig.signer_name,
    signedAt: summary.created_at,
    discharge: JSON.parse(summary.data) as DischargeContent,
  }
}
