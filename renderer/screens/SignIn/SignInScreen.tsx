import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useState } from 'react'
import { SignIn } from '../../../shared/schemas/session'
import { ApiError, api } from '../../api'
import { CenteredCard } from '../../components/CenteredCard'
import { capitalizeAll, focusFirstError, validateWith } from '../../forms'
import { useSetSession } from '../../session'

export function SignInScreen({ clinicName }: { clinicName: string }) {
  const setSession = useSetSession()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const form = useForm({ initialValues: { username: '', password: '' }, validate: validateWith(SignIn) })

  const submit = form.onSubmit(async (values) => {
    setBusy(true)
    setError(null)
    try {
      setSession(await api('session.signIn', values))
    } catch (err) {
      if (err instanceof ApiError) {
        setError(err.message)
        form.setFieldValue('password', '')
        form.setErrors(capitalizeAll(err.fields))
      } else setError(String(err))
    } finally {
      setBusy(false)
    }
  }, focusFirstError)

  return (
    <CenteredCard title="Sign in" subtitle={clinicName}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {error && (
            <Alert color="red" role="alert" title="Not signed in">
              {error}
            </Alert>
          )}
          <TextInput label="User name" autoComplete="username" autoFocus required {...form.getInputProps('username')} />
          <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  )
}
