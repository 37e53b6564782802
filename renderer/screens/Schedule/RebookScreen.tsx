/** No-shows and cancellations, to call and rebook. */
import { Alert, Anchor, Button, Group, Loader, SegmentedControl, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { addDays } from '../../../shared/scheduling/time'
import { useCan, useChannel } from '../../data'
import { useClinicClock } from '../../clinicClock'
import { navigate } from '../../routing'
import { StatusBadge } from './AppointmentModal'
import { bookingPath, describeWhen, useScheduleSetup } from './scheduleUi'
import { isValidIsoDate } from '../../../shared/dates'
import { DateField } from '../../components/DateField'

type Kind = 'noshow' | 'cancelled'

export default function RebookScreen() {
  const clock = useClinicClock()
  const setup = useScheduleSetup()
  const canBook = useCan('schedule.appointments.book')
  const timeZone = clock.zone
  const today = clock.today()
  const [kind, setKind] = useState<Kind>('noshow')
  const [range, setRange] = useState({ from: addDays(today, -30), to: addDays(today, 30) })
  const [includeRebooked, setIncludeRebooked] = useState(false)
  const fromError = isValidIsoDate(range.from) ? undefined : 'Must be a real date (MM/DD/YYYY)'
  const toError = !isValidIsoDate(range.to) ? 'Must be a real date (MM/DD/YYYY)' : !fromError && range.to < range.from ? 'Must not be before From' : undefined
  const valid = !fromError && !toError
  const list = useChannel('schedule.lists.rebook', { kind, from: range.from, to: range.to, includeRebooked }, { enabled: valid && setup.isSuccess })
  const rows = list.data ?? []
  return (
    <Stack>
      <Title order={2}>No-shows and cancellations</Title>
      <Text size="sm" c="gray.8">
        Patients who missed or cancelled an appointment. Call them and rebook; those already rebooked are hidden unless you ask for them.
      </Text>
      <Group align="flex-end">
        <SegmentedControl
          aria-label="List"
          value={kind}
          onChange={(v) => setKind(v as Kind)}
          data={[
            { value: 'noshow', label: 'No-shows' },
            { value: 'cancelled', label: 'Cancellations' },
          ]}
        />
        <DateField label="From" value={range.from} onChange={(v) => setRange({ ...range, from: v })} error={fromError} />
        <DateField label="To" value={range.to} onChange={(v) => setRange({ ...range, to: v })} error={toError} />
        <Switch label="Include those already rebooked" checked={includeRebooked} onChange={(e) => setIncludeRebooked(e.currentTarget.checked)} mb={6} />
        {list.isFetching && <Loader size="sm" aria-label="Loading" />}
      </Group>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      <Table striped aria-label={kind === 'noshow' ? 'No-shows' : 'Cancellations'}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Was booked for</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Next appointment</Table.Th>
            <Table.Th>Action</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ appointment: a, nextAppointment: n }) => (
            <Table.Tr key={a.id}>
              <Table.Td>{describeWhen(a.startsAt, timeZone)}</Table.Td>
              <Table.Td>
                <Anchor href={`#/patients/${a.patientId}`}>{a.patientName}</Anchor> · {a.patientMrn}
              </Table.Td>
              <Table.Td>{a.typeName}</Table.Td>
              <Table.Td>{a.providerName}</Table.Td>
              <Table.Td>
                <StatusBadge status={a.status} />
              </Table.Td>
              <Table.Td>{a.cancelReason || '—'}</Table.Td>
              <Table.Td>{n ? `${n.typeName}, ${describeWhen(n.startsAt, timeZone)}` : 'None'}</Table.Td>
              <Table.Td>
                {canBook && (
                  <Button size="xs" aria-label={`Rebook ${a.patientName}`} onClick={() => navigate(bookingPath({ patientId: a.patientId, typeId: a.typeId, providerId: a.providerId }))}>
                    Rebook
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && rows.length === 0 && <Text>Nobody to rebook in these dates.</Text>}
    </Stack>
  )
}
