/**
 * A procedure level's heights before or after that were measured on an image (issue 20 point 3): beside the heights
 * on the note, the measurement they came from (MeasurementLink: the points' sketch, who and when, "Show on the
 * image"), and a warning when the heights on the note are no longer the measured ones (typed over since, in the
 * editor as soon as a wall is changed). Nothing for heights that were typed.
 */
import { Stack } from '@mantine/core'
import type { ProcedureHeights } from '../../../shared/schemas/imagingViewer'
import { useCan, useChannel } from '../../data'
import { memoByValue } from '../stableInputs'
import { MeasurementLink } from './MeasurementLink'

type Walls = { anterior: number | null; middle: number | null; posterior: number | null } | null

const WALLS = ['anterior', 'middle', 'posterior'] as const

/** Redrawn only when its heights change (memoByValue), not at every key typed elsewhere in the level. */
export const ProcedureHeightsMeasurement = memoByValue(function ProcedureHeightsMeasurement({
  patientId,
  procedureId,
  level,
  before,
  after,
}: {
  patientId: number
  procedureId: number
  level: string
  before: Walls
  after: Walls
}) {
  const heights: Record<ProcedureHeights, Walls> = { before, after }
  const canList = useCan('imaging.measurements.forPatient')
  const q = useChannel('imaging.measurements.forPatient', { patientId }, { enabled: canList })
  const all = q.data?.measurements ?? []
  // newest first: the one the note's heights came from
  const shown = (['before', 'after'] as const).flatMap((which) => {
    const m = all.find((x) => x.procedureId === procedureId && x.level === level && x.procedureHeights === which)
    return m ? [{ which, m }] : []
  })
  if (shown.length === 0) return null
  return (
    <Stack gap={0}>
      {shown.map(({ which, m }) => {
        const now = heights[which]
        const same = WALLS.every((w) => now?.[w] === m.heightsMm[w])
        return (
          <MeasurementLink
            key={which}
            patientId={patientId}
            measurement={m}
            title={`Heights ${which}, measured on the image`}
            changedByHand={same ? null : `The heights ${which} on the note are no longer the measured ones: they were changed by hand since.`}
            showLabel={`Show the ${level} heights ${which} on the image`}
            testId={`procedure-measurement-${level}-${which}`}
          />
        )
      })}
    </Stack>
  )
})
