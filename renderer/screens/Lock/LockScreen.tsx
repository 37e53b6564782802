import { notifications } from '@mantine/notifications'
import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core'
import { useState } from 'react'
import type { SessionUser } from '../../../shared/schemas/session'
import { ApiError, api } from '../../api'
import { CenteredCard } from '../../components/CenteredCard'
import { useSetSession } from '../../session'

/** Shown over everything once the window is idle: nothing of the previous screen stays visible. */
export function LockScreen({ user }: { user: SessionUser }) {
  const setSession = useSetSession()
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function unlock(e: React.FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      setSession(await api('session.unlock', { password }))
    } catch (err) {
      setPassword('')
      setError(err instanceof ApiError ? err.message : String(err))
      // the session is over (the account was locked, deactivated or its access changed): to the sign-in screen
      if (err instanceof ApiError && err.code === 'unauthenticated' && (/locked after|deactivated|Sign in first/.test(err.message) || (err.detail as { revoked?: boolean } | undefined)?.revoked)) {
        setSession(null)
        // said again on the sign-in screen, where the lock screen's own message no longer shows
        notifications.show({ color: 'red', title: 'Signed out', message: err.message, autoClose: false })
      }
    } finally {
      setBusy(false)
    }
  }

  async function signOut() {
    await api('session.signOut').catch(() => undefined)
    setSession(null)
  }

  return (
    <CenteredCard title="Screen locked" subtitle={`Signed in as ${user.displayName}. Enter your password to continue.`}>
      <form onSubmit={unlock} noValidate>
        <Stack>
          {error && (
            <Alert color="red" role="alert" title="Not unlocked">
              {error}
            </Alert>
          )}
          <PasswordInput label="Password" autoFocus autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Group justify="space-between">
            <Button variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
            <Button type="submit" loading={busy} disabled={password === ''}>
              Unlock
            </Button>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  )
}
