/**
 * Coverage readiness beside the decision: what the payer's policy (LCD L33569) asks for, as the backend reads the
 * saved note, each point with the criterion it comes from.
 */
import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ConsultationView } from '../../../shared/schemas/consultations'
import { formatDate } from '../../format'

export function CoveragePanel({ coverage, stale }: { coverage: ConsultationView['coverage']; stale?: boolean }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="coverage-title" h="100%">
      <Stack gap="sm">
        <Title order={3} id="coverage-title">
          Coverage readiness
        </Title>
        <Text size="sm" c="gray.8">
          {coverage.metCount} of {coverage.items.length} documented. It informs; it never blocks.
          {stale ? ' Save to update it with your latest changes.' : ''}
        </Text>
        <Text size="sm" c="gray.8" data-testid="coverage-episode">
          This fracture: {coverage.episodeStart.from === 'onset' ? `since its onset on ${formatDate(coverage.episodeStart.date)}` : `since the consultation of ${formatDate(coverage.episodeStart.date)} that found it`}
        </Text>
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {coverage.items.map((i) => (
            <li key={i.key}>
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Badge color={i.met ? 'teal.9' : 'red.9'} miw={72}>
                  {i.met ? '✓ Met' : '✗ Missing'}
                </Badge>
                <div>
                  <Text size="sm" fw={600}>
                    {i.label}
                  </Text>
                  <Text size="sm">{i.evidence}</Text>
                  {!i.met && i.missing && (
                    <Text size="sm" c="red.9">
                      To do: {i.missing}
                    </Text>
                  )}
                  <Text size="xs" c="gray.8">
                    Criterion: {i.source}
                  </Text>
                </div>
              </Group>
            </li>
          ))}
        </Stack>
      </Stack>
    </Paper>
  )
}
