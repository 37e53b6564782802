import { Button, Code, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formatInstant } from '../../format'

/** The newest audit rows, filtered by action; the full viewer with export grows with the data-safety work. */
export default function AuditScreen() {
  const [action, setAction] = useState('')
  const [beforeId, setBeforeId] = useState<number | undefined>(undefined)
  const q = useQuery({
    queryKey: ['audit', 'list', action, beforeId],
    queryFn: () => api('audit.list', { action: action.trim() || undefined, beforeId, limit: 100 }),
  })
  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Group align="flex-end">
        <TextInput label="Action" description="e.g. session.signIn, patient.view" value={action} onChange={(e) => { setAction(e.currentTarget.value); setBeforeId(undefined) }} />
      </Group>
      {q.isPending ? (
        <Loader aria-label="Loading audit log" />
      ) : q.isError ? (
        <ErrorPanel error={q.error} />
      ) : (
        <>
          <Table striped aria-label="Audit log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Workstation</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Record</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatInstant(r.at)}</Table.Td>
                  <Table.Td>{r.username ?? '—'}</Table.Td>
                  <Table.Td>{r.workstation}</Table.Td>
                  <Table.Td>{r.action}</Table.Td>
                  <Table.Td>{r.entity ? `${r.entity} ${r.entityId ?? ''}` : '—'}</Table.Td>
                  <Table.Td>
                    <Code>{r.details}</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {q.data.length === 0 && <Text>No entries.</Text>}
          {q.data.length === 100 && <Button variant="default" onClick={() => setBeforeId(q.data.at(-1)!.id)}>Older entries</Button>}
        </>
      )}
    </Stack>
  )
}
