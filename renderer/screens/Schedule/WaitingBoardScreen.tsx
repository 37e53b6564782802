/** Today's board: who is booked, who is waiting and for how long, who is in a room. Refreshes every 30 seconds. */
import { Alert, Anchor, Button, Group, Loader, NativeSelect, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import type { AppointmentStatus, AppointmentView } from '../../../shared/schemas/scheduling'
import { useCan, useChannel, useWrite } from '../../data'
import { useClinicClock } from '../../clinicClock'
import { showApiError } from '../../forms'
import { StatusBadge } from './AppointmentModal'
import { localTime, longDate, useScheduleSetup } from './scheduleUi'

/** The one next step the board offers for each status. */
const NEXT_STEP: Partial<Record<AppointmentStatus, { to: AppointmentStatus; label: string }>> = {
  booked: { to: 'arrived', label: 'Check in' },
  confirmed: { to: 'arrived', label: 'Check in' },
  arrived: { to: 'in_room', label: 'In room' },
  in_room: { to: 'completed', label: 'Complete' },
}

export default function WaitingBoardScreen() {
  const clock = useClinicClock()
  const setStatus = useWrite('schedule.appointments.setStatus')
  const canStep = useCan('schedule.appointments.setStatus')
  const setup = useScheduleSetup()
  const [providerId, setProviderId] = useState('')
  const board = useChannel('schedule.board.today', providerId ? { providerId: Number(providerId) } : {}, { refetchInterval: 30_000 })
  const timeZone = board.data?.timeZone ?? clock.zone

  async function step(a: AppointmentView, to: AppointmentStatus) {
    try {
      await setStatus.mutateAsync({ id: a.id, version: a.version, status: to, reason: '' })
      notifications.show({ color: 'green', title: NEXT_STEP[a.status]?.label ?? 'Changed', message: a.patientName })
    } catch (err) {
      showApiError(err)
      // refused (someone else moved it on meanwhile): show the board as it now is
      await board.refetch()
    }
  }

  const rows = board.data?.rows ?? []
  const waiting = rows.filter((r) => r.appointment.status === 'arrived')
  return (
    <Stack>
      <Title order={2}>Today's board{board.data ? ` · ${longDate(board.data.date)}` : ''}</Title>
      <Group align="flex-end">
        <NativeSelect
          label="Provider"
          value={providerId}
          onChange={(e) => setProviderId(e.currentTarget.value)}
          data={[{ value: '', label: 'All providers' }, ...(setup.data?.providers ?? []).filter((p) => p.active).map((p) => ({ value: String(p.id), label: p.displayName }))]}
        />
        {board.isFetching && <Loader size="sm" aria-label="Loading" />}
        <Anchor href="#/schedule" mb={6}>
          Open the schedule
        </Anchor>
      </Group>
      <Text aria-live="polite">
        {waiting.length === 0 ? 'Nobody is waiting.' : `${waiting.length} waiting; longest ${Math.max(...waiting.map((w) => w.waitingMinutes ?? 0))} min.`}
      </Text>
      {board.isError && <Alert color="red">{board.error.message}</Alert>}
      <Table striped aria-label="Today's appointments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Room</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Arrived</Table.Th>
            <Table.Th>Waiting</Table.Th>
            <Table.Th>Action</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ appointment: a, waitingMinutes }) => {
            const next = NEXT_STEP[a.status]
            return (
              <Table.Tr key={a.id}>
                <Table.Td>
                  {localTime(a.startsAt, timeZone)}–{localTime(a.endsAt, timeZone)}
                </Table.Td>
                <Table.Td>
                  <Anchor href={`#/patients/${a.patientId}`}>{a.patientName}</Anchor>
                </Table.Td>
                <Table.Td>{a.typeName}</Table.Td>
                <Table.Td>{a.providerName}</Table.Td>
                <Table.Td>{a.roomName}</Table.Td>
                <Table.Td>
                  <StatusBadge status={a.status} />
                </Table.Td>
                <Table.Td>{a.arrivedAt ? localTime(a.arrivedAt, timeZone) : '—'}</Table.Td>
                <Table.Td>{waitingMinutes === null ? '—' : a.status === 'arrived' ? `${waitingMinutes} min so far` : `waited ${waitingMinutes} min`}</Table.Td>
                <Table.Td>
                  {next && canStep && (
                    <Button size="xs" onClick={() => void step(a, next.to)} aria-label={`${next.label}: ${a.patientName}`}>
                      {next.label}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
      {board.isSuccess && rows.length === 0 && <Text>No appointments today.</Text>}
    </Stack>
  )
}
