/** The administrator's schedule setup: rooms, clinic hours, closed days and appointment types. */
import { Alert, Badge, Button, Checkbox, ColorInput, Group, Loader, Modal, NativeSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState, type FormEvent, type ReactNode } from 'react'
import { ROOM_KINDS, ROOM_KIND_LABELS, type AppointmentType, type ClinicHours, type Room, type RoomKind, type ScheduleSetup } from '../../../shared/schemas/scheduling'
import { ApiError } from '../../api'
import { run, useRefreshAfter } from '../../data'
import { capitalizeAll, showApiError } from '../../forms'
import { contrastRatio, textColourOn, useScheduleSetup } from './scheduleUi'
import { DateField } from '../../components/DateField'

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const KIND_OPTIONS = ROOM_KINDS.map((k) => ({ value: k, label: ROOM_KIND_LABELS[k] }))
const HEX = /^#[0-9a-f]{6}$/i

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

// ---------------------------------------------------------------- shared pieces

/**
 * A form's values and the field messages of its last refusal. `save` sends one channel call, says
 * "Saved", refreshes the setup and the lanes, and puts a refusal's field messages under their fields.
 */
function useSetupForm<V extends object>(initial: V) {
  const refreshAfter = useRefreshAfter()
  const [values, setValues] = useState(initial)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = <K extends keyof V>(key: K, value: V[K]) => setValues((v) => ({ ...v, [key]: value }))
  async function save(call: Promise<unknown>, done: string): Promise<boolean> {
    try {
      await call
      setErrors({})
      notifications.show({ color: 'green', title: 'Saved', message: done })
      // every setup write changes the same areas (the setup, and the lanes that show it)
      await refreshAfter('schedule.rooms.update')
      return true
    } catch (err) {
      if (err instanceof ApiError) setErrors(capitalizeAll(err.fields))
      showApiError(err)
      return false
    }
  }
  return { values, set, setValues, errors, save }
}

/** A titled table of setup rows. */
function SetupTable({ label, columns, children }: { label: string; columns: string[]; children: ReactNode }) {
  return (
    <Table aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c}>{c}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  )
}

/** A small button in a row, named after what it acts on ("Edit Procedure suite"). */
function RowButton({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <Button size="xs" variant="default" aria-label={label} onClick={onClick}>
      {children}
    </Button>
  )
}

function RetiredBadge() {
  return <Badge color="gray.8">Retired</Badge>
}

/**
 * A list of things the administrator adds and edits in a dialog (rooms, appointment types): a heading
 * with its "Add" button, the table, and the dialog holding the form for the row being edited.
 */
function EditableList<T extends { id: number; name: string }>(props: {
  title: string
  noun: string
  rows: T[]
  columns: string[]
  cells: (row: T) => ReactNode
  form: (row: T | null, done: () => void) => ReactNode
}) {
  const [editing, setEditing] = useState<T | 'new' | null>(null)
  const done = () => setEditing(null)
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={3}>{props.title}</Title>
        <Button onClick={() => setEditing('new')}>Add {props.noun}</Button>
      </Group>
      <SetupTable label={props.title} columns={[...props.columns, 'Edit']}>
        {props.rows.map((r) => (
          <Table.Tr key={r.id}>
            {props.cells(r)}
            <Table.Td>
              <RowButton label={`Edit ${r.name}`} onClick={() => setEditing(r)}>
                Edit
              </RowButton>
            </Table.Td>
          </Table.Tr>
        ))}
      </SetupTable>
      <Modal opened={editing !== null} onClose={done} title={`${editing === 'new' ? 'Add' : 'Edit'} ${props.noun}`}>
        {editing !== null && props.form(editing === 'new' ? null : editing, done)}
      </Modal>
    </Stack>
  )
}

/** The dialog form's frame: its fields, the "in use" box when editing, Cancel and Save. */
function DialogForm(props: { onSubmit: () => void; onCancel: () => void; submitLabel: string; active?: { label: string; checked: boolean; onChange: (v: boolean) => void }; children: ReactNode }) {
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault()
        props.onSubmit()
      }}
    >
      <Stack>
        {props.children}
        {props.active && <Checkbox label={props.active.label} checked={props.active.checked} onChange={(e) => props.active!.onChange(e.currentTarget.checked)} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit">{props.submitLabel}</Button>
        </Group>
      </Stack>
    </form>
  )
}

/** A whole-number field that keeps a number in the form's values. */
function WholeNumber({ label, value, onChange, error, min, max }: { label: string; value: number; onChange: (n: number) => void; error?: string | undefined; min: number; max: number }) {
  return <NumberInput label={label} min={min} max={max} value={value} error={error} onChange={(n) => onChange(Number(n) || 0)} />
}

// ---------------------------------------------------------------- hours and closed days

function HoursSection({ hours }: { hours: ClinicHours[] }) {
  return (
    <Stack gap="xs">
      <Title order={3}>Clinic hours</Title>
      <SetupTable label="Clinic hours" columns={['Day', 'Open', 'Opens', 'Closes', 'Save']}>
        {[...hours]
          .sort((a, b) => a.weekday - b.weekday)
          .map((h) => (
            <HoursRow key={`${h.weekday}-${h.version}`} h={h} />
          ))}
      </SetupTable>
    </Stack>
  )
}

function HoursRow({ h }: { h: ClinicHours }) {
  const { values: v, set, errors, save } = useSetupForm({ open: h.open, opens: h.opens, closes: h.closes })
  const day = WEEKDAYS[h.weekday - 1]!
  const time = (key: 'opens' | 'closes') => (
    <Table.Td>
      <TextInput aria-label={`${day} ${key}`} type="time" value={v[key]} error={errors[key]} disabled={!v.open} onChange={(e) => set(key, e.currentTarget.value)} />
    </Table.Td>
  )
  return (
    <Table.Tr>
      <Table.Td>{day}</Table.Td>
      <Table.Td>
        <Checkbox aria-label={`Open on ${day}`} checked={v.open} onChange={(e) => set('open', e.currentTarget.checked)} />
      </Table.Td>
      {time('opens')}
      {time('closes')}
      <Table.Td>
        <RowButton label={`Save ${day}`} onClick={() => void save(run('schedule.hours.update', { weekday: h.weekday, version: h.version, ...v }), `${day}'s hours`)}>
          Save
        </RowButton>
      </Table.Td>
    </Table.Tr>
  )
}

function ClosedDaysSection({ setup }: { setup: ScheduleSetup }) {
  const { values: v, set, setValues, errors, save } = useSetupForm({ date: '', reason: '' })
  return (
    <Stack gap="xs">
      <Title order={3}>Closed days</Title>
      <SetupTable label="Closed days" columns={['Date', 'Reason', 'Remove']}>
        {setup.closedDays.map((c) => (
          <Table.Tr key={c.id}>
            <Table.Td>{c.date}</Table.Td>
            <Table.Td>{c.reason}</Table.Td>
            <Table.Td>
              <RowButton label={`Remove closed day ${c.date}`} onClick={() => void save(run('schedule.closedDays.remove', { id: c.id }), `${c.date} is open again`)}>
                Remove
              </RowButton>
            </Table.Td>
          </Table.Tr>
        ))}
      </SetupTable>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save(run('schedule.closedDays.add', v), `Closed on ${v.date}`).then((ok) => ok && setValues({ date: '', reason: '' }))
        }}
      >
        <Group align="flex-end">
          <DateField label="Closed date" value={v.date} error={errors.date} onChange={(v) => set('date', v)} />
          <TextInput label="Reason" value={v.reason} error={errors.reason} onChange={(e) => set('reason', e.currentTarget.value)} />
          <Button type="submit">Add closed day</Button>
        </Group>
      </form>
    </Stack>
  )
}

// ---------------------------------------------------------------- rooms

function RoomsSection({ rooms }: { rooms: Room[] }) {
  return (
    <EditableList
      title="Rooms"
      noun="room"
      rows={rooms}
      columns={['Name', 'Kind', 'Order', 'State']}
      cells={(r) => (
        <>
          <Table.Td>{r.name}</Table.Td>
          <Table.Td>{ROOM_KIND_LABELS[r.kind]}</Table.Td>
          <Table.Td>{r.sortOrder}</Table.Td>
          <Table.Td>{r.active ? 'In use' : <RetiredBadge />}</Table.Td>
        </>
      )}
      form={(room, done) => <RoomForm room={room} onDone={done} />}
    />
  )
}

function RoomForm({ room, onDone }: { room: Room | null; onDone: () => void }) {
  const { values: v, set, errors, save } = useSetupForm({ name: room?.name ?? '', kind: (room?.kind ?? 'consultation') as RoomKind, sortOrder: room?.sortOrder ?? 0, active: room?.active ?? true })
  function submit() {
    const fields = { name: v.name, kind: v.kind, sortOrder: v.sortOrder }
    const call = room ? run('schedule.rooms.update', { ...fields, id: room.id, version: room.version, active: v.active }) : run('schedule.rooms.create', fields)
    void save(call, v.name).then((ok) => ok && onDone())
  }
  return (
    <DialogForm onSubmit={submit} onCancel={onDone} submitLabel="Save room" {...(room ? { active: { label: 'In use (untick to retire the room)', checked: v.active, onChange: (c: boolean) => set('active', c) } } : {})}>
      <TextInput label="Name" required value={v.name} error={errors.name} onChange={(e) => set('name', e.currentTarget.value)} data-autofocus />
      <NativeSelect label="Kind" value={v.kind} data={KIND_OPTIONS} onChange={(e) => set('kind', e.currentTarget.value as RoomKind)} />
      <WholeNumber label="Order in the lanes" min={0} max={9999} value={v.sortOrder} error={errors.sortOrder} onChange={(n) => set('sortOrder', n)} />
    </DialogForm>
  )
}

// ---------------------------------------------------------------- appointment types

/** A type's name on its own colour, in the text colour that reads on it. */
function Swatch({ colour, children }: { colour: string; children: ReactNode }) {
  const fg = HEX.test(colour) ? textColourOn(colour) : '#000000'
  return <span style={{ background: colour, color: fg, padding: '2px 6px', borderRadius: 4 }}>{children}</span>
}

function TypesSection({ types }: { types: AppointmentType[] }) {
  return (
    <EditableList
      title="Appointment types"
      noun="appointment type"
      rows={types}
      columns={['Name', 'Code', 'Length', 'Observation', 'Room', 'State']}
      cells={(t) => (
        <>
          <Table.Td>
            <Swatch colour={t.colour}>{t.name}</Swatch>
          </Table.Td>
          <Table.Td>{t.code || '—'}</Table.Td>
          <Table.Td>{t.durationMinutes} min</Table.Td>
          <Table.Td>{t.observationMinutes ? `${t.observationMinutes} min` : '—'}</Table.Td>
          <Table.Td>{ROOM_KIND_LABELS[t.roomKind]}</Table.Td>
          <Table.Td>{t.active ? 'Offered' : <RetiredBadge />}</Table.Td>
        </>
      )}
      form={(type, done) => <TypeForm type={type} onDone={done} />}
    />
  )
}

/** How the chosen colour reads: the preview and its contrast with the text drawn on it. */
function ColourPreview({ colour, name }: { colour: string; name: string }) {
  const fg = HEX.test(colour) ? textColourOn(colour) : '#000000'
  const ratio = HEX.test(colour) ? contrastRatio(colour, fg) : 21
  return (
    <Text size="sm">
      Preview: <Swatch colour={colour}>{name || 'Appointment'}</Swatch> (text {fg === '#000000' ? 'black' : 'white'}, contrast {ratio.toFixed(1)}:1
      {ratio < 4.5 ? ', too low: pick a darker or lighter colour' : ''})
    </Text>
  )
}

function TypeForm({ type, onDone }: { type: AppointmentType | null; onDone: () => void }) {
  const { values: v, set, errors, save } = useSetupForm({
    name: type?.name ?? '',
    code: type?.code ?? '',
    colour: type?.colour ?? '#1c7ed6',
    durationMinutes: type?.durationMinutes ?? 30,
    roomKind: (type?.roomKind ?? 'consultation') as RoomKind,
    observationMinutes: type?.observationMinutes ?? 0,
    sortOrder: type?.sortOrder ?? 0,
    active: type?.active ?? true,
  })
  function submit() {
    const { active, ...fields } = v
    const call = type ? run('schedule.types.update', { ...fields, id: type.id, version: type.version, active }) : run('schedule.types.create', fields)
    void save(call, v.name).then((ok) => ok && onDone())
  }
  return (
    <DialogForm onSubmit={submit} onCancel={onDone} submitLabel="Save type" {...(type ? { active: { label: 'Offered (untick to retire the type)', checked: v.active, onChange: (c: boolean) => set('active', c) } } : {})}>
      <TextInput label="Name" required value={v.name} error={errors.name} onChange={(e) => set('name', e.currentTarget.value)} data-autofocus />
      <TextInput label="Code" description="Letters, digits and dashes; other screens find a type by it (e.g. vertebroplasty)" value={v.code} error={errors.code} onChange={(e) => set('code', e.currentTarget.value)} />
      <ColorInput label="Colour" format="hex" value={v.colour} error={errors.colour} onChange={(c) => set('colour', c)} eyeDropperButtonProps={{ 'aria-label': 'Pick the colour from the screen' }} />
      <ColourPreview colour={v.colour} name={v.name} />
      <Group grow>
        <WholeNumber label="Length (minutes)" min={5} max={480} value={v.durationMinutes} error={errors.durationMinutes} onChange={(n) => set('durationMinutes', n)} />
        <WholeNumber label="Observation after (minutes)" min={0} max={240} value={v.observationMinutes} error={errors.observationMinutes} onChange={(n) => set('observationMinutes', n)} />
      </Group>
      <Group grow>
        <NativeSelect label="Room needed" value={v.roomKind} data={KIND_OPTIONS.filter((k) => k.value !== 'observation')} onChange={(e) => set('roomKind', e.currentTarget.value as RoomKind)} />
        <WholeNumber label="Order" min={0} max={9999} value={v.sortOrder} error={errors.sortOrder} onChange={(n) => set('sortOrder', n)} />
      </Group>
    </DialogForm>
  )
}
