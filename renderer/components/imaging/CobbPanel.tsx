/**
 * The Cobb angle on the displayed image (issue 20 point 3, the second tool): the physician names the two endplates
 * (by default the superior endplate of the vertebra above and the inferior endplate of the vertebra below, the
 * kyphotic angle across a fracture), clicks two points on each, anterior end first, each asked for by name, and the
 * angle between the two lines shows in degrees with the endplates named (cobbAngleDegrees in
 * shared/clinical/morphometry.ts, Cobb 1948). An angle needs no millimetres, so an uncalibrated image can be used;
 * where the image gives its pixel spacing, rows and columns are scaled by their own spacing first, so non-square
 * pixels do not bend the angle. Shown only: the angle is not saved.
 */
import { Alert, Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core'
import { useEffect, useState } from 'react'
import { VERTEBRAL_LEVELS, type VertebralLevel } from '../../../shared/clinical/levels'
import { cobbAngleDegrees, measurementSpacing, type PixelSpacingMm } from '../../../shared/clinical/morphometry'
import type { InstanceView } from '../../../shared/schemas/imaging'
import { PlacingControls, type PointPlacing } from './pointPlacing'

type Endplate = 'superior' | 'inferior'
interface NamedEndplate {
  level: VertebralLevel
  endplate: Endplate
}

/** The Cobb tool's lines on the overlay: point 1 to 2 (upper endplate), 3 to 4 (lower). */
export const COBB_LINES = [
  [0, 1],
  [2, 3],
] as const

const SQUARE: PixelSpacingMm = { row: 1, column: 1 }
const named = (e: NamedEndplate) => `the ${e.endplate} endplate of ${e.level}`

export function CobbPanel({ instance, placing: p }: { instance: InstanceView; placing: PointPlacing }) {
  const [upper, setUpper] = useState<NamedEndplate>({ level: 'T12', endplate: 'superior' })
  const [lower, setLower] = useState<NamedEndplate>({ level: 'L2', endplate: 'inferior' })
  const calibrated = measurementSpacing({ pixelSpacing: instance.pixelSpacing, imagerPixelSpacing: instance.imagerPixelSpacing })
  const spacing = calibrated?.spacing ?? SQUARE
  const prompts = [`Upper endplate (${named(upper)}), anterior end`, `Upper endplate (${named(upper)}), posterior end`, `Lower endplate (${named(lower)}), anterior end`, `Lower endplate (${named(lower)}), posterior end`]
  // the same names read out to the keyboard (pointPlacing.tsx), as the endplates chosen now call them
  const asked = prompts.join('\n')
  const { setNames } = p
  useEffect(() => setNames(asked.split('\n')), [asked, setNames])
  const [a, b, c, d] = p.points
  let angle: number | null = null
  let problem: string | null = null
  if (a && b && c && d) {
    try {
      angle = cobbAngleDegrees({ anterior: a, posterior: b }, { anterior: c, posterior: d }, spacing)
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e)
    }
  }
  const next = prompts[p.points.length]
  return (
    <Stack w={340} gap="xs" data-testid="cobb-panel">
      <Title order={4}>Cobb angle</Title>
      <Text size="sm">The angle between two endplates: two points on each, the anterior end first.</Text>
      <EndplateChoice label="Upper endplate" value={upper} onChange={setUpper} />
      <EndplateChoice label="Lower endplate" value={lower} onChange={setLower} />
      {!p.placing ? (
        <Button variant="light" onClick={() => p.setPlacing(true)}>
          {p.points.length ? 'Go on placing points' : 'Place the four points'}
        </Button>
      ) : (
        <Text size="sm" fw={600} data-testid="cobb-prompt">
          {next ? `Click point ${p.points.length + 1} of 4: ${next}` : 'All four points placed.'}
        </Text>
      )}
      {p.placing && <PlacingControls points={p.points} onPoints={p.setPoints} onStop={() => p.setPlacing(false)} />}
      <Text size="xs" c="gray.8">
        {!calibrated
          ? 'The image gives no pixel spacing: its pixels are taken as square.'
          : spacing.row === spacing.column
            ? `Square pixels (${spacing.row} mm).`
            : `Pixels of ${spacing.row} mm between rows and ${spacing.column} mm between columns: each direction is scaled by its own spacing.`}
      </Text>
      {problem && <Alert color="red">{problem}</Alert>}
      {angle !== null && (
        <Stack gap={2} data-testid="cobb-result" role="status">
          <Text size="lg" fw={700}>
            Cobb angle {angle.toFixed(1)}°
          </Text>
          <Text size="sm">
            Between {named(upper)} and {named(lower)}.
          </Text>
          <Text size="xs" c="gray.8">
            Shown only: the angle is not saved.
          </Text>
        </Stack>
      )}
    </Stack>
  )
}

function EndplateChoice({ label, value, onChange }: { label: string; value: NamedEndplate; onChange: (v: NamedEndplate) => void }) {
  return (
    <Group gap="xs" role="group" aria-label={label} wrap="nowrap">
      <NativeSelect
        size="xs"
        label={`${label}: vertebra`}
        value={value.level}
        onChange={(e) => onChange({ ...value, level: e.currentTarget.value as VertebralLevel })}
        data={VERTEBRAL_LEVELS.map((l) => ({ value: l, label: l }))}
      />
      <NativeSelect
        size="xs"
        label={`${label}: which`}
        value={value.endplate}
        onChange={(e) => onChange({ ...value, endplate: e.currentTarget.value as Endplate })}
        data={[
          { value: 'superior', label: 'Superior endplate' },
          { value: 'inferior', label: 'Inferior endplate' },
        ]}
      />
    </Group>
  )
}
