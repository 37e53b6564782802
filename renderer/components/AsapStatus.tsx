/**
 * The patient page's line about the ASAP list (issue 21 point 4): whether the patient waits for an earlier
 * appointment (what, with whom, since when) and a way to add them (the ASAP list screen's form, for this patient).
 */
import { Anchor, Group, Paper, Text } from '@mantine/core'
import { useCan, useChannel } from '../data'
import { formatInstant } from '../format'

export function AsapStatus({ patientId }: { patientId: number }) {
  const canRead = useCan('schedule.asap.list')
  const canAdd = useCan('schedule.asap.add')
  const q = useChannel('schedule.asap.list', { includeRemoved: false, patientId }, { enabled: canRead })
  if (!canRead || !q.data) return null
  const waiting = q.data.entries
  return (
    <Paper withBorder p="sm" radius="sm" data-testid="asap-status">
      <Group gap="xs" align="baseline">
        <Text fw={700}>ASAP list</Text>
        {waiting.length === 0 ? (
          <Text size="sm">Not on the ASAP list.</Text>
        ) : (
          waiting.map((e) => (
            <Text key={e.id} size="sm">
              Waiting for an earlier {e.typeName} ({e.providerName}) since {formatInstant(e.addedAt, q.data.timeZone)}.
            </Text>
          ))
        )}
        {canAdd && (
          <Anchor href={`#/asap?add=${patientId}`} size="sm">
            Add to the ASAP list
          </Anchor>
        )}
        {waiting.length > 0 && (
          <Anchor href="#/asap" size="sm">
            Open the ASAP list
          </Anchor>
        )}
      </Group>
    </Paper>
  )
}
