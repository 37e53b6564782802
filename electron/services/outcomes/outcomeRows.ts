/**
 * The outcome rows: one per procedure the filter selects, with its levels, kind, disposition, baseline and
 * follow-up scores, read as a stream so that memory stays flat however long the range. On SQLite Kysely's
 * own read-only connection, pages of rows as arrays; on PostgreSQL, whose streaming needs pg-cursor (not installed),
 * keyset pages of 1000 rows in the same order, which keeps memory just as flat (the engine's adapter: db/engine.ts).
 *
 * The whole row is made by one SQL query (levels aggregated, the baseline consultations and the visit at
 * each follow-up label joined by a correlated lookup), so that the database does the joining; the
 * application only turns codes into text, scores the baseline ODI from its answers and writes the row.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { OutcomeFilter } from '../../../shared/schemas/outcomes'
import type { AppDatabase } from '../../db/connect'
import { engineOf, type Engine } from '../../db/engine'
import type { Tx } from '../../db/tx'
import { filteredProcedures } from './common'
import '../referralTables'

/** The columns read for each follow-up label i, as `v{i}_{name}`. */
export const VISIT_COLUMNS = ['visit_date', 'pain_nrs', 'odi_score', 'analgesics', 'brace', 'new_fracture_levels', 'complications', 'satisfaction'] as const

/** The query (without paging) for a filter and the follow-up labels to pivot. */
export function outcomeQuery(db: Tx, engine: Engine, f: OutcomeFilter, labels: readonly string[]) {
  const d = db as unknown as Kysely<any>
  // NOT EXISTS on the (record_type, record_id) key: a point lookup per row, where NOT IN builds a list each time
  const notInError = (type: string, id: string) => sql<SqlBool>`not exists (select 1 from entered_in_error e where e.record_type = ${type} and e.record_id = ${sql.ref(id)})`
  // the procedure's levels (and each level's leakage) in the order they were treated, space-separated
  const levelsOf = (value: RawBuilder<unknown>) =>
    engineOf(engine).joinedInOrder({ value, from: sql`procedure_levels l`, where: sql`l.procedure_id = p.id`, orderBy: sql`l.treated_order` })
  const levelsExpr = levelsOf(sql`l.level`)
  const leakageExpr = levelsOf(sql`l.level || ':' || case when l.leakage = '' then 'notRecorded' else replace(l.leakage, ',', '+') end`)
  const latestConsult = (column: 'pain_nrs' | 'odi_answers') =>
    sql<SqlBool>`(select c.id from consultations c where c.patient_id = p.patient_id and c.visit_date <= p.procedure_date and c.${sql.raw(column)} is not null and ${notInError('consultation', 'c.id')} order by c.visit_date desc, c.id desc limit 1)`

  let q = d
    .selectFrom('procedures as p')
    .innerJoin('patients as pt', 'pt.id', 'p.patient_id')
    .innerJoin('users as u', 'u.id', 'p.provider_id')
    .leftJoin('stay_decisions as s', 's.procedure_id', 'p.id')
    .leftJoin('consultations as bp', (j) => j.on(sql<SqlBool>`bp.id = ${latestConsult('pain_nrs')}`))
    .leftJoin('consultations as bo', (j) => j.on(sql<SqlBool>`bo.id = ${latestConsult('odi_answers')}`))
    // the referral that brought the patient to this procedure: the latest one received on or before its day
    .leftJoin('referrals as rf', (j) =>
      j.on(
        sql<SqlBool>`rf.id = (select x.id from referrals x where x.patient_id = p.patient_id and x.source = 'intake' and x.received_on <= p.procedure_date order by x.received_on desc, x.id desc limit 1)`,
      ),
    )
    .leftJoin('referrers as rr', 'rr.id', 'rf.referrer_id')
    .leftJoin('appointments as ra', 'ra.id', 'rf.appointment_id')
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
      'rf.received_on as referral_received_on',
      'rr.name as referrer_name',
      'rr.practice as referrer_practice',
      'rf.referrer_text',
      'ra.starts_at as referral_appointment_starts_at',
      'ra.status as referral_appointment_status',
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
  'referral_received_on',
  'referrer_name',
  'referrer_practice',
  'referrer_text',
  'referral_appointment_starts_at',
  'referral_appointment_status',
] as const
export const COL = Object.fromEntries(BASE_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof BASE_COLUMNS)[number]]: number }

const BATCH = 1000

/**
 * The rows (arrays, in BASE_COLUMNS then VISIT_COLUMNS order) in procedure date then id order, a batch at a
 * time, read by the engine's adapter (keysetPages, db/engine.ts). SQLite: the query Kysely compiles, run on a
 * read-only connection of the export's own (so that the app keeps its connection while the export waits on the
 * file; WAL lets both read) with better-sqlite3's raw mode: rows as arrays, which halves the cost of handing 50k
 * rows to JavaScript compared with objects. PostgreSQL: keyset pages. Breaking out of the loop closes the reader.
 */
export async function* outcomeRows(database: AppDatabase, f: OutcomeFilter, labels: readonly string[]): AsyncGenerator<unknown[][]> {
  const base = outcomeQuery(database.db, database.engine, f, labels)
  const columns = [...BASE_COLUMNS, ...labels.flatMap((_, i) => VISIT_COLUMNS.map((c) => `v${i}_${c}`))]
  yield* engineOf(database).keysetPages(database, base, { columns, orderBy: ['p.procedure_date', 'p.id'], keys: ['procedure_date', 'procedure_id'], batch: BATCH })
}

export async function countOutcomeRows(db: Tx, f: OutcomeFilter): Promise<number> {
  const r = await filteredProcedures(db, f).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}
