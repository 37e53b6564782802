/**
 * A finding whose height loss was measured on an image (issue 20 points 3 and 4): a small sketch of the six points
 * with the heights, and "Show on the image" to open the viewer on that image with the points placed, so the figure
 * on the note can always be seen where it came from. Nothing when the finding was typed.
 */
import { useCan, useChannel } from '../../data'
import { MeasurementLink } from './MeasurementLink'

export function FindingMeasurement({ patientId, consultationId, level, findingLoss }: { patientId: number; consultationId: number; level: string; findingLoss: number | null }) {
  const canList = useCan('imaging.measurements.forPatient')
  const q = useChannel('imaging.measurements.forPatient', { patientId }, { enabled: canList })
  // newest first: the one the finding's figure came from
  const m = q.data?.measurements.find((x) => x.consultationId === consultationId && x.level === level)
  if (!m) return null
  return (
    <MeasurementLink
      patientId={patientId}
      measurement={m}
      title="Measured on the image"
      changedByHand={findingLoss !== m.heightLossPercent ? `The measurement gave ${m.heightLossPercent}%; the finding was changed by hand since.` : null}
      showLabel={`Show the ${level} measurement on the image`}
      testId={`finding-measurement-${level}`}
    />
  )
}
