import { Button, Group, Stack, Title } from '@mantine/core'
import { useForm } from '@mantine/form'
import { useDebouncedValue } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { isValidIsoDate } from '../../../shared/dates'
import { PatientForm, type PatientFieldsInput, type PatientSummary } from '../../../shared/schemas/patients'
import { useChannel, useWrite } from '../../data'
import { restoreOver, useDraft, WithDraft, type RestoredDraft } from '../../drafts'
import { focusFirstError, showApiError, validateWith } from '../../forms'
import { navigate } from '../../routing'
import { DuplicateWarning } from './DuplicateWarning'
import { EMPTY_PATIENT, PatientFieldsForm } from './PatientFieldsForm'

/** The registration form starts from the user's unsaved draft of it, when one was kept (renderer/drafts.tsx). */
export function RegisterPatient() {
  return <WithDraft<PatientFieldsInput> draftKey="patientRegistration:new" noun="registration">{(restored) => <RegistrationForm restored={restored} />}</WithDraft>
}

function RegistrationForm({ restored }: { restored: RestoredDraft<PatientFieldsInput> | null }) {
  const register = useWrite('patients.register')
  const [busy, setBusy] = useState(false)
  const form = useForm<PatientFieldsInput>({ initialValues: restored ? restoreOver(EMPTY_PATIENT, restored.values) : EMPTY_PATIENT, validate: validateWith(PatientForm) })
  const draft = useDraft({ read: () => form.getValues(), isDirty: () => JSON.stringify(form.getValues()) !== JSON.stringify(EMPTY_PATIENT) })
  const { firstName, lastName, dateOfBirth } = form.values
  const [key] = useDebouncedValue({ firstName: firstName.trim(), lastName: lastName.trim(), dateOfBirth }, 250)
  // Warn as soon as name and birth date match someone, before the user presses Register.
  const dupes = useChannel('patients.findDuplicates', key, { enabled: key.firstName !== '' && key.lastName !== '' && isValidIsoDate(key.dateOfBirth) })
  const duplicates: PatientSummary[] = dupes.data ?? []

  async function save(values: PatientFieldsInput, acknowledgeDuplicate: boolean) {
    setBusy(true)
    try {
      const p = await register.mutateAsync({ ...values, acknowledgeDuplicate })
      await draft.clear()
      notifications.show({ color: 'green', title: 'Patient registered', message: `${p.firstName} ${p.lastName} · MRN ${p.mrn}` })
      navigate(`/patients/${p.id}`)
    } catch (err) {
      showApiError(err, form)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Stack maw={760}>
      <Title order={2}>Register patient</Title>
      <form onSubmit={form.onSubmit((v) => void save(v, false), focusFirstError)} noValidate>
        <Stack>
          <PatientFieldsForm form={form} autoFocus />
          <DuplicateWarning duplicates={duplicates} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void draft.discard().then(() => navigate('/patients'))}>
              Cancel
            </Button>
            {duplicates.length > 0 ? (
              <Button color="yellow" loading={busy} onClick={() => form.onSubmit((v) => void save(v, true), focusFirstError)()}>
                Register anyway
              </Button>
            ) : (
              <Button type="submit" loading={busy}>
                Register
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}
