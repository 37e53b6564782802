/** The pain (left axis) and ODI (right axis, dashed) line chart; labelled with the summary for screen readers. */
import '@mantine/charts/styles.css'
import { LineChart } from '@mantine/charts'
import type { PatientOutcomes } from '../../../shared/schemas/outcomes'
import { formatDate } from '../../format'

export default function ScoresChart({ points, summary }: { points: PatientOutcomes['points']; summary: string }) {
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
