import { Alert, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useState } from 'react'
import { SEX_LABELS } from '../../../shared/schemas/patients'
import { isSearchable } from '../../../shared/text'
import { usePatientSearch } from '../../hooks'
import { formatDob } from '../../format'
import { navigate } from '../../routing'
import { useSession } from '../../session'

export function PatientList() {
  const [q, setQ] = useState('')
  const hits = usePatientSearch(q)
  const role = useSession().data?.user?.role
  const canRegister = role === 'frontDesk' || role === 'physician'
  const rows = hits.data ?? []

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Patients</Title>
        {canRegister && <Button onClick={() => navigate('/patients/new')}>Register patient</Button>}
      </Group>
      <TextInput
        label="Search"
        description="Any part of the name in any order, MRN, birth date (YYYY-MM-DD or MM/DD/YYYY) or phone"
        placeholder="e.g. garcia maria"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        rightSection={hits.isFetching ? <Loader size="xs" aria-label="Searching" /> : null}
        autoFocus
        onKeyDown={(e) => {
          if (e.key === 'Enter' && rows[0]) navigate(`/patients/${rows[0].id}`)
        }}
      />
      {hits.isError && <Alert color="red">{hits.error.message}</Alert>}
      <Table highlightOnHover striped aria-label="Patients found">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Born</Table.Th>
            <Table.Th>Sex</Table.Th>
            <Table.Th>Phone</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((p) => (
            <Table.Tr key={p.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/patients/${p.id}`)}>
              <Table.Td>
                <a href={`#/patients/${p.id}`}>
                  {p.lastName}, {p.firstName}
                </a>
              </Table.Td>
              <Table.Td>{p.mrn}</Table.Td>
              <Table.Td>{formatDob(p.dateOfBirth)}</Table.Td>
              <Table.Td>{SEX_LABELS[p.sex]}</Table.Td>
              <Table.Td>{p.phone}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {!hits.isPending && rows.length === 0 && (
        <Text c="gray.8">
          {!isSearchable(q) ? 'Type at least two letters of a name.' : q.trim() ? `No patient matches “${q.trim()}”.` : 'No patients registered yet.'}
        </Text>
      )}
    </Stack>
  )
}
