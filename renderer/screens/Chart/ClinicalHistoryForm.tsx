/** The patient's relevant clinical history (allergies, blood thinners, bone), edited by physicians. */
import { Alert, Button, Checkbox, Grid, Group, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { ClinicalHistoryFields, type ChartHeader } from '../../../shared/schemas/chart'
import { ApiError } from '../../api'
import { run, useSetChannelData, useWrite } from '../../data'
import { OptionalNumber, YesNoUnknown } from '../../components/ClinicalInputs'
import { ASA_OPTIONS } from '../../components/clinicalOptions'
import { restoreOver, useDraft, WithDraft, type RestoredDraft } from '../../drafts'
import { showApiError, validateWith } from '../../forms'

type Values = ClinicalHistoryFields

/** The form starts from the physician's unsaved draft of this history, when one was kept (renderer/drafts.tsx). */
export function ClinicalHistoryForm({ header, onDone }: { header: ChartHeader; onDone: () => void }) {
  return (
    <WithDraft<Values> draftKey={`clinicalHistory:${header.patientId}`} noun="clinical history" version={header.historyVersion}>
      {(restored) => <HistoryForm header={header} onDone={onDone} restored={restored} />}
    </WithDraft>
  )
}

function HistoryForm({ header, onDone, restored }: { header: ChartHeader; onDone: () => void; restored: RestoredDraft<Values> | null }) {
  const setChannelData = useSetChannelData()
  const update = useWrite('chart.updateHistory')
  const [busy, setBusy] = useState(false)
  const [version, setVersion] = useState(header.historyVersion)
  const [conflict, setConflict] = useState(false)
  const form = useForm<Values>({ initialValues: restored ? restoreOver(header.history, restored.values) : header.history, validate: validateWith(ClinicalHistoryFields) })
  /** The history as saved (another workstation's, after a conflict): what "unsaved" is worked out against. */
  const [saved, setSaved] = useState(header.history)
  const draft = useDraft({ read: () => form.getValues(), isDirty: () => JSON.stringify(form.getValues()) !== JSON.stringify(saved), baseVersion: version })

  async function save(values: Values) {
    setBusy(true)
    try {
      const h = await update.mutateAsync({ patientId: header.patientId, version, history: { ...values, dexaDate: values.dexaDate || null } })
      await draft.clear()
      notifications.show({ color: 'green', title: 'Clinical history saved', message: `${h.firstName} ${h.lastName}` })
      onDone()
    } catch (err) {
      const e = showApiError(err, form)
      if (e instanceof ApiError && e.code === 'conflict') {
        // load their version (and its version number) so that the next save names it
        const fresh = await run('chart.get', { patientId: header.patientId })
        setChannelData('chart.get', { patientId: header.patientId }, fresh)
        setConflict(true)
        form.setValues(fresh.header.history)
        setSaved(fresh.header.history)
        setVersion(fresh.header.historyVersion)
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={form.onSubmit((v) => void save(v))} noValidate>
      <Stack>
        {conflict && (
          <Alert color="orange" title="Someone else changed this history meanwhile" role="alert" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
            Their version is loaded below; make your change again and save.
          </Alert>
        )}
        <Textarea label="Allergies" description="Drug and material allergies with the reaction, e.g. “penicillin (rash)”" autosize minRows={2} data-autofocus {...form.getInputProps('allergies')} />
        <Group>
          <Checkbox label="Bone cement (PMMA) allergy" {...form.getInputProps('allergyCement', { type: 'checkbox' })} />
          <Checkbox label="Contrast allergy" {...form.getInputProps('allergyContrast', { type: 'checkbox' })} />
        </Group>
        <TextInput label="Anticoagulants" description="Drug and dose, e.g. “apixaban 5 mg twice daily”; empty if none" {...form.getInputProps('anticoagulants')} />
        <TextInput label="Antiplatelets" description="e.g. “aspirin 81 mg daily”; empty if none" {...form.getInputProps('antiplatelets')} />
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <YesNoUnknown label="Osteoporosis" value={form.values.osteoporosis} onChange={(v) => form.setFieldValue('osteoporosis', v)} error={form.errors.osteoporosis as string | undefined} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <YesNoUnknown label="Long-term steroid use" value={form.values.steroidUse} onChange={(v) => form.setFieldValue('steroidUse', v)} error={form.errors.steroidUse as string | undefined} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <OptionalNumber
              label="DEXA T-score"
              description="Lowest T-score of the last bone density scan, -7 to +5"
              decimalScale={1}
              step={0.1}
              value={form.values.dexaTScore}
              onChange={(v) => form.setFieldValue('dexaTScore', v)}
              error={form.errors.dexaTScore}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TextInput
              label="DEXA date"
              description="YYYY-MM-DD"
              value={form.values.dexaDate ?? ''}
              onChange={(e) => form.setFieldValue('dexaDate', e.currentTarget.value.trim() === '' ? null : e.currentTarget.value.trim())}
              error={form.errors.dexaDate}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NativeSelect
              label="ASA class"
              description="Physical status for sedation"
              data={ASA_OPTIONS}
              value={form.values.asaClass === null ? '' : String(form.values.asaClass)}
              onChange={(e) => form.setFieldValue('asaClass', e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
              error={form.errors.asaClass}
            />
          </Grid.Col>
        </Grid>
        <TextInput label="Prior fractures" description="Levels and years, e.g. “T11 2019”" {...form.getInputProps('priorFractures')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void draft.discard().then(onDone)}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save history
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
