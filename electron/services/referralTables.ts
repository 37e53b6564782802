/**
 * The Kysely types of migration 0029's tables (referrers, referrals), added to the database's type by interface
 * merging, so that the shared electron/db/types.ts need not change for them.
 */
import type { Generated } from 'kysely'

/** 0029: the referrers' directory. created_by/updated_by null: made by the upgrade from the patients' free text. */
export interface ReferrersTable {
  id: Generated<number>
  name: string
  specialty: Generated<string>
  practice: Generated<string>
  address: Generated<string>
  phone: Generated<string>
  fax: Generated<string>
  email: Generated<string>
  /** 'post' | 'fax' | 'email' | 'print' */
  letter_delivery: Generated<string>
  active: Generated<number>
  name_key: string
  practice_key: Generated<string>
  search_text: string
  phone_digits: Generated<string>
  fax_digits: Generated<string>
  email_key: Generated<string>
  created_at: string
  created_by: number | null
  updated_at: string
  updated_by: number | null
  version: Generated<number>
}

/** 0029: a patient's referral; never deleted. */
export interface ReferralsTable {
  id: Generated<number>
  patient_id: number
  received_on: string
  referrer_id: number | null
  referrer_text: Generated<string>
  reason: Generated<string>
  /** 'untriaged' | 'urgent' | 'soon' | 'routine' */
  urgency: Generated<string>
  triaged_at: string | null
  triaged_by: number | null
  /** 'open' | 'booked' | 'declined' | 'closed' */
  status: Generated<string>
  decline_reason: Generated<string>
  declined_at: string | null
  declined_by: number | null
  appointment_id: number | null
  booked_at: string | null
  booked_by: number | null
  /** 'intake' | 'migrated' */
  source: Generated<string>
  created_at: string
  created_by: number | null
  updated_at: string
  updated_by: number | null
  version: Generated<number>
}

declare module '../db/types' {
  interface DB {
    referrers: ReferrersTable
    referrals: ReferralsTable
  }
}
