import { Checkbox, Grid, NativeSelect, Select, Textarea, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { CONTACT_PREFERENCES, CONTACT_PREFERENCE_LABELS, EMPTY_PATIENT_FIELDS, SEXES, SEX_LABELS, type PatientFieldsInput, type ReminderConsent } from '../../../shared/schemas/patients'
import { DateField } from '../../components/DateField'
import { ReferrerPicker } from '../../components/ReferrerPicker'

/** Registration starts from every field of the schema (shared/schemas/patients.ts), so none can be left out. */
export const EMPTY_PATIENT: PatientFieldsInput = EMPTY_PATIENT_FIELDS

/** The consent radio's value for "not asked yet" (the field itself is null then). */
const NOT_ASKED = 'notAsked'

/** The demographic fields, shared by registration and editing (primaryCareName: the recorded physician's name, to find them in the picker). */
export function PatientFieldsForm({ form, autoFocus, primaryCareName = '' }: { form: UseFormReturnType<PatientFieldsInput>; autoFocus?: boolean; primaryCareName?: string }) {
  return (
    <Grid>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label="First name" required autoFocus={autoFocus} {...form.getInputProps('firstName')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label="Last name" required {...form.getInputProps('lastName')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <DateField label="Date of birth" placeholder="1948-02-29" required {...form.getInputProps('dateOfBirth')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <Select
          label="Sex"
          required
          allowDeselect={false}
          data={SEXES.map((s) => ({ value: s, label: SEX_LABELS[s] }))}
          {...form.getInputProps('sex')}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label="Phone" type="tel" autoComplete="off" {...form.getInputProps('phone')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label="Email" type="email" autoComplete="off" {...form.getInputProps('email')} />
      </Grid.Col>
      <Grid.Col span={12}>
        <Textarea label="Address" autosize minRows={2} {...form.getInputProps('address')} />
      </Grid.Col>
      <Grid.Col span={12}>
        <TextInput
          label="Referring physician"
          description="As written. To link a referrer of the directory (and have letters due to them), add a referral on the patient page."
          {...form.getInputProps('referringPhysician')}
        />
      </Grid.Col>
      <Grid.Col span={12}>
        {/* a clinician of the referrers' directory: letters about signed records go to them too */}
        <ReferrerPicker
          label="Primary care physician"
          value={form.getValues().primaryCareReferrerId ?? null}
          initialQuery={primaryCareName}
          onChange={(id) => form.setFieldValue('primaryCareReferrerId', id)}
          error={form.errors.primaryCareReferrerId as string | undefined}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label="Preferred language" description="As the patient names it, e.g. Spanish" autoComplete="off" {...form.getInputProps('preferredLanguage')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }} style={{ display: 'flex', alignItems: 'center' }}>
        <Checkbox label="Needs an interpreter" description="Shown on the schedule and the chart, so one is booked for each visit" {...form.getInputProps('interpreterNeeded', { type: 'checkbox' })} />
      </Grid.Col>
      {/* selects, not radio buttons: an option named "Phone" would share its name with the Phone field above */}
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <NativeSelect
          label="Contact for reminders"
          description="How reminders and confirmations reach the patient. E-mail needs the e-mail address above, a letter the postal address."
          data={CONTACT_PREFERENCES.map((c) => ({ value: c, label: CONTACT_PREFERENCE_LABELS[c] }))}
          {...form.getInputProps('contactPreference')}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <NativeSelect
          label="Consent to reminders"
          description="Ask whether the clinic may send reminders. Declined is an opt-out: none are sent. Who recorded the answer and when is kept."
          data={[
            { value: NOT_ASKED, label: 'Not asked yet' },
            { value: 'given', label: 'Given' },
            { value: 'declined', label: 'Declined (opted out)' },
          ]}
          value={form.getValues().reminderConsent ?? NOT_ASKED}
          onChange={(e) => form.setFieldValue('reminderConsent', e.currentTarget.value === NOT_ASKED ? null : (e.currentTarget.value as ReminderConsent))}
          error={form.errors.reminderConsent}
        />
      </Grid.Col>
      <Grid.Col span={12}>
        <Textarea label="Notes" description="Administrative notes; clinical findings belong in the chart" autosize minRows={2} {...form.getInputProps('notes')} />
      </Grid.Col>
    </Grid>
  )
}
