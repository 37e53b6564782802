/**
 * What a figure measured on an image shows on the record it went into (issue 20 points 3 and 4): the measured
 * image cropped around the vertebra with the six points (MeasuredImagePreview; a sketch of the points until it is
 * drawn or when it cannot be), the heights, who measured and when, a warning when the record's figure was changed
 * by hand since, and "Show on the image", which opens the viewer on that image with the points placed. A
 * consultation's finding (FindingMeasurement.tsx) and a procedure's heights (ProcedureHeightsMeasurement.tsx) show it
 * alike.
 */
import { Button, Group, Stack, Text } from '@mantine/core'
import { lazy, Suspense, useState } from 'react'
import { SIX_POINT_NAMES } from '../../../shared/clinical/morphometry'
import type { MeasurementSummary } from '../../../shared/schemas/imagingViewer'
import { useCan } from '../../data'
import { formatInstant } from '../../format'
import { MeasuredImagePreview } from './MeasuredImagePreview'

const StudyViewer = lazy(() => import('./StudyViewer'))

export function MeasurementLink(props: {
  patientId: number
  measurement: MeasurementSummary
  /** what the heights line begins with, e.g. "Measured on the image" */
  title: string
  /** the sentence saying the record's figure was changed by hand since, or null when it is still the measured one */
  changedByHand: string | null
  /** the button's accessible name, e.g. "Show the L1 measurement on the image" */
  showLabel: string
  testId: string
}) {
  const { patientId, measurement: m } = props
  const canView = useCan('imaging.studies.open')
  const [open, setOpen] = useState(false)
  const h = m.heightsMm
  return (
    <Group gap="xs" wrap="nowrap" mt={4} data-testid={props.testId}>
      <MeasuredImagePreview patientId={patientId} measurement={m} fallback={<PointsSketch measurement={m} />} />
      <Stack gap={0}>
        <Text size="xs">
          {props.title}: anterior {h.anterior.toFixed(1)}, middle {h.middle.toFixed(1)}, posterior {h.posterior.toFixed(1)} mm
        </Text>
        <Text size="xs" c="gray.8">
          by {m.measuredBy}, {formatInstant(m.measuredAt)}
        </Text>
        {props.changedByHand && (
          <Text size="xs" c="orange.9">
            {props.changedByHand}
          </Text>
        )}
        {canView && (
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} aria-label={props.showLabel} style={{ alignSelf: 'flex-start' }}>
            Show on the image
          </Button>
        )}
      </Stack>
      {open && (
        <Suspense fallback={<Text size="xs">Opening the viewer…</Text>}>
          <StudyViewer studyId={m.studyId} patientId={patientId} onClose={() => setOpen(false)} focus={{ instanceId: m.instanceId, points: SIX_POINT_NAMES.map((n) => m.points[n]) }} />
        </Suspense>
      )}
    </Group>
  )
}

/** The vertebral body as its six points outline it (superior endplate, then inferior), scaled into 44 px. */
function PointsSketch({ measurement: m }: { measurement: MeasurementSummary }) {
  const p = m.points
  // in millimetres, so that non-square pixels do not distort the shape
  const mm = (pt: { x: number; y: number }) => ({ x: pt.x * m.spacing.column, y: pt.y * m.spacing.row })
  const outline = [p.superiorAnterior, p.superiorMiddle, p.superiorPosterior, p.inferiorPosterior, p.inferiorMiddle, p.inferiorAnterior].map(mm)
  const xs = outline.map((o) => o.x)
  const ys = outline.map((o) => o.y)
  const minX = Math.min(...xs)
  const minY = Math.min(...ys)
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY, 1e-6)
  const at = (o: { x: number; y: number }) => `${4 + ((o.x - minX) / span) * 36},${4 + ((o.y - minY) / span) * 36}`
  return (
    <svg width={44} height={44} role="img" aria-label={`Outline of the measured vertebra: ${m.heightLossPercent}% height loss`} style={{ background: 'var(--mantine-color-gray-1)', borderRadius: 4, flex: 'none' }}>
      <polygon points={outline.map(at).join(' ')} fill="none" stroke="var(--mantine-color-blue-9)" strokeWidth={1.5} />
    </svg>
  )
}
