/**
 * The administrator's backups: where they go, when the daily one runs and what the rotation keeps (set in
 * Settings), the backups in the folder, "Back up now", and restoring a chosen backup after a confirmation
 * that says what happens. A backup that does not match the manifest written when it was made needs a second
 * confirmation naming what was checked. The app's latest check of the audit log against its anchors is shown
 * at the top (AuditCheckAlert). A PostgreSQL clinic is told to use the server's tools instead.
 */
import { Alert, Anchor, Button, Code, Group, List, Loader, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import type { BackupList } from '../../../shared/schemas/backup'
import { ApiError } from '../../api'
import { run, useChannel, useWrite } from '../../data'
import { AuditCheckAlert } from '../../components/AuditCheckAlert'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useClinicClock } from '../../clinicClock'
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
  const clock = useClinicClock()
  const list = useChannel('backup.list', {})
  const [chosen, setChosen] = useState<Backup | null>(null)
  // refreshes the list (backup.run changes 'backups')
  const backUp = useWrite('backup.run', {
    onSuccess: (r) => {
      notifications.show({ color: 'green', title: 'Backed up', message: `Saved ${r.file} (${formatBytes(r.bytes)}).` })
    },
    onError: (err) => showApiError(err),
  })

  return (
    <Stack>
      <Title order={2}>Backups</Title>
      <AuditCheckAlert detailed />
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
            <Text size="sm">
              <Anchor href="#/settings?tab=backups">Change the folder, the time or the rotation in Settings</Anchor>
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
            <Button onClick={() => backUp.mutate({})} loading={backUp.isPending}>
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
                <Table.Th>Manifest</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.backups.map((b) => (
                <Table.Tr key={b.name}>
                  <Table.Td>{clock.dateTime(b.at)}</Table.Td>
                  <Table.Td>
{KIND_LABELS[b.kind]}
                  </Table.Td>
                  <Table.Td>{formatBytes(b.bytes)}</Table.Td>
                  <Table.Td>
                    <Code>{b.name}</Code>
                  </Table.Td>
                  <Table.Td>{b.hasManifest ? 'Written when made' : 'None (restore asks you to confirm the file)'}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setChosen(b)} aria-label={`Restore the backup made ${clock.dateTime(b.at)}`}>
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

/** What the main process checked of a file without a matching manifest (the refusal's detail). */
interface OutsideFile {
  reason: string
  checked: string[]
}

function outsideFileOf(err: unknown): OutsideFile | null {
  if (!(err instanceof ApiError) || err.code !== 'conflict') return null
  const d = (err.detail as { outsideFile?: OutsideFile } | undefined)?.outsideFile
  return d && typeof d.reason === 'string' && Array.isArray(d.checked) ? d : null
}

/**
 * Says what a restore does, then does it; everyone signs in again afterwards. A file that does not match
 * the manifest written when it was made is refused first; the dialog then says why and what was checked,
 * and restores it only after a second, explicit confirmation.
 */
function RestoreDialog({ backup, onClose }: { backup: Backup | null; onClose: () => void }) {
  const clock = useClinicClock()
  const setSession = useSetSession()
  const [outside, setOutside] = useState<OutsideFile | null>(null)
  const close = () => {
    setOutside(null)
    onClose()
  }
  const restore = useMutation({
    mutationFn: (v: { name: string; outsideFile: boolean }) => run('backup.restore', v.outsideFile ? { name: v.name, outsideFile: true } : { name: v.name }),
    onSuccess: (r) => {
      // signed out first (which clears the signed-out user's notifications), so that this one stays for the sign-in page
      close()
      setSession(null)
      notifications.show({
        color: 'green',
        title: 'Backup restored',
        message: `The clinic's data is now that of ${r.restoredFrom}. The previous database was kept as ${r.keptAsideAs ?? '(none)'}. Please sign in again.`,
        autoClose: 20_000,
      })
    },
    onError: (err) => {
      const facts = outsideFileOf(err)
      if (facts) setOutside(facts)
      else showApiError(err)
    },
  })
  return (
    <Modal opened={backup !== null} onClose={close} title={outside ? 'Restore a file that is not a checked backup?' : 'Restore this backup?'} size="lg">
      {backup && outside && (
        <Stack>
          <Alert color="red.9" title="This file is not a backup Spine Clinic can vouch for">
            <Code>{backup.name}</Code> {outside.reason}.
          </Alert>
          <Text>What was checked:</Text>
          <List spacing={4}>
            {outside.checked.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
          <Text>
            Restore it only if you know where this file comes from (a copy you made yourself, or a backup from a version of Spine Clinic before manifests). The restore is recorded
            in the audit log as an outside file you confirmed.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={restore.isPending}>
              Cancel
            </Button>
            <Button color="red.9" loading={restore.isPending} onClick={() => restore.mutate({ name: backup.name, outsideFile: true })}>
              Restore this outside file
            </Button>
          </Group>
        </Stack>
      )}
      {backup && !outside && (
        <Stack>
          <Text>
            The clinic&apos;s database will be replaced by the backup made <strong>{clock.dateTime(backup.at)}</strong> (<Code>{backup.name}</Code>).
          </Text>
          <List spacing={4}>
            <List.Item>Everything entered after that moment will no longer be in Spine Clinic.</List.Item>
            <List.Item>The current database is not deleted: it is kept aside, next to the database, as a file named clinic.replaced-(today&apos;s date and time).sqlite.</List.Item>
            <List.Item>
              The backup is checked first: it must still match the manifest written when it was made; a damaged backup, or one from a newer version of Spine Clinic, is refused
              and nothing changes.
            </List.Item>
            <List.Item>Everyone, on every window, is signed out and signs in again. Close Spine Clinic on other computers using this database first.</List.Item>
          </List>
          <Group justify="flex-end">
            <Button variant="default" onClick={close} disabled={restore.isPending}>
              Cancel
            </Button>
            <Button color="red.9" loading={restore.isPending} onClick={() => restore.mutate({ name: backup.name, outsideFile: false })}>
              Restore this backup
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  )
}
