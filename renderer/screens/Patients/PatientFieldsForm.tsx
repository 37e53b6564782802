import { Checkbox, Grid, Select, Textarea, TextInput } from '@mantine/core'
import type { UseFormReturnType } from '@mantine/form'
import { EMPTY_PATIENT_FIELDS, SEXES, SEX_LABELS, type PatientFieldsInput } from '../../../shared/schemas/patients'
import { DateField } from '../../components/DateField'

/** Registration starts from every field of the schema (shared/schemas/patients.ts), so none can be left out. */
export const EMPTY_PATIENT: PatientFieldsInput = EMPTY_PATIENT_FIELDS

/** The demographic fields, shared by registration and editing. */
export function PatientFieldsForm({ form, autoFocus }: { form: UseFormReturnType<PatientFieldsInput>; autoFocus?: boolean }) {
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
        <TextInput label="Referring physician" {...form.getInputProps('referringPhysician')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }}>
        <TextInput label="Preferred language" description="As the patient names it, e.g. Spanish" autoComplete="off" {...form.getInputProps('preferredLanguage')} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, sm: 6 }} style={{ display: 'flex', alignItems: 'center' }}>
        <Checkbox label="Needs an interpreter" description="Shown on the schedule and the chart, so one is booked for each visit" {...form.getInputProps('interpreterNeeded', { type: 'checkbox' })} />
      </Grid.Col>
      <Grid.Col span={12}>
        <Textarea label="Notes" description="Administrative notes; clinical findings belong in the chart" autosize minRows={2} {...form.getInputProps('notes')} />
      </Grid.Col>
    </Grid>
  )
}
