/** The patient chart: the two-second header, the timeline and the spine diagram's data. */
import { CANDIDACY_LABELS, isProcedureDecision, type CandidacyDecisionKind } from '../../../shared/clinical/contraindications'
import { ageOn } from '../../../shared/clinical/dates'
import { genantGrade } from '../../../shared/clinical/genant'
import { levelRegion, VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import { clinicDateOf } from '../../../shared/clinicClock'
import { AppError } from '../../../shared/result'
import type { ChartHeader, ChartView, ClinicalHistoryFields, SpineFinding, SpineLevel, TimelineItem } from '../../../shared/schemas/chart'
import { SIGNED_RECORD_STATUS_LABELS } from '../../../shared/schemas/signing'
import type { Tx } from '../../db/tx'
import type { PatientRow } from '../../db/types'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import type { SigningState } from '../../../shared/schemas/signing'
import { patientStatuses } from '../signing'
import { assertNotFuture, clinicDay, clinicToday } from '../records/today'
import { bit, bool, parseLevels } from './rows'
import { latestBoneDensity, pickLatestBoneDensity, type BoneDensity } from './view'

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

function header(p: PatientRow, today: string, latestBoneDensity: BoneDensity | null): ChartHeader {
  const history = toHistory(p)
  const alerts: ChartHeader['alerts'] = []
  if (history.allergyCement || CEMENT_WORDS.test(history.allergies)) alerts.push({ kind: 'cementAllergy', text: `Cement allergy${history.allergies ? `: ${history.allergies}` : ''}` })
  if (history.allergyContrast || CONTRAST_WORDS.test(history.allergies)) alerts.push({ kind: 'contrastAllergy', text: `Contrast allergy${history.allergies ? `: ${history.allergies}` : ''}` })
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
  }
}

const SAME_INSTANT_ORDER: TimelineItem['kind'][] = ['addendum', 'procedureRequest', 'consultation', 'reassessment', 'conservativeCare', 'procedure', 'recovery', 'followUp', 'document']

/** The patient's consultations and their signing status, which the timeline, the spine and the header each need. */
interface ChartNotes {
  rows: { id: number; visit_date: string; created_at: string; chief_complaint: string; decision: string | null; decision_levels: string; t_score: number | null; t_score_date: string | null; display_name: string }[]
  status: Map<number, SigningState['status']>
  enteredInError: Set<number>
}

async function chartNotes(db: Tx, patientId: number): Promise<ChartNotes> {
  const [rows, { enteredInError, statusOf }] = await Promise.all([
    db
      .selectFrom('consultations as c')
      .innerJoin('users as u', 'u.id', 'c.provider_id')
      .select(['c.id', 'c.visit_date', 'c.created_at', 'c.chief_complaint', 'c.decision', 'c.decision_levels', 'c.t_score', 'c.t_score_date', 'u.display_name'])
      .where('c.patient_id', '=', patientId)
      .execute(),
    patientStatuses(db, 'consultation', patientId),
  ])
  const status = new Map(rows.map((n) => [n.id, statusOf(n.id)]))
  return { rows, status, enteredInError }
}

async function timeline(db: Tx, patientId: number, timeZone: string, notes: ChartNotes): Promise<TimelineItem[]> {
  const [plans, requests, addenda] = await Promise.all([
    db.selectFrom('conservative_care_plans').selectAll().where('patient_id', '=', patientId).execute(),
    db.selectFrom('procedure_requests').selectAll().where('patient_id', '=', patientId).execute(),
    db.selectFrom('addenda').selectAll().where('patient_id', '=', patientId).where('record_type', '=', 'consultation').execute(),
  ])
  const items: TimelineItem[] = []
  const statuses = notes.status
  const inError = (id: number) => notes.enteredInError.has(id)
  for (const n of notes.rows) {
    const decision = n.decision ? `${CANDIDACY_LABELS[n.decision as CandidacyDecisionKind]}${n.decision_levels ? ` (${n.decision_levels.replace(/,/g, ', ')})` : ''}` : ''
    items.push({
      kind: 'consultation',
      date: n.visit_date,
      at: n.created_at,
      title: `Consultation with ${n.display_name}`,
      detail: [n.chief_complaint, decision].filter(Boolean).join(' - '),
      status: SIGNED_RECORD_STATUS_LABELS[statuses.get(n.id) ?? 'draft'],
      ref: { type: 'consultation', id: n.id },
      consultationId: n.id,
      enteredInError: inError(n.id),
    })
  }
  for (const p of plans) {
    const measures = [p.bracing && `Brace: ${p.bracing}`, p.pain_medication && `Medication: ${p.pain_medication}`, p.other_measures].filter(Boolean).join('; ')
    items.push({
      kind: 'conservativeCare',
      date: p.start_date,
      at: p.created_at,
      title: 'Conservative care',
      detail: measures,
      status: p.outcome ? `Reassessed: ${p.outcome}` : `Reassessment due ${p.reassessment_date}`,
      ref: { type: 'conservativeCare', id: p.id },
      consultationId: p.consultation_id,
      enteredInError: inError(p.consultation_id),
    })
    if (p.outcome && p.outcome_at) {
      items.push({
        kind: 'reassessment',
        date: clinicDateOf(p.outcome_at, timeZone),
        at: p.outcome_at,
        title: `Reassessment: conservative care ${p.outcome}`,
        detail: p.outcome_reason,
        status: p.outcome,
        ref: { type: 'conservativeCare', id: p.id },
        consultationId: p.outcome_consultation_id ?? p.consultation_id,
        enteredInError: inError(p.consultation_id),
      })
    }
  }
  for (const r of requests) {
    items.push({
      kind: 'procedureRequest',
      date: clinicDateOf(r.created_at, timeZone),
      at: r.created_at,
      title: `${CANDIDACY_LABELS[r.kind as CandidacyDecisionKind]} requested: ${r.levels.replace(/,/g, ', ')}`,
      detail: r.cancel_reason,
      status: r.status,
      ref: { type: 'procedureRequest', id: r.id },
      consultationId: r.consultation_id,
      enteredInError: inError(r.consultation_id),
    })
  }
  for (const a of addenda) {
    items.push({
      kind: 'addendum',
      date: clinicDateOf(a.signed_at, timeZone),
      at: a.signed_at,
      title: `Addendum by ${a.author_name}`,
      detail: a.text.length > 200 ? `${a.text.slice(0, 199)}…` : a.text,
      status: 'Signed',
      ref: { type: 'consultation', id: a.record_id },
      consultationId: a.record_id,
      enteredInError: inError(a.record_id),
    })
  }
  // Newest first; within a day, the latest recorded first; at the same instant, what follows from what first.
  return items.sort((x, y) =>
    x.date !== y.date ? (x.date < y.date ? 1 : -1) : x.at !== y.at ? (x.at < y.at ? 1 : -1) : SAME_INSTANT_ORDER.indexOf(x.kind) - SAME_INSTANT_ORDER.indexOf(y.kind),
  )
}

async function spine(db: Tx, patientId: number, chartNotes: ChartNotes): Promise<SpineLevel[]> {
  const bad = chartNotes.enteredInError
  const findings = (await db.selectFrom('consultation_findings').selectAll().where('patient_id', '=', patientId).orderBy('imaging_date').orderBy('id').execute()).filter(
    (f) => !bad.has(f.consultation_id),
  )
  const notes = new Map(chartNotes.rows.map((n) => [n.id, n]))
  const noteStatus = chartNotes.status
  const proposed = new Set<VertebralLevel>()
  for (const d of chartNotes.rows) {
    if (d.decision !== null && noteStatus.get(d.id) === 'signed' && isProcedureDecision(d.decision as CandidacyDecisionKind)) for (const l of parseLevels(d.decision_levels)) proposed.add(l)
  }
  return VERTEBRAL_LEVELS.map((level): SpineLevel => {
    const here = findings.filter((f) => f.level === level)
    const last = here.at(-1)
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
          }
        : null,
      findings: [...here].reverse().map((f): SpineFinding => ({
        consultationId: f.consultation_id,
        visitDate: notes.get(f.consultation_id)?.visit_date ?? f.imaging_date,
        providerName: notes.get(f.consultation_id)?.display_name ?? '',
        noteStatus: noteStatus.get(f.consultation_id) ?? 'draft',
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
      })),
      proposed: proposed.has(level),
      // Procedures are recorded by the procedure-day feature; until then no level reads as treated.
      treated: false,
    }
  })
}

export async function getChart(ctx: ServiceContext, input: { patientId: number }): Promise<ChartView> {
  // The parts of a chart are asked for together, in two rounds (the patient and the consultations, then what
  // hangs off them), so that on PostgreSQL (a round trip a statement, and a pool of connections) they are
  // answered side by side. On SQLite they queue as before.
  const [p, { timeZone, today }, notes] = await Promise.all([patientRow(ctx.db, input.patientId), clinicDay(ctx), chartNotes(ctx.db, input.patientId)])
  const [items, spineView] = await Promise.all([timeline(ctx.db, p.id, timeZone, notes), spine(ctx.db, p.id, notes)])
  const head = header(p, today, pickLatestBoneDensity(p, notes.rows, notes.enteredInError))
  const lastNote = items.find((i) => i.kind === 'consultation' && !i.enteredInError && i.status === 'Signed')
  const last = lastNote && notes.rows.find((n) => n.id === lastNote.ref.id)
  const view: ChartView = {
    header: head,
    timeline: items,
    spine: spineView,
    lastDecision: (last?.decision ?? null) as ChartView['lastDecision'],
  }
  await ctx.audit({ action: 'chart.view', entity: 'patient', entityId: p.id, patientId: p.id })
  return view
}

export async function updateHistory(ctx: ServiceContext, input: { patientId: number; version: number; history: ClinicalHistoryFields }): Promise<ChartHeader> {
  const actor = requireActor(ctx)
  const before = await patientRow(ctx.db, input.patientId)
  if (before.history_version !== input.version) {
    throw new AppError('conflict', 'Someone else changed this clinical history since you opened it. Your changes were not saved; reload to see theirs.', { version: 'is out of date' }, { current: toHistory(before) })
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
  return header(row, await clinicToday(ctx), await latestBoneDensity(ctx.db, row.id))
}
