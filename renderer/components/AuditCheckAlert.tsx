/**
 * The app's latest check of the audit log against the anchors kept outside the database (at start, before
 * each scheduled backup, after a restore). For administrators only: the shell shows it on every screen when
 * the check failed; the Backups screen (`detailed`) shows the outcome and each problem.
 */
import { Alert, List, Text } from '@mantine/core'
import { useChannel } from '../data'
import { formatInstant } from '../format'

export function AuditCheckAlert({ detailed = false }: { detailed?: boolean }) {
  const status = useChannel('backup.auditCheck', {}, { staleTime: 60_000 })
  if (!status.data) return null
  const s = status.data
  if (s.state === 'failed') {
    return (
      <Alert color="red.9" title="The audit log was changed outside Spine Clinic" role="alert">
        <Text size="sm">{s.summary}</Text>
        {s.checkedAt && (
          <Text size="sm">
            Found {s.reason === 'start' ? 'when Spine Clinic started' : s.reason === 'backup' ? 'before the daily backup' : 'after a restore'}, {formatInstant(s.checkedAt)}.
            {!detailed && ' The Backups screen lists what does not match.'}
          </Text>
        )}
        {detailed && (
          <List size="sm" spacing={2} mt="xs">
            {s.problems.slice(0, 20).map((p) => (
              <List.Item key={p}>{p}</List.Item>
            ))}
          </List>
        )}
      </Alert>
    )
  }
  if (!detailed) return null
  return (
    <Text size="sm" c="gray.8">
      Audit log: {s.summary}
      {s.checkedAt && ` (checked ${formatInstant(s.checkedAt)})`}
    </Text>
  )
}
