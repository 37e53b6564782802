/** Settings > Follow-ups: the visits the discharge summary proposes after a procedure. */
import { ActionIcon, Button, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core'
import { followUpDates, type FollowUpInterval } from '../../../shared/clinical/dates'
import { DEFAULT_DISCHARGE_FOLLOW_UPS } from '../../../shared/schemas/procedureSettings'
import { FOLLOW_UP_HIDE_MAX_DAYS, FOLLOW_UP_HIDE_MIN_DAYS } from '../../../shared/schemas/settings'
import { useClinicClock } from '../../clinicClock'
import { formatDate } from '../../format'
import type { SettingsFormApi } from './SettingsScreen'
import { intervalRows, type IntervalRow } from './settingsForm'

const MAX_VISITS = 8
const UNITS = [
  { value: 'days', label: 'days' },
  { value: 'weeks', label: 'weeks' },
  { value: 'months', label: 'months' },
]

function preview(rows: IntervalRow[], today: string): string | null {
  const intervals: FollowUpInterval[] = []
  for (const r of rows) {
    const n = Number(r.count)
    if (r.count === '' || !Number.isInteger(n) || n < 1) return null
    intervals.push({ label: r.label || '(no name)', [r.unit]: n } as FollowUpInterval)
  }
  return followUpDates(today, intervals)
    .map((d) => `${d.label} around ${formatDate(d.date)}`)
    .join('; ')
}

export function FollowUpSection({ form }: { form: SettingsFormApi }) {
  const clock = useClinicClock()
  const rows = form.values.followUpIntervals
  const dates = preview(rows, clock.today())
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        The discharge summary proposes these follow-up visits after a procedure, and the front desk books them from Follow-ups due. A change applies to discharge
        summaries opened from now on.
      </Text>
      {rows.map((_, i) => (
        <Group key={i} align="flex-end" wrap="nowrap">
          <TextInput label={`Visit ${i + 1}: name`} maxLength={40} {...form.getInputProps(`followUpIntervals.${i}.label`)} />
          <NumberInput label={`Visit ${i + 1}: after`} min={1} allowDecimal={false} w={110} {...form.getInputProps(`followUpIntervals.${i}.count`)} />
          <Select label={`Visit ${i + 1}: unit`} data={UNITS} allowDeselect={false} w={120} {...form.getInputProps(`followUpIntervals.${i}.unit`)} />
          <ActionIcon variant="subtle" color="red" size="lg" mb={4} aria-label={`Remove visit ${i + 1}`} onClick={() => form.removeListItem('followUpIntervals', i)}>
            ✕
          </ActionIcon>
        </Group>
      ))}
      {rows.length === 0 && <Text size="sm">No follow-up visits are proposed.</Text>}
      <Group>
        <Button variant="default" size="xs" disabled={rows.length >= MAX_VISITS} onClick={() => form.insertListItem('followUpIntervals', { label: '', count: 1, unit: 'months' } satisfies IntervalRow)}>
          Add a visit
        </Button>
        <Button
          variant="subtle"
          size="xs"
          onClick={() => form.setFieldValue('followUpIntervals', intervalRows(DEFAULT_DISCHARGE_FOLLOW_UPS))}
        >
          Use the usual visits (2 weeks, 6 weeks, 3 months)
        </Button>
      </Group>
      <Text size="sm" data-testid="follow-up-preview">
        {rows.length === 0 ? '' : dates ? `For a procedure today: ${dates}.` : 'Correct the visits above to see their dates.'}
      </Text>
      <NumberInput
        label="Hide follow-ups overdue by more than (days)"
        description={`${FOLLOW_UP_HIDE_MIN_DAYS} to ${FOLLOW_UP_HIDE_MAX_DAYS}. Follow-ups due leaves out visits missed longer ago than this (nobody will book a visit missed years ago) and says how many it leaves out. They are not deleted: close them with a reason, or raise the number to see them again. Usually 365.`}
        min={FOLLOW_UP_HIDE_MIN_DAYS}
        max={FOLLOW_UP_HIDE_MAX_DAYS}
        allowDecimal={false}
        maw={420}
        {...form.getInputProps('followUpHideOverdueAfterDays')}
      />
    </Stack>
  )
}
