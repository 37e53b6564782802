/** Marks a mistaken follow-up visit entered in error, with the reason; the record stays, struck through. */
import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core'
import { useForm } from '@mantine/form'
import { MarkVisitInError, type FollowUpVisitView } from '../../../shared/schemas/outcomes'
import { useWrite } from '../../data'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { formatDate } from '../../format'

const validate = validateWith(MarkVisitInError)

export function VisitInErrorModal({ visit, onClose }: { visit: FollowUpVisitView | null; onClose: () => void }) {
  return (
    <Modal opened={visit !== null} onClose={onClose} title="Mark this visit entered in error?">
      {visit && <ReasonForm visit={visit} onClose={onClose} />}
    </Modal>
  )
}

function ReasonForm({ visit, onClose }: { visit: FollowUpVisitView; onClose: () => void }) {
  const mark = useWrite('followUpVisits.markEnteredInError')
  const form = useForm({ initialValues: { visitId: visit.id, reason: '' }, validate })
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        try {
          await mark.mutateAsync(values)
          onClose()
        } catch (err) {
          showApiError(err, form)
        }
      }, focusFirstError)}
    >
      <Stack>
        <Text size="sm">
          The {visit.label} visit of {formatDate(visit.fields.visitDate)} stays in the record, marked entered in error, and leaves the chart of scores. The follow-up comes back on the due list to be recorded again.
        </Text>
        <Textarea label="Reason" description="Why this record is wrong, e.g. wrong patient or wrong date" required data-autofocus autosize minRows={2} {...form.getInputProps('reason')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color="red.9" loading={form.submitting}>
            Mark entered in error
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
