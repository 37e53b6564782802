/** The front desk's list of conservative-care reassessments that are due: who to call and book. */
import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useState } from 'react'
import { isValidIsoDate } from '../../../shared/dates'
import { useCan, useChannel } from '../../data'
import { formatDate } from '../../format'
import { navigate } from '../../routing'
import { bookingPath } from '../../paths'
import { leaveWorklist, useHashQuery, useRestoreWorklistPlace } from '../../worklistPlace'
import { DateField } from '../../components/DateField'

export default function DueReassessmentsScreen() {
  // the filters are in the address (#/reassessments?through=2026-12-31&booked=1): Back and the booking form's return keep them
  const [params, setParams] = useHashQuery()
  const [through, setThrough] = useState(params.get('through') ?? '')
  const includeBooked = params.get('booked') === '1'
  const [t] = useDebouncedValue(through.trim(), 250)
  const validThrough = t === '' || isValidIsoDate(t)
  useEffect(() => {
    if (validThrough && (params.get('through') ?? '') !== t) setParams({ through: t })
  }, [t, validThrough, params, setParams])
  const list = useChannel('care.dueReassessments', { through: t === '' ? undefined : t, includeBooked }, { enabled: validThrough })
  useRestoreWorklistPlace(list.isSuccess)
  const rows = list.data ?? []
  const canBook = useCan('schedule.appointments.book')
  return (
    <Stack>
      <Title order={2}>Due reassessments</Title>
      <Text size="sm" c="gray.8">
        Patients whose conservative care (bracing, pain medication) is due for its reassessment visit. Call them and book the visit with the same physician.
      </Text>
      <Group align="flex-end">
        <DateField
          label="Due on or before"
          description="Empty for today"
          value={through}
          onChange={(v) => setThrough(v)}
          error={validThrough ? undefined : 'Must be a real date (MM/DD/YYYY)'}
          autoFocus
        />
        <Switch label="Include those already booked" checked={includeBooked} onChange={(e) => setParams({ booked: e.currentTarget.checked ? '1' : null })} mb={6} />
      </Group>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isFetching && <Loader size="sm" aria-label="Loading" />}
      <Table striped aria-label="Due reassessments">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Due</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Physician</Table.Th>
            <Table.Th>Booking</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.planId}>
              <Table.Td>
                {formatDate(r.reassessmentDate)}{' '}
                {r.overdue && (
                  <Badge color="red.9" size="sm">
                    Overdue
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Anchor href={`#/patients/${r.patientId}`}>{r.patientName}</Anchor>
              </Table.Td>
              <Table.Td>{r.mrn}</Table.Td>
              <Table.Td>{r.phone || '—'}</Table.Td>
              <Table.Td>{r.providerName}</Table.Td>
              <Table.Td>
                {r.appointmentId ? (
                  `Booked (appointment ${r.appointmentId})`
                ) : canBook ? (
                  <Button
                    size="xs"
                    aria-label={`Book reassessment for ${r.patientName}`}
                    onClick={() => navigate(bookingPath({ patientId: r.patientId, patientName: `${r.patientName} · ${r.mrn}`, typeCode: 'follow-up', providerId: r.providerId, date: r.reassessmentDate, link: { kind: 'reassessment', id: r.planId, version: r.version }, back: leaveWorklist() }))}
                  >
                    Book
                  </Button>
                ) : (
                  'Not booked yet'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && rows.length === 0 && <Text>No reassessment is due{t ? ` by ${formatDate(t)}` : ' today'}.</Text>}
    </Stack>
  )
}
