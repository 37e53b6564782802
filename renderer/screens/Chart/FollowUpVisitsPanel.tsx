/** The patient's follow-up visits on the chart: those still to see (a physician records them) and those recorded. */
import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { ANALGESIC_LABELS, BRACE_LABELS, SATISFACTION_LABELS, type FollowUpVisitView } from '../../../shared/schemas/outcomes'
import { COMPLICATION_LABELS } from '../../../shared/schemas/procedures'
import { useClinicClock } from '../../clinicClock'
import { formatDate } from '../../format'
import { navigate } from '../../routing'
import { usePatientFollowUps, usePatientOutcomes } from '../../hooks'
import { recordVisitPath } from '../../paths'
import { VisitInErrorModal } from './VisitInErrorModal'

export function FollowUpVisitsPanel({ patientId, canRecord }: { patientId: number; canRecord: boolean }) {
  const followUps = usePatientFollowUps(patientId)
  const outcomes = usePatientOutcomes(patientId)
  const [inError, setInError] = useState<FollowUpVisitView | null>(null)
  const visits = outcomes.data?.visits ?? []
  const seen = new Set(visits.filter((v) => !v.enteredInError).map((v) => v.followUpId))
  const toSee = (followUps.data ?? []).filter((f) => !seen.has(f.id))
  if (toSee.length === 0 && visits.length === 0) return null
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="follow-ups-title">
      <Title order={3} id="follow-ups-title" mb="xs">
        Follow-up visits
      </Title>
      <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {toSee.map((f) => (
          <li key={`due-${f.id}`}>
            <Group gap="xs">
              <Text>
                {f.label} · due {formatDate(f.targetDate)} · {f.status === 'booked' ? 'booked' : 'not booked yet'}
              </Text>
              {canRecord && (
                <Button size="xs" variant="default" aria-label={`Record the ${f.label} visit`} onClick={() => navigate(recordVisitPath(f.id, patientId))}>
                  Record visit
                </Button>
              )}
            </Group>
          </li>
        ))}
        {visits.map((v) => (
          <li key={`visit-${v.id}`}>
            <RecordedVisit visit={v} onInError={() => setInError(v)} />
          </li>
        ))}
      </Stack>
      <VisitInErrorModal visit={inError} onClose={() => setInError(null)} />
    </Paper>
  )
}

function RecordedVisit({ visit: v, onInError }: { visit: FollowUpVisitView; onInError: () => void }) {
  const clock = useClinicClock()
  const f = v.fields
  const facts = [
    f.painNrs === null ? null : `pain ${f.painNrs}/10`,
    v.odiScore === null ? null : `ODI ${v.odiScore}%`,
    v.rmdqScore === null ? null : `Roland-Morris ${v.rmdqScore}/24`,
    f.analgesics && `analgesics: ${ANALGESIC_LABELS[f.analgesics].toLowerCase()}`,
    f.brace && `brace: ${BRACE_LABELS[f.brace].toLowerCase()}`,
    f.newFracture ? `new fracture at ${f.newFractureLevels.join(', ')}` : 'no new fracture',
    f.complications.length > 0 ? `complications: ${f.complications.map((c) => COMPLICATION_LABELS[c].toLowerCase()).join(', ')}${f.complicationsNote ? ` (${f.complicationsNote})` : ''}` : null,
    f.satisfaction && SATISFACTION_LABELS[f.satisfaction].toLowerCase(),
  ].filter(Boolean)
  return (
    <Stack gap={2} style={{ borderLeft: '3px solid var(--mantine-color-gray-4)', paddingLeft: 10 }} data-testid="recorded-visit">
      <Group gap="xs">
        <Text fw={600} td={v.enteredInError ? 'line-through' : undefined}>
          {v.label} visit · {formatDate(f.visitDate)}
        </Text>
        <Badge size="sm" color={v.enteredInError ? 'red.9' : 'teal.9'}>
          {v.enteredInError ? 'Entered in error' : 'Recorded'}
        </Badge>
        {!v.enteredInError && (
          <Button size="compact-xs" variant="default" onClick={onInError} aria-label={`Mark the ${v.label} visit of ${formatDate(f.visitDate)} entered in error`}>
            Entered in error…
          </Button>
        )}
      </Group>
      <Text size="sm">{facts.join(' · ')}</Text>
      {f.notes && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {f.notes}
        </Text>
      )}
      <Text size="xs" c="gray.8">
        recorded by {v.recordedBy}, {clock.dateTime(v.recordedAt)}
        {v.enteredInError && ` · entered in error ${clock.dateTime(v.enteredInError.at)}: ${v.enteredInError.reason}`}
      </Text>
    </Stack>
  )
}
