/**
 * The patient page's Referrals section (issue 19 point 2): the patient's referrals, newest first, each with its
 * referrer (from the directory, or the text as written), reason, urgency and where it stands (the consultation
 * booked from it, or why it was declined); and "Add referral" for the front desk and physicians.
 */
import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useState } from 'react'
import { AddReferral, REFERRAL_STATUS_LABELS, URGENCY_LABELS, type ReferralView } from '../../shared/schemas/referrals'
import { useClinicClock } from '../clinicClock'
import { useCan, useChannel, useWrite } from '../data'
import { formatDate, formatInstant } from '../format'
import { showApiError, validateWith } from '../forms'
import { ApiError } from '../api'
import { DateField } from './DateField'
import { ReferrerPicker } from './ReferrerPicker'

export function PatientReferrals({ patientId }: { patientId: number }) {
  const canRead = useCan('referrals.forPatient')
  const canAdd = useCan('referrals.add')
  const q = useChannel('referrals.forPatient', { patientId }, { enabled: canRead })
  const [adding, setAdding] = useState(false)
  if (!canRead) return null
  const rows = q.data?.referrals ?? []
  return (
    <Paper withBorder p="sm" radius="sm" maw={760} data-testid="patient-referrals" component="section" aria-labelledby="patient-referrals-title">
      <Group justify="space-between" align="baseline">
        <Title order={3} size="h5" id="patient-referrals-title">
          Referrals
        </Title>
        {canAdd && !adding && (
          <Button size="xs" variant="default" onClick={() => setAdding(true)}>
            Add referral
          </Button>
        )}
      </Group>
      {q.isError && <Alert color="red">{q.error.message}</Alert>}
      {adding && <AddReferralForm patientId={patientId} onDone={() => setAdding(false)} />}
      {q.isSuccess && rows.length === 0 && !adding && (
        <Text size="sm" mt={4}>
          No referral recorded.
        </Text>
      )}
      <Stack gap={6} mt={6}>
        {rows.map((r) => (
          <ReferralLine key={r.id} referral={r} timeZone={q.data!.timeZone} />
        ))}
      </Stack>
    </Paper>
  )
}

function ReferralLine({ referral: r, timeZone }: { referral: ReferralView; timeZone: string }) {
  return (
    <div data-testid={`patient-referral-${r.id}`}>
      <Group gap="xs" align="baseline">
        <Text size="sm" fw={600}>
          {r.source === 'migrated' ? 'Referred by' : `Received ${formatDate(r.receivedOn)} from`} {r.referrerName}
        </Text>
        {r.source !== 'migrated' && <Badge color={r.urgency === 'urgent' ? 'red.9' : 'gray.7'}>{URGENCY_LABELS[r.urgency]}</Badge>}
        <Badge variant="outline" color="gray.8">
          {REFERRAL_STATUS_LABELS[r.status]}
        </Badge>
      </Group>
      {r.reason && <Text size="sm">{r.reason}</Text>}
      {r.referrerId !== null && r.referrerText && r.referrerText !== r.referrerName && (
        <Text size="xs" c="gray.8">
          As written: {r.referrerText}
        </Text>
      )}
      {r.appointmentStartsAt && (
        <Text size="sm">
          Consultation: {r.appointmentType ?? 'appointment'} on {formatInstant(r.appointmentStartsAt, timeZone)}
          {r.appointmentStatus === 'cancelled' ? ' (cancelled)' : ''}
        </Text>
      )}
      {r.status === 'declined' && <Text size="sm">Declined: {r.declineReason}</Text>}
      {r.status === 'open' && r.source !== 'migrated' && (
        <Anchor href="#/referrals" size="xs">
          On the Referrals list, waiting {r.daysWaited === 1 ? '1 day' : `${r.daysWaited} days`}
        </Anchor>
      )}
    </div>
  )
}

const validate = validateWith(AddReferral)

function AddReferralForm({ patientId, onDone }: { patientId: number; onDone: () => void }) {
  const clock = useClinicClock()
  const add = useWrite('referrals.add')
  const [v, setV] = useState({ receivedOn: clock.today(), referrerId: null as number | null, referrerText: '', reason: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  async function save() {
    const input = { patientId, ...v }
    const found = validate(input)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    try {
      const saved = await add.mutateAsync(input)
      notifications.show({ color: 'green', title: 'Referral recorded', message: `From ${saved.referrerName}; on the Referrals list to triage` })
      onDone()
    } catch (err) {
      if (err instanceof ApiError) setErrors(Object.fromEntries(Object.entries(err.fields).map(([k, m]) => [k, m.charAt(0).toUpperCase() + m.slice(1)])))
      showApiError(err)
    }
  }
  return (
    <Stack gap="xs" mt="xs" role="group" aria-label="New referral">
      <Group grow align="flex-start">
        <DateField label="Date received" required value={v.receivedOn} error={errors.receivedOn} onChange={(d) => setV({ ...v, receivedOn: d })} />
        <ReferrerPicker value={v.referrerId} error={errors.referrerId} onChange={(id) => setV({ ...v, referrerId: id })} />
      </Group>
      <TextInput
        label="Referrer as written"
        description="Required when the referrer is not in the directory; kept as it is written on the letter"
        maxLength={200}
        value={v.referrerText}
        error={errors.referrerText}
        onChange={(e) => setV({ ...v, referrerText: e.currentTarget.value })}
      />
      <Textarea label="Reason for referral" required autosize minRows={2} maxLength={1000} value={v.reason} error={errors.reason} onChange={(e) => setV({ ...v, reason: e.currentTarget.value })} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button loading={add.isPending} onClick={() => void save()}>
          Record referral
        </Button>
      </Group>
    </Stack>
  )
}
