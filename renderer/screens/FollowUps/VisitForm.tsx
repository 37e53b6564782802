/** What a physician records at a follow-up visit: pain, ODI, Roland-Morris, analgesics, brace, new fractures, complications, satisfaction. */
import { Button, Checkbox, Group, MultiSelect, NativeSelect, Paper, Radio, SimpleGrid, Stack, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useState, type ReactNode } from 'react'
import { VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import { ANALGESIC_LABELS, ANALGESIC_USES, BRACE_LABELS, BRACE_USES, SATISFACTION, SATISFACTION_LABELS, type FollowUpVisitView } from '../../../shared/schemas/outcomes'
import { COMPLICATION_LABELS, COMPLICATIONS } from '../../../shared/schemas/procedures'
import { ApiError } from '../../api'
import { useWrite } from '../../data'
import { OptionalNumber } from '../../components/ClinicalInputs'
import { OdiQuestionnaire } from '../../components/OdiQuestionnaire'
import { RmdqQuestionnaire } from '../../components/RmdqQuestionnaire'
import { restoreOver, useDraft, type RestoredDraft } from '../../drafts'
import { focusFirstError, showApiError } from '../../forms'
import { confirmMissing } from '../../components/ConfirmMissing'
import { followUpVisitMissing } from '../../../shared/clinical/completeness'
import { emptyVisit, formFieldErrors, validateVisit, visitPayload, type VisitValues } from './visitForm'
import { DateField } from '../../components/DateField'

const options = <K extends string>(keys: readonly K[], labels: Record<K, string>, none: string) => [{ value: '', label: none }, ...keys.map((k) => ({ value: k, label: labels[k] }))]

function Part({ title, children }: { title: string; children: ReactNode }) {
  const id = `visit-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Stack gap="sm">
        <Title order={3} id={id}>
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  )
}

export function VisitForm({ followUpId, today, onSaved, restored }: { followUpId: number; today: string; onSaved: (v: FollowUpVisitView) => void; restored: RestoredDraft<VisitValues> | null }) {
  const [blank] = useState(() => emptyVisit(today))
  // starts from the user's unsaved draft of this visit when one was kept (renderer/drafts.tsx)
  const form = useForm<VisitValues>({ initialValues: restored ? restoreOver(blank, restored.values) : blank, validate: validateVisit })
  const draft = useDraft({ read: () => form.getValues(), isDirty: () => JSON.stringify(form.getValues()) !== JSON.stringify(blank) })
  const [busy, setBusy] = useState(false)
  const record = useWrite('followUpVisits.record')
  const v = form.values

  async function save(values: VisitValues) {
    // an untouched visit (no pain score, no ODI) asks first, naming what would be recorded empty
    const missing = followUpVisitMissing(visitPayload(values))
    if (!(await confirmMissing({ title: 'Record this visit with outcomes missing?', intro: 'This visit has nothing recorded for:', missing, anyway: 'Record anyway' }))) return
    setBusy(true)
    try {
      const recorded = await record.mutateAsync({ followUpId, fields: visitPayload(values) })
      await draft.clear()
      onSaved(recorded)
    } catch (err) {
      if (err instanceof ApiError) {
        form.setErrors(formFieldErrors(err.fields))
        focusFirstError(formFieldErrors(err.fields), undefined, undefined, { notify: false })
      }
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(
        (values) => void save(values),
        focusFirstError,
      )}
    >
      <Stack>
        <Part title="Pain and function">
          <DateField label="Visit date" description="Not before the procedure, not in the future" required maw={260} autoFocus {...form.getInputProps('visitDate')} />
          <OptionalNumber
            label="Pain now (0-10)"
            description="Numeric rating scale: 0 no pain, 10 worst imaginable"
            min={0}
            max={10}
            allowDecimal={false}
            maw={220}
            value={v.painNrs}
            onChange={(n) => form.setFieldValue('painNrs', n)}
            error={form.errors.painNrs}
          />
          <OdiQuestionnaire answers={v.odiAnswers} onChange={(i, a) => form.setFieldValue(`odiAnswers.${i}`, a)} error={form.errors.odiAnswers as string | undefined} />
          <RmdqQuestionnaire answers={v.rmdqAnswers} onChange={(a) => form.setFieldValue('rmdqAnswers', a)} error={form.errors.rmdqAnswers as string | undefined} />
        </Part>

        <Part title="Treatment and events since the procedure">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect label="Pain medication" data={options(ANALGESIC_USES, ANALGESIC_LABELS, 'Not asked')} {...form.getInputProps('analgesics')} />
            <NativeSelect label="Brace" data={options(BRACE_USES, BRACE_LABELS, 'Not asked')} {...form.getInputProps('brace')} />
          </SimpleGrid>
          <Checkbox label="New vertebral fracture since the procedure" {...form.getInputProps('newFracture', { type: 'checkbox' })} />
          {(v.newFracture || v.newFractureLevels.length > 0) && (
            <MultiSelect
              label="Levels of the new fracture"
              description="Type a level and press Enter"
              data={[...VERTEBRAL_LEVELS]}
              searchable
              selectFirstOptionOnChange
              value={v.newFractureLevels}
              onChange={(l) => form.setFieldValue('newFractureLevels', l as VertebralLevel[])}
              error={form.errors.newFractureLevels}
            />
          )}
          <Checkbox.Group label="Complications" description="Leave all unticked when there was none" {...form.getInputProps('complications')}>
            <Group gap="md" mt={4}>
              {COMPLICATIONS.map((c) => (
                <Checkbox key={c} value={c} label={COMPLICATION_LABELS[c]} />
              ))}
            </Group>
          </Checkbox.Group>
          <Textarea label="Complication details" description="Required when the complication is 'other'" autosize minRows={1} {...form.getInputProps('complicationsNote')} />
        </Part>

        <Part title="The patient's view">
          <Radio.Group label="Satisfaction with the treatment" {...form.getInputProps('satisfaction')}>
            <Group gap="md" mt={4}>
              {SATISFACTION.map((s) => (
                <Radio key={s} value={s} label={SATISFACTION_LABELS[s]} />
              ))}
              <Radio value="" label="Not asked" />
            </Group>
          </Radio.Group>
          <Textarea label="Notes" autosize minRows={2} {...form.getInputProps('notes')} />
        </Part>

        <Group justify="flex-end">
          <Button type="submit" loading={busy}>
            Record visit
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
