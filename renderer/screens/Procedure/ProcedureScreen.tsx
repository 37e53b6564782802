/**
 * The procedure day. Routes:
 *   #/procedures/new?patient=ID[&appointment=ID][&kind=kyphoplasty]  opens (or, for an appointment, reopens) the note
 *   #/procedures/ID             the note: editable by its physician while a draft, read-only otherwise
 *   #/procedures/ID/checklist   before the procedure: the checklist the physician signs off (ChecklistPanel.tsx)
 *   #/procedures/ID/recovery    recovery, observation checks, discharge readiness, the overnight-stay decision
 *   #/procedures/ID/discharge   the discharge summary, its PDF, signing
 * The schedule opens a note for a procedure appointment with the first route.
 */
import { Anchor, Button, Group, Loader, Radio, Stack, Tabs, Text, Title } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { PROCEDURE_KINDS } from '../../../shared/clinical/cpt'
import { PROCEDURE_KIND_LABELS, type ProcedureView } from '../../../shared/schemas/procedures'
import { mayMarkEnteredInError } from '../../../shared/roles'
import { ApiError } from '../../api'
import { run, useCan, useChannel, useRefreshAfter, useSetChannelData, useWrite } from '../../data'
import { useChart } from '../../hooks'
import { ErrorPanel } from '../../components/ErrorPanel'
import { WithDraft } from '../../drafts'
import { PatientBanner } from '../../components/PatientBanner'
import { formatDate } from '../../format'
import { matchRoute, navigate, useRoute } from '../../routing'
import { useSession } from '../../session'
import { ChecklistPanel, ChecklistWarning } from './ChecklistPanel'
import { DischargePanel } from './DischargePanel'
import { NoteEditor, type ProcedureDraft } from './NoteEditor'
import { NoteView } from './NoteView'
import { RecoveryPanel } from './RecoveryPanel'
import { Addenda, EnteredInErrorButton, SignatureStatus } from '../../components/signing/SignedRecord'

export default function ProcedureScreen() {
  const route = useRoute()
  const [path, query = ''] = route.split('?')
  if (path === '/procedures/new') {
    const q = new URLSearchParams(query)
    const patient = Number(q.get('patient'))
    const appointment = q.get('appointment') ? Number(q.get('appointment')) : undefined
    const kind = (PROCEDURE_KINDS as readonly string[]).includes(q.get('kind') ?? '') ? (q.get('kind') as ProcedureView['fields']['kind']) : undefined
    if (!Number.isInteger(patient) || patient <= 0) return <ErrorPanel error="Which patient? The address needs ?patient=ID." />
    return <OpenProcedure key={route} patientId={patient} appointmentId={appointment} kind={kind} />
  }
  const m = matchRoute('/procedures/:id', route) ?? matchRoute('/procedures/:id/:tab', route)
  if (m && /^\d+$/.test(m.id!)) return <Procedure key={m.id} id={Number(m.id)} tab={m.tab === 'checklist' || m.tab === 'recovery' || m.tab === 'discharge' ? m.tab : 'note'} />
  return (
    <Stack>
      <Title order={2}>Procedure</Title>
      <Text>Open a procedure from a patient's chart, from the day's schedule, or from the overnight stays.</Text>
    </Stack>
  )
}

function OpenProcedure({ patientId, appointmentId, kind: given }: { patientId: number; appointmentId?: number; kind?: ProcedureView['fields']['kind'] }) {
  const setChannelData = useSetChannelData()
  const refreshAfter = useRefreshAfter()
  const [error, setError] = useState<unknown>(null)
  const [needKind, setNeedKind] = useState(false)
  const [kind, setKind] = useState<string>('kyphoplasty')
  const started = useRef(false)

  async function open(k?: ProcedureView['fields']['kind']) {
    try {
      const v = await run('procedures.open', { patientId, appointmentId, kind: k })
      setChannelData('procedures.get', { id: v.id }, v)
      void refreshAfter('procedures.open')
      // replace the address, so that Back does not open another note
      window.location.replace(`#/procedures/${v.id}`)
    } catch (err) {
      // no procedure request to take the kind from: the physician names it
      if (err instanceof ApiError && err.code === 'invalid_input' && err.fields.kind) setNeedKind(true)
      else setError(err)
    }
  }
  useEffect(() => {
    // once per visit of this address, even under React's development double effects
    if (started.current) return
    started.current = true
    void open(given)
  })

  if (error) return <ErrorPanel error={error} />
  if (!needKind) return <Loader aria-label="Opening the procedure note" />
  return (
    <Stack maw={520}>
      <Title order={2}>New procedure note</Title>
      <Text>This patient has no open procedure request from a signed consultation. Which procedure is it?</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void open(kind as ProcedureView['fields']['kind'])
        }}
      >
        <Stack>
          <Radio.Group label="Procedure" required value={kind} onChange={setKind}>
            <Group mt={4}>
              {PROCEDURE_KINDS.map((k, i) => (
                <Radio key={k} value={k} label={PROCEDURE_KIND_LABELS[k]} autoFocus={i === 0} />
              ))}
            </Group>
          </Radio.Group>
          <Group>
            <Button type="submit">Open the note</Button>
            <Button variant="default" onClick={() => navigate(`/chart/${patientId}`)}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}

export function useProcedure(id: number) {
  return useChannel('procedures.get', { id }, { staleTime: Infinity })
}

function Procedure({ id, tab }: { id: number; tab: 'checklist' | 'note' | 'recovery' | 'discharge' }) {
  const note = useProcedure(id)
  const patientId = note.data?.patient.id ?? 0
  const chart = useChart(patientId, patientId > 0)
  if (note.isPending) return <Loader aria-label="Loading the procedure" />
  if (note.isError) return <ErrorPanel error={note.error} onRetry={() => void note.refetch()} />
  const v = note.data
  return (
    <Stack>
      <Anchor href={`#/chart/${v.patient.id}`} size="sm">
        ← Chart of {v.patient.firstName} {v.patient.lastName}
      </Anchor>
      {chart.data ? (
        <PatientBanner header={chart.data.header} />
      ) : (
        <Title order={2}>
          {v.patient.lastName}, {v.patient.firstName} · {v.patient.age} y · MRN {v.patient.mrn}
        </Title>
      )}
      <Title order={2}>
        {PROCEDURE_KIND_LABELS[v.fields.kind]} of {formatDate(v.fields.procedureDate)}
        {v.levels.length > 0 ? ` · ${v.levels.map((l) => l.level).join(', ')}` : ''}
      </Title>
      <Tabs value={tab} onChange={(t) => navigate(t === 'note' ? `/procedures/${id}` : `/procedures/${id}/${t}`)} keepMounted={false}>
        <Tabs.List aria-label="Procedure day">
          <Tabs.Tab value="checklist">Before the procedure</Tabs.Tab>
          <Tabs.Tab value="note">Procedure note</Tabs.Tab>
          <Tabs.Tab value="recovery">Recovery and stay</Tabs.Tab>
          <Tabs.Tab value="discharge">Discharge summary</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="checklist" pt="md">
          <ChecklistPanel procedure={v} />
        </Tabs.Panel>
        <Tabs.Panel value="note" pt="md">
          <ChecklistWarning procedureId={id} />
          <Note view={v} />
        </Tabs.Panel>
        <Tabs.Panel value="recovery" pt="md">
          <RecoveryPanel procedure={v} />
        </Tabs.Panel>
        <Tabs.Panel value="discharge" pt="md">
          <DischargePanel procedure={v} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  )
}

function Note({ view: v }: { view: ProcedureView }) {
  const setChannelData = useSetChannelData()
  const markInError = useWrite('procedures.markEnteredInError')
  const addAddendum = useWrite('procedures.addAddendum')
  const writes = useCan('procedures.sign')
  const me = useSession().data?.user
  const status = v.signing.status
  const editable = status === 'draft' && writes && me?.id === v.providerId
  const canMarkError = status !== 'enteredInError' && !!me && mayMarkEnteredInError(me, v.providerId)
  const set = (next: ProcedureView) => setChannelData('procedures.get', { id: v.id }, next)
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="gray.8">
          {v.providerName}
          {v.appointmentId ? ` · from appointment ${v.appointmentId}` : ''}
          {v.procedureRequest ? ` · requested ${PROCEDURE_KIND_LABELS[v.procedureRequest.kind].toLowerCase()} at ${v.procedureRequest.levels.join(', ')}` : ''}
        </Text>
        {canMarkError && (
          <EnteredInErrorButton
            id={v.id}
            noun="procedure note"
            explain="Use this for a note that should not exist (wrong patient, duplicate). It stays readable with your name and reason; its signature stops counting and nothing more can be recorded on its recovery. To correct a detail, add an addendum instead."
            mark={async (values) => set(await markInError.mutateAsync(values))}
          />
        )}
      </Group>
      {!editable && <SignatureStatus signing={v.signing} providerName={v.providerName} noun="note" />}
      {editable ? (
        <WithDraft<ProcedureDraft> draftKey={`procedure:${v.id}`} noun="note" version={v.version}>
          {(restored) => <NoteEditor view={v} restored={restored} />}
        </WithDraft>
      ) : (
        <NoteView view={v} />
      )}
      {status !== 'draft' && <Addenda id={v.id} signing={v.signing} canAdd={status === 'signed' && writes} add={async (values) => set(await addAddendum.mutateAsync(values))} />}
    </Stack>
  )
}
