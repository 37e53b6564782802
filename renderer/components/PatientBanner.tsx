/**
 * The two-second header of a patient's chart: who (name, age, sex, MRN), what could harm them (cement and
 * contrast allergies, anticoagulants, antiplatelets) and their bone (osteoporosis, latest bone density).
 */
import { Alert, Badge, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { SEX_LABELS } from '../../shared/schemas/patients'
import type { ChartHeader } from '../../shared/schemas/chart'
import { formatDate, languageLine } from '../format'

const ALERT_TITLES: Record<ChartHeader['alerts'][number]['kind'], string> = {
  cementAllergy: 'CEMENT ALLERGY',
  contrastAllergy: 'CONTRAST ALLERGY',
  anticoagulant: 'ANTICOAGULANT',
  antiplatelet: 'ANTIPLATELET',
}

/** 'Anticoagulant: apixaban 5 mg' -> 'apixaban 5 mg'; 'Cement allergy' -> '' (the title says it). */
const alertDetail = (text: string) => (text.includes(':') ? text.slice(text.indexOf(':') + 1).trim() : '')

const yesNo = (v: boolean | null) => (v === null ? 'not known' : v ? 'yes' : 'no')

const noteSource = (n: { visitDate: string }) => `consultation of ${formatDate(n.visitDate)}`

/**
 * A history answer beside what the latest signed note says (issue 23): the patient's history wins when it is
 * set; a signed note fills a "not known"; a note that disagrees with the history is shown beside it, not hidden.
 */
function historyAnswer(history: boolean | null, note: { value: boolean; visitDate: string } | null): string {
  if (!note) return yesNo(history)
  if (history === null) return `${yesNo(note.value)} (${noteSource(note)})`
  if (history === note.value) return yesNo(history)
  return `${yesNo(history)} (patient history); ${yesNo(note.value)} (${noteSource(note)})`
}

/** An allergy alert raised by a signed note rather than the history names the note. */
const alertLine = (a: ChartHeader['alerts'][number]) => (a.fromNote ? `Recorded in the signed ${noteSource(a.fromNote)}` : alertDetail(a.text))

export function PatientBanner({ header: h, actions, titleOrder = 2 }: { header: ChartHeader; actions?: ReactNode; titleOrder?: 2 | 3 }) {
  const allergyAlerts = h.alerts.filter((a) => a.kind === 'cementAllergy' || a.kind === 'contrastAllergy')
  const drugAlerts = h.alerts.filter((a) => a.kind === 'anticoagulant' || a.kind === 'antiplatelet')
  const bd = h.latestBoneDensity
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Patient summary">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={titleOrder}>
              {h.lastName}, {h.firstName}
            </Title>
            <Group gap="xs" mt={4}>
              <Text fw={600}>{h.age} y</Text>
              <Text>·</Text>
              <Text>{SEX_LABELS[h.sex]}</Text>
              <Text>·</Text>
              <Badge size="lg" variant="light">
                MRN {h.mrn}
              </Badge>
              <Text size="sm" c="gray.8">
                born {formatDate(h.dateOfBirth)}
              </Text>
              {languageLine(h) && (
                <Badge size="lg" variant={h.interpreterNeeded ? 'filled' : 'light'} color={h.interpreterNeeded ? 'grape' : 'gray'}>
                  {languageLine(h)}
                </Badge>
              )}
            </Group>
          </div>
          {actions && <Group gap="xs">{actions}</Group>}
        </Group>
        {h.alerts.length > 0 && (
          <Group gap="xs" align="stretch" role="list" aria-label="Alerts">
            {[...allergyAlerts, ...drugAlerts].map((a) => (
              <Alert key={a.kind} role="listitem" color={a.kind.endsWith('Allergy') ? 'red' : 'orange'} variant="outline" p="xs" title={ALERT_TITLES[a.kind]} styles={{ title: { color: 'var(--mantine-color-red-9)' } }}>
                {alertLine(a) && <Text size="sm">{alertLine(a)}</Text>}
              </Alert>
            ))}
          </Group>
        )}
        <Group gap="lg">
          <Text size="sm">
            <Text span fw={600}>
              Allergies:{' '}
            </Text>
            {h.history.allergies || (allergyAlerts.length > 0 ? 'see alerts' : 'none recorded')}
          </Text>
          {drugAlerts.length === 0 && (
            <Text size="sm">
              <Text span fw={600}>
                Anticoagulants / antiplatelets:{' '}
              </Text>
              none recorded
            </Text>
          )}
          <Text size="sm">
            <Text span fw={600}>
              Osteoporosis:{' '}
            </Text>
            {historyAnswer(h.history.osteoporosis, h.fromNotes.osteoporosis)}
          </Text>
          <Text size="sm">
            <Text span fw={600}>
              Latest bone density:{' '}
            </Text>
            {bd ? `T-score ${bd.tScore} on ${formatDate(bd.date)} (${bd.source})` : 'none on record'}
          </Text>
          <Text size="sm">
            <Text span fw={600}>
              Steroids:{' '}
            </Text>
            {historyAnswer(h.history.steroidUse, h.fromNotes.steroidUse)}
          </Text>
          {h.history.asaClass !== null && (
            <Text size="sm">
              <Text span fw={600}>
                ASA:{' '}
              </Text>
              {h.history.asaClass}
            </Text>
          )}
        </Group>
      </Stack>
    </Paper>
  )
}
