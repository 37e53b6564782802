/**
 * Letters to the referrer (issue 19 point 4): the channels' services. A physician produces a letter from a signed
 * record (./sources.ts): the clinic's template filled in from what was signed (./values.ts), drawn as a PDF in the
 * clinic's font with the physician's name, credentials and signing time (./pdf.ts), stored with the content it
 * was made from and its SHA-256, the bytes in the clinic's blob store (./store.ts). The front desk or a physician prints or exports it and marks it
 * sent (how and when). Never deleted: a wrong letter is marked entered in error. Every step is audited, views,
 * prints and exports included.
 */
import { renderLetterTemplate } from '../../../shared/letters/template'
import { AppError } from '../../../shared/result'
import { LETTER_TEMPLATE_SETTING } from '../../../shared/schemas/letterSettings'
import type {
  LetterContent,
  LetterDraftRequest,
  LetterPdf,
  LetterView,
  LetterWorklist,
  MarkLetterSent,
  PatientLetters,
  ProduceLetter,
  RecipientKind,
  SendMethod,
} from '../../../shared/schemas/letters'
import { SEND_METHOD_LABELS } from '../../../shared/schemas/letters'
import type { Tx } from '../../db/tx'
import { clinicDateTimeText } from '../clinicTime'
import type { ServiceContext } from '../context'
import { nowIso, requireActor } from '../context'
import { assertMayMarkInError } from '../records/enteredInError'
import { clinicDay } from '../records/today'
import { assertVersion, assertWritten, nextVersion } from '../records/versions'
import { requireSettings } from '../settings'
import '../referralTables'
import { canonicalJson } from '../signing'
import { dueLetters } from './due'
import { makeLetterPdf } from './pdf'
import { loadSignedSource, type SignedSource } from './sources'
import { loadLetterPdf, sha256Bytes, storeLetterPdf } from './store'
import './tables'
import { consultationValues, procedureValues, type CommonFacts } from './values'

function lettersQuery(db: Tx) {
  return db
    .selectFrom('letters as l')
    .innerJoin('patients as p', 'p.id', 'l.patient_id')
    .leftJoin('consultations as c', 'c.id', 'l.consultation_id')
    .leftJoin('procedures as x', 'x.id', 'l.procedure_id')
    .leftJoin('users as cb', 'cb.id', 'l.created_by')
    .leftJoin('users as sb', 'sb.id', 'l.sent_by')
    .leftJoin('users as eb', 'eb.id', 'l.entered_in_error_by')
    .selectAll('l')
    .select(['p.first_name', 'p.last_name', 'p.mrn', 'c.visit_date', 'x.procedure_date', 'cb.display_name as created_by_name', 'sb.display_name as sent_by_name', 'eb.display_name as eie_by_name'])
}
type LetterRow = Awaited<ReturnType<ReturnType<typeof lettersQuery>['executeTakeFirstOrThrow']>>

function toView(r: LetterRow): LetterView {
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: `${r.last_name}, ${r.first_name}`,
    patientMrn: r.mrn,
    kind: r.record_kind as LetterView['kind'],
    recordId: (r.consultation_id ?? r.procedure_id)!,
    recordDate: (r.visit_date ?? r.procedure_date)!,
    referrerId: r.referrer_id,
    recipientKind: r.recipient_kind as RecipientKind,
    recipientName: r.recipient_name,
    recipientAddress: r.recipient_address,
    recipientFax: r.recipient_fax,
    recipientEmail: r.recipient_email,
    delivery: r.delivery as SendMethod,
    sha256: r.sha256,
    bytes: r.size,
    signerId: r.signer_id,
    signerName: r.signer_name,
    signerCredentials: r.signer_credentials,
    signedAt: r.signed_at,
    createdByName: r.created_by_name ?? `User #${r.created_by}`,
    sentAt: r.sent_at,
    sentByName: r.sent_at ? (r.sent_by_name ?? `User #${r.sent_by}`) : null,
    sentMethod: r.sent_method as SendMethod | null,
    enteredInError: r.entered_in_error_at ? { at: r.entered_in_error_at, byName: r.eie_by_name ?? `User #${r.entered_in_error_by}`, reason: r.entered_in_error_reason ?? '' } : null,
    version: r.version,
  }
}

async function letterRow(db: Tx, id: number): Promise<LetterRow> {
  const r = await lettersQuery(db).where('l.id', '=', id).executeTakeFirst()
  if (!r) throw new AppError('not_found', `There is no letter with id ${id}. Nothing was changed.`, { id: 'no such letter' })
  return r
}

export async function letterWorklist(ctx: ServiceContext): Promise<LetterWorklist> {
  const [due, unsent] = await Promise.all([
    dueLetters(ctx.db),
    lettersQuery(ctx.db).where('l.sent_at', 'is', null).where('l.entered_in_error_at', 'is', null).orderBy('l.signed_at').orderBy('l.id').execute(),
  ])
  return { due, unsent: unsent.map(toView) }
}

export async function patientLetters(ctx: ServiceContext, input: { patientId: number }): Promise<PatientLetters> {
  const [due, rows] = await Promise.all([dueLetters(ctx.db, input.patientId), lettersQuery(ctx.db).where('l.patient_id', '=', input.patientId).orderBy('l.signed_at', 'desc').orderBy('l.id', 'desc').execute()])
  return { due, letters: rows.map(toView) }
}

export async function signerDefaults(ctx: ServiceContext): Promise<{ credentials: string }> {
  const actor = requireActor(ctx)
  const last = await ctx.db.selectFrom('letters').select('signer_credentials').where('signer_id', '=', actor.id).orderBy('id', 'desc').executeTakeFirst()
  return { credentials: last?.signer_credentials ?? '' }
}

/**
 * The clinician a letter goes to, in the directory, and only one the patient's record names: a referrer on one of
 * the patient's referrals (not declined), or the patient's primary care physician (recipientKind 'primaryCare';
 * patients.primary_care_referrer_id). The referral a referrer's letter is filed under: the latest of theirs
 * received on or before the record's date, else the latest; a primary care physician's letter has none.
 */
async function recipientOf(db: Tx, source: SignedSource, referrerId: number, recipientKind: RecipientKind = 'referrer') {
  const referrer = await db.selectFrom('referrers').selectAll().where('id', '=', referrerId).executeTakeFirst()
  if (!referrer) throw new AppError('not_found', `There is no referrer with id ${referrerId}. Nothing was produced.`, { referrer: 'no such referrer' })
  if (recipientKind === 'primaryCare') {
    const patient = await db.selectFrom('patients').select('primary_care_referrer_id').where('id', '=', source.patientId).executeTakeFirstOrThrow()
    if (patient.primary_care_referrer_id !== referrerId) {
      throw new AppError('invalid_input', `Referrer: ${referrer.name} is not this patient's primary care physician (see the patient's details). Nothing was produced.`, {
        referrer: "is not the patient's primary care physician",
      })
    }
    return { referrer, referralId: null, recipientKind }
  }
  const referrals = await db
    .selectFrom('referrals')
    .select(['id', 'received_on'])
    .where('patient_id', '=', source.patientId)
    .where('referrer_id', '=', referrerId)
    .where('status', '<>', 'declined')
    .orderBy('received_on', 'desc')
    .orderBy('id', 'desc')
    .execute()
  if (referrals.length === 0) {
    throw new AppError('invalid_input', `Referrer: ${referrer.name} did not refer this patient (no referral of theirs is recorded for them). Nothing was produced.`, { referrer: 'did not refer this patient' })
  }
  const referral = referrals.find((r) => r.received_on <= source.recordDate) ?? referrals[0]!
  return { referrer, referralId: referral.id as number | null, recipientKind }
}

async function buildContent(ctx: ServiceContext, source: SignedSource, recipient: Awaited<ReturnType<typeof recipientOf>>['referrer'], signer: { name: string; credentials: string }): Promise<LetterContent> {
  const { settings } = await requireSettings(ctx.db)
  const { today, timeZone } = await clinicDay(ctx)
  const patient = await ctx.db.selectFrom('patients').select(['first_name', 'last_name', 'date_of_birth', 'mrn']).where('id', '=', source.patientId).executeTakeFirstOrThrow()
  const facts: CommonFacts = {
    clinicName: settings.clinicName,
    letterDate: today,
    recipientName: recipient.name,
    patient: { firstName: patient.first_name, lastName: patient.last_name, dateOfBirth: patient.date_of_birth, mrn: patient.mrn },
    physicianName: source.physicianName,
  }
  const values = source.kind === 'consultation' ? consultationValues(facts, source.consultation!) : procedureValues(facts, source.discharge!)
  return {
    kind: source.kind,
    clinicName: settings.clinicName,
    letterhead: settings.letterhead,
    letterDate: today,
    recipient: { name: recipient.name, practice: recipient.practice, address: recipient.address },
    patient: { name: `${patient.first_name} ${patient.last_name}`, mrn: patient.mrn, dateOfBirth: patient.date_of_birth },
    body: renderLetterTemplate(settings[LETTER_TEMPLATE_SETTING[source.kind]], values),
    signer,
    timeZone,
  }
}

async function assertNoLetterYet(db: Tx, source: SignedSource, referrerId: number, referrerName: string): Promise<void> {
  const column = source.kind === 'consultation' ? 'consultation_id' : 'procedure_id'
  const existing = await db.selectFrom('letters').select(['id', 'signer_name', 'signed_at']).where(column, '=', source.recordId).where('referrer_id', '=', referrerId).where('entered_in_error_at', 'is', null).executeTakeFirst()
  if (existing) {
    throw new AppError(
      'conflict',
      `The letter to ${referrerName} about this ${source.kind} was already produced by ${existing.signer_name} on ${await clinicDateTimeText(db, existing.signed_at)}. Open it from the chart or the Letters list; to make another, mark that one entered in error first.`,
      { referrer: 'already has this letter' },
      { letterId: existing.id },
    )
  }
}

const fileName = (mrn: string, kind: string, date: string, suffix = '') => `letter-${mrn}-${kind}-${date}${suffix}.pdf`

/** The letter as it would be signed, marked as a draft, for the physician to read first. */
export async function draftLetterPdf(ctx: ServiceContext, input: LetterDraftRequest): Promise<LetterPdf> {
  const actor = requireActor(ctx)
  const source = await loadSignedSource(ctx.db, input.source)
  const { referrer } = await recipientOf(ctx.db, source, input.referrerId, input.recipientKind)
  const content = await buildContent(ctx, source, referrer, { name: actor.displayName, credentials: input.signerCredentials })
  const bytes = await makeLetterPdf(content, { signedAt: null, createdAt: nowIso(ctx), banner: 'DRAFT - NOT SIGNED' })
  await ctx.audit({ action: 'letter.view', entity: source.kind, entityId: source.recordId, patientId: source.patientId, details: { draft: true, referrerId: referrer.id, recipientKind: input.recipientKind } })
  return { fileName: fileName(content.patient.mrn, source.kind, source.recordDate, '-draft'), base64: bytes.toString('base64'), sha256: sha256Bytes(bytes), signed: false }
}

/** Produces and signs the letter in the physician's name (the router checked their password). */
export async function produceLetter(ctx: ServiceContext, input: Omit<ProduceLetter, 'password'>): Promise<LetterView> {
  const actor = requireActor(ctx)
  const source = await loadSignedSource(ctx.db, input.source)
  const { referrer, referralId, recipientKind } = await recipientOf(ctx.db, source, input.referrerId, input.recipientKind)
  await assertNoLetterYet(ctx.db, source, referrer.id, referrer.name)
  const signedAt = nowIso(ctx)
  const content = await buildContent(ctx, source, referrer, { name: actor.displayName, credentials: input.signerCredentials })
  const bytes = await makeLetterPdf(content, { signedAt, createdAt: signedAt })
  const { sha256, size } = await storeLetterPdf(ctx.db, bytes)
  const row = await ctx.db
    .insertInto('letters')
    .values({
      patient_id: source.patientId,
      record_kind: source.kind,
      consultation_id: source.kind === 'consultation' ? source.recordId : null,
      procedure_id: source.kind === 'procedure' ? source.recordId : null,
      referral_id: referralId,
      recipient_kind: recipientKind,
      referrer_id: referrer.id,
      recipient_name: referrer.name,
      recipient_address: referrer.address,
      recipient_fax: referrer.fax,
      recipient_email: referrer.email,
      delivery: referrer.letter_delivery,
      content: canonicalJson(content),
      sha256,
      size,
      signer_id: actor.id,
      signer_name: actor.displayName,
      signer_credentials: input.signerCredentials,
      signed_at: signedAt,
      created_at: signedAt,
      created_by: actor.id,
      sent_at: null,
      sent_by: null,
      sent_method: null,
      entered_in_error_at: null,
      entered_in_error_by: null,
      entered_in_error_reason: null,
      version: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'letter.create',
    entity: 'letter',
    entityId: row.id,
    patientId: source.patientId,
    details: { kind: source.kind, recordId: source.recordId, referrerId: referrer.id, recipientKind, sha256, bytes: size },
  })
  return toView(await letterRow(ctx.db, row.id))
}

/** The letter's PDF to view, print or export, audited as such; one entered in error says so across the top. */
export async function letterPdf(ctx: ServiceContext, input: { id: number; purpose: 'view' | 'print' | 'export' }): Promise<LetterPdf> {
  const r = await letterRow(ctx.db, input.id)
  const view = toView(r)
  let bytes: Buffer
  if (r.entered_in_error_at) {
    const content = JSON.parse(r.content) as LetterContent
    bytes = await makeLetterPdf(content, { signedAt: r.signed_at, createdAt: r.signed_at, banner: `ENTERED IN ERROR: ${r.entered_in_error_reason ?? ''}` })
  } else {
    bytes = await loadLetterPdf(ctx.db, r)
  }
  await ctx.audit({ action: `letter.${input.purpose}`, entity: 'letter', entityId: r.id, patientId: r.patient_id, details: { sha256: r.sha256, enteredInError: r.entered_in_error_at !== null } })
  return {
    fileName: fileName(r.mrn, view.kind, view.recordDate, r.entered_in_error_at ? '-entered-in-error' : ''),
    base64: bytes.toString('base64'),
    sha256: sha256Bytes(bytes),
    signed: true,
  }
}

export async function markLetterSent(ctx: ServiceContext, input: MarkLetterSent): Promise<LetterView> {
  const actor = requireActor(ctx)
  const r = await letterRow(ctx.db, input.id)
  if (r.entered_in_error_at) throw new AppError('locked', `This letter was marked entered in error by ${r.eie_by_name ?? 'someone'}; it is not to be sent. Nothing was changed.`)
  if (r.sent_at) {
    throw new AppError(
      'conflict',
      `This letter was already marked sent (${SEND_METHOD_LABELS[r.sent_method as SendMethod]}) by ${r.sent_by_name ?? 'someone'} on ${await clinicDateTimeText(ctx.db, r.sent_at)}. Nothing was changed.`,
      { version: 'is out of date' },
    )
  }
  await assertVersion(r.version, input.version, 'This letter changed since you opened it; reload to see the change. Nothing was changed.')
  const now = nowIso(ctx)
  const sentAt = input.sentAt ?? now
  if (Date.parse(sentAt) > Date.parse(now)) throw new AppError('invalid_input', 'Sent at cannot be in the future. Nothing was changed.', { sentAt: 'cannot be in the future' })
  if (Date.parse(sentAt) < Date.parse(r.signed_at)) throw new AppError('invalid_input', 'Sent at cannot be before the letter was signed. Nothing was changed.', { sentAt: 'cannot be before the letter was signed' })
  const at = new Date(sentAt).toISOString()
  assertWritten(
    await ctx.db
      .updateTable('letters')
      .set({ sent_at: at, sent_by: actor.id, sent_method: input.method, version: nextVersion(input.version) })
      .where('id', '=', r.id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst(),
    'This letter changed since you opened it; reload to see the change. Nothing was changed.',
  )
  await ctx.audit({ action: 'letter.sent', entity: 'letter', entityId: r.id, patientId: r.patient_id, details: { method: input.method, sentAt: at } })
  return toView(await letterRow(ctx.db, r.id))
}

export async function markLetterInError(ctx: ServiceContext, input: { id: number; version: number; reason: string }): Promise<LetterView> {
  const actor = requireActor(ctx)
  const r = await letterRow(ctx.db, input.id)
  await assertMayMarkInError(ctx, r.signer_id, (name) => `Only ${name}, who signed this letter, or a manager can mark it entered in error.`)
  if (r.entered_in_error_at) throw new AppError('conflict', `This letter was already marked entered in error by ${r.eie_by_name ?? 'someone'}.`, { version: 'is out of date' })
  await assertVersion(r.version, input.version, 'This letter changed since you opened it; reload to see the change. Nothing was changed.')
  assertWritten(
    await ctx.db
      .updateTable('letters')
      .set({ entered_in_error_at: nowIso(ctx), entered_in_error_by: actor.id, entered_in_error_reason: input.reason, version: nextVersion(input.version) })
      .where('id', '=', r.id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst(),
    'This letter changed since you opened it; reload to see the change. Nothing was changed.',
  )
  await ctx.audit({ action: 'letter.enteredInError', entity: 'letter', entityId: r.id, patientId: r.patient_id, details: { reason: input.reason } })
  return toView(await letterRow(ctx.db, r.id))
}

