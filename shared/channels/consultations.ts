import { z } from 'zod'
import { ChartQuery, ChartView, UpdateClinicalHistory, ChartHeader } from '../schemas/chart'
import {
  CarePlanView,
  ConsultationSummary,
  ConsultationView,
  DueReassessment,
  DueReassessmentsQuery,
  LinkReassessmentAppointment,
  ListForPatient,
  MarkRequestBooked,
  OpenConsultation,
  ProcedureRequestQuery,
  ProcedureRequestView,
  RecordCareOutcome,
  SaveCarePlan,
  SaveConsultation,
  SaveDecision,
  SaveNote,
  SaveFindings,
} from '../schemas/consultations'
import { Id } from '../schemas/common'
import { AddAddendum, MarkEnteredInError, SignRecord } from '../schemas/signing'
import type { ChannelDef } from './define'

/** Physicians write notes; managers may read them (audited); the front desk never sees clinical content. */
const WRITERS = ['physician'] as const
const READERS = ['physician', 'manager'] as const
/** Scheduling lists: who is due and what to book, without clinical detail. */
const BOOKERS = ['frontDesk', 'physician', 'manager'] as const

export const consultationChannels = {
  'consultations.open': { input: OpenConsultation, output: ConsultationView, access: WRITERS, mutates: true, changes: ['chart'] },
  'consultations.get': { input: z.object({ id: Id }), output: ConsultationView, access: READERS, reads: ['chart'] },
  'consultations.listForPatient': { input: ListForPatient, output: z.array(ConsultationSummary), access: READERS, reads: ['chart'] },
  'consultations.save': { input: SaveConsultation, output: ConsultationView, access: WRITERS, mutates: true, changes: ['chart', 'worklists'] },
  'consultations.saveFindings': { input: SaveFindings, output: ConsultationView, access: WRITERS, mutates: true, changes: ['chart'] },
  'consultations.saveCarePlan': { input: SaveCarePlan, output: ConsultationView, access: WRITERS, mutates: true, changes: ['chart', 'worklists'] },
  'consultations.saveDecision': { input: SaveDecision, output: ConsultationView, access: WRITERS, mutates: true, changes: ['chart', 'worklists'] },
  /** The editor's save: every changed part of the draft note in one transaction and one version bump. */
  'consultations.saveNote': { input: SaveNote, output: ConsultationView, access: WRITERS, mutates: true, changes: ['chart', 'worklists'] },
  'consultations.sign': { input: SignRecord, output: ConsultationView, access: WRITERS, mutates: true, reauthenticate: true, changes: ['chart', 'worklists'] },
  'consultations.addAddendum': { input: AddAddendum, output: ConsultationView, access: WRITERS, mutates: true, reauthenticate: true, changes: ['chart'] },
  'consultations.markEnteredInError': { input: MarkEnteredInError, output: ConsultationView, access: ['physician', 'manager'], mutates: true, changes: ['chart', 'worklists'] },

  'care.recordOutcome': { input: RecordCareOutcome, output: CarePlanView, access: WRITERS, mutates: true, changes: ['chart', 'worklists'] },
  'care.dueReassessments': { input: DueReassessmentsQuery, output: z.array(DueReassessment), access: BOOKERS, reads: ['worklists'] },
  'care.linkAppointment': { input: LinkReassessmentAppointment, output: DueReassessment, access: BOOKERS, mutates: true, changes: ['worklists', 'schedule'] },

  'procedureRequests.list': { input: ProcedureRequestQuery, output: z.array(ProcedureRequestView), access: BOOKERS, reads: ['worklists'] },
  'procedureRequests.markBooked': { input: MarkRequestBooked, output: ProcedureRequestView, access: BOOKERS, mutates: true, changes: ['worklists', 'schedule'] },

  'chart.get': { input: ChartQuery, output: ChartView, access: READERS, reads: ['chart', 'patients'] },
  'chart.updateHistory': { input: UpdateClinicalHistory, output: ChartHeader, access: WRITERS, mutates: true, changes: ['chart'] },
} as const satisfies Record<string, ChannelDef>
