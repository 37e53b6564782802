import type { referralChannels } from '../../shared/channels/referrals'
import * as referrals from '../services/referrals'
import * as referrers from '../services/referrers'
import type { RouteTable } from './types'

export const referralRoutes: RouteTable<keyof typeof referralChannels> = {
  'referrers.search': (ctx, input) => referrers.searchReferrers(ctx, input),
  'referrers.get': (ctx, input) => referrers.getReferrer(ctx, input),
  'referrers.duplicates': (ctx, input) => referrers.checkReferrerDuplicates(ctx, input),
  'referrers.add': (ctx, input) => referrers.addReferrer(ctx, input),
  'referrers.update': (ctx, input) => referrers.updateReferrer(ctx, input),
  'referrers.unmatched': (ctx) => referrals.unmatchedReferrals(ctx),
  'referrals.forPatient': (ctx, input) => referrals.patientReferrals(ctx, input),
  'referrals.worklist': (ctx) => referrals.referralWorklist(ctx),
  'referrals.add': (ctx, input) => referrals.addReferral(ctx, input),
  'referrals.triage': (ctx, input) => referrals.triageReferral(ctx, input),
  'referrals.decline': (ctx, input) => referrals.declineReferral(ctx, input),
  'referrals.setReferrer': (ctx, input) => referrals.setReferralReferrer(ctx, input),
  'referrals.stats': (ctx) => referrals.referralStats(ctx),
}
