/**
 * Confirmation and no-show rates (issue 21 point 5) for the dashboard's period and physician, by appointment type
 * and by reminder channel. The definitions are shared/scheduling/attendance.ts's; the help text says them in words.
 */
import { Loader, Paper, Stack, Table, Text, Title } from '@mantine/core'
import type { Attendance } from '../../../shared/schemas/confirmations'
import { useChannel } from '../../data'
import { ErrorPanel } from '../../components/ErrorPanel'
import { rateText } from './figures'

type Group = Attendance['overall']

function RatesTable({ label, first, groups }: { label: string; first: string; groups: Group[] }) {
  return (
    <Table aria-label={label} withTableBorder={false} striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{first}</Table.Th>
          <Table.Th>Due</Table.Th>
          <Table.Th>Confirmed beforehand</Table.Th>
          <Table.Th>No-shows</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {groups.map((g) => (
          <Table.Tr key={g.key}>
            <Table.Td>{g.label}</Table.Td>
            <Table.Td>{g.due}</Table.Td>
            <Table.Td>{rateText(g.confirmation)}</Table.Td>
            <Table.Td>{rateText(g.noShow)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

export function AttendanceCard({ from, to, physicianId }: { from: string; to: string; physicianId: number | null }) {
  const q = useChannel('outcomes.attendance', { from, to, physicianId })
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="attendance-title" data-testid="attendance">
      <Stack gap="xs">
        <Title order={3} size="h4" id="attendance-title">
          Confirmations and no-shows
        </Title>
        {q.isPending ? (
          <Loader size="sm" aria-label="Loading the confirmation rates" />
        ) : q.isError ? (
          <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <>
            <Text size="sm">
              All appointments: {q.data.overall.due} due · confirmed beforehand {rateText(q.data.overall.confirmation)} · no-shows {rateText(q.data.overall.noShow)}
            </Text>
            <RatesTable label="Confirmation and no-show rates by appointment type" first="Appointment type" groups={q.data.byType} />
            <RatesTable label="Confirmation and no-show rates by reminder channel" first="Reminder channel" groups={q.data.byChannel} />
          </>
        )}
        <Text size="xs" c="gray.8">
          Counted: every appointment (all types, whatever the procedure filter) whose time in this period has come. Confirmed beforehand: marked confirmed before its start, out of all of them, cancelled
          ones included. No-shows: marked no-show, out of those not cancelled. Reminder channel: how the patient asks to be contacted (phone, e-mail or letter) as their record says today, not how a
          particular reminder went out.
        </Text>
      </Stack>
    </Paper>
  )
}
