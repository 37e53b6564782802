/**
 * "This slot is free: 2 patients on the ASAP list fit" (issue 21 point 4). Shown by any place that cancels an
 * appointment or moves one away (the schedule's appointment dialog and drag-move; the confirmations list can show
 * it the same way): the patients who fit the freed slot, best first (shared/scheduling/asap.ts), each with
 * **Book**, which books them (or moves their linked appointment) into the slot and takes them off the list in one
 * step. Nothing is shown when nobody fits. Lives in components/ so that every screen that frees a slot can use it.
 *
 * Usage: keep the slot the appointment held before the change (`freedSlotOf(appointment)`), and after the cancel or
 * move succeeded render `<FreedSlotOffer slot={slot} onClose={() => setSlot(null)} />`.
 */
import { Alert, Button, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { describeWindow } from '../../shared/scheduling/asap'
import { WEEKDAY_SHORT, type AsapFit, type FreedSlot } from '../../shared/schemas/asap'
import { zonedParts } from '../../shared/scheduling/time'
import { ApiError } from '../api'
import { useCan, useChannel, useWrite } from '../data'
import { showApiError } from '../forms'
import { formatDate, formatInstant } from '../format'

/** The slot an appointment holds now: take it before cancelling or moving it. */
export function freedSlotOf(a: { id: number; typeId: number; providerId: number; roomId: number; startsAt: string; endsAt: string }): FreedSlot {
  return { typeId: a.typeId, providerId: a.providerId, roomId: a.roomId, startsAt: a.startsAt, endsAt: a.endsAt, freedAppointmentId: a.id }
}

export function FreedSlotOffer({ slot, onClose, onBooked }: { slot: FreedSlot | null; onClose: () => void; onBooked?: (appointmentId: number) => void }) {
  // Offered to whoever may book (the front desk); a physician who cancels their own appointment is not asked.
  const canBook = useCan('schedule.asap.book')
  const fits = useChannel('schedule.asap.fitsSlot', slot ?? { typeId: 1, providerId: 1, roomId: 1, startsAt: '1970-01-01T00:00:00.000Z', endsAt: '1970-01-01T00:01:00.000Z' }, { enabled: slot !== null && canBook })
  const setup = useChannel('schedule.setup.get', {}, { enabled: slot !== null && canBook })
  const list = fits.data?.fits ?? []
  const opened = slot !== null && canBook && fits.isSuccess && list.length > 0
  if (!slot || !fits.data || !setup.data) return null
  const tz = fits.data.timeZone
  const type = setup.data.types.find((t) => t.id === slot.typeId)?.name ?? 'Appointment'
  const provider = setup.data.providers.find((p) => p.id === slot.providerId)?.displayName ?? ''
  const start = zonedParts(slot.startsAt, tz)
  const end = zonedParts(slot.endsAt, tz)
  const n = list.length
  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={`This slot is free: ${n} ${n === 1 ? 'patient' : 'patients'} on the ASAP list ${n === 1 ? 'fits' : 'fit'}`}>
      <Stack gap="sm">
        <Text data-testid="freed-slot">
          {type} · {WEEKDAY_SHORT[start.weekday - 1]} {formatDate(start.date)}, {start.time}–{end.time} · {provider}
        </Text>
        <Text size="sm" c="gray.8">
          Best first: longest on the list, then the one whose current appointment is furthest away. Book one after calling them.
        </Text>
        <Table aria-label="Patients on the ASAP list who fit this slot" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>Can come</Table.Th>
              <Table.Th>On the list since</Table.Th>
              <Table.Th>Current appointment</Table.Th>
              <Table.Th>
                <VisuallyHidden>Book</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((f, i) => (
              <FitRow key={f.entry.id} fit={f} first={i === 0} slot={slot} timeZone={tz} onBooked={(id) => { onBooked?.(id); onClose() }} />
            ))}
          </Table.Tbody>
        </Table>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Leave the slot free
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}

function FitRow({ fit, first, slot, timeZone, onBooked }: { fit: AsapFit; first: boolean; slot: FreedSlot; timeZone: string; onBooked: (appointmentId: number) => void }) {
  const e = fit.entry
  const book = useWrite('schedule.asap.book')
  const [refusal, setRefusal] = useState('')
  async function doBook() {
    setRefusal('')
    try {
      const r = await book.mutateAsync({ entryId: e.id, version: e.version, startsAt: slot.startsAt, providerId: slot.providerId, roomId: slot.roomId })
      notifications.show({
        color: 'green',
        title: r.action === 'move' ? 'Appointment moved earlier' : 'Booked from the ASAP list',
        message: `${e.patientName} · ${r.appointment.typeName} · ${formatInstant(r.appointment.startsAt, timeZone)} · ${r.appointment.providerName}`,
      })
      onBooked(r.appointment.id)
    } catch (err) {
      if (err instanceof ApiError) setRefusal(err.message)
      showApiError(err)
    }
  }
  return (
    <>
      <Table.Tr>
        <Table.Td>
          <Text fw={600}>{e.patientName}</Text>
          <Text size="xs">{e.patientMrn}</Text>
        </Table.Td>
        <Table.Td>{e.patientPhone || '—'}</Table.Td>
        <Table.Td>
          {e.windows.map((w, i) => (
            <Text key={i} size="sm">
              {describeWindow(w, WEEKDAY_SHORT)}
            </Text>
          ))}
          {e.providerId !== null && <Text size="xs">Only {e.providerName}</Text>}
        </Table.Td>
        <Table.Td>{formatInstant(e.addedAt, timeZone)}</Table.Td>
        <Table.Td>{e.appointmentStartsAt && fit.action === 'move' ? `${formatInstant(e.appointmentStartsAt, timeZone)} (moves here)` : 'None (a new booking)'}</Table.Td>
        <Table.Td>
          <Button size="xs" data-autofocus={first || undefined} loading={book.isPending} onClick={() => void doBook()} aria-label={`${fit.action === 'move' ? 'Move' : 'Book'} ${e.patientName} into this slot`}>
            {fit.action === 'move' ? 'Move here' : 'Book'}
          </Button>
        </Table.Td>
      </Table.Tr>
      {refusal && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            <Alert color="red" title="Not booked" role="alert">
              {refusal}
            </Alert>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  )
}
