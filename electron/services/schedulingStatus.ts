/** The appointment's day: confirmed, checked in, in the room, completed; or a no-show, or cancelled. */
import { AppError } from '../../shared/result'
import { statusTimingRefusal } from '../../shared/scheduling/statusTiming'
import { zonedParts } from '../../shared/scheduling/time'
import {
  STATUS_LABELS,
  STATUS_TRANSITIONS,
  type AppointmentStatus,
  type AppointmentView,
  type SetAppointmentStatus,
} from '../../shared/schemas/scheduling'
import { engineOf } from '../db/engine'
import type { AppointmentsTable } from '../db/types'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { checkPlacement, conflictError, resolveRefs } from './schedulingRules'
import { clinicTimeZone } from './schedulingSetup'
import { appointmentRow, loadLookups, toView } from './schedulingViews'

type Stamps = Partial<Pick<AppointmentsTable, `${'arrived' | 'in_room' | 'completed' | 'cancelled' | 'noshow'}_${'at' | 'by'}` | 'cancel_reason'>> & { confirmed_at?: string | null; confirmed_by?: number | null }

/** Who did it and when, for the step taken; a step back clears the stamp of the step undone. */
function stampsFor(from: AppointmentStatus, to: AppointmentStatus, at: string, by: number, reason: string): Stamps {
  switch (to) {
    case 'arrived':
      return from === 'in_room' ? { in_room_at: null, in_room_by: null } : { arrived_at: at, arrived_by: by }
    case 'in_room':
      return from === 'completed' ? { completed_at: null, completed_by: null } : { in_room_at: at, in_room_by: by }
    case 'completed':
      return { completed_at: at, completed_by: by }
    case 'noshow':
      return { noshow_at: at, noshow_by: by }
    case 'cancelled':
      return { cancelled_at: at, cancelled_by: by, cancel_reason: reason }
    case 'booked':
      if (from === 'arrived') return { arrived_at: null, arrived_by: null }
      if (from === 'noshow') return { noshow_at: null, noshow_by: null }
      // an unconfirmed appointment no longer counts as confirmed (the confirmation rate, migration 0025)
      if (from === 'confirmed') return { confirmed_at: null, confirmed_by: null }
      return {}
    case 'confirmed':
      return { confirmed_at: at, confirmed_by: by }
  }
}

export async function setAppointmentStatus(ctx: ServiceContext, input: SetAppointmentStatus): Promise<AppointmentView> {
  const actor = requireActor(ctx)
  const before = await appointmentRow(ctx.db, input.id)
  if (actor.role === 'physician' && before.provider_id !== actor.id) {
    throw new AppError('forbidden', `Appointment #${before.id} is another provider's; physicians change the status of their own appointments only.`)
  }
  const lookups = await loadLookups(ctx.db)
  if (before.version !== input.version) {
    throw new AppError('conflict', `Appointment #${before.id} was changed by someone else since you opened it (it is now ${STATUS_LABELS[before.status as AppointmentStatus]}). Nothing was changed.`, undefined, {
      current: toView(before, lookups),
    })
  }
  const from = before.status as AppointmentStatus
  const to = input.status
  if (from === to) return toView(before, lookups)
  if (!STATUS_TRANSITIONS[from].includes(to)) {
    throw new AppError('conflict', `An appointment that is ${STATUS_LABELS[from]} cannot be marked ${STATUS_LABELS[to]}.`, { status: `cannot change from ${from} to ${to}` })
  }

  const timeZone = await clinicTimeZone(ctx.db)
  const now = ctx.now()
  const today = zonedParts(now, timeZone).date
  const apptDay = zonedParts(before.starts_at, timeZone).date
  const refusal = statusTimingRefusal(from, to, { startsAt: before.starts_at, nowMs: now.getTime(), timeZone })
  if (refusal === 'notToday') {
    throw new AppError('conflict', `Appointment #${before.id} is on ${apptDay}, not today (${today}); a patient can only be checked in on the day.`, { status: 'not today' })
  }
  if (refusal === 'notStarted') {
    throw new AppError('conflict', 'The appointment has not started yet; mark a no-show once its time has passed.', { status: 'not started yet' })
  }
  if (refusal === 'dayOver') {
    throw new AppError('conflict', 'A past no-show cannot be reinstated; book a new appointment.', { status: 'day is over' })
  }
  if (from === 'noshow' && to === 'booked') {
    // A no-show freed its slot; reinstating it must find the slot still free.
    const refs = await resolveRefs(ctx.db, engineOf(ctx.database), { patientId: before.patient_id, typeId: before.type_id, providerId: before.provider_id, roomId: before.room_id, ...(before.observation_room_id ? { observationRoomId: before.observation_room_id } : {}) }, { allowInactiveType: true })
    const { conflicts } = await checkPlacement(ctx.db, timeZone, async () => lookups, {
      patientId: before.patient_id,
      providerId: before.provider_id,
      startMs: Date.parse(before.starts_at),
      durationMinutes: Math.round((Date.parse(before.ends_at) - Date.parse(before.starts_at)) / 60_000),
      observationMinutes: before.observation_ends_at ? Math.round((Date.parse(before.observation_ends_at) - Date.parse(before.ends_at)) / 60_000) : 0,
      rooms: refs.rooms,
      bays: refs.bays,
      excludeId: before.id,
    })
    if (conflicts.length > 0) throw conflictError(conflicts, { prefix: 'The slot has been given away since the no-show. ', outcome: 'Nothing was changed.' })
  }

  const at = nowIso(ctx)
  const res = await ctx.db
    .updateTable('appointments')
    .set({ status: to, ...stampsFor(from, to, at, actor.id, input.reason), updated_at: at, updated_by: actor.id, version: before.version + 1 })
    .where('id', '=', before.id)
    .where('version', '=', input.version)
    .executeTakeFirst()
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('conflict', `Appointment #${before.id} was changed by someone else. Nothing was changed.`)
  await ctx.audit({
    action: 'appointment.status',
    entity: 'appointment',
    entityId: before.id,
    patientId: before.patient_id,
    details: { from, to, ...(input.reason ? { reason: input.reason } : {}) },
  })
  return toView(await appointmentRow(ctx.db, before.id), lookups)
}
