/**
 * Reminder outbox (issue 21 point 3), for the front desk and the administrator: what is queued, sent, failed,
 * skipped (and why), e-mails left uncertain by a run that ended mid-send (mark sent, or send again with the same
 * Message-ID), and the letters to print (download each PDF, mark printed).
 */
import { Alert, Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { formatClinicDateTime } from '../../../shared/clinicClock'
import type { OutboxEntry } from '../../../shared/schemas/reminders'
import { ErrorPanel } from '../../components/ErrorPanel'
import { run, useChannel, useWrite } from '../../data'
import { base64Bytes, saveFile } from '../../download'
import { showApiError } from '../../forms'
import { useSettings } from '../../hooks'

const LISTS = [
  { value: 'letters', label: 'Letters to print' },
  { value: 'queued', label: 'Queued' },
  { value: 'uncertain', label: 'Uncertain' },
  { value: 'failed', label: 'Failed' },
  { value: 'sent', label: 'Sent' },
  { value: 'skipped', label: 'Skipped' },
  { value: 'all', label: 'All' },
] as const
type List = (typeof LISTS)[number]['value']

const STATUS_COLOURS: Record<OutboxEntry['status'], string> = {
  queued: 'blue',
  sending: 'blue',
  sent: 'green',
  printed: 'green',
  failed: 'red',
  uncertain: 'orange',
  skipped: 'gray',
}

export default function ReminderOutboxScreen() {
  const [show, setShow] = useState<List>('letters')
  const q = useChannel('reminders.outbox', { show, limit: 200 })
  const zone = useSettings().data?.settings.timeZone ?? 'UTC'
  const markPrinted = useWrite('reminders.markPrinted')
  const resolve = useWrite('reminders.resolveUncertain')
  const when = (iso: string | null) => (iso ? formatClinicDateTime(iso, zone) : '')

  const download = async (e: OutboxEntry) => {
    try {
      const pdf = await run('reminders.letterPdf', { id: e.id })
      saveFile(base64Bytes(pdf.base64), pdf.fileName, 'application/pdf')
    } catch (err) {
      showApiError(err)
    }
  }
  const printed = async (e: OutboxEntry) => {
    try {
      await markPrinted.mutateAsync({ ids: [e.id] })
      notifications.show({ color: 'green', title: 'Marked printed', message: `The letter to ${e.patientName} is marked printed.` })
    } catch (err) {
      showApiError(err)
    }
  }
  const decide = async (e: OutboxEntry, decision: 'sent' | 'sendAgain') => {
    try {
      await resolve.mutateAsync({ id: e.id, decision })
    } catch (err) {
      showApiError(err)
    }
  }
  const counts = q.data?.counts ?? {}
  return (
    <Stack>
      <Title order={2}>Reminder outbox</Title>
      <Text size="sm" c="dimmed">
        Appointment reminders the app sends by e-mail or prepares as letters (Settings &gt; Reminders). A cancelled or moved appointment&apos;s reminder is skipped; a moved
        one gets a new reminder for its new time.
      </Text>
      <SegmentedControl
        aria-label="Which reminders"
        value={show}
        onChange={(v) => setShow(v as List)}
        data={LISTS.map((l) => ({ value: l.value, label: `${l.label}${l.value !== 'all' && counts[l.value] ? ` (${counts[l.value]})` : ''}` }))}
      />
      {(counts.uncertain ?? 0) > 0 && show !== 'uncertain' ? (
        <Alert color="orange" title="Reminders to check" styles={{ title: { color: 'var(--mantine-color-black)' } }}>
          {`${counts.uncertain} e-mail reminder(s) may or may not have reached the patient (the sending run ended before the server's answer was recorded). Open Uncertain to decide.`}
        </Alert>
      ) : null}
      {q.isPending ? (
        <Loader aria-label="Loading the outbox" />
      ) : q.isError ? (
        <ErrorPanel error={q.error} />
      ) : q.data.entries.length === 0 ? (
        <Text>Nothing here.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Appointment</Table.Th>
              <Table.Th>Reminder</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Details</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.entries.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{e.patientName}</Table.Td>
                <Table.Td>{when(e.appointmentStartsAt)}</Table.Td>
                <Table.Td>{`${e.channel === 'email' ? `E-mail${e.recipient ? ` to ${e.recipient}` : ''}` : 'Letter'}, ${e.offsetDays} day(s) before`}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOURS[e.status]} variant="light">
                    {e.channel === 'letter' && e.status === 'queued' ? 'to print' : e.status}
                  </Badge>
                  {e.status === 'queued' && e.attempts > 0 ? <Text size="xs">{`attempt ${e.attempts + 1} at ${when(e.nextAttemptAt)}`}</Text> : null}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{e.detail || (e.sentAt ? `sent ${when(e.sentAt)}` : e.printedAt ? `printed ${when(e.printedAt)}` : '')}</Text>
                </Table.Td>
                <Table.Td>
                  {e.channel === 'letter' && (e.status === 'queued' || e.status === 'printed') ? (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => void download(e)}>
                        Download PDF
                      </Button>
                      {e.status === 'queued' ? (
                        <Button size="xs" onClick={() => void printed(e)}>
                          Mark printed
                        </Button>
                      ) : null}
                    </Group>
                  ) : null}
                  {e.status === 'uncertain' ? (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => void decide(e, 'sent')}>
                        It arrived
                      </Button>
                      <Button size="xs" onClick={() => void decide(e, 'sendAgain')}>
                        Send again
                      </Button>
                    </Group>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  )
}
