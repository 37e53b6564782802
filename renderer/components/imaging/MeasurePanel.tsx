/**
 * Vertebral morphometry on the displayed image (issue 20 point 3): the physician clicks the six standard points in
 * order, prompted for each; the heights in mm, the height loss against the reference (named), the shape and the
 * Genant grade show as soon as the six are placed (shared/clinical/morphometry.ts with the image's spacing), and
 * Save puts them into a draft consultation's finding for the chosen level, or a draft procedure note's heights
 * before or after at a treated level (MeasureIntoProcedure.tsx). Only the points are sent: the main
 * process computes every figure again from the stored image's spacing. An image without a calibrated spacing is
 * refused here with the reason, before any point is placed.
 */
import { Alert, Button, NativeSelect, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { GENANT_LABELS } from '../../../shared/clinical/genant'
import { HEIGHT_WALLS } from '../../../shared/clinical/height'
import { VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import {
  DEFORMITY_SHAPE_LABELS,
  HEIGHT_REFERENCE_LABELS,
  measurementSpacing,
  SIX_POINT_LABELS,
  SIX_POINT_NAMES,
  UncalibratedImageError,
  vertebralMorphometry,
  type HeightReference,
  type ImagePoint,
  type Morphometry,
  type SixPoints,
} from '../../../shared/clinical/morphometry'
import type { InstanceView } from '../../../shared/schemas/imaging'
import type { MeasurementView } from '../../../shared/schemas/imagingViewer'
import { api } from '../../api'
import { useCan, useChannel, useSetChannelData, useWrite } from '../../data'
import { formatDate } from '../../format'
import { MeasureIntoProcedure, referenceInput } from './MeasureIntoProcedure'
import { PlacingControls } from './pointPlacing'

/**
 * The adjacent vertebrae's posterior heights as typed ("20.1, 19.8"): one or two heights in mm, or why not.
 * Kept as typed between images, as the reference is the clinic's choice for the whole reading.
 */
export function parseAdjacentHeights(text: string): { heights: number[] } | { problem: string } {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '')
  if (parts.length === 0) return { problem: 'Type the posterior height of one or two adjacent normal vertebrae, in mm.' }
  if (parts.length > 2) return { problem: 'At most two adjacent vertebrae (the one above and the one below).' }
  const heights = parts.map(Number)
  if (heights.some((h) => !Number.isFinite(h) || h <= 0 || h > 200)) return { problem: 'Each height must be a number of mm above 0 (at most 200).' }
  return { heights }
}

function asSixPoints(points: ImagePoint[]): SixPoints | null {
  if (points.length !== 6) return null
  return Object.fromEntries(SIX_POINT_NAMES.map((n, i) => [n, points[i]])) as unknown as SixPoints
}

export function MeasurePanel(props: {
  instance: InstanceView
  patientId: number
  measuring: boolean
  onMeasuring: (on: boolean) => void
  points: ImagePoint[]
  onPoints: (p: ImagePoint[]) => void
  /** the points are a saved measurement's, shown again: nothing to save until they change */
  showingSaved: boolean
}) {
  const { instance, measuring, onMeasuring, points, onPoints } = props
  const canSave = useCan('imaging.measurements.save')
  const [referenceKind, setReferenceKind] = useState<HeightReference['kind']>('posterior')
  const [adjacentText, setAdjacentText] = useState('')
  const calibrated = measurementSpacing({ pixelSpacing: instance.pixelSpacing, imagerPixelSpacing: instance.imagerPixelSpacing })
  if (!calibrated) {
    return (
      <PanelFrame>
        <Alert color="yellow" title="This image cannot be measured">
          {new UncalibratedImageError('the file has neither Pixel Spacing nor Imager Pixel Spacing').message}
        </Alert>
      </PanelFrame>
    )
  }
  const six = asSixPoints(points)
  const adjacent = referenceKind === 'adjacent' ? parseAdjacentHeights(adjacentText) : null
  const reference: HeightReference | null = referenceKind === 'posterior' ? { kind: 'posterior' } : adjacent && 'heights' in adjacent ? { kind: 'adjacent', posteriorHeightsMm: adjacent.heights } : null
  let figures: Morphometry | null = null
  let problem: string | null = null
  if (six && reference) {
    try {
      figures = vertebralMorphometry(six, calibrated.spacing, reference)
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e)
    }
  }
  const next = SIX_POINT_NAMES[points.length]
  return (
    <PanelFrame>
      {!measuring ? (
        <Button variant="light" onClick={() => onMeasuring(true)}>
          {points.length ? 'Go on measuring' : 'Measure a vertebra'}
        </Button>
      ) : (
        <Text size="sm" fw={600} data-testid="measure-prompt">
          {next ? `Click point ${points.length + 1} of 6: ${SIX_POINT_LABELS[next]}` : 'All six points placed.'}
        </Text>
      )}
      {measuring && <PlacingControls points={points} onPoints={onPoints} onStop={() => onMeasuring(false)} stopLabel="Stop measuring" />}
      <Text size="xs" c="gray.8">
        Spacing {calibrated.spacing.row} × {calibrated.spacing.column} mm
        {calibrated.source === 'detector' ? " at the detector (Imager Pixel Spacing: millimetres read larger than the body by the beam's magnification; the loss and grade are ratios and do not change)" : ' in the patient (Pixel Spacing)'}
      </Text>
      <Radio.Group label="Height loss against" value={referenceKind} onChange={(v) => setReferenceKind(v as HeightReference['kind'])}>
        <Stack gap={4} mt={4}>
          {(['posterior', 'adjacent'] as const).map((kind) => (
            <Radio key={kind} value={kind} label={capitalized(HEIGHT_REFERENCE_LABELS[kind])} />
          ))}
        </Stack>
      </Radio.Group>
      {referenceKind === 'adjacent' && (
        <TextInput
          label="Posterior heights of the adjacent normal vertebrae (mm)"
          description="One or two, e.g. 20.1, 19.8"
          value={adjacentText}
          onChange={(e) => setAdjacentText(e.currentTarget.value)}
          error={adjacentText.trim() !== '' && adjacent && 'problem' in adjacent ? adjacent.problem : undefined}
        />
      )}
      {problem && <Alert color="red">{problem}</Alert>}
      {figures && <Figures figures={figures} />}
      {figures && props.showingSaved && (
        <Text size="sm" c="gray.8" data-testid="measure-saved-shown">
          The saved measurement, as on the note. Start again to measure anew.
        </Text>
      )}
      {figures && six && reference && canSave && !props.showingSaved && <SaveMeasurement instanceId={instance.id} patientId={props.patientId} points={six} reference={reference} />}
    </PanelFrame>
  )
}

function PanelFrame({ children }: { children: ReactNode }) {
  return (
    <Stack w={340} gap="xs" data-testid="measure-panel">
      <Title order={4}>Measure a vertebra</Title>
      {children}
    </Stack>
  )
}

const capitalized = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`

function Figures({ figures: f }: { figures: Morphometry }) {
  return (
    <Stack gap={4} data-testid="measure-result">
      <Table aria-label="Vertebral heights">
        <Table.Tbody>
          {HEIGHT_WALLS.map((w) => (
            <Table.Tr key={w}>
              <Table.Th>{capitalized(w)} height</Table.Th>
              <Table.Td>{f.heightsMm[w].toFixed(1)} mm</Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Th>Height loss</Table.Th>
            <Table.Td>{f.heightLossPercent}%</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="sm">
        Against {HEIGHT_REFERENCE_LABELS[f.reference]} ({f.referenceHeightMm.toFixed(1)} mm)
      </Text>
      <Text size="sm">{DEFORMITY_SHAPE_LABELS[f.shape]}</Text>
      <Text size="sm" fw={700}>
        Genant {GENANT_LABELS[f.grade]}
      </Text>
    </Stack>
  )
}

type SaveProps = { instanceId: number; patientId: number; points: SixPoints; reference: HeightReference }

/** Where the measurement goes: a consultation's finding for a level, or a procedure note's heights before or after. */
function SaveMeasurement(props: SaveProps) {
  const [into, setInto] = useState<'finding' | 'procedure'>('finding')
  return (
    <Stack gap="xs" mt="sm" role="group" aria-label="Save the measurement">
      <Radio.Group label="Save into" value={into} onChange={(v) => setInto(v as typeof into)}>
        <Stack gap={4} mt={4}>
          <Radio value="finding" label="A consultation's finding" />
          <Radio value="procedure" label="A procedure's heights before or after" />
        </Stack>
      </Radio.Group>
      {into === 'finding' ? <SaveIntoFinding {...props} /> : <MeasureIntoProcedure {...props} />}
    </Stack>
  )
}

function SaveIntoFinding({ instanceId, patientId, points, reference }: SaveProps) {
  const notes = useChannel('consultations.listForPatient', { patientId })
  const drafts = (notes.data ?? []).filter((n) => n.status === 'draft')
  const [chosen, setChosen] = useState<string>('')
  const [level, setLevel] = useState<VertebralLevel>('L1')
  const [saved, setSaved] = useState<MeasurementView | null>(null)
  const setChannelData = useSetChannelData()
  const [failed, setFailed] = useState<string | null>(null)
  const save = useWrite('imaging.measurements.save', {
    onSuccess: (m) => {
      // the note as it is now, so that its screen opens with the finding (it keeps what it read otherwise)
      setChannelData('consultations.get', { id: m.consultationId }, m.consultation)
      setSaved(m)
    },
  })
  const consultationId = Number(chosen || drafts[0]?.id || 0)
  if (notes.isSuccess && drafts.length === 0) {
    return <Alert color="blue">To save this measurement, open a consultation for this patient: it goes into the consultation's finding for the level.</Alert>
  }
  const submit = async () => {
    setSaved(null)
    setFailed(null)
    try {
      // the note's version as it is now: the save is refused (conflict) if it changes before the measurement is stored
      const note = await api('consultations.get', { id: consultationId })
      save.mutate({ instanceId, consultationId, version: note.version, level, points, reference: referenceInput(reference) })
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e))
    }
  }
  const visit = drafts.find((d) => d.id === consultationId)
  return (
    <Stack gap="xs">
      <NativeSelect label="Level" value={level} onChange={(e) => setLevel(e.currentTarget.value as VertebralLevel)} data={VERTEBRAL_LEVELS.filter((l) => /^[TL]/.test(l)).map((l) => ({ value: l, label: l }))} />
      <NativeSelect
        label="Into the consultation"
        value={String(consultationId)}
        onChange={(e) => setChosen(e.currentTarget.value)}
        data={drafts.map((d) => ({ value: String(d.id), label: `${formatDate(d.visitDate)} (draft, ${d.providerName})` }))}
      />
      <Button onClick={() => void submit()} loading={save.isPending} disabled={!consultationId}>
        Save into the {level} finding
      </Button>
      {save.isError && <Alert color="red">{save.error.message}</Alert>}
      {failed && <Alert color="red">{failed}</Alert>}
      {saved && (
        <Alert color="green" data-testid="measure-saved">
          Saved into the {saved.level} finding of the consultation of {visit ? formatDate(visit.visitDate) : ''}: height loss {saved.heightLossPercent}%, Genant grade {saved.genantGrade}.
        </Alert>
      )}
    </Stack>
  )
}
