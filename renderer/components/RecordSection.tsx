/** Layout pieces the clinical records share: a titled section, and a label with its value as read. */
import { Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

export function Section({ title, children, aside, testId }: { title: string; children: ReactNode; aside?: ReactNode; testId?: string }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id} data-testid={testId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} id={id}>
            {title}
          </Title>
          {aside}
        </Group>
        {children}
      </Stack>
    </Paper>
  )
}

export function Row({ label, children, labelWidth = 210 }: { label: string; children: ReactNode; labelWidth?: number }) {
  return (
    <Group align="flex-start" wrap="nowrap" gap="sm">
      <Text fw={600} size="sm" w={labelWidth} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {children === '' || children === null || children === undefined ? '—' : children}
      </Text>
    </Group>
  )
}
