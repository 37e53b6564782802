/**
 * Queries that several screens share (the chart, a patient's follow-ups, patient search), built on the data
 * module's useChannel: their keys and refreshes come from the contract (renderer/data.ts).
 */
import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import type { PatientCursor } from '../shared/schemas/patients'
import { channelKey, run, useChannel } from './data'

/** Patient search as the user types: debounced, keeps the previous hits on screen while the next ones load. */
export function usePatientSearch(q: string, limit = 50, enabled = true) {
  const [debounced] = useDebouncedValue(q.trim(), 120)
  const result = useChannel('patients.search', { q: debounced, limit }, { placeholderData: keepPreviousData, enabled })
  // what is shown is the answer to what is typed now (not the last query's, kept on screen while the next one runs)
  const current = !result.isFetching && !result.isPlaceholderData && debounced === q.trim()
  return { ...result, current }
}

/**
 * The patient list, a page at a time (keyset paging: each page starts after the last row of the one before),
 * so that a clinic of 100k patients scrolls without loading them all.
 */
export function usePatientPages(q: string, pageSize = 100) {
  const [debounced] = useDebouncedValue(q.trim(), 120)
  return useInfiniteQuery({
    // keyed by the channel, so that a patient registered or changed anywhere refreshes the list (data.ts)
    queryKey: [...channelKey('patients.search', { q: debounced, limit: pageSize }), 'pages'],
    queryFn: ({ pageParam }) => run('patients.search', { q: debounced, limit: pageSize, ...(pageParam ? { after: pageParam } : {}) }),
    initialPageParam: null as PatientCursor | null,
    getNextPageParam: (last): PatientCursor | null => {
      const p = last.at(-1)
      return p && last.length === pageSize ? { lastName: p.lastName, firstName: p.firstName, id: p.id } : null
    },
    placeholderData: keepPreviousData,
  })
}

/** A patient's chart (header, spine, timeline). */
export function useChart(patientId: number, enabled = true) {
  return useChannel('chart.get', { patientId }, { enabled })
}

/** A patient's outcome scores over time and their follow-up visits. */
export function usePatientOutcomes(patientId: number, enabled = true) {
  return useChannel('outcomes.patient', { patientId }, { enabled })
}

const byTarget = (a: { targetDate: string; id: number }, b: { targetDate: string; id: number }) => (a.targetDate < b.targetDate ? -1 : a.targetDate > b.targetDate ? 1 : a.id - b.id)

/** A patient's follow-ups not cancelled (proposed or booked), earliest first. */
export function usePatientFollowUps(patientId: number) {
  const proposed = useChannel('followUps.list', { status: 'proposed', patientId })
  const booked = useChannel('followUps.list', { status: 'booked', patientId })
  const data = proposed.data && booked.data ? [...proposed.data, ...booked.data].sort(byTarget) : undefined
  return { data, isPending: proposed.isPending || booked.isPending, isError: proposed.isError || booked.isError, error: proposed.error ?? booked.error }
}

/** The clinic's settings (time zone, follow-up intervals, ...). */
export function useSettings() {
  return useChannel('settings.get', {})
}
