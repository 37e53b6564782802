/**
 * Book from an empty slot (or from a list's "Book"): pick or quick-register the patient, the type,
 * provider and room; the end follows the type's length. "Find next free slot" asks the main process.
 */
import { Alert, Button, Checkbox, Group, Modal, NativeSelect, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useEffect, useMemo, useState } from 'react'
import { zonedParts } from '../../../shared/scheduling/time'
import { SEXES, SEX_LABELS } from '../../../shared/schemas/patients'
import { ROOM_KIND_LABELS, type ScheduleSetup } from '../../../shared/schemas/scheduling'
import { ApiError } from '../../api'
import { run, useChannel, useRefreshAfter, useWrite } from '../../data'
import { useClinicClock } from '../../clinicClock'
import { formatDob } from '../../format'
import { showApiError } from '../../forms'
import { usePatientSearch } from '../../hooks'
import { describeWhen, fromWall, localTime, type BookingPrefill } from './scheduleUi'
import { isValidIsoDate } from '../../../shared/dates'
import { DateField } from '../../components/DateField'
import { PatientContactLine } from '../../components/PatientContactLine'

interface Props {
  setup: ScheduleSetup
  prefill: BookingPrefill | null
  onClose: () => void
  onBooked: (firstStartsAt: string) => void
}

export function BookingModal({ setup, prefill, onClose, onBooked }: Props) {
  return (
    <Modal opened={prefill !== null} onClose={onClose} title="Book appointment" size="lg">
      {prefill && <BookingForm setup={setup} prefill={prefill} onClose={onClose} onBooked={onBooked} />}
    </Modal>
  )
}

const tz = (s: ScheduleSetup) => s.timeZone
const patientOptionLabel = (p: { lastName: string; firstName: string; mrn: string; dateOfBirth: string }, today: string) => `${p.lastName}, ${p.firstName} · ${p.mrn} · born ${formatDob(p.dateOfBirth, today)}`
type Sex = (typeof SEXES)[number]

function BookingForm({ setup, prefill, onClose, onBooked }: Props & { prefill: BookingPrefill }) {
  const today = useClinicClock().today()
  const refreshAfter = useRefreshAfter()
  const book = useWrite('schedule.appointments.book')
  // From a worklist: booked and linked in one transaction, or neither; refreshes what the contract says it changes.
  const bookAndLink = useWrite('schedule.appointments.bookAndLink')
  const timeZone = tz(setup)
  const types = setup.types.filter((t) => t.active)
  const providers = setup.providers.filter((p) => p.active)
  const start = prefill.startsAt ? zonedParts(prefill.startsAt, timeZone) : null
  const prefRoom = setup.rooms.find((r) => r.id === prefill.roomId)
  const firstType = prefill.typeId ?? (prefRoom ? types.find((t) => t.roomKind === prefRoom.kind)?.id : undefined) ?? types[0]?.id

  const [newPatient, setNewPatient] = useState(false)
  const [patientId, setPatientId] = useState<string | null>(prefill.patientId ? String(prefill.patientId) : null)
  const [patientLabel, setPatientLabel] = useState(prefill.patientName ?? '')
  const [search, setSearch] = useState('')
  const [person, setPerson] = useState({ firstName: '', lastName: '', dateOfBirth: '', sex: 'female' as Sex, phone: '' })
  const [typeId, setTypeId] = useState(String(firstType ?? ''))
  const [providerId, setProviderId] = useState(String(prefill.providerId ?? providers[0]?.id ?? ''))
  const [roomId, setRoomId] = useState(prefill.roomId ? String(prefill.roomId) : '')
  const [date, setDate] = useState(start?.date ?? prefill.date ?? '')
  const [time, setTime] = useState(start?.time ?? '')
  const [repeat, setRepeat] = useState(false)
  const [everyWeeks, setEveryWeeks] = useState<number | string>(1)
  const [times, setTimes] = useState<number | string>(6)
  const [notes, setNotes] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [refusal, setRefusal] = useState('')
  const [busy, setBusy] = useState(false)

  const hits = usePatientSearch(search, 20, !newPatient && search.trim() !== '')
  // A list's "Book" names the patient by id only: show who it is.
  const named = useChannel('patients.get', { id: prefill.patientId ?? 0 }, { enabled: prefill.patientId !== undefined && !prefill.patientName })
  const prefillLabel = named.data && String(named.data.id) === patientId ? patientOptionLabel(named.data, today) : ''
  const patientOptions = useMemo(() => {
    const list = (hits.data ?? []).map((p) => ({ value: String(p.id), label: patientOptionLabel(p, today) }))
    if (patientId && !list.some((o) => o.value === patientId)) list.unshift({ value: patientId, label: patientLabel || prefillLabel || `Patient #${patientId}` })
    return list
  }, [hits.data, patientId, patientLabel, prefillLabel, today])

  const type = types.find((t) => String(t.id) === typeId)
  const rooms = setup.rooms.filter((r) => r.active && r.kind === type?.roomKind)
  // A room of another kind than the type needs is dropped, not sent.
  useEffect(() => {
    if (roomId && !rooms.some((r) => String(r.id) === roomId)) setRoomId('')
  }, [roomId, rooms])

  const startsAt = /^\d{4}-\d{2}-\d{2}$/.test(date) && /^\d{2}:\d{2}$/.test(time) ? fromWall(`${date} ${time}`, timeZone) : null
  const endsText = startsAt && type ? localTime(new Date(Date.parse(startsAt) + type.durationMinutes * 60_000).toISOString(), timeZone) : null

  async function findNext() {
    if (!type) return
    setRefusal('')
    try {
      // From the chosen time, or from the start of the chosen day (a reassessment's due date), or from now.
      const from = startsAt ?? (/^\d{4}-\d{2}-\d{2}$/.test(date) ? fromWall(`${date} 00:00`, timeZone) : null)
      const after = from && Date.parse(from) > Date.now() ? from : undefined
      const r = await run('schedule.slots.next', {
        typeId: type.id,
        providerId: Number(providerId),
        ...(patientId && !newPatient ? { patientId: Number(patientId) } : {}),
        ...(roomId ? { roomId: Number(roomId) } : {}),
        ...(after ? { after } : {}),
      })
      if (!r.found || !r.startsAt) {
        setRefusal(`No free slot for ${type.name} with this provider in the next 60 days.`)
        return
      }
      const p = zonedParts(r.startsAt, timeZone)
      setDate(p.date)
      setTime(p.time)
      if (r.roomId) setRoomId(String(r.roomId))
      notifications.show({ color: 'green', title: 'Next free slot', message: describeWhen(r.startsAt, timeZone) })
    } catch (err) {
      showApiError(err)
    }
  }

  async function submit() {
    const e: Record<string, string> = {}
    if (newPatient) {
      if (!person.firstName.trim()) e.firstName = 'Is required'
      if (!person.lastName.trim()) e.lastName = 'Is required'
      if (!isValidIsoDate(person.dateOfBirth)) e.dateOfBirth = 'Must be a real date (MM/DD/YYYY)'
    } else if (!patientId) e.patientId = 'Pick a patient, or tick "New patient"'
    if (!type) e.typeId = 'Is required'
    if (!providerId) e.providerId = 'Is required'
    if (!startsAt) e.startsAt = 'Date and start time are required'
    setErrors(e)
    setRefusal('')
    if (Object.keys(e).length > 0 || !type || !startsAt) return
    setBusy(true)
    try {
      let pid = Number(patientId)
      if (newPatient) {
        const p = await run('patients.register', {
          firstName: person.firstName.trim(),
          lastName: person.lastName.trim(),
          dateOfBirth: person.dateOfBirth,
          sex: person.sex,
          phone: person.phone.trim(),
          email: '',
          address: '',
          referringPhysician: '',
          notes: '',
          acknowledgeDuplicate: false,
        })
        pid = p.id
        // If the booking is refused, the patient stays registered and picked.
        setNewPatient(false)
        setPatientId(String(p.id))
        setPatientLabel(`${p.lastName}, ${p.firstName} · ${p.mrn}`)
        void refreshAfter('patients.register')
      }
      const booking = {
        patientId: pid,
        typeId: type.id,
        providerId: Number(providerId),
        ...(roomId ? { roomId: Number(roomId) } : {}),
        startsAt,
        notes: notes.trim(),
        ...(repeat ? { repeat: { everyWeeks: Number(everyWeeks), times: Number(times) } } : {}),
      }
      const booked = prefill.link ? await bookAndLink.mutateAsync({ ...booking, link: prefill.link }) : await book.mutateAsync(booking)
      const first = booked.appointments[0]!
      notifications.show({
        color: 'green',
        title: booked.appointments.length > 1 ? `${booked.appointments.length} appointments booked` : 'Appointment booked',
        message: `${first.patientName} · ${first.typeName} · ${describeWhen(first.startsAt, timeZone)} · ${first.roomName}`,
      })
      onBooked(first.startsAt)
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : null
      if (apiErr) {
        setErrors(Object.fromEntries(Object.entries(apiErr.fields).map(([k, v]) => [k, v.charAt(0).toUpperCase() + v.slice(1)])))
        setRefusal(apiErr.message)
      } else showApiError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <Stack gap="sm">
        <Checkbox label="New patient (quick registration)" checked={newPatient} onChange={(e) => setNewPatient(e.currentTarget.checked)} />
        {newPatient ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label="First name" required value={person.firstName} error={errors.firstName} onChange={(e) => setPerson({ ...person, firstName: e.currentTarget.value })} />
            <TextInput label="Last name" required value={person.lastName} error={errors.lastName} onChange={(e) => setPerson({ ...person, lastName: e.currentTarget.value })} />
            <DateField label="Date of birth" required value={person.dateOfBirth} error={errors.dateOfBirth} onChange={(v) => setPerson({ ...person, dateOfBirth: v })} />
            <NativeSelect label="Sex" value={person.sex} data={SEXES.map((s) => ({ value: s, label: SEX_LABELS[s] }))} onChange={(e) => setPerson({ ...person, sex: e.currentTarget.value as Sex })} />
            <TextInput label="Phone" type="tel" autoComplete="off" value={person.phone} onChange={(e) => setPerson({ ...person, phone: e.currentTarget.value })} />
          </SimpleGrid>
        ) : (
          <Select
            label="Patient"
            // most bookings are for a known patient: typing starts the search at once (Shift+Tab: new patient)
            data-autofocus={!prefill.patientId || undefined}
            placeholder="Type a name, MRN, birth date or phone"
            searchable
            clearable
            filter={({ options }) => options}
            data={patientOptions}
            value={patientId}
            onChange={(v, o) => {
              setPatientId(v)
              setPatientLabel(o?.label ?? '')
            }}
            searchValue={search}
            onSearchChange={setSearch}
            nothingFoundMessage={search.trim() ? 'No patient matches' : 'Type to search'}
            error={errors.patientId ?? errors.patientid}
          />
        )}
        {!newPatient && patientId && <PatientContactLine patientId={Number(patientId)} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NativeSelect
            label="Appointment type"
            value={typeId}
            error={errors.typeId}
            data={types.map((t) => ({ value: String(t.id), label: `${t.name} (${t.durationMinutes} min${t.observationMinutes ? ` + ${t.observationMinutes} min observation` : ''})` }))}
            onChange={(e) => setTypeId(e.currentTarget.value)}
          />
          <NativeSelect
            label="Provider"
            value={providerId}
            error={errors.providerId}
            data={providers.map((p) => ({ value: String(p.id), label: p.displayName }))}
            onChange={(e) => setProviderId(e.currentTarget.value)}
          />
          <NativeSelect
            label="Room"
            value={roomId}
            error={errors.roomId}
            data={[{ value: '', label: `First free ${type ? ROOM_KIND_LABELS[type.roomKind].toLowerCase() : 'room'}` }, ...rooms.map((r) => ({ value: String(r.id), label: r.name }))]}
            onChange={(e) => setRoomId(e.currentTarget.value)}
          />
          <div />
          <DateField label="Date" required value={date} error={errors.startsAt} onChange={(v) => setDate(v)} />
          <TextInput label="Start time" type="time" step={300} required value={time} onChange={(e) => setTime(e.currentTarget.value)} />
        </SimpleGrid>
        <Text size="sm" data-testid="booking-ends">
          {endsText && type ? `Ends at ${endsText} (${type.durationMinutes} min${type.observationMinutes ? `, then ${type.observationMinutes} min in an observation bay` : ''})` : 'Pick a type, date and start time'}
        </Text>
        <Group align="flex-end">
          <Checkbox label="Repeat weekly" checked={repeat} onChange={(e) => setRepeat(e.currentTarget.checked)} mb={8} />
          {repeat && (
            <>
              <NumberInput label="Every (weeks)" min={1} max={12} w={130} value={everyWeeks} onChange={setEveryWeeks} error={errors['repeat.everyWeeks']} />
              <NumberInput label="Times" min={2} max={52} w={110} value={times} onChange={setTimes} error={errors['repeat.times']} />
            </>
          )}
        </Group>
        <Textarea label="Notes" autosize minRows={1} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        {refusal && (
          <Alert color="red" title="Not booked" role="alert">
            {refusal}
          </Alert>
        )}
        <Group justify="space-between">
          <Button variant="default" onClick={() => void findNext()} disabled={!type || !providerId}>
            Find next free slot
          </Button>
          <Group>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Book
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  )
}
