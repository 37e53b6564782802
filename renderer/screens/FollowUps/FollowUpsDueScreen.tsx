/**
 * The follow-up visits due after procedures (about 2 weeks, 6 weeks, 3 months: the clinic's setting), for the
 * front desk to call and book. Who and when only: nothing clinical is shown. Physicians record the visit here.
 */
import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, SegmentedControl, Stack, Switch, Table, Text, Title } from '@mantine/core'
import { useMemo, useState } from 'react'
import type { DueFollowUp } from '../../../shared/schemas/outcomes'
import { useChannel, useCan } from '../../data'
import { useSettings } from '../../hooks'
import { formatDate } from '../../format'
import { navigate } from '../../routing'
import { bookingPath, recordVisitPath } from '../../paths'

const HORIZONS = [
  { value: '0', label: 'Overdue and today' },
  { value: '7', label: 'The next week' },
  { value: '14', label: 'The next 2 weeks' },
  { value: '28', label: 'The next 4 weeks' },
  { value: '90', label: 'The next 3 months' },
]
const ALL = '__all'

export default function FollowUpsDueScreen() {
  const [daysAhead, setDaysAhead] = useState('14')
  const [intervalLabel, setIntervalLabel] = useState(ALL)
  const [overdueOnly, setOverdueOnly] = useState(false)
  const can = { book: useCan('schedule.appointments.book'), record: useCan('followUpVisits.record') }
  const list = useChannel('followUps.due', { daysAhead: Number(daysAhead) })
  const settings = useSettings()
  const intervals = { data: useMemo(() => settings.data?.settings.followUpIntervals.map((i) => i.label), [settings.data]) }
  const all = useMemo(() => list.data ?? [], [list.data])
  const labels = useMemo(() => [...new Set([...(intervals.data ?? []), ...all.map((r) => r.label)])], [intervals.data, all])
  const rows = all.filter((r) => (intervalLabel === ALL || r.label === intervalLabel) && (!overdueOnly || r.overdue))
  const overdue = rows.filter((r) => r.overdue).length

  return (
    <Stack>
      <Title order={2}>Follow-ups due</Title>
      <Text size="sm" c="gray.8">
        The visits after each procedure, at the intervals the clinic set. Call the patient and book the post-procedure follow-up with the physician who treated them.
      </Text>
      <Group align="flex-end">
        <NativeSelect label="Due within" data={HORIZONS} value={daysAhead} onChange={(e) => setDaysAhead(e.currentTarget.value)} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="window-label">
            Visit
          </Text>
          <SegmentedControl aria-labelledby="window-label" value={intervalLabel} onChange={setIntervalLabel} data={[{ value: ALL, label: 'All visits' }, ...labels.map((l) => ({ value: l, label: l }))]} />
        </Stack>
        <Switch label="Overdue only" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.currentTarget.checked)} mb={6} />
      </Group>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isFetching && <Loader size="sm" aria-label="Loading" />}
      {list.isSuccess && (
        <Text fw={600} aria-live="polite" data-testid="due-summary">
          {rows.length} {rows.length === 1 ? 'visit' : 'visits'} listed · {overdue} overdue
        </Text>
      )}
      <Table striped aria-label="Follow-ups due">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Due</Table.Th>
            <Table.Th>Visit</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Booking</Table.Th>
            {can.record && <Table.Th>Visit record</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <DueRow key={r.id} row={r} can={can} />
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && rows.length === 0 && <Text>No follow-up visit is due in this window.</Text>}
    </Stack>
  )
}

function DueRow({ row: r, can }: { row: DueFollowUp; can: { book: boolean; record: boolean } }) {
  return (
    <Table.Tr data-overdue={r.overdue || undefined}>
      <Table.Td>
        {formatDate(r.targetDate)}{' '}
        {r.overdue && (
          <Badge color="red.9" size="sm">
            Overdue {r.daysOverdue} {r.daysOverdue === 1 ? 'day' : 'days'}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{r.label}</Table.Td>
      <Table.Td>
        <Anchor href={`#/patients/${r.patientId}`}>{r.patientName}</Anchor>
      </Table.Td>
      <Table.Td>{r.mrn}</Table.Td>
      <Table.Td>{r.phone || '—'}</Table.Td>
      <Table.Td>
        {r.status === 'booked' ? (
          `Booked${r.appointmentId ? ` (appointment ${r.appointmentId})` : ''}`
        ) : can.book ? (
          <Button
            size="xs"
            aria-label={`Book ${r.label} follow-up for ${r.patientName}`}
            onClick={() => navigate(bookingPath({ patientId: r.patientId, patientName: `${r.patientName} · ${r.mrn}`, typeCode: 'post-procedure', providerId: r.providerId, ...(r.overdue ? {} : { date: r.targetDate }), link: { kind: 'followUp', id: r.id, version: r.version } }))}
          >
            Book
          </Button>
        ) : (
          'Not booked yet'
        )}
      </Table.Td>
      {can.record && (
        <Table.Td>
          <Button size="xs" variant="default" aria-label={`Record ${r.label} visit of ${r.patientName}`} onClick={() => navigate(recordVisitPath(r.id, r.patientId))}>
            Record visit
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  )
}
