/**
 * Where a signed letter's PDF bytes are kept: in the clinic's content-addressed store (../blobStore.ts, migration
 * 0030's `blobs` table), under their SHA-256, which the letter's row holds with the size and the content the PDF was
 * made from. So backups, restore, `migrate-to-postgres` and `verify` carry and check them with the documents.
 * Reading checks the bytes against the row's SHA-256 (a letter is small; the blob store itself does not re-hash on
 * read). A letter whose bytes are not in the store is made again from its content (the same content and signing
 * time give the same bytes, ./pdf.ts) and must hash the same, or it is refused as changed.
 */
import { AppError } from '../../../shared/result'
import type { LetterContent } from '../../../shared/schemas/letters'
import type { Tx } from '../../db/tx'
import { getBlob, putBlob, sha256Hex } from '../blobStore'
import { makeLetterPdf } from './pdf'
import type { LettersTable } from './tables'

export const sha256Bytes = (b: Uint8Array) => sha256Hex(b)

/** Keeps the bytes of a letter being signed; returns their key and size (inside the signing transaction). */
export async function storeLetterPdf(db: Tx, bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
  return putBlob(db, bytes)
}

/** The signed letter's PDF bytes, checked against the SHA-256 stored with it. */
export async function loadLetterPdf(db: Tx, row: Pick<LettersTable, 'content' | 'signed_at' | 'sha256'> & { id: number }): Promise<Buffer> {
  const stored = await getBlob(db, row.sha256)
  const bytes = stored ? Buffer.from(stored) : await makeLetterPdf(JSON.parse(row.content) as LetterContent, { signedAt: row.signed_at, createdAt: row.signed_at })
  if (sha256Bytes(bytes) !== row.sha256) {
    throw new AppError('conflict', `Letter ${row.id} no longer matches the SHA-256 it was signed with: it was changed outside the app. Nothing was shown or exported; tell the administrator.`)
  }
  return bytes
}
