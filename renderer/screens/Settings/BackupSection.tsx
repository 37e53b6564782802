/**
 * Settings > Backups: where the daily backup goes (typed, or chosen with the system's folder dialog in the desktop
 * app), when it runs and what the rotation keeps. The Backups screen shows these and lists the backups.
 */
import { Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { run } from '../../data'
import { showApiError } from '../../forms'
import type { SettingsFormApi } from './SettingsScreen'

export function BackupSection({ form }: { form: SettingsFormApi }) {
  const [choosing, setChoosing] = useState(false)
  const choose = async () => {
    setChoosing(true)
    try {
      const r = await run('settings.chooseBackupFolder', {})
      if (!r.available) {
        notifications.show({ color: 'blue', title: 'Type the folder', message: "The folder dialog opens in the desktop app. Here, type the folder's full path." })
      } else if (r.folder) {
        form.setFieldValue('backupFolder', r.folder)
      }
    } catch (err) {
      showApiError(err)
    } finally {
      setChoosing(false)
    }
  }
  const r = form.values.backupRotation
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        On SQLite, Spine Clinic backs the database up once a day (a backup missed while the computer was off is made when it next starts). A PostgreSQL clinic is
        backed up with the server's own tools instead.
      </Text>
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="Backup folder"
          description="A full path, best on another disk or a network share. Empty: the backups folder next to the database."
          placeholder="Next to the database"
          {...form.getInputProps('backupFolder')}
        />
        <Button variant="default" onClick={() => void choose()} loading={choosing}>
          Choose…
        </Button>
      </Group>
      <TextInput label="Daily backup at" description="Clinic time, HH:MM (24-hour), e.g. 19:30" maw={220} {...form.getInputProps('backupTime')} />
      <Group align="flex-start" grow>
        <NumberInput label="Keep daily backups for (days)" min={1} max={90} allowDecimal={false} {...form.getInputProps('backupRotation.daily')} />
        <NumberInput label="Keep weekly backups for (weeks)" min={0} max={104} allowDecimal={false} {...form.getInputProps('backupRotation.weekly')} />
        <NumberInput label="Keep monthly backups for (months)" min={0} max={120} allowDecimal={false} {...form.getInputProps('backupRotation.monthly')} />
      </Group>
      <Text size="sm" data-testid="rotation-summary">
        {`The rotation keeps the newest daily backup of each of the last ${r.daily} days, ${r.weekly} weeks and ${r.monthly} months, and removes older daily backups. Manual backups and those made before an update are never removed.`}
      </Text>
    </Stack>
  )
}
