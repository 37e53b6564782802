/**
 * Stable pseudonyms for de-identified exports: HMAC-SHA256 of the patient id with a per-clinic secret that is
 * made once (32 random bytes) and kept in the database's clinic_secrets table, never in the settings the
 * screens read. The same patient gets the same pseudonym in every export of this clinic; without the secret
 * it cannot be turned back into the id (or recomputed from a guessed id).
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { Tx } from '../../db/tx'

export const PSEUDONYM_SECRET = 'exportPseudonymKey'

/** The clinic's secret, made on first use. Run inside a write transaction (or on its own: the insert is idempotent). */
export async function pseudonymSecret(db: Tx, at: string): Promise<Buffer> {
  const found = await db.selectFrom('clinic_secrets').select('value').where('name', '=', PSEUDONYM_SECRET).executeTakeFirst()
  if (found) return Buffer.from(found.value, 'base64')
  await db
    .insertInto('clinic_secrets')
    .values({ name: PSEUDONYM_SECRET, value: randomBytes(32).toString('base64'), created_at: at })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const row = await db.selectFrom('clinic_secrets').select('value').where('name', '=', PSEUDONYM_SECRET).executeTakeFirstOrThrow()
  return Buffer.from(row.value, 'base64')
}

export function pseudonymizer(secret: Buffer): (patientId: number) => string {
  return (patientId) => `P-${createHmac('sha256', secret).update(`patient:${patientId}`).digest('hex').slice(0, 20)}`
}
