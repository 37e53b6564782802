/**
 * Before the procedure (issue 17, point 3): the checklist the physician signs off. Each item shows whether it is met,
 * failed (in words, from the main process's judgement against the clinic's thresholds) or not applicable. The form
 * records consent, INR and platelets with their dates, each anticoagulant or antiplatelet with its last dose and
 * restart date (printed on the discharge summary), pregnancy status, infection screen, allergies confirmed and the
 * last meal. Signing off asks for the password again; with a failed item it also needs an override reason, which is
 * kept, shown here and on the note tab, and audited. A signed-off checklist is final.
 *
 * Date-times are typed on the clinic's clock (its time zone setting) and stored as UTC instants.
 */
import { Alert, Anchor, Badge, Button, Checkbox, Grid, Group, List, Loader, Modal, NativeSelect, PasswordInput, Radio, Stack, Table, Text, Textarea, TextInput } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { ANTITHROMBOTICS, HOLD_RULES, hoursText } from '../../../shared/clinical/antithrombotics'
import { PROCEDURE_KINDS } from '../../../shared/clinical/cpt'
import { INFECTION_SCREENS, PREGNANCY_STATUSES } from '../../../shared/clinical/preProcedure'
import { clinicDateOf, clinicInstant, clinicTimeOf } from '../../../shared/clinicClock'
import { ANTITHROMBOTIC_LABELS, ChecklistFields, INFECTION_SCREEN_LABELS, PREGNANCY_LABELS, type ChecklistItemView, type ChecklistView } from '../../../shared/schemas/preProcedure'
import { PROCEDURE_KIND_LABELS, type ProcedureView } from '../../../shared/schemas/procedures'
import { ApiError } from '../../api'
import { run, useCan, useChannel, useRefreshAfter, useSetChannelData } from '../../data'
import { ErrorPanel } from '../../components/ErrorPanel'
import { Row, Section } from '../../components/RecordSection'
import { OptionalNumber } from '../../components/ClinicalInputs'
import { capitalizeAll, focusFirstError, showApiError } from '../../forms'
import { useClinicClock } from '../../clinicClock'
import { DateField } from '../../components/DateField'
import { DateTimeField } from '../../components/DateTimeField'

export function useChecklist(procedureId: number) {
  return useChannel('procedures.checklist.get', { procedureId })
}

const STATUS_LABELS: Record<ChecklistItemView['status'], string> = { met: 'Met', failed: 'Failed', notApplicable: 'Not applicable' }
const STATUS_COLORS: Record<ChecklistItemView['status'], string> = { met: 'teal.9', failed: 'red.9', notApplicable: 'gray.7' }
const SOURCE_LABELS: Record<ChecklistView['startsAtSource'], string> = { started: 'the recorded start', appointment: 'the appointment', now: 'now: no appointment and no start recorded' }

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

/** On the note tab: what the checklist still says against the procedure (nothing once signed off with every item met). */
export function ChecklistWarning({ procedureId }: { procedureId: number }) {
  const c = useChecklist(procedureId)
  if (!c.data || c.data.closed) return null
  const v = c.data
  const failed = v.items.filter((i) => i.status === 'failed')
  if (v.signOff && failed.length === 0) return null
  const link = (
    <Anchor href={`#/procedures/${procedureId}/checklist`} size="sm">
      Open the checklist
    </Anchor>
  )
  if (v.signOff) {
    return (
      <Alert color="orange" variant="outline" title={`Pre-procedure checklist signed off with ${plural(failed.length, 'failed item')}`} mb="md" data-testid="checklist-warning" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
        <Text size="sm">
          {failed.map((i) => i.label).join('; ')}. Override reason: {v.signOff.overrideReason}
        </Text>
        {link}
      </Alert>
    )
  }
  return (
    <Alert color="red" variant="outline" title={`Pre-procedure checklist: ${failed.length > 0 ? `${plural(failed.length, 'item')} failed, ` : ''}not signed off`} mb="md" data-testid="checklist-warning" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
      {failed.length > 0 && (
        <List size="sm">
          {failed.map((i) => (
            <List.Item key={i.key}>
              {i.label}: {i.detail}
            </List.Item>
          ))}
        </List>
      )}
      {link}
    </Alert>
  )
}

interface DrugValues {
  drug: string
  lastDoseAt: string
  restartOn: string
}
interface Values {
  obtainedBy: string
  /** 'YYYY-MM-DDTHH:MM' on the clinic's clock, '' when not recorded */
  obtainedAt: string
  procedureKind: string
  levels: string[]
  inrValue: number | null
  inrDate: string
  plateletsValue: number | null
  plateletsDate: string
  antithrombotics: DrugValues[]
  pregnancy: string
  infectionScreen: string
  allergiesConfirmed: boolean
  fastingSince: string
}

const wallOf = (instant: string | null, zone: string) => (instant ? `${clinicDateOf(instant, zone)}T${clinicTimeOf(instant, zone)}` : '')
/** A wall time typed for the clinic's clock as an instant; '' -> null; anything else as typed (the schema names it). */
function instantOfWall(wall: string, zone: string): string | null {
  const t = wall.trim()
  if (t === '') return null
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(t)
  if (!m) return t
  try {
    return clinicInstant(m[1]!, m[2]!, zone)
  } catch {
    return t
  }
}

function valuesOf(c: ChecklistView['checklist'], zone: string): Values {
  return {
    obtainedBy: c.consent.obtainedBy,
    obtainedAt: wallOf(c.consent.obtainedAt, zone),
    procedureKind: c.consent.procedureKind ?? '',
    levels: [...c.consent.levels],
    inrValue: c.inr.value,
    inrDate: c.inr.date ?? '',
    plateletsValue: c.platelets.value,
    plateletsDate: c.platelets.date ?? '',
    antithrombotics: c.antithrombotics.map((d) => ({ drug: d.drug, lastDoseAt: wallOf(d.lastDoseAt, zone), restartOn: d.restartOn ?? '' })),
    pregnancy: c.pregnancy,
    infectionScreen: c.infectionScreen,
    allergiesConfirmed: c.allergiesConfirmed,
    fastingSince: wallOf(c.fastingSince, zone),
  }
}

/** The form's values in the schema's shape (validated by the schema, as the router does). */
function checklistOf(v: Values, zone: string) {
  const text = (s: string) => (s.trim() === '' ? null : s.trim())
  return {
    consent: { obtainedBy: v.obtainedBy, obtainedAt: instantOfWall(v.obtainedAt, zone), procedureKind: text(v.procedureKind), levels: v.levels },
    inr: { value: v.inrValue, date: text(v.inrDate) },
    platelets: { value: v.plateletsValue, date: text(v.plateletsDate) },
    antithrombotics: v.antithrombotics.map((d) => ({ drug: d.drug, lastDoseAt: instantOfWall(d.lastDoseAt, zone), restartOn: text(d.restartOn) })),
    pregnancy: v.pregnancy,
    infectionScreen: v.infectionScreen,
    allergiesConfirmed: v.allergiesConfirmed,
    fastingSince: instantOfWall(v.fastingSince, zone),
  }
}

/** A schema or router path ('checklist.inr.date', 'consent.levels.1') as the form names the field. */
function fieldOf(path: string): string {
  const p = path.replace(/^checklist\./, '')
  const consent = /^consent\.(obtainedBy|obtainedAt|procedureKind|levels)/.exec(p)
  if (consent) return consent[1]!
  const lab = /^(inr|platelets)\.(value|date)$/.exec(p)
  if (lab) return `${lab[1]}${lab[2] === 'value' ? 'Value' : 'Date'}`
  return p
}
const formErrors = (fields: Record<string, string>) => capitalizeAll(Object.fromEntries(Object.entries(fields).map(([k, m]) => [fieldOf(k), m])))

export function ChecklistPanel({ procedure }: { procedure: ProcedureView }) {
  const c = useChecklist(procedure.id)
  const writes = useCan('procedures.checklist.save')
  if (c.isPending) return <Loader aria-label="Loading the pre-procedure checklist" />
  if (c.isError) return <ErrorPanel error={c.error} onRetry={() => void c.refetch()} />
  const v = c.data
  const editable = writes && !v.closed && !v.signOff
  return (
    <Stack>
      {v.closed && (
        <Alert color="red" title="The procedure note was entered in error" role="status" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
          Nothing more can be recorded here; what was recorded stays readable.
        </Alert>
      )}
      <Items v={v} />
      {editable ? <ChecklistForm key={`form-${v.version ?? 'new'}`} v={v} /> : <Recorded v={v} />}
    </Stack>
  )
}

function Items({ v }: { v: ChecklistView }) {
  const clock = useClinicClock()
  const p = v.policy
  return (
    <Section
      title="Before the procedure"
      aside={
        <Badge color={v.signOff ? (v.failedCount > 0 ? 'orange.9' : 'teal.9') : 'red.9'} data-testid="checklist-status">
          {v.signOff ? (v.failedCount > 0 ? `Signed off with ${plural(v.failedCount, 'failed item')}` : 'Signed off') : v.failedCount > 0 ? `${plural(v.failedCount, 'item')} failed` : 'Not signed off'}
        </Badge>
      }
      testId="checklist-items"
    >
      <Text size="sm">
        {v.signOff ? 'As judged at the sign-off' : 'Judged'} against the start at {clock.dateTime(v.startsAt)} ({SOURCE_LABELS[v.startsAtSource]}) and the clinic&apos;s thresholds: INR at most {p.inrMax}, platelets at least{' '}
        {p.plateletsMin} x10^9/L, labs at most {p.labMaxAgeDays} days old, {p.fastingHours} hours of fasting.
      </Text>
      <Table aria-label="Checklist items" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Item</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>What the record says</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {v.items.map((i) => (
            <Table.Tr key={i.key} data-status={i.status}>
              <Table.Td>{i.label}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLORS[i.status]}>
                  {STATUS_LABELS[i.status]}
                </Badge>
              </Table.Td>
              <Table.Td>{i.detail}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {v.signOff && (
        <Stack gap={4} data-testid="checklist-sign-off">
          <Text size="sm" fw={600}>
            Signed off by {v.signOff.byName} at {clock.dateTime(v.signOff.at)}
          </Text>
          {v.signOff.overrideReason && (
            <Alert color="orange" variant="outline" title="Signed off with failed items" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
              <Text size="sm">Override reason: {v.signOff.overrideReason}</Text>
            </Alert>
          )}
          <Text size="xs" c="gray.8">
            A signed-off checklist cannot be changed; record what changed since in the procedure note.
          </Text>
        </Stack>
      )}
    </Section>
  )
}

/** What was recorded, read-only (signed off, entered in error, or a reader's view). */
function Recorded({ v }: { v: ChecklistView }) {
  const clock = useClinicClock()
  const c = v.checklist
  const at = (i: string | null) => (i ? clock.dateTime(i) : '')
  if (v.version === null) return <Text size="sm">Nothing recorded yet.</Text>
  return (
    <Section title="Recorded">
      <Row label="Consent obtained by">{c.consent.obtainedBy}</Row>
      <Row label="Consent given">{at(c.consent.obtainedAt)}</Row>
      <Row label="Consented procedure">{c.consent.procedureKind ? `${PROCEDURE_KIND_LABELS[c.consent.procedureKind]} at ${c.consent.levels.join(', ') || 'no level'}` : ''}</Row>
      <Row label="INR">{c.inr.value !== null ? `${c.inr.value} on ${c.inr.date}` : ''}</Row>
      <Row label="Platelets (x10^9/L)">{c.platelets.value !== null ? `${c.platelets.value} on ${c.platelets.date}` : ''}</Row>
      <Row label="Anticoagulants, antiplatelets">
        {c.antithrombotics.map((d) => `${ANTITHROMBOTIC_LABELS[d.drug]}: last dose ${at(d.lastDoseAt) || 'not recorded'}, restart ${d.restartOn ?? 'not recorded'}`).join('\n') || 'None'}
      </Row>
      <Row label="Pregnancy status">{PREGNANCY_LABELS[c.pregnancy]}</Row>
      <Row label="Infection screen">{INFECTION_SCREEN_LABELS[c.infectionScreen]}</Row>
      <Row label="Allergies confirmed">{c.allergiesConfirmed ? 'Yes' : 'No'}</Row>
      <Row label="Last solid food">{at(c.fastingSince)}</Row>
      {v.updatedByName && v.updatedAt && (
        <Text size="xs" c="gray.8">
          Last saved by {v.updatedByName} at {clock.dateTime(v.updatedAt)}
        </Text>
      )}
    </Section>
  )
}

const DRUG_OPTIONS = ANTITHROMBOTICS.map((d) => ({ value: d, label: `${HOLD_RULES[d].label} (hold ${hoursText(HOLD_RULES[d].holdHours)})` }))

function ChecklistForm({ v }: { v: ChecklistView }) {
  const clock = useClinicClock()
  const setChannelData = useSetChannelData()
  const refreshAfter = useRefreshAfter()
  const [busy, setBusy] = useState(false)
  const [signing, setSigning] = useState(false)
  const form = useForm<Values>({
    initialValues: valuesOf(v.checklist, clock.zone),
    validate: (values) => {
      const res = ChecklistFields.safeParse(checklistOf(values, clock.zone))
      const errors: Record<string, string> = {}
      if (!res.success) for (const i of res.error.issues) errors[fieldOf(i.path.join('.'))] ??= i.message
      return capitalizeAll(errors)
    },
  })
  const levelChoices = [...new Set([...v.plannedLevels, ...form.values.levels])]
  const dirty = form.isDirty()

  function put(next: ChecklistView) {
    setChannelData('procedures.checklist.get', { procedureId: v.procedureId }, next)
    void refreshAfter('procedures.checklist.save')
  }
  async function save(values: Values) {
    setBusy(true)
    try {
      const next = await run('procedures.checklist.save', { procedureId: v.procedureId, version: v.version, checklist: ChecklistFields.parse(checklistOf(values, clock.zone)) })
      put(next)
      notifications.show({ color: next.failedCount > 0 ? 'orange' : 'green', title: 'Checklist saved', message: next.failedCount > 0 ? `${plural(next.failedCount, 'item')} failed.` : 'Every item is met or does not apply.' })
    } catch (err) {
      const e = showApiError(err)
      if (e) form.setErrors(formErrors(e.fields))
    } finally {
      setBusy(false)
    }
  }
  const drugs = form.values.antithrombotics
  return (
    <>
      <form onSubmit={form.onSubmit((values) => void save(values), focusFirstError)} noValidate>
        <Stack>
          <Section title="Consent">
            <Grid>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <TextInput label="Consent obtained by" {...form.getInputProps('obtainedBy')} />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <DateTimeField label="Consent given" description={`The clinic's clock (${clock.zone})`} {...form.getInputProps('obtainedAt')} />
              </Grid.Col>
            </Grid>
            <Radio.Group label="Procedure consented" {...form.getInputProps('procedureKind')}>
              <Group mt={4}>
                {PROCEDURE_KINDS.map((k) => (
                  <Radio key={k} value={k} label={PROCEDURE_KIND_LABELS[k]} />
                ))}
              </Group>
            </Radio.Group>
            <Checkbox.Group label="Levels consented" description={`Planned: ${v.plannedLevels.join(', ') || 'no level yet'} (the procedure request's and the note's)`} {...form.getInputProps('levels')}>
              <Group mt={4}>
                {levelChoices.map((l) => (
                  <Checkbox key={l} value={l} label={l} />
                ))}
              </Group>
            </Checkbox.Group>
          </Section>
          <Section title="Blood tests">
            <Grid>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <OptionalNumber label="INR" min={0.5} max={15} step={0.1} decimalScale={2} value={form.values.inrValue} onChange={(x) => form.setFieldValue('inrValue', x)} error={form.errors.inrValue} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <DateField label="INR taken on" {...form.getInputProps('inrDate')} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <OptionalNumber label="Platelets (x10^9/L)" min={1} max={2000} allowDecimal={false} value={form.values.plateletsValue} onChange={(x) => form.setFieldValue('plateletsValue', x)} error={form.errors.plateletsValue} />
              </Grid.Col>
              <Grid.Col span={{ base: 6, sm: 3 }}>
                <DateField label="Platelets taken on" {...form.getInputProps('plateletsDate')} />
              </Grid.Col>
            </Grid>
          </Section>
          <Section title="Anticoagulants and antiplatelets">
            <Text size="sm">{v.chart.antithrombotics ? `The chart records: ${v.chart.antithrombotics}. List each drug with its last dose.` : 'The chart records no anticoagulant or antiplatelet.'}</Text>
            {drugs.map((_, i) => (
              <Group key={i} align="flex-end" wrap="wrap" role="group" aria-label={`Drug ${i + 1}`}>
                <NativeSelect label={`Drug ${i + 1}`} data={[{ value: '', label: 'Choose…' }, ...DRUG_OPTIONS]} {...form.getInputProps(`antithrombotics.${i}.drug`)} />
                <DateTimeField label="Last dose" {...form.getInputProps(`antithrombotics.${i}.lastDoseAt`)} />
                <DateField label="Restart on" description="Printed on the discharge summary" {...form.getInputProps(`antithrombotics.${i}.restartOn`)} />
                <Button variant="default" onClick={() => form.removeListItem('antithrombotics', i)} aria-label={`Remove drug ${i + 1}`}>
                  Remove
                </Button>
              </Group>
            ))}
            {typeof form.errors.antithrombotics === 'string' && (
              <Text size="sm" c="red.9">
                {form.errors.antithrombotics}
              </Text>
            )}
            <Group>
              <Button variant="default" size="xs" disabled={drugs.length >= ANTITHROMBOTICS.length} onClick={() => form.insertListItem('antithrombotics', { drug: '', lastDoseAt: '', restartOn: '' })}>
                Add a drug
              </Button>
            </Group>
          </Section>
          <Section title="Other checks">
            <Radio.Group label="Pregnancy status" description={`Needed for women aged ${v.policy.pregnancyAgeFrom} to ${v.policy.pregnancyAgeTo}`} {...form.getInputProps('pregnancy')}>
              <Group mt={4}>
                {PREGNANCY_STATUSES.map((s) => (
                  <Radio key={s} value={s} label={PREGNANCY_LABELS[s]} />
                ))}
              </Group>
            </Radio.Group>
            <Radio.Group label="Infection screen" description="Local or systemic signs of infection" {...form.getInputProps('infectionScreen')}>
              <Group mt={4}>
                {INFECTION_SCREENS.map((s) => (
                  <Radio key={s} value={s} label={INFECTION_SCREEN_LABELS[s]} />
                ))}
              </Group>
            </Radio.Group>
            <Checkbox
              label="Cement and contrast allergies confirmed with the patient"
              description={v.chart.allergies ? `The chart records: ${v.chart.allergies}` : 'The chart records no allergy'}
              {...form.getInputProps('allergiesConfirmed', { type: 'checkbox' })}
            />
            <DateTimeField label="Last solid food" description={`${v.policy.fastingHours} hours before the start are needed`} maw={320} {...form.getInputProps('fastingSince')} />
          </Section>
          <Group justify="flex-end">
            {dirty && v.version !== null && (
              <Text size="sm" c="gray.8">
                Save your changes before signing off.
              </Text>
            )}
            <Button variant="default" disabled={v.version === null || dirty} onClick={() => setSigning(true)}>
              Sign off…
            </Button>
            <Button type="submit" loading={busy}>
              Save checklist
            </Button>
          </Group>
        </Stack>
      </form>
      {signing && <SignOff v={v} onClose={() => setSigning(false)} onDone={put} />}
    </>
  )
}

function SignOff({ v, onClose, onDone }: { v: ChecklistView; onClose: () => void; onDone: (next: ChecklistView) => void }) {
  const failed = v.items.filter((i) => i.status === 'failed')
  const [reason, setReason] = useState('')
  const [password, setPassword] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  async function signOff() {
    if (failed.length > 0 && reason.trim() === '') {
      setErrors({ overrideReason: 'Is required: an item failed' })
      return
    }
    setBusy(true)
    try {
      onDone(await run('procedures.checklist.signOff', { procedureId: v.procedureId, version: v.version!, overrideReason: reason, password }))
      notifications.show({ color: 'green', title: 'Checklist signed off', message: failed.length > 0 ? 'With your override reason.' : 'Every item is met or does not apply.' })
      onClose()
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unauthenticated' && err.fields.password) setErrors({ password: err.message })
      else {
        const e = showApiError(err)
        if (e) setErrors(capitalizeAll(e.fields))
      }
    } finally {
      setBusy(false)
    }
  }
  return (
    // a dialog of its own, outside the checklist's form: Enter here signs off, it does not save the form
    <Modal opened onClose={onClose} title="Sign off the pre-procedure checklist">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          e.stopPropagation()
          void signOff()
        }}
      >
        <Stack>
          {failed.length > 0 ? (
            <>
              <Alert color="red" variant="outline" title={`${plural(failed.length, 'item')} failed`} styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
                <List size="sm">
                  {failed.map((i) => (
                    <List.Item key={i.key}>
                      {i.label}: {i.detail}
                    </List.Item>
                  ))}
                </List>
              </Alert>
              <Textarea
                label="Override reason"
                description="Why the procedure goes ahead all the same: kept with the checklist and in the audit log"
                required
                autosize
                minRows={2}
                data-autofocus
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={errors.overrideReason}
              />
            </>
          ) : (
            <Text size="sm">Every item is met or does not apply.</Text>
          )}
          <PasswordInput
            label="Your password"
            description="Signing off puts your name on the checklist: enter your password to confirm it is you. It cannot be changed afterwards."
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
            data-autofocus={failed.length === 0 ? true : undefined}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={password === ''}>
              Sign off
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  )
}
