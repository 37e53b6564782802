/** A provider's day list, laid out for paper: the Print button prints only the list. */
import { Alert, Anchor, Button, Group, Loader, NativeSelect, Stack, Table, Text, Title } from '@mantine/core'
import { STATUS_LABELS } from '../../../shared/schemas/scheduling'
import { run, useChannel } from '../../data'
import { useClinicClock } from '../../clinicClock'
import { showApiError } from '../../forms'
import { navigate, useRoute } from '../../routing'
import { localTime, longDate, useScheduleSetup } from './scheduleUi'
import { isValidIsoDate } from '../../../shared/dates'
import { DateField } from '../../components/DateField'

export default function DayListScreen() {
  const clock = useClinicClock()
  const setup = useScheduleSetup()
  const route = useRoute()
  const params = new URLSearchParams(route.split('?')[1] ?? '')
  const timeZone = clock.zone
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : clock.today()
  const providers = (setup.data?.providers ?? []).filter((p) => p.active)
  const providerId = params.get('provider') ?? String(providers[0]?.id ?? '')
  const provider = providers.find((p) => String(p.id) === providerId)
  const set = (k: string, v: string) => {
    const q = new URLSearchParams(params)
    q.set(k, v)
    if (!q.get('provider') && providerId) q.set('provider', providerId)
    navigate(`/day-list?${q.toString()}`)
  }
  const list = useChannel('schedule.view', { from: date, days: 1, providerIds: [Number(providerId)] }, { enabled: providerId !== '' })
  const rows = (list.data?.appointments ?? []).filter((a) => String(a.providerId) === providerId)

  // Patient names leave the app on paper: the print is audited before the dialog opens, and a refused
  // audit (signed out, offline bridge) means no print.
  const print = async () => {
    try {
      await run('schedule.dayList.printed', { providerId: Number(providerId), date })
      window.print()
    } catch (e) {
      showApiError(e)
    }
  }

  if (setup.isPending) return <Loader aria-label="Loading" />
  return (
    <Stack className="day-list">
      <Group className="no-print" align="flex-end">
        <NativeSelect label="Provider" value={providerId} data={providers.map((p) => ({ value: String(p.id), label: p.displayName }))} onChange={(e) => set('provider', e.currentTarget.value)} />
        <DateField label="Date" value={date} onChange={(v) => isValidIsoDate(v) && set('date', v)} />
        <Button onClick={() => void print()} disabled={!provider}>
          Print
        </Button>
        <Anchor href={`#/schedule?date=${date}`} mb={6}>
          Back to the schedule
        </Anchor>
      </Group>
      <Title order={2}>
        Day list · {provider?.displayName ?? 'no provider'} · {longDate(date)}
      </Title>
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      <Table aria-label="Day list" withTableBorder withColumnBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Time</Table.Th>
            <Table.Th>Patient</Table.Th>
            <Table.Th>MRN</Table.Th>
            <Table.Th>Type</Table.Th>
            <Table.Th>Room</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Notes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                {localTime(a.startsAt, timeZone)}–{localTime(a.endsAt, timeZone)}
              </Table.Td>
              <Table.Td>{a.patientName}</Table.Td>
              <Table.Td>{a.patientMrn}</Table.Td>
              <Table.Td>{a.typeName}</Table.Td>
              <Table.Td>
                {a.roomName}
                {a.observationRoomName ? `, then ${a.observationRoomName} until ${localTime(a.observationEndsAt!, timeZone)}` : ''}
              </Table.Td>
              <Table.Td>{STATUS_LABELS[a.status]}</Table.Td>
              <Table.Td>{a.notes}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {list.isSuccess && <Text size="sm">{rows.length === 0 ? 'No appointments.' : `${rows.length} appointment${rows.length === 1 ? '' : 's'}; times are the clinic's (${timeZone}).`}</Text>}
    </Stack>
  )
}
