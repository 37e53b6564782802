/** Settings > Procedure day: the observation checks' timetable, the stay's minimums, the sedation score, the overnight beds. */
import { ActionIcon, Button, Checkbox, Group, NumberInput, Select, Stack, Text, Title } from '@mantine/core'
import { DEFAULT_OBSERVATION_PHASES, SEDATION_SCALE_LABELS, SEDATION_SCALES, slotMinutes } from '../../../shared/clinical/observation'
import type { SettingsFormApi } from './SettingsScreen'

const MAX_PHASES = 6

/** "0, 15, 30, 45, 60, 90 and 120 minutes", or null while a phase is not a valid one. */
function checkTimes(phases: readonly { everyMinutes: number; forMinutes: number }[], onArrival: boolean): string | null {
  try {
    const m = slotMinutes(phases, onArrival)
    return m.length <= 1 ? `${m.join('')} minutes` : `${m.slice(0, -1).join(', ')} and ${m.at(-1)} minutes`
  } catch {
    return null
  }
}

export function ProcedureDaySection({ form }: { form: SettingsFormApi }) {
  const phases = form.values.observationPhases
  const times = checkTimes(phases, form.values.observationCheckOnArrival)
  return (
    <Stack>
      <Title order={3} size="h4">
        Observation checks
      </Title>
      <Text size="sm" c="dimmed">
        Vital signs and the leg neurological check are due in phases after the patient arrives in the observation bay (usually every 15 minutes in the first hour,
        every 30 in the second). Changes apply to recovery records from now on.
      </Text>
      {phases.map((_, i) => (
        <Group key={i} align="flex-end" wrap="nowrap">
          <NumberInput label={`Phase ${i + 1}: a check every (minutes)`} min={5} max={120} allowDecimal={false} {...form.getInputProps(`observationPhases.${i}.everyMinutes`)} />
          <NumberInput label={`Phase ${i + 1}: for (minutes)`} min={5} max={480} allowDecimal={false} {...form.getInputProps(`observationPhases.${i}.forMinutes`)} />
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            mb={4}
            aria-label={`Remove phase ${i + 1}`}
            disabled={phases.length <= 1}
            onClick={() => form.removeListItem('observationPhases', i)}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button variant="default" size="xs" disabled={phases.length >= MAX_PHASES} onClick={() => form.insertListItem('observationPhases', { everyMinutes: 30, forMinutes: 60 })}>
          Add a phase
        </Button>
        <Button variant="subtle" size="xs" onClick={() => form.setFieldValue('observationPhases', DEFAULT_OBSERVATION_PHASES.map((p) => ({ ...p })))}>
          Use the usual timetable (15 minutes for an hour, then 30 for an hour)
        </Button>
      </Group>
      {typeof form.errors.observationPhases === 'string' && (
        <Text size="sm" c="red">
          {form.errors.observationPhases}
        </Text>
      )}
      <Checkbox label="A check on arrival in the bay (at 0 minutes)" {...form.getInputProps('observationCheckOnArrival', { type: 'checkbox' })} />
      <Text size="sm" data-testid="observation-check-times">
        {times ? `Checks fall due ${times} after arrival.` : 'Correct the phases above to see when checks fall due.'}
      </Text>
      <NumberInput
        label="A check still counts as on time for (minutes)"
        description="0 to 30 minutes after its time; a check later than that is recorded as done late"
        min={0}
        max={30}
        allowDecimal={false}
        {...form.getInputProps('observationGraceMinutes')}
      />
      <Title order={3} size="h4">
        The observation stay and discharge
      </Title>
      <Group grow align="flex-start">
        <NumberInput
          label="Minimum supine rest (minutes)"
          description="Lying on the back while the cement hardens; a shorter rest is flagged on the recovery record"
          min={0}
          max={240}
          allowDecimal={false}
          {...form.getInputProps('minimumSupineMinutes')}
        />
        <NumberInput
          label="Minimum observation (minutes)"
          description="From arrival in the bay; leaving earlier is flagged, checks due before then count as missed"
          min={0}
          max={480}
          allowDecimal={false}
          {...form.getInputProps('minimumObservationMinutes')}
        />
      </Group>
      <Group grow align="flex-start">
        <Select
          label="Sedation recovery score"
          description="Recorded with each observation check"
          data={SEDATION_SCALES.map((value) => ({ value, label: SEDATION_SCALE_LABELS[value] }))}
          allowDeselect={false}
          {...form.getInputProps('sedationScale')}
        />
        <NumberInput
          label="Score needed for same-day discharge"
          description="0 to 10; both scales take 9 or more as fit for discharge. Below it, discharge needs an override reason."
          min={0}
          max={10}
          allowDecimal={false}
          {...form.getInputProps('sedationDischargeScore')}
        />
      </Group>
      <Title order={3} size="h4">
        Before the procedure
      </Title>
      <Text size="sm" c="dimmed">
        The thresholds of the pre-procedure checklist the physician signs off. An item outside them is failed on the checklist and needs an override reason at sign-off.
      </Text>
      <Group grow align="flex-start">
        <NumberInput label="Highest INR accepted" description="1 to 3; SIR 2019 advises 1.5 to 1.8 for vertebral augmentation" min={1} max={3} step={0.1} decimalScale={1} {...form.getInputProps('inrMax')} />
        <NumberInput label="Lowest platelet count accepted (x10^9/L)" description="10 to 200; SIR 2019 advises 50" min={10} max={200} allowDecimal={false} {...form.getInputProps('plateletsMin')} />
      </Group>
      <Group grow align="flex-start">
        <NumberInput
          label="Labs accepted up to (days old)"
          description="0 to 180 days before the procedure day; an older INR or platelet count fails"
          min={0}
          max={180}
          allowDecimal={false}
          {...form.getInputProps('labMaxAgeDays')}
        />
        <NumberInput label="Fasting before the procedure (hours)" description="0 to 24; ASA 2017: 6 hours after a light meal" min={0} max={24} allowDecimal={false} {...form.getInputProps('fastingHours')} />
      </Group>
      <Group grow align="flex-start">
        <NumberInput
          label="Pregnancy status needed from age"
          description="Women of these ages, both included, need a pregnancy status on the checklist"
          min={0}
          max={80}
          allowDecimal={false}
          {...form.getInputProps('pregnancyAgeFrom')}
        />
        <NumberInput label="Pregnancy status needed up to age" min={0} max={80} allowDecimal={false} {...form.getInputProps('pregnancyAgeTo')} />
      </Group>
      <Title order={3} size="h4">
        Overnight stays
      </Title>
      <NumberInput
        label="Overnight beds"
        description="0 to 50; the overnight decision warns when tonight's beds are taken"
        min={0}
        max={50}
        allowDecimal={false}
        {...form.getInputProps('overnightBeds')}
      />
    </Stack>
  )
}
