/**
 * The consultation note. Routes:
 *   #/consultations/new?patient=ID[&appointment=ID]  opens (or, for an appointment, reopens) the note, then shows it
 *   #/consultations/ID                              the note: editable by its provider while a draft, read-only otherwise
 * The schedule opens a note for the day's appointment with the first route.
 */
import { Anchor, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import type { ConsultationView } from '../../../shared/schemas/consultations'
import { SEX_LABELS } from '../../../shared/schemas/patients'
import { mayMarkEnteredInError } from '../../../shared/roles'
import { useCan, useChannel, useRefreshAfter, useSetChannelData, useWrite, run } from '../../data'
import { useChart } from '../../hooks'
import { WithDraft } from '../../drafts'
import { ErrorPanel } from '../../components/ErrorPanel'
import { PatientBanner } from '../../components/PatientBanner'
import { formatDate } from '../../format'
import { matchRoute, useRoute } from '../../routing'
import { useSession } from '../../session'
import { NoteEditor } from './NoteEditor'
import { NoteView } from './NoteView'
import { Addenda, EnteredInErrorButton, SignatureStatus } from '../../components/signing/SignedRecord'
import { CareOutcomeForm } from './CareOutcomeForm'
import type { NoteValues } from './noteForm'

export default function ConsultationScreen() {
  const route = useRoute()
  const [path, query = ''] = route.split('?')
  if (path === '/consultations/new') {
    const q = new URLSearchParams(query)
    const patient = Number(q.get('patient'))
    const appointment = q.get('appointment') ? Number(q.get('appointment')) : undefined
    if (!Number.isInteger(patient) || patient <= 0) return <ErrorPanel error="Which patient? The address needs ?patient=ID." />
    return <OpenNote key={route} patientId={patient} appointmentId={appointment} />
  }
  const m = matchRoute('/consultations/:id', route)
  if (m && /^\d+$/.test(m.id!)) return <Note key={m.id} id={Number(m.id)} />
  return (
    <Stack>
      <Title order={2}>Consultation note</Title>
      <Text>Open a note from a patient's chart or from the day's schedule.</Text>
    </Stack>
  )
}

function OpenNote({ patientId, appointmentId }: { patientId: number; appointmentId?: number }) {
  const setChannelData = useSetChannelData()
  const refreshAfter = useRefreshAfter()
  const [error, setError] = useState<unknown>(null)
  const started = useRef(false)
  useEffect(() => {
    // once per visit of this address, even under React's development double effects
    if (started.current) return
    started.current = true
    run('consultations.open', { patientId, appointmentId })
      .then((v) => {
        setChannelData('consultations.get', { id: v.id }, v)
        void refreshAfter('consultations.open')
        // replace the address, so that Back does not open another note
        window.location.replace(`#/consultations/${v.id}`)
      })
      .catch(setError)
  }, [patientId, appointmentId, setChannelData, refreshAfter])
  if (error) return <ErrorPanel error={error} />
  return <Loader aria-label="Opening the note" />
}

function Note({ id }: { id: number }) {
  const note = useChannel('consultations.get', { id }, { staleTime: Infinity })
  const me = useSession().data?.user
  const setChannelData = useSetChannelData()
  const writes = useCan('consultations.sign')
  const markInError = useWrite('consultations.markEnteredInError')
  const addAddendum = useWrite('consultations.addAddendum')
  if (note.isPending) return <Loader aria-label="Loading the note" />
  if (note.isError) return <ErrorPanel error={note.error} onRetry={() => void note.refetch()} />
  const v = note.data
  const status = v.signing.status
  const editable = status === 'draft' && writes && me?.id === v.providerId
  const canMarkError = status !== 'enteredInError' && !!me && mayMarkEnteredInError(me, v.providerId)
  const set = (next: ConsultationView) => setChannelData('consultations.get', { id: next.id }, next)

  return (
    <Stack>
      <Anchor href={`#/chart/${v.patient.id}`} size="sm">
        ← Chart of {v.patient.firstName} {v.patient.lastName}
      </Anchor>
      <Banner view={v} />
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>Consultation of {formatDate(v.fields.visitDate)}</Title>
          <Text size="sm" c="gray.8">
            {v.providerName}
            {v.appointmentId ? ` · from appointment ${v.appointmentId}` : ''}
          </Text>
        </div>
        {canMarkError && (
          <EnteredInErrorButton
            id={v.id}
            noun="note"
            explain="Use this for a note that should not exist (wrong patient, duplicate). It stays readable with your name and reason; its signature stops counting and an open procedure request from it is cancelled. To correct a detail, add an addendum instead."
            mark={async (values) => {
              set(await markInError.mutateAsync(values))
            }}
          />
        )}
      </Group>
      {!editable && <SignatureStatus signing={v.signing} providerName={v.providerName} noun="note" />}
      {editable ? (
        <WithDraft<NoteValues> draftKey={`consultation:${v.id}`} noun="note" version={v.version}>
          {(restored) => <NoteEditor view={v} restored={restored} />}
        </WithDraft>
      ) : (
        <NoteView view={v} />
      )}
      {status === 'signed' && writes && v.carePlan && v.carePlan.outcome === null && <CareOutcomeForm view={v} />}
      {status !== 'draft' && <Addenda id={v.id} signing={v.signing} canAdd={status === 'signed' && writes} add={async (values) => set(await addAddendum.mutateAsync(values))} />}
    </Stack>
  )
}

/** The chart header above the note (allergies and blood thinners matter while deciding). */
function Banner({ view: v }: { view: ConsultationView }) {
  const chart = useChart(v.patient.id)
  if (chart.data) return <PatientBanner header={chart.data.header} />
  return (
    <Title order={2}>
      {v.patient.lastName}, {v.patient.firstName} · {v.patient.ageAtVisit} y · {SEX_LABELS[v.patient.sex]} · MRN {v.patient.mrn}
    </Title>
  )
}
