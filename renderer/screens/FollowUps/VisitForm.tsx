/** What a physician records at a follow-up visit: pain, ODI, Roland-Morris, analgesics, brace, new fractures, complications, satisfaction. */
import { Button, Checkbox, Group, MultiSelect, Paper, Radio, SimpleGrid, Stack, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useState, type ReactNode } from 'react'
import {
  memoByValue,
  MemoCheckbox,
  MemoDateField,
  MemoNativeSelect,
  MemoOptionalNumber,
  MemoTextarea,
  useStableInputs,
  type InputProps,
} from '../../components/stableInputs'
import { VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import { ANALGESIC_LABELS, ANALGESIC_USES, BRACE_LABELS, BRACE_USES, SATISFACTION, SATISFACTION_LABELS, type FollowUpVisitView } from '../../../shared/schemas/outcomes'
import { COMPLICATION_LABELS, COMPLICATIONS } from '../../../shared/schemas/procedures'
import { ApiError } from '../../api'
import { useWrite } from '../../data'
import { OdiQuestionnaire } from '../../components/OdiQuestionnaire'
import { RmdqQuestionnaire } from '../../components/RmdqQuestionnaire'
import { restoreOver, useDraft, type RestoredDraft } from '../../drafts'
import { focusFirstError, showApiError } from '../../forms'
import { confirmMissing } from '../../components/ConfirmMissing'
import { followUpVisitMissing } from '../../../shared/clinical/completeness'
import { emptyVisit, formFieldErrors, validateVisit, visitPayload, type VisitValues } from './visitForm'

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

  // One form (validation, the draft and the save see every field), drawn as three parts memoised by value, each
  // field through stable input props (renderer/components/stableInputs.tsx): a key typed in Notes redraws the
  // patient's view alone, not the ODI's sixty radios and the Roland-Morris checkboxes.
  const fields = useStableInputs(form)
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(
        (values) => void save(values),
        focusFirstError,
      )}
    >
      <Stack>
        <PainAndFunction
          visitDate={fields.input('visitDate')}
          painNrs={v.painNrs}
          onPain={fields.set('painNrs')}
          onRmdq={fields.set('rmdqAnswers')}
          odiAnswers={v.odiAnswers}
          rmdqAnswers={v.rmdqAnswers}
          errors={{ painNrs: form.errors.painNrs, odiAnswers: form.errors.odiAnswers, rmdqAnswers: form.errors.rmdqAnswers }}
          onOdi={fields.handler('odi', (i: number, a: number | null) => form.setFieldValue(`odiAnswers.${i}`, a))}
        />
        <TreatmentAndEvents
          analgesics={fields.input('analgesics')}
          brace={fields.input('brace')}
          newFracture={fields.input('newFracture', { type: 'checkbox' })}
          newFractureLevels={v.newFractureLevels}
          onNewFractureLevels={fields.set('newFractureLevels')}
          newFractureLevelsError={form.errors.newFractureLevels}
          complications={fields.input('complications')}
          complicationsNote={fields.input('complicationsNote')}
        />
        <PatientsView satisfaction={fields.input('satisfaction')} notes={fields.input('notes')} />

        <RecordButton busy={busy} />
      </Stack>
    </form>
  )
}

const MemoOdi = memoByValue(OdiQuestionnaire)
const MemoRmdq = memoByValue(RmdqQuestionnaire)
const MemoMultiSelect = memoByValue(MultiSelect<string>)
const MemoCheckboxGroup = memoByValue(Checkbox.Group)
const MemoRadioGroup = memoByValue(Radio.Group)
const ANALGESIC_OPTIONS = options(ANALGESIC_USES, ANALGESIC_LABELS, 'Not asked')
const BRACE_OPTIONS = options(BRACE_USES, BRACE_LABELS, 'Not asked')
const LEVELS = [...VERTEBRAL_LEVELS]
// built once, so that the memoised groups around them see the same children on every render
const COMPLICATION_BOXES = (
  <Group gap="md" mt={4}>
    {COMPLICATIONS.map((c) => (
      <Checkbox key={c} value={c} label={COMPLICATION_LABELS[c]} />
    ))}
  </Group>
)
const SATISFACTION_RADIOS = (
  <Group gap="md" mt={4}>
    {SATISFACTION.map((s) => (
      <Radio key={s} value={s} label={SATISFACTION_LABELS[s]} />
    ))}
    <Radio value="" label="Not asked" />
  </Group>
)

// Each part gets the stable input props of its own fields (and values it reads), so it redraws only when one of them changes.
const PainAndFunction = memoByValue(function PainAndFunction({
  visitDate,
  painNrs,
  onPain,
  odiAnswers,
  rmdqAnswers,
  onRmdq,
  errors,
  onOdi,
}: {
  visitDate: InputProps
  painNrs: number | null
  onPain: (n: number | null) => void
  odiAnswers: (number | null)[]
  rmdqAnswers: boolean[] | null
  onRmdq: (answers: boolean[] | null) => void
  errors: Record<'painNrs' | 'odiAnswers' | 'rmdqAnswers', ReactNode>
  onOdi: (section: number, answer: number | null) => void
}) {
  return (
    <Part title="Pain and function">
      <MemoDateField label="Visit date" description="Not before the procedure, not in the future" required maw={260} autoFocus {...visitDate} />
      <MemoOptionalNumber
        label="Pain now (0-10)"
        description="Numeric rating scale: 0 no pain, 10 worst imaginable"
        min={0}
        max={10}
        allowDecimal={false}
        maw={220}
        value={painNrs}
        onChange={onPain}
        error={errors.painNrs}
      />
      <MemoOdi answers={odiAnswers} onChange={onOdi} error={errors.odiAnswers as string | undefined} />
      <MemoRmdq answers={rmdqAnswers} onChange={onRmdq} error={errors.rmdqAnswers as string | undefined} />
    </Part>
  )
})

const TreatmentAndEvents = memoByValue(function TreatmentAndEvents({
  analgesics,
  brace,
  newFracture,
  newFractureLevels,
  onNewFractureLevels,
  newFractureLevelsError,
  complications,
  complicationsNote,
}: {
  analgesics: InputProps
  brace: InputProps
  newFracture: InputProps
  newFractureLevels: VertebralLevel[]
  onNewFractureLevels: (levels: VertebralLevel[]) => void
  newFractureLevelsError: ReactNode
  complications: InputProps
  complicationsNote: InputProps
}) {
  return (
    <Part title="Treatment and events since the procedure">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <MemoNativeSelect label="Pain medication" data={ANALGESIC_OPTIONS} {...analgesics} />
        <MemoNativeSelect label="Brace" data={BRACE_OPTIONS} {...brace} />
      </SimpleGrid>
      <MemoCheckbox label="New vertebral fracture since the procedure" {...newFracture} />
      {(newFracture.checked === true || newFractureLevels.length > 0) && (
        <MemoMultiSelect
          label="Levels of the new fracture"
          description="Type a level and press Enter"
          data={LEVELS}
          searchable
          selectFirstOptionOnChange
          value={newFractureLevels}
          onChange={onNewFractureLevels as (levels: string[]) => void}
          error={newFractureLevelsError}
        />
      )}
      <MemoCheckboxGroup label="Complications" description="Leave all unticked when there was none" {...complications}>
        {COMPLICATION_BOXES}
      </MemoCheckboxGroup>
      <MemoTextarea label="Complication details" description="Required when the complication is 'other'" autosize minRows={1} {...complicationsNote} />
    </Part>
  )
})

const RecordButton = memoByValue(function RecordButton({ busy }: { busy: boolean }) {
  return (
    <Group justify="flex-end">
      <Button type="submit" loading={busy}>
        Record visit
      </Button>
    </Group>
  )
})

const PatientsView = memoByValue(function PatientsView({ satisfaction, notes }: { satisfaction: InputProps; notes: InputProps }) {
  return (
    <Part title="The patient's view">
      <MemoRadioGroup label="Satisfaction with the treatment" {...satisfaction}>
        {SATISFACTION_RADIOS}
      </MemoRadioGroup>
      <MemoTextarea label="Notes" autosize minRows={2} {...notes} />
    </Part>
  )
})
