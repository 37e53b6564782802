/** The administrator's schedule setup: rooms, clinic hours, closed days and appointment types. */
import { Alert, Badge, Button, Checkbox, ColorInput, Group, Loader, Modal, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ROOM_KINDS, ROOM_KIND_LABELS, type AppointmentType, type ClinicHours, type Room, type RoomKind, type ScheduleSetup } from '../../../shared/schemas/scheduling'
import { api, ApiError } from '../../api'
import { showApiError } from '../../forms'
import { contrastRatio, SETUP_KEY, textColourOn, useScheduleSetup } from './scheduleUi'

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const KIND_OPTIONS = ROOM_KINDS.map((k) => ({ value: k, label: ROOM_KIND_LABELS[k] }))

/** Saves through a channel, refreshes the setup, and shows field messages where they belong. */
function useSave() {
  const qc = useQueryClient()
  return async (p: Promise<unknown>, done: string, setErrors?: (e: Record<string, string>) => void): Promise<boolean> => {
    try {
      await p
      notifications.show({ color: 'green', title: 'Saved', message: done })
      await qc.invalidateQueries({ queryKey: SETUP_KEY })
      await qc.invalidateQueries({ queryKey: ['schedule'] })
      return true
    } catch (err) {
      if (err instanceof ApiError && setErrors) setErrors(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)])))
      showApiError(err)
      return false
    }
  }
}

export default function ScheduleSetupScreen() {
  const setup = useScheduleSetup()
  if (setup.isPending) return <Loader aria-label="Loading" />
  if (setup.isError) return <Alert color="red">{setup.error.message}</Alert>
  return (
    <Stack gap="xl">
      <Title order={2}>Schedule setup</Title>
      <Text size="sm" c="gray.8">
        Times are the clinic's ({setup.data.timeZone}); change the time zone under Settings.
      </Text>
      <HoursSection hours={setup.data.hours} />
      <ClosedDaysSection setup={setup.data} />
      <RoomsSection rooms={setup.data.rooms} />
      <TypesSection types={setup.data.types} />
    </Stack>
  )
}

function HoursSection({ hours }: { hours: ClinicHours[] }) {
  return (
    <Stack gap="xs">
      <Title order={3}>Clinic hours</Title>
      <Table aria-label="Clinic hours">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Day</Table.Th>
            <Table.Th>Open</Table.Th>
            <Table.Th>Opens</Table.Th>
            <Table.Th>Closes</Table.Th>
            <Table.Th>Save</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...hours].sort((a, b) => a.weekday - b.weekday).map((h) => (
            <HoursRow key={`${h.weekday}-${h.version}`} h={h} />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}

function HoursRow({ h }: { h: ClinicHours }) {
  const save = useSave()
  const [v, setV] = useState({ open: h.open, opens: h.opens, closes: h.closes })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const day = WEEKDAYS[h.weekday - 1]!
  return (
    <Table.Tr>
      <Table.Td>{day}</Table.Td>
      <Table.Td>
        <Checkbox aria-label={`Open on ${day}`} checked={v.open} onChange={(e) => setV({ ...v, open: e.currentTarget.checked })} />
      </Table.Td>
      <Table.Td>
        <TextInput aria-label={`${day} opens`} type="time" value={v.opens} error={errors.opens} disabled={!v.open} onChange={(e) => setV({ ...v, opens: e.currentTarget.value })} />
      </Table.Td>
      <Table.Td>
        <TextInput aria-label={`${day} closes`} type="time" value={v.closes} error={errors.closes} disabled={!v.open} onChange={(e) => setV({ ...v, closes: e.currentTarget.value })} />
      </Table.Td>
      <Table.Td>
        <Button size="xs" variant="default" aria-label={`Save ${day}`} onClick={() => void save(api('schedule.hours.update', { weekday: h.weekday, version: h.version, ...v }), `${day}'s hours`, setErrors)}>
          Save
        </Button>
      </Table.Td>
    </Table.Tr>
  )
}

function ClosedDaysSection({ setup }: { setup: ScheduleSetup }) {
  const save = useSave()
  const [v, setV] = useState({ date: '', reason: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  return (
    <Stack gap="xs">
      <Title order={3}>Closed days</Title>
      <Table aria-label="Closed days">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Date</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Remove</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {setup.closedDays.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.date}</Table.Td>
              <Table.Td>{c.reason}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="default" aria-label={`Remove closed day ${c.date}`} onClick={() => void save(api('schedule.closedDays.remove', { id: c.id }), `${c.date} is open again`)}>
                  Remove
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save(api('schedule.closedDays.add', v), `Closed on ${v.date}`, setErrors).then((ok) => ok && setV({ date: '', reason: '' }))
        }}
      >
        <Group align="flex-end">
          <TextInput label="Closed date" type="date" value={v.date} error={errors.date} onChange={(e) => setV({ ...v, date: e.currentTarget.value })} />
          <TextInput label="Reason" value={v.reason} error={errors.reason} onChange={(e) => setV({ ...v, reason: e.currentTarget.value })} />
          <Button type="submit">Add closed day</Button>
        </Group>
      </form>
    </Stack>
  )
}

function RoomsSection({ rooms }: { rooms: Room[] }) {
  const [editing, setEditing] = useState<Room | 'new' | null>(null)
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>Rooms</Title>
        <Button onClick={() => setEditing('new')}>Add room</Button>
      </Group>
      <Table aria-label="Rooms">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Order</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Edit</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rooms.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td>{ROOM_KIND_LABELS[r.kind]}</Table.Td>
              <Table.Td>{r.sortOrder}</Table.Td>
              <Table.Td>{r.active ? 'In use' : <Badge color="gray.8">Retired</Badge>}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="default" aria-label={`Edit ${r.name}`} onClick={() => setEditing(r)}>
                  Edit
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'Add room' : 'Edit room'}>
        {editing !== null && <RoomForm room={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  )
}

function RoomForm({ room, onDone }: { room: Room | null; onDone: () => void }) {
  const save = useSave()
  const [v, setV] = useState({ name: room?.name ?? '', kind: (room?.kind ?? 'consultation') as RoomKind, sortOrder: room?.sortOrder ?? 0, active: room?.active ?? true })
  const [errors, setErrors] = useState<Record<string, string>>({})
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        const fields = { name: v.name, kind: v.kind, sortOrder: v.sortOrder }
        const p = room ? api('schedule.rooms.update', { ...fields, id: room.id, version: room.version, active: v.active }) : api('schedule.rooms.create', fields)
        void save(p, v.name, setErrors).then((ok) => ok && onDone())
      }}
    >
      <Stack>
        <TextInput label="Name" required value={v.name} error={errors.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} data-autofocus />
        <NativeSelect label="Kind" value={v.kind} data={KIND_OPTIONS} onChange={(e) => setV({ ...v, kind: e.currentTarget.value as RoomKind })} />
        <NumberInput label="Order in the lanes" min={0} max={9999} value={v.sortOrder} error={errors.sortOrder} onChange={(n) => setV({ ...v, sortOrder: Number(n) || 0 })} />
        {room && <Checkbox label="In use (untick to retire the room)" checked={v.active} onChange={(e) => setV({ ...v, active: e.currentTarget.checked })} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit">Save room</Button>
        </Group>
      </Stack>
    </form>
  )
}

function TypesSection({ types }: { types: AppointmentType[] }) {
  const [editing, setEditing] = useState<AppointmentType | 'new' | null>(null)
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>Appointment types</Title>
        <Button onClick={() => setEditing('new')}>Add type</Button>
      </Group>
      <Table aria-label="Appointment types">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Code</Table.Th>
            <Table.Th>Length</Table.Th>
            <Table.Th>Observation</Table.Th>
            <Table.Th>Room</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Edit</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {types.map((t) => (
            <Table.Tr key={t.id}>
              <Table.Td>
                <span style={{ background: t.colour, color: textColourOn(t.colour), padding: '2px 6px', borderRadius: 4 }}>{t.name}</span>
              </Table.Td>
              <Table.Td>{t.code || '—'}</Table.Td>
              <Table.Td>{t.durationMinutes} min</Table.Td>
              <Table.Td>{t.observationMinutes ? `${t.observationMinutes} min` : '—'}</Table.Td>
              <Table.Td>{ROOM_KIND_LABELS[t.roomKind]}</Table.Td>
              <Table.Td>{t.active ? 'Offered' : <Badge color="gray.8">Retired</Badge>}</Table.Td>
              <Table.Td>
                <Button size="xs" variant="default" aria-label={`Edit ${t.name}`} onClick={() => setEditing(t)}>
                  Edit
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'Add appointment type' : 'Edit appointment type'}>
        {editing !== null && <TypeForm type={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  )
}

function TypeForm({ type, onDone }: { type: AppointmentType | null; onDone: () => void }) {
  const save = useSave()
  const [v, setV] = useState({
    name: type?.name ?? '',
    code: type?.code ?? '',
    colour: type?.colour ?? '#1c7ed6',
    durationMinutes: type?.durationMinutes ?? 30,
    roomKind: (type?.roomKind ?? 'consultation') as RoomKind,
    observationMinutes: type?.observationMinutes ?? 0,
    sortOrder: type?.sortOrder ?? 0,
    active: type?.active ?? true,
  })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const fg = /^#[0-9a-f]{6}$/i.test(v.colour) ? textColourOn(v.colour) : '#000000'
  const ratio = /^#[0-9a-f]{6}$/i.test(v.colour) ? contrastRatio(v.colour, fg) : 21
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        const { active, ...fields } = v
        const p = type ? api('schedule.types.update', { ...fields, id: type.id, version: type.version, active }) : api('schedule.types.create', fields)
        void save(p, v.name, setErrors).then((ok) => ok && onDone())
      }}
    >
      <Stack>
        <TextInput label="Name" required value={v.name} error={errors.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} data-autofocus />
        <TextInput label="Code" description="Letters, digits and dashes; other screens find a type by it (e.g. vertebroplasty)" value={v.code} error={errors.code} onChange={(e) => setV({ ...v, code: e.currentTarget.value })} />
        <ColorInput label="Colour" format="hex" value={v.colour} error={errors.colour} onChange={(c) => setV({ ...v, colour: c })} />
        <Text size="sm">
          Preview: <span style={{ background: v.colour, color: fg, padding: '2px 6px', borderRadius: 4 }}>{v.name || 'Appointment'}</span> (text {fg === '#000000' ? 'black' : 'white'}, contrast {ratio.toFixed(1)}:1
          {ratio < 4.5 ? ', too low: pick a darker or lighter colour' : ''})
        </Text>
        <Group grow>
          <NumberInput label="Length (minutes)" min={5} max={480} value={v.durationMinutes} error={errors.durationMinutes} onChange={(n) => setV({ ...v, durationMinutes: Number(n) || 0 })} />
          <NumberInput label="Observation after (minutes)" min={0} max={240} value={v.observationMinutes} error={errors.observationMinutes} onChange={(n) => setV({ ...v, observationMinutes: Number(n) || 0 })} />
        </Group>
        <Group grow>
          <NativeSelect label="Room needed" value={v.roomKind} data={KIND_OPTIONS.filter((k) => k.value !== 'observation')} onChange={(e) => setV({ ...v, roomKind: e.currentTarget.value as RoomKind })} />
          <NumberInput label="Order" min={0} max={9999} value={v.sortOrder} error={errors.sortOrder} onChange={(n) => setV({ ...v, sortOrder: Number(n) || 0 })} />
        </Group>
        {type && <Checkbox label="Offered (untick to retire the type)" checked={v.active} onChange={(e) => setV({ ...v, active: e.currentTarget.checked })} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit">Save type</Button>
        </Group>
      </Stack>
    </form>
  )
}
