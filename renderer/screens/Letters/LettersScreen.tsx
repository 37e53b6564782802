/**
 * The Letters worklist (issue 19 point 4), for physicians and the front desk (managers read): letters due (a signed
 * consultation, or a procedure with its signed discharge summary, whose patient was referred by a referrer in the
 * directory, with no letter to them yet), the longest signed first, which a physician produces; and letters produced
 * but not yet sent, oldest first, which are printed or downloaded and marked sent (how; when is now).
 */
import { Alert, Anchor, Group, Loader, Stack, Table, Text, Title } from '@mantine/core'
import { DueLettersTable, RecipientCell } from '../../components/letters/DueLettersTable'
import { LetterPdfButtons, MarkSentButton, recordWords } from '../../components/letters/LetterDialogs'
import { useClinicClock } from '../../clinicClock'
import { useChannel } from '../../data'

export default function LettersScreen() {
  const list = useChannel('letters.worklist', {})
  const clock = useClinicClock()
  const due = list.data?.due ?? []
  const unsent = list.data?.unsent ?? []
  return (
    <Stack>
      <Title order={2}>Letters</Title>
      <Text size="sm">
        Letters to the referrer, and to the patient&apos;s primary care physician when one is recorded: due after a signed consultation, and after a procedure
        once its discharge summary is signed. A physician produces and signs
        each; once it has gone, mark it sent.
      </Text>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.isPending && <Loader size="sm" aria-label="Loading letters" />}
      {list.isSuccess && (
        <>
          <Title order={3}>Due ({due.length})</Title>
          {due.length === 0 ? (
            <Text size="sm">No letter is due.</Text>
          ) : (
            <DueLettersTable due={due} label="Letters due" worklist testId="letters-due" />
          )}
          <Title order={3}>Produced, not sent yet ({unsent.length})</Title>
          {unsent.length === 0 ? (
            <Text size="sm">Every letter produced has been sent.</Text>
          ) : (
            <Table striped aria-label="Letters not sent yet" data-testid="letters-unsent">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>To</Table.Th>
                  <Table.Th>Signed</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {unsent.map((l) => (
                  <Table.Tr key={l.id}>
                    <Table.Td>
                      <Anchor href={`#/patients/${l.patientId}`}>{l.patientName}</Anchor>
                      <Text size="xs">{l.patientMrn}</Text>
                    </Table.Td>
                    <Table.Td>{recordWords(l)}</Table.Td>
                    <RecipientCell name={l.recipientName} delivery={l.delivery} kind={l.recipientKind} />
                    <Table.Td>
                      {l.signerName} · {clock.dateTime(l.signedAt)}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <LetterPdfButtons letter={l} />
                        <MarkSentButton letter={l} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </Stack>
  )
}
