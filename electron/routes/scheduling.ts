import type { schedulingChannels } from '../../shared/channels/scheduling'
import { bookAndLink } from '../services/bookFromWorklist'
import * as booking from '../services/schedulingBooking'
import { exportIcs, recordDayListPrint } from '../services/schedulingExport'
import * as setup from '../services/schedulingSetup'
import { setAppointmentStatus } from '../services/schedulingStatus'
import * as views from '../services/schedulingViews'
import type { RouteTable } from './types'

export const schedulingRoutes: RouteTable<keyof typeof schedulingChannels> = {
  'schedule.setup.get': (ctx) => setup.getSetup(ctx),
  'schedule.rooms.create': (ctx, input) => setup.createRoom(ctx, input),
  'schedule.rooms.update': (ctx, input) => setup.updateRoom(ctx, input),
  'schedule.types.create': (ctx, input) => setup.createType(ctx, input),
  'schedule.types.update': (ctx, input) => setup.updateType(ctx, input),
  'schedule.hours.update': (ctx, input) => setup.updateHours(ctx, input),
  'schedule.closedDays.add': (ctx, input) => setup.addClosedDay(ctx, input),
  'schedule.closedDays.remove': (ctx, input) => setup.removeClosedDay(ctx, input),

  'schedule.view': (ctx, input) => views.loadSchedule(ctx, input),
  'schedule.appointments.get': (ctx, input) => views.getAppointment(ctx, input),
  'schedule.board.today': (ctx, input) => views.todayBoard(ctx, input),
  'schedule.appointments.forPatient': (ctx, input) => views.patientAppointments(ctx, input),
  'schedule.lists.rebook': (ctx, input) => views.rebookList(ctx, input),
  'schedule.slots.next': (ctx, input) => booking.nextFreeSlot(ctx, input),
  'schedule.slots.check': (ctx, input) => booking.checkSlot(ctx, input),

  'schedule.appointments.book': (ctx, input) => booking.bookAppointment(ctx, input),
  'schedule.appointments.bookAndLink': (ctx, input) => bookAndLink(ctx, input),
  'schedule.appointments.move': (ctx, input) => booking.moveAppointment(ctx, input),
  'schedule.appointments.setStatus': (ctx, input) => setAppointmentStatus(ctx, input),

  'schedule.export.ics': (ctx, input) => exportIcs(ctx, input),
  'schedule.dayList.printed': (ctx, input) => recordDayListPrint(ctx, input),
}
