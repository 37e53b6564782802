/**
 * Tomorrow's confirmations (issue 21 point 2): the next clinic day's appointments not yet confirmed, for the front
 * desk to call. Each row says how the patient wants to be contacted, the phone, and what they must do beforehand
 * (fasting, a driver, blood thinners as recorded); each call is logged with its outcome (who and when are the
 * signed-in user and the server's clock); Confirm and Cancel change the appointment through the schedule's own
 * status change. The day is in the address (`#/confirmations?date=2026-12-02`); without one, the next clinic day.
 */
import { Alert, Anchor, Button, Checkbox, Group, List, Loader, Modal, Radio, Stack, Table, Text, Textarea, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { isValidIsoDate } from '../../../shared/dates'
import { CALL_OUTCOMES, CALL_OUTCOME_LABELS, type CallOutcome, type ConfirmationRow } from '../../../shared/schemas/confirmations'
import { CONTACT_PREFERENCE_LABELS } from '../../../shared/schemas/patients'
import { useClinicClock } from '../../clinicClock'
import { DateField } from '../../components/DateField'
import { useCan, useChannel, useWrite } from '../../data'
import { formatDate } from '../../format'
import { showApiError } from '../../forms'
import { useHashQuery } from '../../worklistPlace'
// issue 21 point 4: the slot a cancellation frees is offered to the ASAP list
import { FreedSlotOffer, freedSlotOf } from '../../components/FreedSlotOffer'
import type { FreedSlot } from '../../../shared/schemas/asap'

const CONSENT_WORDS = { given: 'reminders: consent given', declined: 'reminders: opted out' } as const

export default function ConfirmationsScreen() {
  const [params, setParams] = useHashQuery()
  const asked = params.get('date') ?? ''
  const date = isValidIsoDate(asked) ? asked : undefined
  const list = useChannel('confirmations.list', date ? { date } : {})
  const can = { call: useCan('confirmations.logAttempt'), status: useCan('schedule.appointments.setStatus') }
  const [typed, setTyped] = useState<string | null>(null)
  const [calling, setCalling] = useState<ConfirmationRow | null>(null)
  const [cancelling, setCancelling] = useState<ConfirmationRow | null>(null)
  const [freed, setFreed] = useState<FreedSlot | null>(null)
  const rows = list.data?.rows ?? []
  const shownDate = list.data?.date ?? date ?? ''

  return (
    <Stack>
      <Title order={2}>Confirmations</Title>
      <Text size="sm" c="gray.8">
        The appointments of the next clinic day not yet confirmed (days the clinic is closed are skipped). Call each patient, log the call, and confirm or cancel. A patient left a message stays on the list with the call shown.
      </Text>
      <Group align="flex-end">
        <DateField
          label="Clinic day"
          description="Another day to work; empty for the next clinic day"
          value={typed ?? shownDate}
          onChange={(v) => {
            setTyped(v)
            if (v === '' || isValidIsoDate(v)) setParams({ date: v === '' ? null : v })
          }}
        />
        {date && list.data && date !== list.data.nextClinicDay && (
          <Button
            variant="default"
            onClick={() => {
              setTyped(null)
              setParams({ date: null })
            }}
          >
            Next clinic day ({formatDate(list.data.nextClinicDay)})
          </Button>
        )}
      </Group>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      <Group gap="xs" mih={26}>
        {list.isSuccess && (
          <Text fw={600} aria-live="polite" data-testid="confirmations-summary">
            {rows.length} {rows.length === 1 ? 'appointment' : 'appointments'} to confirm on {formatDate(list.data.date)}
            {list.data.closed ? ` · ${list.data.closed}` : ''}
          </Text>
        )}
        {list.isFetching && <Loader size="xs" aria-label="Loading" />}
      </Group>
      <Table striped aria-label="Appointments to confirm" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Contact</Table.Th>
            <Table.Th>Appointment</Table.Th>
            <Table.Th>Prepare</Table.Th>
            <Table.Th>Calls</Table.Th>
            {(can.call || can.status) && <Table.Th>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Row key={r.appointmentId} row={r} can={can} onCall={() => setCalling(r)} onCancel={() => setCancelling(r)} />
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && rows.length === 0 && <Text>Nothing to confirm on this day.</Text>}
      <Modal opened={calling !== null} onClose={() => setCalling(null)} title={calling ? `Log a call: ${calling.patientName}` : ''}>
        {calling && <CallForm row={calling} canConfirm={can.status} onDone={() => setCalling(null)} />}
      </Modal>
      <Modal opened={cancelling !== null} onClose={() => setCancelling(null)} title={cancelling ? `Cancel the appointment of ${cancelling.patientName}?` : ''}>
        {cancelling && <CancelForm row={cancelling} onDone={() => setCancelling(null)} onCancelled={setFreed} />}
      </Modal>
      <FreedSlotOffer slot={freed} onClose={() => setFreed(null)} />
    </Stack>
  )
}

function Row({ row: r, can, onCall, onCancel }: { row: ConfirmationRow; can: { call: boolean; status: boolean }; onCall: () => void; onCancel: () => void }) {
  const clock = useClinicClock()
  const setStatus = useWrite('schedule.appointments.setStatus')
  const confirm = async () => {
    try {
      await setStatus.mutateAsync({ id: r.appointmentId, version: r.version, status: 'confirmed', reason: '' })
      notifications.show({ color: 'green', title: 'Confirmed', message: `${r.patientName} · ${clock.time(r.startsAt)}` })
    } catch (err) {
      showApiError(err)
    }
  }
  return (
    <Table.Tr data-testid={`confirm-row-${r.appointmentId}`}>
      <Table.Td>{clock.time(r.startsAt)}</Table.Td>
      <Table.Td>
        <Anchor href={`#/patients/${r.patientId}`}>{r.patientName}</Anchor>
        <Text size="xs" c="gray.8">
          {r.mrn}
        </Text>
      </Table.Td>
      {/* a number read out on the call: kept on one line */}
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.phone || 'No phone number'}</Table.Td>
      <Table.Td>
        <Text size="sm">Prefers {CONTACT_PREFERENCE_LABELS[r.contactPreference].toLowerCase()}{r.contactPreference === 'email' && r.email ? ` (${r.email})` : ''}</Text>
        <Text size="xs" c="gray.8">
          {r.reminderConsent ? CONSENT_WORDS[r.reminderConsent] : 'reminders not asked yet'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{r.typeName}</Text>
        <Text size="xs" c="gray.8">
          {r.providerName}
        </Text>
      </Table.Td>
      <Table.Td>
        {r.preparation.length === 0 ? (
          <Text size="sm">Nothing special</Text>
        ) : (
          <List size="sm" spacing={2}>
            {r.preparation.map((p, i) => (
              <List.Item key={i}>{p.text}</List.Item>
            ))}
          </List>
        )}
      </Table.Td>
      <Table.Td>
        {r.attempts.length === 0 ? (
          <Text size="sm">Not called yet</Text>
        ) : (
          <List size="sm" spacing={2} aria-label={`Calls to ${r.patientName}`}>
            {r.attempts.map((a) => (
              <List.Item key={a.id}>
                {CALL_OUTCOME_LABELS[a.outcome]} · {clock.dateTime(a.at)} · {a.byName}
                {a.note ? ` · ${a.note}` : ''}
              </List.Item>
            ))}
          </List>
        )}
      </Table.Td>
      {(can.call || can.status) && (
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            {can.call && (
              <Button size="xs" aria-label={`Log a call to ${r.patientName}`} onClick={onCall}>
                Log call…
              </Button>
            )}
            {can.status && (
              <Button size="xs" variant="default" aria-label={`Confirm ${r.patientName}`} loading={setStatus.isPending} onClick={() => void confirm()}>
                Confirm
              </Button>
            )}
            {can.status && (
              <Button size="xs" variant="default" color="red" aria-label={`Cancel the appointment of ${r.patientName}`} onClick={onCancel}>
                Cancel…
              </Button>
            )}
          </Group>
        </Table.Td>
      )}
    </Table.Tr>
  )
}

/** The call's outcome and a note; a reached patient can be confirmed in the same step. */
function CallForm({ row, canConfirm, onDone }: { row: ConfirmationRow; canConfirm: boolean; onDone: () => void }) {
  const log = useWrite('confirmations.logAttempt')
  const [outcome, setOutcome] = useState<CallOutcome | ''>('')
  const [note, setNote] = useState('')
  const [confirm, setConfirm] = useState(true)
  const [error, setError] = useState('')
  const save = async () => {
    if (outcome === '') {
      setError('Choose how the call went')
      return
    }
    try {
      const withConfirm = canConfirm && outcome === 'reached' && confirm
      await log.mutateAsync({ appointmentId: row.appointmentId, version: row.version, outcome, note, confirm: withConfirm })
      notifications.show({ color: 'green', title: withConfirm ? 'Call logged and confirmed' : 'Call logged', message: `${row.patientName}: ${CALL_OUTCOME_LABELS[outcome]}` })
      onDone()
    } catch (err) {
      showApiError(err)
    }
  }
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <Stack>
        <Text size="sm">Phone: {row.phone || 'no phone number recorded'}</Text>
        <Radio.Group label="How did the call go?" required value={outcome} onChange={(v) => { setOutcome(v as CallOutcome); setError('') }} error={error || undefined}>
          <Stack gap={6} mt={6}>
            {CALL_OUTCOMES.map((o) => (
              <Radio key={o} value={o} label={CALL_OUTCOME_LABELS[o]} data-autofocus={o === 'reached' || undefined} />
            ))}
          </Stack>
        </Radio.Group>
        {canConfirm && outcome === 'reached' && (
          <Checkbox label="The patient confirmed the appointment" description="Marks it confirmed in the same step; untick if they were reached but did not confirm" checked={confirm} onChange={(e) => setConfirm(e.currentTarget.checked)} />
        )}
        <Textarea label="Note" description="Optional: what was said, a better time to call" autosize minRows={2} maxLength={500} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Back
          </Button>
          <Button type="submit" loading={log.isPending}>
            Log the call
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** Cancelling needs its reason, as on the schedule (the same status change and its audit row). */
function CancelForm({ row, onDone, onCancelled }: { row: ConfirmationRow; onDone: () => void; onCancelled?: (freed: FreedSlot) => void }) {
  const clock = useClinicClock()
  const setStatus = useWrite('schedule.appointments.setStatus')
  const [reason, setReason] = useState('')
  const [error, setError] = useState('')
  const save = async () => {
    if (reason.trim() === '') {
      setError('Reason is required to cancel')
      return
    }
    try {
      const cancelled = await setStatus.mutateAsync({ id: row.appointmentId, version: row.version, status: 'cancelled', reason })
      notifications.show({ color: 'green', title: 'Cancelled', message: `${row.patientName} · ${clock.time(row.startsAt)}` })
      onCancelled?.(freedSlotOf(cancelled))
      onDone()
    } catch (err) {
      showApiError(err)
    }
  }
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <Stack>
        <Text size="sm">
          {row.typeName} with {row.providerName} at {clock.time(row.startsAt)}. The slot is freed on the schedule.
        </Text>
        <Textarea label="Reason" required data-autofocus autosize minRows={2} maxLength={300} value={reason} error={error || undefined} onChange={(e) => { setReason(e.currentTarget.value); setError('') }} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Keep the appointment
          </Button>
          <Button type="submit" color="red" loading={setStatus.isPending}>
            Cancel the appointment
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
