/** Procedures physicians have decided on in signed notes, for the front desk to book. */
import { Alert, Anchor, Button, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import { CANDIDACY_LABELS } from '../../../shared/clinical/contraindications'
import { PROCEDURE_REQUEST_STATUSES } from '../../../shared/schemas/consultations'
import { useCan, useChannel } from '../../data'
import { useClinicClock } from '../../clinicClock'
import { navigate } from '../../routing'
import { bookingPath } from '../../paths'
import { leaveWorklist, useHashQuery, useRestoreWorklistPlace } from '../../worklistPlace'

type Status = (typeof PROCEDURE_REQUEST_STATUSES)[number]
const STATUS_LABELS: Record<Status, string> = { open: 'To book', booked: 'Booked', cancelled: 'Cancelled' }

export default function ProcedureRequestsScreen() {
  const clock = useClinicClock()
  // the filter is in the address (#/procedure-requests?status=booked): Back and the booking form's return keep it
  const [params, setParams] = useHashQuery()
  const status: Status = (PROCEDURE_REQUEST_STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : 'open'
  const list = useChannel('procedureRequests.list', { status })
  useRestoreWorklistPlace(list.isSuccess)
  const rows = list.data ?? []
  const canBook = useCan('schedule.appointments.book')
  return (
    <Stack>
      <Title order={2}>Procedure requests</Title>
      <Text size="sm" c="gray.8">
        Vertebroplasty and kyphoplasty decided in signed consultation notes. Book each with the physician who requested it.
      </Text>
      <SegmentedControl
        aria-label="Show requests"
        value={status}
        onChange={(v) => setParams({ status: v === 'open' ? null : v })}
        data={PROCEDURE_REQUEST_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
        style={{ alignSelf: 'flex-start' }}
      />
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isPending && <Loader size="sm" aria-label="Loading" />}
      <Table striped aria-label="Procedure requests">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Requested</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Procedure</Table.Th>
            <Table.Th>Levels</Table.Th>
            <Table.Th>Physician</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{clock.dateTime(r.createdAt)}</Table.Td>
              <Table.Td>
                <Anchor href={`#/patients/${r.patientId}`}>{r.patientName}</Anchor>
              </Table.Td>
              <Table.Td>{r.mrn}</Table.Td>
              <Table.Td>{r.phone || '—'}</Table.Td>
              <Table.Td>{CANDIDACY_LABELS[r.kind]}</Table.Td>
              <Table.Td>{r.levels.join(', ')}</Table.Td>
              <Table.Td>{r.providerName}</Table.Td>
              <Table.Td>
                {r.status === 'booked' ? (
                  `Booked (appointment ${r.appointmentId})`
                ) : r.status === 'cancelled' ? (
                  `Cancelled: ${r.cancelReason}`
                ) : canBook ? (
                  <Button
                    size="xs"
                    aria-label={`Book ${CANDIDACY_LABELS[r.kind]} for ${r.patientName}`}
                    onClick={() => navigate(bookingPath({ patientId: r.patientId, patientName: `${r.patientName} · ${r.mrn}`, typeCode: r.kind, providerId: r.providerId, link: { kind: 'request', id: r.id, version: r.version }, back: leaveWorklist() }))}
                  >
                    Book
                  </Button>
                ) : (
                  'To book'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && rows.length === 0 && <Text>No {STATUS_LABELS[status].toLowerCase()} requests.</Text>}
    </Stack>
  )
}
