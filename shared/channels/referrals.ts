import { z } from 'zod'
import {
  AddReferral,
  AddReferrer,
  DeclineReferral,
  PatientReferrals,
  Referrer,
  ReferralStats,
  ReferralView,
  ReferralWorklist,
  ReferrerDuplicate,
  ReferrerDuplicateCheck,
  ReferrerSearch,
  SetReferralReferrer,
  TriageReferral,
  UnmatchedReferral,
  UpdateReferrer,
} from '../schemas/referrals'
import { Id } from '../schemas/common'
import { CLINICAL_STAFF, Empty, type ChannelDef } from './define'

/**
 * Referrers and referrals (issue 19 points 1 and 2). The front desk and physicians keep the directory and record,
 * triage and decline referrals; managers read (and see the figures). Referrers appear on the patient page and the
 * worklist, so their writes change 'patients' and 'worklists'; a referral's, the patient page and the worklists.
 * Booking the consultation goes through schedule.appointments.bookAndLink with a `referral` link.
 */
const KEEPERS = ['frontDesk', 'physician'] as const
export const referralChannels = {
  'referrers.search': { input: ReferrerSearch, output: z.array(Referrer), access: CLINICAL_STAFF, reads: ['patients', 'worklists'] },
  'referrers.get': { input: z.object({ id: Id }), output: Referrer, access: CLINICAL_STAFF, reads: ['patients', 'worklists'] },
  /** The directory's possible duplicates of what is being typed (the add form's warning). */
  'referrers.duplicates': { input: ReferrerDuplicateCheck, output: z.array(ReferrerDuplicate), access: CLINICAL_STAFF, reads: ['patients', 'worklists'] },
  'referrers.add': { input: AddReferrer, output: Referrer, access: KEEPERS, mutates: true, changes: ['patients', 'worklists'] },
  'referrers.update': { input: UpdateReferrer, output: Referrer, access: KEEPERS, mutates: true, changes: ['patients', 'worklists'] },
  /** Referrals known only by a text (the free text the upgrade could not match, or an unknown referrer typed at intake). */
  'referrers.unmatched': { input: Empty, output: z.array(UnmatchedReferral), access: CLINICAL_STAFF, reads: ['patients', 'worklists'] },
  'referrals.forPatient': { input: z.object({ patientId: Id }), output: PatientReferrals, access: CLINICAL_STAFF, reads: ['patients', 'worklists', 'schedule'] },
  'referrals.worklist': { input: Empty, output: ReferralWorklist, access: CLINICAL_STAFF, reads: ['patients', 'worklists', 'schedule'] },
  'referrals.add': { input: AddReferral, output: ReferralView, access: KEEPERS, mutates: true, changes: ['patients', 'worklists'] },
  'referrals.triage': { input: TriageReferral, output: ReferralView, access: KEEPERS, mutates: true, changes: ['patients', 'worklists'] },
  'referrals.decline': { input: DeclineReferral, output: ReferralView, access: KEEPERS, mutates: true, changes: ['patients', 'worklists'] },
  'referrals.setReferrer': { input: SetReferralReferrer, output: ReferralView, access: KEEPERS, mutates: true, changes: ['patients', 'worklists'] },
  /** The managers' dashboard figures. */
  'referrals.stats': { input: Empty, output: ReferralStats, access: ['manager'], reads: ['patients', 'worklists', 'schedule', 'chart'] },
} as const satisfies Record<string, ChannelDef>
