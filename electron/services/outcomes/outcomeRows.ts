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
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import type { Engine } from '../../../migrations'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { Tx } from '../../db/tx'
import { filteredProcedures } from './common'

export interface RawOutcomeRow {
  procedure_id: number
  patient_id: number
  mrn: string
  last_name: string
  first_name: string
  date_of_birth: string
  sex: string
  phone: string
  email: string
  address: string
  procedure_date: string
  physician: string
  kind: string
  levels: string | null
  leakage: string | null
  cement_ml: number | null
  leak_symptomatic: number | null
  intra_complications: string
  post_complications: string
  disposition: string | null
  stay_reasons: string | null
  baseline_pain_date: string | null
  baseline_pain: number | null
  baseline_odi_date: string | null
  baseline_odi_answers: string | null
  [visitColumn: string]: unknown
}

/** The columns read for each follow-up label i, as `v{i}_{name}`. */
export const VISIT_COLUMNS = ['visit_date', 'pain_nrs', 'odi_score', 'analgesics', 'brace', 'new_fracture_levels', 'complications', 'satisfaction'] as const

/** The query (without paging) for a filter and the follow-up labels to pivot. */
export function outcomeQuery(db: Tx, engine: Engine, f: OutcomeFilter, labels: readonly string[]) {
  const d = db as unknown as Kysely<any>
  const inErr = (type: string) => sql`(select e.record_id from entered_in_error e where e.record_type = ${type})`
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
    sql<SqlBool>`(select c.id from consultations c where c.patient_id = p.patient_id and c.visit_date <= p.procedure_date and c.${sql.raw(column)} is not null and c.id not in ${inErr('consultation')} order by c.visit_date desc, c.id desc limit 1)`

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
    .where('p.id', 'not in', inErr('procedure') as Expression<any>)
  if (f.physicianId !== null) q = q.where('p.provider_id', '=', f.physicianId)
  if (f.kind !== null) q = q.where('p.kind', '=', f.kind)
  return q
}

/** The rows in procedure date then id order, streamed. Breaking out of the loop releases the connection. */
export async function* outcomeRows(db: Tx, engine: Engine, f: OutcomeFilter, labels: readonly string[]): AsyncGenerator<RawOutcomeRow> {
  const base = outcomeQuery(db, engine, f, labels)
  if (engine === 'sqlite') {
    for await (const r of base.orderBy('p.procedure_date').orderBy('p.id').stream(1000)) yield r as RawOutcomeRow
    return
  }
  let after: { date: string; id: number } | null = null
  for (;;) {
    let q = base
    if (after) {
      const a = after
      q = q.where((eb: any) => eb.or([eb('p.procedure_date', '>', a.date), eb.and([eb('p.procedure_date', '=', a.date), eb('p.id', '>', a.id)])]))
    }
    const page = (await q.orderBy('p.procedure_date').orderBy('p.id').limit(1000).execute()) as RawOutcomeRow[]
    for (const r of page) yield r
    if (page.length < 1000) return
    const last = page[page.length - 1]!
    after = { date: last.procedure_date, id: last.procedure_id }
  }
}

export async function countOutcomeRows(db: Tx, f: OutcomeFilter): Promise<number> {
  const r = await filteredProcedures(db, f).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}
