/**
 * The registry `verify` walks to prove that signed records were not changed behind the app's back.
 *
 * Shipped checkers (SIGNED_RECORD_CHECKERS, at the end): every signature's stored snapshot against its
 * hash, every addendum against its hash, and every signed record's current content against its snapshot
 * (through SIGNED_CONTENT_LOADERS: a kind of signed record that starts signing adds one line there).
 * Another kind of hashed record adds a checker, usually made with `contentHashChecker`, using the same
 * hash function that signing uses, so the two can never disagree.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely'
import { createHash } from 'node:crypto'
import type { Tx } from '../db/tx'
import { loadNote } from './consultations/rows'
import { signedContent } from './consultations/view'
import { signedDischargeContent } from './procedures/discharge'
import { signedContent as procedureSignedContent } from './procedures/note'
import { loadProcedure } from './procedures/rows'
import { canonicalJson, sha256, stillMatches, type SignedRecordType } from './signing'

export interface SignedRecordProblem {
  rowId: string | number
  problem: string
  /** The table the row is in, when it is not the checker's own table. */
  table?: string
}

export interface SignedRecordChecker {
  /** What an administrator reads, e.g. "signed consultation notes". */
  name: string
  /** The table it reads; verify skips the checker (and says so) on a database that does not have it yet. */
  table: string
  check(db: Kysely<any>): Promise<{ checked: number; problems: SignedRecordProblem[]; notes?: string[] }>
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

/** Pages through a table by id. */
async function* rowsOf(db: Kysely<any>, table: string, pageSize = 1000): AsyncGenerator<Record<string, any>> {
  let after = 0
  for (;;) {
    const page = await db.selectFrom(table).selectAll().where('id', '>', after).orderBy('id').limit(pageSize).execute()
    if (page.length === 0) return
    for (const row of page) yield row
    after = page.at(-1)!.id as number
  }
}

/**
 * The current content of a signed record, exactly as signing computed it. One line per kind of signed
 * record: procedure notes and discharge summaries add theirs here when they start signing.
 */
export const SIGNED_CONTENT_LOADERS: Partial<Record<SignedRecordType, { table: string; load(db: Tx, id: number): Promise<unknown> }>> = {
  consultation: { table: 'consultations', load: async (db, id) => signedContent(db, await loadNote(db, id)) },
  procedure: { table: 'procedures', load: async (db, id) => procedureSignedContent(db, await loadProcedure(db, id)) },
  dischargeSummary: { table: 'discharge_summaries', load: (db, id) => signedDischargeContent(db, id) },
}

/** Each stored discharge PDF still has the SHA-256 recorded when it was signed. */
export const dischargePdfChecker = contentHashChecker<{ pdf: Uint8Array }>({
  name: 'stored discharge PDFs',
  table: 'discharge_pdfs',
  hashColumn: 'sha256',
  computeHash: (row) => createHash('sha256').update(row.pdf).digest('hex'),
})

/** Each signature's stored snapshot still hashes to the hash it was signed with. */
export const signatureSnapshotChecker = contentHashChecker<{ content: string }>({
  name: 'signatures (signed snapshots)',
  table: 'signatures',
  hashColumn: 'content_hash',
  computeHash: (row) => sha256(row.content),
})

/** Each addendum's text, author and time still hash to its stored hash (which also binds the signature it amends). */
export const addendaChecker: SignedRecordChecker = {
  name: 'addenda',
  table: 'addenda',
  async check(db) {
    const problems: SignedRecordProblem[] = []
    let checked = 0
    for await (const a of rowsOf(db, 'addenda')) {
      checked++
      const sig = await db.selectFrom('signatures').select('content_hash').where('record_type', '=', a.record_type).where('record_id', '=', a.record_id).executeTakeFirst()
      if (!sig) {
        problems.push({ rowId: a.id, problem: `amends ${a.record_type} ${a.record_id}, which has no signature` })
        continue
      }
      const expected = sha256(canonicalJson({ amends: sig.content_hash, recordType: a.record_type, recordId: a.record_id, text: a.text, authorId: a.author_id, signedAt: a.signed_at }))
      if (expected !== a.content_hash) problems.push({ rowId: a.id, problem: 'text, author or time does not match the hash it was signed with (changed after signing)' })
    }
    return { checked, problems }
  },
}

/** Each signed record still says what was signed (the same comparison the chart uses to show "Signed"). */
export const signedRecordContentChecker: SignedRecordChecker = {
  name: 'signed records (current content)',
  table: 'signatures',
  async check(db) {
    const problems: SignedRecordProblem[] = []
    const unknownTypes = new Set<string>()
    let checked = 0
    for await (const sig of rowsOf(db, 'signatures')) {
      const loader = SIGNED_CONTENT_LOADERS[sig.record_type as SignedRecordType]
      if (!loader) {
        unknownTypes.add(sig.record_type)
        continue
      }
      checked++
      let current: unknown
      try {
        current = await loader.load(db as Tx, sig.record_id)
      } catch {
        problems.push({ table: loader.table, rowId: sig.record_id, problem: `is signed (signature ${sig.id}) but cannot be read any more (removed?)` })
        continue
      }
      let signed: unknown
      try {
        signed = JSON.parse(sig.content)
      } catch {
        problems.push({ rowId: sig.id, problem: 'the signed snapshot is not readable' })
        continue
      }
      if (!stillMatches(signed, JSON.parse(canonicalJson(current)))) {
        problems.push({ table: loader.table, rowId: sig.record_id, problem: `no longer matches what was signed (signature ${sig.id}, ${sig.signed_at}): changed after signing` })
      }
    }
    return {
      checked,
      problems,
      ...(unknownTypes.size ? { notes: [`not checked: no content loader for ${[...unknownTypes].join(', ')} (add one to SIGNED_CONTENT_LOADERS)`] } : {}),
    }
  },
}

/** Checkers shipped with the app: one line per kind of signed record. */
export const SIGNED_RECORD_CHECKERS: SignedRecordChecker[] = [signatureSnapshotChecker, addendaChecker, signedRecordContentChecker, dischargePdfChecker]
