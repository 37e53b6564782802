/**
 * The letters due, as the chart's Letters section and the Letters worklist both list them: what record, to whom
 * and how it goes, and the physician's button to produce it. The worklist adds whose record and who signed it when.
 */
import { Anchor, Table, Text } from '@mantine/core'
import { RECIPIENT_KIND_LABELS, SEND_METHOD_LABELS, type LetterDue, type RecipientKind, type SendMethod } from '../../../shared/schemas/letters'
import { useClinicClock } from '../../clinicClock'
import { ProduceLetterButton, recordWords } from './LetterDialogs'

/** The "To" cell: the recipient, how the letter goes, and whether they are the referrer or the primary care physician. */
export function RecipientCell({ name, delivery, kind }: { name: string; delivery: SendMethod; kind: RecipientKind }) {
  return (
    <Table.Td>
      {name} ({SEND_METHOD_LABELS[delivery]})
      <Text size="xs">{RECIPIENT_KIND_LABELS[kind]}</Text>
    </Table.Td>
  )
}

export function DueLettersTable({ due, label, worklist = false, testId }: { due: LetterDue[]; label: string; worklist?: boolean; testId?: string }) {
  const clock = useClinicClock()
  return (
    <Table striped={worklist} aria-label={label} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          {worklist && <Table.Th>Patient</Table.Th>}
          <Table.Th>{worklist ? 'Record' : 'Letter due'}</Table.Th>
          {worklist && <Table.Th>Signed</Table.Th>}
          <Table.Th>To</Table.Th>
          <Table.Th>Action</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {due.map((d) => (
          <Table.Tr key={`${d.kind}-${d.recordId}-${d.referrerId}`}>
            {worklist && (
              <Table.Td>
                <Anchor href={`#/patients/${d.patientId}`}>{d.patientName}</Anchor>
                <Text size="xs">{d.patientMrn}</Text>
              </Table.Td>
            )}
            <Table.Td>{recordWords(d)}</Table.Td>
            {worklist && (
              <Table.Td>
                {d.physicianName} · {clock.dateTime(d.signedAt)}
              </Table.Td>
            )}
            <RecipientCell name={d.referrerName} delivery={d.delivery} kind={d.recipientKind} />
            <Table.Td>
              <ProduceLetterButton due={d} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
