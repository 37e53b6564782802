import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { PatientCursor } from '../shared/schemas/patients'
import { api } from './api'

/** Patient search as the user types: debounced, keeps the previous hits on screen while the next ones load. */
export function usePatientSearch(q: string, limit = 50, enabled = true) {
  const [debounced] = useDebouncedValue(q.trim(), 120)
  return useQuery({
    queryKey: ['patients', 'search', debounced, limit],
    queryFn: () => api('patients.search', { q: debounced, limit }),
    placeholderData: keepPreviousData,
    enabled,
  })
}

/**
 * The patient list, a page at a time (keyset paging: each page starts after the last row of the one before),
 * so that a clinic of 100k patients scrolls without loading them all.
 */
export function usePatientPages(q: string, pageSize = 100) {
  const [debounced] = useDebouncedValue(q.trim(), 120)
  return useInfiniteQuery({
    queryKey: ['patients', 'pages', debounced, pageSize],
    queryFn: ({ pageParam }) => api('patients.search', { q: debounced, limit: pageSize, ...(pageParam ? { after: pageParam } : {}) }),
    initialPageParam: null as PatientCursor | null,
    getNextPageParam: (last): PatientCursor | null => {
      const p = last.at(-1)
      return p && last.length === pageSize ? { lastName: p.lastName, firstName: p.firstName, id: p.id } : null
    },
    placeholderData: keepPreviousData,
  })
}
