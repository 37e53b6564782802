/**
 * The follow-up visits due after procedures (about 2 weeks, 6 weeks, 3 months: the clinic's setting), for the
 * front desk to call and book. Who and when only: nothing clinical is shown. Physicians record the visit here.
 *
 * A worklist (issue 23 point 4): filtered by physician, visit and how late, in the main process; the filters are
 * in the address (`#/follow-ups?within=28&physician=3&visit=6%20weeks&band=overdue`) so Back and the return from
 * the booking form find them; a follow-up nobody will book is closed with a reason and leaves the list; visits
 * missed longer ago than the clinic's setting are not listed, and the screen says how many and why.
 */
import { Alert, Anchor, Badge, Button, Group, Loader, Modal, NativeSelect, Radio, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useMemo, useState } from 'react'
import { CloseFollowUp, DUE_BANDS, DUE_BAND_LABELS, FOLLOW_UP_CLOSE_REASONS, FOLLOW_UP_CLOSE_REASON_LABELS, type DueBand, type DueFollowUp, type FollowUpCloseReason } from '../../../shared/schemas/outcomes'
import { useChannel, useCan, useWrite } from '../../data'
import { showApiError, validateWith } from '../../forms'
import { useSettings } from '../../hooks'
import { formatDate } from '../../format'
import { navigate } from '../../routing'
import { bookingPath, recordVisitPath } from '../../paths'
import { leaveWorklist, useHashQuery, useRestoreWorklistPlace } from '../../worklistPlace'

const HORIZONS = [
  { value: '0', label: 'Overdue and today' },
  { value: '7', label: 'The next week' },
  { value: '14', label: 'The next 2 weeks' },
  { value: '28', label: 'The next 4 weeks' },
  { value: '90', label: 'The next 3 months' },
]
const ALL = ''
const isBand = (b: string | null): b is DueBand => (DUE_BANDS as readonly string[]).includes(b ?? '')

export default function FollowUpsDueScreen() {
  const [params, setParams] = useHashQuery()
  // the filters, as the address has them (anything it does not know reads as "all")
  const within = HORIZONS.some((h) => h.value === params.get('within')) ? params.get('within')! : '14'
  const physician = /^\d+$/.test(params.get('physician') ?? '') ? params.get('physician')! : ALL
  const visit = params.get('visit')?.trim() ?? ALL
  const band = isBand(params.get('band')) ? (params.get('band') as DueBand) : null
  const can = { book: useCan('schedule.appointments.book'), record: useCan('followUpVisits.record'), close: useCan('followUps.close') }
  const list = useChannel('followUps.worklist', {
    daysAhead: Number(within),
    ...(physician ? { physicianId: Number(physician) } : {}),
    ...(visit ? { label: visit } : {}),
    ...(band ? { band } : {}),
  })
  const settings = useSettings()
  const setup = useChannel('schedule.setup.get', {})
  const rows = useMemo(() => list.data?.rows ?? [], [list.data])
  // every interval of the setting, the labels on the list, and the one asked for (a visit the setting no longer has)
  const labels = useMemo(() => [...new Set([...(settings.data?.settings.followUpIntervals.map((i) => i.label) ?? []), ...rows.map((r) => r.label), ...(visit ? [visit] : [])])], [settings.data, rows, visit])
  const physicians = (setup.data?.providers ?? []).map((p) => ({ value: String(p.id), label: p.active ? p.displayName : `${p.displayName} (no longer active)` }))
  const overdue = rows.filter((r) => r.overdue).length
  const hidden = list.data?.hidden
  const [closing, setClosing] = useState<DueFollowUp | null>(null)
  useRestoreWorklistPlace(list.isSuccess)

  return (
    <Stack>
      <Title order={2}>Follow-ups due</Title>
      <Text size="sm" c="gray.8">
        The visits after each procedure, at the intervals the clinic set. Call the patient and book the post-procedure follow-up with the physician who treated them, or close a visit that will not happen with its reason.
      </Text>
      <Group align="flex-end">
        <NativeSelect label="Due within" data={HORIZONS} value={within} onChange={(e) => setParams({ within: e.currentTarget.value === '14' ? null : e.currentTarget.value })} />
        <NativeSelect label="Physician" data={[{ value: ALL, label: 'All physicians' }, ...physicians]} value={physician} onChange={(e) => setParams({ physician: e.currentTarget.value })} />
        <NativeSelect
          label="How late"
          data={[{ value: ALL, label: 'Due and overdue' }, ...DUE_BANDS.map((b) => ({ value: b, label: DUE_BAND_LABELS[b] }))]}
          value={band ?? ALL}
          onChange={(e) => setParams({ band: e.currentTarget.value })}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="window-label">
            Visit
          </Text>
          <SegmentedControl aria-labelledby="window-label" value={visit} onChange={(v) => setParams({ visit: v })} data={[{ value: ALL, label: 'All visits' }, ...labels.map((l) => ({ value: l, label: l }))]} />
        </Stack>
      </Group>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {/* one line whose height does not change while the list refreshes, so a place scrolled to stays put */}
      <Group gap="xs" mih={26}>
        {list.isSuccess && (
          <Text fw={600} aria-live="polite" data-testid="due-summary">
            {rows.length} {rows.length === 1 ? 'visit' : 'visits'} listed · {overdue} overdue
          </Text>
        )}
        {list.isFetching && <Loader size="xs" aria-label="Loading" />}
      </Group>
      {hidden && hidden.count > 0 && (
        <Text size="sm" data-testid="due-hidden">
          {hidden.count} {hidden.count === 1 ? 'follow-up overdue by more than' : 'follow-ups overdue by more than'} {hidden.overdueDays} days {hidden.count === 1 ? 'is' : 'are'} not listed: the clinic's
          setting (Settings, Follow-ups) leaves out visits missed that long ago. They are not deleted.
        </Text>
      )}
      <Table striped aria-label="Follow-ups due">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Due</Table.Th>
            <Table.Th>Visit</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Phone</Table.Th>
            <Table.Th>Physician</Table.Th>
            <Table.Th>Booking</Table.Th>
            {can.record && <Table.Th>Visit record</Table.Th>}
            {can.close && <Table.Th>Not coming</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <DueRow key={r.id} row={r} can={can} onClose={() => setClosing(r)} />
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && rows.length === 0 && <Text>No follow-up visit is due in this window{physician || visit || band ? ' with these filters' : ''}.</Text>}
      <Modal opened={closing !== null} onClose={() => setClosing(null)} title="Close this follow-up?">
        {closing && <CloseForm row={closing} onDone={() => setClosing(null)} />}
      </Modal>
    </Stack>
  )
}

function DueRow({ row: r, can, onClose }: { row: DueFollowUp; can: { book: boolean; record: boolean; close: boolean }; onClose: () => void }) {
  return (
    <Table.Tr data-overdue={r.overdue || undefined}>
      <Table.Td>
        {formatDate(r.targetDate)}{' '}
        {r.overdue && (
          <Badge color="red.9" size="sm">
            Overdue {r.daysOverdue} {r.daysOverdue === 1 ? 'day' : 'days'}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>{r.label}</Table.Td>
      <Table.Td>
        <Anchor href={`#/patients/${r.patientId}`}>{r.patientName}</Anchor>
      </Table.Td>
      <Table.Td>{r.mrn}</Table.Td>
      <Table.Td>{r.phone || '—'}</Table.Td>
      <Table.Td>{r.providerName}</Table.Td>
      <Table.Td>
        {r.status === 'booked' ? (
          `Booked${r.appointmentId ? ` (appointment ${r.appointmentId})` : ''}`
        ) : can.book ? (
          <Button
            size="xs"
            aria-label={`Book ${r.label} follow-up for ${r.patientName}`}
            onClick={() =>
              navigate(
                bookingPath({
                  patientId: r.patientId,
                  patientName: `${r.patientName} · ${r.mrn}`,
                  typeCode: 'post-procedure',
                  providerId: r.providerId,
                  ...(r.overdue ? {} : { date: r.targetDate }),
                  link: { kind: 'followUp', id: r.id, version: r.version },
                  // the booking form comes back here, to these filters and this place in the list
                  back: leaveWorklist(),
                }),
              )
            }
          >
            Book
          </Button>
        ) : (
          'Not booked yet'
        )}
      </Table.Td>
      {can.record && (
        <Table.Td>
          <Button size="xs" variant="default" aria-label={`Record ${r.label} visit of ${r.patientName}`} onClick={() => navigate(recordVisitPath(r.id, r.patientId))}>
            Record visit
          </Button>
        </Table.Td>
      )}
      {can.close && (
        <Table.Td>
          <Button size="xs" variant="default" aria-label={`Close ${r.label} follow-up of ${r.patientName}`} onClick={onClose}>
            Close…
          </Button>
        </Table.Td>
      )}
    </Table.Tr>
  )
}

const validateClose = validateWith(CloseFollowUp)

/** The reason, from the fixed list; "Other reason" needs words. Checked here and in the main process by one schema. */
function CloseForm({ row, onDone }: { row: DueFollowUp; onDone: () => void }) {
  const close = useWrite('followUps.close')
  const form = useForm<{ id: number; version: number; reason: FollowUpCloseReason | ''; otherReason: string }>({
    initialValues: { id: row.id, version: row.version, reason: '', otherReason: '' },
    validate: validateClose,
  })
  const other = form.values.reason === 'other'
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          const closed = await close.mutateAsync({ ...values, reason: values.reason as FollowUpCloseReason })
          notifications.show({ color: 'green', title: 'Follow-up closed', message: `${row.patientName} · ${row.label} · ${closed.reasonText}` })
          onDone()
        } catch (err) {
          showApiError(err, form)
        }
      })}
    >
      <Stack>
        <Text size="sm">
          The {row.label} follow-up of {row.patientName} (due {formatDate(row.targetDate)}) leaves the list. It stays in the record, closed, with your name, the time and the reason.
        </Text>
        <Radio.Group label="Reason" required {...form.getInputProps('reason')}>
          <Stack gap={6} mt={4}>
            {FOLLOW_UP_CLOSE_REASONS.map((r) => (
              <Radio key={r} value={r} label={FOLLOW_UP_CLOSE_REASON_LABELS[r]} data-autofocus={r === 'declined' || undefined} />
            ))}
          </Stack>
        </Radio.Group>
        <Textarea
          label={other ? 'Other reason' : 'Detail (optional)'}
          description={other ? 'Why the visit will not happen' : 'Anything the next person should know, e.g. where the patient is seen now'}
          required={other}
          autosize
          minRows={2}
          maxLength={500}
          {...form.getInputProps('otherReason')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={close.isPending}>
            Close follow-up
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
