/**
 * Documents on the chart (issue 19 point 3): files attached to a patient, optionally to one of their referrals,
 * consultations or procedures. The bytes go to the blob store (blobStore.ts) in the same transaction as the
 * document's row, so a refused or failed attach stores nothing. What a file is comes from its content
 * (shared/documentSniff.ts), never from its name; programs, empty files and files whose content contradicts their
 * name are refused with a sentence naming the file. Never deleted: marked entered in error with who, when and why.
 * Opening (view), exporting and printing are audited, as is every change.
 */
import { describeFields } from '../../shared/fieldNames'
import { AppError } from '../../shared/result'
import { sniffDocument, type DocumentMediaType } from '../../shared/documentSniff'
import {
  AttachDocument as AttachDocumentSchema,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_MAX_MB_DEFAULT,
  MEGABYTE,
  mayOpenDocument,
  type DocumentContent,
  type DocumentKind,
  type DocumentView,
  type MarkDocumentInError,
  type PatientDocuments,
} from '../../shared/schemas/documents'
import type { z } from 'zod'
import type { Tx } from '../db/tx'
import { getBlob, putBlob } from './blobStore'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import './documentTables'
import { assertNotFuture } from './records/today'
import { assertVersion, assertWritten, nextVersion } from './records/versions'
import { readSettings } from './settings'

type AttachInput = z.output<typeof AttachDocumentSchema>
type DocumentRow = Awaited<ReturnType<ReturnType<typeof documentsQuery>['executeTakeFirstOrThrow']>>

function documentsQuery(db: Tx) {
  return db
    .selectFrom('documents as d')
    .leftJoin('users as c', 'c.id', 'd.created_by')
    .leftJoin('users as e', 'e.id', 'd.entered_in_error_by')
    .selectAll('d')
    .select(['c.display_name as created_by_name', 'e.display_name as error_by_name'])
}

function toView(r: DocumentRow, role: string | null): DocumentView {
  return {
    id: r.id,
    patientId: r.patient_id,
    referralId: r.referral_id,
    consultationId: r.consultation_id,
    procedureId: r.procedure_id,
    kind: r.kind as DocumentKind,
    title: r.title,
    documentDate: r.document_date,
    fileName: r.file_name,
    mediaType: r.media_type as DocumentMediaType,
    size: Number(r.size),
    sha256: r.sha256,
    createdAt: r.created_at,
    createdBy: r.created_by_name ?? (r.source === 'import' ? 'Imported (admin import document)' : `User #${r.created_by}`),
    mayOpen: role !== null && mayOpenDocument(role, r.kind as DocumentKind),
    enteredInError: r.entered_in_error_at ? { at: r.entered_in_error_at, by: r.error_by_name ?? `User #${r.entered_in_error_by}`, reason: r.entered_in_error_reason ?? '' } : null,
    version: r.version,
  }
}

async function documentRow(db: Tx, id: number): Promise<DocumentRow> {
  const r = await documentsQuery(db).where('d.id', '=', id).executeTakeFirst()
  if (!r) throw new AppError('not_found', `There is no document with id ${id}. Nothing was changed.`, { id: 'no such document' })
  return r
}

/** The clinic's size limit in bytes (the setting documentMaxMegabytes). */
export async function documentMaxBytes(db: Tx): Promise<number> {
  const mb = (await readSettings(db))?.settings.documentMaxMegabytes ?? DOCUMENT_MAX_MB_DEFAULT
  return mb * MEGABYTE
}

const megabytes = (bytes: number) => `${(bytes / MEGABYTE).toFixed(bytes < 10 * MEGABYTE ? 1 : 0)} MB`

/** Refuses a file over the clinic's limit, naming the file, its size and the limit. */
export async function assertWithinLimit(db: Tx, fileName: string, size: number): Promise<void> {
  const max = await documentMaxBytes(db)
  if (size > max) {
    const message = `"${fileName}" is ${megabytes(size)}, over the clinic's limit of ${megabytes(max)} for a document (Settings, Documents). Nothing was stored.`
    throw new AppError('invalid_input', message, { file: `is over the limit of ${megabytes(max)}` })
  }
}

/** What the input names must be the patient's own: a referral, consultation or procedure of another patient is refused. */
async function assertLinks(db: Tx, input: Pick<AttachInput, 'patientId' | 'referralId' | 'consultationId' | 'procedureId'>): Promise<void> {
  const patient = await db.selectFrom('patients').select('id').where('id', '=', input.patientId).executeTakeFirst()
  if (!patient) throw new AppError('invalid_input', describeFields({ patientId: 'no such patient' }), { patientId: 'no such patient' })
  const links = [
    ['referralId', 'referrals', input.referralId, 'referral'],
    ['consultationId', 'consultations', input.consultationId, 'consultation'],
    ['procedureId', 'procedures', input.procedureId, 'procedure'],
  ] as const
  for (const [field, table, id, words] of links) {
    if (id === null) continue
    const row = await db.selectFrom(table).select('patient_id').where('id', '=', id).executeTakeFirst()
    if (!row || row.patient_id !== input.patientId) {
      const why = row ? `is another patient's ${words}` : `no such ${words}`
      throw new AppError('invalid_input', describeFields({ [field]: why }), { [field]: why })
    }
  }
}

export interface NewDocument {
  patientId: number
  referralId: number | null
  consultationId: number | null
  procedureId: number | null
  kind: DocumentKind
  title: string
  documentDate: string
  fileName: string
}

/**
 * Checks and stores one file as a document of the patient: the links, the date (not in the future), the size
 * limit, the content; then the bytes and the row, and the audit row. Shared by the screen and `admin import
 * document`. Must run in a write transaction (ctx.db): everything or nothing.
 */
export async function storeDocument(ctx: ServiceContext, doc: NewDocument, bytes: Uint8Array, source: 'app' | 'import'): Promise<number> {
  await assertLinks(ctx.db, doc)
  await assertNotFuture(ctx, { documentDate: doc.documentDate })
  await assertWithinLimit(ctx.db, doc.fileName, bytes.byteLength)
  const sniffed = sniffDocument(doc.fileName, bytes)
  if (!sniffed.ok) throw new AppError('invalid_input', `${sniffed.message} Nothing was stored.`, { file: sniffed.reason === 'empty' ? 'is empty' : `is refused (${sniffed.reason})` })
  const blob = await putBlob(ctx.db, bytes)
  const row = await ctx.db
    .insertInto('documents')
    .values({
      patient_id: doc.patientId,
      referral_id: doc.referralId,
      consultation_id: doc.consultationId,
      procedure_id: doc.procedureId,
      kind: doc.kind,
      title: doc.title,
      document_date: doc.documentDate,
      file_name: doc.fileName,
      media_type: sniffed.mediaType,
      sha256: blob.sha256,
      size: blob.size,
      created_at: nowIso(ctx),
      created_by: ctx.actor?.id ?? null,
      source,
      entered_in_error_at: null,
      entered_in_error_by: null,
      entered_in_error_reason: null,
      version: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: source === 'import' ? 'document.import' : 'document.attach',
    entity: 'document',
    entityId: row.id,
    patientId: doc.patientId,
    details: { kind: doc.kind, title: doc.title, documentDate: doc.documentDate, fileName: doc.fileName, mediaType: sniffed.mediaType, size: blob.size, sha256: blob.sha256, referralId: doc.referralId, consultationId: doc.consultationId, procedureId: doc.procedureId },
  })
  return row.id
}

/** `documents.attach`: the screen's file, its bytes as base64 (checked as base64 by the schema). */
export async function attachDocument(ctx: ServiceContext, input: AttachInput): Promise<DocumentView> {
  const actor = requireActor(ctx)
  // The decoded size is known from the text's length before decoding: an oversize file is refused without
  // holding a second copy of it.
  const padding = input.content.endsWith('==') ? 2 : input.content.endsWith('=') ? 1 : 0
  await assertWithinLimit(ctx.db, input.fileName, (input.content.length / 4) * 3 - padding)
  const bytes = Buffer.from(input.content, 'base64')
  const doc: NewDocument = {
    patientId: input.patientId,
    referralId: input.referralId,
    consultationId: input.consultationId,
    procedureId: input.procedureId,
    kind: input.kind,
    title: input.title,
    documentDate: input.documentDate,
    fileName: input.fileName,
  }
  const id = await storeDocument(ctx, doc, bytes, 'app')
  return toView(await documentRow(ctx.db, id), actor.role)
}

/** `documents.forPatient`: every document of the patient, entered in error ones too (flagged), newest first. */
export async function patientDocuments(ctx: ServiceContext, input: { patientId: number }): Promise<PatientDocuments> {
  const actor = requireActor(ctx)
  // both at once: on PostgreSQL two round trips in parallel on the pool instead of one after the other
  const [rows, maxBytes] = await Promise.all([
    documentsQuery(ctx.db).where('d.patient_id', '=', input.patientId).orderBy('d.document_date', 'desc').orderBy('d.id', 'desc').execute(),
    documentMaxBytes(ctx.db),
  ])
  return { documents: rows.map((r) => toView(r, actor.role)), maxBytes }
}

function assertMayOpen(role: string, r: DocumentRow): void {
  if (!mayOpenDocument(role, r.kind as DocumentKind)) {
    throw new AppError('forbidden', `${DOCUMENT_KIND_LABELS[r.kind as DocumentKind]}s are opened by the physicians.`)
  }
}

/** `documents.open`: the content, to view or to save (export); audited either way. */
export async function openDocument(ctx: ServiceContext, input: { id: number; use: 'view' | 'export' }): Promise<DocumentContent> {
  const actor = requireActor(ctx)
  const r = await documentRow(ctx.db, input.id)
  assertMayOpen(actor.role, r)
  const bytes = await getBlob(ctx.db, r.sha256)
  if (!bytes) throw new AppError('internal', `The file of document ${r.id} ("${r.title}") is missing from the database: run verify and restore a backup.`)
  await ctx.audit({ action: input.use === 'export' ? 'document.export' : 'document.view', entity: 'document', entityId: r.id, patientId: r.patient_id, details: { title: r.title, sha256: r.sha256 } })
  return { document: toView(r, actor.role), content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') }
}

/** `documents.printed`: the viewer sent it to the printer. */
export async function documentPrinted(ctx: ServiceContext, input: { id: number }): Promise<{ ok: true }> {
  const actor = requireActor(ctx)
  const r = await documentRow(ctx.db, input.id)
  assertMayOpen(actor.role, r)
  await ctx.audit({ action: 'document.print', entity: 'document', entityId: r.id, patientId: r.patient_id, details: { title: r.title } })
  return { ok: true }
}

/** `documents.markEnteredInError`: the row and its file are kept; who, when and why are added. */
export async function markDocumentInError(ctx: ServiceContext, input: MarkDocumentInError): Promise<DocumentView> {
  const actor = requireActor(ctx)
  const r = await documentRow(ctx.db, input.id)
  if (r.entered_in_error_at) {
    throw new AppError('conflict', `"${r.title}" was already marked entered in error by ${r.error_by_name ?? 'someone'} at ${r.entered_in_error_at}. Nothing was changed.`, { id: 'is already entered in error' })
  }
  await assertVersion(r.version, input.version, `"${r.title}" was changed at another desk since you opened it; reload. Nothing was changed.`)
  const at = nowIso(ctx)
  const written = await ctx.db
    .updateTable('documents')
    .set({ entered_in_error_at: at, entered_in_error_by: actor.id, entered_in_error_reason: input.reason, version: nextVersion(input.version) })
    .where('id', '=', r.id)
    .where('version', '=', input.version)
    .returning('id')
    .executeTakeFirst()
  assertWritten(written, `"${r.title}" was changed at another desk just now; reload. Nothing was changed.`)
  await ctx.audit({ action: 'document.enteredInError', entity: 'document', entityId: r.id, patientId: r.patient_id, details: { title: r.title, reason: input.reason } })
  return toView(await documentRow(ctx.db, r.id), actor.role)
}
