/** A provider's schedule for a date range as an iCalendar file: the main process writes it (and audits the export), the screen offers it as a download. */
import { Alert, Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import type { ScheduleSetup } from '../../../shared/schemas/scheduling'
import { run } from '../../data'
import { saveFile } from '../../download'
import { showApiError } from '../../forms'
import { DateField } from '../../components/DateField'

interface Props {
  setup: ScheduleSetup
  opened: boolean
  onClose: () => void
  from: string
  to: string
}

export function IcsExport({ setup, opened, onClose, from, to }: Props) {
  const providers = setup.providers.filter((p) => p.active)
  const [providerId, setProviderId] = useState(String(providers[0]?.id ?? ''))
  const [range, setRange] = useState({ from, to })
  const [file, setFile] = useState<{ ics: string; contentType: string; filename: string; events: number } | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (opened) setRange({ from, to })
  }, [opened, from, to])

  async function make() {
    setBusy(true)
    try {
      const r = await run('schedule.export.ics', { providerId: Number(providerId), from: range.from, to: range.to })
      setFile({ ics: r.ics, contentType: r.contentType, filename: r.filename, events: r.events })
    } catch (err) {
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={() => {
        setFile(null)
        onClose()
      }}
      title="Export iCalendar"
    >
      <Stack>
        <NativeSelect label="Provider" value={providerId} data={providers.map((p) => ({ value: String(p.id), label: p.displayName }))} onChange={(e) => setProviderId(e.currentTarget.value)} />
        <Group grow>
          <DateField label="From" value={range.from} onChange={(v) => setRange({ ...range, from: v })} />
          <DateField label="To" value={range.to} onChange={(v) => setRange({ ...range, to: v })} />
        </Group>
        <Text size="sm" c="gray.8">
          The file holds patient names: keep it on clinic devices. The export is recorded in the audit log.
        </Text>
        <Group justify="flex-end">
          <Button loading={busy} onClick={() => void make()} disabled={!providerId}>
            Create file
          </Button>
        </Group>
        {file && (
          <Alert color="green" title="Ready" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">
                {file.filename}: {file.events} appointment{file.events === 1 ? '' : 's'}
              </Text>
              <Button size="xs" onClick={() => saveFile(file.ics, file.filename, file.contentType)}>
                Download {file.filename}
              </Button>
            </Stack>
          </Alert>
        )}
      </Stack>
    </Modal>
  )
}
