import type { consultationChannels } from '../../shared/channels/consultations'
import * as candidacy from '../services/consultations/candidacy'
import * as care from '../services/consultations/care'
import * as chart from '../services/consultations/chart'
import * as findings from '../services/consultations/findings'
import * as notes from '../services/consultations/notes'
import * as signing from '../services/consultations/signing'
import type { RouteTable } from './types'

export const consultationRoutes: RouteTable<keyof typeof consultationChannels> = {
  'consultations.open': (ctx, input) => notes.openConsultation(ctx, input),
  'consultations.get': (ctx, input) => notes.getConsultation(ctx, input),
  'consultations.listForPatient': (ctx, input) => notes.listForPatient(ctx, input),
  'consultations.save': (ctx, input) => notes.saveConsultation(ctx, input),
  'consultations.saveFindings': (ctx, input) => findings.saveFindings(ctx, input),
  'consultations.saveCarePlan': (ctx, input) => care.saveCarePlan(ctx, input),
  'consultations.saveDecision': (ctx, input) => candidacy.saveDecision(ctx, input),
  'consultations.saveNote': (ctx, input) => notes.saveNote(ctx, input),
  'consultations.sign': (ctx, input) => signing.signConsultation(ctx, input),
  'consultations.addAddendum': (ctx, input) => signing.addConsultationAddendum(ctx, input),
  'consultations.markEnteredInError': (ctx, input) => signing.markConsultationInError(ctx, input),
  'care.recordOutcome': (ctx, input) => care.recordOutcome(ctx, input),
  'care.dueReassessments': (ctx, input) => care.dueReassessments(ctx, input),
  'care.linkAppointment': (ctx, input) => care.linkAppointment(ctx, input),
  'procedureRequests.list': (ctx, input) => candidacy.listRequests(ctx, input),
  'procedureRequests.markBooked': (ctx, input) => candidacy.markBooked(ctx, input),
  'chart.get': (ctx, input) => chart.getChart(ctx, input),
  'chart.updateHistory': (ctx, input) => chart.updateHistory(ctx, input),
}
