/**
 * The chart's Letters section (issue 19 point 4): the letters due for this patient (a signed record, a referrer,
 * no letter yet), and every letter produced, sent or not, entered in error included (never deleted).
 */
import { Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { RECIPIENT_KIND_LABELS } from '../../../shared/schemas/letters'
import { useClinicClock } from '../../clinicClock'
import { useChannel } from '../../data'
import { ErrorPanel } from '../ErrorPanel'
import { DueLettersTable } from './DueLettersTable'
import { LetterInErrorButton, LetterPdfButtons, LetterStatus, MarkSentButton, recordWords } from './LetterDialogs'

export function PatientLetters({ patientId }: { patientId: number }) {
  const q = useChannel('letters.forPatient', { patientId })
  const clock = useClinicClock()
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="letters-title" data-testid="patient-letters">
      <Stack gap="xs">
        <Title order={3} id="letters-title">
          Letters
        </Title>
        {q.isPending && <Loader size="sm" aria-label="Loading letters" />}
        {q.isError && <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />}
        {q.data && q.data.due.length === 0 && q.data.letters.length === 0 && <Text size="sm">No letter to the referrer or the primary care physician yet.</Text>}
        {q.data && q.data.due.length > 0 && <DueLettersTable due={q.data.due} label="Letters due for this patient" />}
        {q.data && q.data.letters.length > 0 && (
          <Table aria-label="Letters produced">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>About</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>Signed</Table.Th>
                <Table.Th>Sent</Table.Th>
                <Table.Th>Action</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.letters.map((l) => (
                <Table.Tr key={l.id} style={l.enteredInError ? { textDecoration: 'line-through' } : undefined}>
                  <Table.Td>{recordWords(l)}</Table.Td>
                  <Table.Td>
                    {l.recipientName}
                    <Text size="xs">{RECIPIENT_KIND_LABELS[l.recipientKind]}</Text>
                  </Table.Td>
                  <Table.Td>
                    {l.signerName}
                    {l.signerCredentials ? `, ${l.signerCredentials}` : ''} · {clock.dateTime(l.signedAt)}
                  </Table.Td>
                  <Table.Td>
                    <LetterStatus letter={l} />
                    {l.enteredInError && <Text size="xs">{l.enteredInError.reason}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <LetterPdfButtons letter={l} />
                      <MarkSentButton letter={l} />
                      <LetterInErrorButton letter={l} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  )
}
