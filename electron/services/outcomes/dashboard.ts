/**
 * The manager's dashboard over the procedures a filter selects (date range, physician, kind): procedures per
 * month by kind; same-day discharge rate and the reasons for overnight stays; mean change in pain and ODI
 * from baseline at each follow-up, with the number of patients behind each figure; cement leakage and
 * complication rates; follow-up completion. Every figure states its numerator and denominator.
 *
 * Baseline: the patient's latest consultation on or before the procedure date that has the score (pain and
 * ODI separately), not entered in error. A follow-up figure counts a procedure only when both its baseline
 * and the visit have that score.
 */
import { STAY_REASON_LABELS, STAY_REASONS, type StayReason } from '../../../shared/clinical/observation'
import type { Dashboard, OutcomeFilter, ScoreChange } from '../../../shared/schemas/outcomes'
import { COMPLICATION_LABELS, COMPLICATIONS } from '../../../shared/schemas/procedures'
import type { Tx } from '../../db/tx'
import type { ServiceContext } from '../context'
import { requireSettings } from '../settings'
import { clinicToday } from '../records/today'
import { filteredProcedures, inError, odiFromAnswers, parseJson, rate, round } from './common'

type Complication = (typeof COMPLICATIONS)[number]

export interface Baseline {
  pain: number | null
  odi: number | null
}

/** Baseline pain and ODI per procedure of the filter. */
export async function baselines(db: Tx, f: OutcomeFilter): Promise<Map<number, Baseline>> {
  const procs = await filteredProcedures(db, f).select(['p.id', 'p.patient_id', 'p.procedure_date']).execute()
  const patientIds = filteredProcedures(db, f).select('p.patient_id')
  const consults = await db
    .selectFrom('consultations')
    .select(['patient_id', 'visit_date', 'pain_nrs', 'odi_answers'])
    .where('patient_id', 'in', patientIds)
    .where('id', 'not in', inError(db, 'consultation'))
    .where((eb) => eb.or([eb('pain_nrs', 'is not', null), eb('odi_answers', 'is not', null)]))
    .orderBy('visit_date', 'desc')
    .orderBy('id', 'desc')
    .execute()
  const byPatient = new Map<number, typeof consults>()
  for (const c of consults) {
    const list = byPatient.get(c.patient_id) ?? []
    list.push(c)
    byPatient.set(c.patient_id, list)
  }
  const out = new Map<number, Baseline>()
  for (const p of procs) {
    const before = (byPatient.get(p.patient_id) ?? []).filter((c) => c.visit_date <= p.procedure_date)
    const pain = before.find((c) => c.pain_nrs !== null)?.pain_nrs ?? null
    const odiRow = before.find((c) => odiFromAnswers(c.odi_answers) !== null)
    out.set(p.id, { pain, odi: odiRow ? odiFromAnswers(odiRow.odi_answers) : null })
  }
  return out
}

function change(pairs: [number, number][]): ScoreChange {
  const n = pairs.length
  if (n === 0) return { n, meanBaseline: null, meanAtVisit: null, meanChange: null }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  return {
    n,
    meanBaseline: round(sum(pairs.map((p) => p[0])) / n, 2),
    meanAtVisit: round(sum(pairs.map((p) => p[1])) / n, 2),
    meanChange: round(sum(pairs.map((p) => p[1] - p[0])) / n, 2),
  }
}

/** Follow-up labels in the clinic's interval order, then any others (older settings) alphabetically. */
export async function orderedLabels(db: Tx, seen: Iterable<string>): Promise<string[]> {
  const { settings } = await requireSettings(db)
  const configured = settings.followUpIntervals.map((i) => i.label)
  const rest = [...new Set(seen)].filter((l) => !configured.includes(l)).sort()
  return [...configured, ...rest]
}

export async function buildDashboard(db: Tx, f: OutcomeFilter, today: string): Promise<Dashboard> {
  const procs = await filteredProcedures(db, f)
    .select(['p.id', 'p.patient_id', 'p.kind', 'p.procedure_date', 'p.intra_complications', 'p.post_complications'])
    .orderBy('p.procedure_date')
    .execute()
  const ids = filteredProcedures(db, f).select('p.id')
  const [levels, stays, followUps, visits, base, physicians] = await Promise.all([
    db.selectFrom('procedure_levels').select(['procedure_id', 'leakage', 'leakage_symptomatic']).where('procedure_id', 'in', ids).execute(),
    db.selectFrom('stay_decisions').select(['procedure_id', 'disposition', 'reasons']).where('procedure_id', 'in', ids).execute(),
    db.selectFrom('procedure_follow_ups').select(['id', 'procedure_id', 'target_date']).where('procedure_id', 'in', ids).where('status', '!=', 'cancelled').execute(),
    db
      .selectFrom('follow_up_visits')
      .select(['follow_up_id', 'procedure_id', 'label', 'pain_nrs', 'odi_score', 'complications'])
      .where('procedure_id', 'in', ids)
      .where('error_at', 'is', null)
      .execute(),
    baselines(db, f),
    db.selectFrom('users').select(['id', 'display_name']).where('role', '=', 'physician').orderBy('display_name').execute(),
  ])

  // procedures per month by kind
  const months = new Map<string, { month: string; vertebroplasty: number; kyphoplasty: number }>()
  for (const p of procs) {
    const m = p.procedure_date.slice(0, 7)
    const row = months.get(m) ?? { month: m, vertebroplasty: 0, kyphoplasty: 0 }
    if (p.kind === 'vertebroplasty' || p.kind === 'kyphoplasty') row[p.kind]++
    months.set(m, row)
  }

  // discharge
  const reasonCounts = new Map<StayReason, number>()
  let sameDay = 0
  let overnight = 0
  for (const s of stays) {
    if (s.disposition === 'sameDay') sameDay++
    else {
      overnight++
      for (const r of parseJson<StayReason[]>(s.reasons, [])) reasonCounts.set(r, (reasonCounts.get(r) ?? 0) + 1)
    }
  }

  // leakage
  const leakByProc = new Map<number, boolean>()
  let levelsRecorded = 0
  let levelsLeaked = 0
  let symptomatic = 0
  for (const l of levels) {
    if (l.leakage === '') continue
    levelsRecorded++
    const leaked = l.leakage.split(',').some((x) => x !== 'none')
    if (leaked) levelsLeaked++
    if (leaked && l.leakage_symptomatic === 1) symptomatic++
    leakByProc.set(l.procedure_id, (leakByProc.get(l.procedure_id) ?? false) || leaked)
  }

  // complications: during, after, or reported at a follow-up visit
  const compByProc = new Map<number, Set<Complication>>()
  const addComp = (id: number, keys: Complication[]) => {
    const s = compByProc.get(id) ?? new Set<Complication>()
    for (const k of keys) s.add(k)
    compByProc.set(id, s)
  }
  for (const p of procs) addComp(p.id, [...parseJson<Complication[]>(p.intra_complications, []), ...parseJson<Complication[]>(p.post_complications, [])])
  for (const v of visits) addComp(v.procedure_id, parseJson<Complication[]>(v.complications, []))
  const withComp = [...compByProc.values()].filter((s) => s.size > 0).length
  const compCounts = COMPLICATIONS.map((c) => ({ complication: c, label: COMPLICATION_LABELS[c], count: [...compByProc.values()].filter((s) => s.has(c)).length })).filter((c) => c.count > 0)

  // change from baseline per follow-up label
  const byLabel = new Map<string, { pain: [number, number][]; odi: [number, number][] }>()
  for (const v of visits) {
    const b = base.get(v.procedure_id)
    const e = byLabel.get(v.label) ?? { pain: [], odi: [] }
    if (b?.pain != null && v.pain_nrs !== null) e.pain.push([b.pain, v.pain_nrs])
    if (b?.odi != null && v.odi_score !== null) e.odi.push([b.odi, v.odi_score])
    byLabel.set(v.label, e)
  }
  const labels = (await orderedLabels(db, byLabel.keys())).filter((l) => byLabel.has(l))

  // follow-up completion
  const seen = new Set(visits.map((v) => v.follow_up_id))
  const dueSoFar = followUps.filter((x) => x.target_date <= today)

  return {
    filter: f,
    procedures: procs.length,
    patients: new Set(procs.map((p) => p.patient_id)).size,
    perMonth: [...months.values()].sort((a, b) => (a.month < b.month ? -1 : 1)),
    sameDay: rate(sameDay, sameDay + overnight),
    undecided: procs.length - stays.length,
    overnightReasons: STAY_REASONS.filter((r) => reasonCounts.has(r)).map((r) => ({ reason: r, label: STAY_REASON_LABELS[r], count: reasonCounts.get(r)! })),
    changes: labels.map((l) => ({ label: l, pain: change(byLabel.get(l)!.pain), odi: change(byLabel.get(l)!.odi) })),
    leakageLevels: rate(levelsLeaked, levelsRecorded),
    leakageProcedures: rate([...leakByProc.values()].filter(Boolean).length, leakByProc.size),
    symptomaticLeaks: symptomatic,
    complications: rate(withComp, procs.length),
    complicationCounts: compCounts,
    followUpCompletion: rate(dueSoFar.filter((x) => seen.has(x.id)).length, dueSoFar.length),
    physicians: physicians.map((u) => ({ id: u.id, name: u.display_name })),
  }
}

export async function dashboard(ctx: ServiceContext, input: OutcomeFilter): Promise<Dashboard> {
  const out = await buildDashboard(ctx.db, input, await clinicToday(ctx))
  await ctx.audit({ action: 'outcomes.dashboard', entity: 'outcomes', details: { filter: input, procedures: out.procedures } })
  return out
}
