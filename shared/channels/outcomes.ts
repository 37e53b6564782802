import { z } from 'zod'
import { Id } from '../schemas/common'
import {
  CloseFollowUp,
  ClosedFollowUp,
  Dashboard,
  DueFollowUp,
  DueFollowUpWorklist,
  DueFollowUpsQuery,
  ExportJobQuery,
  ExportJobView,
  ExportResult,
  FollowUpVisitView,
  MarkVisitInError,
  OutcomeFilter,
  PatientOutcomes,
  RecordFollowUpVisit,
  StartExport,
} from '../schemas/outcomes'
import type { ChannelDef } from './define'

/**
 * The front desk sees the follow-ups due (who and when, nothing clinical); physicians record the visits;
 * physicians and managers see a patient's scores over time; managers see the dashboard and export.
 */
const BOOKERS = ['frontDesk', 'physician', 'manager'] as const
const READERS = ['physician', 'manager'] as const
const MANAGERS = ['manager'] as const

export const outcomeChannels = {
  'followUps.due': { input: DueFollowUpsQuery, output: z.array(DueFollowUp), access: BOOKERS, reads: ['followUps'] },
  /** the Follow-ups due screen: the filtered list, and how many the clinic's setting hides as too old */
  'followUps.worklist': { input: DueFollowUpsQuery, output: DueFollowUpWorklist, access: BOOKERS, reads: ['followUps', 'settings'] },
  /** closed without a visit, with a reason (declined, moved away, died, seen elsewhere, other); the row stays */
  'followUps.close': { input: CloseFollowUp, output: ClosedFollowUp, access: BOOKERS, mutates: true, changes: ['chart', 'followUps'] },
  'followUpVisits.record': { input: RecordFollowUpVisit, output: FollowUpVisitView, access: ['physician'], mutates: true, changes: ['chart', 'followUps'] },
  'followUpVisits.markEnteredInError': { input: MarkVisitInError, output: FollowUpVisitView, access: READERS, mutates: true, changes: ['chart', 'followUps'] },
  'outcomes.patient': { input: z.object({ patientId: Id }), output: PatientOutcomes, access: READERS, reads: ['chart', 'followUps'] },
  'outcomes.dashboard': { input: OutcomeFilter, output: Dashboard, access: MANAGERS, reads: ['chart', 'followUps'] },
  'exports.start': { input: StartExport, output: ExportJobView, access: MANAGERS },
  'exports.status': { input: ExportJobQuery, output: ExportJobView, access: MANAGERS },
  'exports.cancel': { input: ExportJobQuery, output: ExportJobView, access: MANAGERS },
  'exports.result': { input: ExportJobQuery, output: ExportResult, access: MANAGERS },
} as const satisfies Record<string, ChannelDef>
