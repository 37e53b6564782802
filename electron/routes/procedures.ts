import type { procedureChannels } from '../../shared/channels/procedures'
import * as checklist from '../services/procedures/checklist'
import * as biopsy from '../services/procedures/biopsy'
import * as discharge from '../services/procedures/discharge'
import * as followUps from '../services/procedures/followUps'
import * as note from '../services/procedures/note'
import * as recovery from '../services/procedures/recovery'
import * as stay from '../services/procedures/stay'
import type { RouteTable } from './types'

export const procedureRoutes: RouteTable<keyof typeof procedureChannels> = {
  'procedures.open': (ctx, input) => note.openProcedure(ctx, input),
  'procedures.get': (ctx, input) => note.getProcedure(ctx, input),
  'procedures.listForPatient': (ctx, input) => note.listForPatient(ctx, input),
  'procedures.save': (ctx, input) => note.saveProcedure(ctx, input),
  'procedures.sign': (ctx, input) => note.signProcedure(ctx, input),
  'procedures.addAddendum': (ctx, input) => note.addProcedureAddendum(ctx, input),
  'procedures.markEnteredInError': (ctx, input) => note.markProcedureInError(ctx, input),
  'procedures.recordBiopsyResult': (ctx, input) => biopsy.recordBiopsyResult(ctx, input),
  'procedures.checklist.get': (ctx, input) => checklist.getChecklist(ctx, input),
  'procedures.checklist.save': (ctx, input) => checklist.saveChecklist(ctx, input),
  'procedures.checklist.signOff': (ctx, input) => checklist.signOffChecklist(ctx, input),
  'recovery.get': (ctx, input) => recovery.getRecovery(ctx, input),
  'recovery.save': (ctx, input) => recovery.saveRecovery(ctx, input),
  'recovery.addCheck': (ctx, input) => recovery.addCheck(ctx, input),
  'recovery.markCheckInError': (ctx, input) => recovery.markCheckInError(ctx, input),
  'stays.decide': (ctx, input) => stay.decideStay(ctx, input),
  'stays.list': (ctx, input) => stay.listStays(ctx, input),
  'discharge.open': (ctx, input) => discharge.openDischarge(ctx, input),
  'discharge.get': (ctx, input) => discharge.getDischarge(ctx, input),
  'discharge.save': (ctx, input) => discharge.saveDischarge(ctx, input),
  'discharge.sign': (ctx, input) => discharge.signDischarge(ctx, input),
  'discharge.addAddendum': (ctx, input) => discharge.addDischargeAddendum(ctx, input),
  'discharge.markEnteredInError': (ctx, input) => discharge.markDischargeInError(ctx, input),
  'discharge.pdf': (ctx, input) => discharge.dischargePdf(ctx, input),
  'followUps.list': (ctx, input) => followUps.listFollowUps(ctx, input),
  'followUps.markBooked': (ctx, input) => followUps.markFollowUpBooked(ctx, input),
}
