import { Alert, Box, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { SEX_LABELS } from '../../../shared/schemas/patients'
import { isSearchable } from '../../../shared/text'
import { usePatientPages } from '../../hooks'
import { useClinicClock } from '../../clinicClock'
import { formatDob } from '../../format'
import { navigate } from '../../routing'
import { useCan } from '../../data'

const ROW_HEIGHT = 41
const PAGE = 100

/**
 * The patient list: a real table (its rows and cells keep their roles), of which only the rows in view are
 * drawn; pages of 100 are fetched as the list scrolls near its end. Keyboard: Down arrow from the search
 * box goes to the first row; in the list, Up/Down, Page Up/Down, Home and End move between rows (the
 * list scrolls to keep the focused row drawn); Enter opens the patient.
 */
export function PatientList() {
  const today = useClinicClock().today()
  const [q, setQ] = useState('')
  const pages = usePatientPages(q, PAGE)
  const canRegister = useCan('patients.register')
  const rows = useMemo(() => pages.data?.pages.flat() ?? [], [pages.data])
  const more = pages.hasNextPage
  const scrollRef = useRef<HTMLDivElement>(null)
  const [focusIndex, setFocusIndex] = useState<number | null>(null)

  const virtualizer = useVirtualizer({
    count: rows.length + (more ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const lastItem = items.at(-1)

  // Fetch the next page when the drawn rows come near the end of what is loaded.
  useEffect(() => {
    if (lastItem && lastItem.index >= rows.length - 20 && more && !pages.isFetchingNextPage) void pages.fetchNextPage()
  }, [lastItem, rows.length, more, pages])

  // Keyboard moves: focus the row's link once the row is drawn.
  useEffect(() => {
    if (focusIndex === null) return
    const link = scrollRef.current?.querySelector<HTMLAnchorElement>(`tr[data-index="${focusIndex}"] a`)
    if (link) {
      link.focus({ preventScroll: true })
      setFocusIndex(null)
    }
  }, [focusIndex, items])

  const moveTo = (index: number) => {
    const target = Math.max(0, Math.min(rows.length - 1, index))
    virtualizer.scrollToIndex(target, { align: 'auto' })
    setFocusIndex(target)
  }
  const onRowKey = (index: number) => (e: KeyboardEvent) => {
    const perPage = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1)
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + perPage, PageUp: index - perPage, Home: 0, End: rows.length - 1 }
    if (e.key in moves) {
      e.preventDefault()
      moveTo(moves[e.key]!)
    }
  }

  const before = items[0]?.start ?? 0
  const after = lastItem ? virtualizer.getTotalSize() - lastItem.end : 0

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Patients</Title>
        {canRegister && <Button onClick={() => navigate('/patients/new')}>Register patient</Button>}
      </Group>
      <TextInput
        label="Search"
        description="The start of any of the names, in any order (garc mar), the MRN, birth date (YYYY-MM-DD or MM/DD/YYYY) or phone. Down arrow: the list."
        placeholder="e.g. garcia maria"
        value={q}
        onChange={(e) => {
          setQ(e.currentTarget.value)
          scrollRef.current?.scrollTo({ top: 0 })
        }}
        rightSection={pages.isFetching && !pages.isFetchingNextPage ? <Loader size="xs" aria-label="Searching" /> : null}
        autoFocus
        onKeyDown={(e) => {
          if (e.key === 'Enter' && rows[0]) navigate(`/patients/${rows[0].id}`)
          if (e.key === 'ArrowDown' && rows[0]) {
            e.preventDefault()
            moveTo(0)
          }
        }}
      />
      {pages.isError && <Alert color="red">{pages.error.message}</Alert>}
      <Box ref={scrollRef} data-testid="patient-list-scroller" style={{ maxHeight: 'max(320px, calc(100vh - 300px))', overflowY: 'auto' }}>
        <Table highlightOnHover striped stickyHeader aria-label="Patients found" aria-rowcount={more ? -1 : rows.length + 1} layout="fixed">
          <Table.Thead>
            <Table.Tr aria-rowindex={1}>
              <Table.Th w="32%">Name</Table.Th>
              <Table.Th w="14%">MRN</Table.Th>
              <Table.Th w="14%">Born</Table.Th>
              <Table.Th w="12%">Sex</Table.Th>
              <Table.Th>Phone</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {before > 0 && (
              <tr aria-hidden="true">
                <td colSpan={5} style={{ height: before, padding: 0, border: 0 }} />
              </tr>
            )}
            {items.map((item) => {
              const p = rows[item.index]
              if (!p) {
                return (
                  <Table.Tr key="more" data-index={item.index} style={{ height: ROW_HEIGHT }}>
                    <Table.Td colSpan={5}>
                      <Text c="gray.8" size="sm">
                        Loading more patients…
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )
              }
              return (
                <Table.Tr key={p.id} data-index={item.index} aria-rowindex={item.index + 2} style={{ cursor: 'pointer', height: ROW_HEIGHT }} onClick={() => navigate(`/patients/${p.id}`)}>
                  <Table.Td style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                    <a href={`#/patients/${p.id}`} onKeyDown={onRowKey(item.index)}>
                      {p.lastName}, {p.firstName}
                    </a>
                  </Table.Td>
                  <Table.Td>{p.mrn}</Table.Td>
                  <Table.Td>{formatDob(p.dateOfBirth, today)}</Table.Td>
                  <Table.Td>{SEX_LABELS[p.sex]}</Table.Td>
                  <Table.Td>{p.phone}</Table.Td>
                </Table.Tr>
              )
            })}
            {after > 0 && (
              <tr aria-hidden="true">
                <td colSpan={5} style={{ height: after, padding: 0, border: 0 }} />
              </tr>
            )}
          </Table.Tbody>
        </Table>
      </Box>
      {!pages.isPending && rows.length === 0 && (
        <Text c="gray.8">
          {!isSearchable(q) ? 'Type at least two letters of a name.' : q.trim() ? `No patient matches “${q.trim()}”.` : 'No patients registered yet.'}
        </Text>
      )}
    </Stack>
  )
}
