/**
 * The discharge summary: generated from the records (patient, procedure, levels and cement, complications,
 * disposition, follow-ups), never retyped; the physician adds the medications and may adapt the clinic's
 * activity guidelines and warning signs. Signing it stores the PDF (bytes, SHA-256 and the data it was made
 * from) and locks it; corrections are addenda; entered in error like a note. Opening it proposes the
 * follow-up visits (a setting) for the front desk to book.
 */
import { createHash } from 'node:crypto'
import { followUpDates } from '../../../shared/clinical/dates'
import { uncoveredBlockers } from '../../../shared/clinical/discharge'
import { DISPOSITION_LABELS, observationTimeFlags } from '../../../shared/clinical/observation'
import { clinicDateOf, formatClinicDateTime } from '../../../shared/clinicClock'
import { AppError } from '../../../shared/result'
import type { DischargeContent, DischargeFields, DischargeView } from '../../../shared/schemas/discharge'
import { APPROACH_LABELS, COMPLICATION_LABELS, LEAKAGE_LABELS, PROCEDURE_KIND_LABELS } from '../../../shared/schemas/procedures'
import type { Tx } from '../../db/tx'
import type { DischargeSummaryRow } from '../../db/types'
import { clinicDateTimeText } from '../clinicTime'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { findAppointment } from '../records/appointments'
import { assertMayMarkInError, enteredInErrorIds } from '../records/enteredInError'
import { assertVersion } from '../records/versions'
import { requireSettings } from '../settings'
import { addAddendum, assertEditable, canonicalJson, markEnteredInError, signingState, signRecord, type RecordRef } from '../signing'
import { antithromboticRestarts } from './checklist'
import { makeDischargePdf } from './pdf'
import { assertProcedureOpen, loadLevels, loadPatient, loadProcedure, patientHeader, toFields, totalCement, userName } from './rows'
import { loadStay } from './stay'
import { EMPTY_RECOVERY_FIELDS, loadRecoveryAssessment, recoveryFieldsOf } from './recoveryRules'
import { fieldName } from '../../../shared/fieldNames'

export const SUMMARY_LABEL = 'discharge summary'

const sha256Bytes = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

async function loadSummary(db: Tx, id: number, field = 'id'): Promise<DischargeSummaryRow> {
  const row = await db.selectFrom('discharge_summaries').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no discharge summary with id ${id}.`, { [field]: 'no such discharge summary' })
  return row
}

const summaryRef = (row: Pick<DischargeSummaryRow, 'id' | 'patient_id'>): RecordRef => ({ type: 'dischargeSummary', id: row.id, patientId: row.patient_id, label: SUMMARY_LABEL })

function toDischargeFields(r: DischargeSummaryRow): DischargeFields {
  return { medications: r.medications, activityGuidelines: r.activity_guidelines, warningSigns: r.warning_signs }
}

/** "2026-12-14 10:30" in the clinic's time zone (the PDF names the zone, from the content's timeZone). */
function clinicTime(start: string, timeZone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(start)) return start
  return formatClinicDateTime(start, timeZone, { style: 'numeric' })
}

/**
 * Content to compare with a stored one: what the content did not hold yet when a summary was signed is left out
 * (its time zone; the observation flags and a same-day override, issue 17), so that the summary does not read as
 * changed since signing only because the summary now says more.
 */
function comparable(live: DischargeContent, stored: DischargeContent): DischargeContent {
  const out: DischargeContent = { ...live }
  if (stored.timeZone === undefined) delete out.timeZone
  if (stored.observationFlags === undefined) delete out.observationFlags
  if (stored.antithromboticRestarts === undefined) delete out.antithromboticRestarts
  if (out.disposition && (!stored.disposition || stored.disposition.override === undefined)) {
    const { override: _override, ...rest } = out.disposition
    out.disposition = rest
  }
  return out
}

/** The summary's content from the records as they are now. */
export async function buildContent(db: Tx, row: DischargeSummaryRow): Promise<DischargeContent> {
  const proc = await loadProcedure(db, row.procedure_id)
  const patient = await loadPatient(db, proc.patient_id)
  const { settings } = await requireSettings(db)
  const f = toFields(proc)
  const levels = await loadLevels(db, proc.id)
  const stay = await loadStay(db, proc.id)
  const rec = await db.selectFrom('procedure_recoveries').selectAll().where('procedure_id', '=', proc.id).executeTakeFirst()
  // recorded times only (no clock): the same records give the same flags
  const observationFlags = observationTimeFlags(rec ? recoveryFieldsOf(rec) : EMPTY_RECOVERY_FIELDS, {
    observationMinutes: settings.minimumObservationMinutes,
    supineMinutes: settings.minimumSupineMinutes,
  }).map((f) => f.message)
  const complications: string[] = []
  const describe = (keys: readonly (keyof typeof COMPLICATION_LABELS)[], note: string, when: string) => {
    for (const k of keys) complications.push(`${when}: ${k === 'other' ? note : COMPLICATION_LABELS[k]}`)
    if (note && !keys.includes('other')) complications.push(`${when}: ${note}`)
  }
  describe(f.intraComplications, f.intraComplicationsNote, 'During the procedure')
  describe(f.postComplications, f.postComplicationsNote, 'After the procedure')
  for (const l of levels) {
    const leaks = l.leakage.filter((x) => x !== 'none')
    if (leaks.length > 0) complications.push(`Cement leakage at ${l.level} (${leaks.map((x) => LEAKAGE_LABELS[x].toLowerCase()).join(', ')}), ${l.leakageSymptomatic ? 'symptomatic' : 'without symptoms'}`)
  }
  const follow = await db.selectFrom('procedure_follow_ups').selectAll().where('procedure_id', '=', proc.id).where('status', '!=', 'cancelled').orderBy('target_date').orderBy('id').execute()
  const followUps: DischargeContent['followUps'] = []
  for (const x of follow) {
    let appointment: string | null = null
    if (x.appointment_id !== null) {
      const a = await findAppointment(db, x.appointment_id)
      appointment = a ? clinicTime(a.startsAt, settings.timeZone) : `(appointment ${x.appointment_id})`
    }
    followUps.push({ label: x.label, targetDate: x.target_date, appointment })
  }
  return {
    clinicName: settings.clinicName,
    patient: { name: `${patient.first_name} ${patient.last_name}`, mrn: patient.mrn, dateOfBirth: patient.date_of_birth },
    procedure: { id: proc.id, kind: f.kind, kindLabel: PROCEDURE_KIND_LABELS[f.kind], date: f.procedureDate, physician: await userName(db, proc.provider_id) },
    levels: levels.map((l) => ({
      level: l.level,
      approach: l.approach ? APPROACH_LABELS[l.approach] : 'approach not recorded',
      cementType: l.cementType,
      cementVolumeMl: l.cementVolumeMl,
      leakage: l.leakage.length === 0 ? 'not recorded' : l.leakage.map((x) => LEAKAGE_LABELS[x].toLowerCase()).join(', '),
    })),
    totalCementMl: totalCement(levels),
    complications,
    disposition: stay
      ? {
          disposition: stay.disposition,
          label: DISPOSITION_LABELS[stay.disposition],
          reasons: stay.reasonsText,
          decidedBy: stay.decidedByName,
          decidedAt: stay.decidedAt,
          override: stay.overrideReason ? { reason: stay.overrideReason, blockers: stay.overriddenBlockers.map((b) => b.message) } : null,
        }
      : null,
    observationFlags,
    antithromboticRestarts: await antithromboticRestarts(db, proc.id),
    medications: row.medications,
    activityGuidelines: row.activity_guidelines,
    warningSigns: row.warning_signs,
    followUps,
    timeZone: settings.timeZone,
  }
}

const signedEnvelope = (row: DischargeSummaryRow, content: DischargeContent) => ({
  recordType: 'dischargeSummary',
  id: row.id,
  procedureId: row.procedure_id,
  patientId: row.patient_id,
  providerId: row.provider_id,
  content,
})

async function storedPdf(db: Tx, summaryId: number) {
  return db.selectFrom('discharge_pdfs').selectAll().where('summary_id', '=', summaryId).executeTakeFirst()
}

/**
 * What signing compares: once signed, the content stored with the PDF (the records it was drawn from may
 * move on, e.g. a follow-up booked later), with the summary's own text read from its row, so that a
 * summary edited behind the app's back no longer matches its signature. Before signing, the live content.
 */
async function comparedEnvelope(row: DischargeSummaryRow, stored: DischargeContent | null, live: () => Promise<DischargeContent>) {
  return signedEnvelope(row, stored ? { ...stored, ...toDischargeFields(row) } : await live())
}

/** A discharge summary's current content as signing computed it (for `admin verify`). */
export async function signedDischargeContent(db: Tx, id: number): Promise<unknown> {
  const row = await loadSummary(db, id)
  const pdf = await storedPdf(db, row.id)
  return comparedEnvelope(row, pdf ? (JSON.parse(pdf.data) as DischargeContent) : null, () => buildContent(db, row))
}

/**
 * Signing the summary is when the patient is sent home, so a same-day discharge is judged again on the recovery
 * record as it is now: what arose since the decision (the patient left before the minimum observation time, a
 * later flagged check, a check missed since) and its override did not cover refuses the signing, until the
 * decision is recorded again (with its reason) or changed to an overnight stay.
 */
async function assertSameDayStillFollowsRecord(ctx: ServiceContext, procedureId: number): Promise<void> {
  const stay = await loadStay(ctx.db, procedureId)
  if (!stay || stay.disposition !== 'sameDay') return
  const since = uncoveredBlockers((await loadRecoveryAssessment(ctx.db, procedureId, nowIso(ctx))).sameDayBlockers, stay.overriddenBlockers)
  if (since.length === 0) return
  throw new AppError(
    'invalid_input',
    `The summary cannot be signed yet: Disposition: since the same-day discharge was decided, the recovery record shows ${since.map((b) => b.message).join('; ')}. Record the decision again with an override reason, or keep the patient overnight.`,
    { disposition: 'the same-day discharge must be decided again on the recovery record as it is now' },
    { blockers: since },
  )
}

async function missingForSigning(db: Tx, row: DischargeSummaryRow): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const proc = await signingState(db, 'procedure', row.procedure_id)
  if (proc.status === 'enteredInError') out.procedureId = 'the procedure note was entered in error'
  else if (proc.status !== 'signed') out.procedureId = 'the procedure note must be signed first'
  if (!(await loadStay(db, row.procedure_id))) out.disposition = 'the same-day or overnight decision is not recorded yet'
  return out
}

export async function buildDischargeView(db: Tx, id: number): Promise<DischargeView> {
  const row = await loadSummary(db, id)
  const proc = await loadProcedure(db, row.procedure_id)
  const patient = await loadPatient(db, row.patient_id)
  const live = await buildContent(db, row)
  const pdf = await storedPdf(db, row.id)
  const stored = pdf ? (JSON.parse(pdf.data) as DischargeContent) : null
  const signing = await signingState(db, 'dischargeSummary', row.id, await comparedEnvelope(row, stored, async () => live))
  return {
    id: row.id,
    procedureId: row.procedure_id,
    patient: patientHeader(patient, proc.procedure_date),
    providerId: row.provider_id,
    providerName: await userName(db, row.provider_id),
    fields: toDischargeFields(row),
    content: stored ?? live,
    changedSinceSigning: stored !== null && canonicalJson(stored) !== canonicalJson(comparable(live, stored)),
    missingForSigning: signing.status === 'draft' ? await missingForSigning(db, row) : {},
    pdf: pdf ? { sha256: pdf.sha256, bytes: pdf.pdf.length, intact: sha256Bytes(pdf.pdf) === pdf.sha256, createdAt: pdf.created_at } : null,
    signing,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  }
}

/**
 * Opens the discharge summary of a procedure: the one there is (not entered in error), or a new one with the
 * clinic's guideline and warning-sign templates. The first summary of a procedure proposes its follow-up visits.
 */
export async function openDischarge(ctx: ServiceContext, input: { procedureId: number }): Promise<DischargeView> {
  const actor = requireActor(ctx)
  const proc = await loadProcedure(ctx.db, input.procedureId, 'procedureId')
  const bad = enteredInErrorIds(ctx.db, 'dischargeSummary')
  const existing = await ctx.db.selectFrom('discharge_summaries').select('id').where('procedure_id', '=', proc.id).where('id', 'not in', bad).orderBy('id', 'desc').executeTakeFirst()
  if (existing) {
    const view = await buildDischargeView(ctx.db, existing.id)
    await ctx.audit({ action: 'dischargeSummary.view', entity: 'dischargeSummary', entityId: existing.id, patientId: proc.patient_id })
    return view
  }
  await assertProcedureOpen(ctx.db, proc)
  const { settings } = await requireSettings(ctx.db)
  const at = nowIso(ctx)
  const row = await ctx.db
    .insertInto('discharge_summaries')
    .values({
      procedure_id: proc.id,
      patient_id: proc.patient_id,
      provider_id: actor.id,
      medications: '',
      activity_guidelines: settings.dischargeActivityGuidelines,
      warning_signs: settings.dischargeWarningSigns,
      created_at: at,
      created_by: actor.id,
      updated_at: at,
      updated_by: actor.id,
      version: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'dischargeSummary.create', entity: 'dischargeSummary', entityId: row.id, patientId: proc.patient_id, details: { procedureId: proc.id } })

  const planned = await ctx.db.selectFrom('procedure_follow_ups').select('id').where('procedure_id', '=', proc.id).where('status', '!=', 'cancelled').execute()
  if (planned.length === 0) {
    for (const f of followUpDates(proc.procedure_date, settings.followUpIntervals)) {
      const r = await ctx.db
        .insertInto('procedure_follow_ups')
        .values({ procedure_id: proc.id, patient_id: proc.patient_id, label: f.label, target_date: f.date, status: 'proposed', created_at: at, version: 0 })
        .returning('id')
        .executeTakeFirstOrThrow()
      await ctx.audit({ action: 'followUp.propose', entity: 'followUp', entityId: r.id, patientId: proc.patient_id, details: { procedureId: proc.id, label: f.label, targetDate: f.date } })
    }
  }
  return buildDischargeView(ctx.db, row.id)
}

export async function getDischarge(ctx: ServiceContext, input: { id: number }): Promise<DischargeView> {
  const view = await buildDischargeView(ctx.db, input.id)
  await ctx.audit({ action: 'dischargeSummary.view', entity: 'dischargeSummary', entityId: input.id, patientId: view.patient.id, details: { status: view.signing.status } })
  return view
}

async function assertAuthor(ctx: ServiceContext, row: DischargeSummaryRow, doing: string): Promise<void> {
  if (row.provider_id !== requireActor(ctx).id) throw new AppError('forbidden', `Only ${await userName(ctx.db, row.provider_id)}, who wrote this discharge summary, can ${doing} it.`)
}

export async function saveDischarge(ctx: ServiceContext, input: { id: number; version: number; fields: DischargeFields }): Promise<DischargeView> {
  const actor = requireActor(ctx)
  const row = await loadSummary(ctx.db, input.id)
  await assertEditable(ctx.db, summaryRef(row))
  await assertAuthor(ctx, row, 'change')
  await assertVersion(row.version, input.version, async () => `This discharge summary was changed (${await clinicDateTimeText(ctx.db, row.updated_at)}) since you opened it; reload to see the change.`)
  const f = input.fields
  const before = toDischargeFields(row)
  const changed = (Object.keys(f) as (keyof DischargeFields)[]).filter((k) => before[k] !== f[k])
  await ctx.db
    .updateTable('discharge_summaries')
    .set({ medications: f.medications, activity_guidelines: f.activityGuidelines, warning_signs: f.warningSigns, updated_at: nowIso(ctx), updated_by: actor.id, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('version', '=', input.version)
    .execute()
  await ctx.audit({ action: 'dischargeSummary.update', entity: 'dischargeSummary', entityId: row.id, patientId: row.patient_id, details: { changed } })
  return buildDischargeView(ctx.db, row.id)
}

/**
 * Signs the summary as the records now make it: the signature covers that content, and the PDF made from it
 * (with the signature line) is stored with its SHA-256 and the data, in the same transaction.
 */
export async function signDischarge(ctx: ServiceContext, input: { id: number; version: number }): Promise<DischargeView> {
  const row = await loadSummary(ctx.db, input.id)
  const ref = summaryRef(row)
  await assertEditable(ctx.db, ref)
  await assertAuthor(ctx, row, 'sign')
  await assertVersion(row.version, input.version, 'The summary changed since you last read it; review it before signing.')
  const missing = await missingForSigning(ctx.db, row)
  if (Object.keys(missing).length > 0) {
    throw new AppError('invalid_input', `The summary cannot be signed yet: ${Object.entries(missing).map(([k, v]) => `${fieldName(k)}: ${v}`).join('; ')}.`, missing)
  }
  await assertSameDayStillFollowsRecord(ctx, row.procedure_id)
  const content = await buildContent(ctx.db, row)
  const { contentHash } = await signRecord(ctx, ref, signedEnvelope(row, content))
  const sig = await ctx.db.selectFrom('signatures').select(['signer_name', 'signed_at']).where('record_type', '=', 'dischargeSummary').where('record_id', '=', row.id).executeTakeFirstOrThrow()
  const pdf = await makeDischargePdf(content, { signature: { signerName: sig.signer_name, signedAt: sig.signed_at, contentHash }, createdAt: sig.signed_at })
  const digest = sha256Bytes(pdf)
  await ctx.db.insertInto('discharge_pdfs').values({ summary_id: row.id, patient_id: row.patient_id, data: canonicalJson(content), pdf, sha256: digest, created_at: sig.signed_at }).execute()
  await ctx.audit({ action: 'dischargeSummary.pdfStored', entity: 'dischargeSummary', entityId: row.id, patientId: row.patient_id, details: { sha256: digest, bytes: pdf.length } })
  return buildDischargeView(ctx.db, row.id)
}

export async function addDischargeAddendum(ctx: ServiceContext, input: { id: number; text: string }): Promise<DischargeView> {
  const row = await loadSummary(ctx.db, input.id)
  await addAddendum(ctx, summaryRef(row), input.text)
  return buildDischargeView(ctx.db, row.id)
}

export async function markDischargeInError(ctx: ServiceContext, input: { id: number; reason: string }): Promise<DischargeView> {
  const row = await loadSummary(ctx.db, input.id)
  await assertMayMarkInError(ctx, row.provider_id, (name) => `Only ${name}, who wrote this discharge summary, or a manager can mark it entered in error.`)
  await markEnteredInError(ctx, summaryRef(row), input.reason)
  return buildDischargeView(ctx.db, row.id)
}

export interface RenderedPdf {
  fileName: string
  bytes: Buffer
  sha256: string
  /** the stored, signed PDF; false when made now (a draft, or a summary entered in error, which says so) */
  stored: boolean
}

/**
 * The discharge summary's PDF by id, for printing and for an export command: the stored PDF of a signed
 * summary (refused if its bytes no longer match their hash); for a draft, one made now from the records and
 * marked as a draft; for a summary entered in error, one made from what was signed, marked as such.
 * Reads only: the caller audits the print or export.
 */
export async function renderDischargePdf(db: Tx, id: number): Promise<RenderedPdf> {
  const row = await loadSummary(db, id)
  const state = await signingState(db, 'dischargeSummary', row.id)
  const pdf = await storedPdf(db, row.id)
  const patient = await loadPatient(db, row.patient_id)
  const proc = await loadProcedure(db, row.procedure_id)
  const fileName = `discharge-summary-${patient.mrn}-${proc.procedure_date}${state.status === 'signed' ? '' : `-${state.status === 'draft' ? 'draft' : 'entered-in-error'}`}.pdf`
  if (state.status === 'signed' && pdf) {
    const bytes = Buffer.from(pdf.pdf)
    if (sha256Bytes(bytes) !== pdf.sha256) {
      throw new AppError('conflict', 'The stored PDF of this summary no longer matches its SHA-256; it was changed outside the app. Nothing was exported; tell the administrator.')
    }
    return { fileName, bytes, sha256: pdf.sha256, stored: true }
  }
  const content = pdf ? (JSON.parse(pdf.data) as DischargeContent) : await buildContent(db, row)
  const { settings } = await requireSettings(db)
  const banner =
    state.status === 'enteredInError'
      ? `ENTERED IN ERROR (${state.enteredInError!.markerName}, ${clinicDateOf(state.enteredInError!.markedAt, settings.timeZone)}): ${state.enteredInError!.reason}`
      : 'DRAFT - NOT SIGNED'
  const signature = state.signature ? { signerName: state.signature.signerName, signedAt: state.signature.signedAt, contentHash: state.signature.contentHash } : null
  const bytes = await makeDischargePdf(content, { signature, banner, createdAt: state.signature?.signedAt ?? row.updated_at })
  return { fileName, bytes, sha256: sha256Bytes(bytes), stored: false }
}

/** The PDF for the screen (preview, print or export to a file), audited as such. */
export async function dischargePdf(ctx: ServiceContext, input: { id: number; purpose: 'preview' | 'print' | 'export' }): Promise<{ fileName: string; base64: string; sha256: string; stored: boolean }> {
  const r = await renderDischargePdf(ctx.db, input.id)
  const row = await loadSummary(ctx.db, input.id)
  await ctx.audit({ action: `dischargeSummary.${input.purpose}`, entity: 'dischargeSummary', entityId: input.id, patientId: row.patient_id, details: { sha256: r.sha256, stored: r.stored } })
  return { fileName: r.fileName, base64: r.bytes.toString('base64'), sha256: r.sha256, stored: r.stored }
}

/**
 * Makes the signed PDF again from the data it was made from and says whether it is byte for byte the stored one
 * (and whether the stored bytes still match their hash).
 */
export async function verifyDischargePdf(db: Tx, id: number): Promise<{ storedIntact: boolean; reproducible: boolean }> {
  const pdf = await storedPdf(db, id)
  if (!pdf) throw new AppError('not_found', 'This discharge summary has no stored PDF (it is not signed).', { id: 'has no stored PDF' })
  const sig = await db.selectFrom('signatures').selectAll().where('record_type', '=', 'dischargeSummary').where('record_id', '=', id).executeTakeFirstOrThrow()
  const data = JSON.parse(pdf.data) as DischargeContent
  const again = async (fonts: 'embedded' | 'standard') =>
    sha256Bytes(await makeDischargePdf(data, { signature: { signerName: sig.signer_name, signedAt: sig.signed_at, contentHash: sig.content_hash }, createdAt: pdf.created_at, fonts }))
  // a summary signed before the PDFs embedded their fonts was drawn in pdfkit's Helvetica, and is made again so
  const reproducible = (await again('embedded')) === pdf.sha256 || (await again('standard')) === pdf.sha256
  return { storedIntact: sha256Bytes(pdf.pdf) === pdf.sha256, reproducible }
}
