/**
 * What a signed note says about its signature, its addenda and an entered-in-error mark, and the actions
 * on it: add a signed addendum, mark entered in error, record the reassessment outcome of its care plan.
 */
import { Alert, Badge, Button, Group, Modal, Paper, Radio, Stack, Text, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { getHotkeyHandler } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { AddAddendum, MarkEnteredInError } from '../../../shared/schemas/signing'
import { RecordCareOutcome, type ConsultationView } from '../../../shared/schemas/consultations'
import { api } from '../../api'
import { showApiError, validateWith } from '../../forms'
import { formatDate, formatInstant } from '../../format'

const noteKey = (id: number) => ['consultations', 'get', id] as const

/** The status line at the top of a note. */
export function SignatureStatus({ view: v }: { view: ConsultationView }) {
  const s = v.signing
  if (s.status === 'enteredInError' && s.enteredInError) {
    return (
      <Alert color="red" title="Entered in error" role="status" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
        <Text size="sm">
          Marked entered in error by {s.enteredInError.markerName} at {formatInstant(s.enteredInError.markedAt)}: {s.enteredInError.reason}
        </Text>
        {s.signature && (
          <Text size="sm" mt={4}>
            Its signature ({s.signature.signerName}, {formatInstant(s.signature.signedAt)}) no longer counts. The note stays readable for the record.
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
            Signed by {s.signature.signerName} at {formatInstant(s.signature.signedAt)}
          </Text>
          <Text size="sm" c="gray.8">
            · locked; corrections are addenda
          </Text>
        </Group>
        {!s.signature.valid && (
          <Alert color="red" title="The content no longer matches its signature" role="alert" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
            The note was changed outside the app after it was signed. Tell the administrator.
          </Alert>
        )}
      </Stack>
    )
  }
  return <Badge color="violet.9">Draft (not signed) · {v.providerName}</Badge>
}

export function Addenda({ view: v, canAdd }: { view: ConsultationView; canAdd: boolean }) {
  const qc = useQueryClient()
  const form = useForm({ initialValues: { id: v.id, text: '' }, validate: validateWith(AddAddendum) })
  const [busy, setBusy] = useState(false)
  const addenda = v.signing.addenda
  if (addenda.length === 0 && !canAdd) return null

  async function add(values: { id: number; text: string }) {
    setBusy(true)
    try {
      const next = await api('consultations.addAddendum', values)
      qc.setQueryData(noteKey(v.id), next)
      void qc.invalidateQueries({ queryKey: ['chart'] })
      form.reset()
      notifications.show({ color: 'green', title: 'Addendum signed', message: 'It is added to the note.' })
    } catch (err) {
      showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="addenda-title">
      <Stack gap="sm">
        <Title order={3} id="addenda-title">
          Addenda
        </Title>
        {addenda.length === 0 && <Text size="sm">No addenda.</Text>}
        {addenda.map((a) => (
          <Stack key={a.id} gap={2} style={{ borderLeft: '3px solid var(--mantine-color-indigo-8)', paddingLeft: 10 }} data-testid="addendum">
            <Text size="sm" fw={600}>
              Addendum signed by {a.authorName} at {formatInstant(a.signedAt)}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {a.text}
            </Text>
          </Stack>
        ))}
        {canAdd && (
          <form onSubmit={form.onSubmit((values) => void add(values))} noValidate>
            <Stack gap="xs">
              <Textarea
                label="New addendum"
                description="Signed with your name and the time as soon as you add it; it cannot be edited. Ctrl+Enter adds it."
                autosize
                minRows={2}
                {...form.getInputProps('text')}
                onKeyDown={getHotkeyHandler([['mod+Enter', () => form.onSubmit((values) => void add(values))()]])}
              />
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

export function EnteredInErrorButton({ view: v }: { view: ConsultationView }) {
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const form = useForm({ initialValues: { id: v.id, reason: '' }, validate: validateWith(MarkEnteredInError) })
  async function mark(values: { id: number; reason: string }) {
    setBusy(true)
    try {
      const next = await api('consultations.markEnteredInError', values)
      qc.setQueryData(noteKey(v.id), next)
      void qc.invalidateQueries({ queryKey: ['chart'] })
      void qc.invalidateQueries({ queryKey: ['procedureRequests'] })
      setOpen(false)
      notifications.show({ color: 'orange', title: 'Marked entered in error', message: 'The note stays readable; it no longer counts.' })
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
      <Modal opened={open} onClose={() => setOpen(false)} title="Mark this note entered in error">
        <form onSubmit={form.onSubmit((values) => void mark(values))} noValidate>
          <Stack>
            <Text size="sm">
              Use this for a note that should not exist (wrong patient, duplicate). It stays readable with your name and reason; its signature stops counting and an open
              procedure request from it is cancelled. To correct a detail, add an addendum instead.
            </Text>
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

/** At the reassessment visit: conservative care improved or failed, and why (recorded once). */
export function CareOutcomeForm({ view: v }: { view: ConsultationView }) {
  const qc = useQueryClient()
  const plan = v.carePlan!
  const form = useForm({ initialValues: { planId: plan.id, version: plan.version, outcome: '' as string, reason: '' }, validate: validateWith(RecordCareOutcome) })
  const [busy, setBusy] = useState(false)
  const [open, setOpen] = useState(false)
  async function record(values: typeof form.values) {
    setBusy(true)
    try {
      await api('care.recordOutcome', { ...values, outcome: values.outcome as 'improved' | 'failed' })
      await qc.invalidateQueries({ queryKey: noteKey(v.id) })
      void qc.invalidateQueries({ queryKey: ['chart'] })
      notifications.show({ color: 'green', title: 'Reassessment recorded', message: `Conservative care ${values.outcome}` })
    } catch (err) {
      showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }
  if (!open) {
    return (
      <Group>
        <Button variant="default" onClick={() => setOpen(true)}>
          Record the reassessment of conservative care (due {formatDate(plan.reassessmentDate)})…
        </Button>
      </Group>
    )
  }
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="outcome-title">
      <form onSubmit={form.onSubmit((values) => void record(values))} noValidate>
        <Stack gap="xs">
          <Title order={3} id="outcome-title">
            Reassessment of conservative care (due {formatDate(plan.reassessmentDate)})
          </Title>
          <Radio.Group label="Outcome" required {...form.getInputProps('outcome')}>
            <Group mt={4}>
              <Radio value="improved" label="Improved" autoFocus />
              <Radio value="failed" label="Failed" />
            </Group>
          </Radio.Group>
          <Textarea label="Why" description="Pain, mobility, side effects (confusion, sedation, constipation)" required autosize minRows={2} {...form.getInputProps('reason')} />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Record reassessment
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  )
}
