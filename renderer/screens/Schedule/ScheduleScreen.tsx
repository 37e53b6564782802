/**
 * The front desk's appointment book (issue 22): time runs down, a column per lane in the day view (providers, then
 * rooms), a column per day in one lane's week ("My schedule" for a physician). Clinic hours only, closed time
 * shaded, the current time marked; an appointment outside the hours shown is counted above or below its column and a
 * click widens the hours to it. Click or press Enter on an empty slot to book; drag an appointment to move it
 * (confirmed, then checked by the main process; a refusal leaves it where it was). The grid is TimeGrid.tsx.
 *
 *   #/schedule?date=YYYY-MM-DD&view=day|week[&lanes=all|providers|rooms][&lane=p:ID|r:ID|me]
 *             [&book=1&patient=ID&type=CODE&provider=ID&link=KIND:ID:VERSION]
 */
import { Alert, Anchor, Button, Group, Loader, Modal, NativeSelect, SegmentedControl, Stack, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { addDays, startOfWeek, weekdayOf, zonedParts } from '../../../shared/scheduling/time'
import type { ScheduleBlock, ScheduleSetup } from '../../../shared/schemas/scheduling'
import { gridRange, timeOfMinutes, type OpenHours, type Range } from '../../../shared/scheduling/gridLayout'
import { ApiError } from '../../api'
import { useClinicClock } from '../../clinicClock'
import { showApiError } from '../../forms'
import { useSession } from '../../session'
import { useUserPreference } from '../../userPreferences'
import { navigate, useRoute } from '../../routing'
import { channelQuery, run, useCan, useChannel, useRefreshAfter } from '../../data'
import { AppointmentModal } from './AppointmentModal'
import { BookingModal } from './BookingModal'
import { WeekOverview } from './WeekOverview'
import { IcsExport } from './IcsExport'
import { describeWhen, fromWall, longDate, todayIn, isBookingLinkKind, typeByCode, useScheduleSetup, type BookingPrefill } from './scheduleUi'
import { minutesOn, SLOT_MINUTES, TimeGrid, useNowMinute, type GridBlock, type GridColumn } from './TimeGrid'
import { isValidIsoDate } from '../../../shared/dates'
import { DateField } from '../../components/DateField'
// issue 21 point 4: the slot an appointment is dragged away from is offered to the ASAP list
import { FreedSlotOffer, freedSlotOf } from '../../components/FreedSlotOffer'
import type { FreedSlot } from '../../../shared/schemas/asap'

type View = 'day' | 'week'
type LaneFilter = 'all' | 'providers' | 'rooms'

interface PendingMove {
  appointment: ScheduleBlock
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

interface Lane {
  id: string
  label: string
}

/** Lanes: providers first, then rooms (and bays), in the administrator's order. */
function lanes(setup: ScheduleSetup, filter: LaneFilter): Lane[] {
  const providers = setup.providers.filter((p) => p.active).map((p) => ({ id: `p:${p.id}`, label: p.displayName }))
  const rooms = setup.rooms.filter((r) => r.active).map((r) => ({ id: `r:${r.id}`, label: r.name }))
  return [...(filter !== 'rooms' ? providers : []), ...(filter !== 'providers' ? rooms : [])]
}

/** Lanes side by side without scrolling sideways at 1440 px (about 140 px each). */
const LANES_THAT_FIT = 8

/**
 * The lanes the day view shows unless the address names them: every lane when they all fit, else the providers
 * only. The front desk books a provider's time (the booking picks a free room of the kind the type needs), so the
 * providers are what a busy clinic's day is read by; rooms are one click away.
 */
function defaultFilter(setup: ScheduleSetup): LaneFilter {
  return lanes(setup, 'all').length <= LANES_THAT_FIT ? 'all' : 'providers'
}

/** Each appointment's blocks by lane ('p:ID', 'r:ID'), with their minutes on their day: the grid's columns read this. */
function blocksByLane(appointments: ScheduleBlock[], timeZone: string): Map<string, Map<string, GridBlock[]>> {
  const out = new Map<string, Map<string, GridBlock[]>>()
  const add = (lane: string, date: string, block: GridBlock) => {
    let byDate = out.get(lane)
    if (!byDate) out.set(lane, (byDate = new Map()))
    const list = byDate.get(date)
    if (list) list.push(block)
    else byDate.set(date, [block])
  }
  for (const a of appointments) {
    const date = zonedParts(a.startsAt, timeZone).date
    const m = minutesOn(date, a.startsAt, a.endsAt, timeZone)
    if (!m) continue
    add(`p:${a.providerId}`, date, { key: `p${a.id}`, ...m, appointment: a, kind: 'provider' })
    add(`r:${a.roomId}`, date, { key: `r${a.id}`, ...m, appointment: a, kind: 'room' })
    if (a.observationRoomId && a.observationEndsAt) {
      const o = minutesOn(date, a.endsAt, a.observationEndsAt, timeZone)
      if (o) add(`r:${a.observationRoomId}`, date, { key: `o${a.id}`, ...o, appointment: a, kind: 'bay' })
    }
  }
  return out
}

const ZOOMS = { compact: 16, normal: 24, large: 32 } as const
type Zoom = keyof typeof ZOOMS
const NO_BLOCKS: GridBlock[] = []
const NO_APPOINTMENTS: ScheduleBlock[] = []

function Planner({ setup }: { setup: ScheduleSetup }) {
  const refreshAfter = useRefreshAfter()
  const timeZone = setup.timeZone
  const params = useQueryParams()
  const today = todayIn(timeZone)
  const { date, view, from, days } = windowOf(params, today)
  // The lanes of the day, the zoom and the week's lane are remembered per user (kept by the main process); an
  // address that names lanes or a lane wins (a link, the bench).
  const [lanesChoice, setLanesChoice] = useUserPreference('schedule.lanes', defaultFilter(setup))
  const [zoom, setZoom] = useUserPreference('schedule.zoom', 'normal')
  const [weekLaneChoice, setWeekLaneChoice] = useUserPreference('schedule.weekLane', '')
  const filterParam = params.get('lanes')
  const filter: LaneFilter = filterParam === 'all' || filterParam === 'providers' || filterParam === 'rooms' ? filterParam : lanesChoice
  const session = useSession()
  const me = session.data?.user
  const myLane = me && setup.providers.some((p) => p.id === me.id && p.active) ? `p:${me.id}` : null
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
  /** The clinic's open hours on a date (null: closed that day). */
  const openOn = useCallback(
    (d: string): OpenHours | null => {
      const h = setup.hours.find((x) => x.weekday === weekdayOf(d))
      return h?.open && !setup.closedDays.some((c) => c.date === d) ? { opens: h.opens, closes: h.closes } : null
    },
    [setup],
  )

  // The week's lane: the address's (`me`: the signed-in physician's own), else the signed-in physician's, else the first provider.
  const allLanes = useMemo(() => lanes(setup, 'all'), [setup])
  const laneParam = params.get('lane')
  // "All lanes": the compact overview of every lane's week (WeekOverview.tsx).
  const overview = view === 'week' && laneParam === 'all'
  const weekLane =
    allLanes.find((l) => l.id === (laneParam === 'me' ? myLane : laneParam)) ?? allLanes.find((l) => l.id === weekLaneChoice) ?? allLanes.find((l) => l.id === myLane) ?? allLanes[0]

  const byLane = useMemo(() => blocksByLane(windowQ.data?.appointments ?? [], timeZone), [windowQ.data, timeZone])
  const columns = useMemo<GridColumn[]>(() => {
    if (view === 'day') {
      const open = openOn(date)
      return lanes(setup, filter).map((l) => ({ id: l.id, label: l.label, date, lane: l.id, laneName: l.label, open, blocks: byLane.get(l.id)?.get(date) ?? NO_BLOCKS }))
    }
    if (!weekLane) return []
    const days = Array.from({ length: 7 }, (_, i) => addDays(from, i))
    // weekend days only when the clinic opens then (or the lane has something booked on them)
    return days
      .filter((d) => weekdayOf(d) <= 5 || setup.hours.some((h) => h.weekday === weekdayOf(d) && h.open) || (byLane.get(weekLane.id)?.get(d)?.length ?? 0) > 0)
      .map((d) => ({ id: d, label: longDate(d).replace(/, \d{4}$/, ''), date: d, lane: weekLane.id, laneName: weekLane.label, open: openOn(d), blocks: byLane.get(weekLane.id)?.get(d) ?? NO_BLOCKS }))
  }, [view, date, from, setup, filter, weekLane, byLane, openOn])

  // The hours shown: the day's own (a closed day: the week's usual hours, shaded), or the union of the week's open
  // days; widened by the user to reach appointments outside them (until another day, week or lane is opened).
  const scrollKey = `${view}|${date}|${view === 'week' ? (overview ? 'all' : weekLane?.id) : filter}`
  const [include, setInclude] = useState<{ key: string; range: Partial<Range> }>({ key: '', range: {} })
  const range = useMemo(() => {
    const open = view === 'day' ? [openOn(date) ?? null] : columns.map((c) => c.open)
    const usual = open.some((o) => o) ? open : setup.hours.filter((h) => h.open).map((h) => ({ opens: h.opens, closes: h.closes }))
    return gridRange(usual, SLOT_MINUTES, include.key === scrollKey ? include.range : {})
  }, [view, date, columns, setup, openOn, include, scrollKey])
  const extend = useCallback(
    (r: Partial<Range>) =>
      setInclude((prev) => {
        const base = prev.key === scrollKey ? prev.range : {}
        return { key: scrollKey, range: { start: Math.min(base.start ?? Infinity, r.start ?? Infinity), end: Math.max(base.end ?? -Infinity, r.end ?? -Infinity) } }
      }),
    [scrollKey],
  )
  const nowMinute = useNowMinute(timeZone)

  function openSlot(column: GridColumn, minute: number) {
    if (!canBook) return
    setSlotPrefill({
      startsAt: fromWall(`${column.date} ${timeOfMinutes(minute)}`, timeZone),
      ...(column.lane.startsWith('p:') ? { providerId: Number(column.lane.slice(2)) } : {}),
      ...(column.lane.startsWith('r:') ? { roomId: Number(column.lane.slice(2)) } : {}),
    })
  }

  /** A provider's appointment moves along the providers' lanes, a room's along the rooms'; a week's along its days. */
  const canDrop = useCallback((block: GridBlock, column: GridColumn) => (block.kind === 'provider' ? column.lane.startsWith('p:') : block.kind === 'room' ? column.lane.startsWith('r:') : false), [])

  function dropped(block: GridBlock, column: GridColumn, minute: number) {
    if (block.kind === 'bay') return
    const a = block.appointment
    const lane = column.lane
    const move: PendingMove = { appointment: a, startsAt: fromWall(`${column.date} ${timeOfMinutes(minute)}`, timeZone) }
    if (lane.startsWith('p:') && block.kind === 'provider' && Number(lane.slice(2)) !== a.providerId) move.providerId = Number(lane.slice(2))
    if (lane.startsWith('r:') && block.kind === 'room' && Number(lane.slice(2)) !== a.roomId) move.roomId = Number(lane.slice(2))
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
        {view === 'day' ? (
          <SegmentedControl
            aria-label="Lanes"
            value={filter}
            onChange={(v) => {
              setLanesChoice(v as LaneFilter)
              if (filterParam) setParams({ lanes: v })
            }}
            data={[
              { value: 'all', label: 'Providers and rooms' },
              { value: 'providers', label: 'Providers' },
              { value: 'rooms', label: 'Rooms' },
            ]}
          />
        ) : (
          <NativeSelect
            label="Provider or room"
            value={overview ? 'all' : (weekLane?.id ?? '')}
            onChange={(e) => {
              const lane = e.currentTarget.value
              if (lane !== 'all') setWeekLaneChoice(lane)
              setParams({ lane })
            }}
            data={[{ value: 'all', label: 'All lanes (overview)' }, ...allLanes.map((l) => ({ value: l.id, label: l.id === myLane ? `${l.label} (my schedule)` : l.label }))]}
            w={240}
          />
        )}
        <SegmentedControl
          aria-label="Zoom"
          value={zoom}
          onChange={(v) => setZoom(v as Zoom)}
          data={[
            { value: 'compact', label: 'Compact' },
            { value: 'normal', label: 'Normal' },
            { value: 'large', label: 'Large' },
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
        {overview ? (
          <WeekOverview
            setup={setup}
            appointments={windowQ.data?.appointments ?? NO_APPOINTMENTS}
            from={from}
            timeZone={timeZone}
            onOpenDay={(d) => setParams({ view: 'day', date: d })}
            onOpenLane={(lane) => setParams({ lane })}
            onOpenAppointment={setOpenId}
          />
        ) : (
        <TimeGrid
          columns={columns}
          range={range}
          slotHeight={ZOOMS[zoom]}
          timeZone={timeZone}
          today={today}
          nowMinute={nowMinute}
          scrollKey={scrollKey}
          canBook={canBook}
          canDrop={canDrop}
          onBook={openSlot}
          onOpen={setOpenId}
          onMove={dropped}
          onExtend={extend}
        />
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
          // Show the day (or week) booked in, in the same lanes; a week that holds it already stays as it is.
          const shown = view === 'week' ? d >= from && d < addDays(from, 7) : d === date
          if (!shown) setParams({ date: d, view, lane: params.get('lane'), lanes: params.get('lanes') }, new URLSearchParams())
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

/** The grid's one Tab stop (a roving tabindex over its slots and appointments). */
const FIRST_SLOT = "[data-testid='schedule-grid'] [tabindex='0']"
