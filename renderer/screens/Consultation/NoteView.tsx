/** A note as read: signed, entered in error, or another physician's draft. No editing controls. */
import { Grid, Stack, Table, Text } from '@mantine/core'
import type { ReactNode } from 'react'
import { CANDIDACY_LABELS, CONTRAINDICATION_LABELS } from '../../../shared/clinical/contraindications'
import { GENANT_LABELS, type GenantGrade } from '../../../shared/clinical/genant'
import { describeOdi, ODI_SECTIONS } from '../../../shared/clinical/scores'
import {
  FRACTURE_CAUSE_LABELS,
  MODALITY_LABELS,
  NEURO_EXAM_LABELS,
  OSTEOPOROSIS_TREATMENT_LABELS,
  examFindingWords,
  type ConsultationView,
} from '../../../shared/schemas/consultations'
import { useClinicClock } from '../../clinicClock'
import { formatDate } from '../../format'
import { CoveragePanel } from './CoveragePanel'
import { Row as RecordRow, Section } from '../../components/RecordSection'

const yn = (v: boolean | null) => (v === null ? 'not known' : v ? 'yes' : 'no')

const Row = (props: { label: string; children: ReactNode }) => <RecordRow labelWidth={190} {...props} />

export function NoteView({ view: v }: { view: ConsultationView }) {
  const f = v.fields
  const plan = v.carePlan
  const d = v.decision
  const clock = useClinicClock()
  return (
    <Stack>
      <Section title="Visit">
        <Row label="Visit date">{formatDate(f.visitDate)}</Row>
        <Row label="Chief complaint">{f.chiefComplaint}</Row>
        <Row label="Pain onset">{f.onsetDate ? formatDate(f.onsetDate) : ''}</Row>
        <Row label="Mechanism">{f.mechanism}</Row>
        <Row label="Trauma">{yn(f.trauma)}</Row>
        <Row label="Hospitalised">{f.hospitalized ? 'yes' : 'no'}</Row>
      </Section>
      <Section title="History and medications">
        <Row label="History">{f.history}</Row>
        <Row label="Medications">{f.medications}</Row>
      </Section>
      <Section title="Relevant history">
        <Row label="Osteoporosis">{yn(f.osteoporosis)}</Row>
        <Row label="Long-term steroid use">{yn(f.steroidUse)}</Row>
        <Row label="Prior fractures">{f.priorFractures}</Row>
        <Row label="ASA class">{f.asaClass === null ? '' : String(f.asaClass)}</Row>
        <Row label="T-score">{f.tScore === null ? '' : `${f.tScore} on ${formatDate(f.tScoreDate!)}`}</Row>
        <Row label="Bone density referral">{f.boneDensityReferred ? 'referred' : 'no'}</Row>
        <Row label="Osteoporosis education">{f.osteoporosisEducation ? 'referred' : 'no'}</Row>
        <Row label="MRI contraindicated">{f.mriContraindicated ? 'yes' : 'no'}</Row>
        <Row label="Osteoporosis treatment">{f.osteoporosisTreatment ? OSTEOPOROSIS_TREATMENT_LABELS[f.osteoporosisTreatment] : 'not recorded'}</Row>
        <Row label="Fracture liaison referral">{f.flsReferred && f.flsReferralDate ? `referred on ${formatDate(f.flsReferralDate)}` : 'no'}</Row>
      </Section>
      <Section title="Pain and function">
        <Row label="Pain now">{f.painNrs === null ? '' : `${f.painNrs} / 10`}</Row>
        <Row label="Pain trend">{f.painTrend ?? 'not recorded'}</Row>
        <Row label="Kyphotic angle (before treatment)">{f.kyphoticAngle === null ? 'not recorded' : `${f.kyphoticAngle}°`}</Row>
        <Row label="ODI">{v.odi ? describeOdi(v.odi).replace(/^ODI:? /, '') : 'not recorded'}</Row>
        {f.odiAnswers && (
          <Text size="sm" c="gray.8">
            {ODI_SECTIONS.map((s, i) => `${s} ${f.odiAnswers![i] ?? '–'}`).join(' · ')}
          </Text>
        )}
        <Row label="Roland-Morris">{v.rmdqScore === null ? 'not recorded' : `${v.rmdqScore} / 24`}</Row>
      </Section>
      <Section title="Examination and assessment">
        <Row label="Examination">{f.examination}</Row>
        <Row label="Leg neurology (baseline)">{[f.neuroExam ? NEURO_EXAM_LABELS[f.neuroExam] : 'not recorded', f.neuroExamDetails].filter(Boolean).join(': ')}</Row>
        <Row label="Assessment">{f.assessment}</Row>
        <Row label="Plan">{f.plan}</Row>
      </Section>
      <Section title="Imaging findings">
        {v.findings.length === 0 ? (
          <Text size="sm">No findings recorded.</Text>
        ) : (
          <Table striped aria-label="Imaging findings">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Level</Table.Th>
                <Table.Th>Imaging</Table.Th>
                <Table.Th>Acuity</Table.Th>
                <Table.Th>Cause</Table.Th>
                <Table.Th>Height loss</Table.Th>
                <Table.Th>Other</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {v.findings.map((x) => (
                <Table.Tr key={x.id}>
                  <Table.Td fw={700}>{x.level}</Table.Td>
                  <Table.Td>
                    {MODALITY_LABELS[x.modality]} {formatDate(x.imagingDate)}
                  </Table.Td>
                  <Table.Td>
                    {x.acuity}
                    {x.marrowOedema === true ? ', marrow oedema' : x.marrowOedema === false ? ', no oedema' : ''}
                  </Table.Td>
                  <Table.Td fw={x.fractureCause === 'tumour' ? 700 : undefined}>{x.fractureCause ? FRACTURE_CAUSE_LABELS[x.fractureCause] : 'not recorded'}</Table.Td>
                  <Table.Td>{x.heightLossPercent === null ? 'not measured' : `${x.heightLossPercent}% · Genant ${GENANT_LABELS[x.genantGrade as GenantGrade]}`}</Table.Td>
                  <Table.Td>{[x.fractureType, x.retropulsion && 'retropulsion', x.canalCompromise && 'canal compromise', ...examFindingWords(x), x.notes].filter(Boolean).join('; ') || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Section>
      <Section title="Conservative care">
        {plan ? (
          <>
            <Row label="Bracing">{plan.bracing}</Row>
            <Row label="Pain medication">{plan.painMedication}</Row>
            <Row label="Other measures">{plan.otherMeasures}</Row>
            <Row label="Started">{formatDate(plan.startDate)}</Row>
            <Row label="Reassessment">{formatDate(plan.reassessmentDate)}</Row>
            <Row label="Outcome">{plan.outcome ? `${plan.outcome}: ${plan.outcomeReason} (${plan.outcomeByName ?? ''})` : 'not reassessed yet'}</Row>
          </>
        ) : (
          <Text size="sm">None prescribed.</Text>
        )}
      </Section>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section title="Candidacy decision">
            <Row label="Decision">{d.decision ? CANDIDACY_LABELS[d.decision] : 'not decided'}</Row>
            {d.levels.length > 0 && <Row label="Levels">{d.levels.join(', ')}</Row>}
            <Row label="Reasons">{d.reason}</Row>
            <Row label="Contraindications">{d.contraindications.map((c) => CONTRAINDICATION_LABELS[c]).join('; ') || 'none ticked'}</Row>
            <Row label="Contraindications reviewed">{v.contraindicationsReview ? `by ${v.contraindicationsReview.byName} at ${clock.dateTime(v.contraindicationsReview.at)}` : 'not recorded'}</Row>
            {d.overrideReason && <Row label="Override reason">{d.overrideReason}</Row>}
            {v.procedureRequest && <Row label="Procedure request">{v.procedureRequest.status}</Row>}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <CoveragePanel coverage={v.coverage} />
        </Grid.Col>
      </Grid>
    </Stack>
  )
}
