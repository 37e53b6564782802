/** One appointment: its times and stamps, status changes, a move by editing, and the physician's way into the note. */
import { Alert, Anchor, Badge, Button, Divider, Group, Loader, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { zonedParts } from '../../../shared/scheduling/time'
import { STATUS_LABELS, STATUS_TRANSITIONS, type AppointmentStatus, type AppointmentView, type ScheduleSetup } from '../../../shared/schemas/scheduling'
import { ApiError } from '../../api'
import { run, useCan, useChannel, useRefreshAfter } from '../../data'
import { newConsultationPath, newProcedurePath } from '../../paths'
import { showApiError } from '../../forms'
import { languageLine } from '../../format'
import { navigate } from '../../routing'
import { statusTimingRefusal } from '../../../shared/scheduling/statusTiming'
import { describeWhen, fromWall, localTime, STATUS_ACTIONS, STATUS_COLOURS } from './scheduleUi'
import { DateField } from '../../components/DateField'
// issue 21 point 4: a cancelled or moved-away appointment's slot is offered to the ASAP list
import { FreedSlotOffer, freedSlotOf } from '../../components/FreedSlotOffer'
import type { FreedSlot } from '../../../shared/schemas/asap'

/** Why the dialog was opened (a patient page's Reschedule or Cancel): the cursor starts in that part's first field. */
export type AppointmentIntent = 'reschedule' | 'cancel'

interface Props {
  setup: ScheduleSetup
  appointmentId: number | null
  intent?: AppointmentIntent
  onClose: () => void
}

export function AppointmentModal({ setup, appointmentId, intent, onClose }: Props) {
  return (
    <Modal opened={appointmentId !== null} onClose={onClose} title="Appointment" size="lg">
      {appointmentId !== null && <AppointmentDetail setup={setup} id={appointmentId} intent={intent} onClose={onClose} />}
    </Modal>
  )
}

function AppointmentDetail({ setup, id, intent, onClose }: { setup: ScheduleSetup; id: number; intent?: AppointmentIntent; onClose: () => void }) {
  const q = useChannel('schedule.appointments.get', { id })
  if (q.isPending) return <Loader aria-label="Loading appointment" />
  if (q.isError) return <Alert color="red">{q.error.message}</Alert>
  return <Detail setup={setup} a={q.data} intent={intent} onClose={onClose} />
}

export function StatusBadge({ status }: { status: AppointmentStatus }) {
  return <Badge color={STATUS_COLOURS[status]}>{STATUS_LABELS[status]}</Badge>
}

function Detail({ setup, a, intent, onClose }: { setup: ScheduleSetup; a: AppointmentView; intent?: AppointmentIntent; onClose: () => void }) {
  const refreshSchedule = useRefreshAfter()
  const timeZone = setup.timeZone
  const [reason, setReason] = useState('')
  const [refusal, setRefusal] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [freed, setFreed] = useState<FreedSlot | null>(null)
  const start = zonedParts(a.startsAt, timeZone)
  const [move, setMove] = useState({ date: start.date, time: start.time, providerId: String(a.providerId), roomId: String(a.roomId) })
  const type = setup.types.find((t) => t.id === a.typeId)
  const rooms = setup.rooms.filter((r) => r.active && r.kind === type?.roomKind)
  const isProcedure = type?.roomKind === 'procedure'
  const canSetStatus = useCan('schedule.appointments.setStatus')
  const canMove = useCan('schedule.appointments.move') && (a.status === 'booked' || a.status === 'confirmed')
  const canWriteNotes = useCan('consultations.listForPatient')
  // only the steps that can be taken now: no "Check in" on another day's appointment, no "No-show" before its time
  const nowMs = Date.now()
  const held = canSetStatus ? STATUS_TRANSITIONS[a.status].filter((to) => statusTimingRefusal(a.status, to, { startsAt: a.startsAt, nowMs, timeZone }) !== null) : []
  const next = canSetStatus ? STATUS_TRANSITIONS[a.status].filter((to) => !held.includes(to)) : []

  async function refreshAfter(p: Promise<unknown>, done: string, frees?: FreedSlot) {
    setRefusal('')
    try {
      await p
      notifications.show({ color: 'green', title: done, message: `${a.patientName} · ${a.typeName}` })
      if (frees) setFreed(frees)
    } catch (err) {
      if (err instanceof ApiError) setRefusal(err.message)
      showApiError(err)
    } finally {
      setBusy(null)
      // a status change and a move change the same areas (the lanes, and the lists a booking came from)
      await refreshSchedule('schedule.appointments.move')
    }
  }

  function setStatus(to: AppointmentStatus) {
    if (to === 'cancelled' && reason.trim() === '') {
      setRefusal('Give a reason to cancel.')
      return
    }
    setBusy(to)
    void refreshAfter(run('schedule.appointments.setStatus', { id: a.id, version: a.version, status: to, reason: to === 'cancelled' ? reason.trim() : '' }), `${STATUS_LABELS[to]}`, to === 'cancelled' ? freedSlotOf(a) : undefined)
  }

  function moveIt() {
    setBusy('move')
    void refreshAfter(
      run('schedule.appointments.move', {
        id: a.id,
        version: a.version,
        startsAt: fromWall(`${move.date} ${move.time}`, timeZone),
        ...(move.providerId !== String(a.providerId) ? { providerId: Number(move.providerId) } : {}),
        ...(move.roomId !== String(a.roomId) ? { roomId: Number(move.roomId) } : {}),
      }),
      'Appointment moved',
      freedSlotOf(a),
    )
  }

  const stamps: [string, string | null, string | null][] = [
    ['Checked in', a.arrivedAt, a.arrivedBy],
    ['In room', a.inRoomAt, a.inRoomBy],
    ['Completed', a.completedAt, a.completedBy],
    ['No-show', a.noshowAt, a.noshowBy],
    ['Cancelled', a.cancelledAt, a.cancelledBy],
  ]

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text fw={700} size="lg">
          <Anchor href={`#/patients/${a.patientId}`} onClick={onClose}>
            {a.patientName}
          </Anchor>{' '}
          · {a.patientMrn}
        </Text>
        <span data-testid="appointment-status">
          <StatusBadge status={a.status} />
        </span>
      </Group>
      <Table aria-label="Appointment details" withRowBorders={false}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={140}>Type</Table.Th>
            <Table.Td>{a.typeName}</Table.Td>
          </Table.Tr>
          {languageLine({ preferredLanguage: a.patientLanguage, interpreterNeeded: a.interpreterNeeded }) && (
            <Table.Tr>
              <Table.Th>Language</Table.Th>
              <Table.Td>{languageLine({ preferredLanguage: a.patientLanguage, interpreterNeeded: a.interpreterNeeded })}</Table.Td>
            </Table.Tr>
          )}
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Td>
              {describeWhen(a.startsAt, timeZone)}–{localTime(a.endsAt, timeZone)}
              {a.observationEndsAt ? `, observation until ${localTime(a.observationEndsAt, timeZone)} in ${a.observationRoomName}` : ''}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Provider</Table.Th>
            <Table.Td>{a.providerName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Room</Table.Th>
            <Table.Td>{a.roomName}</Table.Td>
          </Table.Tr>
          {a.seriesId && (
            <Table.Tr>
              <Table.Th>Series</Table.Th>
              <Table.Td>Occurrence {a.seriesIndex} of a weekly series</Table.Td>
            </Table.Tr>
          )}
          {stamps
            .filter(([, at]) => at)
            .map(([label, at, by]) => (
              <Table.Tr key={label}>
                <Table.Th>{label}</Table.Th>
                <Table.Td data-testid={`stamp-${label}`}>
                  {describeWhen(at!, timeZone)}
                  {by ? ` by ${by}` : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          {a.cancelReason && (
            <Table.Tr>
              <Table.Th>Reason</Table.Th>
              <Table.Td>{a.cancelReason}</Table.Td>
            </Table.Tr>
          )}
          {a.notes && (
            <Table.Tr>
              <Table.Th>Notes</Table.Th>
              <Table.Td>{a.notes}</Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
      {refusal && (
        <Alert color="red" title="Not changed" role="alert">
          {refusal}
        </Alert>
      )}
      {next.length > 0 && (
        <>
          <Divider label="Status" labelPosition="left" />
          {next.includes('cancelled') && (
            <TextInput label="Reason to cancel" description="Required to cancel" autoFocus={intent === 'cancel'} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          )}
          {held.includes('arrived') && (
            <Text size="sm" c="gray.8" data-testid="status-held">
              Check-in opens on the day of the appointment ({start.date}).
            </Text>
          )}
          <Group gap="xs">
            {next.map((s) => (
              <Button key={s} variant={s === 'cancelled' || s === 'noshow' ? 'outline' : 'filled'} color={s === 'cancelled' || s === 'noshow' ? 'red.9' : undefined} loading={busy === s} onClick={() => setStatus(s)}>
                {a.status === 'noshow' && s === 'booked' ? 'Reinstate' : STATUS_ACTIONS[s]}
              </Button>
            ))}
          </Group>
        </>
      )}
      {canMove && (
        <>
          <Divider label="Move" labelPosition="left" />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <DateField label="New date" autoFocus={intent === 'reschedule'} value={move.date} onChange={(v) => setMove({ ...move, date: v })} />
            <TextInput label="New start time" type="time" step={300} value={move.time} onChange={(e) => setMove({ ...move, time: e.currentTarget.value })} />
            <NativeSelect
              label="New provider"
              value={move.providerId}
              data={setup.providers.filter((p) => p.active || p.id === a.providerId).map((p) => ({ value: String(p.id), label: p.displayName }))}
              onChange={(e) => setMove({ ...move, providerId: e.currentTarget.value })}
            />
            <NativeSelect label="New room" value={move.roomId} data={rooms.map((r) => ({ value: String(r.id), label: r.name }))} onChange={(e) => setMove({ ...move, roomId: e.currentTarget.value })} />
          </SimpleGrid>
          <Group>
            <Button variant="default" loading={busy === 'move'} onClick={moveIt}>
              Move appointment
            </Button>
          </Group>
        </>
      )}
      {canWriteNotes && (
        <>
          <Divider />
          <Group>
            <Button
              onClick={() => {
                onClose()
                navigate(isProcedure ? newProcedurePath(a.patientId, a.id) : newConsultationPath(a.patientId, a.id))
              }}
            >
              {isProcedure ? 'Open procedure record' : 'Open consultation'}
            </Button>
          </Group>
        </>
      )}
      <FreedSlotOffer slot={freed} onClose={() => setFreed(null)} />
    </Stack>
  )
}
