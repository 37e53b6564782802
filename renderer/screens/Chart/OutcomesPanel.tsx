/** Pain and ODI over time, from the baseline consultation on: a chart, its figures one click away, a summary. */
import { Alert, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import { lazy, Suspense, useState } from 'react'
import type { PatientOutcomes } from '../../../shared/schemas/outcomes'
import { formatDate } from '../../format'
import { usePatientOutcomes } from '../../hooks'
import { outcomeSummary } from './outcomeSummary'

/** The charting library is large: it loads when a chart is first shown, not with the patient chart. */
const ScoresChart = lazy(() => import('./ScoresChart'))

export function OutcomesPanel({ patientId }: { patientId: number }) {
  const outcomes = usePatientOutcomes(patientId)
  const [view, setView] = useState<'chart' | 'table'>('chart')
  const points = outcomes.data?.points ?? []
  const summary = outcomeSummary(points)
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="outcomes-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} id="outcomes-title">
            Pain and ODI over time
          </Title>
          {points.length > 0 && (
            <SegmentedControl
              size="xs"
              aria-label="Show pain and ODI as"
              value={view}
              onChange={(v) => setView(v as 'chart' | 'table')}
              data={[
                { value: 'chart', label: 'Chart' },
                { value: 'table', label: 'Figures' },
              ]}
            />
          )}
        </Group>
        {outcomes.isPending && <Loader size="sm" aria-label="Loading scores" />}
        {outcomes.isError && <Alert color="red">{outcomes.error.message}</Alert>}
        <Text size="sm" data-testid="outcomes-summary">
          {summary}
        </Text>
        {points.length > 0 && view === 'chart' && (
          <Suspense fallback={<Loader size="sm" aria-label="Loading the chart" />}>
            <ScoresChart points={points} summary={summary} />
          </Suspense>
        )}
        {points.length > 0 && view === 'table' && <ScoresTable points={points} />}
      </Stack>
    </Paper>
  )
}

const change = (now: number | null, base: number | null) => (now === null || base === null ? '—' : `${now - base > 0 ? '+' : ''}${Math.round((now - base) * 10) / 10}`)

function ScoresTable({ points }: { points: PatientOutcomes['points'] }) {
  const basePain = points.find((p) => p.pain !== null)?.pain ?? null
  const baseOdi = points.find((p) => p.odi !== null)?.odi ?? null
  return (
    <Table striped aria-label="Pain and ODI figures">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Date</Table.Th>
          <Table.Th>Visit</Table.Th>
          <Table.Th>Pain (0-10)</Table.Th>
          <Table.Th>Pain change</Table.Th>
          <Table.Th>ODI (%)</Table.Th>
          <Table.Th>ODI change</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {points.map((p, i) => (
          <Table.Tr key={`${p.date}-${p.label}-${i}`}>
            <Table.Td>{formatDate(p.date)}</Table.Td>
            <Table.Td>{p.label}</Table.Td>
            <Table.Td>{p.pain ?? '—'}</Table.Td>
            <Table.Td>{change(p.pain, basePain)}</Table.Td>
            <Table.Td>{p.odi ?? '—'}</Table.Td>
            <Table.Td>{change(p.odi, baseOdi)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
