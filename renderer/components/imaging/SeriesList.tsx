/**
 * A study's series in the viewer, each a button with its thumbnail (the series' middle image, seriesThumbnails.ts),
 * its modality and description, its number and how many images it has. Tab reaches each, Enter or Space shows it.
 * A thumbnail is asked for only once its button is on the screen; an image that cannot be drawn gets a labelled
 * placeholder instead.
 */
import { Box, Group, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import type { StudyView } from '../../../shared/schemas/imaging'
import { representativeIndex, thumbnailOf, type Thumbnail } from './seriesThumbnails'

type Series = StudyView['seriesList'][number]

const SHOWN_PX = 64
export const imagesCount = (n: number) => (n === 1 ? '1 image' : `${n} images`)

export function SeriesList({ study, selected, onSelect, compact }: { study: StudyView; selected: number; onSelect: (index: number) => void; compact?: boolean }) {
  const List = compact ? Group : Stack
  return (
    <ScrollArea w={compact ? '100%' : 240} h={compact ? SHOWN_PX + 30 : '75vh'} type="auto">
      <List gap={4} wrap="nowrap" role="list" aria-label={`Series of ${study.description || 'the study'}`}>
        {study.seriesList.map((x, i) => (
          <Box role="listitem" key={x.id}>
            <SeriesButton series={x} active={i === selected} onClick={() => onSelect(i)} compact={compact} />
          </Box>
        ))}
      </List>
    </ScrollArea>
  )
}

function SeriesButton({ series: x, active, onClick, compact }: { series: Series; active: boolean; onClick: () => void; compact?: boolean }) {
  const [thumbnail, setThumbnail] = useState<Thumbnail | null>(null)
  const title = `${x.modality || 'Unknown'} ${x.description || 'No description'}`
  const detail = `Series ${x.seriesNumber ?? '?'} · ${imagesCount(x.instances.length)}`
  const missing = x.instances.length === 0 ? ', no images' : thumbnail && 'problem' in thumbnail ? ', no preview (its image could not be drawn)' : ''
  return (
    <UnstyledButton
      onClick={onClick}
      aria-pressed={active}
      aria-label={`${title}, ${detail.replace(' · ', ', ')}${missing}`}
      data-testid="series-button"
      p={4}
      w={compact ? 230 : '100%'}
      style={{ borderRadius: 4, background: active ? 'var(--mantine-color-blue-light)' : undefined, outlineOffset: 1 }}
    >
      <Group gap="xs" wrap="nowrap" align="center">
        <SeriesThumbnail instanceId={x.instances[representativeIndex(x.instances.length)]?.id ?? null} thumbnail={thumbnail} onThumbnail={setThumbnail} />
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={active ? 700 : 500} truncate>
            {title}
          </Text>
          <Text size="xs" c="gray.8">
            {detail}
          </Text>
        </Stack>
      </Group>
    </UnstyledButton>
  )
}

function SeriesThumbnail({ instanceId, thumbnail, onThumbnail }: { instanceId: number | null; thumbnail: Thumbnail | null; onThumbnail: (t: Thumbnail) => void }) {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el || instanceId === null) return
    let live = true
    // asked for once on the screen (the list scrolls): a study of many series makes only those looked at
    const seen = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return
      seen.disconnect()
      void thumbnailOf(instanceId).then((t) => live && onThumbnail(t))
    })
    seen.observe(el)
    return () => {
      live = false
      seen.disconnect()
    }
  }, [instanceId, onThumbnail])
  const placeholder = instanceId === null ? 'No images' : thumbnail && 'problem' in thumbnail ? 'No preview' : null
  return (
    <Box
      ref={box}
      w={SHOWN_PX}
      h={SHOWN_PX}
      style={{ flex: 'none', background: '#000', borderRadius: 2, display: 'flex', alignItems: 'center', justifyContent: 'center', overflow: 'hidden' }}
      title={thumbnail && 'problem' in thumbnail ? `No preview: this image could not be drawn (${thumbnail.problem})` : undefined}
    >
      {thumbnail && 'url' in thumbnail && <img src={thumbnail.url} alt="" width={SHOWN_PX} height={SHOWN_PX} data-testid="series-thumbnail" />}
      {placeholder && (
        <Text size="xs" c="white" ta="center" data-testid="series-thumbnail-missing">
          {placeholder}
        </Text>
      )}
    </Box>
  )
}
