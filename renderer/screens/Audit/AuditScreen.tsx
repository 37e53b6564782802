/**
 * The audit log for managers and administrators: filtered by user, patient (picked by search), action and
 * a date range (calendar days in the clinic's time zone), newest first a page at a time; the filtered rows
 * exported as CSV (the main process writes the file and records the export in the log).
 */
import { Alert, Anchor, Button, Code, Group, Loader, Select, Stack, Table, Text, Title } from '@mantine/core'
import { DatePickerInput } from '@mantine/dates'
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import type { AuditFilter, AuditPatientOption } from '../../../shared/schemas/audit'
import { api } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { useClinicClock } from '../../clinicClock'
import { showApiError } from '../../forms'
import { actionInWords, detailsInWords } from './auditWords'

const PAGE = 100

export default function AuditScreen() {
  const clock = useClinicClock()
  const [userId, setUserId] = useState<string | null>(null)
  const [patient, setPatient] = useState<AuditPatientOption | null>(null)
  const [action, setAction] = useState<string | null>(null)
  const [dates, setDates] = useState<[string | null, string | null]>([null, null])
  // Ids of the first row of each page shown so far: "Newer" goes back one, "Older" forward.
  const [pages, setPages] = useState<(number | undefined)[]>([undefined])

  const filter: AuditFilter = useMemo(
    () => ({
      ...(userId ? { userId: Number(userId) } : {}),
      ...(patient ? { patientId: patient.id } : {}),
      ...(action ? { action } : {}),
      ...(dates[0] ? { from: dates[0] } : {}),
      ...(dates[1] ? { to: dates[1] } : {}),
    }),
    [userId, patient, action, dates],
  )
  // A new filter starts at the newest page.
  useEffect(() => setPages([undefined]), [filter])
  const beforeId = pages.at(-1)

  const options = useQuery({ queryKey: ['audit', 'filterOptions'], queryFn: () => api('audit.filterOptions') })
  const q = useQuery({
    queryKey: ['audit', 'list', filter, beforeId],
    queryFn: () => api('audit.list', { ...filter, beforeId, limit: PAGE }),
    placeholderData: keepPreviousData,
  })

  return (
    <Stack>
      <Title order={2}>Audit log</Title>
      <Text size="sm" c="gray.8">
        Every sign-in, view of a clinical record, change, signature, print, export, backup and restore, newest first. Dates are days in the clinic&apos;s time
        zone.
      </Text>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="User"
          placeholder="Anyone"
          searchable
          clearable
          value={userId}
          onChange={setUserId}
          data={(options.data?.users ?? []).map((u) => ({ value: String(u.id), label: `${u.displayName} (${u.username})${u.active ? '' : ', inactive'}` }))}
          w={260}
        />
        <PatientPicker value={patient} onChange={setPatient} />
        <Select
          label="Action"
          placeholder="Any action"
          description="Type a word: viewed, signed, patient"
          searchable
          clearable
          value={action}
          onChange={setAction}
          data={(options.data?.actions ?? []).map((a) => ({ value: a, label: actionInWords(a) }))}
          w={240}
        />
        <DatePickerInput
          type="range"
          label="Dates"
          description="First and last day (empty: any date)"
          allowSingleDateInRange
          clearable
          value={dates}
          onChange={(v) => setDates(v as [string | null, string | null])}
          valueFormat="MM/DD/YYYY"
          w={260}
        />
        <CsvExport filter={filter} />
      </Group>
      {q.isPending ? (
        <Loader aria-label="Loading audit log" />
      ) : q.isError ? (
        <ErrorPanel error={q.error} />
      ) : (
        <>
          <Table striped aria-label="Audit log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Workstation</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Record</Table.Th>
                <Table.Th>Patient</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{clock.dateTime(r.at)}</Table.Td>
                  <Table.Td>{r.username ?? '—'}</Table.Td>
                  <Table.Td>{r.workstation}</Table.Td>
                  <Table.Td title={r.action}>{actionInWords(r.action)}</Table.Td>
                  <Table.Td>{r.entity ? `${r.entity} ${r.entityId ?? ''}` : '—'}</Table.Td>
                  <Table.Td>{r.patientMrn ?? (r.patientId ? `#${r.patientId}` : '—')}</Table.Td>
                  <Table.Td>
                    <Details raw={r.details} action={r.action} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {q.data.length === 0 && <Text>No entries match.</Text>}
          <Group>
            <Button variant="default" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
              Newer entries
            </Button>
            <Button variant="default" disabled={q.data.length < PAGE} onClick={() => setPages([...pages, q.data.at(-1)!.id])}>
              Older entries
            </Button>
            <Text size="sm" c="gray.8">
              Page {pages.length}
            </Text>
          </Group>
        </>
      )}
    </Stack>
  )
}

/** A patient chosen by name, MRN, phone or birth date. */
function PatientPicker({ value, onChange }: { value: AuditPatientOption | null; onChange: (p: AuditPatientOption | null) => void }) {
  const [search, setSearch] = useState('')
  const [debounced] = useDebouncedValue(search.trim(), 200)
  const found = useQuery({
    queryKey: ['audit', 'findPatients', debounced],
    queryFn: () => api('audit.findPatients', { q: debounced }),
    enabled: debounced.length >= 2 && debounced !== label(value),
  })
  const options = [...(value ? [value] : []), ...(found.data ?? []).filter((p) => p.id !== value?.id)]
  return (
    <Select
      label="Patient"
      placeholder="Any patient"
      description="Type a name, MRN or birth date"
      searchable
      clearable
      w={280}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={debounced.length >= 2 && !found.isFetching ? 'No patient found' : undefined}
      value={value ? String(value.id) : null}
      onChange={(id) => onChange(options.find((p) => String(p.id) === id) ?? null)}
      data={options.map((p) => ({ value: String(p.id), label: label(p) }))}
    />
  )
}

const label = (p: AuditPatientOption | null) => (p ? `${p.name} (${p.mrn}, ${p.dateOfBirth})` : '')

/** Asks the main process for the filtered rows as CSV and offers the file. */
function CsvExport({ filter }: { filter: AuditFilter }) {
  const [file, setFile] = useState<{ url: string; fileName: string; rows: number } | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => () => {
    if (file) URL.revokeObjectURL(file.url)
  }, [file])
  useEffect(() => setFile(null), [filter])

  async function make() {
    setBusy(true)
    try {
      const r = await api('audit.export', filter)
      setFile({ url: URL.createObjectURL(new Blob([r.content], { type: r.mimeType })), fileName: r.fileName, rows: r.rows })
    } catch (err) {
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Stack gap={4}>
      <Button variant="light" loading={busy} onClick={() => void make()}>
        Export CSV
      </Button>
      {file && (
        <Alert color="green" p="xs" aria-live="polite">
          <Anchor href={file.url} download={file.fileName}>
            Download {file.fileName}
          </Anchor>{' '}
          ({file.rows} entr{file.rows === 1 ? 'y' : 'ies'}; the export is recorded in the log)
        </Alert>
      )}
    </Stack>
  )
}

/** The details in words; the record as stored (the action's code and its JSON) one click away. */
function Details({ raw, action }: { raw: string; action: string }) {
  const [open, setOpen] = useState(false)
  return (
    <Stack gap={4} align="flex-start">
      <Text size="sm">{detailsInWords(raw)}</Text>
      <Anchor component="button" type="button" size="xs" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? 'Hide the raw record' : 'Raw record'}
      </Anchor>
      {open && (
        <Code block>
          {action}
          {'\n'}
          {raw}
        </Code>
      )}
    </Stack>
  )
}
