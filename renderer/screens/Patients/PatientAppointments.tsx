/**
 * The patient page's appointments (issue 23 point 5): what the front desk needs while the patient is on the
 * phone. Upcoming ones with Reschedule and Cancel, past ones with what became of them (completed, no-show,
 * cancelled and why), and Book. The dialogs are the schedule's own (booking with this patient picked, the
 * appointment with its move and cancel), so a booking made here follows the same rules and reads the same.
 * Every date and time is the clinic's (renderer/clinicClock), whatever zone this computer is in.
 *
 * The dialogs live in the Schedule screen's folder and are imported from there: they are that screen's, and
 * moving them to components/ would touch files other work was changing at the time.
 */
import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { STATUS_LABELS, type AppointmentView } from '../../../shared/schemas/scheduling'
import type { Patient } from '../../../shared/schemas/patients'
import { useClinicClock, type ClinicClock } from '../../clinicClock'
import { useCan, useChannel } from '../../data'
import { ErrorPanel } from '../../components/ErrorPanel'
import { AppointmentModal, type AppointmentIntent } from '../Schedule/AppointmentModal'
import { BookingModal } from '../Schedule/BookingModal'
import { STATUS_COLOURS, useScheduleSetup, type BookingPrefill } from '../Schedule/scheduleUi'

/** Past appointments shown at first; "Show older" asks for the most the channel gives. */
const PAST_FIRST = 10
const PAST_MOST = 200

const dayFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' })

const dayOf = (instant: string, clock: ClinicClock) => dayFormat.format(new Date(`${clock.dateOf(instant)}T12:00:00Z`))

/** "Tue, Dec 1, 2026 · 10:00–10:20", on the clinic's clock. */
export function appointmentWhen(a: Pick<AppointmentView, 'startsAt' | 'endsAt'>, clock: ClinicClock): string {
  return `${dayOf(a.startsAt, clock)} · ${clock.time(a.startsAt)}–${clock.time(a.endsAt)}`
}

/** What became of an appointment, in words: "Patient unwell · by Desk, Wed, Nov 25, 2026 11:00" under Cancelled. */
function statusDetail(a: AppointmentView, clock: ClinicClock, past: boolean): string {
  // the same day and 24-hour time as the When column ("Wed, Dec 9, 2026 16:02")
  const by = (who: string | null, at: string | null) => [who ? `by ${who}` : '', at ? `${dayOf(at, clock)} ${clock.time(at)}` : ''].filter(Boolean).join(', ')
  if (a.status === 'cancelled') return [a.cancelReason, by(a.cancelledBy, a.cancelledAt)].filter(Boolean).join(' · ')
  if (a.status === 'noshow') return by(a.noshowBy, a.noshowAt)
  if (a.status === 'completed') return a.arrivedAt ? `checked in ${clock.time(a.arrivedAt)}` : ''
  // over, and nobody recorded whether the patient came: the desk can still record it from Details
  if (past && (a.status === 'booked' || a.status === 'confirmed')) return 'Not checked in; no outcome recorded'
  return ''
}

export function PatientAppointments({ patient }: { patient: Patient }) {
  const canRead = useCan('schedule.appointments.forPatient')
  return canRead ? <Appointments patient={patient} /> : null
}

function Appointments({ patient }: { patient: Patient }) {
  const clock = useClinicClock()
  const [pastLimit, setPastLimit] = useState(PAST_FIRST)
  const list = useChannel('schedule.appointments.forPatient', { patientId: patient.id, pastLimit }, { placeholderData: (previous) => previous })
  const setup = useScheduleSetup()
  const canBook = useCan('schedule.appointments.book')
  const canMove = useCan('schedule.appointments.move')
  const [booking, setBooking] = useState<BookingPrefill | null>(null)
  const [openId, setOpenId] = useState<number | null>(null)
  const [intent, setIntent] = useState<AppointmentIntent | undefined>(undefined)
  const name = `${patient.lastName}, ${patient.firstName}`

  const open = (a: AppointmentView, why?: AppointmentIntent) => {
    setIntent(why)
    setOpenId(a.id)
  }
  const active = (a: AppointmentView) => a.status === 'booked' || a.status === 'confirmed'

  return (
    <Stack gap="sm" component="section" aria-labelledby="patient-appointments">
      <Group justify="space-between" align="flex-end">
        <Title order={3} id="patient-appointments">
          Appointments
        </Title>
        {canBook && setup.data && (
          <Button onClick={() => setBooking({ patientId: patient.id, patientName: `${name} · ${patient.mrn}` })}>Book appointment</Button>
        )}
      </Group>
      {list.isPending ? (
        <Loader aria-label="Loading appointments" />
      ) : list.isError ? (
        <ErrorPanel error={list.error} />
      ) : (
        <>
          <Title order={4}>Upcoming</Title>
          {list.data.upcoming.length === 0 ? (
            <Text size="sm">No upcoming appointments.</Text>
          ) : (
            <AppointmentTable
              label="Upcoming appointments"
              rows={list.data.upcoming}
              clock={clock}
              actions={(a) =>
                canMove && active(a) ? (
                  <Group gap={6} wrap="nowrap">
                    <Button size="xs" variant="default" aria-label={`Reschedule ${a.typeName} of ${appointmentWhen(a, clock)}`} onClick={() => open(a, 'reschedule')}>
                      Reschedule
                    </Button>
                    <Button size="xs" variant="outline" color="red.9" aria-label={`Cancel ${a.typeName} of ${appointmentWhen(a, clock)}`} onClick={() => open(a, 'cancel')}>
                      Cancel
                    </Button>
                  </Group>
                ) : (
                  <Details a={a} clock={clock} onOpen={open} />
                )
              }
            />
          )}
          <Title order={4}>Past</Title>
          {list.data.past.length === 0 ? (
            <Text size="sm">No past appointments.</Text>
          ) : (
            <AppointmentTable label="Past appointments" rows={list.data.past} clock={clock} past actions={(a) => <Details a={a} clock={clock} onOpen={open} />} />
          )}
          {list.data.morePast && pastLimit < PAST_MOST && (
            <Group>
              <Anchor component="button" type="button" size="sm" onClick={() => setPastLimit(PAST_MOST)}>
                Show older appointments
              </Anchor>
            </Group>
          )}
          {list.data.morePast && pastLimit >= PAST_MOST && <Text size="sm">Older appointments are on the schedule.</Text>}
        </>
      )}
      {setup.isError && (
        <Alert color="red" title="The schedule's setup could not be read">
          {setup.error.message}
        </Alert>
      )}
      {setup.data && (
        <>
          <BookingModal setup={setup.data} prefill={booking} onClose={() => setBooking(null)} onBooked={() => setBooking(null)} />
          <AppointmentModal setup={setup.data} appointmentId={openId} intent={intent} onClose={() => setOpenId(null)} />
        </>
      )}
    </Stack>
  )
}

function Details({ a, clock, onOpen }: { a: AppointmentView; clock: ClinicClock; onOpen: (a: AppointmentView) => void }) {
  return (
    <Button size="xs" variant="subtle" aria-label={`Details of ${a.typeName} of ${appointmentWhen(a, clock)}`} onClick={() => onOpen(a)}>
      Details
    </Button>
  )
}

function AppointmentTable({
  label,
  rows,
  clock,
  past = false,
  actions,
}: {
  label: string
  rows: AppointmentView[]
  clock: ClinicClock
  past?: boolean
  actions: (a: AppointmentView) => ReactNode
}) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={label} verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>With</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((a) => {
            const detail = statusDetail(a, clock, past)
            return (
              <Table.Tr key={a.id} data-testid={`appointment-${a.id}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{appointmentWhen(a, clock)}</Table.Td>
                <Table.Td>{a.typeName}</Table.Td>
                <Table.Td>
                  {a.providerName}
                  <Text span size="xs" c="gray.8" display="block">
                    {a.roomName}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOURS[a.status]}>{STATUS_LABELS[a.status]}</Badge>
                  {detail && (
                    <Text size="xs" c="gray.8" mt={2}>
                      {detail}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{actions(a)}</Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
