/**
 * What a signed clinical record (a consultation note, a procedure note, a discharge summary) shows about
 * its signature, addenda and entered-in-error mark, and the actions on it. The record's own channels are
 * passed in (`add`, `mark`): each screen keeps its caches in step.
 */
import { Alert, Badge, Button, Group, Modal, Paper, PasswordInput, Stack, Text, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { getHotkeyHandler } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { AddAddendum, MarkEnteredInError, type SigningState } from '../../../shared/schemas/signing'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { useClinicClock } from '../../clinicClock'

export function SignatureStatus({ signing: s, providerName, noun }: { signing: SigningState; providerName: string; noun: string }) {
  const clock = useClinicClock()
  if (s.status === 'enteredInError' && s.enteredInError) {
    return (
      <Alert color="red" title="Entered in error" role="status" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
        <Text size="sm">
          Marked entered in error by {s.enteredInError.markerName} at {clock.dateTime(s.enteredInError.markedAt)}: {s.enteredInError.reason}
        </Text>
        {s.signature && (
          <Text size="sm" mt={4}>
            Its signature ({s.signature.signerName}, {clock.dateTime(s.signature.signedAt)}) no longer counts. The {noun} stays readable for the record.
          </Text>
        )}
      </Alert>
    )
  }
  if (s.status === 'signed' && s.signature) {
    return (
      <Stack gap={4}>
        <Group gap="xs">
          <Badge color="teal.9">Signed</Badge>
          <Text fw={600} data-testid="signed-line">
            Signed by {s.signature.signerName} at {clock.dateTime(s.signature.signedAt)}
          </Text>
          <Text size="sm" c="gray.8">
            · locked; corrections are addenda
          </Text>
        </Group>
        {!s.signature.valid && (
          <Alert color="red" title="The content no longer matches its signature" role="alert" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
            The {noun} was changed outside the app after it was signed. Tell the administrator.
          </Alert>
        )}
      </Stack>
    )
  }
  return <Badge color="violet.9">Draft (not signed) · {providerName}</Badge>
}

type AddendumValues = { id: number; text: string; password: string }

export function Addenda({ id, signing, canAdd, add }: { id: number; signing: SigningState; canAdd: boolean; add: (values: AddendumValues) => Promise<void> }) {
  const clock = useClinicClock()
  // an addendum is signed as it is added: the signer's password is asked again (checked by the main process)
  const form = useForm<AddendumValues>({ initialValues: { id, text: '', password: '' }, validate: validateWith(AddAddendum) })
  const [busy, setBusy] = useState(false)
  const addenda = signing.addenda
  if (addenda.length === 0 && !canAdd) return null

  async function submit(values: AddendumValues) {
    setBusy(true)
    try {
      await add(values)
      form.reset()
      notifications.show({ color: 'green', title: 'Addendum signed', message: 'It is added to the record.' })
    } catch (err) {
      form.setFieldValue('password', '')
      showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`addenda-${id}`}>
      <Stack gap="sm">
        <Title order={3} id={`addenda-${id}`}>
          Addenda
        </Title>
        {addenda.length === 0 && <Text size="sm">No addenda.</Text>}
        {addenda.map((a) => (
          <Stack key={a.id} gap={2} style={{ borderLeft: '3px solid var(--mantine-color-indigo-8)', paddingLeft: 10 }} data-testid="addendum">
            <Text size="sm" fw={600}>
              Addendum signed by {a.authorName} at {clock.dateTime(a.signedAt)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {a.text}
            </Text>
          </Stack>
        ))}
        {canAdd && (
          <form onSubmit={form.onSubmit((values) => void submit(values), focusFirstError)} noValidate>
            <Stack gap="xs">
              <Textarea
                label="New addendum"
                description="Signed with your name and the time as soon as you add it; it cannot be edited. Ctrl+Enter adds it."
                autosize
                minRows={2}
                {...form.getInputProps('text')}
                onKeyDown={getHotkeyHandler([['mod+Enter', () => form.onSubmit((values) => void submit(values), focusFirstError)()]])}
              />
              <PasswordInput label="Your password" description="Signing the addendum puts your name on it: enter your password to confirm it is you." autoComplete="current-password" {...form.getInputProps('password')} />
              <Group justify="flex-end">
                <Button type="submit" loading={busy}>
                  Sign and add addendum
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  )
}

export function EnteredInErrorButton({ id, noun, explain, mark }: { id: number; noun: string; explain: string; mark: (values: { id: number; reason: string }) => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const form = useForm({ initialValues: { id, reason: '' }, validate: validateWith(MarkEnteredInError) })
  async function submit(values: { id: number; reason: string }) {
    setBusy(true)
    try {
      await mark(values)
      setOpen(false)
      notifications.show({ color: 'orange', title: 'Marked entered in error', message: `The ${noun} stays readable; it no longer counts.` })
    } catch (err) {
      showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)}>
        Mark entered in error…
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Mark this ${noun} entered in error`}>
        <form onSubmit={form.onSubmit((values) => void submit(values), focusFirstError)} noValidate>
          <Stack>
            <Text size="sm">{explain}</Text>
            <Textarea label="Reason" required data-autofocus autosize minRows={2} {...form.getInputProps('reason')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" color="red.9" loading={busy}>
                Mark entered in error
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  )
}
