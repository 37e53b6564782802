import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { PatientFields, PatientForm, SEX_LABELS, type Patient, type PatientFieldsInput } from '../../../shared/schemas/patients'
import { reminderLine } from '../../../shared/contactPreferences'
import { staleVersionDetail } from '../../../shared/conflicts'
import { ApiError } from '../../api'
import { run, useCan, useChannel, useSetChannelData, useWrite } from '../../data'
import { openConflictDialog } from '../../components/ConflictDialog'
import { ErrorPanel } from '../../components/ErrorPanel'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { useClinicClock } from '../../clinicClock'
import { formatDate, formatDob, languageLine } from '../../format'
import { navigate } from '../../routing'
import { PatientAppointments } from './PatientAppointments'
import { AsapStatus } from '../../components/AsapStatus'
import { PatientReferrals } from '../../components/PatientReferrals'
import { DocumentsSection } from '../../components/documents/DocumentsSection'
import { ImagingSection } from '../../components/imaging/ImagingSection'
import { PatientFieldsForm } from './PatientFieldsForm'
import { referrerLabel } from '../../../shared/schemas/referrals'

const FIELD_NAMES: Record<keyof PatientFieldsInput, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  referringPhysician: 'Referring physician',
  preferredLanguage: 'Preferred language',
  interpreterNeeded: 'Interpreter',
  notes: 'Notes',
  contactPreference: 'Contact for reminders',
  reminderConsent: 'Consent to reminders',
  primaryCareReferrerId: 'Primary care physician',
}

/** The form's values from the record: every field the schema has (one left out would be erased on save). */
function fieldsOf(p: Patient): PatientFieldsInput {
  return Object.fromEntries(PatientFields.keyof().options.map((k) => [k, p[k]])) as PatientFieldsInput
}

export function PatientDetail({ id }: { id: number }) {
  const clock = useClinicClock()
  const query = useChannel('patients.get', { id })
  const canEdit = useCan('patients.update')
  const canOpenChart = useCan('chart.get')
  const [editing, setEditing] = useState(false)
  if (query.isPending) return <Loader aria-label="Loading patient" />
  if (query.isError) return <ErrorPanel error={query.error} />
  const p = query.data

  return (
    // wide enough for the appointments table with its actions at 1440 x 900 (the facts keep their own width)
    <Stack maw={1100}>
      <Anchor href="#/patients" size="sm">
        ← All patients
      </Anchor>
      <Group justify="space-between">
        <div>
          <Title order={2}>
            {p.lastName}, {p.firstName}
          </Title>
          <Group gap="xs" mt={4}>
            <Badge variant="light" size="lg">
              MRN {p.mrn}
            </Badge>
            <Text size="sm">
              {SEX_LABELS[p.sex]} · born {formatDob(p.dateOfBirth, clock.today())}
            </Text>
          </Group>
        </div>
        <Group gap="xs">
          {canOpenChart && !editing && (
            <Button autoFocus onClick={() => navigate(`/chart/${p.id}`)}>
              Open chart
            </Button>
          )}
          {canEdit && !editing && <Button variant={canOpenChart ? 'default' : 'filled'} onClick={() => setEditing(true)}>Edit</Button>}
        </Group>
      </Group>
      {editing ? (
        <EditPatient patient={p} onDone={() => setEditing(false)} />
      ) : (
        <>
          <PatientFacts patient={p} />
          <PatientReferrals patientId={p.id} />
          <DocumentsSection patientId={p.id} />
          <ImagingSection patientId={p.id} />
          <AsapStatus patientId={p.id} />
          <PatientAppointments patient={p} />
        </>
      )}
    </Stack>
  )
}

/**
 * Who referred the patient, where the front desk looks first: the newest referral that was not declined (its
 * referrer from the directory, or the text as written), else the registration's free-text referring physician.
 * The same query as the Referrals section below, so no second request.
 */
function ReferredBy({ patient: p }: { patient: Patient }) {
  const canRead = useCan('referrals.forPatient')
  const q = useChannel('referrals.forPatient', { patientId: p.id }, { enabled: canRead })
  const latest = q.data?.referrals.find((r) => r.status !== 'declined')
  const who = latest ? latest.referrerName : p.referringPhysician
  return (
    <Paper withBorder p="sm" radius="sm" data-testid="referred-by">
      <Group gap="xs" align="baseline">
        <Text fw={700}>Referred by</Text>
        <Text fw={who ? 600 : 400} size={who ? 'md' : 'sm'}>
          {who || 'Not recorded'}
        </Text>
        {latest && <Text size="sm">received {formatDate(latest.receivedOn)}</Text>}
      </Group>
    </Paper>
  )
}

function PatientFacts({ patient: p }: { patient: Patient }) {
  const clock = useClinicClock()
  const rows: [string, string][] = [
    ['Phone', p.phone],
    ['Email', p.email],
    ['Address', p.address],
    ['Primary care physician', p.primaryCare ? `${referrerLabel(p.primaryCare.name, p.primaryCare.practice)}${p.primaryCare.active ? '' : ' (inactive in the directory)'}` : 'Not recorded'],
    ['Language', languageLine(p)],
    ['Reminders', reminderLine(p, (at) => formatDate(clock.dateOf(at))).replace(/^Reminders: /, '')],
    ['Notes', p.notes],
  ]
  return (
    <Stack gap="xs" maw={760}>
      <ReferredBy patient={p} />
      <Title order={3} size="h5" mt="xs">
        Contact details
      </Title>
      {rows.map(([label, value]) => (
        <Group key={label} align="flex-start" wrap="nowrap">
          <Text fw={600} w={180} size="sm">
            {label}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {value || '—'}
          </Text>
        </Group>
      ))}
      <Text size="xs" c="gray.8">
        Registered {clock.dateTime(p.createdAt)}; last changed {clock.dateTime(p.updatedAt)}
      </Text>
    </Stack>
  )
}

function EditPatient({ patient, onDone }: { patient: Patient; onDone: () => void }) {
  const setChannelData = useSetChannelData()
  const update = useWrite('patients.update')
  const [busy, setBusy] = useState(false)
  const form = useForm<PatientFieldsInput>({ initialValues: fieldsOf(patient), validate: validateWith(PatientForm) })
  // The version the form's values were read at: a newer one arriving while editing (another workstation saved)
  // must not be taken here, or the next save would silently write these older values over theirs.
  const [version, setVersion] = useState(patient.version)

  async function save(values: PatientFieldsInput) {
    setBusy(true)
    try {
      const saved = await update.mutateAsync({ ...values, id: patient.id, version })
      setChannelData('patients.get', { id: patient.id }, saved)
      notifications.show({ color: 'green', title: 'Saved', message: `${saved.firstName} ${saved.lastName}` })
      onDone()
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict' && staleVersionDetail(err.detail)) {
        // nothing is replaced yet: the dialog says who changed the record and when, compares, and reloads theirs when asked
        const current = staleVersionDetail(err.detail)?.current as Patient | undefined
        openConflictDialog({
          error: err,
          yours: values,
          theirs: current ? fieldsOf(current) : async () => fieldsOf(await reload()),
          labels: FIELD_NAMES,
          onReload: async () => {
            const fresh = current ?? (await reload())
            setChannelData('patients.get', { id: patient.id }, fresh)
            form.setValues(fieldsOf(fresh))
            setVersion(fresh.version)
          },
        })
      } else showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }
  const reload = () => run('patients.get', { id: patient.id })

  return (
    <form onSubmit={form.onSubmit((v) => void save(v), focusFirstError)} noValidate>
      <Stack>
        <PatientFieldsForm form={form} autoFocus primaryCareName={patient.primaryCare?.name ?? ''} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
