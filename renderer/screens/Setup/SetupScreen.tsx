import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useState } from 'react'
import { CompleteSetup } from '../../../shared/schemas/setup'
import { api } from '../../api'
import { CenteredCard } from '../../components/CenteredCard'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { useSetSession } from '../../session'

const schemaCheck = validateWith(CompleteSetup)

/** First run: no users exist yet. Names the clinic and creates the first administrator. */
export function SetupScreen() {
  const setSession = useSetSession()
  const [busy, setBusy] = useState(false)
  const form = useForm({
    initialValues: { clinicName: '', admin: { displayName: '', username: '', password: '' }, confirm: '' },
    validate: (values) => {
      const errors = schemaCheck(values)
      if (values.confirm !== values.admin.password) errors.confirm = 'The two passwords differ'
      return errors
    },
  })

  const submit = form.onSubmit(async ({ clinicName, admin }) => {
    setBusy(true)
    try {
      setSession(await api('setup.complete', { clinicName, admin }))
    } catch (err) {
      showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }, focusFirstError)

  return (
    <CenteredCard
      title="Welcome to Spine Clinic"
      subtitle="First run: name the clinic and create the first administrator. The administrator then adds the other users."
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Clinic name" autoFocus required {...form.getInputProps('clinicName')} />
          <Text fw={600} size="sm" mt="xs">
            First administrator
          </Text>
          <TextInput label="Full name" required autoComplete="name" {...form.getInputProps('admin.displayName')} />
          <TextInput
            label="User name"
            description="Letters, digits, dot, dash or underscore"
            required
            autoComplete="username"
            {...form.getInputProps('admin.username')}
          />
          <PasswordInput
            label="Password"
            description="At least 10 characters"
            required
            autoComplete="new-password"
            {...form.getInputProps('admin.password')}
          />
          <PasswordInput label="Repeat the password" required autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Button type="submit" loading={busy}>
            Create the clinic
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  )
}
