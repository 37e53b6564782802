import { z } from 'zod'
import { Id } from '../schemas/common'
import { ListForPatient } from '../schemas/consultations'
import { DischargePdf, DischargePdfRequest, DischargeView, FollowUpQuery, FollowUpView, MarkFollowUpBooked, OpenDischarge, SaveDischarge } from '../schemas/discharge'
import { OpenProcedure, ProcedureSummary, ProcedureView, RecordBiopsyResult, SaveProcedure } from '../schemas/procedures'
import { AddCheck, DecideStay, GetRecovery, MarkCheckInError, RecoveryView, SaveRecovery, StaysList, StaysQuery, StayView } from '../schemas/recovery'
import { AddAddendum, MarkEnteredInError, SignRecord } from '../schemas/signing'
import { ChecklistView, GetChecklist, SaveChecklist, SignOffChecklist } from '../schemas/preProcedure'
import type { ChannelDef } from './define'

/**
 * Physicians write and sign procedure notes, recovery, the stay decision and discharge summaries; managers read
 * them (audited), the stays list and the summaries; the front desk sees only the follow-up visits to book.
 */
const WRITERS = ['physician'] as const
const READERS = ['physician', 'manager'] as const
const BOOKERS = ['frontDesk', 'physician', 'manager'] as const
const ById = z.object({ id: Id })

export const procedureChannels = {
  'procedures.open': { input: OpenProcedure, output: ProcedureView, access: WRITERS, mutates: true, changes: ['chart', 'worklists'] },
  'procedures.get': { input: ById, output: ProcedureView, access: READERS, reads: ['chart'] },
  'procedures.listForPatient': { input: ListForPatient, output: z.array(ProcedureSummary), access: READERS, reads: ['chart'] },
  'procedures.save': { input: SaveProcedure, output: ProcedureView, access: WRITERS, mutates: true, changes: ['chart'] },
  'procedures.sign': { input: SignRecord, output: ProcedureView, access: WRITERS, mutates: true, reauthenticate: true, changes: ['chart', 'worklists', 'stays'] },
  'procedures.addAddendum': { input: AddAddendum, output: ProcedureView, access: WRITERS, mutates: true, reauthenticate: true, changes: ['chart'] },
  'procedures.markEnteredInError': { input: MarkEnteredInError, output: ProcedureView, access: READERS, mutates: true, changes: ['chart', 'worklists', 'stays'] },
  // a level's biopsy result from pathology, appended to the signed note (issue 17 point 7): any physician
  'procedures.recordBiopsyResult': { input: RecordBiopsyResult, output: ProcedureView, access: WRITERS, mutates: true, changes: ['chart'] },

  // the pre-procedure checklist (issue 17, point 3): written and signed off by physicians, as the note; final once signed off
  'procedures.checklist.get': { input: GetChecklist, output: ChecklistView, access: READERS, reads: ['chart'] },
  'procedures.checklist.save': { input: SaveChecklist, output: ChecklistView, access: WRITERS, mutates: true, changes: ['chart'] },
  'procedures.checklist.signOff': { input: SignOffChecklist, output: ChecklistView, access: WRITERS, mutates: true, reauthenticate: true, changes: ['chart'] },

  'recovery.get': { input: GetRecovery, output: RecoveryView, access: READERS, reads: ['chart'] },
  'recovery.save': { input: SaveRecovery, output: RecoveryView, access: WRITERS, mutates: true, changes: ['chart', 'stays'] },
  'recovery.addCheck': { input: AddCheck, output: RecoveryView, access: WRITERS, mutates: true, changes: ['chart', 'stays'] },
  'recovery.markCheckInError': { input: MarkCheckInError, output: RecoveryView, access: WRITERS, mutates: true, changes: ['chart', 'stays'] },

  'stays.decide': { input: DecideStay, output: StayView, access: WRITERS, mutates: true, changes: ['chart', 'stays'] },
  'stays.list': { input: StaysQuery, output: StaysList, access: READERS, reads: ['stays'] },

  'discharge.open': { input: OpenDischarge, output: DischargeView, access: WRITERS, mutates: true, changes: ['chart', 'stays', 'followUps'] },
  'discharge.get': { input: ById, output: DischargeView, access: READERS, reads: ['chart'] },
  'discharge.save': { input: SaveDischarge, output: DischargeView, access: WRITERS, mutates: true, changes: ['chart'] },
  'discharge.sign': { input: SignRecord, output: DischargeView, access: WRITERS, mutates: true, reauthenticate: true, changes: ['chart', 'stays', 'followUps'] },
  'discharge.addAddendum': { input: AddAddendum, output: DischargeView, access: WRITERS, mutates: true, reauthenticate: true, changes: ['chart'] },
  'discharge.markEnteredInError': { input: MarkEnteredInError, output: DischargeView, access: READERS, mutates: true, changes: ['chart', 'stays', 'followUps'] },
  'discharge.pdf': { input: DischargePdfRequest, output: DischargePdf, access: READERS },

  'followUps.list': { input: FollowUpQuery, output: z.array(FollowUpView), access: BOOKERS, reads: ['followUps'] },
  'followUps.markBooked': { input: MarkFollowUpBooked, output: FollowUpView, access: BOOKERS, mutates: true, changes: ['followUps', 'schedule'] },
} as const satisfies Record<string, ChannelDef>
