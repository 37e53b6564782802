/**
 * The spine, C1 to S5, as a column of vertebrae. Each vertebra is a button named with what is known about
 * it (findings, grade, proposed, treated with which procedure and when); the look adds colour, a mark and a
 * pattern so that nothing is told by colour alone, and a treated vertebra has its procedure and date written
 * beside it, so that a new fracture next to cemented levels shows at a glance. Keyboard: Tab reaches the
 * spine once, the arrow keys (and Home / End) move between vertebrae, Enter or Space opens the one in focus.
 */
import { Box, Group, Stack, Text, UnstyledButton } from '@mantine/core'
import { useRef, useState, type CSSProperties, type KeyboardEvent } from 'react'
import { GENANT_LABELS, type GenantGrade } from '../../shared/clinical/genant'
import { VERTEBRAL_LEVELS, type SpineRegion, type VertebralLevel } from '../../shared/clinical/levels'
import type { SpineLevel, SpineTreatment } from '../../shared/schemas/chart'
import { PROCEDURE_KIND_LABELS } from '../../shared/schemas/procedures'
import { formatDate } from '../format'

const REGION_LABELS: Record<SpineRegion, string> = { cervical: 'Cervical', thoracic: 'Thoracic', lumbar: 'Lumbar', sacral: 'Sacral' }
const WIDTH: Record<SpineRegion, number> = { cervical: 56, thoracic: 72, lumbar: 92, sacral: 64 }
/** The column the vertebrae are centred in (the widest); a treated vertebra's mark is written to its right. */
const COLUMN = Math.max(...Object.values(WIDTH))

/** The words a screen reader says for a vertebra, and the tooltip. */
export function describeLevel(l: SpineLevel): string {
  const parts: string[] = [l.level]
  if (l.findingCount === 0) parts.push('no findings')
  else {
    parts.push(`${l.findingCount} finding${l.findingCount === 1 ? '' : 's'}`)
    if (l.latest) {
      const grade = l.latest.genantGrade === null ? 'height loss not measured' : `Genant ${GENANT_LABELS[l.latest.genantGrade as GenantGrade]}`
      parts.push(`latest ${l.latest.acuity}, ${grade}${l.latest.fractureCause === 'tumour' ? ', caused by a tumour' : ''}`)
    }
  }
  if (l.proposed) parts.push('proposed for a procedure')
  if (l.treated) parts.push(`treated, ${l.treatments.map(describeTreatment).join(', and ')}`)
  return parts.join(', ')
}

/** 'kyphoplasty, 2026-11-03' (and '(note not signed)' while the procedure note is a draft). */
export function describeTreatment(t: SpineTreatment): string {
  return `${PROCEDURE_KIND_LABELS[t.kind].toLowerCase()}, ${t.date}${t.noteStatus === 'draft' ? ' (note not signed)' : ''}`
}

/** The words written beside a treated vertebra: the latest procedure there, and how many before it. */
function treatedMark(l: SpineLevel): string {
  const [latest, ...earlier] = l.treatments
  if (!latest) return ''
  return `✓ ${PROCEDURE_KIND_LABELS[latest.kind]} ${formatDate(latest.date)}${latest.noteStatus === 'draft' ? ' (draft)' : ''}${earlier.length ? ` +${earlier.length} earlier` : ''}`
}

function look(l: SpineLevel, selected: boolean) {
  const finding = l.findingCount > 0
  return {
    background: l.treated ? 'var(--mantine-color-teal-1)' : finding ? 'var(--mantine-color-orange-1)' : 'var(--mantine-color-gray-0)',
    border: `${l.proposed ? 3 : 1}px ${l.proposed ? 'dashed' : 'solid'} ${l.proposed ? 'var(--mantine-color-indigo-8)' : finding ? 'var(--mantine-color-orange-9)' : 'var(--mantine-color-gray-6)'}`,
    outline: selected ? '3px solid var(--mantine-color-indigo-8)' : undefined,
    outlineOffset: 2,
  }
}

export function SpineDiagram({ levels, selected, onSelect }: { levels: SpineLevel[]; selected: VertebralLevel | null; onSelect: (level: VertebralLevel) => void }) {
  const byLevel = new Map(levels.map((l) => [l.level, l]))
  const ordered = VERTEBRAL_LEVELS.map((lv) => byLevel.get(lv)).filter((l): l is SpineLevel => l !== undefined)
  const firstWithFinding = ordered.find((l) => l.findingCount > 0)?.level
  const [focusLevel, setFocusLevel] = useState<VertebralLevel>(selected ?? firstWithFinding ?? 'C1')
  const refs = useRef(new Map<VertebralLevel, HTMLButtonElement>())
  const tabStop = selected ?? focusLevel

  function move(e: KeyboardEvent, index: number) {
    const next = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? index + 1 : e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? ordered.length - 1 : null
    if (next === null) return
    e.preventDefault()
    const target = ordered[Math.max(0, Math.min(ordered.length - 1, next))]!
    setFocusLevel(target.level)
    refs.current.get(target.level)?.focus()
  }

  let lastRegion: SpineRegion | null = null
  return (
    <Stack gap={4}>
      <Box role="toolbar" aria-orientation="vertical" aria-label="Spine, C1 to S5: arrow keys move between vertebrae, Enter opens one">
        <Stack gap={2} align="flex-start">
          {ordered.map((l, i) => {
            const heading = l.region !== lastRegion ? REGION_LABELS[l.region] : null
            lastRegion = l.region
            const isSelected = selected === l.level
            return (
              <Box key={l.level} style={{ display: 'contents' }}>
                {heading && (
                  <Text size="xs" fw={700} c="gray.8" mt={i === 0 ? 0 : 4} w={COLUMN} ta="center" aria-hidden>
                    {heading}
                  </Text>
                )}
                <Group gap={6} wrap="nowrap">
                  <Box w={COLUMN} style={{ display: 'flex', justifyContent: 'center', flexShrink: 0 }}>
                    <UnstyledButton
                      ref={(el) => {
                        if (el) refs.current.set(l.level, el)
                        else refs.current.delete(l.level)
                      }}
                      tabIndex={l.level === tabStop ? 0 : -1}
                      aria-label={describeLevel(l)}
                      aria-pressed={isSelected}
                      title={describeLevel(l)}
                      data-level={l.level}
                      onClick={() => {
                        setFocusLevel(l.level)
                        onSelect(l.level)
                      }}
                      onFocus={() => setFocusLevel(l.level)}
                      onKeyDown={(e) => move(e, i)}
                      style={{ ...look(l, isSelected), width: WIDTH[l.region], height: 22, borderRadius: 6, display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 4 }}
                    >
                      <Text size="xs" fw={l.findingCount > 0 ? 700 : 400} c="dark.9" aria-hidden>
                        {l.level}
                        {l.findingCount > 0 ? ` ●${l.latest?.genantGrade ?? ''}` : ''}
                        {l.treated ? ' ✓' : ''}
                      </Text>
                    </UnstyledButton>
                  </Box>
                  {l.treated && (
                    // for the eye; the vertebra's own name (describeLevel) says the same to a screen reader
                    <Text size="xs" c="dark.9" data-testid={`treated-${l.level}`} aria-hidden style={{ whiteSpace: 'nowrap' }}>
                      {treatedMark(l)}
                    </Text>
                  )}
                </Group>
              </Box>
            )
          })}
        </Stack>
      </Box>
      <SpineLegend />
    </Stack>
  )
}

function SpineLegend() {
  const swatch = (style: CSSProperties) => <Box w={18} h={12} style={{ borderRadius: 3, ...style }} aria-hidden />
  return (
    <Stack gap={2} mt="xs" aria-label="Legend">
      <Group gap={6} wrap="nowrap">
        {swatch({ background: 'var(--mantine-color-orange-1)', border: '1px solid var(--mantine-color-orange-9)' })}
        <Text size="xs">Finding (● and its Genant grade)</Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        {swatch({ background: 'var(--mantine-color-gray-0)', border: '3px dashed var(--mantine-color-indigo-8)' })}
        <Text size="xs">Proposed for a procedure</Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        {swatch({ background: 'var(--mantine-color-teal-1)', border: '1px solid var(--mantine-color-gray-6)' })}
        <Text size="xs">Treated (✓, with the procedure and its date)</Text>
      </Group>
    </Stack>
  )
}
