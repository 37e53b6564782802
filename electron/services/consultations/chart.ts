/** The patient chart: the two-second header, the timeline and the spine diagram's data. */
import { buildTimeline, recordStatuses, treatmentsByLevel, type SignedRecordType, type TimelineSources } from '../../../shared/chartTimeline'
import { isProcedureDecision, type CandidacyDecisionKind } from '../../../shared/clinical/contraindications'
import type { ProcedureKind } from '../../../shared/clinical/cpt'
import { ageOn } from '../../../shared/clinical/dates'
import { genantGrade } from '../../../shared/clinical/genant'
import { isVertebralLevel, levelRegion, VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import type { Disposition, StayReason } from '../../../shared/clinical/observation'
import { AppError } from '../../../shared/result'
import type { ChartHeader, ChartView, ClinicalHistoryFields, SpineFinding, SpineLevel, SpineTreatment } from '../../../shared/schemas/chart'
import { SIGNED_RECORD_STATUS_LABELS } from '../../../shared/schemas/signing'
import type { Tx } from '../../db/tx'
import type { FindingRow, PatientRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { staleDetail, staleSentence } from '../records/conflicts'
import { assertNotFuture, clinicDay, clinicToday } from '../records/today'
import { bit, bool, parseLevels } from './rows'
import { pickLatestBoneDensity, type BoneDensity } from './view'

async function patientRow(db: Tx, id: number): Promise<PatientRow> {
  const row = await db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no patient with id ${id}.`, { patientId: 'no such patient' })
  return row
}

function toHistory(p: PatientRow): ClinicalHistoryFields {
  return {
    allergies: p.allergies,
    allergyCement: p.allergy_cement === 1,
    allergyContrast: p.allergy_contrast === 1,
    anticoagulants: p.anticoagulants,
    antiplatelets: p.antiplatelets,
    osteoporosis: bool(p.osteoporosis),
    steroidUse: bool(p.steroid_use),
    priorFractures: p.prior_fractures,
    asaClass: p.asa_class,
    dexaTScore: p.dexa_t_score,
    dexaDate: p.dexa_date,
  }
}

const CEMENT_WORDS = /cement|pmma|methyl ?methacrylate/i
const CONTRAST_WORDS = /contrast|iodin|gadolin/i

/**
 * What the signed consultation notes (not entered in error) record about the history the banner shows: the
 * latest signed yes/no to osteoporosis and to steroid use ("not known" answers nothing), and the latest signed
 * note that ticked a cement or contrast allergy (an allergy once recorded is not taken back by a later note that
 * did not tick it; the legacy "cement or contrast" item counts for both). Read from the rows the chart already has.
 */
function pickFromNotes(notes: ChartNotes): ChartHeader['fromNotes'] {
  const signed = new Set(notes.signing.signed.filter((s) => s.recordType === 'consultation').map((s) => s.recordId))
  const newestFirst = notes.rows
    .filter((n) => signed.has(n.id) && !notes.enteredInError.has(n.id))
    .sort((a, b) => (a.visit_date !== b.visit_date ? (a.visit_date < b.visit_date ? 1 : -1) : a.created_at !== b.created_at ? (a.created_at < b.created_at ? 1 : -1) : b.id - a.id))
  const source = (n: ChartNotes['rows'][number]) => ({ consultationId: n.id, visitDate: n.visit_date })
  const answer = (pick: (n: ChartNotes['rows'][number]) => number | null) => {
    const n = newestFirst.find((r) => pick(r) !== null)
    return n ? { ...source(n), value: pick(n) === 1 } : null
  }
  const ticked = (item: 'cementAllergy' | 'contrastAllergy') => {
    const n = newestFirst.find((r) => jsonList(r.contraindications).some((c) => c === item || c === 'cementOrContrastAllergy'))
    return n ? source(n) : null
  }
  return { osteoporosis: answer((n) => n.osteoporosis), steroidUse: answer((n) => n.steroid_use), cementAllergy: ticked('cementAllergy'), contrastAllergy: ticked('contrastAllergy') }
}

function header(p: PatientRow, today: string, latestBoneDensity: BoneDensity | null, fromNotes: ChartHeader['fromNotes']): ChartHeader {
  const history = toHistory(p)
  const alerts: ChartHeader['alerts'] = []
  // the patient's history raises an allergy alert; failing that, a signed note that recorded it does (the banner names the note)
  if (history.allergyCement || CEMENT_WORDS.test(history.allergies)) alerts.push({ kind: 'cementAllergy', text: `Cement allergy${history.allergies ? `: ${history.allergies}` : ''}` })
  else if (fromNotes.cementAllergy) alerts.push({ kind: 'cementAllergy', text: `Cement allergy: recorded in the signed consultation of ${fromNotes.cementAllergy.visitDate}`, fromNote: fromNotes.cementAllergy })
  if (history.allergyContrast || CONTRAST_WORDS.test(history.allergies)) alerts.push({ kind: 'contrastAllergy', text: `Contrast allergy${history.allergies ? `: ${history.allergies}` : ''}` })
  else if (fromNotes.contrastAllergy) alerts.push({ kind: 'contrastAllergy', text: `Contrast allergy: recorded in the signed consultation of ${fromNotes.contrastAllergy.visitDate}`, fromNote: fromNotes.contrastAllergy })
  if (history.anticoagulants) alerts.push({ kind: 'anticoagulant', text: `Anticoagulant: ${history.anticoagulants}` })
  if (history.antiplatelets) alerts.push({ kind: 'antiplatelet', text: `Antiplatelet: ${history.antiplatelets}` })
  return {
    patientId: p.id,
    mrn: p.mrn,
    firstName: p.first_name,
    lastName: p.last_name,
    dateOfBirth: p.date_of_birth,
    age: ageOn(p.date_of_birth, today),
    sex: p.sex as ChartHeader['sex'],
    preferredLanguage: p.preferred_language,
    interpreterNeeded: p.interpreter_needed === 1,
    history,
    historyVersion: p.history_version,
    alerts,
    latestBoneDensity,
    fromNotes,
  }
}

/**
 * Everything on the chart is read in two rounds of statements asked for together (on PostgreSQL a round trip
 * each, answered side by side; on SQLite they queue): first the patient, the clinic's day, the consultations
 * and the signing status of every signed record of the patient (which the header, the timeline and the spine
 * all need); then the records that hang off them. Each statement reads one patient's rows through an index
 * (tests/integration/chart-plans.test.ts). A one-to-one part (a procedure's recovery and stay decision, its
 * provider's name) is joined to its record; a one-to-many part (levels, summaries, visits) is a statement of
 * its own, so that no row is repeated.
 */
interface ChartNotes {
  rows: {
    id: number
    visit_date: string
    created_at: string
    chief_complaint: string
    decision: string | null
    decision_levels: string
    t_score: number | null
    t_score_date: string | null
    osteoporosis: number | null
    steroid_use: number | null
    contraindications: string
    display_name: string
  }[]
  /** consultation notes entered in error */
  enteredInError: Set<number>
  signing: Pick<TimelineSources, 'signed' | 'marks'>
}

const SIGNED_TYPES: readonly SignedRecordType[] = ['consultation', 'procedure', 'dischargeSummary']
const signedType = (t: string): t is SignedRecordType => (SIGNED_TYPES as readonly string[]).includes(t)

async function chartNotes(db: Tx, patientId: number): Promise<ChartNotes> {
  const [rows, signed, marks] = await Promise.all([
    db
      .selectFrom('consultations as c')
      .innerJoin('users as u', 'u.id', 'c.provider_id')
      .select(['c.id', 'c.visit_date', 'c.created_at', 'c.chief_complaint', 'c.decision', 'c.decision_levels', 'c.t_score', 'c.t_score_date', 'c.osteoporosis', 'c.steroid_use', 'c.contraindications', 'u.display_name'])
      .where('c.patient_id', '=', patientId)
      .execute(),
    // every type at once: one statement each, answered from the (patient_id, record_type, record_id) index
    db.selectFrom('signatures').select(['record_type', 'record_id']).where('patient_id', '=', patientId).execute(),
    db.selectFrom('entered_in_error').select(['record_type', 'record_id', 'marker_name', 'marked_at', 'reason']).where('patient_id', '=', patientId).execute(),
  ])
  const signing: ChartNotes['signing'] = {
    signed: signed.filter((r) => signedType(r.record_type)).map((r) => ({ recordType: r.record_type as SignedRecordType, recordId: r.record_id })),
    marks: marks
      .filter((m) => signedType(m.record_type))
      .map((m) => ({ recordType: m.record_type as SignedRecordType, recordId: m.record_id, markerName: m.marker_name, markedAt: m.marked_at, reason: m.reason })),
  }
  return { rows, signing, enteredInError: new Set(signing.marks.filter((m) => m.recordType === 'consultation').map((m) => m.recordId)) }
}

const jsonList = (text: string | null): string[] => {
  try {
    const v: unknown = JSON.parse(text ?? '[]')
    return Array.isArray(v) ? v.map(String) : []
  } catch {
    return []
  }
}

/** The second round: what hangs off the patient's notes and procedures, as the timeline's plain sources. */
async function chartRecords(db: Tx, patientId: number, timeZone: string, notes: ChartNotes): Promise<{ sources: TimelineSources; findings: FindingRow[] }> {
  const [plans, requests, addenda, findings, procedures, levels, summaries, visits, biopsies] = await Promise.all([
    db.selectFrom('conservative_care_plans').selectAll().where('patient_id', '=', patientId).execute(),
    db.selectFrom('procedure_requests').selectAll().where('patient_id', '=', patientId).execute(),
    db.selectFrom('addenda').select(['id', 'record_type', 'record_id', 'author_name', 'signed_at', 'text']).where('patient_id', '=', patientId).execute(),
    db.selectFrom('consultation_findings').selectAll().where('patient_id', '=', patientId).orderBy('imaging_date').orderBy('id').execute(),
    db
      .selectFrom('procedures as p')
      .innerJoin('users as u', 'u.id', 'p.provider_id')
      .leftJoin('procedure_recoveries as r', 'r.procedure_id', 'p.id')
      .leftJoin('stay_decisions as s', 's.procedure_id', 'p.id')
      .leftJoin('users as su', 'su.id', 's.decided_by')
      .select([
        'p.id',
        'p.procedure_date',
        'p.created_at',
        'p.started_at',
        'p.kind',
        'u.display_name',
        'r.id as recovery_id',
        'r.supine_started_at',
        'r.supine_ended_at',
        'r.arrived_at',
        'r.departed_at',
        'r.updated_at as recovery_updated_at',
        's.id as stay_id',
        's.disposition',
        's.reasons',
        's.other_text',
        's.note as stay_note',
        's.over_capacity',
        's.decided_at',
        'su.display_name as decided_by_name',
      ])
      .where('p.patient_id', '=', patientId)
      .execute(),
    db.selectFrom('procedure_levels').select(['procedure_id', 'treated_order', 'level', 'approach', 'cement_volume_ml', 'leakage']).where('patient_id', '=', patientId).execute(),
    // discharge_summaries is indexed by procedure, not by patient: reached by joining the patient's procedures
    // (an IN (subquery) let SQLite scan the whole table instead: chart-plans.test.ts)
    db
      .selectFrom('procedures as sp')
      .innerJoin('discharge_summaries as d', 'd.procedure_id', 'sp.id')
      .innerJoin('users as u', 'u.id', 'd.provider_id')
      .select(['d.id', 'd.procedure_id', 'd.created_at', 'd.medications', 'u.display_name'])
      .where('sp.patient_id', '=', patientId)
      .execute(),
    db
      .selectFrom('follow_up_visits as v')
      .leftJoin('users as eu', 'eu.id', 'v.error_by')
      .select(['v.id', 'v.procedure_id', 'v.label', 'v.visit_date', 'v.recorded_at', 'v.pain_nrs', 'v.odi_score', 'v.new_fracture_levels', 'v.complications', 'v.error_at', 'v.error_reason', 'eu.display_name as error_by_name'])
      .where('v.patient_id', '=', patientId)
      .execute(),
    db
      .selectFrom('procedure_biopsy_results as b')
      .innerJoin('users as bu', 'bu.id', 'b.recorded_by')
      .select(['b.id', 'b.procedure_id', 'b.level', 'b.result', 'b.text', 'b.recorded_at', 'bu.display_name'])
      .where('b.patient_id', '=', patientId)
      .execute(),
  ])
  const sources: TimelineSources = {
    timeZone,
    ...notes.signing,
    consultations: notes.rows.map((n) => ({
      id: n.id,
      visitDate: n.visit_date,
      createdAt: n.created_at,
      providerName: n.display_name,
      chiefComplaint: n.chief_complaint,
      decision: n.decision as CandidacyDecisionKind | null,
      decisionLevels: parseLevels(n.decision_levels),
    })),
    carePlans: plans.map((p) => ({
      id: p.id,
      consultationId: p.consultation_id,
      startDate: p.start_date,
      createdAt: p.created_at,
      bracing: p.bracing,
      painMedication: p.pain_medication,
      otherMeasures: p.other_measures,
      reassessmentDate: p.reassessment_date,
      outcome: p.outcome,
      outcomeAt: p.outcome_at,
      outcomeReason: p.outcome_reason,
      outcomeConsultationId: p.outcome_consultation_id,
    })),
    procedureRequests: requests.map((r) => ({
      id: r.id,
      consultationId: r.consultation_id,
      createdAt: r.created_at,
      kind: r.kind as CandidacyDecisionKind,
      levels: parseLevels(r.levels),
      status: r.status,
      cancelReason: r.cancel_reason,
    })),
    procedures: procedures.map((p) => ({ id: p.id, procedureDate: p.procedure_date, createdAt: p.created_at, startedAt: p.started_at, kind: p.kind as ProcedureKind, providerName: p.display_name })),
    procedureLevels: levels
      .filter((l) => isVertebralLevel(l.level))
      .map((l) => ({ procedureId: l.procedure_id, treatedOrder: l.treated_order, level: l.level as VertebralLevel, approach: l.approach, cementVolumeMl: l.cement_volume_ml, leakage: l.leakage })),
    recoveries: procedures
      .filter((p) => p.recovery_id !== null)
      .map((p) => ({
        procedureId: p.id,
        supineStartedAt: p.supine_started_at,
        supineEndedAt: p.supine_ended_at,
        arrivedAt: p.arrived_at,
        departedAt: p.departed_at,
        updatedAt: p.recovery_updated_at ?? p.created_at,
      })),
    stays: procedures.flatMap((p) =>
      p.stay_id === null || p.disposition === null || p.decided_at === null
        ? []
        : [
            {
              procedureId: p.id,
              disposition: p.disposition as Disposition,
              reasons: jsonList(p.reasons) as StayReason[],
              otherText: p.other_text ?? '',
              note: p.stay_note ?? '',
              overCapacity: p.over_capacity === 1,
              decidedAt: p.decided_at,
              decidedByName: p.decided_by_name ?? '',
            },
          ],
    ),
    dischargeSummaries: summaries.map((d) => ({ id: d.id, procedureId: d.procedure_id, createdAt: d.created_at, providerName: d.display_name, medications: d.medications })),
    followUpVisits: visits.map((v) => ({
      id: v.id,
      procedureId: v.procedure_id,
      label: v.label,
      visitDate: v.visit_date,
      recordedAt: v.recorded_at,
      painNrs: v.pain_nrs,
      odiScore: v.odi_score,
      newFractureLevels: v.new_fracture_levels.split(/\s+/).filter(Boolean),
      complications: jsonList(v.complications),
      error: v.error_at ? { at: v.error_at, byName: v.error_by_name ?? '', reason: v.error_reason } : null,
    })),
    addenda: addenda
      .filter((a) => signedType(a.record_type))
      .map((a) => ({ id: a.id, recordType: a.record_type as SignedRecordType, recordId: a.record_id, authorName: a.author_name, signedAt: a.signed_at, text: a.text })),
    biopsyResults: biopsies.map((b) => ({
      id: b.id,
      procedureId: b.procedure_id,
      level: b.level,
      result: b.result as TimelineSources['biopsyResults'][number]['result'],
      text: b.text,
      recordedAt: b.recorded_at,
      recordedByName: b.display_name,
    })),
  }
  return { sources, findings }
}

function spine(chartNotes: ChartNotes, allFindings: FindingRow[], treatments: Map<VertebralLevel, SpineTreatment[]>): SpineLevel[] {
  const bad = chartNotes.enteredInError
  const findings = allFindings.filter((f) => !bad.has(f.consultation_id))
  const notes = new Map(chartNotes.rows.map((n) => [n.id, n]))
  const noteStatus = recordStatuses(chartNotes.signing)
  const proposed = new Set<VertebralLevel>()
  for (const d of chartNotes.rows) {
    if (d.decision !== null && noteStatus('consultation', d.id) === 'signed' && isProcedureDecision(d.decision as CandidacyDecisionKind)) for (const l of parseLevels(d.decision_levels)) proposed.add(l)
  }
  return VERTEBRAL_LEVELS.map((level): SpineLevel => {
    const here = findings.filter((f) => f.level === level)
    const last = here.at(-1)
    const treated = treatments.get(level) ?? []
    return {
      level,
      region: levelRegion(level),
      findingCount: here.length,
      latest: last
        ? {
            acuity: last.acuity as 'acute',
            imagingDate: last.imaging_date,
            heightLossPercent: last.height_loss_percent,
            genantGrade: last.height_loss_percent === null ? null : genantGrade(last.height_loss_percent),
            marrowOedema: bool(last.marrow_oedema),
            consultationId: last.consultation_id,
            fractureCause: last.fracture_cause as SpineFinding['fractureCause'],
          }
        : null,
      findings: [...here].reverse().map((f): SpineFinding => ({
        consultationId: f.consultation_id,
        visitDate: notes.get(f.consultation_id)?.visit_date ?? f.imaging_date,
        providerName: notes.get(f.consultation_id)?.display_name ?? '',
        noteStatus: noteStatus('consultation', f.consultation_id),
        modality: f.modality as SpineFinding['modality'],
        imagingDate: f.imaging_date,
        acuity: f.acuity as SpineFinding['acuity'],
        marrowOedema: bool(f.marrow_oedema),
        heightLossPercent: f.height_loss_percent,
        genantGrade: f.height_loss_percent === null ? null : genantGrade(f.height_loss_percent),
        retropulsion: f.retropulsion === 1,
        canalCompromise: f.canal_compromise === 1,
        fractureType: f.fracture_type as SpineFinding['fractureType'],
        notes: f.notes,
        fractureCause: f.fracture_cause as SpineFinding['fractureCause'],
        tenderness: f.tenderness as SpineFinding['tenderness'],
        intravertebralCleft: f.intravertebral_cleft as SpineFinding['intravertebralCleft'],
      })),
      proposed: proposed.has(level),
      treated: treated.length > 0,
      treatments: treated,
    }
  })
}

export async function getChart(ctx: ServiceContext, input: { patientId: number }): Promise<ChartView> {
  const [p, { timeZone, today }, notes] = await Promise.all([patientRow(ctx.db, input.patientId), clinicDay(ctx), chartNotes(ctx.db, input.patientId)])
  const { sources, findings } = await chartRecords(ctx.db, p.id, timeZone, notes)
  const items = buildTimeline(sources)
  const head = header(p, today, pickLatestBoneDensity(p, notes.rows, notes.enteredInError), pickFromNotes(notes))
  const lastNote = items.find((i) => i.kind === 'consultation' && !i.enteredInError && i.status === SIGNED_RECORD_STATUS_LABELS.signed)
  const last = lastNote && notes.rows.find((n) => n.id === lastNote.ref.id)
  const view: ChartView = {
    header: head,
    timeline: items,
    spine: spine(notes, findings, treatmentsByLevel(sources)),
    lastDecision: (last?.decision ?? null) as ChartView['lastDecision'],
  }
  await ctx.audit({ action: 'chart.view', entity: 'patient', entityId: p.id, patientId: p.id })
  return view
}

export async function updateHistory(ctx: ServiceContext, input: { patientId: number; version: number; history: ClinicalHistoryFields }): Promise<ChartHeader> {
  const actor = requireActor(ctx)
  const before = await patientRow(ctx.db, input.patientId)
  if (before.history_version !== input.version) {
    // who saved the history that is stored now, and when, with its values: the screen names them and compares
    const detail = await staleDetail(ctx.db, before.history_updated_by, before.history_updated_at, toHistory(before))
    const said = await staleSentence(ctx.db, 'this clinical history', detail)
    throw new AppError('conflict', `${said} Your changes were not saved; reload to see theirs, or compare.`, { version: 'is out of date' }, detail)
  }
  const h = input.history
  await assertNotFuture(ctx, { 'history.dexaDate': h.dexaDate })
  const old = toHistory(before)
  const changed = (Object.keys(h) as (keyof ClinicalHistoryFields)[]).filter((k) => h[k] !== old[k])
  const row = await ctx.db
    .updateTable('patients')
    .set({
      allergies: h.allergies,
      allergy_cement: h.allergyCement ? 1 : 0,
      allergy_contrast: h.allergyContrast ? 1 : 0,
      anticoagulants: h.anticoagulants,
      antiplatelets: h.antiplatelets,
      osteoporosis: bit(h.osteoporosis),
      steroid_use: bit(h.steroidUse),
      prior_fractures: h.priorFractures,
      asa_class: h.asaClass,
      dexa_t_score: h.dexaTScore,
      dexa_date: h.dexaDate,
      history_version: before.history_version + 1,
      history_updated_at: nowIso(ctx),
      history_updated_by: actor.id,
    })
    .where('id', '=', before.id)
    .where('history_version', '=', input.version)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'patient.history', entity: 'patient', entityId: row.id, patientId: row.id, details: { changed } })
  const [today, notes] = await Promise.all([clinicToday(ctx), chartNotes(ctx.db, row.id)])
  return header(row, today, pickLatestBoneDensity(row, notes.rows, notes.enteredInError), pickFromNotes(notes))
}
