/**
 * The registry `verify` walks to prove that signed records were not changed behind the app's back.
 *
 * A module that signs records (consultation notes, procedure summaries, ...) stores a content hash with
 * each signed row and adds one checker here, usually made with `contentHashChecker`:
 *
 *   import { signedNoteHash } from './consultations'
 *   export const SIGNED_RECORD_CHECKERS = [
 *     contentHashChecker({ name: 'signed consultation notes', table: 'consultation_notes', hashColumn: 'content_hash',
 *                          signedOnly: (q) => q.where('signed_at', 'is not', null), computeHash: signedNoteHash }),
 *   ]
 *
 * Use the same hash function that signing uses, so the two can never disagree.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely'

export interface SignedRecordProblem {
  rowId: string | number
  problem: string
}

export interface SignedRecordChecker {
  /** What an administrator reads, e.g. "signed consultation notes". */
  name: string
  /** The table it reads; verify skips the checker (and says so) on a database that does not have it yet. */
  table: string
  check(db: Kysely<any>): Promise<{ checked: number; problems: SignedRecordProblem[] }>
}

/**
 * A checker for rows that carry the hash of their own content: recomputes `computeHash(row)` for every
 * signed row (paged by `idColumn`) and names each row whose stored hash differs.
 */
export function contentHashChecker<Row extends Record<string, unknown>>(opts: {
  name: string
  table: string
  hashColumn: string
  computeHash: (row: Row) => string
  idColumn?: string
  signedOnly?: (q: SelectQueryBuilder<any, any, any>) => SelectQueryBuilder<any, any, any>
  pageSize?: number
}): SignedRecordChecker {
  const idColumn = opts.idColumn ?? 'id'
  const pageSize = opts.pageSize ?? 2000
  return {
    name: opts.name,
    table: opts.table,
    async check(db) {
      const problems: SignedRecordProblem[] = []
      let checked = 0
      let after: unknown = null
      for (;;) {
        let q = db.selectFrom(opts.table).selectAll()
        if (opts.signedOnly) q = opts.signedOnly(q)
        if (after !== null) q = q.where(idColumn, '>', after)
        const page = (await q.orderBy(idColumn).limit(pageSize).execute()) as Row[]
        if (page.length === 0) break
        for (const row of page) {
          checked++
          const stored = row[opts.hashColumn]
          if (typeof stored !== 'string' || stored === '') problems.push({ rowId: row[idColumn] as number, problem: 'is signed but has no content hash' })
          else if (opts.computeHash(row) !== stored) problems.push({ rowId: row[idColumn] as number, problem: 'content does not match the hash it was signed with (changed after signing)' })
          after = row[idColumn]
        }
      }
      return { checked, problems }
    },
  }
}

/** Checkers shipped with the app: one line per kind of signed record. */
export const SIGNED_RECORD_CHECKERS: SignedRecordChecker[] = [
  // consultations (migrations/0003): add the signed-note checker here.
]
