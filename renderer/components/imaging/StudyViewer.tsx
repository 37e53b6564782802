/**
 * The imaging viewer (issue 20 point 2), opened from the chart's Imaging section: the patient and the study always
 * named at the top, the study's series on the left, one image at a time drawn by dwv (dwvStage.ts), the wheel and
 * the arrow keys move through a series' images, window/level by dragging or a preset, zoom and pan, and the
 * vertebral measurement (MeasurePanel) on the right. Loaded lazily with dwv: never part of the first bundle.
 */
import { Alert, Badge, Button, Group, Loader, Modal, NativeSelect, SegmentedControl, Stack, Text, VisuallyHidden } from '@mantine/core'
import { useEffect, useId, useRef, useState } from 'react'
import { measurementSpacing, SIX_POINT_LABELS, SIX_POINT_NAMES, type ImagePoint } from '../../../shared/clinical/morphometry'
import type { InstanceView, StudyView } from '../../../shared/schemas/imaging'
import { useChannel } from '../../data'
import { formatDate } from '../../format'
import { CobbPanel, COBB_LINES } from './CobbPanel'
import { decodeBase64, DwvStage, type Placement, type StageTool } from './dwvStage'
import { MeasurePanel } from './MeasurePanel'
import { imagePointAt, PlacedPoints, PlacingCrosshair, usePlacingKeys, usePointPlacing } from './pointPlacing'
import { SeriesList } from './SeriesList'
import { holdThumbnails } from './seriesThumbnails'

/** Window presets in Hounsfield units (CT's usual bone and soft-tissue windows); 'image' is the file's own. */
const PRESETS = {
  image: { label: 'Image', window: null },
  bone: { label: 'Bone', window: { center: 500, width: 2000 } },
  soft: { label: 'Soft tissue', window: { center: 40, width: 400 } },
} as const
type Preset = keyof typeof PRESETS

/** How long an image may take to be decoded and drawn before the viewer says it was not. */
const DRAW_WAIT_MS = 20_000

/** The measuring tools on the right of the image, each placing its own points. */
type MeasureTool = 'heights' | 'cobb'
/** The six points' heights: superior to inferior at the anterior, middle and posterior walls. */
const HEIGHT_LINES = [
  [0, 3],
  [1, 4],
  [2, 5],
] as const
const SIX_POINTS_ASKED = SIX_POINT_NAMES.map((n) => SIX_POINT_LABELS[n])

/** `focus`: open on this image with these points placed (a saved measurement shown again). */
export interface ViewerFocus {
  instanceId: number
  points: ImagePoint[]
}

export default function StudyViewer({ studyId, patientId, onClose, focus }: { studyId: number; patientId: number; onClose: () => void; focus?: ViewerFocus }) {
  const study = useChannel('imaging.studies.open', { studyId })
  const patient = useChannel('patients.get', { id: patientId })
  const others = useChannel('imaging.studies.forPatient', { patientId })
  const [compareId, setCompareId] = useState<number | null>(null)
  const p = patient.data
  const s = study.data
  const identity = p ? `${p.lastName}, ${p.firstName} · MRN ${p.mrn}` : 'Loading the patient…'
  const choices = (others.data?.studies ?? []).filter((x) => x.id !== studyId)
  return (
    <Modal opened onClose={onClose} fullScreen title="Imaging viewer" data-testid="imaging-viewer">
      <Stack gap="xs">
        <Group gap="md" justify="space-between">
          <Group gap="md" data-testid="viewer-identity" aria-label="Patient and study" role="group">
            <Text fw={700}>{identity}</Text>
            {s && <StudyLine study={s} />}
          </Group>
          {choices.length > 0 && (
            <NativeSelect
              aria-label="Compare with another study"
              size="xs"
              value={compareId === null ? '' : String(compareId)}
              onChange={(e) => setCompareId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
              data={[{ value: '', label: 'Compare with… (none)' }, ...choices.map((x) => ({ value: String(x.id), label: `${x.studyDate ? formatDate(x.studyDate) : 'No date'} · ${x.description || 'No description'}` }))]}
            />
          )}
        </Group>
        {study.isError && <Alert color="red">{study.error.message}</Alert>}
        {!s && !study.isError && <Loader aria-label="Opening the study" />}
        {s && compareId === null && <StudyPane study={s} patientId={patientId} focus={focus} />}
        {s && compareId !== null && (
          <Group align="flex-start" wrap="nowrap" gap="md" data-testid="viewer-compare">
            <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
              <StudyLine study={s} />
              <StudyPane study={s} patientId={patientId} focus={focus} compact />
            </Stack>
            <ComparedStudy studyId={compareId} patientId={patientId} />
          </Group>
        )}
      </Stack>
    </Modal>
  )
}

function StudyLine({ study: s }: { study: StudyView }) {
  return (
    <Group gap="xs">
      <Text>{`${s.studyDate ? formatDate(s.studyDate) : 'No date'} · ${s.description || 'No description'}`}</Text>
      <Badge variant="light">{s.modalities.join(', ') || 'Unknown'}</Badge>
    </Group>
  )
}

/** The second study side by side (before and after): opened, and audited, as the first. */
function ComparedStudy({ studyId, patientId }: { studyId: number; patientId: number }) {
  const study = useChannel('imaging.studies.open', { studyId })
  return (
    <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
      {study.data && <StudyLine study={study.data} />}
      {study.isError && <Alert color="red">{study.error.message}</Alert>}
      {!study.data && !study.isError && <Loader aria-label="Opening the study to compare" />}
      {study.data && <StudyPane study={study.data} patientId={patientId} compact />}
    </Stack>
  )
}

/** `compact`: one of two side by side: the series as a list above, no measuring (measure a study on its own). */
function StudyPane({ study, patientId, focus, compact }: { study: StudyView; patientId: number; focus?: ViewerFocus; compact?: boolean }) {
  const focused = focus ? study.seriesList.findIndex((x) => x.instances.some((i) => i.id === focus.instanceId)) : -1
  const [seriesIndex, setSeriesIndex] = useState(() => (focused >= 0 ? focused : Math.max(0, study.seriesList.findIndex((x) => x.instances.length > 0))))
  const [imageIndex, setImageIndex] = useState(() => (focused >= 0 ? study.seriesList[focused]!.instances.findIndex((i) => i.id === focus!.instanceId) : 0))
  const series = study.seriesList[seriesIndex]
  const instance = series?.instances[imageIndex] ?? null
  return (
    <Group align="flex-start" wrap={compact ? 'wrap' : 'nowrap'} gap="md">
      <SeriesList
        study={study}
        selected={seriesIndex}
        compact={compact}
        onSelect={(i) => {
          setSeriesIndex(i)
          setImageIndex(0)
        }}
      />
      {instance && series ? (
        <ImageStage
          key={series.id}
          instance={instance}
          index={imageIndex}
          count={series.instances.length}
          onIndex={setImageIndex}
          patientId={patientId}
          shown={focus && focus.instanceId === instance.id ? focus.points : undefined}
          compact={compact}
        />
      ) : (
        <Text>This study has no images to show.</Text>
      )}
    </Group>
  )
}

function ImageStage(props: { instance: InstanceView; index: number; count: number; onIndex: (i: number) => void; patientId: number; shown?: ImagePoint[]; compact?: boolean }) {
  const { instance, index, count, onIndex, patientId, shown, compact } = props
  const divId = `dwv-${useId().replace(/[^a-zA-Z0-9]/g, '')}`
  const wrapper = useRef<HTMLDivElement>(null)
  const stage = useRef<DwvStage | null>(null)
  const [tool, setTool] = useState<StageTool>('WindowLevel')
  const [preset, setPreset] = useState<Preset>('image')
  const [placement, setPlacement] = useState<Placement | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [measureTool, setMeasureTool] = useState<MeasureTool>('heights')
  const heights = usePointPlacing(6, shown, SIX_POINTS_ASKED)
  const cobb = usePointPlacing(4)
  const active = measureTool === 'heights' ? heights : cobb
  const cols = instance.columns ?? 0
  const rows = instance.rows ?? 0
  const placingKeys = usePlacingKeys(active, cols && rows ? { width: cols, height: rows } : null, measurementSpacing(instance)?.spacing ?? null, wrapper)
  const content = useChannel('imaging.instances.content', { instanceId: instance.id }, { staleTime: Infinity })
  const indexRef = useRef({ index, count, onIndex })
  indexRef.current = { index, count, onIndex }
  const toolRef = useRef(tool)
  toolRef.current = tool
  // the series' thumbnails wait while this image is fetched and drawn (the first image must not wait for them)
  const releaseThumbnails = useRef<() => void>(() => {})
  useEffect(() => {
    const release = holdThumbnails()
    releaseThumbnails.current = release
    const late = window.setTimeout(release, DRAW_WAIT_MS)
    return () => {
      window.clearTimeout(late)
      release()
    }
  }, [instance.id])

  useEffect(() => {
    const st = new DwvStage(divId, {
      onLoaded: () => {
        releaseThumbnails.current()
        setError(null)
        setPlacement(st.placement())
      },
      onError: (m) => {
        releaseThumbnails.current()
        setError(`This image could not be drawn: ${m}`)
      },
      onView: () => setPlacement(st.placement()),
    })
    stage.current = st
    const resize = () => {
      st.resize()
      setPlacement(st.placement())
    }
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      st.destroy()
      stage.current = null
    }
  }, [divId])

  useEffect(() => {
    const st = stage.current
    if (!content.data || !st) return
    setPlacement(null)
    setError(null)
    // the preset chosen carries over to the next image (the buttons apply a new one)
    st.show(decodeBase64(content.data.content), toolRef.current, PRESETS[preset].window)
    // a compressed image whose decoder cannot run ends without an error from dwv: say so rather than stay black
    const late = window.setTimeout(() => {
      if (!st.isLoaded()) setError(`This image was not drawn within ${DRAW_WAIT_MS / 1000} seconds: its compression may not be supported by the viewer, or the file is damaged.`)
    }, DRAW_WAIT_MS)
    return () => window.clearTimeout(late)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [content.data])

  useEffect(() => {
    if (content.isError) releaseThumbnails.current()
  }, [content.isError])

  // another image: the points placed belong to the one before (a saved measurement's come back on its own image)
  const pointsOf = useRef(instance.id)
  const { setPoints: setHeightPoints } = heights
  const { setPoints: setCobbPoints } = cobb
  useEffect(() => {
    if (pointsOf.current === instance.id) return
    pointsOf.current = instance.id
    setHeightPoints(shown ?? [])
    setCobbPoints([])
  }, [instance.id, shown, setHeightPoints, setCobbPoints])

  // the wheel moves through the series (in window/level mode; in zoom mode dwv zooms), as in every PACS viewer
  useEffect(() => {
    const el = wrapper.current
    if (!el) return
    const wheel = (e: WheelEvent) => {
      if (toolRef.current === 'ZoomAndPan') return
      e.preventDefault()
      e.stopPropagation()
      const { index: i, count: n, onIndex: go } = indexRef.current
      const next = Math.min(n - 1, Math.max(0, i + (e.deltaY > 0 ? 1 : -1)))
      if (next !== i) go(next)
    }
    el.addEventListener('wheel', wheel, { passive: false, capture: true })
    return () => el.removeEventListener('wheel', wheel, { capture: true })
  }, [])

  const step = (d: number) => onIndex(Math.min(count - 1, Math.max(0, index + d)))
  const onKey = (e: React.KeyboardEvent) => {
    // while a tool places points, the arrows move its crosshair instead (pointPlacing.tsx)
    if (placingKeys.onKeyDown(e)) return
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight' || e.key === 'PageDown') step(1)
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft' || e.key === 'PageUp') step(-1)
    else if (e.key === 'Home') onIndex(0)
    else if (e.key === 'End') onIndex(count - 1)
    else return
    e.preventDefault()
  }

  const choosePreset = (p: Preset) => {
    setPreset(p)
    const w = PRESETS[p].window
    if (w) stage.current?.applyWindow(w)
    else stage.current?.resetWindow()
  }
  const chooseTool = (t: StageTool) => {
    setTool(t)
    stage.current?.setTool(t)
  }

  const onOverlayClick = (e: React.MouseEvent<SVGSVGElement>) => {
    if (active.placing && placement) active.add(imagePointAt(e, placement))
  }

  return (
    <Group align="flex-start" wrap="nowrap" gap="md" style={{ flex: 1 }}>
      <Stack gap="xs" style={{ flex: 1 }}>
        <Group gap="sm">
          <SegmentedControl
            aria-label="Mouse drag"
            value={tool}
            onChange={(v) => chooseTool(v as StageTool)}
            data={[
              { value: 'WindowLevel', label: 'Window/level' },
              { value: 'ZoomAndPan', label: 'Zoom/pan' },
            ]}
          />
          <Group gap={4} role="group" aria-label="Window presets">
            {(Object.keys(PRESETS) as Preset[]).map((k) => (
              <Button key={k} size="xs" variant={preset === k ? 'filled' : 'default'} aria-pressed={preset === k} onClick={() => choosePreset(k)}>
                {PRESETS[k].label}
              </Button>
            ))}
          </Group>
          <Group gap={4} role="group" aria-label="Zoom">
            <Button size="xs" variant="default" onClick={() => stage.current?.zoom(0.25)}>
              Zoom in
            </Button>
            <Button size="xs" variant="default" onClick={() => stage.current?.zoom(-0.2)}>
              Zoom out
            </Button>
            <Button size="xs" variant="default" onClick={() => stage.current?.resetZoomPan()}>
              Fit
            </Button>
          </Group>
          <Group gap={4} role="group" aria-label="Images of the series">
            <Button size="xs" variant="default" onClick={() => step(-1)} disabled={index === 0}>
              Previous image
            </Button>
            <Text size="sm" data-testid="viewer-position" aria-live="polite">
              Image {index + 1} of {count}
            </Text>
            <Button size="xs" variant="default" onClick={() => step(1)} disabled={index >= count - 1}>
              Next image
            </Button>
          </Group>
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {content.isError && <Alert color="red">{content.error.message}</Alert>}
        <div
          ref={wrapper}
          tabIndex={0}
          role="group"
          aria-roledescription="image"
          aria-label={`Image ${index + 1} of ${count}. ${placingKeys.instructions ?? 'Arrow keys or the mouse wheel move through the series.'}`}
          onKeyDown={onKey}
          // Escape stops placing points instead of closing the viewer (Mantine's modal listens on the window first)
          data-mantine-stop-propagation={active.placing ? 'true' : undefined}
          data-testid="viewer-stage"
          style={{ position: 'relative', height: compact ? '62vh' : '70vh', minWidth: 300, background: '#000', outlineOffset: 2 }}
        >
          <div id={divId} style={{ position: 'absolute', inset: 0 }} />
          <svg
            data-testid="measure-overlay"
            onClick={onOverlayClick}
            style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: active.placing ? 'all' : 'none', cursor: active.placing ? 'crosshair' : undefined }}
            aria-hidden
          >
            {placement && <rect data-testid="image-bounds" x={placement.left} y={placement.top} width={cols * placement.scaleX} height={rows * placement.scaleY} fill="none" stroke="none" />}
            <PlacedPoints points={active.points} lines={measureTool === 'heights' ? HEIGHT_LINES : COBB_LINES} placement={placement} />
            <PlacingCrosshair at={placingKeys.crosshair} placement={placement} />
          </svg>
          {!content.data && !content.isError && <Loader style={{ position: 'absolute', left: '50%', top: '50%' }} aria-label="Loading the image" />}
        </div>
        <VisuallyHidden aria-live="polite" data-testid="placing-announcement">
          {placingKeys.announcement}
        </VisuallyHidden>
      </Stack>
      {!compact && (
        <Stack gap="xs">
          <SegmentedControl
            aria-label="Measuring tool"
            value={measureTool}
            onChange={(v) => setMeasureTool(v as MeasureTool)}
            data={[
              { value: 'heights', label: 'Vertebral heights' },
              { value: 'cobb', label: 'Cobb angle' },
            ]}
          />
          {/* both stay mounted, so that each keeps what was chosen in it when the other is used a while */}
          <div hidden={measureTool !== 'heights'}>
            <MeasurePanel instance={instance} patientId={patientId} measuring={heights.placing} onMeasuring={heights.setPlacing} points={heights.points} onPoints={heights.setPoints} showingSaved={shown !== undefined && heights.points === shown} />
          </div>
          <div hidden={measureTool !== 'cobb'}>
            <CobbPanel instance={instance} placing={cobb} />
          </div>
        </Stack>
      )}
    </Group>
  )
}
