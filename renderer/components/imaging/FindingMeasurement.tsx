/**
 * A finding whose height loss was measured on an image (issue 20 points 3 and 4): a small sketch of the six points
 * with the heights, and "Show on the image" to open the viewer on that image with the points placed, so the figure
 * on the note can always be seen where it came from. Nothing when the finding was typed.
 */
import { Button, Group, Stack, Text } from '@mantine/core'
import { lazy, Suspense, useState } from 'react'
import { SIX_POINT_NAMES } from '../../../shared/clinical/morphometry'
import type { MeasurementSummary } from '../../../shared/schemas/imagingViewer'
import { useCan, useChannel } from '../../data'
import { formatInstant } from '../../format'

const StudyViewer = lazy(() => import('./StudyViewer'))

export function FindingMeasurement({ patientId, consultationId, level, findingLoss }: { patientId: number; consultationId: number; level: string; findingLoss: number | null }) {
  const canList = useCan('imaging.measurements.forPatient')
  const canView = useCan('imaging.studies.open')
  const q = useChannel('imaging.measurements.forPatient', { patientId }, { enabled: canList })
  const [open, setOpen] = useState(false)
  // newest first: the one the finding's figure came from
  const m = q.data?.measurements.find((x) => x.consultationId === consultationId && x.level === level)
  if (!m) return null
  const h = m.heightsMm
  return (
    <Group gap="xs" wrap="nowrap" mt={4} data-testid={`finding-measurement-${level}`}>
      <PointsSketch measurement={m} />
      <Stack gap={0}>
        <Text size="xs">
          Measured on the image: anterior {h.anterior.toFixed(1)}, middle {h.middle.toFixed(1)}, posterior {h.posterior.toFixed(1)} mm
        </Text>
        <Text size="xs" c="gray.8">
          by {m.measuredBy}, {formatInstant(m.measuredAt)}
        </Text>
        {findingLoss !== m.heightLossPercent && (
          <Text size="xs" c="orange.9">
            The measurement gave {m.heightLossPercent}%; the finding was changed by hand since.
          </Text>
        )}
        {canView && (
          <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} aria-label={`Show the ${level} measurement on the image`} style={{ alignSelf: 'flex-start' }}>
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
