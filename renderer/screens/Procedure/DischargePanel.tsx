/**
 * The discharge summary: made from the records (procedure, levels, disposition, follow-ups) with what the
 * physician writes (medications, activity guidelines, warning signs); a preview, its PDF (downloaded, or
 * viewed in the app from a Blob URL), signing, addenda and entered in error.
 */
import { Alert, Badge, Button, Group, List, Loader, Paper, Stack, Text, Textarea, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useEffect, useRef, useState } from 'react'
import { DischargeFields, type DischargeView } from '../../../shared/schemas/discharge'
import type { ProcedureView } from '../../../shared/schemas/procedures'
import { mayMarkEnteredInError } from '../../../shared/roles'
import { run, useCan, useChannel, useRefreshAfter, useSetChannelData, useWrite } from '../../data'
import { ErrorPanel } from '../../components/ErrorPanel'
import { base64Bytes, saveFile } from '../../download'
import { restoreOver, useDraft, WithDraft, type RestoredDraft } from '../../drafts'
import { showApiError, validateWith } from '../../forms'
import { useClinicClock } from '../../clinicClock'
import { formatDate } from '../../format'
import { useSession } from '../../session'
import { Row, Section } from '../../components/RecordSection'
import { useRecovery } from './RecoveryPanel'
import { dischargeMissing } from '../../../shared/clinical/completeness'
import { DraftActions, SignConfirmation, StaleVersionAlert, useDraftEditor } from '../../components/signing/DraftEditing'
import { Addenda, EnteredInErrorButton, SignatureStatus } from '../../components/signing/SignedRecord'

export function DischargePanel({ procedure }: { procedure: ProcedureView }) {
  const rec = useRecovery(procedure.id)
  const writes = useCan('discharge.open')
  const open = useWrite('discharge.open')
  const setChannelData = useSetChannelData()
  const [busy, setBusy] = useState(false)
  if (rec.isPending) return <Loader aria-label="Loading" />
  if (rec.isError) return <ErrorPanel error={rec.error} onRetry={() => void rec.refetch()} />
  const id = rec.data.dischargeSummaryId
  if (id !== null) return <Discharge key={id} id={id} />
  if (!writes || rec.data.closed) return <Text>No discharge summary yet.</Text>
  async function start() {
    setBusy(true)
    try {
      // refreshes the recovery record, which now names the summary
      const d = await open.mutateAsync({ procedureId: procedure.id })
      setChannelData('discharge.get', { id: d.id }, d)
    } catch (err) {
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Stack align="flex-start">
      <Text>No discharge summary yet. Starting one fills in the clinic's activity guidelines and warning signs, and proposes the follow-up visits for the front desk to book.</Text>
      <Button onClick={() => void start()} loading={busy} autoFocus>
        Start the discharge summary
      </Button>
    </Stack>
  )
}

function Discharge({ id }: { id: number }) {
  const setChannelData = useSetChannelData()
  const markInError = useWrite('discharge.markEnteredInError')
  const addAddendum = useWrite('discharge.addAddendum')
  const writes = useCan('discharge.sign')
  const me = useSession().data?.user
  const q = useChannel('discharge.get', { id })
  if (q.isPending) return <Loader aria-label="Loading the discharge summary" />
  if (q.isError) return <ErrorPanel error={q.error} onRetry={() => void q.refetch()} />
  const d = q.data
  const status = d.signing.status
  const editable = status === 'draft' && writes && me?.id === d.providerId
  const set = (next: DischargeView) => setChannelData('discharge.get', { id }, next)
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <SignatureStatus signing={d.signing} providerName={d.providerName} noun="summary" />
        {status !== 'enteredInError' && !!me && mayMarkEnteredInError(me, d.providerId) && (
          <EnteredInErrorButton
            id={d.id}
            noun="discharge summary"
            explain="Use this for a summary that should not exist or is wrong. It stays readable with your name and reason and prints as entered in error; a new summary can then be started."
            mark={async (values) => set(await markInError.mutateAsync(values))}
          />
        )}
      </Group>
      {status === 'signed' && d.changedSinceSigning && (
        <Alert color="orange" title="The records changed since the summary was signed" styles={{ title: { color: 'var(--mantine-color-dark-9)' } }}>
          The summary keeps what was signed. Add an addendum for what changed.
        </Alert>
      )}
      {status === 'signed' && d.pdf && !d.pdf.intact && (
        <Alert color="red" title="The stored PDF was changed outside the app" role="alert" styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
          It no longer matches its SHA-256 and cannot be exported. Tell the administrator.
        </Alert>
      )}
      {editable && (
        <WithDraft<DischargeView['fields']> draftKey={`dischargeSummary:${d.id}`} noun="summary" version={d.version}>
          {(restored) => <DischargeEditor view={d} onSaved={set} restored={restored} />}
        </WithDraft>
      )}
      <PdfActions view={d} />
      <Preview view={d} />
      {status !== 'draft' && <Addenda id={d.id} signing={d.signing} canAdd={status === 'signed' && writes} add={async (values) => set(await addAddendum.mutateAsync(values))} />}
    </Stack>
  )
}

function DischargeEditor({ view: d, onSaved, restored }: { view: DischargeView; onSaved: (v: DischargeView) => void; restored: RestoredDraft<DischargeView['fields']> | null }) {
  // starts from the user's unsaved draft of the summary when one was kept (renderer/drafts.tsx)
  const form = useForm({ initialValues: restored ? restoreOver(d.fields, restored.values) : d.fields, validate: validateWith(DischargeFields) })
  const latest = useRef(d)
  latest.current = d
  const refreshAfter = useRefreshAfter()
  const dirty = JSON.stringify(form.values) !== JSON.stringify(d.fields)
  const draft = useDraft({ read: () => form.getValues(), isDirty: () => JSON.stringify(form.getValues()) !== JSON.stringify(latest.current.fields), baseVersion: d.version })
  const editor = useDraftEditor<DischargeView>({
    noun: 'summary',
    current: () => latest.current,
    isDirty: () => JSON.stringify(form.getValues()) !== JSON.stringify(latest.current.fields),
    showFieldErrors: (fields) => form.setErrors(fields),
    async saveChanged() {
      if (form.validate().hasErrors) return null
      const current = latest.current
      if (JSON.stringify(form.getValues()) === JSON.stringify(current.fields)) return current
      try {
        const v = await run('discharge.save', { id: current.id, version: current.version, fields: form.getValues() })
        latest.current = v
        onSaved(v)
        void refreshAfter('discharge.save')
        form.resetDirty(v.fields)
        return v
      } catch (err) {
        editor.failed(err)
        return null
      }
    },
    readyToSign(v) {
      if (Object.keys(v.missingForSigning).length === 0) return true
      notifications.show({ color: 'red', title: 'Not ready to sign', message: Object.values(v.missingForSigning).join('; ') })
      return false
    },
    /** While discharge readiness says "Not ready", the signer is told what it lacks first (read fresh: a nurse may have just ticked it). */
    missingIntro: 'Discharge readiness says not ready:',
    async missing(v) {
      const recovery = await run('recovery.get', { procedureId: v.procedureId }).catch(() => null)
      return dischargeMissing(recovery?.readiness ?? null)
    },
    async sign(current, password) {
      const v = await run('discharge.sign', { id: current.id, version: current.version, password })
      await draft.clear()
      latest.current = v
      onSaved(v)
      // the stay closes and the follow-ups are proposed: the front desk's lists and the chart refresh
      void refreshAfter('discharge.sign')
    },
    compare: () => ({ yours: form.getValues(), theirs: async () => (await run('discharge.get', { id: latest.current.id })).fields }),
    async reload() {
      const v = await run('discharge.get', { id: latest.current.id })
      latest.current = v
      onSaved(v)
      form.setValues(v.fields)
      form.resetDirty(v.fields)
    },
  })
  const missing = Object.entries(d.missingForSigning)
  return (
    <Section title="What the summary says">
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void editor.save()
        }}
        noValidate
      >
        <Stack gap="xs">
          <StaleVersionAlert editor={editor} noun="summary" />
          <Textarea label="Medications" description="What to take at home, doses" autosize minRows={2} {...form.getInputProps('medications')} />
          <Textarea label="Activity guidelines" required autosize minRows={3} {...form.getInputProps('activityGuidelines')} />
          <Textarea label="Warning signs" description="When to call the clinic or 911" required autosize minRows={3} {...form.getInputProps('warningSigns')} />
          {missing.length > 0 && (
            <Text size="sm" c="red.9" role="status">
              Before signing: {missing.map(([, m]) => m).join('; ')}
            </Text>
          )}
          <Group justify="flex-end">
            <Text size="sm" aria-live="polite">
              {dirty ? 'Unsaved changes' : 'All changes saved'}
            </Text>
            <DraftActions editor={editor} noun="summary" />
          </Group>
        </Stack>
      </form>
      <SignConfirmation editor={editor} title="Sign this discharge summary?">
        <Text>Signing stores the PDF with your signature; the summary is then locked. Corrections are addenda.</Text>
      </SignConfirmation>
    </Section>
  )
}

/** The PDF the main process made (the stored one once signed), as a download or in a frame. */
function PdfActions({ view: d }: { view: DischargeView }) {
  const clock = useClinicClock()
  const [shown, setShown] = useState<{ url: string; name: string; stored: boolean } | null>(null)
  const [busy, setBusy] = useState<false | 'view' | 'download'>(false)
  useEffect(() => () => (shown ? URL.revokeObjectURL(shown.url) : undefined), [shown])
  const intactOrDraft = d.signing.status !== 'signed' || !d.pdf || d.pdf.intact

  async function view() {
    setBusy('view')
    try {
      const pdf = await run('discharge.pdf', { id: d.id, purpose: 'preview' })
      const url = URL.createObjectURL(new Blob([base64Bytes(pdf.base64)], { type: 'application/pdf' }))
      setShown({ url, name: pdf.fileName, stored: pdf.stored })
    } catch (err) {
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }
  async function download() {
    setBusy('download')
    try {
      const pdf = await run('discharge.pdf', { id: d.id, purpose: 'export' })
      saveFile(base64Bytes(pdf.base64), pdf.fileName, 'application/pdf')
    } catch (err) {
      showApiError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="pdf-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} id="pdf-title">
            PDF
          </Title>
          <Group gap="xs">
            <Button variant="default" onClick={() => void view()} loading={busy === 'view'}>
              View PDF
            </Button>
            <Button onClick={() => void download()} loading={busy === 'download'} disabled={!intactOrDraft}>
              Download PDF
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="gray.8">
          {d.signing.status === 'draft'
            ? 'A draft prints marked “DRAFT - NOT SIGNED”.'
            : d.pdf
              ? `The signed PDF as stored at ${clock.dateTime(d.pdf.createdAt)} (${Math.round(d.pdf.bytes / 1024)} KB, SHA-256 ${d.pdf.sha256.slice(0, 12)}…).`
              : ''}
        </Text>
        {shown && (
          <Stack gap={4}>
            <Group justify="space-between">
              <Badge color={shown.stored ? 'teal.9' : 'violet.9'}>{shown.stored ? 'Stored signed PDF' : 'Made now from the records'}</Badge>
              <Button variant="subtle" size="xs" onClick={() => setShown(null)}>
                Close the PDF
              </Button>
            </Group>
            <iframe src={shown.url} title={`Discharge summary PDF ${shown.name}`} style={{ width: '100%', height: 640, border: '1px solid var(--mantine-color-gray-4)' }} />
          </Stack>
        )}
      </Stack>
    </Paper>
  )
}

function Preview({ view: d }: { view: DischargeView }) {
  const c = d.content
  return (
    <Section title="Summary preview" testId="discharge-preview">
      <Row label="Patient">{`${c.patient.name} · MRN ${c.patient.mrn} · born ${formatDate(c.patient.dateOfBirth)}`}</Row>
      <Row label="Procedure">{`${c.procedure.kindLabel} on ${formatDate(c.procedure.date)} by ${c.procedure.physician}`}</Row>
      <Row label="Levels">
        {c.levels.map((l) => `${l.level}: ${l.approach || '—'}, cement ${l.cementType || '—'}${l.cementVolumeMl !== null ? `, ${l.cementVolumeMl} mL` : ''}; leakage ${l.leakage}`).join('\n')}
      </Row>
      <Row label="Total cement">{`${c.totalCementMl} mL`}</Row>
      <Row label="Complications">{c.complications.join('\n') || 'None'}</Row>
      <Row label="Disposition">{c.disposition ? `${c.disposition.label}${c.disposition.reasons ? `. Reason: ${c.disposition.reasons}` : ''}` : 'Not decided yet'}</Row>
      {c.disposition?.override && (
        <Row label="Override">
          {`Same-day discharge against the recovery record. Override reason: ${c.disposition.override.reason}\nWhat the recovery record showed:\n${c.disposition.override.blockers.join('\n')}`}
        </Row>
      )}
      {c.observationFlags && c.observationFlags.length > 0 && <Row label="Observation stay">{c.observationFlags.join('\n')}</Row>}
      <Row label="Medications">{c.medications}</Row>
      {/* from the pre-procedure checklist (issue 17); content signed before it, or with no drug held, shows none */}
      {c.antithromboticRestarts && c.antithromboticRestarts.length > 0 && (
        <Row label="Restart after the hold">{c.antithromboticRestarts.map((r) => `${r.drug}: ${r.restartOn ? `restart on ${formatDate(r.restartOn)}` : 'restart date not recorded'}`).join('\n')}</Row>
      )}
      <Row label="Activity">{c.activityGuidelines}</Row>
      <Row label="Warning signs">{c.warningSigns}</Row>
      <Stack gap={2}>
        <Text fw={600} size="sm">
          Follow-up visits
        </Text>
        <List size="sm">
          {c.followUps.map((f) => (
            <List.Item key={f.label}>
              {f.label}: around {formatDate(f.targetDate)}
              {f.appointment ? ` (booked ${f.appointment})` : ' (to be booked by the front desk)'}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Section>
  )
}
