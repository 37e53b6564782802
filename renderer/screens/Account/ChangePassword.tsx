/**
 * Choosing one's own password: at the first sign-in after an administrator set it (nothing else can be done
 * until then), or any time from the user menu. The main process checks the current password (with the window's
 * backoff), refuses a new one equal to it, and ends the user's other sessions on every workstation.
 */
import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import type { SessionState } from '../../../shared/schemas/session'
import { ChangePassword } from '../../../shared/schemas/session'
import { ApiError, api } from '../../api'
import { CenteredCard } from '../../components/CenteredCard'
import { capitalizeAll, focusFirstError, validateWith } from '../../forms'
import { useSetSession } from '../../session'

const schemaCheck = validateWith(ChangePassword)

export function ChangePasswordForm({ onChanged, onCancel, currentLabel = 'Current password' }: { onChanged: (state: SessionState) => void; onCancel?: () => void; currentLabel?: string }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: (values) => {
      const errors = schemaCheck(values)
      if (values.confirm !== values.newPassword) errors.confirm = 'The two new passwords differ'
      return errors
    },
  })

  const submit = form.onSubmit(async ({ currentPassword, newPassword }) => {
    setBusy(true)
    setError(null)
    try {
      const state = await api('session.changePassword', { currentPassword, newPassword })
      notifications.show({ color: 'green', title: 'Password changed', message: 'Use your new password from now on. Your other sessions were signed out.' })
      onChanged(state)
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.message)
        form.setFieldValue('currentPassword', '')
        form.setErrors(capitalizeAll(err.fields))
      } else setError(String(err))
    } finally {
      setBusy(false)
    }
  }, focusFirstError)

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {error && (
          <Alert color="red" role="alert" title="Password not changed">
            {error}
          </Alert>
        )}
        <PasswordInput label={currentLabel} autoComplete="current-password" required data-autofocus autoFocus {...form.getInputProps('currentPassword')} />
        <PasswordInput label="New password" description="At least 10 characters, known only to you" autoComplete="new-password" required {...form.getInputProps('newPassword')} />
        <PasswordInput label="Repeat the new password" autoComplete="new-password" required {...form.getInputProps('confirm')} />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={busy}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  )
}

/** After sign-in with a password an administrator set: the only way on is choosing one's own (or signing out). */
export function ForcedPasswordChange({ state }: { state: SessionState }) {
  const setSession = useSetSession()
  async function signOut() {
    await api('session.signOut').catch(() => undefined)
    setSession(null)
  }
  return (
    <CenteredCard
      title="Choose your own password"
      subtitle={`Signed in as ${state.user?.displayName ?? ''}. An administrator set the password you signed in with; choose one that only you know before you continue.`}
    >
      <ChangePasswordForm currentLabel="Password you were given" onChanged={setSession} />
      <Button variant="subtle" onClick={() => void signOut()}>
        Sign out instead
      </Button>
    </CenteredCard>
  )
}
