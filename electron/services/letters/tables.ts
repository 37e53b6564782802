/**
 * The Kysely type of migration 0033's `letters` table, added to the database's type by interface merging (as
 * referralTables.ts does), so that the shared electron/db/types.ts need not change for it.
 */
import type { Generated } from 'kysely'

export interface LettersTable {
  id: Generated<number>
  patient_id: number
  /** 'consultation' | 'procedure' */
  record_kind: string
  consultation_id: number | null
  procedure_id: number | null
  referral_id: number | null
  /** 'referrer' (a 'primaryCare' physician when the patient record has one) */
  recipient_kind: Generated<string>
  referrer_id: number | null
  recipient_name: string
  recipient_address: Generated<string>
  recipient_fax: Generated<string>
  recipient_email: Generated<string>
  /** 'print' | 'fax' | 'email' | 'post' */
  delivery: string
  /** canonical JSON of the LetterContent the PDF is made from */
  content: string
  sha256: string
  size: number
  signer_id: number
  signer_name: string
  signer_credentials: Generated<string>
  signed_at: string
  created_at: string
  created_by: number
  sent_at: string | null
  sent_by: number | null
  sent_method: string | null
  entered_in_error_at: string | null
  entered_in_error_by: number | null
  entered_in_error_reason: string | null
  version: Generated<number>
}

declare module '../../db/types' {
  interface DB {
    letters: LettersTable
  }
}
