/** Pain and ODI over time, from the baseline consultation on: a chart, its figures one click away, a summary. */
import '@mantine/charts/styles.css'
import { LineChart } from '@mantine/charts'
import { Alert, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import { useState } from 'react'
import type { PatientOutcomes } from '../../../shared/schemas/outcomes'
import { formatDate } from '../../format'
import { usePatientOutcomes } from '../FollowUps/visitForm'
import { outcomeSummary } from './outcomeSummary'

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
        {points.length > 0 && (view === 'chart' ? <ScoresChart points={points} summary={summary} /> : <ScoresTable points={points} />)}
      </Stack>
    </Paper>
  )
}

function ScoresChart({ points, summary }: { points: PatientOutcomes['points']; summary: string }) {
  const data = points.map((p) => ({ visit: `${p.label} ${formatDate(p.date)}`, Pain: p.pain, ODI: p.odi }))
  return (
    <div role="img" aria-label={`Chart of pain and ODI over time. ${summary}`} data-testid="outcomes-chart" data-points={points.length}>
      <LineChart
        h={260}
        data={data}
        dataKey="visit"
        series={[
          { name: 'Pain', label: 'Pain (0-10, left axis)', color: 'indigo.8', yAxisId: 'left' },
          { name: 'ODI', label: 'ODI % (right axis, dashed)', color: 'orange.9', yAxisId: 'right', strokeDasharray: '6 4' },
        ]}
        withLegend
        withRightYAxis
        connectNulls
        yAxisProps={{ domain: [0, 10] }}
        rightYAxisProps={{ domain: [0, 100] }}
        yAxisLabel="Pain (0-10)"
        rightYAxisLabel="ODI (%)"
        curveType="linear"
      />
    </div>
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
