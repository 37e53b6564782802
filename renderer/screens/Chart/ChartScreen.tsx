/** The patient chart: the header, the spine diagram with the findings of the vertebra opened, and the timeline. */
import { Anchor, Badge, Button, Grid, Loader, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { CANDIDACY_LABELS } from '../../../shared/clinical/contraindications'
import { GENANT_LABELS, type GenantGrade } from '../../../shared/clinical/genant'
import type { VertebralLevel } from '../../../shared/clinical/levels'
import type { ChartView, SpineLevel, TimelineItem } from '../../../shared/schemas/chart'
import { MODALITY_LABELS } from '../../../shared/schemas/consultations'
import { PROCEDURE_KIND_LABELS } from '../../../shared/schemas/procedures'
import { SIGNED_RECORD_STATUS_LABELS } from '../../../shared/schemas/signing'
import { ErrorPanel } from '../../components/ErrorPanel'
import { PatientBanner } from '../../components/PatientBanner'
import { SpineDiagram } from '../../components/SpineDiagram'
import { useClinicClock } from '../../clinicClock'
import { formatDate } from '../../format'
import { matchRoute, navigate, useRoute } from '../../routing'
import { useCan, useChannel } from '../../data'
import { useChart } from '../../hooks'
import { newConsultationPath, newProcedurePath } from '../../paths'
import { ClinicalHistoryForm } from './ClinicalHistoryForm'
import { FollowUpVisitsPanel } from './FollowUpVisitsPanel'
import { OutcomesPanel } from './OutcomesPanel'

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
            <Grid>
              <Grid.Col span="content">
                <SpineDiagram levels={c.spine} selected={level} onSelect={(l) => setLevel(l === level ? null : l)} />
              </Grid.Col>
              <Grid.Col span="auto">
                <Text size="sm" c="gray.8">
                  {c.spine.some((s) => s.findingCount > 0) ? 'Open a vertebra to see its findings.' : 'No imaging findings recorded yet.'}
                </Text>
                {c.lastDecision && (
                  <Text size="sm" mt="xs">
                    Last signed decision: <b>{CANDIDACY_LABELS[c.lastDecision]}</b>
                  </Text>
                )}
              </Grid.Col>
            </Grid>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack>
            {opened && <LevelFindings level={opened} onClose={() => setLevel(null)} />}
            <Procedures patientId={patientId} />
            <OutcomesPanel patientId={patientId} />
            <FollowUpVisitsPanel patientId={patientId} canRecord={physician} />
            <Timeline items={c.timeline} />
          </Stack>
        </Grid.Col>
      </Grid>
      <Modal opened={editingHistory} onClose={() => setEditingHistory(false)} title="Clinical history" size="lg">
        {editingHistory && <ClinicalHistoryForm header={c.header} onDone={() => setEditingHistory(false)} />}
      </Modal>
    </Stack>
  )
}

function LevelFindings({ level: l, onClose }: { level: SpineLevel; onClose: () => void }) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="level-title">
      <Stack gap="xs">
        <Title order={3} id="level-title">
          Findings at {l.level}
          {l.proposed ? ' · proposed for a procedure' : ''}
          {l.treated ? ' · treated' : ''}
        </Title>
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
                  <Table.Td>{f.heightLossPercent === null ? 'not measured' : `${f.heightLossPercent}% · Genant ${GENANT_LABELS[f.genantGrade as GenantGrade]}`}</Table.Td>
                  <Table.Td>
                    {[f.fractureType, f.retropulsion && 'retropulsion', f.canalCompromise && 'canal compromise', f.notes].filter(Boolean).join('; ') || '—'}
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

/** The patient's procedure notes (the timeline does not list them yet), each opening its procedure day. */
function Procedures({ patientId }: { patientId: number }) {
  const list = useChannel('procedures.listForPatient', { patientId })
  if (!list.data || list.data.length === 0) return null
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="procedures-title">
      <Title order={3} id="procedures-title" mb="xs">
        Procedures
      </Title>
      <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {list.data.map((p) => (
          <li key={p.id}>
            <Anchor href={`#/procedures/${p.id}`} td={p.status === 'enteredInError' ? 'line-through' : undefined}>
              {formatDate(p.procedureDate)} · {PROCEDURE_KIND_LABELS[p.kind]} {p.levels.join(', ')} · {p.providerName}
            </Anchor>{' '}
            <Badge size="sm" color={p.status === 'signed' ? 'teal.9' : p.status === 'draft' ? 'violet.9' : 'red.9'}>
              {SIGNED_RECORD_STATUS_LABELS[p.status]}
            </Badge>
          </li>
        ))}
      </Stack>
    </Paper>
  )
}

const KIND_LABELS: Record<TimelineItem['kind'], string> = {
  consultation: 'Consultation',
  conservativeCare: 'Conservative care',
  reassessment: 'Reassessment',
  procedureRequest: 'Procedure request',
  addendum: 'Addendum',
  procedure: 'Procedure',
  recovery: 'Recovery',
  followUp: 'Follow-up',
  document: 'Document',
}

function statusColor(item: TimelineItem): string {
  if (item.enteredInError) return 'red.9'
  if (item.status === 'Signed') return 'teal.9'
  if (item.status.startsWith('Draft')) return 'violet.9'
  return 'gray.8'
}

function Timeline({ items }: { items: ChartView['timeline'] }) {
  const clock = useClinicClock()
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="timeline-title">
      <Title order={3} id="timeline-title" mb="xs">
        Timeline
      </Title>
      {items.length === 0 ? (
        <Text size="sm">Nothing recorded yet.</Text>
      ) : (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Timeline, newest first">
          {items.map((it, i) => (
            <li key={`${it.kind}-${it.ref.type}-${it.ref.id}-${i}`}>
              <Stack gap={2} style={{ borderLeft: '3px solid var(--mantine-color-gray-4)', paddingLeft: 10 }}>
                <Text size="sm" c="gray.8">
                  {formatDate(it.date)} · {KIND_LABELS[it.kind]}
                </Text>
                <Text fw={600} td={it.enteredInError ? 'line-through' : undefined}>
                  {it.consultationId ? <Anchor href={`#/consultations/${it.consultationId}`}>{it.title}</Anchor> : it.title}{' '}
                  <Badge size="sm" color={statusColor(it)} ml={4}>
                    {it.enteredInError ? 'Entered in error' : it.status}
                  </Badge>
                </Text>
                {it.detail && (
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {it.detail}
                  </Text>
                )}
                <Text size="xs" c="gray.8">
                  recorded {clock.dateTime(it.at)}
                </Text>
              </Stack>
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  )
}
