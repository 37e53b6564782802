/**
 * The ASAP list (issue 21 point 4): patients waiting for an earlier consultation or procedure, with the type, the
 * provider (or any), the days and times they can come at short notice, optional dates, a note and, optionally,
 * their booked appointment to move earlier. Front desk, physicians and managers add, edit and remove (with a
 * reason; the row is kept, with who and why). When an appointment is cancelled or moved away the schedule offers
 * the freed slot to those who fit (renderer/components/FreedSlotOffer.tsx).
 *
 * `#/asap?add=<patientId>` (the patient page's "Add to the ASAP list") opens the form for that patient.
 */
import { Alert, Anchor, Button, Chip, Group, Loader, Modal, NativeSelect, Radio, Select, SimpleGrid, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMemo, useState } from 'react'
import { describeWindow } from '../../../shared/scheduling/asap'
import { zonedParts } from '../../../shared/scheduling/time'
import {
  AddAsapEntry,
  ASAP_REMOVE_LABELS,
  ASAP_REMOVE_REASONS,
  WEEKDAY_SHORT,
  type AsapEntryView,
  type AsapRemoveReason,
  type AsapWindow,
} from '../../../shared/schemas/asap'
import { ApiError } from '../../api'
import { useCan, useChannel, useWrite } from '../../data'
import { showApiError, validateWith } from '../../forms'
import { formatDate, formatInstant } from '../../format'
import { usePatientSearch } from '../../hooks'
import { useHashQuery } from '../../worklistPlace'
import { DateField } from '../../components/DateField'

const WEEKDAYS_LONG = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const NEW_WINDOW: AsapWindow = { days: [1, 2, 3, 4, 5], from: '08:00', to: '12:00' }

export default function AsapListScreen() {
  const [params, setParams] = useHashQuery()
  const [showRemoved, setShowRemoved] = useState(false)
  const list = useChannel('schedule.asap.list', { includeRemoved: showRemoved })
  const canEdit = useCan('schedule.asap.add')
  const [editing, setEditing] = useState<AsapEntryView | null>(null)
  const [removing, setRemoving] = useState<AsapEntryView | null>(null)
  const addFor = /^\d+$/.test(params.get('add') ?? '') ? Number(params.get('add')) : null
  const [adding, setAdding] = useState(false)
  const formOpen = adding || addFor !== null || editing !== null
  const closeForm = () => {
    setAdding(false)
    setEditing(null)
    if (addFor !== null) setParams({ add: null })
  }
  const tz = list.data?.timeZone
  const entries = list.data?.entries ?? []
  const waiting = entries.filter((e) => e.status === 'waiting').length

  return (
    <Stack>
      <Title order={2}>ASAP list</Title>
      <Text size="sm">
        Patients who want an earlier appointment and can come at short notice. When an appointment is cancelled or moved, the schedule offers its slot to the
        patients here who fit it.
      </Text>
      <Group justify="space-between">
        <Group>
          {canEdit && <Button onClick={() => setAdding(true)}>Add a patient</Button>}
          <Switch label="Show removed entries" checked={showRemoved} onChange={(e) => setShowRemoved(e.currentTarget.checked)} />
        </Group>
        {list.data && <Text size="sm">{waiting === 1 ? '1 patient waiting' : `${waiting} patients waiting`}</Text>}
      </Group>
      {list.isPending && <Loader aria-label="Loading the ASAP list" />}
      {list.isError && <Alert color="red">{list.error.message}</Alert>}
      {list.data && entries.length === 0 && <Text>Nobody is on the ASAP list.</Text>}
      {list.data && entries.length > 0 && (
        <Table aria-label="ASAP list" striped data-testid="asap-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Wants</Table.Th>
              <Table.Th>Can come</Table.Th>
              <Table.Th>Dates</Table.Th>
              <Table.Th>Current appointment</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>Note</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((e) => (
              <Table.Tr key={e.id} data-testid={`asap-${e.id}`}>
                <Table.Td>
                  <Anchor href={`#/patients/${e.patientId}`}>{e.patientName}</Anchor>
                  <Text size="xs">
                    {e.patientMrn}
                    {e.patientPhone ? ` · ${e.patientPhone}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {e.typeName}
                  <Text size="xs">{e.providerName}</Text>
                </Table.Td>
                <Table.Td>
                  {e.windows.map((w, i) => (
                    <Text key={i} size="sm">
                      {describeWindow(w, WEEKDAY_SHORT)}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>{dateRange(e)}</Table.Td>
                <Table.Td>{e.appointmentStartsAt && tz ? formatInstant(e.appointmentStartsAt, tz) : 'None'}</Table.Td>
                <Table.Td>
                  {tz ? formatInstant(e.addedAt, tz) : e.addedAt}
                  <Text size="xs">by {e.addedBy}</Text>
                </Table.Td>
                <Table.Td>{e.note}</Table.Td>
                <Table.Td>
                  {e.status === 'waiting' ? (
                    canEdit ? (
                      <Group gap={4} wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(e)} aria-label={`Edit ${e.patientName}'s entry`}>
                          Edit
                        </Button>
                        <Button size="xs" variant="outline" color="red.9" onClick={() => setRemoving(e)} aria-label={`Remove ${e.patientName} from the list`}>
                          Remove…
                        </Button>
                      </Group>
                    ) : (
                      'Waiting'
                    )
                  ) : (
                    <Text size="sm">
                      {e.removeReason ? ASAP_REMOVE_LABELS[e.removeReason] : 'Removed'}
                      {e.removeNote ? `: ${e.removeNote}` : ''} ({tz && e.removedAt ? formatInstant(e.removedAt, tz) : ''}, {e.removedBy})
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={formOpen} onClose={closeForm} size="lg" title={editing ? `Edit: ${editing.patientName}` : 'Add to the ASAP list'}>
        {formOpen && <EntryForm entry={editing} patientId={addFor} onDone={closeForm} />}
      </Modal>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={removing ? `Remove ${removing.patientName} from the ASAP list` : ''}>
        {removing && <RemoveForm entry={removing} onDone={() => setRemoving(null)} />}
      </Modal>
    </Stack>
  )
}

function dateRange(e: { earliestDate: string | null; latestDate: string | null }): string {
  if (e.earliestDate && e.latestDate) return `${formatDate(e.earliestDate)} to ${formatDate(e.latestDate)}`
  if (e.earliestDate) return `From ${formatDate(e.earliestDate)}`
  if (e.latestDate) return `Until ${formatDate(e.latestDate)}`
  return 'Any date'
}

interface FormValues {
  patientId: string | null
  typeId: string
  providerId: string
  windows: AsapWindow[]
  earliestDate: string
  latestDate: string
  note: string
  appointmentId: string
}

function EntryForm({ entry, patientId, onDone }: { entry: AsapEntryView | null; patientId: number | null; onDone: () => void }) {
  const setup = useChannel('schedule.setup.get', {})
  const [v, setV] = useState<FormValues>(() => ({
    patientId: entry ? String(entry.patientId) : patientId !== null ? String(patientId) : null,
    typeId: entry ? String(entry.typeId) : '',
    providerId: entry?.providerId ? String(entry.providerId) : '',
    windows: entry ? entry.windows : [NEW_WINDOW],
    earliestDate: entry?.earliestDate ?? '',
    latestDate: entry?.latestDate ?? '',
    note: entry?.note ?? '',
    appointmentId: entry?.appointmentId ? String(entry.appointmentId) : '',
  }))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [refusal, setRefusal] = useState('')
  const add = useWrite('schedule.asap.add')
  const update = useWrite('schedule.asap.update')
  const [search, setSearch] = useState('')
  const hits = usePatientSearch(search, 20, entry === null && search.trim() !== '')
  const named = useChannel('patients.get', { id: Number(v.patientId ?? 0) }, { enabled: v.patientId !== null && entry === null })
  const appts = useChannel('schedule.appointments.forPatient', { patientId: Number(v.patientId ?? 0), pastLimit: 1 }, { enabled: v.patientId !== null })
  const patientOptions = useMemo(() => {
    const list = (hits.data ?? []).map((p) => ({ value: String(p.id), label: `${p.lastName}, ${p.firstName} · ${p.mrn}` }))
    if (v.patientId && !list.some((o) => o.value === v.patientId) && named.data) list.unshift({ value: v.patientId, label: `${named.data.lastName}, ${named.data.firstName} · ${named.data.mrn}` })
    return list
  }, [hits.data, v.patientId, named.data])
  if (!setup.data) return <Loader aria-label="Loading" />
  const tz = setup.data.timeZone
  const types = setup.data.types.filter((t) => t.active)
  const movable = (appts.data?.upcoming ?? []).filter((a) => (a.status === 'booked' || a.status === 'confirmed') && String(a.typeId) === v.typeId)
  const setWindow = (i: number, w: Partial<AsapWindow>) => setV({ ...v, windows: v.windows.map((x, j) => (j === i ? { ...x, ...w } : x)) })

  function input() {
    return {
      typeId: Number(v.typeId) || 0,
      providerId: v.providerId ? Number(v.providerId) : null,
      windows: v.windows,
      earliestDate: v.earliestDate || null,
      latestDate: v.latestDate || null,
      note: v.note,
      appointmentId: v.appointmentId ? Number(v.appointmentId) : null,
    }
  }

  async function save() {
    setRefusal('')
    // the router's own schema, its messages keyed as the router names them ('windows.0.to')
    const checked = validateWith(AddAsapEntry)({ patientId: Number(v.patientId) || 0, ...input() })
    if (!v.patientId) checked.patientId = 'Pick a patient'
    if (!v.typeId) checked.typeId = 'Pick the appointment type wanted'
    setErrors(checked)
    if (Object.keys(checked).length > 0) return
    try {
      const saved = entry ? await update.mutateAsync({ id: entry.id, version: entry.version, ...input() }) : await add.mutateAsync({ patientId: Number(v.patientId), ...input() })
      notifications.show({ color: 'green', title: entry ? 'ASAP list entry saved' : 'Added to the ASAP list', message: `${saved.patientName} · ${saved.typeName}` })
      onDone()
    } catch (err) {
      if (err instanceof ApiError) {
        setRefusal(err.message)
        setErrors(Object.fromEntries(Object.entries(err.fields).map(([k, m]) => [k, m.charAt(0).toUpperCase() + m.slice(1)])))
      }
      showApiError(err)
    }
  }

  return (
    <Stack gap="sm">
      {entry ? (
        <Text fw={600}>{entry.patientName}</Text>
      ) : (
        <Select
          label="Patient"
          required
          data-autofocus
          placeholder="Type a name, MRN, birth date or phone"
          searchable
          clearable
          filter={({ options }) => options}
          data={patientOptions}
          value={v.patientId}
          onChange={(id) => setV({ ...v, patientId: id, appointmentId: '' })}
          searchValue={search}
          onSearchChange={setSearch}
          nothingFoundMessage={search.trim() ? 'No patient matches' : 'Type to search'}
          error={errors.patientId}
        />
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <NativeSelect
          label="Appointment type wanted"
          required
          data-autofocus={entry ? true : undefined}
          value={v.typeId}
          error={errors.typeId}
          data={[{ value: '', label: 'Choose…' }, ...types.map((t) => ({ value: String(t.id), label: t.name }))]}
          onChange={(e) => setV({ ...v, typeId: e.currentTarget.value, appointmentId: '' })}
        />
        <NativeSelect
          label="Provider"
          value={v.providerId}
          error={errors.providerId}
          data={[{ value: '', label: 'Any provider' }, ...setup.data.providers.filter((p) => p.active).map((p) => ({ value: String(p.id), label: p.displayName }))]}
          onChange={(e) => setV({ ...v, providerId: e.currentTarget.value })}
        />
      </SimpleGrid>
      <Text fw={500} size="sm" id="asap-windows-label">
        When they can come at short notice (clinic time)
      </Text>
      {errors.windows && (
        <Text c="red.8" size="sm" role="alert">
          {errors.windows}
        </Text>
      )}
      {v.windows.map((w, i) => (
        <Stack key={i} gap={4} p="xs" style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4 }} role="group" aria-label={`Time ${i + 1} they can come`}>
          <Chip.Group multiple value={w.days.map(String)} onChange={(days) => setWindow(i, { days: days.map(Number).sort((a, b) => a - b) })}>
            <Group gap={4}>
              {WEEKDAY_SHORT.map((d, k) => (
                <Chip key={d} value={String(k + 1)} size="xs" aria-label={WEEKDAYS_LONG[k]}>
                  {d}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {errors[`windows.${i}.days`] && (
            <Text c="red.8" size="xs">
              Days: {errors[`windows.${i}.days`]}
            </Text>
          )}
          <Group gap="xs" align="flex-end">
            <TextInput label="From" type="time" step={300} w={120} value={w.from} error={errors[`windows.${i}.from`]} onChange={(e) => setWindow(i, { from: e.currentTarget.value })} />
            <TextInput label="To" type="time" step={300} w={120} value={w.to} error={errors[`windows.${i}.to`]} onChange={(e) => setWindow(i, { to: e.currentTarget.value })} />
            <Button variant="subtle" size="xs" onClick={() => setWindow(i, { from: '08:00', to: '12:00' })}>
              Morning
            </Button>
            <Button variant="subtle" size="xs" onClick={() => setWindow(i, { from: '12:00', to: '17:00' })}>
              Afternoon
            </Button>
            {v.windows.length > 1 && (
              <Button variant="subtle" color="red.9" size="xs" onClick={() => setV({ ...v, windows: v.windows.filter((_, j) => j !== i) })} aria-label={`Remove time ${i + 1}`}>
                Remove
              </Button>
            )}
          </Group>
        </Stack>
      ))}
      {v.windows.length < 14 && (
        <Group>
          <Button variant="default" size="xs" onClick={() => setV({ ...v, windows: [...v.windows, { days: [1, 2, 3, 4, 5], from: '12:00', to: '17:00' }] })}>
            Add another time
          </Button>
        </Group>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <DateField label="Earliest date (optional)" value={v.earliestDate} error={errors.earliestDate} onChange={(d) => setV({ ...v, earliestDate: d })} />
        <DateField label="Latest date (optional)" value={v.latestDate} error={errors.latestDate} onChange={(d) => setV({ ...v, latestDate: d })} />
      </SimpleGrid>
      <NativeSelect
        label="Their booked appointment to move earlier"
        description="Booking them into a freed slot then moves this appointment instead of booking a second one"
        value={v.appointmentId}
        error={errors.appointmentId}
        data={[
          { value: '', label: 'None: book a new appointment' },
          ...movable.map((a) => {
            const p = zonedParts(a.startsAt, tz)
            return { value: String(a.id), label: `${a.typeName} · ${formatDate(p.date)} ${p.time} · ${a.providerName}` }
          }),
        ]}
        onChange={(e) => setV({ ...v, appointmentId: e.currentTarget.value })}
      />
      <Textarea label="Note" autosize minRows={2} maxLength={500} value={v.note} error={errors.note} onChange={(e) => setV({ ...v, note: e.currentTarget.value })} />
      {refusal && (
        <Alert color="red" title="Not saved" role="alert">
          {refusal}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button loading={add.isPending || update.isPending} onClick={() => void save()}>
          {entry ? 'Save' : 'Add to the list'}
        </Button>
      </Group>
    </Stack>
  )
}

function RemoveForm({ entry, onDone }: { entry: AsapEntryView; onDone: () => void }) {
  const remove = useWrite('schedule.asap.remove')
  const [reason, setReason] = useState<AsapRemoveReason>('noLongerWants')
  const [note, setNote] = useState('')
  const [error, setError] = useState('')
  async function save() {
    if (reason === 'other' && note.trim() === '') {
      setError('Say why (required for another reason)')
      return
    }
    try {
      await remove.mutateAsync({ id: entry.id, version: entry.version, reason, note })
      notifications.show({ color: 'green', title: 'Removed from the ASAP list', message: `${entry.patientName} · ${ASAP_REMOVE_LABELS[reason]}` })
      onDone()
    } catch (err) {
      if (err instanceof ApiError) setError(err.message)
      showApiError(err)
    }
  }
  return (
    <Stack gap="sm">
      <Text size="sm">The entry stays in the record with who removed it, when and why.</Text>
      <Radio.Group label="Why" value={reason} onChange={(r) => setReason(r as AsapRemoveReason)}>
        <Stack gap={6} mt={6}>
          {ASAP_REMOVE_REASONS.map((r) => (
            <Radio key={r} value={r} label={r === 'booked' ? 'Booked (by phone or at the desk)' : ASAP_REMOVE_LABELS[r]} data-autofocus={r === reason || undefined} />
          ))}
        </Stack>
      </Radio.Group>
      <TextInput label={reason === 'other' ? 'Reason' : 'Note (optional)'} required={reason === 'other'} maxLength={300} value={note} error={error || undefined} onChange={(e) => setNote(e.currentTarget.value)} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Keep on the list
        </Button>
        <Button color="red.9" loading={remove.isPending} onClick={() => void save()}>
          Remove from the list
        </Button>
      </Group>
    </Stack>
  )
}

