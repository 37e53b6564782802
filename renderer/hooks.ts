import { useDebouncedValue } from '@mantine/hooks'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
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
