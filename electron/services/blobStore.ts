/**
 * A content-addressed store of bytes in the clinic's database (migration 0030's `blobs` table): documents on the
 * chart, imaging's DICOM instances and letters' PDFs keep their bytes here and refer to them by SHA-256.
 *
 * In the database rather than in files beside it so that a backup (one SQLite file), a restore,
 * `migrate-to-postgres` and `verify` carry the bytes with the rows that name them; see the migration for why a
 * bytea column and not PostgreSQL's large objects.
 *
 * putBlob is idempotent: the same bytes give the same key and one row, whoever stores them, so two documents of
 * one file share it. getBlob does not re-hash what it reads (a 50 MB file would be hashed on every view): `verify`
 * re-hashes every row (verifyBlobs) and names the changed one and the records that use it.
 */
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Tx } from '../db/tx'
import './documentTables'

const SHA256_HEX = /^[0-9a-f]{64}$/

/** The key of some bytes: their SHA-256 as lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** better-sqlite3 binds a Buffer as a BLOB (a plain Uint8Array it refuses); pg binds a Buffer as bytea. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/**
 * Stores the bytes (if no row has them yet) and returns their key and size. Call it inside the transaction that
 * writes the row naming the blob, so that a refused or failed write leaves no blob behind either.
 */
export async function putBlob(db: Tx, bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
  const sha256 = sha256Hex(bytes)
  const size = bytes.byteLength
  // ON CONFLICT DO NOTHING on both engines: a second workstation storing the same file at the same moment
  // neither fails nor writes a second copy.
  await db
    .insertInto('blobs')
    .values({ sha256, size, bytes: asBuffer(bytes), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute()
  return { sha256, size }
}

/** The bytes stored under this key, or undefined when there are none (or the key is not a SHA-256). */
export async function getBlob(db: Tx, sha256: string): Promise<Uint8Array | undefined> {
  if (!SHA256_HEX.test(sha256)) return undefined
  const row = await db.selectFrom('blobs').select('bytes').where('sha256', '=', sha256).executeTakeFirst()
  return row?.bytes
}

/**
 * The tables whose rows name a blob, for `verify` to say which records a changed blob affects. The imaging and
 * letters parts add their own entry here (table, the column holding the SHA-256, and how to name a row).
 */
export const BLOB_USERS: { table: string; column: string; describe: (id: unknown) => string }[] = [
  { table: 'documents', column: 'sha256', describe: (id) => `document ${String(id)}` },
  { table: 'letters', column: 'sha256', describe: (id) => `letter ${String(id)}` },
  { table: 'imaging_instances', column: 'sha256', describe: (id) => `imaging instance ${String(id)}` },
]

export interface BlobProblem {
  sha256: string
  problem: string
}

/**
 * Re-hashes every stored blob, one at a time (so the largest clinic never holds more than one file in memory),
 * and reports each whose bytes no longer hash to its key or whose size changed, with the records using it.
 */
export async function verifyBlobs(db: Tx, tables: Set<string>): Promise<{ checked: number; bytes: number; problems: BlobProblem[] }> {
  const keys = await db.selectFrom('blobs').select(['sha256', 'size']).orderBy('sha256').execute()
  const problems: BlobProblem[] = []
  let bytes = 0
  for (const k of keys) {
    const row = await db.selectFrom('blobs').select('bytes').where('sha256', '=', k.sha256).executeTakeFirst()
    const got = row?.bytes ?? new Uint8Array()
    bytes += got.byteLength
    const actual = sha256Hex(got)
    const wrong: string[] = []
    if (actual !== k.sha256) wrong.push(`its bytes hash to ${actual.slice(0, 12)}…`)
    if (Number(k.size) !== got.byteLength) wrong.push(`it holds ${got.byteLength} bytes, not the ${Number(k.size)} recorded`)
    if (wrong.length === 0) continue
    const users: string[] = []
    for (const u of BLOB_USERS) {
      if (!tables.has(u.table)) continue
      const rows = await sql<{ id: unknown }>`SELECT id FROM ${sql.table(u.table)} WHERE ${sql.ref(u.column)} = ${k.sha256} ORDER BY id`.execute(db)
      users.push(...rows.rows.map((r) => u.describe(r.id)))
    }
    problems.push({
      sha256: k.sha256,
      problem: `blob ${k.sha256} was changed outside the app: ${wrong.join('; ')}${users.length > 0 ? `; used by ${users.join(', ')}` : '; no record uses it'}. Restore it from a backup.`,
    })
  }
  return { checked: keys.length, bytes, problems }
}
