import { notifications } from '@mantine/notifications'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { SessionState } from '../shared/schemas/session'
import { api, onAuthLost } from './api'
import { SESSION_KEY, forgetRecords, refreshSession } from './dataKeys'

export { SESSION_KEY }

let firstState = true

/**
 * The session as this page first finds it. A page that starts out signed in and unlocked is a reload (an
 * Electron window keeps its session across one; a crashed renderer is reloaded): it shows the lock screen, so
 * the same user continues with their password and their restored drafts (the development bridge's reload is
 * locked by the bridge itself, see api.ts).
 */
async function sessionState(): Promise<SessionState> {
  const state = await api('session.state')
  if (!firstState) return state
  firstState = false
  if (!state.user || state.locked) return state
  // shown locked even if the call failed: unlocking an unlocked window only checks the password
  await api('session.lock', { reason: 'reload' }).catch(() => undefined)
  return { ...state, locked: true }
}

export function useSession() {
  const qc = useQueryClient()
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: sessionState })
  useEffect(() => onAuthLost(() => void refreshSession(qc)), [qc])
  return query
}

/**
 * After sign-in, unlock or sign-out: replace the session and drop every cached record of the previous user. Their
 * notifications go too ("Frank can now sign in as frank" is not for whoever sits down next); the same user's stay.
 */
export function useSetSession() {
  const qc = useQueryClient()
  return (state: SessionState | null) => {
    const before = qc.getQueryData<SessionState>(SESSION_KEY)?.user?.username
    if (!state?.user || state.user.username !== before) notifications.clean()
    forgetRecords(qc)
    if (state) qc.setQueryData(SESSION_KEY, state)
    else void refreshSession(qc)
  }
}
