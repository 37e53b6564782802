/**
 * The front desk's day and week views: one lane per provider and per room (Mantine's resource views),
 * clinic hours shaded, the current time marked. Click or press Enter on an empty slot to book; drag an
 * appointment to move it (confirmed, then checked by the main process; a refusal leaves it where it was).
 *
 *   #/schedule?date=YYYY-MM-DD&view=day|week[&book=1&patient=ID&type=CODE&provider=ID&link=KIND:ID:VERSION]
 */
import '@mantine/schedule/styles.css'
import { Alert, Anchor, Button, Group, Loader, Modal, SegmentedControl, Stack, Text, Title, UnstyledButton } from '@mantine/core'
import { ResourcesDayView, ResourcesWeekView, type ScheduleEventData, type ScheduleResourceData } from '@mantine/schedule'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState, type CSSProperties } from 'react'
import { addDays, startOfWeek, weekdayOf, zonedParts } from '../../../shared/scheduling/time'
import { STATUS_LABELS, type AppointmentView, type ScheduleSetup } from '../../../shared/schemas/scheduling'
import { ApiError } from '../../api'
import { useClinicClock } from '../../clinicClock'
import { showApiError } from '../../forms'
import { languageLine } from '../../format'
import { navigate, useRoute } from '../../routing'
import { channelQuery, run, useCan, useChannel, useRefreshAfter } from '../../data'
import { AppointmentModal } from './AppointmentModal'
import { BookingModal } from './BookingModal'
import { IcsExport } from './IcsExport'
import { describeWhen, fromWall, localTime, longDate, textColourOn, todayIn, toWall, isBookingLinkKind, typeByCode, useScheduleSetup, type BookingPrefill } from './scheduleUi'
import { isValidIsoDate } from '../../../shared/dates'
import { DateField } from '../../components/DateField'
// issue 21 point 4: the slot an appointment is dragged away from is offered to the ASAP list
import { FreedSlotOffer, freedSlotOf } from '../../components/FreedSlotOffer'
import type { FreedSlot } from '../../../shared/schemas/asap'

type View = 'day' | 'week'
type LaneFilter = 'all' | 'providers' | 'rooms'

interface Payload {
  appointment: AppointmentView
  lane: 'provider' | 'room' | 'bay'
}

interface PendingMove {
  appointment: AppointmentView
  startsAt: string
  providerId?: number
  roomId?: number
}

/** The days the address asks for: a day, or the week (from Monday) around the date; today when none is given. */
function windowOf(params: URLSearchParams, today: string): { date: string; view: View; from: string; days: number } {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : today
  const view: View = params.get('view') === 'week' ? 'week' : 'day'
  return view === 'week' ? { date, view, from: startOfWeek(date), days: 7 } : { date, view, from: date, days: 1 }
}


export default function ScheduleScreen() {
  const clock = useClinicClock()
  const setup = useScheduleSetup()
  const qc = useQueryClient()
  const params = useQueryParams()
  // Ask for the appointments while the setup loads, so that both answers arrive together rather than one after
  // the other (the first drawing of the lanes takes long). The clinic's today is known already: the session names
  // the clinic's time zone (never this workstation's own).
  useEffect(() => {
    if (!setup.isPending) return
    const w = windowOf(params, clock.today())
    void qc.prefetchQuery(channelQuery('schedule.view', { from: w.from, days: w.days }))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  if (setup.isPending) return <Loader aria-label="Loading schedule" />
  if (setup.isError) return <Alert color="red">{setup.error.message}</Alert>
  return <Planner setup={setup.data} />
}

function useQueryParams(): URLSearchParams {
  const route = useRoute()
  return new URLSearchParams(route.split('?')[1] ?? '')
}

/**
 * Changes the address's parameters. Starts from the address as it is now, not as the last render saw
 * it, so two quick changes (Week, then a date) both stick.
 */
function setParams(changes: Record<string, string | null>, base = new URLSearchParams(window.location.hash.split('?')[1] ?? '')) {
  const q = new URLSearchParams(base)
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) q.delete(k)
    else q.set(k, v)
  }
  navigate(`/schedule?${q.toString()}`)
}

/** Lanes: providers first, then rooms (and bays), in the administrator's order. */
function lanes(setup: ScheduleSetup, filter: LaneFilter): ScheduleResourceData[] {
  const providers = setup.providers.filter((p) => p.active).map((p) => ({ id: `p:${p.id}`, label: p.displayName }))
  const rooms = setup.rooms.filter((r) => r.active).map((r) => ({ id: `r:${r.id}`, label: r.name }))
  return [...(filter !== 'rooms' ? providers : []), ...(filter !== 'providers' ? rooms : [])]
}

function Planner({ setup }: { setup: ScheduleSetup }) {
  const refreshAfter = useRefreshAfter()
  const timeZone = setup.timeZone
  const params = useQueryParams()
  const today = todayIn(timeZone)
  const { date, view, from, days } = windowOf(params, today)
  const [filter, setFilter] = useState<LaneFilter>('all')
  const [openId, setOpenId] = useState<number | null>(null)
  const [pending, setPending] = useState<PendingMove | null>(null)
  const [moveRefusal, setMoveRefusal] = useState('')
  const [moving, setMoving] = useState(false)
  const [freed, setFreed] = useState<FreedSlot | null>(null)
  const [exportOpen, setExportOpen] = useState(false)
  const canBook = useCan('schedule.appointments.book')

  const windowQ = useChannel('schedule.view', { from, days }, { refetchInterval: 60_000 })

  // The booking form, opened from a slot, the button, or another list's "Book" link.
  const [slotPrefill, setSlotPrefill] = useState<BookingPrefill | null>(null)
  const linkPrefill = useMemo<BookingPrefill | null>(() => {
    if (params.get('book') !== '1') return null
    const type = params.get('type') ? typeByCode(setup, params.get('type')!) : setup.types.find((t) => t.active && String(t.id) === params.get('typeId'))
    const [kind, id, version] = (params.get('link') ?? '').split(':')
    return {
      ...(params.get('patient') ? { patientId: Number(params.get('patient')) } : {}),
      ...(params.get('name') ? { patientName: params.get('name')! } : {}),
      ...(type ? { typeId: type.id } : {}),
      ...(params.get('provider') ? { providerId: Number(params.get('provider')) } : {}),
      ...(/^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? { date: params.get('date')! } : {}),
      ...(isBookingLinkKind(kind) && id && version ? { link: { kind, id: Number(id), version: Number(version) } } : {}),
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params.toString(), setup])
  const prefill = slotPrefill ?? linkPrefill
  // Opened by a worklist's Book (`back=` names the list with its filters): booked or closed, the form goes back to
  // the list, which finds its filters in its address and restores its scroll place (renderer/worklistPlace.ts).
  // Back in history, since the list is the entry before the form (its Book opened it): no second copy of the form
  // is left in the history to come back to.
  const backToList = (): boolean => {
    const back = params.get('back')
    if (slotPrefill || params.get('book') !== '1' || !back?.startsWith('/')) return false
    if (window.history.length > 1) window.history.back()
    else navigate(back)
    return true
  }
  const closeBooking = () => {
    setSlotPrefill(null)
    if (backToList()) return
    if (params.get('book')) setParams({ book: null, patient: null, name: null, type: null, typeId: null, provider: null, link: null })
  }

  const hours = setup.hours
  const dayHours = hours.find((h) => h.weekday === weekdayOf(date))
  const closedDay = setup.closedDays.find((c) => c.date === date)
  const openHours = hours.filter((h) => h.open)
  const earliest = openHours.reduce((m, h) => (h.opens < m ? h.opens : m), '08:00')
  const latest = openHours.reduce((m, h) => (h.closes > m ? h.closes : m), '17:00')
  const startTime = `${String(Math.max(0, Number(earliest.slice(0, 2)) - 1)).padStart(2, '0')}:00:00`
  const endTime = `${String(Math.min(23, Number(latest.slice(0, 2)) + (latest.endsWith(':00') ? 0 : 1))).padStart(2, '0')}:59:59`
  const businessHours: [string, string] =
    view === 'day' ? (dayHours?.open && !closedDay ? [`${dayHours.opens}:00`, `${dayHours.closes}:00`] : ['00:00:00', '00:00:00']) : [`${earliest}:00`, `${latest}:00`]
  const withWeekendDays = hours.some((h) => h.open && h.weekday >= 6)

  const resources = useMemo(() => lanes(setup, filter), [setup, filter])
  const events = useMemo<ScheduleEventData<Payload>[]>(() => {
    const out: ScheduleEventData<Payload>[] = []
    for (const a of windowQ.data?.appointments ?? []) {
      const language = languageLine({ preferredLanguage: a.patientLanguage, interpreterNeeded: a.interpreterNeeded })
      const base = { title: `${a.patientName} · ${a.typeName}${language ? ` · ${language}` : ''}`, color: a.colour, variant: 'filled' as const }
      out.push({ ...base, id: `p${a.id}`, resourceId: `p:${a.providerId}`, start: toWall(a.startsAt, timeZone), end: toWall(a.endsAt, timeZone), payload: { appointment: a, lane: 'provider' } })
      out.push({ ...base, id: `r${a.id}`, resourceId: `r:${a.roomId}`, start: toWall(a.startsAt, timeZone), end: toWall(a.endsAt, timeZone), payload: { appointment: a, lane: 'room' } })
      if (a.observationRoomId && a.observationEndsAt) {
        out.push({
          ...base,
          title: `${a.patientName} · observation`,
          id: `o${a.id}`,
          resourceId: `r:${a.observationRoomId}`,
          start: toWall(a.endsAt, timeZone),
          end: toWall(a.observationEndsAt, timeZone),
          payload: { appointment: a, lane: 'bay' },
        })
      }
    }
    return out
  }, [windowQ.data, timeZone])

  function openSlot(slotStart: string, resourceId?: string | number) {
    if (!canBook) return
    const lane = String(resourceId ?? '')
    setSlotPrefill({
      startsAt: fromWall(slotStart, timeZone),
      ...(lane.startsWith('p:') ? { providerId: Number(lane.slice(2)) } : {}),
      ...(lane.startsWith('r:') ? { roomId: Number(lane.slice(2)) } : {}),
    })
  }

  function dropped(event: ScheduleEventData, newStart: string, resourceId?: string | number) {
    const p = event.payload as Payload | undefined
    if (!p || p.lane === 'bay') return
    const a = p.appointment
    const lane = String(resourceId ?? '')
    const move: PendingMove = { appointment: a, startsAt: fromWall(newStart, timeZone) }
    if (lane.startsWith('p:') && p.lane === 'provider' && Number(lane.slice(2)) !== a.providerId) move.providerId = Number(lane.slice(2))
    if (lane.startsWith('r:') && p.lane === 'room' && Number(lane.slice(2)) !== a.roomId) move.roomId = Number(lane.slice(2))
    if (move.startsAt === a.startsAt && !move.providerId && !move.roomId) return
    setMoveRefusal('')
    setPending(move)
  }

  async function confirmMove() {
    if (!pending) return
    setMoving(true)
    try {
      const a = await run('schedule.appointments.move', {
        id: pending.appointment.id,
        version: pending.appointment.version,
        startsAt: pending.startsAt,
        ...(pending.providerId ? { providerId: pending.providerId } : {}),
        ...(pending.roomId ? { roomId: pending.roomId } : {}),
      })
      notifications.show({ color: 'green', title: 'Appointment moved', message: `${a.patientName} · ${describeWhen(a.startsAt, timeZone)} · ${a.providerName} · ${a.roomName}` })
      setFreed(freedSlotOf(pending.appointment))
      setPending(null)
    } catch (err) {
      // The appointment stays where it was (the lanes show what the main process holds); say why.
      if (err instanceof ApiError) setMoveRefusal(err.message)
      else showApiError(err)
    } finally {
      setMoving(false)
      await refreshAfter('schedule.appointments.move')
    }
  }

  const step = view === 'week' ? 7 : 1
  const pendingProvider = pending?.providerId ? setup.providers.find((p) => p.id === pending.providerId)?.displayName : null
  const pendingRoom = pending?.roomId ? setup.rooms.find((r) => r.id === pending.roomId)?.name : null

  const common = {
    resources,
    events,
    startTime,
    endTime,
    intervalMinutes: 15,
    slotWidth: 44,
    rowHeight: 56,
    withHeader: false,
    highlightBusinessHours: true,
    businessHours,
    getCurrentTime: () => toWall(Date.now(), timeZone),
    labels: { resourceSlot: canBook ? 'Book' : 'Time slot', resources: 'Lanes', resource: 'Lane' },
    mode: 'default' as const,
    withEventsDragAndDrop: canBook,
    canDragEvent: (e: ScheduleEventData) => {
      const p = e.payload as Payload | undefined
      return !!p && p.lane !== 'bay' && (p.appointment.status === 'booked' || p.appointment.status === 'confirmed')
    },
    onEventDrop: (d: { event: ScheduleEventData; newStart: string; resourceId?: string | number }) => dropped(d.event, d.newStart, d.resourceId),
    onTimeSlotClick: (d: { slotStart: string; resourceId?: string | number }) => openSlot(d.slotStart, d.resourceId),
    onEventClick: (e: ScheduleEventData) => setOpenId((e.payload as Payload).appointment.id),
    renderEvent: (e: ScheduleEventData, props: Record<string, unknown>) => <AppointmentBlock event={e} props={props} timeZone={timeZone} />,
    maxEventsPerTimeSlot: 3,
    // Mantine's grey 0 is barely visible on white: outside clinic hours is grey 2.
    style: { '--resources-day-view-non-business-hours-bg': SHADE, '--resources-week-view-non-business-hours-bg': SHADE } as CSSProperties,
  }

  return (
    <Stack gap="sm">
      {/* The screen's first Tab stop: past the date and view controls to the slots (one stop; arrows move over them). */}
      <a href="#" className="skip-link in-screen" onClick={(e) => (e.preventDefault(), document.querySelector<HTMLElement>(FIRST_SLOT)?.focus())}>
        Skip to the slots
      </a>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Schedule · {view === 'week' ? `week of ${longDate(from)}` : longDate(date)}</Title>
        <Group gap="xs">
          <Anchor href="#/waiting">Today's board</Anchor>·<Anchor href="#/rebook">No-shows and cancellations</Anchor>·
          <Anchor href={`#/day-list?date=${date}`}>Day list</Anchor>
        </Group>
      </Group>
      <Group align="flex-end" gap="sm" className="no-print">
        <Button variant="default" onClick={() => setParams({ date: addDays(date, -step) })} aria-label={view === 'week' ? 'Previous week' : 'Previous day'}>
          ‹
        </Button>
        <Button variant="default" onClick={() => setParams({ date: today })}>
          Today
        </Button>
        <Button variant="default" onClick={() => setParams({ date: addDays(date, step) })} aria-label={view === 'week' ? 'Next week' : 'Next day'}>
          ›
        </Button>
        <DateField label="Date" value={date} onChange={(v) => isValidIsoDate(v) && setParams({ date: v })} w={170} />
        <SegmentedControl aria-label="View" value={view} onChange={(v) => setParams({ view: v })} data={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }]} />
        <SegmentedControl
          aria-label="Lanes"
          value={filter}
          onChange={(v) => setFilter(v as LaneFilter)}
          data={[
            { value: 'all', label: 'Providers and rooms' },
            { value: 'providers', label: 'Providers' },
            { value: 'rooms', label: 'Rooms' },
          ]}
        />
        {canBook && <Button onClick={() => setSlotPrefill({ startsAt: fromWall(`${date} ${dayHours?.opens ?? '08:00'}`, timeZone) })}>Book appointment</Button>}
        <Button variant="default" onClick={() => setExportOpen(true)}>
          Export iCalendar
        </Button>
        {windowQ.isFetching && <Loader size="sm" aria-label="Loading appointments" />}
      </Group>
      {closedDay && view === 'day' && <Alert color="yellow">The clinic is closed on this day: {closedDay.reason}.</Alert>}
      {!closedDay && view === 'day' && dayHours && !dayHours.open && <Alert color="yellow">The clinic is closed on {longDate(date).split(',')[0]}s.</Alert>}
      {windowQ.isError && <Alert color="red">{windowQ.error.message}</Alert>}
      <Text size="sm" c="gray.8">
        Clinic hours are white, closed hours grey; times are the clinic's ({timeZone}). {canBook ? 'Arrow keys move over the slots; Enter books; drag an appointment to move it.' : ''}
      </Text>
      <div aria-label="Schedule lanes" role="region" data-testid="schedule-grid">
        {view === 'day' ? (
          <ResourcesDayView date={date} {...common} />
        ) : (
          <>
            <style>{weekShadingCss(setup, from, startTime, endTime)}</style>
            <ResourcesWeekView date={date} firstDayOfWeek={1} withWeekendDays={withWeekendDays} {...common} intervalMinutes={60} slotWidth={36} />
          </>
        )}
      </div>
      <BookingModal
        setup={setup}
        prefill={prefill}
        onClose={closeBooking}
        onBooked={(startsAt) => {
          if (backToList()) return
          closeBooking()
          const d = zonedParts(startsAt, timeZone).date
          if (d !== date) setParams({ date: d, view }, new URLSearchParams())
        }}
      />
      <AppointmentModal setup={setup} appointmentId={openId} onClose={() => setOpenId(null)} />
      <Modal opened={pending !== null} onClose={() => setPending(null)} title="Move appointment?">
        {pending && (
          <Stack>
            <Text>
              Move {pending.appointment.patientName} ({pending.appointment.typeName}) from {describeWhen(pending.appointment.startsAt, timeZone)} to{' '}
              <strong>{describeWhen(pending.startsAt, timeZone)}</strong>
              {pendingProvider ? ` with ${pendingProvider}` : ''}
              {pendingRoom ? ` in ${pendingRoom}` : ''}?
            </Text>
            {moveRefusal && (
              <Alert color="red" title="Not moved: the appointment stays where it was" role="alert">
                {moveRefusal}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)}>
                {moveRefusal ? 'Back to the schedule' : 'Cancel'}
              </Button>
              {!moveRefusal && (
                <Button loading={moving} onClick={() => void confirmMove()} data-autofocus>
                  Move
                </Button>
              )}
            </Group>
          </Stack>
        )}
      </Modal>
      <FreedSlotOffer slot={freed} onClose={() => setFreed(null)} />
      <IcsExport setup={setup} opened={exportOpen} onClose={() => setExportOpen(false)} from={from} to={addDays(from, days - 1)} />
    </Stack>
  )
}

const SHADE = 'var(--mantine-color-gray-2)'
/** The slot that holds the grid's one Tab stop (Mantine's roving tabindex). */
const FIRST_SLOT = "[data-testid='schedule-grid'] button[tabindex='0']"

/**
 * Mantine's resource week view shades one band of hours for every day (it takes no per-day hours), so
 * the hours each day is closed (a closed weekday, a closed date, a shorter day) are shaded here, slot by
 * slot, by the day and time each slot's name carries ("Book <lane> YYYY-MM-DD 00:00:00 HH:mm:ss - …").
 */
export function weekShadingCss(setup: ScheduleSetup, monday: string, startTime: string, endTime: string): string {
  const selectors: string[] = []
  const first = Number(startTime.slice(0, 2))
  const last = Number(endTime.slice(0, 2))
  for (let d = 0; d < 7; d++) {
    const day = addDays(monday, d)
    const h = setup.hours.find((x) => x.weekday === weekdayOf(day))
    const open = h?.open && !setup.closedDays.some((c) => c.date === day)
    for (let hour = first; hour <= last; hour++) {
      const t = `${String(hour).padStart(2, '0')}:00`
      if (open && t >= h.opens && t < h.closes) continue
      selectors.push(`[data-testid='schedule-grid'] button[aria-label*=' ${day} '][aria-label*=' ${t}:00 - ']`)
    }
  }
  return selectors.length ? `${selectors.join(',\n')} { background-color: ${SHADE}; }` : ''
}

/** An appointment in a lane, in its type's colour with black or white text, whichever reads better. */
function AppointmentBlock({ event, props, timeZone }: { event: ScheduleEventData; props: Record<string, unknown>; timeZone: string }) {
  const p = event.payload as Payload
  const a = p.appointment
  const fg = textColourOn(a.colour)
  const inactive = a.status === 'noshow' || a.status === 'cancelled'
  const { children: _children, style, ...rest } = props as { children?: unknown; style?: CSSProperties }
  const when = p.lane === 'bay' ? `observation ${localTime(a.endsAt, timeZone)}–${localTime(a.observationEndsAt!, timeZone)}` : `${localTime(a.startsAt, timeZone)}–${localTime(a.endsAt, timeZone)}`
  return (
    <UnstyledButton
      {...rest}
      // Mantine's event root lets pointer events through to its inner body, which this block replaces (styles.css).
      className={`${(rest as { className?: string }).className ?? ''} clinic-appointment`}
      aria-label={`${a.patientName}, ${a.typeName}, ${when}, ${a.providerName}, ${p.lane === 'bay' ? a.observationRoomName : a.roomName}, ${STATUS_LABELS[a.status]}`}
      data-appointment-id={a.id}
      data-lane={p.lane}
      style={{
        ...style,
        cursor: p.lane === 'bay' ? 'pointer' : undefined,
        background: a.colour,
        color: fg,
        border: inactive ? `2px dashed ${fg}` : `1px solid ${fg === '#ffffff' ? 'rgba(0,0,0,0.35)' : 'rgba(0,0,0,0.25)'}`,
        borderRadius: 4,
        padding: '1px 4px',
        fontSize: 12,
        lineHeight: 1.25,
        overflow: 'hidden',
        width: '100%',
        height: '100%',
        textAlign: 'left',
      }}
    >
      <span style={{ fontWeight: 700, textDecoration: inactive ? 'line-through' : undefined }}>{a.patientName}</span>
      <br />
      <span>
        {p.lane === 'bay' ? 'Observation' : a.typeName} · {STATUS_LABELS[a.status]}
      </span>
    </UnstyledButton>
  )
}
