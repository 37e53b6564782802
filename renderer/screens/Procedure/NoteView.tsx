/** A procedure note as read: signed, entered in error, or another physician's draft. No editing controls. */
import { Stack, Table, Text } from '@mantine/core'
import { ANAESTHESIA_LABELS, APPROACH_LABELS, COMPLICATION_LABELS, IMAGING_LABELS, LEAKAGE_LABELS, POSITION_LABELS, PROCEDURE_KIND_LABELS, type ProcedureView } from '../../../shared/schemas/procedures'
import { formatDate } from '../../format'
import { Row, Section } from '../../components/RecordSection'
import { useClinicClock } from '../../clinicClock'
import { BiopsyResults } from './BiopsyResults'
import { ProcedureHeightsMeasurement } from '../../components/imaging/ProcedureHeightsMeasurement'

const n = (v: number | null, unit: string) => (v === null ? '' : `${v} ${unit}`)
/** The angle after (this level) beside the angle before (the consultation's measurement). */
const angles = (before: number | null, after: number | null) =>
  before === null && after === null ? '—' : `before ${before === null ? 'not measured' : `${before}°`}, after ${after === null ? 'not measured' : `${after}°`}`

export function NoteView({ view: v }: { view: ProcedureView }) {
  const clock = useClinicClock()
  const f = v.fields
  return (
    <Stack>
      <Section title="Procedure">
        <Row label="Kind">{PROCEDURE_KIND_LABELS[f.kind]}</Row>
        <Row label="Date">{formatDate(f.procedureDate)}</Row>
        <Row label="Start and end">{f.startedAt ? `${clock.hhmmOf(f.startedAt)} to ${clock.hhmmOf(f.endedAt)}` : ''}</Row>
        <Row label="Sedation or anaesthesia">{f.anaesthesia ? `${ANAESTHESIA_LABELS[f.anaesthesia]}${f.anaesthesiaNote ? `; ${f.anaesthesiaNote}` : ''}` : ''}</Row>
        <Row label="Position">{POSITION_LABELS[f.position]}</Row>
        <Row label="Imaging guidance">{IMAGING_LABELS[f.imagingGuidance]}</Row>
        <Row label="Fluoroscopy">{[n(f.fluoroscopySeconds, 's'), n(f.doseAirKermaMgy, 'mGy air kerma'), n(f.doseDapMgyCm2, 'mGy·cm² DAP')].filter(Boolean).join(' · ')}</Row>
      </Section>
      <Section title="Levels treated">
        <Table striped aria-label="Levels treated">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Level</Table.Th>
              <Table.Th>Approach, needle</Table.Th>
              {f.kind === 'kyphoplasty' && <Table.Th>Balloon</Table.Th>}
              <Table.Th>Cement</Table.Th>
              <Table.Th>Height restoration</Table.Th>
              <Table.Th>Leakage</Table.Th>
              <Table.Th>Kyphotic angle</Table.Th>
              <Table.Th>Lot, devices</Table.Th>
              <Table.Th>Biopsy</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {v.levels.map((l) => (
              <Table.Tr key={l.id}>
                <Table.Td fw={700}>{l.level}</Table.Td>
                <Table.Td>
                  {l.approach ? APPROACH_LABELS[l.approach] : '—'}
                  {l.needleGauge ? `, ${l.needleGauge} G` : ''}
                </Table.Td>
                {f.kind === 'kyphoplasty' && <Table.Td>{[n(l.balloonVolumeMl, 'mL'), n(l.balloonPressurePsi, 'psi')].filter(Boolean).join(', ') || '—'}</Table.Td>}
                <Table.Td>
                  {l.cementType || '—'}
                  {l.cementVolumeMl !== null ? `, ${l.cementVolumeMl} mL` : ''}
                </Table.Td>
                <Table.Td>
                  {l.heightRestoration ? l.heightRestoration.walls.map((w) => `${w.wall} ${w.gainMm >= 0 ? '+' : ''}${w.gainMm} mm`).join(', ') : 'not measured'}
                  <ProcedureHeightsMeasurement patientId={v.patient.id} procedureId={v.id} level={l.level} before={l.heightBefore} after={l.heightAfter} />
                </Table.Td>
                <Table.Td>
                  {l.leakage.map((x) => LEAKAGE_LABELS[x]).join(', ') || 'not recorded'}
                  {l.leakageSymptomatic === true ? ' (symptomatic)' : l.leakageSymptomatic === false ? ' (no symptoms)' : ''}
                </Table.Td>
                <Table.Td>{angles(v.kyphoticAngleBefore, l.kyphoticAngleAfter)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{[l.cementLot && `Cement lot ${l.cementLot}`, l.deviceIds].filter(Boolean).join('\n') || '—'}</Table.Td>
                <Table.Td>{l.biopsyTaken === true ? 'Taken' : l.biopsyTaken === false ? 'No' : 'not recorded'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Row label="Total cement">{`${v.totalCementMl} mL`}</Row>
        <Row label="CPT codes">{v.cpt.summary.map((c) => `${c.code} × ${c.units} (${c.description})`).join('\n')}</Row>
      </Section>
      <BiopsyResults view={v} />
      <Section title="Complications">
        <Row label="During">{[f.intraComplications.map((c) => COMPLICATION_LABELS[c]).join(', ') || 'none', f.intraComplicationsNote].filter(Boolean).join('. ')}</Row>
        <Row label="After">{[f.postComplications.map((c) => COMPLICATION_LABELS[c]).join(', ') || 'none', f.postComplicationsNote].filter(Boolean).join('. ')}</Row>
      </Section>
      <Section title="Narrative">
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {f.narrative || '—'}
        </Text>
      </Section>
      <Section title="Diagnoses (ICD-10-CM)">
        {f.diagnoses.length === 0 ? <Text size="sm">None attached.</Text> : f.diagnoses.map((d) => <Row key={d.code} label={d.code}>{d.description}</Row>)}
      </Section>
    </Stack>
  )
}
