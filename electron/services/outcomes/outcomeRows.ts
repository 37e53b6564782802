/**
 * The outcome rows: one per procedure the filter selects, with its levels, kind, disposition, baseline and
 * follow-up scores, read as a stream so that memory stays flat however long the range. On SQLite Kysely's
 * `.stream()` (better-sqlite3's iterator); on PostgreSQL, whose streaming needs pg-cursor (not installed),
 * keyset pages of 1000 rows in the same order, which keeps memory just as flat.
 *
 * The whole row is made by one SQL query (levels aggregated, the baseline consultations and the visit at
 * each follow-up label joined by a correlated lookup), so that the database does the joining; the
 * application only turns codes into text, scores the baseline ODI from its answers and writes the row.
 */
import { sql, type Kysely, type SqlBool } from 'kysely'
import type { Engine } from '../../../migrations'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import Database from 'better-sqlite3'
import { sqliteLibraryOptions, type AppDatabase } from '../../db/connect'
import type { Tx } from '../../db/tx'
import { filteredProcedures } from './common'

/** The columns read for each follow-up label i, as `v{i}_{name}`. */
export const VISIT_COLUMNS = ['visit_date', 'pain_nrs', 'odi_score', 'analgesics', 'brace', 'new_fracture_levels', 'complications', 'satisfaction'] as const

/** The query (without paging) for a filter and the follow-up labels to pivot. */
export function outcomeQuery(db: Tx, engine: Engine, f: OutcomeFilter, labels: readonly string[]) {
  const d = db as unknown as Kysely<any>
  // NOT EXISTS on the (record_type, record_id) key: a point lookup per row, where NOT IN builds a list each time
  const notInError = (type: string, id: string) => sql<SqlBool>`not exists (select 1 from entered_in_error e where e.record_type = ${type} and e.record_id = ${sql.ref(id)})`
  const levelsExpr =
    engine === 'postgres'
      ? sql<string>`(select string_agg(l.level, ' ' order by l.treated_order) from procedure_levels l where l.procedure_id = p.id)`
      : sql<string>`(select group_concat(x.level, ' ') from (select l.level from procedure_levels l where l.procedure_id = p.id order by l.treated_order) x)`
  const leakItem = sql`l.level || ':' || case when l.leakage = '' then 'notRecorded' else replace(l.leakage, ',', '+') end`
  const leakageExpr =
    engine === 'postgres'
      ? sql<string>`(select string_agg(${leakItem}, ' ' order by l.treated_order) from procedure_levels l where l.procedure_id = p.id)`
      : sql<string>`(select group_concat(x.item, ' ') from (select ${leakItem} as item from procedure_levels l where l.procedure_id = p.id order by l.treated_order) x)`
  const latestConsult = (column: 'pain_nrs' | 'odi_answers') =>
    sql<SqlBool>`(select c.id from consultations c where c.patient_id = p.patient_id and c.visit_date <= p.procedure_date and c.${sql.raw(column)} is not null and ${notInError('consultation', 'c.id')} order by c.visit_date desc, c.id desc limit 1)`

  let q = d
    .selectFrom('procedures as p')
    .innerJoin('patients as pt', 'pt.id', 'p.patient_id')
    .innerJoin('users as u', 'u.id', 'p.provider_id')
    .leftJoin('stay_decisions as s', 's.procedure_id', 'p.id')
    .leftJoin('consultations as bp', (j) => j.on(sql<SqlBool>`bp.id = ${latestConsult('pain_nrs')}`))
    .leftJoin('consultations as bo', (j) => j.on(sql<SqlBool>`bo.id = ${latestConsult('odi_answers')}`))
    .select([
      'p.id as procedure_id',
      'p.patient_id',
      'pt.mrn',
      'pt.last_name',
      'pt.first_name',
      'pt.date_of_birth',
      'pt.sex',
      'pt.phone',
      'pt.email',
      'pt.address',
      'p.procedure_date',
      'u.display_name as physician',
      'p.kind',
      levelsExpr.as('levels'),
      leakageExpr.as('leakage'),
      sql<number>`(select sum(l.cement_volume_ml) from procedure_levels l where l.procedure_id = p.id)`.as('cement_ml'),
      sql<number>`(select max(l.leakage_symptomatic) from procedure_levels l where l.procedure_id = p.id)`.as('leak_symptomatic'),
      'p.intra_complications',
      'p.post_complications',
      's.disposition',
      's.reasons as stay_reasons',
      'bp.visit_date as baseline_pain_date',
      'bp.pain_nrs as baseline_pain',
      'bo.visit_date as baseline_odi_date',
      'bo.odi_answers as baseline_odi_answers',
    ])
  labels.forEach((label, i) => {
    const v = `v${i}`
    q = q
      .leftJoin(`follow_up_visits as ${v}`, (j) =>
        j.on(
          sql<SqlBool>`${sql.ref(`${v}.id`)} = (select x.id from follow_up_visits x where x.procedure_id = p.id and x.label = ${label} and x.error_at is null order by x.visit_date desc, x.id desc limit 1)`,
        ),
      )
      .select(VISIT_COLUMNS.map((c) => sql.ref(`${v}.${c}`).as(`${v}_${c}`)) as any)
  })
  q = q
    .where('p.procedure_date', '>=', f.from)
    .where('p.procedure_date', '<=', f.to)
    .where(notInError('procedure', 'p.id'))
  if (f.physicianId !== null) q = q.where('p.provider_id', '=', f.physicianId)
  if (f.kind !== null) q = q.where('p.kind', '=', f.kind)
  return q
}

/** The columns of a row, in the order the query selects them (then VISIT_COLUMNS for each label). */
export const BASE_COLUMNS = [
  'procedure_id',
  'patient_id',
  'mrn',
  'last_name',
  'first_name',
  'date_of_birth',
  'sex',
  'phone',
  'email',
  'address',
  'procedure_date',
  'physician',
  'kind',
  'levels',
  'leakage',
  'cement_ml',
  'leak_symptomatic',
  'intra_complications',
  'post_complications',
  'disposition',
  'stay_reasons',
  'baseline_pain_date',
  'baseline_pain',
  'baseline_odi_date',
  'baseline_odi_answers',
] as const
export const COL = Object.fromEntries(BASE_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof BASE_COLUMNS)[number]]: number }

const BATCH = 1000

/**
 * The rows (arrays, in BASE_COLUMNS then VISIT_COLUMNS order) in procedure date then id order, a batch at a
 * time. SQLite: the query Kysely compiles, run on a read-only connection of the export's own (so that the app
 * keeps its connection while the export waits on the file; WAL lets both read) with better-sqlite3's
 * iterator in raw mode: rows as arrays, which halves the cost of handing 50k rows to JavaScript compared with
 * objects. PostgreSQL: keyset pages. Breaking out of the loop closes the reader.
 */
export async function* outcomeRows(database: AppDatabase, f: OutcomeFilter, labels: readonly string[]): AsyncGenerator<unknown[][]> {
  const base = outcomeQuery(database.db, database.engine, f, labels)
  const names = [...BASE_COLUMNS, ...labels.flatMap((_, i) => VISIT_COLUMNS.map((c) => `v${i}_${c}`))]
  if (database.engine === 'sqlite' && database.target.engine === 'sqlite') {
    // Pages with .all() rather than one .iterate(): a page crosses from SQLite into JavaScript at once, where
    // the iterator crosses once per row. The next page starts after the last row's (date, id), a row value
    // SQLite answers from the procedures_date index.
    const ordered = (q: typeof base) => q.orderBy('p.procedure_date').orderBy('p.id').limit(BATCH).compile()
    const first = ordered(base)
    const next = ordered(base.where((eb: any) => eb(eb.refTuple('p.procedure_date', 'p.id'), '>', eb.tuple('', 0))))
    const reader = new Database(database.target.file, { readonly: true, fileMustExist: true, ...sqliteLibraryOptions() })
    try {
      const firstStmt = reader.prepare(first.sql).raw(true)
      const nextStmt = reader.prepare(next.sql).raw(true)
      const nextParams = next.parameters.slice() as unknown[]
      let page = firstStmt.all(...(first.parameters as unknown[])) as unknown[][]
      for (;;) {
        if (page.length) yield page
        if (page.length < BATCH) return
        const last = page[page.length - 1]!
        // the row value's two parameters come just before the limit's
        nextParams.splice(nextParams.length - 3, 2, last[COL.procedure_date], last[COL.procedure_id])
        page = nextStmt.all(...nextParams) as unknown[][]
      }
    } finally {
      reader.close()
    }
  }
  let after: { date: string; id: number } | null = null
  for (;;) {
    let q = base
    if (after) {
      const a = after
      q = q.where((eb: any) => eb.or([eb('p.procedure_date', '>', a.date), eb.and([eb('p.procedure_date', '=', a.date), eb('p.id', '>', a.id)])]))
    }
    const page = (await q.orderBy('p.procedure_date').orderBy('p.id').limit(BATCH).execute()) as Record<string, unknown>[]
    if (page.length) yield page.map((r) => names.map((n) => r[n] ?? null))
    if (page.length < BATCH) return
    const last = page[page.length - 1]!
    after = { date: last.procedure_date as string, id: last.procedure_id as number }
  }
}

export async function countOutcomeRows(db: Tx, f: OutcomeFilter): Promise<number> {
  const r = await filteredProcedures(db, f).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}
