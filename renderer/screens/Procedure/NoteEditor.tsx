/**
 * The draft procedure note, as the physician who performed it edits it. One small form per section and per
 * level (typing re-renders only its section); Ctrl+S (or Enter in a one-line field) saves them together
 * through `procedures.save`; "Sign note…" saves, asks once, signs and locks (useDraftEditor, shared with
 * the consultation note).
 */
import { Button, Checkbox, Grid, Group, MultiSelect, Paper, Radio, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { memo, useCallback, useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react'
import { CPT_DESCRIPTIONS, deriveCptCodes, PROCEDURE_KINDS } from '../../../shared/clinical/cpt'
import { HEIGHT_WALLS, heightRestoration } from '../../../shared/clinical/height'
import { VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import { SaveProcedure } from '../../../shared/schemas/procedures'
import {
  ANAESTHESIA,
  ANAESTHESIA_LABELS,
  APPROACH_LABELS,
  APPROACHES,
  COMPLICATION_LABELS,
  COMPLICATIONS,
  IMAGING,
  IMAGING_LABELS,
  CEMENT_LOT_MAX,
  DEVICE_IDS_MAX,
  isLegacyLeak,
  KYPHOTIC_ANGLE_MAX,
  KYPHOTIC_ANGLE_MIN,
  LEAK_LOCATIONS,
  LEAKAGE_LABELS,
  POSITION_LABELS,
  POSITIONS,
  PROCEDURE_KIND_LABELS,
  type ProcedureView,
} from '../../../shared/schemas/procedures'
import { run, useRefreshAfter, useSetChannelData } from '../../data'
import { restoreOver, useDraft, type RestoredDraft } from '../../drafts'
import { OptionalNumber } from '../../components/ClinicalInputs'
import { ProcedureHeightsMeasurement } from '../../components/imaging/ProcedureHeightsMeasurement'
import { DraftForm, SignConfirmation, useDraftEditor, useSectionForm, useSectionForms, type SectionRegistry } from '../../components/signing/DraftEditing'
import {
  describeKey,
  emptyLevel,
  errorsBySection,
  savePayload,
  sectionsFromView,
  validatePayload,
  type ComplicationValues,
  type DiagnosisValues,
  type LevelValues,
  type NarrativeValues,
  type ProcedureSectionValues,
  type SectionName,
} from './noteForm'
import { Section } from '../../components/RecordSection'
import { useClinicClock } from '../../clinicClock'
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
  type InputProps,
} from '../../components/stableInputs'

type Registry = SectionRegistry<SectionName>


/** What the procedure note's draft keeps (renderer/drafts.tsx): the kind, the levels in order and every section. */
export type ProcedureDraft = { kind: ProcedureView['fields']['kind']; order: VertebralLevel[] } & ReturnType<typeof sectionsFromView>

/** The note's sections, kind and levels: from the user's unsaved draft when one was kept, else as saved. */
function startingValues(view: ProcedureView, restored: RestoredDraft<ProcedureDraft> | null, zone: string) {
  const saved = sectionsFromView(view, zone)
  const savedOrder = view.levels.map((l) => l.level)
  if (!restored) return { initial: saved, kind: view.fields.kind, order: savedOrder }
  const d = restored.values
  const kind = (PROCEDURE_KINDS as readonly string[]).includes(d.kind) ? d.kind : view.fields.kind
  const order = Array.isArray(d.order) ? d.order.filter((l) => (VERTEBRAL_LEVELS as readonly string[]).includes(l)) : savedOrder
  const { levels: _levels, ...sections } = saved
  const levels = Object.fromEntries(order.map((l) => [l, restoreOver(saved.levels[l] ?? emptyLevel(), d.levels?.[l])]))
  return { initial: { ...restoreOver(sections, d), levels }, kind, order }
}

export function NoteEditor({ view, restored }: { view: ProcedureView; restored: RestoredDraft<ProcedureDraft> | null }) {
  const setChannelData = useSetChannelData()
  const refreshAfter = useRefreshAfter()
  const latest = useRef(view)
  const { zone } = useClinicClock()
  const [start] = useState(() => startingValues(view, restored, zone))
  const initial = start.initial
  const [kind, setKind] = useState(start.kind)
  const [order, setOrder] = useState<VertebralLevel[]>(start.order)
  const [otherErrors, setOtherErrors] = useState<Record<string, string>>({})
  const kindRef = useRef(kind)
  const orderRef = useRef(order)
  const savedKey = useRef('')
  const { forms, registry, dirty, setDirty } = useSectionForms<SectionName>((): boolean => keyOf() !== savedKey.current)

  const collect = useCallback(() => {
    const get = <T,>(name: SectionName, fallback: T): T => (forms.get(name)?.getValues() as T | undefined) ?? fallback
    return {
      procedure: get<ProcedureSectionValues>('procedure', initial.procedure),
      complications: get<ComplicationValues>('complications', initial.complications),
      narrative: get<NarrativeValues>('narrative', initial.narrative),
      diagnoses: get<DiagnosisValues>('diagnoses', initial.diagnoses),
      levels: Object.fromEntries(orderRef.current.map((l) => [l, get<LevelValues>(`level:${l}`, initial.levels[l] ?? emptyLevel())])),
    }
  }, [initial, forms])
  const keyOf = useCallback((): string => JSON.stringify({ ...savePayload(latest.current, kindRef.current, orderRef.current, collect(), zone), version: 0 }), [collect, zone])

  useEffect(() => {
    // with a restored draft the forms hold the draft: "saved" is the note as loaded
    savedKey.current = restored ? JSON.stringify({ ...savePayload(view, view.fields.kind, view.levels.map((l) => l.level), sectionsFromView(view, zone), zone), version: 0 }) : keyOf()
    if (restored) registry.changed()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, as the editor opens
  }, [keyOf])
  const draft = useDraft<ProcedureDraft>({ read: () => ({ kind: kindRef.current, order: orderRef.current, ...collect() }), isDirty: () => keyOf() !== savedKey.current, baseVersion: view.version })
  useEffect(() => {
    kindRef.current = kind
    orderRef.current = order
    registry.changed()
  }, [kind, order, registry])

  function showErrors(errors: Record<string, string>) {
    const { sections, rest } = errorsBySection(errors, orderRef.current)
    for (const [name, form] of forms) form.setErrors(sections.get(name) ?? {})
    setOtherErrors(rest)
    requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-procedure-editor] [aria-invalid="true"]')?.focus())
  }

  function apply(v: ProcedureView) {
    latest.current = v
    setChannelData('procedures.get', { id: v.id }, v)
    const fresh = sectionsFromView(v, zone)
    for (const [name, form] of forms) {
      const values: object | undefined = name.startsWith('level:') ? fresh.levels[name.slice(6)] : fresh[name as 'procedure']
      if (values) {
        form.setValues(values as never)
        form.resetDirty(values as never)
      }
    }
    kindRef.current = v.fields.kind
    orderRef.current = v.levels.map((l) => l.level)
    setKind(v.fields.kind)
    setOrder(orderRef.current)
    savedKey.current = JSON.stringify({ ...savePayload(v, v.fields.kind, orderRef.current, fresh, zone), version: 0 })
    setDirty(false)
  }

  const editor = useDraftEditor<ProcedureView>({
    noun: 'note',
    current: () => latest.current,
    isDirty: () => keyOf() !== savedKey.current,
    showFieldErrors: showErrors,
    async saveChanged() {
      const values = collect()
      const payload = savePayload(latest.current, kindRef.current, orderRef.current, values, zone)
      const errors = validatePayload(payload, values.procedure)
      showErrors(errors)
      if (Object.keys(errors).length > 0) {
        notifications.show({ color: 'red', title: 'Please check the note', message: 'Some fields need attention; they are marked in red.' })
        return null
      }
      try {
        // sent as the shared schema read it (validatePayload found nothing, so this parse cannot throw)
        const v = await run('procedures.save', SaveProcedure.parse(payload))
        apply(v)
        return v
      } catch (err) {
        editor.failed(err)
        return null
      } finally {
        void refreshAfter('procedures.save')
      }
    },
    readyToSign(v) {
      if (Object.keys(v.missingForSigning).length === 0) return true
      showErrors(Object.fromEntries(Object.entries(v.missingForSigning).map(([k, m]) => [k, m.charAt(0).toUpperCase() + m.slice(1)])))
      notifications.show({ color: 'red', title: 'Not complete yet', message: 'Signing needs the fields marked in red.' })
      return false
    },
    async sign(current, password) {
      const v = await run('procedures.sign', { id: current.id, version: current.version, password })
      await draft.clear()
      setChannelData('procedures.get', { id: v.id }, v)
      void refreshAfter('procedures.sign')
    },
    async reload() {
      apply(await run('procedures.get', { id: latest.current.id }))
    },
  })

  const missing = Object.entries(view.missingForSigning)

  return (
    <DraftForm
      data-procedure-editor
      editor={editor}
      dirty={dirty}
      noun="note"
      errors={otherErrors}
      describe={(k: string) => describeKey(k, order)}
      confirmation={
        <SignConfirmation editor={editor} title="Sign this procedure note?">
          <Text>Once signed the note is locked: nobody can change it. Corrections are made as signed addenda.</Text>
          <Text size="sm">
            {PROCEDURE_KIND_LABELS[latest.current.fields.kind]} at {latest.current.levels.map((l) => l.level).join(', ')} · CPT {latest.current.cpt.summary.map((c) => `${c.code}×${c.units}`).join(', ')}
          </Text>
        </SignConfirmation>
      }
    >
      <Section title="Procedure">
        <Grid>
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <Radio.Group label="Kind" required value={kind} onChange={(v) => setKind(v as typeof kind)}>
              <Group mt={4}>
                {PROCEDURE_KINDS.map((k) => (
                  <Radio key={k} value={k} label={PROCEDURE_KIND_LABELS[k]} />
                ))}
              </Group>
            </Radio.Group>
            {view.procedureRequest && (
              <Text size="sm" c="gray.8" mt={4}>
                Requested: {PROCEDURE_KIND_LABELS[view.procedureRequest.kind]} at {view.procedureRequest.levels.join(', ')}
              </Text>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 8 }}>
            <ProcedureSection reg={registry} initial={initial.procedure} />
          </Grid.Col>
        </Grid>
      </Section>

      <Section title="Levels treated">
        <MultiSelect
          label="Levels, in the order treated"
          description="Type a level and press Enter; the first carries the primary CPT code"
          data={[...VERTEBRAL_LEVELS]}
          searchable
          selectFirstOptionOnChange
          value={order}
          onChange={(v) => setOrder(v as VertebralLevel[])}
          error={otherErrors.levels}
          autoFocus={view.version === 0}
        />
        <CptCodes kind={kind} order={order} />
      </Section>
      {order.map((level, i) => (
        <LevelSection key={level} reg={registry} level={level} index={i} kind={kind} initial={initial.levels[level] ?? emptyLevel()} patientId={view.patient.id} procedureId={view.id} />
      ))}

      <ComplicationsSection reg={registry} initial={initial.complications} />
      <NarrativeSection reg={registry} initial={initial.narrative} />
      <DiagnosesSection reg={registry} initial={initial.diagnoses} />

      {missing.length > 0 && (
        <Paper withBorder p="md" radius="md" component="section" aria-label="Still needed to sign">
          <Text fw={600} size="sm">
            Still needed to sign (as last saved)
          </Text>
          <Text size="sm">{missing.map(([k, m]) => `${describeKey(k, view.levels.map((l) => l.level))} ${m}`).join(' · ')}</Text>
        </Paper>
      )}
    </DraftForm>
  )
}

export function CptCodes({ kind, order }: { kind: ProcedureView['fields']['kind']; order: readonly VertebralLevel[] }) {
  const cpt = deriveCptCodes(kind, order)
  return (
    <Stack gap={4} aria-live="polite" data-testid="cpt-codes">
      <Text size="sm" fw={600}>
        CPT codes (derived)
      </Text>
      {cpt.summary.length === 0 && <Text size="sm">None yet.</Text>}
      {cpt.summary.map((c) => (
        <Text key={c.code} size="sm">
          {c.code} × {c.units}: {CPT_DESCRIPTIONS[c.code]}
        </Text>
      ))}
      {cpt.problems
        .filter((p) => p.level !== null)
        .map((p) => (
          <Text key={p.message} size="sm" c="red.9">
            {p.message}
          </Text>
        ))}
    </Stack>
  )
}

const ANAESTHESIA_OPTIONS = [{ value: '', label: 'Choose…' }, ...ANAESTHESIA.map((a) => ({ value: a, label: ANAESTHESIA_LABELS[a] }))]
const POSITION_OPTIONS = POSITIONS.map((p) => ({ value: p, label: POSITION_LABELS[p] }))
const IMAGING_OPTIONS = IMAGING.map((p) => ({ value: p, label: IMAGING_LABELS[p] }))

const ProcedureSection = memo(function ProcedureSection({ reg, initial }: { reg: Registry; initial: ProcedureSectionValues }) {
  const form = useSectionForm(reg, 'procedure', initial)
  // each field redraws only when its own value changes (renderer/components/stableInputs.tsx)
  const fields = useStableInputs(form)
  const num = (k: 'fluoroscopySeconds' | 'doseAirKermaMgy' | 'doseDapMgyCm2') => ({
    value: form.values[k],
    onChange: fields.set<number | null>(k),
    error: form.errors[k],
  })
  const setTime = fields.set<string>('startedAt')
  const setEnd = fields.set<string>('endedAt')
  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <MemoDateField label="Procedure date" required {...fields.input('procedureDate')} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 4 }}>
        <StableTimeField label="Start time" input={fields.input('startedAt')} onNow={setTime} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 4 }}>
        <StableTimeField label="End time" input={fields.input('endedAt')} onNow={setEnd} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <MemoNativeSelect label="Sedation or anaesthesia" required data={ANAESTHESIA_OPTIONS} {...fields.input('anaesthesia')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <MemoTextInput label="Sedation note" description="Drugs and doses, who gave them" {...fields.input('anaesthesiaNote')} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 6 }}>
        <MemoNativeSelect label="Patient position" data={POSITION_OPTIONS} {...fields.input('position')} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 6 }}>
        <MemoNativeSelect label="Imaging guidance" data={IMAGING_OPTIONS} {...fields.input('imagingGuidance')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 4 }}>
        <MemoOptionalNumber label="Fluoroscopy time (s)" min={0} allowDecimal={false} {...num('fluoroscopySeconds')} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 4 }}>
        <MemoOptionalNumber label="Air kerma (mGy)" description="At the reference point" min={0} decimalScale={1} {...num('doseAirKermaMgy')} />
      </Grid.Col>
      <Grid.Col span={{ base: 6, sm: 4 }}>
        <MemoOptionalNumber label="Dose-area product (mGy·cm²)" min={0} decimalScale={1} {...num('doseDapMgyCm2')} />
      </Grid.Col>
    </Grid>
  )
})

/** TimeField for a form's stable input props (useStableInputs): redraws only when its own value or error changes. */
const StableTimeField = memoByValue(function StableTimeField({ label, input, onNow }: { label: string; input: InputProps; onNow: (hhmm: string) => void }) {
  const clock = useClinicClock()
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <TextInput label={label} description="HH:MM, 24 hours" placeholder="HH:MM" style={{ flex: 1 }} {...input} />
      <Button variant="default" size="sm" onClick={() => onNow(clock.nowHhmm())} aria-label={`${label}: now`} mb={input.error ? 22 : 0}>
        Now
      </Button>
    </Group>
  )
})

/** HH:MM, with a button for the time now. */
export function TimeField({ label, form, path, required, description }: { label: string; form: UseFormReturnType<any>; path: string; required?: boolean; description?: string }) {
  const clock = useClinicClock()
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <TextInput label={label} description={description ?? 'HH:MM, 24 hours'} placeholder="HH:MM" required={required} style={{ flex: 1 }} {...form.getInputProps(path)} />
      <Button variant="default" size="sm" onClick={() => form.setFieldValue(path, clock.nowHhmm())} aria-label={`${label}: now`} mb={form.errors[path] ? 22 : 0}>
        Now
      </Button>
    </Group>
  )
}

const APPROACH_OPTIONS = [{ value: '', label: 'Choose…' }, ...APPROACHES.map((a) => ({ value: a, label: APPROACH_LABELS[a] }))]
const WALL_LABEL = { anterior: 'Anterior', middle: 'Middle', posterior: 'Posterior' } as const

const LevelSection = memo(function LevelSection({
  reg,
  level,
  index,
  kind,
  initial,
  patientId,
  procedureId,
}: {
  reg: Registry
  level: VertebralLevel
  index: number
  kind: ProcedureView['fields']['kind']
  initial: LevelValues
  patientId: number
  procedureId: number
}) {
  const form = useSectionForm(reg, `level:${level}`, initial)
  // each field redraws only when its own value changes (renderer/components/stableInputs.tsx): a key in the
  // notes no longer redraws the level's twenty-odd other inputs
  const fields = useStableInputs(form)
  const v = form.values
  const num = (k: 'needleGauge' | 'balloonVolumeMl' | 'balloonPressurePsi' | 'cementVolumeMl' | 'kyphoticAngleAfter') => ({ value: v[k], onChange: fields.set<number | null>(k), error: form.errors[k] })
  const leaked = v.leakage.some((l) => l !== 'none')
  const complete = (w: LevelValues['heightBefore']) => HEIGHT_WALLS.every((k) => typeof w[k] === 'number' && w[k]! > 0 && w[k]! <= 80)
  const restoration = complete(v.heightBefore) && complete(v.heightAfter) ? heightRestoration(v.heightBefore as never, v.heightAfter as never) : null
  const onBiopsy = fields.set('biopsyTaken', (e: ChangeEvent<HTMLInputElement>) => e.currentTarget.checked)
  const onLeakage = fields.handler('leakage', (picked: string[]) => {
    const added = picked.find((p) => !v.leakage.includes(p as never))
    const next = added === 'none' ? ['none'] : picked.filter((p) => p !== 'none')
    form.setFieldValue('leakage', next as never)
    if (!next.some((l) => l !== 'none')) form.setFieldValue('leakageSymptomatic', null)
  })
  return (
    <Paper withBorder p="md" radius="md" component="fieldset" aria-label={`Level ${level}`} style={{ margin: 0 }}>
      <Stack gap="sm">
        <Text fw={700} size="lg" component="legend">
          {level} {index === 0 ? '(treated first)' : `(treated ${index + 1}${['st', 'nd', 'rd'][index] ?? 'th'})`}
        </Text>
        <Grid>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <MemoNativeSelect label="Approach" required data={APPROACH_OPTIONS} {...fields.input('approach')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <MemoOptionalNumber label="Needle gauge" description="11, 13 or 15 are common" min={8} max={18} allowDecimal={false} required {...num('needleGauge')} />
          </Grid.Col>
          {kind === 'kyphoplasty' && (
            <>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <MemoOptionalNumber label="Balloon volume (mL)" min={0} decimalScale={2} required {...num('balloonVolumeMl')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <MemoOptionalNumber label="Balloon pressure (psi)" description="Highest" min={0} decimalScale={0} required {...num('balloonPressurePsi')} />
              </Grid.Col>
            </>
          )}
          <Grid.Col span={{ base: 6, sm: 6 }}>
            <MemoTextInput label="Cement type" description="e.g. PMMA, brand" required {...fields.input('cementType')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <MemoOptionalNumber label="Cement volume (mL)" min={0} decimalScale={2} required {...num('cementVolumeMl')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <MemoTextInput label="Cement lot" description="As printed on the pack" maxLength={CEMENT_LOT_MAX} {...fields.input('cementLot')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <MemoTextarea
              label="Device identifiers"
              description="Kit, needle, balloon: lot or UDI, one per line"
              autosize
              minRows={1}
              maxLength={DEVICE_IDS_MAX}
              {...fields.input('deviceIds')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <MemoOptionalNumber
              label="Kyphotic angle after (°)"
              description="At this level; negative for lordosis"
              min={KYPHOTIC_ANGLE_MIN}
              max={KYPHOTIC_ANGLE_MAX}
              decimalScale={1}
              {...num('kyphoticAngleAfter')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, sm: 3 }}>
            <MemoCheckbox mt={{ base: 0, sm: 28 }} label="Biopsy taken at this level" checked={v.biopsyTaken === true} onChange={onBiopsy} error={form.errors.biopsyTaken} />
          </Grid.Col>
        </Grid>
        <HeightTable
          level={level}
          before={v.heightBefore}
          after={v.heightAfter}
          errors={errorsOf(form.errors, ['heightBefore', 'heightAfter', ...HEIGHT_WALLS.flatMap((w) => [`heightBefore.${w}`, `heightAfter.${w}`])])}
          onBefore={fields.handler('heightBefore', (w: (typeof HEIGHT_WALLS)[number], x: number | null) => form.setFieldValue(`heightBefore.${w}`, x as never))}
          onAfter={fields.handler('heightAfter', (w: (typeof HEIGHT_WALLS)[number], x: number | null) => form.setFieldValue(`heightAfter.${w}`, x as never))}
        />
        <ProcedureHeightsMeasurement patientId={patientId} procedureId={procedureId} level={level} before={v.heightBefore} after={v.heightAfter} />
        <Text size="sm" fw={600} aria-live="polite" data-testid={`restoration-${level}`}>
          {restoration
            ? `Height restoration: ${restoration.walls.map((w) => `${WALL_LABEL[w.wall]} ${w.gainMm >= 0 ? '+' : ''}${w.gainMm} mm (${w.gainPercent}%)`).join(' · ')}`
            : 'Height restoration: type the six heights'}
        </Text>
        <Leakage value={v.leakage} error={form.errors.leakage} onChange={onLeakage} />
        {leaked && <MemoYesNoUnknown label="The leak caused symptoms" value={v.leakageSymptomatic} onChange={fields.set('leakageSymptomatic')} error={form.errors.leakageSymptomatic as string | undefined} />}
        <MemoTextarea label={`Notes on ${level}`} autosize minRows={1} {...fields.input('notes')} />
      </Stack>
    </Paper>
  )
})

function errorsOf(errors: Record<string, ReactNode>, keys: string[]): Record<string, ReactNode> {
  const out: Record<string, ReactNode> = {}
  for (const k of keys) if (errors[k] !== undefined) out[k] = errors[k]
  return out
}

type Heights = LevelValues['heightBefore']
type Wall = (typeof HEIGHT_WALLS)[number]

/** The six heights of a level: redrawn only when one of them (or their messages) changes. */
const HeightTable = memoByValue(function HeightTable({
  level,
  before,
  after,
  errors,
  onBefore,
  onAfter,
}: {
  level: VertebralLevel
  before: Heights
  after: Heights
  errors: Record<string, ReactNode>
  onBefore: (wall: Wall, mm: number | null) => void
  onAfter: (wall: Wall, mm: number | null) => void
}) {
  return (
    <Table aria-label={`Vertebral body height at ${level} (mm)`} withTableBorder={false}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Height (mm)</Table.Th>
          {HEIGHT_WALLS.map((w) => (
            <Table.Th key={w}>{WALL_LABEL[w]}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(['heightBefore', 'heightAfter'] as const).map((row) => (
          <Table.Tr key={row}>
            <Table.Th scope="row">{row === 'heightBefore' ? 'Before' : 'After'}</Table.Th>
            {HEIGHT_WALLS.map((w) => (
              <Table.Td key={w}>
                <OptionalNumber
                  aria-label={`${WALL_LABEL[w]} height ${row === 'heightBefore' ? 'before' : 'after'} (mm)`}
                  min={0}
                  max={80}
                  decimalScale={1}
                  value={(row === 'heightBefore' ? before : after)[w]}
                  onChange={(x) => (row === 'heightBefore' ? onBefore : onAfter)(w, x)}
                  error={errors[`${row}.${w}`] ?? (w === 'anterior' ? errors[row] : undefined)}
                />
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
})

/** Where the cement went: redrawn only when the ticks (or the message) change. */
const Leakage = memoByValue(function Leakage({ value, error, onChange }: { value: LevelValues['leakage']; error: ReactNode; onChange: (picked: string[]) => void }) {
  // an old draft's value of the earlier classification: shown (ticked) so it can be replaced, never offered anew
  const legacy = value.filter(isLegacyLeak)
  return (
    <Checkbox.Group
      label="Cement leakage"
      description={legacy.length > 0 ? 'This draft holds a leak type of the old classification: untick it and tick where the cement went.' : 'Where the cement went'}
      required
      value={value}
      error={error}
      onChange={onChange}
    >
      <Group mt={4} gap="md">
        <Checkbox value="none" label="None" />
        {LEAK_LOCATIONS.map((t) => (
          <Checkbox key={t} value={t} label={LEAKAGE_LABELS[t]} />
        ))}
        {legacy.map((t) => (
          <Checkbox key={t} value={t} label={`${LEAKAGE_LABELS[t]} (old classification)`} />
        ))}
      </Group>
    </Checkbox.Group>
  )
})

const COMPLICATION_OPTIONS = COMPLICATIONS.map((c) => ({ value: c, label: COMPLICATION_LABELS[c] }))

const ComplicationsSection = memo(function ComplicationsSection({ reg, initial }: { reg: Registry; initial: ComplicationValues }) {
  const form = useSectionForm(reg, 'complications', initial)
  return (
    <Section title="Complications">
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(['intra', 'post'] as const).map((when) => (
          <Stack key={when} gap="xs">
            <Checkbox.Group label={when === 'intra' ? 'During the procedure' : 'After the procedure'} description="None ticked: none" {...form.getInputProps(`${when}Complications`)}>
              <Stack gap={6} mt={4}>
                {COMPLICATION_OPTIONS.map((o) => (
                  <Checkbox key={o.value} value={o.value} label={o.label} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Textarea label={when === 'intra' ? 'Description (during)' : 'Description (after)'} description="Required for “Other”" autosize minRows={1} {...form.getInputProps(`${when}ComplicationsNote`)} />
          </Stack>
        ))}
      </SimpleGrid>
    </Section>
  )
})

const NarrativeSection = memo(function NarrativeSection({ reg, initial }: { reg: Registry; initial: NarrativeValues }) {
  const form = useSectionForm(reg, 'narrative', initial)
  return (
    <Section title="Narrative">
      <Textarea label="Procedure narrative" description="Consent, timeout, access, what was done, how the patient left the room" autosize minRows={4} {...form.getInputProps('narrative')} />
    </Section>
  )
})

const DiagnosesSection = memo(function DiagnosesSection({ reg, initial }: { reg: Registry; initial: DiagnosisValues }) {
  const form = useSectionForm(reg, 'diagnoses', initial)
  const [added, setAdded] = useState<number | null>(null)
  return (
    <Section
      title="Diagnoses (ICD-10-CM)"
      aside={
        <Button
          variant="default"
          onClick={() => {
            setAdded(form.values.diagnoses.length)
            form.insertListItem('diagnoses', { code: '', description: '' })
          }}
        >
          Add ICD-10-CM code
        </Button>
      }
    >
      {form.values.diagnoses.length === 0 && <Text size="sm">No code attached. For example M80.08XA (age-related osteoporosis with current pathological fracture, vertebra, initial encounter).</Text>}
      {form.values.diagnoses.map((_, i) => (
        <Grid key={i} align="flex-end">
          <Grid.Col span={{ base: 12, sm: 3 }}>
            <TextInput label={`Code ${i + 1}`} description="e.g. M80.08XA" autoFocus={added === i} {...form.getInputProps(`diagnoses.${i}.code`)} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 7 }}>
            <TextInput label={`Description ${i + 1}`} {...form.getInputProps(`diagnoses.${i}.description`)} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 2 }}>
            <Button variant="default" onClick={() => form.removeListItem('diagnoses', i)} aria-label={`Remove code ${i + 1}`}>
              Remove
            </Button>
          </Grid.Col>
        </Grid>
      ))}
    </Section>
  )
})
