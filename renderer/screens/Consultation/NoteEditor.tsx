/**
 * The draft note, as its provider edits it. One small form per section (visit, history, relevant history,
 * pain and function, examination, imaging findings, conservative care, candidacy decision), so a key typed
 * re-renders its own section only. Everything is typed and tabbed; Ctrl+S (or Enter in a one-line field)
 * gathers the sections, validates them with the router's schemas and saves the parts that changed; "Sign
 * note…" saves, asks once, signs and locks (useDraftEditor, shared with the procedure note).
 */
import { Alert, Button, Checkbox, Grid, MultiSelect, NativeSelect, Paper, Stack, Switch, Text, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { memo, useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react'
import {
  ABSOLUTE_CONTRAINDICATIONS,
  CANDIDACY_DECISIONS,
  CANDIDACY_LABELS,
  CONTRAINDICATION_LABELS,
  isAbsolute,
  isLegacy,
  isProcedureDecision,
  LEGACY_CONTRAINDICATIONS,
  RELATIVE_CONTRAINDICATIONS,
  type CandidacyDecisionKind,
  type Contraindication,
} from '../../../shared/clinical/contraindications'
import { consultationMissing } from '../../../shared/clinical/completeness'
import { PAIN_TRENDS, type PainTrend } from '../../../shared/clinical/coverage'
import { GENANT_LABELS, genantGrade } from '../../../shared/clinical/genant'
import { VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import {
  ACUITIES,
  CLEFT_LABELS,
  CLEFTS,
  FRACTURE_CAUSE_LABELS,
  FRACTURE_CAUSES,
  FRACTURE_TYPES,
  MODALITIES,
  MODALITY_LABELS,
  NEURO_EXAM_LABELS,
  NEURO_EXAMS,
  OSTEOPOROSIS_TREATMENT_LABELS,
  OSTEOPOROSIS_TREATMENTS,
  TENDERNESS,
  TENDERNESS_LABELS,
  type ConsultationFields,
  type ConsultationView,
  type FindingFields,
} from '../../../shared/schemas/consultations'
import { run, useRefreshAfter, useSetChannelData } from '../../data'
import { useClinicClock } from '../../clinicClock'
import { restoreOver, useDraft, type RestoredDraft } from '../../drafts'
import { OptionalNumber, YesNoUnknown } from '../../components/ClinicalInputs'
import { OdiQuestionnaire } from '../../components/OdiQuestionnaire'
import { Section } from '../../components/RecordSection'
import { DraftForm, SignConfirmation, useDraftEditor, useSectionForm, useSectionForms, type SectionRegistry } from '../../components/signing/DraftEditing'
import { ASA_OPTIONS } from '../../components/clinicalOptions'
import { RmdqQuestionnaire } from '../../components/RmdqQuestionnaire'
import { CoveragePanel } from './CoveragePanel'
import {
  defaultReassessment,
  dirtyParts,
  fromView,
  joinSections,
  payload,
  sectionOfError,
  sectionsOf,
  validateNote,
  type DecisionValues,
  type FindingDraft,
  type FindingsValues,
  type GroupValues,
  type NoteValues,
  type Part,
  type PlanValues,
  type SectionName,
} from './noteForm'
import { formatTypedDate } from '../../../shared/dates'
import { DateField } from '../../components/DateField'
import {
  memoByValue,
  MemoCheckbox,
  MemoDateField,
  MemoNativeSelect,
  MemoOptionalNumber,
  MemoTextarea,
  MemoTextInput,
  MemoYesNoUnknown,
  useStableInputs,
  type StableInputs,
} from '../../components/stableInputs'

/** Where the compare table's words differ from the field's own name (shared/fieldNames.ts). */
const NOTE_LABELS: Record<string, string> = {
  'fields.history': 'History of present illness',
  'fields.painNrs': 'Pain now (0-10)',
  'decision.decision': 'Decision',
  'decision.reason': 'Reasons',
  planOn: 'Conservative care prescribed',
}

type Registry = SectionRegistry<SectionName>
type Form<T> = UseFormReturnType<T>

export function NoteEditor({ view, restored }: { view: ConsultationView; restored: RestoredDraft<NoteValues> | null }) {
  const setChannelData = useSetChannelData()
  const refreshAfter = useRefreshAfter()
  const latest = useRef(view)
  latest.current = view
  /** The note as last saved: what "unsaved" and the parts to save are worked out against. */
  const saved = useRef<NoteValues>(fromView(view))
  /** The sections start from the user's unsaved draft of this note, when one was kept (renderer/drafts.tsx). */
  const [initial] = useState(() => sectionsOf(restored ? restoreOver(saved.current, restored.values) : saved.current))
  const [otherErrors, setOtherErrors] = useState<Record<string, string>>({})
  const { forms, registry, dirty } = useSectionForms<SectionName>((): boolean => dirtyParts(collect(), saved.current).length > 0)
  const [findingLevels, setFindingLevels] = useState<string>(() => levelsOf(initial.findings.findings))
  const draft = useDraft({ read: () => collect(), isDirty: () => dirtyParts(collect(), saved.current).length > 0, baseVersion: view.version })
  // a restored draft is unsaved from the start: "Unsaved changes" once the sections are in place
  useEffect(() => {
    if (restored) registry.changed()
  }, [restored, registry])

  function collect(): NoteValues {
    return joinSections(saved.current, (name) => forms.get(name)?.getValues() as object | undefined)
  }

  function showErrors(errors: Record<string, string>) {
    const bySection = new Map<SectionName, Record<string, string>>()
    const rest: Record<string, string> = {}
    for (const [key, msg] of Object.entries(errors)) {
      const name = sectionOfError(key)
      if (name && forms.has(name)) bySection.set(name, { ...bySection.get(name), [key]: msg })
      else rest[key] = msg
    }
    for (const [name, form] of forms) form.setErrors(bySection.get(name) ?? {})
    setOtherErrors(rest)
    requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-note-editor] [aria-invalid="true"]')?.focus())
  }

  /** Puts the note's saved values in the sections (all of them, or the parts named). */
  function apply(v: ConsultationView, parts?: Part[]) {
    setChannelData('consultations.get', { id: v.id }, v)
    latest.current = v
    const fresh = fromView(v)
    const next = { ...saved.current }
    const take = (part: Part) => !parts || parts.includes(part)
    if (take('fields')) next.fields = fresh.fields
    if (take('findings')) next.findings = fresh.findings
    if (take('plan')) Object.assign(next, { plan: fresh.plan, planOn: fresh.planOn })
    if (take('decision')) next.decision = fresh.decision
    saved.current = next
    if (parts) return // a partial save: the forms keep what the user typed
    const sections = sectionsOf(fresh)
    for (const [name, form] of forms) {
      form.setValues(sections[name] as never)
      form.resetDirty(sections[name] as never)
    }
    registry.changed()
  }

  const editor = useDraftEditor<ConsultationView>({
    noun: 'note',
    current: () => latest.current,
    isDirty: () => dirtyParts(collect(), saved.current).length > 0,
    showFieldErrors: showErrors,
    /** Saves the changed parts in turn; the note as saved, or null when something was refused. */
    async saveChanged() {
      const values = collect()
      const errors = validateNote(values)
      showErrors(errors)
      if (Object.keys(errors).length > 0) {
        notifications.show({ color: 'red', title: 'Please check the note', message: 'Some fields need attention; they are marked in red.' })
        return null
      }
      const p = payload(values)
      const current = latest.current
      const parts = dirtyParts(values, saved.current)
      if (parts.length === 0) {
        apply(current)
        return current
      }
      try {
        // One call, one transaction: every changed part is saved with one version bump, or (refused) none is,
        // so there is never a half-saved note to put right here.
        const v = await run('consultations.saveNote', {
          id: current.id,
          version: current.version,
          ...(parts.includes('fields') ? { fields: p.fields } : {}),
          // validateNote has checked every finding against the router's schema: no level or modality left blank
          ...(parts.includes('findings') ? { findings: p.findings as FindingFields[] } : {}),
          ...(parts.includes('plan') ? { plan: p.plan } : {}),
          ...(parts.includes('decision') ? { decision: p.decision } : {}),
        })
        apply(v)
        return v
      } catch (err) {
        // nothing was saved: the sections keep what was typed, and the refusal names the field
        editor.failed(err)
        registry.changed()
        return null
      } finally {
        void refreshAfter('consultations.saveNote')
      }
    },
    /** An empty note, or a procedure request with no coverage point documented, asks first, naming what is missing. */
    missing: (v) => consultationMissing(v),
    async sign(current, password) {
      const v = await run('consultations.sign', { id: current.id, version: current.version, password })
      await draft.clear()
      setChannelData('consultations.get', { id: v.id }, v)
      await refreshAfter('consultations.sign')
    },
    async reload() {
      apply(await run('consultations.get', { id: latest.current.id }))
    },
    compare: () => ({ yours: collect() as unknown as Record<string, unknown>, theirs: async () => fromView(await run('consultations.get', { id: latest.current.id })) as unknown as Record<string, unknown>, labels: NOTE_LABELS }),
  })

  /** The findings section tells the decision which levels it has (state only when they change). */
  const onFindingLevels = useRef((levels: string) => setFindingLevels(levels)).current
  /** A new finding's imaging date starts as the visit date. */
  const visitDate = useRef(() => (forms.get('visit')?.getValues() as GroupValues<'visit'> | undefined)?.fields.visitDate ?? saved.current.fields.visitDate).current

  const firstOpen = view.version === 0

  return (
    <DraftForm
      data-note-editor
      editor={editor}
      dirty={dirty}
      noun="note"
      errors={otherErrors}
      confirmation={
        <SignConfirmation editor={editor} title="Sign this note?">
          <Text>Once signed the note is locked: nobody can change it. Corrections are made as signed addenda.</Text>
          {view.decision.decision && isProcedureDecision(view.decision.decision) && (
            <Text>
              Signing sends a request for {CANDIDACY_LABELS[view.decision.decision].toLowerCase()} at {view.decision.levels.join(', ')} to the front desk.
            </Text>
          )}
        </SignConfirmation>
      }
    >
      <VisitSection reg={registry} initial={initial.visit} firstOpen={firstOpen} />
      <HistorySection reg={registry} initial={initial.history} />
      <RelevantHistorySection reg={registry} initial={initial.relevant} />
      <PainSection reg={registry} initial={initial.pain} />
      <ExamSection reg={registry} initial={initial.exam} />
      <FindingsEditor reg={registry} initial={initial.findings} visitDate={visitDate} onLevels={onFindingLevels} />
      <CarePlanEditor reg={registry} initial={initial.plan} />

      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <DecisionEditor
            reg={registry}
            initial={initial.decision}
            findingLevels={findingLevels}
            suggestions={view.contraindicationSuggestions}
            warnings={view.levelWarnings}
            review={view.contraindicationsReview}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <CoveragePanel coverage={view.coverage} stale={dirty} />
        </Grid.Col>
      </Grid>
    </DraftForm>
  )
}

const levelsOf = (findings: FindingDraft[]) =>
  findings
    .map((f) => f.level)
    .filter((l) => l !== '')
    .join(', ')

const VisitSection = memo(function VisitSection({ reg, initial, firstOpen }: { reg: Registry; initial: GroupValues<'visit'>; firstOpen: boolean }) {
  const form = useSectionForm(reg, 'visit', initial)
  // each field redraws only when its own value changes (renderer/components/stableInputs.tsx)
  const fields = useStableInputs(form)
  return (
    <Section title="Visit">
      <Grid>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <MemoDateField label="Visit date" required {...fields.input('fields.visitDate')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <MemoTextInput label="Chief complaint" description="In the patient's words, e.g. “sudden mid-back pain after lifting”" autoFocus={firstOpen} {...fields.input('fields.chiefComplaint')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <MemoDateField
            label="Pain onset date"
            description="Empty if not known"
            value={form.values.fields.onsetDate ?? ''}
            onChange={fields.set('fields.onsetDate', (v: string) => v.trim() || null)}
            error={form.errors['fields.onsetDate']}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <MemoTextInput label="Mechanism" description="e.g. “fall from standing”, “no trauma, lifting a bag”" {...fields.input('fields.mechanism')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <MemoYesNoUnknown label="Trauma" value={form.values.fields.trauma} onChange={fields.set('fields.trauma')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <MemoCheckbox mt="lg" label="Hospitalised for this fracture" description="Lowers the pain threshold and care duration payers expect" {...fields.input('fields.hospitalized', { type: 'checkbox' })} />
        </Grid.Col>
      </Grid>
    </Section>
  )
})

const HistorySection = memo(function HistorySection({ reg, initial }: { reg: Registry; initial: GroupValues<'history'> }) {
  const form = useSectionForm(reg, 'history', initial)
  // an autosize textarea re-measures itself whenever it renders: only the one typed in does
  const fields = useStableInputs(form)
  return (
    <Section title="History and medications">
      <MemoTextarea label="History of present illness" autosize minRows={3} {...fields.input('fields.history')} />
      <MemoTextarea label="Medications" description="Current medications and doses, including analgesics tried" autosize minRows={2} {...fields.input('fields.medications')} />
    </Section>
  )
})

const RelevantHistorySection = memo(function RelevantHistorySection({ reg, initial }: { reg: Registry; initial: GroupValues<'relevant'> }) {
  const form = useSectionForm(reg, 'relevant', initial)
  return (
    <Section title="Relevant history">
      <Grid>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <YesNoUnknown label="Osteoporosis" value={form.values.fields.osteoporosis} onChange={(v) => form.setFieldValue('fields.osteoporosis', v)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <YesNoUnknown label="Long-term steroid use" value={form.values.fields.steroidUse} onChange={(v) => form.setFieldValue('fields.steroidUse', v)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <TextInput label="Prior fractures" description="Levels and years, e.g. “T11 2019”" {...form.getInputProps('fields.priorFractures')} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <NativeSelect
            label="ASA class"
            description="Physical status for sedation"
            data={ASA_OPTIONS}
            value={form.values.fields.asaClass === null ? '' : String(form.values.fields.asaClass)}
            onChange={(e) => form.setFieldValue('fields.asaClass', e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}
            error={form.errors['fields.asaClass']}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <OptionalNumber
            label="T-score"
            description="Lowest DEXA T-score, -7 to +5 (osteoporosis at -2.5 or below)"
            decimalScale={1}
            step={0.1}
            value={form.values.fields.tScore}
            onChange={(v) => form.setFieldValue('fields.tScore', v)}
            error={form.errors['fields.tScore']}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <DateField
            label="T-score date"
            description="Date of the DEXA scan"
            value={form.values.fields.tScoreDate ?? ''}
            onChange={(v) => form.setFieldValue('fields.tScoreDate', v.trim() || null)}
            error={form.errors['fields.tScoreDate']}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Checkbox label="Referred for bone density testing (DEXA)" {...form.getInputProps('fields.boneDensityReferred', { type: 'checkbox' })} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Checkbox label="Referred for osteoporosis education" {...form.getInputProps('fields.osteoporosisEducation', { type: 'checkbox' })} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <NativeSelect
            label="Osteoporosis treatment"
            description="Bone-protective treatment after this fracture (bisphosphonate, denosumab, teriparatide…)"
            data={OSTEOPOROSIS_TREATMENT_OPTIONS}
            value={form.values.fields.osteoporosisTreatment ?? ''}
            onChange={(e) => form.setFieldValue('fields.osteoporosisTreatment', (e.currentTarget.value || null) as ConsultationFields['osteoporosisTreatment'])}
            error={form.errors['fields.osteoporosisTreatment']}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <Checkbox
            mt="lg"
            label="Referred to the fracture liaison service"
            description="The FLS coordinator makes sure the patient is assessed and treated to prevent the next fracture"
            checked={form.values.fields.flsReferred}
            onChange={(e) => {
              const on = e.currentTarget.checked
              form.setFieldValue('fields.flsReferred', on)
              // a date only goes with a referral: unticking clears it (ticking leaves it for the physician to type)
              if (!on) form.setFieldValue('fields.flsReferralDate', null)
            }}
            error={form.errors['fields.flsReferred']}
          />
          {form.values.fields.flsReferred && (
            <DateField
              mt="xs"
              label="Fracture liaison referral date"
              required
              value={form.values.fields.flsReferralDate ?? ''}
              onChange={(v) => form.setFieldValue('fields.flsReferralDate', v.trim() || null)}
              error={form.errors['fields.flsReferralDate']}
            />
          )}
        </Grid.Col>
        <Grid.Col span={12}>
          <Checkbox
            label="MRI is contraindicated"
            description="Pacemaker, implant or severe claustrophobia: CT or a bone scan then confirms the fracture's acuity"
            {...form.getInputProps('fields.mriContraindicated', { type: 'checkbox' })}
          />
        </Grid.Col>
      </Grid>
    </Section>
  )
})

const PainSection = memo(function PainSection({ reg, initial }: { reg: Registry; initial: GroupValues<'pain'> }) {
  const form = useSectionForm(reg, 'pain', initial)
  const fields = useStableInputs(form)
  return (
    <Section title="Pain and function">
      <OptionalNumber
        label="Pain now (0-10)"
        description="Numeric rating scale: 0 no pain, 10 worst imaginable"
        min={0}
        max={10}
        allowDecimal={false}
        maw={220}
        value={form.values.fields.painNrs}
        onChange={(v) => form.setFieldValue('fields.painNrs', v)}
        error={form.errors['fields.painNrs']}
      />
      <Grid>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <NativeSelect
            label="Pain trend"
            description="Since the fracture; worsening pain meets the payer's severity criterion on its own"
            data={PAIN_TREND_OPTIONS}
            value={form.values.fields.painTrend ?? ''}
            onChange={(e) => form.setFieldValue('fields.painTrend', (e.currentTarget.value || null) as PainTrend | null)}
            error={form.errors['fields.painTrend']}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6 }}>
          <OptionalNumber
            label="Kyphotic angle at the fracture, before treatment (degrees)"
            description="Measured on today's imaging; 15° or more counts as kyphotic deformity"
            min={-90}
            max={90}
            decimalScale={1}
            value={form.values.fields.kyphoticAngle}
            onChange={(v) => form.setFieldValue('fields.kyphoticAngle', v)}
            error={form.errors['fields.kyphoticAngle']}
          />
        </Grid.Col>
      </Grid>
      <OdiEditor form={form} fields={fields} />
      <RmdqEditor form={form} fields={fields} />
    </Section>
  )
})

const ExamSection = memo(function ExamSection({ reg, initial }: { reg: Registry; initial: GroupValues<'exam'> }) {
  const form = useSectionForm(reg, 'exam', initial)
  // an autosize textarea re-measures itself whenever it renders: only the one typed in does
  const fields = useStableInputs(form)
  return (
    <Section title="Examination and assessment">
      <MemoTextarea label="Examination" description="Gait, posture, other findings (tenderness per level is recorded with each imaging finding)" autosize minRows={2} {...fields.input('fields.examination')} />
      <Grid>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <MemoNativeSelect
            label="Leg neurology (baseline)"
            description="Power, sensation and reflexes of the legs before any procedure, so a new deficit can be told from an old one"
            data={NEURO_EXAM_OPTIONS}
            value={form.values.fields.neuroExam ?? ''}
            onChange={fields.set('fields.neuroExam', (e: ChangeEvent<HTMLSelectElement>) => (e.currentTarget.value || null) as ConsultationFields['neuroExam'])}
            error={form.errors['fields.neuroExam']}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 8 }}>
          <MemoTextarea
            label="Leg neurology findings"
            description={form.values.fields.neuroExam === 'abnormal' ? 'Required: power, sensation and reflexes (side and level)' : 'Optional details, e.g. “power 5/5, reflexes symmetrical”'}
            required={form.values.fields.neuroExam === 'abnormal'}
            autosize
            minRows={1}
            {...fields.input('fields.neuroExamDetails')}
          />
        </Grid.Col>
      </Grid>
      <MemoTextarea label="Assessment" autosize minRows={2} {...fields.input('fields.assessment')} />
      <MemoTextarea label="Plan" autosize minRows={2} {...fields.input('fields.plan')} />
    </Section>
  )
})

/** Each questionnaire redraws only when its own answers change (not on a key typed in the pain score). */
const MemoOdi = memoByValue(OdiQuestionnaire)
const MemoRmdq = memoByValue(RmdqQuestionnaire)

function OdiEditor({ form, fields }: { form: Form<GroupValues<'pain'>>; fields: StableInputs }) {
  const onChange = fields.handler('odi', (i: number, v: number | null) => form.setFieldValue(`fields.odiAnswers.${i}`, v))
  return <MemoOdi answers={form.values.fields.odiAnswers} onChange={onChange} error={form.errors['fields.odiAnswers'] as string | undefined} />
}

function RmdqEditor({ form, fields }: { form: Form<GroupValues<'pain'>>; fields: StableInputs }) {
  // the same questionnaire as the follow-up visit's (renderer/components/RmdqQuestionnaire.tsx)
  return <MemoRmdq answers={form.values.fields.rmdqAnswers} onChange={fields.set('fields.rmdqAnswers')} error={form.errors['fields.rmdqAnswers'] as string | undefined} />
}

const NEURO_EXAM_OPTIONS = [{ value: '', label: 'Not recorded' }, ...NEURO_EXAMS.map((v) => ({ value: v, label: NEURO_EXAM_LABELS[v] }))]
const OSTEOPOROSIS_TREATMENT_OPTIONS = [{ value: '', label: 'Not recorded' }, ...OSTEOPOROSIS_TREATMENTS.map((v) => ({ value: v, label: OSTEOPOROSIS_TREATMENT_LABELS[v] }))]
const CAUSE_OPTIONS = [{ value: '', label: 'Not recorded' }, ...FRACTURE_CAUSES.map((v) => ({ value: v, label: FRACTURE_CAUSE_LABELS[v] }))]
const TENDERNESS_OPTIONS = [{ value: '', label: 'Not recorded' }, ...TENDERNESS.map((v) => ({ value: v, label: TENDERNESS_LABELS[v] }))]
const CLEFT_OPTIONS = [{ value: '', label: 'Not recorded' }, ...CLEFTS.map((v) => ({ value: v, label: CLEFT_LABELS[v] }))]
const PAIN_TREND_OPTIONS = [{ value: '', label: 'Not recorded' }, ...PAIN_TRENDS.map((t) => ({ value: t, label: t[0]!.toUpperCase() + t.slice(1) }))]
const ACUITY_OPTIONS = [{ value: '', label: 'Choose…' }, ...ACUITIES.map((a) => ({ value: a, label: a[0]!.toUpperCase() + a.slice(1) }))]
const MODALITY_OPTIONS = [{ value: '', label: 'Choose…' }, ...MODALITIES.map((m) => ({ value: m, label: MODALITY_LABELS[m] }))]
const LEVEL_OPTIONS = [{ value: '', label: 'Choose…' }, ...VERTEBRAL_LEVELS.map((l) => ({ value: l, label: l }))]
const TYPE_OPTIONS = FRACTURE_TYPES.map((t) => ({ value: t, label: t === '' ? 'Not stated' : t[0]!.toUpperCase() + t.slice(1) }))

const FindingsEditor = memo(function FindingsEditor({ reg, initial, visitDate, onLevels }: { reg: Registry; initial: FindingsValues; visitDate: () => string; onLevels: (levels: string) => void }) {
  const form = useSectionForm(reg, 'findings', initial)
  const fields = useStableInputs(form)
  const [added, setAdded] = useState<number | null>(null)
  const findings = form.values.findings
  const levels = levelsOf(findings)
  useEffect(() => onLevels(levels), [levels, onLevels])
  function add() {
    const f: FindingDraft = { level: '', modality: '', imagingDate: visitDate(), acuity: '', marrowOedema: null, heightLossPercent: null, retropulsion: false, canalCompromise: false, fractureType: '', notes: '', fractureCause: null, tenderness: null, intravertebralCleft: null }
    form.insertListItem('findings', f)
    setAdded(findings.length)
  }
  const remove = fields.handler('remove', (i: number) => form.removeListItem('findings', i))
  return (
    <Section
      title="Imaging findings"
      aside={
        <Button variant="default" onClick={add}>
          Add finding
        </Button>
      }
    >
      {findings.length === 0 && <Text size="sm">No finding recorded. Add one per vertebra seen on imaging.</Text>}
      {findings.map((f, i) => (
        <FindingRow key={i} fields={fields} index={i} finding={f} errors={errorsUnder(form.errors, `findings.${i}.`)} autoFocus={added === i} onRemove={remove} />
      ))}
      {form.errors.findings && (
        <Text c="red.9" size="sm">
          {form.errors.findings}
        </Text>
      )}
    </Section>
  )
})

/** The form's messages under one prefix ('findings.2.'): a row's own, compared by value to decide whether it redraws. */
function errorsUnder(errors: Record<string, ReactNode>, prefix: string): Record<string, ReactNode> {
  const out: Record<string, ReactNode> = {}
  for (const [k, m] of Object.entries(errors)) if (k.startsWith(prefix)) out[k] = m
  return out
}

/**
 * One finding. Memoised by value (the form clones every finding on each key, so identity says nothing): a key
 * typed in one finding redraws that finding alone, and within it only the fields whose value changed
 * (renderer/components/stableInputs.tsx). tests/e2e/render-scope.spec.ts checks it.
 */
const FindingRow = memoByValue(function FindingRow({
  fields,
  index: i,
  finding: f,
  errors,
  autoFocus,
  onRemove,
}: {
  fields: StableInputs
  index: number
  finding: FindingDraft
  errors: Record<string, ReactNode>
  autoFocus: boolean
  onRemove: (index: number) => void
}) {
  const p = `findings.${i}`
  const h = f.heightLossPercent
  const grade = h !== null && Number.isFinite(h) && h >= 0 && h <= 100 ? genantGrade(h) : null
  const name = `finding ${i + 1}${f.level ? ` (${f.level})` : ''}`
  const orNull = (e: ChangeEvent<HTMLSelectElement>) => e.currentTarget.value || null
  return (
    <Paper withBorder p="sm" radius="sm" component="fieldset" aria-label={`Imaging ${name}`} style={{ margin: 0 }}>
      <Grid>
        <Grid.Col span={{ base: 6, sm: 2 }}>
          <MemoNativeSelect label="Level" required data={LEVEL_OPTIONS} autoFocus={autoFocus} {...fields.input(`${p}.level`)} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 2 }}>
          <MemoNativeSelect label="Imaging" required data={MODALITY_OPTIONS} {...fields.input(`${p}.modality`)} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <MemoDateField label="Imaging date" required {...fields.input(`${p}.imagingDate`)} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 2 }}>
          <MemoNativeSelect label="Acuity" description="Fresh = acute" required data={ACUITY_OPTIONS} {...fields.input(`${p}.acuity`)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <MemoOptionalNumber
            label="Height loss (%)"
            description="Shortest wall against the posterior or a neighbour"
            min={0}
            max={100}
            decimalScale={1}
            value={h}
            onChange={fields.set(`${p}.heightLossPercent`)}
            error={errors[`${p}.heightLossPercent`]}
          />
          <Text size="sm" fw={600} mt={4} aria-live="polite" data-testid={`genant-${i}`}>
            {grade === null ? 'Genant grade: type the height loss' : `Genant ${GENANT_LABELS[grade]}`}
          </Text>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <MemoYesNoUnknown label="Marrow oedema (MRI STIR)" value={f.marrowOedema} onChange={fields.set(`${p}.marrowOedema`)} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 2 }}>
          <MemoNativeSelect label="Fracture type" data={TYPE_OPTIONS} {...fields.input(`${p}.fractureType`)} />
        </Grid.Col>
        <Grid.Col span={{ base: 6, sm: 3 }}>
          <Stack gap={4} mt="lg">
            <MemoCheckbox label="Retropulsion" {...fields.input(`${p}.retropulsion`, { type: 'checkbox' })} />
            <MemoCheckbox label="Canal compromise" {...fields.input(`${p}.canalCompromise`, { type: 'checkbox' })} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 3 }}>
          <MemoTextarea label="Finding notes" autosize minRows={1} {...fields.input(`${p}.notes`)} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <MemoNativeSelect
            label="Fracture cause"
            description="A tumour (metastasis, myeloma) calls for a biopsy"
            data={CAUSE_OPTIONS}
            value={f.fractureCause ?? ''}
            onChange={fields.set(`${p}.fractureCause`, orNull)}
            error={errors[`${p}.fractureCause`]}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <MemoNativeSelect
            label="Tender on palpation"
            description="Over this level's spinous process, on examination"
            data={TENDERNESS_OPTIONS}
            value={f.tenderness ?? ''}
            onChange={fields.set(`${p}.tenderness`, orNull)}
            error={errors[`${p}.tenderness`]}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 4 }}>
          <MemoNativeSelect
            label="Intravertebral cleft"
            description="Gas or fluid in the body on imaging (Kümmell sign)"
            data={CLEFT_OPTIONS}
            value={f.intravertebralCleft ?? ''}
            onChange={fields.set(`${p}.intravertebralCleft`, orNull)}
            error={errors[`${p}.intravertebralCleft`]}
          />
        </Grid.Col>
        <Grid.Col span={12}>
          <Button variant="default" size="xs" onClick={() => onRemove(i)} aria-label={`Remove ${name}`}>
            Remove finding
          </Button>
        </Grid.Col>
      </Grid>
    </Paper>
  )
})

const CarePlanEditor = memo(function CarePlanEditor({ reg, initial }: { reg: Registry; initial: PlanValues }) {
  const form = useSectionForm(reg, 'plan', initial)
  // each field redraws only when its own value changes (renderer/components/stableInputs.tsx)
  const fields = useStableInputs(form)
  const on = form.values.planOn
  const plan = form.values.plan
  const onStartDate = fields.handler('startDate', (start: string) => {
    // keep the reassessment six weeks out unless the physician chose another date
    const followsDefault = plan.reassessmentDate === '' || plan.reassessmentDate === defaultReassessment(plan.startDate)
    form.setFieldValue('plan.startDate', start)
    if (followsDefault) form.setFieldValue('plan.reassessmentDate', defaultReassessment(start))
  })
  return (
    <Section title="Conservative care">
      <MemoSwitch label="Prescribe conservative care (bracing, pain medication) with a reassessment" {...fields.input('planOn', { type: 'checkbox' })} />
      {on && (
        <Grid>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <MemoTextInput label="Bracing" description="Brace and wearing schedule, e.g. “TLSO when upright”" {...fields.input('plan.bracing')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <MemoTextInput label="Pain medication" description="e.g. “paracetamol 1 g four times daily”" {...fields.input('plan.painMedication')} />
          </Grid.Col>
          <Grid.Col span={12}>
            <MemoTextInput label="Other measures" description="Physiotherapy, activity advice, calcitonin…" {...fields.input('plan.otherMeasures')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <MemoDateField label="Start date" required value={plan.startDate} onChange={onStartDate} error={form.errors['plan.startDate']} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <MemoDateField
              label="Reassessment date"
              description={`Six weeks after the start by default${defaultReassessment(plan.startDate) ? ` (${formatTypedDate(defaultReassessment(plan.startDate)!)})` : ''}`}
              {...fields.input('plan.reassessmentDate')}
            />
          </Grid.Col>
        </Grid>
      )}
    </Section>
  )
})

const MemoSwitch = memoByValue(Switch)

const DECISION_OPTIONS = [{ value: '', label: 'Not decided yet' }, ...CANDIDACY_DECISIONS.map((d) => ({ value: d, label: CANDIDACY_LABELS[d] }))]

const DecisionEditor = memo(function DecisionEditor({
  reg,
  initial,
  findingLevels,
  suggestions,
  warnings,
  review,
}: {
  reg: Registry
  initial: DecisionValues
  findingLevels: string
  suggestions: ConsultationView['contraindicationSuggestions']
  warnings: ConsultationView['levelWarnings']
  review: ConsultationView['contraindicationsReview']
}) {
  const form = useSectionForm(reg, 'decision', initial)
  const fields = useStableInputs(form)
  const clock = useClinicClock()
  const d = form.values.decision
  const procedure = d.decision !== null && isProcedureDecision(d.decision)
  const absoluteTicked = d.contraindications.filter(isAbsolute)
  // items the checklist no longer offers, held by a note written before: shown so they can be read and unticked
  const legacyHeld = LEGACY_CONTRAINDICATIONS.filter((c) => initial.decision.contraindications.includes(c))
  const setGroup = (group: readonly Contraindication[], picked: string[]) =>
    form.setFieldValue('decision.contraindications', [...d.contraindications.filter((c) => !group.includes(c)), ...(picked as Contraindication[])])
  return (
    <Section title="Candidacy decision">
      <NativeSelect
        label="Decision"
        data={DECISION_OPTIONS}
        value={d.decision ?? ''}
        onChange={(e) => form.setFieldValue('decision.decision', (e.currentTarget.value || null) as CandidacyDecisionKind | null)}
        error={form.errors['decision.decision']}
      />
      {procedure && (
        <MultiSelect
          label="Levels to treat"
          description={`Type a level and press Enter${findingLevels ? `; findings in this note: ${findingLevels}` : ''}`}
          data={[...VERTEBRAL_LEVELS]}
          searchable
          // as the description says: "L1" then Enter adds L1 (the first match is picked as the level is typed)
          selectFirstOptionOnChange
          value={d.levels}
          onChange={(v) => form.setFieldValue('decision.levels', v as VertebralLevel[])}
          error={form.errors['decision.levels']}
          required
        />
      )}
      <MemoTextarea label="Reasons" description="Why this decision: pain despite care, imaging, function" autosize minRows={2} {...fields.input('decision.reason')} />
      {(suggestions.length > 0 || warnings.length > 0) && (
        <Alert color="orange" variant="outline" title="The record suggests checking" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Suggestions from the record">
            {warnings.map((w) => (
              <li key={`${w.level}:${w.because}`}>
                <Text size="sm">
                  Proposed level {w.level}: {w.because}
                </Text>
                <Text size="xs" c="gray.8">
                  Source: {w.source}
                </Text>
              </li>
            ))}
            {suggestions.map((s) => (
              <li key={s.item}>
                <Text size="sm">
                  {CONTRAINDICATION_LABELS[s.item]}: {s.because}
                  {d.contraindications.includes(s.item) ? ' (ticked)' : ''}
                </Text>
                <Text size="xs" c="gray.8">
                  Source: {s.source}
                </Text>
              </li>
            ))}
          </Stack>
        </Alert>
      )}
      <Checkbox.Group label="Absolute contraindications" description="Any of these needs an override reason to proceed" value={d.contraindications.filter((c) => (ABSOLUTE_CONTRAINDICATIONS as readonly string[]).includes(c))} onChange={(v) => setGroup(ABSOLUTE_CONTRAINDICATIONS, v)}>
        <Stack gap={6} mt={4}>
          {ABSOLUTE_CONTRAINDICATIONS.map((c) => (
            <Checkbox key={c} value={c} label={CONTRAINDICATION_LABELS[c]} />
          ))}
        </Stack>
      </Checkbox.Group>
      <Checkbox.Group label="Relative contraindications" value={d.contraindications.filter((c) => (RELATIVE_CONTRAINDICATIONS as readonly string[]).includes(c))} onChange={(v) => setGroup(RELATIVE_CONTRAINDICATIONS, v)}>
        <Stack gap={6} mt={4}>
          {RELATIVE_CONTRAINDICATIONS.map((c) => (
            <Checkbox key={c} value={c} label={CONTRAINDICATION_LABELS[c]} />
          ))}
        </Stack>
      </Checkbox.Group>
      {legacyHeld.length > 0 && (
        <Checkbox.Group
          label="Recorded on an earlier checklist"
          description="No longer offered: untick it and tick the cement allergy or the contrast allergy above"
          value={d.contraindications.filter(isLegacy)}
          onChange={(v) => setGroup(LEGACY_CONTRAINDICATIONS, v)}
        >
          <Stack gap={6} mt={4}>
            {legacyHeld.map((c) => (
              <Checkbox key={c} value={c} label={CONTRAINDICATION_LABELS[c]} />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
      <Checkbox
        label="Contraindications reviewed"
        description={
          review && d.contraindicationsReviewed ? `Recorded by ${review.byName} at ${clock.dateTime(review.at)}` : 'Your name and the time are recorded when you save; the payer asks for this review'
        }
        {...form.getInputProps('decision.contraindicationsReviewed', { type: 'checkbox' })}
      />
      {procedure && absoluteTicked.length > 0 && (
        <MemoTextarea
          label="Override reason"
          description={`Required to proceed despite ${absoluteTicked.map((a) => CONTRAINDICATION_LABELS[a].toLowerCase()).join(', ')}`}
          required
          autosize
          minRows={2}
          {...fields.input('decision.overrideReason')}
        />
      )}
    </Section>
  )
})
