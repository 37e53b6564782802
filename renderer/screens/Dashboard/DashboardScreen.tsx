/**
 * The manager's outcomes dashboard: for a date range, a physician and a procedure kind, how many procedures
 * and when, how many patients went home the same day (and why the others stayed), how pain and ODI changed
 * from baseline at each follow-up (with the number of patients behind each figure), cement leakage,
 * complications and follow-up completion. Every chart has its figures one click away and its summary as its
 * accessible name. The export dialog hands the same selection over as CSV or FHIR.
 */
import { BarChart, DonutChart } from '@mantine/charts'
import { Alert, Button, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { DatePickerInput, type DatePickerPreset } from '@mantine/dates'
import { keepPreviousData } from '@tanstack/react-query'
import { useState } from 'react'
import type { Dashboard, OutcomeFilter } from '../../../shared/schemas/outcomes'
import { PROCEDURE_KINDS } from '../../../shared/clinical/cpt'
import { PROCEDURE_KIND_LABELS } from '../../../shared/schemas/procedures'
import { useChannel } from '../../data'
import { AttendanceCard } from './AttendanceCard'
import { ReferralsCard } from '../Referrals/ReferralsCard'
import { useClinicClock } from '../../clinicClock'
import { ErrorPanel } from '../../components/ErrorPanel'
import { ChartCard } from './ChartCard'
import { ExportDialog } from './ExportDialog'
import {
  addDays,
  addMonths,
  changeLine,
  changesSummary,
  completionSummary,
  dischargeSummary,
  filterText,
  headlineChange,
  monthLabel,
  number,
  percent,
  perMonthSummary,
  plural,
  rateText,
  safetySummary,
  signed,
} from './figures'

type Kind = (typeof PROCEDURE_KINDS)[number]

function presets(today: string): DatePickerPreset<'range'>[] {
  const year = today.slice(0, 4)
  return [
    { value: [addDays(addMonths(today, -3), 1), today], label: 'Last 3 months' },
    { value: [addDays(addMonths(today, -6), 1), today], label: 'Last 6 months' },
    { value: [addDays(addMonths(today, -12), 1), today], label: 'Last 12 months' },
    { value: [`${year}-01-01`, today], label: 'This year' },
    { value: [`${Number(year) - 1}-01-01`, `${Number(year) - 1}-12-31`], label: 'Last year' },
  ]
}

function defaultFilter(today: string): OutcomeFilter {
  return { from: addDays(addMonths(today, -12), 1), to: today, physicianId: null, kind: null }
}

export default function DashboardScreen() {
  const today = useClinicClock().today()
  const [filter, setFilter] = useState<OutcomeFilter>(() => defaultFilter(today))
  const [range, setRange] = useState<[string | null, string | null]>([filter.from, filter.to])
  const [exporting, setExporting] = useState(false)
  const dashboard = useChannel('outcomes.dashboard', filter, { placeholderData: keepPreviousData })
  const d = dashboard.data
  const physicians = d?.physicians ?? []
  const physicianName = physicians.find((p) => p.id === filter.physicianId)?.name ?? null

  function pickRange(v: [string | null, string | null]) {
    setRange(v)
    // a range is applied once both ends are chosen (one day: the same date twice)
    if (v[0] && v[1]) setFilter((f) => ({ ...f, from: v[0]!, to: v[1]! }))
  }
  function reset() {
    const f = defaultFilter(today)
    setFilter(f)
    setRange([f.from, f.to])
  }

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Outcomes</Title>
        <Button onClick={() => setExporting(true)} disabled={!d}>
          Export…
        </Button>
      </Group>
      <Paper withBorder p="md" radius="md" component="section" aria-label="Filters">
        <Group align="flex-start" grow>
          <DatePickerInput
            type="range"
            label="Procedure dates"
            description="Pick the first and the last day, or a preset"
            value={range}
            onChange={(v) => pickRange(v as [string | null, string | null])}
            presets={presets(today)}
            allowSingleDateInRange
            maxDate={today}
            valueFormat="MM/DD/YYYY"
            error={!range[1] ? 'Pick the last day too' : undefined}
          />
          <NativeSelect
            label="Physician"
            description="Who performed the procedures"
            value={filter.physicianId === null ? '' : String(filter.physicianId)}
            onChange={(e) => setFilter({ ...filter, physicianId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
            data={[{ value: '', label: 'All physicians' }, ...physicians.map((p) => ({ value: String(p.id), label: p.name }))]}
          />
          <NativeSelect
            label="Procedure"
            description="Kind of cement augmentation"
            value={filter.kind ?? ''}
            onChange={(e) => setFilter({ ...filter, kind: (e.currentTarget.value || null) as Kind | null })}
            data={[{ value: '', label: 'Both kinds' }, ...PROCEDURE_KINDS.map((k) => ({ value: k, label: PROCEDURE_KIND_LABELS[k] }))]}
          />
        </Group>
      </Paper>

      {dashboard.isPending ? (
        <Loader aria-label="Loading the dashboard" />
      ) : dashboard.isError ? (
        <ErrorPanel error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : (
        <Stack aria-busy={dashboard.isFetching}>
          <Text data-testid="dashboard-scope" c="gray.8">
            {plural(d!.procedures, 'procedure')} on {plural(d!.patients, 'patient')} · {filterText(d!.filter, physicianName)}
          </Text>
          {d!.procedures === 0 ? <NoProcedures onReset={reset} filtered={filter.physicianId !== null || filter.kind !== null} /> : <Figures d={d!} />}
        </Stack>
      )}
      <AttendanceCard from={filter.from} to={filter.to} physicianId={filter.physicianId} />
      <ReferralsCard />
      {d && <ExportDialog opened={exporting} onClose={() => setExporting(false)} filter={filter} scope={filterText(filter, physicianName)} procedures={d.procedures} />}
    </Stack>
  )
}

function NoProcedures({ onReset, filtered }: { onReset: () => void; filtered: boolean }) {
  return (
    <Alert color="blue" title="No procedures match these filters">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          The dashboard counts procedure notes by their procedure date (notes entered in error are left out). Widen the date range with a preset such as “Last 12 months”
          {filtered ? ', or choose “All physicians” and “Both kinds”' : ''}. Procedures appear here once a physician opens their note on the procedure day.
        </Text>
        <Button variant="default" size="xs" onClick={onReset}>
          Show the last 12 months, everyone
        </Button>
      </Stack>
    </Alert>
  )
}

function Headline({ label, value, detail, testId }: { label: string; value: string; detail: string; testId: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Text size="sm" c="gray.8">
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2}>
        {value}
      </Text>
      <Text size="sm">{detail}</Text>
    </Paper>
  )
}

function Figures({ d }: { d: Dashboard }) {
  const head = headlineChange(d)
  const overnight = d.sameDay.denominator - d.sameDay.numerator
  const changeRows = d.changes.map((c) => [c.label, c.pain.n, number(c.pain.meanBaseline), number(c.pain.meanAtVisit), signed(c.pain.meanChange), c.odi.n, number(c.odi.meanBaseline), number(c.odi.meanAtVisit), signed(c.odi.meanChange)])
  const changeHead = ['Follow-up', 'Pain: patients', 'Pain at baseline', 'Pain at visit', 'Pain change', 'ODI: patients', 'ODI at baseline', 'ODI at visit', 'ODI change']
  const noChange = (
    <Alert color="gray" title="No follow-up scores yet">
      Pain and ODI are compared with the consultation before the procedure once a physician records a follow-up visit with the score. Check the follow-up list for visits that are due.
    </Alert>
  )
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} component="section" aria-label="At a glance">
        <Headline testId="headline-same-day" label="Home the same day" value={percent(d.sameDay)} detail={d.sameDay.denominator ? `${d.sameDay.numerator} of ${plural(d.sameDay.denominator, 'procedure')} with a decision` : 'No discharge decision yet'} />
        <Headline
          testId="headline-change"
          label={head ? `Pain at ${head.label}` : 'Pain at follow-up'}
          value={head && head.pain.n ? signed(head.pain.meanChange) : '—'}
          detail={head ? `${head.pain.n ? `from ${number(head.pain.meanBaseline)} to ${number(head.pain.meanAtVisit)}, ${plural(head.pain.n, 'patient')}` : 'no patient with both scores'}` : 'No follow-up scores yet'}
        />
        <Headline
          testId="headline-odi"
          label={head ? `ODI at ${head.label}` : 'ODI at follow-up'}
          value={head && head.odi.n ? signed(head.odi.meanChange) : '—'}
          detail={head ? `${head.odi.n ? `from ${number(head.odi.meanBaseline)} to ${number(head.odi.meanAtVisit)}, ${plural(head.odi.n, 'patient')}` : 'no patient with both scores'}` : 'No follow-up scores yet'}
        />
        <Headline testId="headline-completion" label="Follow-up visits recorded" value={percent(d.followUpCompletion)} detail={d.followUpCompletion.denominator ? `${d.followUpCompletion.numerator} of ${d.followUpCompletion.denominator} due so far` : 'None due yet'} />
      </SimpleGrid>

      <ChartCard
        testId="changes"
        title="Pain and ODI from baseline"
        summary={d.changes.length ? `${d.changes.map(changeLine).join(' ')} Lower is better; each figure counts the patients with a baseline and a visit score.` : 'No follow-up visit with a score yet.'}
        charts={[
          {
            name: `Pain (0 to 10). ${changesSummary(d, 'pain')}`,
            node: (
              <BarChart
                h={240}
                data={d.changes.map((c) => ({ visit: `${c.label} (n=${c.pain.n})`, Baseline: c.pain.meanBaseline ?? 0, 'At the visit': c.pain.meanAtVisit ?? 0 }))}
                dataKey="visit"
                series={[
                  { name: 'Baseline', color: 'gray.6' },
                  { name: 'At the visit', color: 'indigo.8' },
                ]}
                yAxisProps={{ domain: [0, 10] }}
                yAxisLabel="Mean pain (0-10)"
                withLegend
                accessibilityLayer={false}
              />
            ),
          },
          {
            name: `ODI (0 to 100). ${changesSummary(d, 'odi')}`,
            node: (
              <BarChart
                h={240}
                data={d.changes.map((c) => ({ visit: `${c.label} (n=${c.odi.n})`, Baseline: c.odi.meanBaseline ?? 0, 'At the visit': c.odi.meanAtVisit ?? 0 }))}
                dataKey="visit"
                series={[
                  { name: 'Baseline', color: 'gray.6' },
                  { name: 'At the visit', color: 'teal.8' },
                ]}
                yAxisProps={{ domain: [0, 100] }}
                yAxisLabel="Mean ODI (%)"
                withLegend
                accessibilityLayer={false}
              />
            ),
          },
        ]}
        table={{ caption: 'Pain and ODI from baseline, by follow-up', head: changeHead, rows: changeRows }}
        empty={d.changes.length === 0 ? noChange : undefined}
      />

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ChartCard
          testId="discharge"
          layout="column"
          title="Discharge"
          summary={dischargeSummary(d)}
          charts={[
            {
              name: `Same day ${d.sameDay.numerator}, overnight ${overnight}, not decided ${d.undecided}.`,
              node: (
                <DonutChart
                  mx="auto"
                  size={180}
                  thickness={28}
                  chartLabel={percent(d.sameDay)}
                  withLegend
                  withLabels
                  withLabelsLine
                  accessibilityLayer={false}
                  data={[
                    { name: 'Same day', value: d.sameDay.numerator, color: 'teal.8' },
                    { name: 'Overnight', value: overnight, color: 'orange.8' },
                    { name: 'Not decided', value: d.undecided, color: 'gray.5' },
                  ].filter((x) => x.value > 0)}
                />
              ),
            },
            ...(d.overnightReasons.length
              ? [
                  {
                    name: `Reasons for the overnight stays: ${d.overnightReasons.map((r) => `${r.label} ${r.count}`).join(', ')}.`,
                    node: (
                      <BarChart
                        h={Math.max(120, 40 * d.overnightReasons.length + 40)}
                        orientation="vertical"
                        data={d.overnightReasons.map((r) => ({ reason: r.label, Stays: r.count }))}
                        dataKey="reason"
                        series={[{ name: 'Stays', color: 'orange.8' }]}
                        yAxisProps={{ width: 140 }}
                        xAxisProps={{ allowDecimals: false }}
                        accessibilityLayer={false}
                      />
                    ),
                  },
                ]
              : []),
          ]}
          table={{
            caption: 'Discharge decisions and reasons for overnight stays',
            head: ['Discharge', 'Procedures'],
            rows: [['Same day', d.sameDay.numerator], ['Overnight', overnight], ['Not decided yet', d.undecided], ...d.overnightReasons.map((r) => [`Overnight: ${r.label}`, r.count])],
          }}
          empty={d.sameDay.denominator === 0 && d.undecided === 0 ? <Text size="sm">No procedure in this selection.</Text> : undefined}
        />

        <ChartCard
          testId="per-month"
          title="Procedures per month"
          summary={perMonthSummary(d)}
          charts={[
            {
              name: `Procedures per month by kind. ${d.perMonth.map((m) => `${monthLabel(m.month)}: ${m.kyphoplasty} kyphoplasty, ${m.vertebroplasty} vertebroplasty`).join('; ')}.`,
              node: (
                <BarChart
                  h={240}
                  type="stacked"
                  data={d.perMonth.map((m) => ({ month: monthLabel(m.month), Kyphoplasty: m.kyphoplasty, Vertebroplasty: m.vertebroplasty }))}
                  dataKey="month"
                  series={[
                    { name: 'Kyphoplasty', color: 'indigo.8' },
                    { name: 'Vertebroplasty', color: 'teal.8' },
                  ]}
                  yAxisProps={{ allowDecimals: false }}
                  withLegend
                  accessibilityLayer={false}
                />
              ),
            },
          ]}
          table={{
            caption: 'Procedures per month by kind',
            head: ['Month', 'Kyphoplasty', 'Vertebroplasty', 'Total'],
            rows: d.perMonth.map((m) => [monthLabel(m.month), m.kyphoplasty, m.vertebroplasty, m.kyphoplasty + m.vertebroplasty]),
          }}
        />

        <ChartCard
          testId="safety"
          title="Cement leakage and complications"
          summary={safetySummary(d)}
          charts={[
            {
              name: `Procedures with each complication: ${d.complicationCounts.length ? d.complicationCounts.map((c) => `${c.label} ${c.count}`).join(', ') : 'none'}. Procedures with a cement leak: ${d.leakageProcedures.numerator}.`,
              node: (
                <BarChart
                  h={Math.max(120, 40 * (d.complicationCounts.length + 1) + 40)}
                  orientation="vertical"
                  data={[{ what: 'Cement leak', Procedures: d.leakageProcedures.numerator }, ...d.complicationCounts.map((c) => ({ what: c.label, Procedures: c.count }))]}
                  dataKey="what"
                  series={[{ name: 'Procedures', color: 'red.8' }]}
                  yAxisProps={{ width: 160 }}
                  xAxisProps={{ allowDecimals: false }}
                  accessibilityLayer={false}
                />
              ),
            },
          ]}
          table={{
            caption: 'Cement leakage and complications',
            head: ['Figure', 'Count', 'Of', 'Rate'],
            rows: [
              ['Treated levels with a cement leak', d.leakageLevels.numerator, d.leakageLevels.denominator, percent(d.leakageLevels)],
              ['Procedures with a cement leak', d.leakageProcedures.numerator, d.leakageProcedures.denominator, percent(d.leakageProcedures)],
              ['Symptomatic leaks', d.symptomaticLeaks, '', ''],
              ['Procedures with a complication', d.complications.numerator, d.complications.denominator, percent(d.complications)],
              ...d.complicationCounts.map((c) => [`Complication: ${c.label}`, c.count, d.complications.denominator, '']),
            ],
          }}
          empty={
            d.leakageProcedures.numerator === 0 && d.complicationCounts.length === 0 ? (
              <Text size="sm" c="gray.8">
                Nothing to chart: no cement leak and no complication recorded for these procedures. Leakage is recorded per level in the procedure note; complications in the note and at follow-up visits.
              </Text>
            ) : undefined
          }
        />

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="completion-title" data-testid="completion">
          <Stack gap="xs">
            <Title order={3} size="h4" id="completion-title">
              Follow-up completion
            </Title>
            <Text fz={28} fw={700}>
              {rateText(d.followUpCompletion)}
            </Text>
            <Text size="sm">{completionSummary(d)}</Text>
            <Text size="sm" c="gray.8">
              A follow-up counts once its target date has come (cancelled ones are left out); it is complete when its visit is recorded.
            </Text>
          </Stack>
        </Paper>
      </SimpleGrid>
    </Stack>
  )
}
