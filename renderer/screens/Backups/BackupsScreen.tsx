/**
 * The administrator's backups: where they go, when the daily one runs and what the rotation keeps (set in
 * Settings), the backups in the folder, "Back up now", and restoring a chosen backup after a confirmation
 * that says what happens. A PostgreSQL clinic is told to use the server's tools instead.
 */
import { Alert, Button, Code, Group, List, Loader, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { BackupList } from '../../../shared/schemas/backup'
import { api } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { formatInstant } from '../../format'
import { showApiError } from '../../forms'
import { useSetSession } from '../../session'

type Backup = BackupList['backups'][number]

const KIND_LABELS: Record<Backup['kind'], string> = { daily: 'Daily', manual: 'Manual', 'pre-migrate': 'Before an update' }

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

export default function BackupsScreen() {
  const qc = useQueryClient()
  const list = useQuery({ queryKey: ['backup', 'list'], queryFn: () => api('backup.list') })
  const [chosen, setChosen] = useState<Backup | null>(null)
  const backUp = useMutation({
    mutationFn: () => api('backup.run'),
    onSuccess: (r) => {
      notifications.show({ color: 'green', title: 'Backed up', message: `Saved ${r.file} (${formatBytes(r.bytes)}).` })
      void qc.invalidateQueries({ queryKey: ['backup', 'list'] })
    },
    onError: (err) => showApiError(err),
  })

  return (
    <Stack>
      <Title order={2}>Backups</Title>
      {list.isPending ? (
        <Loader aria-label="Loading backups" />
      ) : list.isError ? (
        <ErrorPanel error={list.error} />
      ) : list.data.engine === 'postgres' ? (
        <Alert color="blue" title="Backed up by the database server">
          {list.data.message}
        </Alert>
      ) : (
        <>
          <Stack gap={4}>
            <Text>
              Folder: <Code>{list.data.folder}</Code>
              {list.data.folderIsDefault && ' (next to the database; choose another folder, such as a network drive, in Settings)'}
            </Text>
            <Text>
              A backup is made every day at {list.data.backupTime} ({list.data.timeZone}); one missed while the computer was off is made when Spine Clinic next starts.
            </Text>
            <Text>
              Daily backups kept: the last {list.data.rotation.daily} days, {list.data.rotation.weekly} weeks and {list.data.rotation.monthly} months. Manual backups and those made
              before an update stay until you remove them from the folder.
            </Text>
          </Stack>
          <Group>
            <Button onClick={() => backUp.mutate()} loading={backUp.isPending}>
              Back up now
            </Button>
          </Group>
          <Table striped aria-label="Backups">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Made</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Size</Table.Th>
                <Table.Th>File</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.backups.map((b) => (
                <Table.Tr key={b.name}>
                  <Table.Td>{formatInstant(b.at)}</Table.Td>
                  <Table.Td>
{KIND_LABELS[b.kind]}
                  </Table.Td>
                  <Table.Td>{formatBytes(b.bytes)}</Table.Td>
                  <Table.Td>
                    <Code>{b.name}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setChosen(b)} aria-label={`Restore the backup made ${formatInstant(b.at)}`}>
                      Restore…
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {list.data.backups.length === 0 && <Text>No backups in this folder yet.</Text>}
          <RestoreDialog backup={chosen} onClose={() => setChosen(null)} />
        </>
      )}
    </Stack>
  )
}

/** Says what a restore does, then does it; everyone signs in again afterwards. */
function RestoreDialog({ backup, onClose }: { backup: Backup | null; onClose: () => void }) {
  const setSession = useSetSession()
  const restore = useMutation({
    mutationFn: (name: string) => api('backup.restore', { name }),
    onSuccess: (r) => {
      notifications.show({
        color: 'green',
        title: 'Backup restored',
        message: `The clinic's data is now that of ${r.restoredFrom}. The previous database was kept as ${r.keptAsideAs ?? '(none)'}. Please sign in again.`,
        autoClose: 20_000,
      })
      onClose()
      setSession(null)
    },
    onError: (err) => showApiError(err),
  })
  return (
    <Modal opened={backup !== null} onClose={onClose} title="Restore this backup?" size="lg">
      {backup && (
        <Stack>
          <Text>
            The clinic&apos;s database will be replaced by the backup made <strong>{formatInstant(backup.at)}</strong> (<Code>{backup.name}</Code>).
          </Text>
          <List spacing={4}>
            <List.Item>Everything entered after that moment will no longer be in Spine Clinic.</List.Item>
            <List.Item>The current database is not deleted: it is kept aside, next to the database, as a file named clinic.replaced-(today&apos;s date and time).sqlite.</List.Item>
            <List.Item>The backup is checked first; a damaged backup, or one from a newer version of Spine Clinic, is refused and nothing changes.</List.Item>
            <List.Item>Everyone, on every window, is signed out and signs in again. Close Spine Clinic on other computers using this database first.</List.Item>
          </List>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={restore.isPending}>
              Cancel
            </Button>
            <Button color="red.8" loading={restore.isPending} onClick={() => restore.mutate(backup.name)}>
              Restore this backup
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )
}
