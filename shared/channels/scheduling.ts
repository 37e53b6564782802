import { z } from 'zod'
import { Id } from '../schemas/common'
import {
  AddClosedDay,
  AppointmentType,
  AppointmentView,
  BoardQuery,
  BookAndLink,
  BookAppointment,
  Booked,
  BookedAndLinked,
  CheckSlot,
  ClinicHours,
  ClosedDay,
  CreateAppointmentType,
  CreateRoom,
  DayListPrinted,
  DayListPrintReceipt,
  ExportIcs,
  FreeSlotResult,
  IcsFile,
  MoveAppointment,
  NextFreeSlotQuery,
  PatientAppointments,
  PatientAppointmentsQuery,
  RebookList,
  RebookQuery,
  RemoveClosedDay,
  Room,
  ScheduleQuery,
  ScheduleSetup,
  ScheduleWindow,
  SetAppointmentStatus,
  SlotCheck,
  TodayBoard,
  UpdateAppointmentType,
  UpdateClinicHours,
  UpdateRoom,
} from '../schemas/scheduling'
import { ALL_STAFF, CLINICAL_STAFF, Empty, Ok, type ChannelDef } from './define'

const ADMIN = ['admin'] as const
const DESK = ['frontDesk'] as const
/** Physicians change the status of their own appointments (the service checks "own"). */
const STATUS_CHANGERS = ['frontDesk', 'physician'] as const

export const schedulingChannels = {
  // Setup: everyone reads it (the booking form needs types and rooms); the administrator edits it.
  'schedule.setup.get': { input: Empty, output: ScheduleSetup, access: ALL_STAFF, reads: ['scheduleSetup'] },
  'schedule.rooms.create': { input: CreateRoom, output: Room, access: ADMIN, mutates: true, changes: ['scheduleSetup', 'schedule'] },
  'schedule.rooms.update': { input: UpdateRoom, output: Room, access: ADMIN, mutates: true, changes: ['scheduleSetup', 'schedule'] },
  'schedule.types.create': { input: CreateAppointmentType, output: AppointmentType, access: ADMIN, mutates: true, changes: ['scheduleSetup', 'schedule'] },
  'schedule.types.update': { input: UpdateAppointmentType, output: AppointmentType, access: ADMIN, mutates: true, changes: ['scheduleSetup', 'schedule'] },
  'schedule.hours.update': { input: UpdateClinicHours, output: ClinicHours, access: ADMIN, mutates: true, changes: ['scheduleSetup', 'schedule'] },
  'schedule.closedDays.add': { input: AddClosedDay, output: ClosedDay, access: ADMIN, mutates: true, changes: ['scheduleSetup', 'schedule'] },
  'schedule.closedDays.remove': { input: RemoveClosedDay, output: Ok, access: ADMIN, mutates: true, changes: ['scheduleSetup', 'schedule'] },

  // The front desk's day and week views, and the board.
  'schedule.view': { input: ScheduleQuery, output: ScheduleWindow, access: CLINICAL_STAFF, reads: ['schedule', 'patients'] },
  'schedule.appointments.get': { input: z.object({ id: Id }), output: AppointmentView, access: CLINICAL_STAFF, reads: ['schedule', 'patients'] },
  'schedule.board.today': { input: BoardQuery, output: TodayBoard, access: CLINICAL_STAFF, reads: ['schedule', 'patients'] },
  /** The patient page: one patient's upcoming and past appointments with their status (the front desk books, moves and cancels from there). */
  'schedule.appointments.forPatient': { input: PatientAppointmentsQuery, output: PatientAppointments, access: CLINICAL_STAFF, reads: ['schedule', 'patients'] },
  'schedule.lists.rebook': { input: RebookQuery, output: RebookList, access: CLINICAL_STAFF, reads: ['schedule'] },
  'schedule.slots.next': { input: NextFreeSlotQuery, output: FreeSlotResult, access: CLINICAL_STAFF, reads: ['schedule', 'scheduleSetup'] },
  'schedule.slots.check': { input: CheckSlot, output: SlotCheck, access: CLINICAL_STAFF, reads: ['schedule', 'scheduleSetup'] },

  'schedule.appointments.book': { input: BookAppointment, output: Booked, access: DESK, mutates: true, changes: ['schedule', 'followUps', 'worklists'] },
  /** Booking from a worklist: books and links the row (reassessment, request, follow-up) in one transaction, or neither. */
  'schedule.appointments.bookAndLink': { input: BookAndLink, output: BookedAndLinked, access: DESK, mutates: true, changes: ['schedule', 'followUps', 'worklists'] },
  'schedule.appointments.move': { input: MoveAppointment, output: AppointmentView, access: DESK, mutates: true, changes: ['schedule', 'followUps', 'worklists'] },
  'schedule.appointments.setStatus': { input: SetAppointmentStatus, output: AppointmentView, access: STATUS_CHANGERS, mutates: true, changes: ['schedule', 'followUps', 'worklists'] },

  // Audited as an export (who took which provider's schedule for which dates).
  'schedule.export.ics': { input: ExportIcs, output: IcsFile, access: CLINICAL_STAFF },
  'schedule.dayList.printed': { input: DayListPrinted, output: DayListPrintReceipt, access: CLINICAL_STAFF },
} as const satisfies Record<string, ChannelDef>

