/** The patient's relevant clinical history (allergies, blood thinners, bone), edited by physicians. */
import { Alert, Button, Checkbox, Grid, Group, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { ClinicalHistoryFields, type ChartHeader } from '../../../shared/schemas/chart'
import { ApiError } from '../../api'
import { run, useSetChannelData, useWrite } from '../../data'
import { OptionalNumber, YesNoUnknown } from '../../components/ClinicalInputs'
import { ASA_OPTIONS } from '../../components/clinicalOptions'
import { openConflictDialog } from '../../components/ConflictDialog'
import { restoreOver, useDraft, WithDraft, type RestoredDraft } from '../../drafts'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { DateField } from '../../components/DateField'

type Values = ClinicalHistoryFields

/** The fields' words on this form, for the compare table. */
const HISTORY_LABELS: Record<string, string> = {
  allergyCement: 'Bone cement (PMMA) allergy',
  allergyContrast: 'Contrast allergy',
  steroidUse: 'Long-term steroid use',
  dexaTScore: 'DEXA T-score',
  dexaDate: 'DEXA date',
  asaClass: 'ASA class',
}

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
  /** The last save refused because someone saved this history first: said above the form until their version is loaded. */
  const [conflict, setConflict] = useState<ApiError | null>(null)
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
      if (err instanceof ApiError && err.code === 'conflict') {
        // nothing is replaced yet: the dialog says who changed it, compares, and reloads theirs only when asked
        setConflict(err)
        openConflict(err, values)
      } else showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }

  /** Loads their version (and its version number) so that the next save names it; what was typed is replaced. */
  async function reloadTheirs() {
    const fresh = await run('chart.get', { patientId: header.patientId })
    setChannelData('chart.get', { patientId: header.patientId }, fresh)
    form.setValues(fresh.header.history)
    setSaved(fresh.header.history)
    setVersion(fresh.header.historyVersion)
    setConflict(null)
  }

  function openConflict(e: ApiError, yours: Values) {
    openConflictDialog({ error: e, yours, labels: HISTORY_LABELS, onReload: reloadTheirs })
  }

  return (
    <form onSubmit={form.onSubmit((v) => void save(v), focusFirstError)} noValidate>
      <Stack>
        {conflict && (
          <Alert color="orange" title="Not saved: someone else changed this history meanwhile" role="alert" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{conflict.message}</Text>
              <Button variant="default" size="xs" onClick={() => openConflict(conflict, form.getValues())}>
                Compare or reload theirs…
              </Button>
            </Stack>
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
            <DateField
              label="DEXA date"
              value={form.values.dexaDate ?? ''}
              onChange={(v) => form.setFieldValue('dexaDate', v.trim() === '' ? null : v.trim())}
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
