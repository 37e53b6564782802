/** Tonight's and past overnight stays, with the beds left tonight: for the manager (and the physicians). */
import { Anchor, Badge, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData } from '@tanstack/react-query'
import { useState } from 'react'
import { isValidIsoDate } from '../../../shared/dates'
import { PROCEDURE_KIND_LABELS } from '../../../shared/schemas/procedures'
import { useChannel } from '../../data'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useClinicClock } from '../../clinicClock'
import { formatDate } from '../../format'
import { DateField } from '../../components/DateField'

export default function StaysScreen() {
  const clock = useClinicClock()
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [range] = useDebouncedValue({ from: from.trim(), to: to.trim() }, 200)
  const input = { from: isValidIsoDate(range.from) ? range.from : undefined, to: isValidIsoDate(range.to) ? range.to : undefined }
  const stays = useChannel('stays.list', input, { placeholderData: keepPreviousData })
  const bad = (v: string) => (v.trim() !== '' && !isValidIsoDate(v.trim()) ? 'Must be a real date (MM/DD/YYYY)' : undefined)
  return (
    <Stack>
      <Title order={2}>Overnight stays</Title>
      {stays.data && (
        <Paper withBorder p="md" radius="md" component="section" aria-label="Tonight">
          <Group>
            <Text fw={700} data-testid="tonight">
              Tonight ({formatDate(stays.data.tonight)}): {stays.data.tonightCount} of {stays.data.beds} bed{stays.data.beds === 1 ? '' : 's'} taken
            </Text>
            <Badge color={stays.data.bedsLeftTonight === 0 ? 'red.9' : 'teal.9'}>{stays.data.bedsLeftTonight === 0 ? 'Full' : `${stays.data.bedsLeftTonight} left`}</Badge>
          </Group>
        </Paper>
      )}
      <Group align="flex-start">
        <DateField label="From" description="Default 30 nights ago" value={from} onChange={(v) => setFrom(v)} error={bad(from)} />
        <DateField label="To" description="Default tonight" value={to} onChange={(v) => setTo(v)} error={bad(to)} />
      </Group>
      {stays.isPending ? (
        <Loader aria-label="Loading the stays" />
      ) : stays.isError ? (
        <ErrorPanel error={stays.error} onRetry={() => void stays.refetch()} />
      ) : stays.data.stays.length === 0 ? (
        <Text>No overnight stay in these nights.</Text>
      ) : (
        <Table striped aria-label="Overnight stays, latest night first">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Night</Table.Th>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Procedure</Table.Th>
              <Table.Th>Reasons</Table.Th>
              <Table.Th>Decided</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stays.data.stays.map((s) => (
              <Table.Tr key={s.procedureId}>
                <Table.Td>{formatDate(s.night)}</Table.Td>
                <Table.Td>
                  <Anchor href={`#/procedures/${s.procedureId}/recovery`}>{s.patientName}</Anchor> · {s.mrn}
                </Table.Td>
                <Table.Td>
                  {PROCEDURE_KIND_LABELS[s.kind]} {s.levels.join(', ')}
                </Table.Td>
                <Table.Td>
                  {s.reasonsText}
                  {s.overCapacity && (
                    <Badge color="red.9" ml={6}>
                      Over capacity
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  {s.decidedByName}, {clock.dateTime(s.decidedAt)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
