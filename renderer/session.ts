import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { SessionState } from '../shared/schemas/session'
import { api, onAuthLost } from './api'

export const SESSION_KEY = ['session'] as const

export function useSession() {
  const qc = useQueryClient()
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: () => api('session.state') })
  useEffect(() => onAuthLost(() => void qc.invalidateQueries({ queryKey: SESSION_KEY })), [qc])
  return query
}

/** After sign-in, unlock or sign-out: replace the session and drop every cached record of the previous user. */
export function useSetSession() {
  const qc = useQueryClient()
  return (state: SessionState | null) => {
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] })
    if (state) qc.setQueryData(SESSION_KEY, state)
    else void qc.invalidateQueries({ queryKey: SESSION_KEY })
  }
}
