/** What the outcome services share: the filter over procedures, small parsers (the clinic's today: shared/clinicClock.ts). */
import { sql } from 'kysely'
import { scoreOdi } from '../../../shared/clinical/scores'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { Tx } from '../../db/tx'
import { enteredInErrorIds } from '../records/enteredInError'

export const parseJson = <T>(text: string | null, fallback: T): T => {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

/** The ODI score of stored answers (JSON), or null. */
export function odiFromAnswers(text: string | null): number | null {
  const answers = parseJson<(number | null)[] | null>(text, null)
  if (!Array.isArray(answers) || answers.length !== 10) return null
  try {
    return scoreOdi(answers).score
  } catch {
    return null
  }
}

/** Ids of records of a type that were entered in error, a subquery: the records of a kind entered in error (the one filter: electron/services/records/enteredInError.ts). */
export const inError = enteredInErrorIds

/**
 * The procedures a filter selects: performed in the date range, by the physician and of the kind if given,
 * not entered in error.
 */
export function filteredProcedures(db: Tx, f: OutcomeFilter) {
  let q = db
    .selectFrom('procedures as p')
    .where('p.procedure_date', '>=', f.from)
    .where('p.procedure_date', '<=', f.to)
    .where('p.id', 'not in', inError(db, 'procedure'))
  if (f.physicianId !== null) q = q.where('p.provider_id', '=', f.physicianId)
  if (f.kind !== null) q = q.where('p.kind', '=', f.kind)
  return q
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

export const rate = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator === 0 ? null : round(numerator / denominator, 4) })

export const countAll = sql<number>`count(*)`
