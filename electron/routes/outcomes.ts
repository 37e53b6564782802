import type { outcomeChannels } from '../../shared/channels/outcomes'
import { dashboard } from '../services/outcomes/dashboard'
import * as jobs from '../services/outcomes/exportJobs'
import * as worklist from '../services/outcomes/followUpWorklist'
import * as visits from '../services/outcomes/visits'
import type { RouteTable } from './types'

export const outcomeRoutes: RouteTable<keyof typeof outcomeChannels> = {
  'followUps.due': (ctx, input) => visits.dueFollowUps(ctx, input),
  'followUps.worklist': (ctx, input) => worklist.dueWorklist(ctx, input),
  'followUps.close': (ctx, input) => worklist.closeFollowUp(ctx, input),
  'followUpVisits.record': (ctx, input) => visits.recordVisit(ctx, input),
  'followUpVisits.markEnteredInError': (ctx, input) => visits.markVisitInError(ctx, input),
  'outcomes.patient': (ctx, input) => visits.patientOutcomes(ctx, input),
  'outcomes.dashboard': (ctx, input) => dashboard(ctx, input),
  'exports.start': (ctx, input) => jobs.startExport(ctx, input),
  'exports.status': (ctx, input) => jobs.exportStatus(ctx, input),
  'exports.cancel': (ctx, input) => jobs.cancelExport(ctx, input),
  'exports.result': (ctx, input) => jobs.exportResult(ctx, input),
}
