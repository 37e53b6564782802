/** At the reassessment visit of a signed note: conservative care improved or failed, and why (recorded once). */
import { Button, Group, Paper, Radio, Stack, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { RecordCareOutcome, type ConsultationView } from '../../../shared/schemas/consultations'
import { useWrite } from '../../data'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { formatDate } from '../../format'

export function CareOutcomeForm({ view: v }: { view: ConsultationView }) {
  const recordOutcome = useWrite('care.recordOutcome')
  const plan = v.carePlan!
  const form = useForm({ initialValues: { planId: plan.id, version: plan.version, outcome: '' as string, reason: '' }, validate: validateWith(RecordCareOutcome) })
  const [busy, setBusy] = useState(false)
  const [open, setOpen] = useState(false)
  async function record(values: typeof form.values) {
    setBusy(true)
    try {
      // refreshes the note and the chart (both show the plan's outcome)
      await recordOutcome.mutateAsync({ ...values, outcome: values.outcome as 'improved' | 'failed' })
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
      <form onSubmit={form.onSubmit((values) => void record(values), focusFirstError)} noValidate>
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
