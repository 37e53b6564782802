/**
 * After the procedure: the supine rest and the observation bay (arrival, departure), the checks due (done,
 * due, late, missed: computed by the main process, refreshed every 30 s), recording a check with its flags,
 * the discharge-readiness checklist, and the overnight-stay decision.
 */
import { Alert, Badge, Button, Checkbox, Grid, Group, List, Loader, Modal, Paper, Radio, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useQuery } from '@tanstack/react-query'
import { useRef, useState } from 'react'
import {
  DISCHARGE_READINESS_ITEMS,
  DISCHARGE_READINESS_LABELS,
  DISPOSITION_LABELS,
  SEDATION_SCALE_NAMES,
  SLOT_STATUS_LABELS,
  STAY_REASON_LABELS,
  STAY_REASONS,
  type SlotStatus,
} from '../../../shared/clinical/observation'
import type { ProcedureView } from '../../../shared/schemas/procedures'
import { AddCheck, CheckFields, DecideStay, RecoveryFields, SaveRecovery, type CheckView, type RecoveryView } from '../../../shared/schemas/recovery'
import { ApiError } from '../../api'
import { channelKey, run, useCan, useRefreshAfter, useSetChannelData } from '../../data'
import { OptionalNumber } from '../../components/ClinicalInputs'
import { ErrorPanel } from '../../components/ErrorPanel'
import { capitalizeAll, focusFirstError, showApiError } from '../../forms'
import { useClinicClock } from '../../clinicClock'
import { TimeField } from './NoteEditor'
import { Section } from '../../components/RecordSection'
import { hhmmOf, instantOf, isTimeText, timeError } from './time'


/**
 * The recovery record as a screen shows it. The checks due change with the clock (the main process computes
 * them), so it is asked again every 30 s; the first read per mount of the screen is the audited view, the
 * later ones are `refresh` re-reads of the record already shown (not audited again).
 */
export function useRecovery(procedureId: number) {
  const opened = useRef(false)
  return useQuery({
    // keyed without `refresh`: the re-reads are the same record's
    queryKey: channelKey('recovery.get', { procedureId }),
    queryFn: () => {
      const refresh = opened.current
      opened.current = true
      return run('recovery.get', { procedureId, refresh })
    },
    refetchInterval: 30_000,
  })
}

export function RecoveryPanel({ procedure }: { procedure: ProcedureView }) {
  const rec = useRecovery(procedure.id)
  const writes = useCan('recovery.save')
  if (rec.isPending) return <Loader aria-label="Loading the recovery record" />
  if (rec.isError) return <ErrorPanel error={rec.error} onRetry={() => void rec.refetch()} />
  const r = rec.data
  const writer = writes && !r.closed
  return (
    <Stack>
      {r.closed && (
        <Alert color="red" title="The procedure note was entered in error" role="status" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
          Nothing more can be recorded here; what was recorded stays readable.
        </Alert>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack>
            <BayTimes key={`bay-${r.version}`} r={r} writer={writer} />
            <TimeFlags r={r} />
            <ChecksDue r={r} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            {writer && <NewCheck r={r} />}
            <Checks r={r} writer={writer} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Readiness key={`ready-${r.version}`} r={r} writer={writer} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <StayDecision key={`stay-${r.stay?.version ?? 'none'}`} r={r} writer={writer} />
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

/** After a recovery write: the record it returned in place, and what recovery writes change (the stays list, the chart). */
function useSetRecovery() {
  const setChannelData = useSetChannelData()
  const refreshAfter = useRefreshAfter()
  return (v: RecoveryView) => {
    setChannelData('recovery.get', { procedureId: v.procedureId }, v)
    void refreshAfter('recovery.save')
  }
}

const BAY_TIMES = ['supineStartedAt', 'supineEndedAt', 'arrivedAt', 'departedAt'] as const
type BayValues = Record<(typeof BAY_TIMES)[number], string> & { baselinePain: number | null }

/** The bay times are typed on the clinic's clock (its time zone, `bay.zone`). */
function recoveryPayload(r: RecoveryView, bay: { values: BayValues; zone: string } | null, checklist: RecoveryView['fields']['checklist'] | null) {
  const f = r.fields
  const fields = { ...f, checklist: checklist ?? f.checklist }
  if (bay) {
    let prev: string | null = null
    for (const k of BAY_TIMES) {
      fields[k] = instantOf(r.procedureDate, bay.values[k], bay.zone, prev)
      prev = fields[k] ?? prev
    }
    fields.baselinePain = bay.values.baselinePain
  }
  return { procedureId: r.procedureId, version: r.version, fields }
}

function BayTimes({ r, writer }: { r: RecoveryView; writer: boolean }) {
  const { zone } = useClinicClock()
  const setRecovery = useSetRecovery()
  const [busy, setBusy] = useState(false)
  const form = useForm<BayValues>({
    initialValues: { ...(Object.fromEntries(BAY_TIMES.map((k) => [k, hhmmOf(r.fields[k], zone)])) as Record<(typeof BAY_TIMES)[number], string>), baselinePain: r.fields.baselinePain },
    validate: (values) => {
      const errors: Record<string, string> = {}
      for (const k of BAY_TIMES) if (!isTimeText(values[k])) errors[k] = timeError
      if (Object.keys(errors).length > 0) return errors
      const p = recoveryPayload(r, { values, zone }, null)
      const res = RecoveryFields.safeParse(p.fields)
      if (!res.success) for (const i of res.error.issues) errors[i.path.join('.')] ??= i.message
      return capitalizeAll(errors)
    },
  })
  async function save(values: BayValues) {
    setBusy(true)
    try {
      setRecovery(await run('recovery.save', SaveRecovery.parse(recoveryPayload(r, { values, zone }, null))))
      notifications.show({ color: 'green', title: 'Saved', message: 'The recovery times are saved.' })
    } catch (err) {
      const e = showApiError(err)
      if (e) form.setErrors(capitalizeAll(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace(/^fields\./, ''), v]))))
    } finally {
      setBusy(false)
    }
  }
  if (!writer) {
    return (
      <Section title="Observation bay">
        {BAY_TIMES.map((k) => (
          <Text key={k} size="sm">
            {BAY_LABELS[k]}: {r.fields[k] ? hhmmOf(r.fields[k], zone) : '—'}
          </Text>
        ))}
        <Text size="sm">Pain at the end of the procedure: {r.fields.baselinePain ?? '—'}</Text>
      </Section>
    )
  }
  return (
    <Section title="Observation bay">
      <form onSubmit={form.onSubmit((v) => void save(v), focusFirstError)} noValidate>
        <Stack gap="xs">
          <SimpleGrid cols={2} spacing="xs">
            {BAY_TIMES.map((k) => (
              <TimeField key={k} label={BAY_LABELS[k]} form={form} path={k} />
            ))}
          </SimpleGrid>
          <OptionalNumber
            label="Pain at the end of the procedure (0-10)"
            description="The baseline: a later check above it is flagged"
            min={0}
            max={10}
            allowDecimal={false}
            value={form.values.baselinePain}
            onChange={(v) => form.setFieldValue('baselinePain', v)}
            error={form.errors.baselinePain}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Save times
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  )
}
const BAY_LABELS = { supineStartedAt: 'Supine rest from', supineEndedAt: 'Supine rest until', arrivedAt: 'Arrived in the bay', departedAt: 'Left the bay' } as const

/** A departure before the clinic's minimum observation time, a supine rest shorter than its minimum (issue 17). */
function TimeFlags({ r }: { r: RecoveryView }) {
  if (r.timeFlags.length === 0) return null
  return (
    <Alert color="red" variant="outline" title="The observation stay was cut short" data-testid="time-flags" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
      <List size="sm">
        {r.timeFlags.map((f) => (
          <List.Item key={f.key}>{f.message}</List.Item>
        ))}
      </List>
    </Alert>
  )
}

const SLOT_COLORS: Record<SlotStatus, string> = { done: 'teal.9', doneLate: 'cyan.9', due: 'indigo.9', late: 'red.9', missed: 'red.9', upcoming: 'gray.7', notNeeded: 'gray.7' }

function ChecksDue({ r }: { r: RecoveryView }) {
  const { zone } = useClinicClock()
  const s = r.schedule
  return (
    <Section title="Checks due">
      {!s ? (
        <Text size="sm">The schedule starts when the arrival in the observation bay is recorded.</Text>
      ) : (
        <>
          <Text size="sm" fw={600} aria-live="polite" data-testid="checks-due-summary">
            {s.complete ? 'No check left to do.' : `${s.dueCount} due now · ${s.lateCount} late · ${s.missedCount} missed${s.nextDueAt ? ` · next at ${hhmmOf(s.nextDueAt, zone)}` : ''}`}
          </Text>
          <Table aria-label="Checks due" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Due</Table.Th>
                <Table.Th>After arrival</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Checked</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.slots.map((slot) => (
                <Table.Tr key={slot.minutes} data-status={slot.status}>
                  <Table.Td>{hhmmOf(slot.dueAt, zone)}</Table.Td>
                  <Table.Td>{slot.minutes} min</Table.Td>
                  <Table.Td>
                    <Badge color={SLOT_COLORS[slot.status]}>{SLOT_STATUS_LABELS[slot.status]}</Badge>
                  </Table.Td>
                  <Table.Td>{slot.checkedAt ? hhmmOf(slot.checkedAt, zone) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="gray.8">
            Refreshed every 30 seconds.
          </Text>
        </>
      )}
    </Section>
  )
}

interface CheckValues {
  checkedAt: string
  systolic: number | null
  diastolic: number | null
  heartRate: number | null
  spo2: number | null
  respiratoryRate: number | null
  sedationScore: number | null
  pain: number | null
  legNeuro: 'normal' | 'abnormal' | ''
  neuroNote: string
}
const emptyCheck = (nowHhmm: string): CheckValues => ({
  checkedAt: nowHhmm,
  systolic: null,
  diastolic: null,
  heartRate: null,
  spo2: null,
  respiratoryRate: null,
  sedationScore: null,
  pain: null,
  legNeuro: '',
  neuroNote: '',
})

function checkPayload(r: RecoveryView, v: CheckValues, zone: string) {
  return { procedureId: r.procedureId, check: { ...v, checkedAt: instantOf(r.procedureDate, v.checkedAt, zone, r.fields.arrivedAt ?? r.procedureEndedAt) ?? '', legNeuro: v.legNeuro || undefined } }
}

function NewCheck({ r }: { r: RecoveryView }) {
  const clock = useClinicClock()
  const setRecovery = useSetRecovery()
  const [busy, setBusy] = useState(false)
  const form = useForm<CheckValues>({
    initialValues: emptyCheck(clock.nowHhmm()),
    validate: (values) => {
      if (!isTimeText(values.checkedAt) || values.checkedAt.trim() === '') return { checkedAt: values.checkedAt.trim() === '' ? 'Is required' : timeError }
      const res = CheckFields.safeParse(checkPayload(r, values, clock.zone).check)
      const errors: Record<string, string> = {}
      if (!res.success) for (const i of res.error.issues) errors[i.path.join('.')] ??= i.path[0] === 'legNeuro' ? 'Choose normal or abnormal' : i.message
      return capitalizeAll(errors)
    },
  })
  async function add(values: CheckValues) {
    setBusy(true)
    try {
      const next = await run('recovery.addCheck', AddCheck.parse(checkPayload(r, values, clock.zone)))
      setRecovery(next)
      const added = next.checks.at(-1)
      notifications.show({ color: added?.flagged ? 'orange' : 'green', title: added?.flagged ? 'Check recorded: flagged' : 'Check recorded', message: added?.flags.map((f) => f.message).join('; ') || 'Within the limits.' })
      form.setValues(emptyCheck(clock.nowHhmm()))
      form.resetDirty()
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-new-check] input[name="systolic"]')?.focus())
    } catch (err) {
      const e = showApiError(err)
      if (e) form.setErrors(capitalizeAll(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k.replace(/^check\./, ''), v]))))
    } finally {
      setBusy(false)
    }
  }
  const num = (k: 'systolic' | 'diastolic' | 'heartRate' | 'spo2' | 'respiratoryRate' | 'sedationScore' | 'pain') => ({ name: k, value: form.values[k], onChange: (v: number | null) => form.setFieldValue(k, v), error: form.errors[k], allowDecimal: false })
  return (
    <Section title="Record a check">
      <form onSubmit={form.onSubmit((v) => void add(v), focusFirstError)} noValidate data-new-check>
        <Stack gap="xs">
          <Grid>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <TimeField label="Time of the check" form={form} path="checkedAt" required />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 4 }}>
              <OptionalNumber label="Systolic (mmHg)" min={40} max={300} {...num('systolic')} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 4 }}>
              <OptionalNumber label="Diastolic (mmHg)" min={20} max={200} {...num('diastolic')} />
            </Grid.Col>
            <Grid.Col span={{ base: 4, sm: 4 }}>
              <OptionalNumber label="Heart rate (/min)" min={20} max={250} {...num('heartRate')} />
            </Grid.Col>
            <Grid.Col span={{ base: 4, sm: 4 }}>
              <OptionalNumber label="SpO2 (%)" min={50} max={100} {...num('spo2')} />
            </Grid.Col>
            <Grid.Col span={{ base: 4, sm: 4 }}>
              <OptionalNumber label="Pain (0-10)" min={0} max={10} {...num('pain')} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 4 }}>
              <OptionalNumber label="Respiratory rate (/min)" min={4} max={60} {...num('respiratoryRate')} />
            </Grid.Col>
            <Grid.Col span={{ base: 6, sm: 8 }}>
              <OptionalNumber
                label={`Sedation score (${SEDATION_SCALE_NAMES[r.sedation.scale]}, 0-10)`}
                description={`${r.sedation.scaleLabel}: fit for discharge at ${r.sedation.dischargeScore} or more`}
                min={0}
                max={10}
                {...num('sedationScore')}
              />
            </Grid.Col>
          </Grid>
          <Radio.Group label="Leg neurological check" description="Strength and sensation in both legs" required {...form.getInputProps('legNeuro')}>
            <Group mt={4}>
              <Radio value="normal" label="Normal" />
              <Radio value="abnormal" label="Abnormal" />
            </Group>
          </Radio.Group>
          {form.values.legNeuro === 'abnormal' && <Textarea label="What is abnormal" required autosize minRows={1} {...form.getInputProps('neuroNote')} />}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Record check
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  )
}

function Checks({ r, writer }: { r: RecoveryView; writer: boolean }) {
  const { zone } = useClinicClock()
  const [marking, setMarking] = useState<CheckView | null>(null)
  return (
    <Section title="Checks recorded">
      {r.checks.length === 0 ? (
        <Text size="sm">No check recorded yet.</Text>
      ) : (
        <Table aria-label="Checks recorded" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>BP</Table.Th>
              <Table.Th>HR</Table.Th>
              <Table.Th>SpO2</Table.Th>
              <Table.Th>RR</Table.Th>
              <Table.Th>Sedation</Table.Th>
              <Table.Th>Pain</Table.Th>
              <Table.Th>Legs</Table.Th>
              <Table.Th>Flags</Table.Th>
              {writer && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.checks.map((c) => (
              <Table.Tr key={c.id} data-testid="check-row" style={c.enteredInError ? { textDecoration: 'line-through' } : undefined}>
                <Table.Td>{hhmmOf(c.checkedAt, zone)}</Table.Td>
                <Table.Td>{c.systolic !== null ? `${c.systolic}/${c.diastolic}` : '—'}</Table.Td>
                <Table.Td>{c.heartRate ?? '—'}</Table.Td>
                <Table.Td>{c.spo2 !== null ? `${c.spo2}%` : '—'}</Table.Td>
                <Table.Td>{c.respiratoryRate ?? '—'}</Table.Td>
                <Table.Td>{c.sedationScore !== null ? `${SEDATION_SCALE_NAMES[c.sedationScale ?? r.sedation.scale]} ${c.sedationScore}` : '—'}</Table.Td>
                <Table.Td>{c.pain ?? '—'}</Table.Td>
                <Table.Td>{c.legNeuro === 'normal' ? 'Normal' : `Abnormal: ${c.neuroNote}`}</Table.Td>
                <Table.Td>
                  {c.enteredInError ? (
                    <Text size="xs">
                      Entered in error by {c.enteredInError.byName}: {c.enteredInError.reason}
                    </Text>
                  ) : c.flags.length === 0 ? (
                    'None'
                  ) : (
                    <Stack gap={2} component="ul" aria-label={`Flags of the check of ${hhmmOf(c.checkedAt, zone)}`} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                      {c.flags.map((f) => (
                        <CheckFlagLine key={f.key} flag={f} neuroNote={c.neuroNote} />
                      ))}
                    </Stack>
                  )}
                </Table.Td>
                {writer && (
                  <Table.Td>
                    {!c.enteredInError && (
                      <Button size="xs" variant="default" onClick={() => setMarking(c)} aria-label={`Mark the check of ${hhmmOf(c.checkedAt, zone)} entered in error`}>
                        Entered in error…
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="xs" c="gray.8">
        Recorded by {[...new Set(r.checks.map((c) => c.recordedByName))].join(', ') || '—'}
      </Text>
      {marking && <MarkCheckInError check={marking} onClose={() => setMarking(null)} />}
    </Section>
  )
}

/**
 * One flag of a check, as a sentence saying why it fired (the rule's own message from shared/clinical/observation.ts,
 * which names the value and the limit it crossed). Dark text on a pale red ground with a red edge: readable at
 * AA contrast, where red text on a red badge was not (issue 23).
 */
function CheckFlagLine({ flag, neuroNote }: { flag: CheckView['flags'][number]; neuroNote: string }) {
  const why = flag.key === 'neuroAbnormal' && neuroNote.trim() ? `${flag.message}: ${neuroNote.trim()}` : flag.message
  return (
    <Text component="li" size="xs" fw={500} c="dark.9" bg="red.0" px={6} py={2} data-testid="check-flag" data-flag={flag.key} style={{ borderInlineStart: '3px solid var(--mantine-color-red-8)', borderRadius: 2 }}>
      {why}
    </Text>
  )
}

function MarkCheckInError({ check, onClose }: { check: CheckView; onClose: () => void }) {
  const { zone } = useClinicClock()
  const setRecovery = useSetRecovery()
  const form = useForm({ initialValues: { reason: '' }, validate: { reason: (v) => (v.trim() ? null : 'Is required') } })
  return (
    <Modal opened onClose={onClose} title={`Mark the check of ${hhmmOf(check.checkedAt, zone)} entered in error`}>
      <form
        onSubmit={form.onSubmit(async (v) => {
          try {
            setRecovery(await run('recovery.markCheckInError', { checkId: check.id, reason: v.reason }))
            onClose()
          } catch (err) {
            showApiError(err, form)
          }
        }, focusFirstError)}
        noValidate
      >
        <Stack>
          <Textarea label="Reason" required data-autofocus autosize minRows={2} {...form.getInputProps('reason')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red.9">
              Mark entered in error
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}

function Readiness({ r, writer }: { r: RecoveryView; writer: boolean }) {
  const setRecovery = useSetRecovery()
  const [checked, setChecked] = useState<string[]>(DISCHARGE_READINESS_ITEMS.filter((k) => r.fields.checklist[k]))
  const [busy, setBusy] = useState(false)
  const dirty = JSON.stringify(checked) !== JSON.stringify(DISCHARGE_READINESS_ITEMS.filter((k) => r.fields.checklist[k]))
  async function save() {
    setBusy(true)
    try {
      const checklist = Object.fromEntries(DISCHARGE_READINESS_ITEMS.map((k) => [k, checked.includes(k)]))
      setRecovery(await run('recovery.save', recoveryPayload(r, null, checklist)))
    } catch (err) {
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Discharge readiness" aside={<Badge color={r.readiness.ready ? 'teal.9' : 'red.9'}>{r.readiness.ready ? 'Ready' : 'Not ready'}</Badge>}>
      <Checkbox.Group label="Checklist" value={checked} onChange={setChecked} readOnly={!writer}>
        <Stack gap={6} mt={4}>
          {DISCHARGE_READINESS_ITEMS.map((k) => (
            <Checkbox key={k} value={k} label={DISCHARGE_READINESS_LABELS[k]} disabled={!writer} />
          ))}
        </Stack>
      </Checkbox.Group>
      {r.readiness.warnings.length > 0 && (
        <Alert color="orange" variant="outline" title="From the record" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
          <List size="sm">
            {r.readiness.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {writer && (
        <Group justify="flex-end">
          <Button onClick={() => void save()} loading={busy} disabled={!dirty}>
            Save checklist
          </Button>
        </Group>
      )}
    </Section>
  )
}

interface StayValues {
  disposition: 'sameDay' | 'overnight' | ''
  reasons: string[]
  otherText: string
  note: string
  overrideReason: string
}

function StayDecision({ r, writer }: { r: RecoveryView; writer: boolean }) {
  const clock = useClinicClock()
  const setRecovery = useSetRecovery()
  const refreshAfter = useRefreshAfter()
  const s = r.stay
  const [editing, setEditing] = useState(s === null)
  const [busy, setBusy] = useState(false)
  const [full, setFull] = useState<string | null>(null)
  const form = useForm<StayValues>({
    initialValues: { disposition: s?.disposition ?? '', reasons: s?.reasons ?? [], otherText: s?.otherText ?? '', note: s?.note ?? '', overrideReason: s?.overrideReason ?? '' },
    validate: (values) => {
      if (values.disposition === '') return { disposition: 'Choose same-day discharge or an overnight stay' }
      const res = DecideStay.safeParse(payload(values, false))
      const errors: Record<string, string> = {}
      if (!res.success) for (const i of res.error.issues) errors[i.path.join('.')] ??= i.message
      return capitalizeAll(errors)
    },
  })
  function payload(values: StayValues, confirmOverCapacity: boolean) {
    return {
      procedureId: r.procedureId,
      version: s?.version,
      disposition: values.disposition as 'sameDay' | 'overnight',
      reasons: (values.disposition === 'overnight' ? values.reasons : []) as never,
      otherText: values.disposition === 'overnight' && values.reasons.includes('other') ? values.otherText : '',
      note: values.note,
      confirmOverCapacity,
      // asked for while the recovery record stands against going home; the main process judges it again
      overrideReason: values.disposition === 'sameDay' ? values.overrideReason : '',
    }
  }
  async function decide(values: StayValues, confirm = false) {
    setBusy(true)
    try {
      await run('stays.decide', payload(values, confirm))
      setFull(null)
      setRecovery(await run('recovery.get', { procedureId: r.procedureId, refresh: true }))
      void refreshAfter('stays.decide')
      setEditing(false)
      notifications.show({ color: 'green', title: 'Decision recorded', message: DISPOSITION_LABELS[values.disposition as 'sameDay'] })
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict' && err.fields.confirmOverCapacity) setFull(err.message)
      else showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title="Overnight-stay decision">
      {s && !editing && (
        <Stack gap={4} data-testid="stay-decision">
          <Text fw={700}>{s.dispositionLabel}</Text>
          {s.reasonsText && <Text size="sm">Reasons: {s.reasonsText}</Text>}
          {s.note && <Text size="sm">{s.note}</Text>}
          {s.overCapacity && (
            <Text size="sm" c="red.9">
              Kept although the overnight beds were full.
            </Text>
          )}
          {s.overrideReason && (
            <Alert color="orange" variant="outline" title="Same-day discharge against the recovery record" data-testid="stay-override" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
              <Text size="sm">Override reason: {s.overrideReason}</Text>
              <Text size="sm" mt={4}>
                What the record showed:
              </Text>
              <List size="sm">
                {s.overriddenBlockers.map((b) => (
                  <List.Item key={b.key}>{b.message}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Text size="xs" c="gray.8">
            Decided by {s.decidedByName} at {clock.dateTime(s.decidedAt)}
          </Text>
          {writer && (
            <Group>
              <Button variant="default" size="xs" onClick={() => setEditing(true)}>
                Change the decision…
              </Button>
            </Group>
          )}
        </Stack>
      )}
      {!s && !writer && <Text size="sm">Not decided yet.</Text>}
      {writer && editing && (
        <form onSubmit={form.onSubmit((v) => void decide(v), focusFirstError)} noValidate>
          <Stack gap="xs">
            <Radio.Group label="Disposition" required {...form.getInputProps('disposition')}>
              <Group mt={4}>
                <Radio value="sameDay" label={DISPOSITION_LABELS.sameDay} />
                <Radio value="overnight" label={DISPOSITION_LABELS.overnight} />
              </Group>
            </Radio.Group>
            {form.values.disposition === 'overnight' && (
              <>
                <Checkbox.Group label="Reasons for the stay" required {...form.getInputProps('reasons')}>
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} mt={4}>
                    {STAY_REASONS.map((k) => (
                      <Checkbox key={k} value={k} label={STAY_REASON_LABELS[k]} />
                    ))}
                  </SimpleGrid>
                </Checkbox.Group>
                {form.values.reasons.includes('other') && <TextInput label="Other reason" required {...form.getInputProps('otherText')} />}
              </>
            )}
            {form.values.disposition === 'sameDay' && (r.sameDayBlockers.length > 0 || !!form.errors.overrideReason) && (
              <>
                <Alert color="red" variant="outline" title="The recovery record stands against a same-day discharge" data-testid="same-day-blockers" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
                  <List size="sm">
                    {r.sameDayBlockers.map((b) => (
                      <List.Item key={b.key}>{b.message}</List.Item>
                    ))}
                  </List>
                </Alert>
                <Textarea
                  label="Override reason"
                  description="Why the patient goes home today all the same: it goes on the discharge summary and in the audit log"
                  autosize
                  minRows={2}
                  {...form.getInputProps('overrideReason')}
                />
              </>
            )}
            <Textarea label="Note" autosize minRows={1} {...form.getInputProps('note')} />
            <Group justify="flex-end">
              {s && (
                <Button variant="default" onClick={() => setEditing(false)}>
                  Cancel
                </Button>
              )}
              <Button type="submit" loading={busy}>
                Record decision
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      <Modal opened={full !== null} onClose={() => setFull(null)} title="The overnight beds are full">
        <Stack>
          <Paper p="xs">
            <Text>{full}</Text>
          </Paper>
          <Title order={4} size="sm">
            Keep the patient overnight anyway?
          </Title>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setFull(null)}>
              Go back
            </Button>
            <Button color="orange.9" data-autofocus loading={busy} onClick={() => void decide(form.values, true)}>
              Keep overnight anyway
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Section>
  )
}
