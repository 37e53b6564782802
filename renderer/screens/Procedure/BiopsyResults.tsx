/**
 * A signed procedure note's biopsy results (issue 17 point 7): pathology reports days later, when the note is
 * locked, so each result is appended beside it (procedures.recordBiopsyResult) and never edited; a corrected
 * report is recorded again and the newest is the one in force.
 */
import { Button, Group, NativeSelect, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { BIOPSY_RESULT_LABELS, BIOPSY_RESULTS, RecordBiopsyResult, type ProcedureView } from '../../../shared/schemas/procedures'
import { useCan, useWrite } from '../../data'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { useClinicClock } from '../../clinicClock'

type Values = { procedureId: number; level: string; result: string; text: string }

const RESULT_OPTIONS = [{ value: '', label: 'Choose…' }, ...BIOPSY_RESULTS.map((r) => ({ value: r, label: BIOPSY_RESULT_LABELS[r] }))]

export function BiopsyResults({ view: v }: { view: ProcedureView }) {
  const clock = useClinicClock()
  const record = useWrite('procedures.recordBiopsyResult')
  const canRecord = useCan('procedures.recordBiopsyResult') && v.signing.status === 'signed'
  const biopsied = v.levels.filter((l) => l.biopsyTaken === true).map((l) => l.level)
  const form = useForm<Values>({
    initialValues: { procedureId: v.id, level: biopsied.length === 1 ? biopsied[0]! : '', result: '', text: '' },
    validate: validateWith(RecordBiopsyResult),
  })
  if (biopsied.length === 0 && v.biopsyResults.length === 0) return null
  const newest = new Map(v.biopsyResults.map((r) => [r.level, r.id]))

  async function submit(values: Values) {
    try {
      await record.mutateAsync(RecordBiopsyResult.parse(values))
      form.setValues({ result: '', text: '' })
      notifications.show({ color: 'green', title: 'Biopsy result recorded', message: `${values.level}: ${BIOPSY_RESULT_LABELS[values.result as keyof typeof BIOPSY_RESULT_LABELS]}` })
    } catch (err) {
      showApiError(err, form)
    }
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`biopsy-${v.id}`}>
      <Stack gap="sm">
        <Title order={3} id={`biopsy-${v.id}`}>
          Biopsy results
        </Title>
        <Text size="sm">Biopsy taken at {biopsied.join(', ') || 'no level'}.</Text>
        {v.biopsyResults.length === 0 ? (
          <Text size="sm">No result recorded yet.</Text>
        ) : (
          <Table striped aria-label="Biopsy results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Level</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>Report</Table.Th>
                <Table.Th>Recorded</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {v.biopsyResults.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td fw={700}>{r.level}</Table.Td>
                  <Table.Td>
                    {BIOPSY_RESULT_LABELS[r.result]}
                    {newest.get(r.level) !== r.id ? ' (superseded by a later result)' : ''}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{r.text || '—'}</Table.Td>
                  <Table.Td>
                    {r.recordedBy}, {clock.dateTime(r.recordedAt)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canRecord && biopsied.length > 0 && (
          <form onSubmit={form.onSubmit((values) => void submit(values), focusFirstError)} noValidate aria-label="Record a biopsy result">
            <Stack gap="xs">
              <Group grow align="flex-start">
                <NativeSelect label="Level" required data={[{ value: '', label: 'Choose…' }, ...biopsied.map((l) => ({ value: l, label: l }))]} {...form.getInputProps('level')} />
                <NativeSelect label="Result" required data={RESULT_OPTIONS} {...form.getInputProps('result')} />
              </Group>
              <Textarea label="Pathology report" description="Diagnosis, laboratory and report number" autosize minRows={2} {...form.getInputProps('text')} />
              <Group justify="flex-end">
                <Button type="submit" loading={record.isPending}>
                  Record result
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  )
}
