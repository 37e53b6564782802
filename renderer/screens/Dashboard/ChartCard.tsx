/**
 * One part of the dashboard: a title, the figures in one sentence, and either the chart or the table of the
 * same figures (one click apart). Each chart is an image to assistive technology, named by its summary; the
 * table is the way to read the exact numbers.
 */
import { Flex, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import { useId, useState, type ReactNode } from 'react'

export interface FigureTable {
  caption: string
  head: string[]
  rows: (string | number)[][]
}

interface Props {
  title: string
  summary: string
  /** each chart with the name it carries as an image */
  charts: { name: string; node: ReactNode }[]
  table: FigureTable
  /** shown instead of chart and table when there is nothing to draw: what it means and what to do */
  empty?: ReactNode
  testId?: string
  /** several charts side by side (the default) or one under the other */
  layout?: 'row' | 'column'
}

export function FiguresTable({ table }: { table: FigureTable }) {
  return (
    <Table.ScrollContainer minWidth={360}>
      <Table striped withTableBorder aria-label={table.caption}>
        <Table.Thead>
          <Table.Tr>
            {table.head.map((h, i) => (
              <Table.Th key={h} ta={i === 0 ? undefined : 'right'}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((r) => (
            <Table.Tr key={String(r[0])}>
              {r.map((c, i) => (
                <Table.Td key={i} ta={i === 0 ? undefined : 'right'}>
                  {c}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

export function ChartCard({ title, summary, charts, table, empty, testId, layout = 'row' }: Props) {
  const [view, setView] = useState<'chart' | 'table'>('chart')
  const id = useId()
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`${id}-title`} data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={3} size="h4" id={`${id}-title`}>
            {title}
          </Title>
          {!empty && (
            <SegmentedControl
              size="xs"
              value={view}
              onChange={(v) => setView(v as 'chart' | 'table')}
              aria-label={`Show ${title.toLowerCase()} as`}
              data={[
                { value: 'chart', label: 'Chart' },
                { value: 'table', label: 'Table' },
              ]}
            />
          )}
        </Group>
        <Text size="sm" data-testid={testId ? `${testId}-summary` : undefined}>
          {summary}
        </Text>
        {empty ??
          (view === 'chart' ? (
            <Flex direction={layout} gap="md" align="stretch">
              {charts.map((c) => (
                <div key={c.name} role="img" aria-label={c.name} style={{ flex: 1, minWidth: 0 }}>
                  {c.node}
                </div>
              ))}
            </Flex>
          ) : (
            <FiguresTable table={table} />
          ))}
      </Stack>
    </Paper>
  )
}
