/** The patient chart: the header, the spine diagram with the findings of the vertebra opened, and the timeline. */
import { Anchor, Badge, Box, Button, Chip, Grid, Group, Loader, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { documentTimelineItems, filterTimeline, imagingTimelineItems, mergeTimeline, TIMELINE_FILTERS, timelineFilterCounts, type TimelineFilter } from '../../../shared/chartTimeline'
import { CANDIDACY_LABELS } from '../../../shared/clinical/contraindications'
import { GENANT_LABELS, type GenantGrade } from '../../../shared/clinical/genant'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import type { ChartView, SpineFinding, SpineLevel, TimelineItem } from '../../../shared/schemas/chart'
import { examFindingWords, MODALITY_LABELS } from '../../../shared/schemas/consultations'
import { SIGNED_RECORD_STATUS_LABELS } from '../../../shared/schemas/signing'
import { ErrorPanel } from '../../components/ErrorPanel'
import { PatientBanner } from '../../components/PatientBanner'
import { describeTreatment, SpineDiagram } from '../../components/SpineDiagram'
import { useClinicClock } from '../../clinicClock'
import { formatDate } from '../../format'
import { matchRoute, navigate, useRoute } from '../../routing'
import { useCan, useChannel } from '../../data'
import { DocumentsSection, type AttachableRecord } from '../../components/documents/DocumentsSection'
import { useChart } from '../../hooks'
import { newConsultationPath, newProcedurePath } from '../../paths'
import { ClinicalHistoryForm } from './ClinicalHistoryForm'
import { FollowUpVisitsPanel } from './FollowUpVisitsPanel'
import { PatientLetters } from '../../components/letters/PatientLetters'
import { OutcomesPanel } from './OutcomesPanel'
import { FindingMeasurement } from '../../components/imaging/FindingMeasurement'
import { ImagingSection } from '../../components/imaging/ImagingSection'

export default function ChartScreen() {
  const route = useRoute()
  const m = matchRoute('/chart/:id', route)
  if (!m || !/^\d+$/.test(m.id!)) {
    return (
      <Stack>
        <Title order={2}>Chart</Title>
        <Text>Open a patient first: Patients, or Ctrl+K to find one.</Text>
      </Stack>
    )
  }
  return <Chart patientId={Number(m.id)} />
}

function Chart({ patientId }: { patientId: number }) {
  const chart = useChart(patientId)
  const clock = useClinicClock()
  // the chart's documents join its timeline (shared/chartTimeline.ts documentTimelineItems); the section below lists them
  const canSeeDocuments = useCan('documents.forPatient')
  const documents = useChannel('documents.forPatient', { patientId }, { enabled: canSeeDocuments })
  // and its imaging studies (issue 20 point 4); the Imaging section lists them and opens the viewer
  const canSeeStudies = useCan('imaging.studies.forPatient')
  const studies = useChannel('imaging.studies.forPatient', { patientId }, { enabled: canSeeStudies })
  // physicians write: a new note, a procedure, the history, a follow-up visit
  const physician = useCan('consultations.open')
  const [level, setLevel] = useState<VertebralLevel | null>(null)
  const [editingHistory, setEditingHistory] = useState(false)
  if (chart.isPending) return <Loader aria-label="Loading chart" />
  if (chart.isError) return <ErrorPanel error={chart.error} onRetry={() => void chart.refetch()} />
  const c = chart.data
  const opened = level ? c.spine.find((s) => s.level === level) ?? null : null

  return (
    <Stack>
      <Anchor href={`#/patients/${patientId}`} size="sm">
        ← Demographics and contacts
      </Anchor>
      <PatientBanner
        header={c.header}
        actions={
          physician && (
            <>
              <Button autoFocus onClick={() => navigate(newConsultationPath(patientId))}>
                New consultation
              </Button>
              <Button variant="default" onClick={() => navigate(newProcedurePath(patientId))}>
                Procedure
              </Button>
              <Button variant="default" onClick={() => setEditingHistory(true)}>
                Edit clinical history
              </Button>
            </>
          )
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="spine-title">
            <Title order={3} id="spine-title" mb="xs">
              Spine
            </Title>
            {/* the explanation above the diagram: a treated vertebra's mark needs the width beside it */}
            <Text size="sm" c="gray.8">
              {c.spine.some((s) => s.treated)
                ? 'Open a vertebra to see its findings and the procedures there.'
                : c.spine.some((s) => s.findingCount > 0)
                  ? 'Open a vertebra to see its findings.'
                  : 'No imaging findings recorded yet.'}
            </Text>
            {c.lastDecision && (
              <Text size="sm" mt="xs">
                Last signed decision: <b>{CANDIDACY_LABELS[c.lastDecision]}</b>
              </Text>
            )}
            <Box mt="sm">
              <SpineDiagram levels={c.spine} selected={level} onSelect={(l) => setLevel(l === level ? null : l)} />
            </Box>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            {opened && <LevelFindings level={opened} patientId={patientId} onClose={() => setLevel(null)} />}
            <OutcomesPanel patientId={patientId} />
            <FollowUpVisitsPanel patientId={patientId} canRecord={physician} />
            <ImagingSection patientId={patientId} />
            <PatientLetters patientId={patientId} />
            <DocumentsSection patientId={patientId} records={attachableRecords(c.timeline)} />
            <Timeline
              items={mergeTimeline(
                c.timeline,
                documents.data ? documentTimelineItems(documents.data.documents, clock.zone) : [],
                studies.data ? imagingTimelineItems(studies.data.studies, clock.zone) : [],
              )}
            />
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={editingHistory} onClose={() => setEditingHistory(false)} title="Clinical history" size="lg">
        {editingHistory && <ClinicalHistoryForm header={c.header} onDone={() => setEditingHistory(false)} />}
      </Modal>
    </Stack>
  )
}

function LevelFindings({ level: l, patientId, onClose }: { level: SpineLevel; patientId: number; onClose: () => void }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="level-title">
      <Stack gap="xs">
        <Title order={3} id="level-title">
          Findings at {l.level}
          {l.proposed ? ' · proposed for a procedure' : ''}
          {l.treated ? ' · treated' : ''}
        </Title>
        {l.treatments.length > 0 && (
          <Text size="sm" data-testid="level-treatments">
            Treated:{' '}
            {l.treatments.map((t, i) => (
              <span key={t.procedureId}>
                {i > 0 && '; '}
                <Anchor href={`#/procedures/${t.procedureId}`}>{describeTreatment(t)}</Anchor>
              </span>
            ))}
          </Text>
        )}
        {l.findings.length === 0 ? (
          <Text size="sm">No findings at {l.level}.</Text>
        ) : (
          <Table aria-label={`Findings at ${l.level}`} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Imaging</Table.Th>
                <Table.Th>Acuity</Table.Th>
                <Table.Th>Height loss</Table.Th>
                <Table.Th>Other</Table.Th>
                <Table.Th>Note</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {l.findings.map((f, i) => (
                <Table.Tr key={`${f.consultationId}-${i}`}>
                  <Table.Td>
                    {MODALITY_LABELS[f.modality]} {formatDate(f.imagingDate)}
                  </Table.Td>
                  <Table.Td>
                    {f.acuity}
                    {f.marrowOedema === true ? ', marrow oedema' : f.marrowOedema === false ? ', no oedema' : ''}
                  </Table.Td>
                  <Table.Td>
                    {f.heightLossPercent === null ? 'not measured' : `${f.heightLossPercent}% · Genant ${GENANT_LABELS[f.genantGrade as GenantGrade]}`}
                    <FindingMeasurement patientId={patientId} consultationId={f.consultationId} level={l.level} findingLoss={f.heightLossPercent} />
                  </Table.Td>
                  <Table.Td>
                    {/* a tumour first and in bold: it changes the work-up (biopsy) and the plan */}
                    {f.fractureCause === 'tumour' && <b>Tumour{findingOther(f) ? '; ' : ''}</b>}
                    {findingOther(f) || (f.fractureCause === 'tumour' ? '' : '—')}
                  </Table.Td>
                  <Table.Td>
                    <Anchor href={`#/consultations/${f.consultationId}`}>
                      {formatDate(f.visitDate)}, {f.providerName} ({SIGNED_RECORD_STATUS_LABELS[f.noteStatus]})
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Button variant="default" size="xs" onClick={onClose} style={{ alignSelf: 'flex-start' }}>
          Close {l.level}
        </Button>
      </Stack>
    </Paper>
  )
}

const KIND_LABELS: Record<TimelineItem['kind'], string> = {
  consultation: 'Consultation',
  conservativeCare: 'Conservative care',
  reassessment: 'Reassessment',
  procedureRequest: 'Procedure request',
  procedure: 'Procedure',
  recovery: 'Recovery',
  stayDecision: 'Stay decision',
  dischargeSummary: 'Discharge summary',
  followUp: 'Follow-up visit',
  biopsyResult: 'Biopsy result',
  addendum: 'Addendum',
  enteredInError: 'Entered in error',
  document: 'Document',
  imagingStudy: 'Imaging study',
}

/** What an entry's time is (shared/chartTimeline.ts picks it); otherwise when it was recorded. */
const AT_WORDS: Partial<Record<TimelineItem['kind'], string>> = {
  procedure: 'started',
  recovery: 'from',
  stayDecision: 'decided',
  addendum: 'signed',
  enteredInError: 'marked',
  document: 'attached',
  imagingStudy: 'imported',
}

function statusColor(item: TimelineItem): string {
  if (item.enteredInError || item.status === SIGNED_RECORD_STATUS_LABELS.enteredInError) return 'red.9'
  if (item.status === SIGNED_RECORD_STATUS_LABELS.signed) return 'teal.9'
  if (item.status.startsWith('Draft')) return 'violet.9'
  return 'gray.8'
}

/** Where an entry opens: its consultation note, or its procedure day's tab; a follow-up visit is in the panel above. */
function entryHref(it: TimelineItem): string | null {
  // a document opens from the Documents section (its viewer), not from the record it may belong to
  if (it.ref.type === 'document') return null
  // a study opens from the Imaging section (its viewer)
  if (it.ref.type === 'imagingStudy') return null
  if (it.consultationId) return `#/consultations/${it.consultationId}`
  if (!it.procedureId || it.kind === 'followUp' || it.ref.type === 'followUpVisit') return null
  if (it.kind === 'recovery' || it.kind === 'stayDecision') return `#/procedures/${it.procedureId}/recovery`
  if (it.kind === 'dischargeSummary' || it.ref.type === 'dischargeSummary') return `#/procedures/${it.procedureId}/discharge`
  return `#/procedures/${it.procedureId}`
}

/** The chart's consultations and procedures (not entered in error) that a document can be attached to, newest first. */
function attachableRecords(items: ChartView['timeline']): AttachableRecord[] {
  return items
    .filter((i) => (i.kind === 'consultation' || i.kind === 'procedure') && i.ref.type === i.kind && !i.enteredInError)
    .map((i) => ({ type: i.kind as AttachableRecord['type'], id: i.ref.id, label: `${i.title}, ${formatDate(i.date)}` }))
}

function Timeline({ items }: { items: ChartView['timeline'] }) {
  const clock = useClinicClock()
  const [filter, setFilter] = useState<TimelineFilter>('all')
  const shown = filterTimeline(items, filter)
  const counts = timelineFilterCounts(items)
  const chosen = TIMELINE_FILTERS.find((f) => f.key === filter) ?? TIMELINE_FILTERS[0]
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="timeline-title">
      <Title order={3} id="timeline-title" mb="xs">
        Timeline
      </Title>
      {items.length === 0 ? (
        <Text size="sm">Nothing recorded yet.</Text>
      ) : (
        <Stack gap="sm">
          {/* one radio group (one name): Tab reaches the chosen kind, the arrow keys choose another */}
          <Group gap={6} role="radiogroup" aria-label="Show on the timeline">
            <Chip.Group value={filter} onChange={(v) => setFilter(v as TimelineFilter)}>
              {TIMELINE_FILTERS.map((f) => (
                <Chip key={f.key} value={f.key} name="timeline-filter" size="xs" variant="outline">
                  {f.label} ({counts[f.key]})
                </Chip>
              ))}
            </Chip.Group>
          </Group>
          <Text size="xs" c="gray.8" aria-live="polite" data-testid="timeline-showing">
            {filter === 'all' ? `All ${items.length} entries, newest first` : `${chosen.label}: ${shown.length} of ${items.length} entries, newest first`}
          </Text>
          <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Timeline, newest first">
            {shown.map((it, i) => {
              const href = entryHref(it)
              return (
                <li key={`${it.kind}-${it.ref.type}-${it.ref.id}-${i}`} data-kind={it.kind}>
                  <Stack gap={2} style={{ borderLeft: `3px ${it.enteredInError ? 'dashed var(--mantine-color-red-9)' : 'solid var(--mantine-color-gray-4)'}`, paddingLeft: 10 }}>
                    <Text size="sm" c="gray.8">
                      {formatDate(it.date)} · {KIND_LABELS[it.kind]}
                    </Text>
                    <Text fw={600} td={it.enteredInError ? 'line-through' : undefined}>
                      {href ? <Anchor href={href}>{it.title}</Anchor> : it.title}{' '}
                      <Badge size="sm" color={statusColor(it)} ml={4}>
                        {it.enteredInError ? SIGNED_RECORD_STATUS_LABELS.enteredInError : it.status}
                      </Badge>
                    </Text>
                    {it.enteredInError && it.status !== SIGNED_RECORD_STATUS_LABELS.enteredInError && (
                      <Text size="xs" c="red.9">
                        Entered in error with its {it.procedureId ? 'procedure' : 'consultation'} note (was: {it.status})
                      </Text>
                    )}
                    {it.detail && (
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} td={it.enteredInError ? 'line-through' : undefined}>
                        {it.detail}
                      </Text>
                    )}
                    <Text size="xs" c="gray.8">
                      {AT_WORDS[it.kind] ?? 'recorded'} {clock.dateTime(it.at)}
                    </Text>
                  </Stack>
                </li>
              )
            })}
          </Stack>
          {shown.length === 0 && <Text size="sm">Nothing of this kind on the chart.</Text>}
        </Stack>
      )}
    </Paper>
  )
}

/** A finding's other facts in words (its cause unless a tumour, which the table shows first in bold). */
function findingOther(f: SpineFinding): string {
  const cause = f.fractureCause && f.fractureCause !== 'tumour' ? `${f.fractureCause} cause` : ''
  return [cause, f.fractureType, f.retropulsion && 'retropulsion', f.canalCompromise && 'canal compromise', ...examFindingWords(f), f.notes].filter(Boolean).join('; ')
}
