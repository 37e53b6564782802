/**
 * The pain (left axis, 0-10) and ODI (right axis, 0-100 %, dashed) line chart; labelled with the summary for
 * screen readers. Both scales are fixed, so a drop from 8 to 3 looks the same size on every chart, and the time
 * axis is in real time: visits 2 weeks apart sit close together, a 19-year gap is drawn as 19 years.
 */
import '@mantine/charts/styles.css'
import { LineChart } from '@mantine/charts'
import type { PatientOutcomes } from '../../../shared/schemas/outcomes'
import { formatDate } from '../../format'

const DAY_MS = 86_400_000
/** '' for what is not an instant (the tooltip asks with no label while the pointer is outside the chart) */
const dateOf = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString().slice(0, 10) : '')

export default function ScoresChart({ points, summary }: { points: PatientOutcomes['points']; summary: string }) {
  const data = points.map((p) => ({ t: Date.parse(`${p.date}T00:00:00Z`), visit: p.label, Pain: p.pain, ODI: p.odi }))
  const first = data[0]?.t ?? 0
  const last = data.at(-1)?.t ?? 0
  // a single visit (or visits on one day) still gets a week either side, so its point is not on the edge
  const pad = last - first < 14 * DAY_MS ? 7 * DAY_MS : 0
  const labelOf = (t: number) => data.filter((d) => d.t === t).map((d) => d.visit).join(', ')
  return (
    <div role="img" aria-label={`Chart of pain and ODI over time. ${summary}`} data-testid="outcomes-chart" data-points={points.length}>
      <LineChart
        h={280}
        data={data}
        dataKey="t"
        series={[
          { name: 'Pain', label: 'Pain (0-10, left axis)', color: 'indigo.8', yAxisId: 'left' },
          { name: 'ODI', label: 'ODI % (right axis, dashed)', color: 'orange.9', yAxisId: 'right', strokeDasharray: '6 4' },
        ]}
        withLegend
        withRightYAxis
        connectNulls
        xAxisProps={{
          type: 'number',
          scale: 'time',
          domain: [first - pad, last + pad],
          tickFormatter: (t: number) => (dateOf(t) ? formatDate(dateOf(t)) : ''),
          tickCount: 6,
        }}
        xAxisLabel="Date of the visit"
        // the left axis must carry the id the pain series names, or pain is drawn on a hidden axis of its own scale
        yAxisProps={{ yAxisId: 'left', domain: [0, 10], ticks: [0, 2, 4, 6, 8, 10] }}
        rightYAxisProps={{ domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100] }}
        yAxisLabel="Pain (0-10)"
        rightYAxisLabel="ODI (%)"
        tooltipProps={{ labelFormatter: (t) => (dateOf(Number(t)) ? `${labelOf(Number(t))} · ${formatDate(dateOf(Number(t)))}` : '') }}
        curveType="linear"
      />
    </div>
  )
}
