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
  'consultations.open': { input: OpenConsultation, output: ConsultationView, access: WRITERS, mutates: true },
  'consultations.get': { input: z.object({ id: Id }), output: ConsultationView, access: READERS },
  'consultations.listForPatient': { input: ListForPatient, output: z.array(ConsultationSummary), access: READERS },
  'consultations.save': { input: SaveConsultation, output: ConsultationView, access: WRITERS, mutates: true },
  'consultations.saveFindings': { input: SaveFindings, output: ConsultationView, access: WRITERS, mutates: true },
  'consultations.saveCarePlan': { input: SaveCarePlan, output: ConsultationView, access: WRITERS, mutates: true },
  'consultations.saveDecision': { input: SaveDecision, output: ConsultationView, access: WRITERS, mutates: true },
  'consultations.sign': { input: SignRecord, output: ConsultationView, access: WRITERS, mutates: true, reauthenticate: true },
  'consultations.addAddendum': { input: AddAddendum, output: ConsultationView, access: WRITERS, mutates: true, reauthenticate: true },
  'consultations.markEnteredInError': { input: MarkEnteredInError, output: ConsultationView, access: ['physician', 'manager'], mutates: true },

  'care.recordOutcome': { input: RecordCareOutcome, output: CarePlanView, access: WRITERS, mutates: true },
  'care.dueReassessments': { input: DueReassessmentsQuery, output: z.array(DueReassessment), access: BOOKERS },
  'care.linkAppointment': { input: LinkReassessmentAppointment, output: DueReassessment, access: BOOKERS, mutates: true },

  'procedureRequests.list': { input: ProcedureRequestQuery, output: z.array(ProcedureRequestView), access: BOOKERS },
  'procedureRequests.markBooked': { input: MarkRequestBooked, output: ProcedureRequestView, access: BOOKERS, mutates: true },

  'chart.get': { input: ChartQuery, output: ChartView, access: READERS },
  'chart.updateHistory': { input: UpdateClinicalHistory, output: ChartHeader, access: WRITERS, mutates: true },
} as const satisfies Record<string, ChannelDef>
