/**
 * The measured image itself on the record a measurement went into (issue 20 point 4): cropped around the vertebra
 * with the six points and their outline drawn over it. Asked for only once it is on the screen, and only for a user
 * who may open studies; until it is drawn, and when it cannot be (a damaged or unreadable image), the points'
 * sketch (`fallback`) shows instead, so nothing is lost.
 */
import { Box } from '@mantine/core'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { SIX_POINT_NAMES } from '../../../shared/clinical/morphometry'
import type { MeasurementSummary } from '../../../shared/schemas/imagingViewer'
import { useCan, useChannel } from '../../data'
import { formatDate } from '../../format'
import { previewCrop } from './previewCrop'
import type { Thumbnail } from './seriesThumbnails'

const SHOWN_PX = 112

export function MeasuredImagePreview({ patientId, measurement: m, fallback }: { patientId: number; measurement: MeasurementSummary; fallback: ReactNode }) {
  // the image's bytes come through the viewer's channels: a user who may not open studies keeps the sketch
  const mayOpen = useCan('imaging.studies.open')
  const mayRead = useCan('imaging.instances.content')
  const canOpen = mayOpen && mayRead
  const studies = useChannel('imaging.studies.forPatient', { patientId }, { enabled: canOpen })
  const [preview, setPreview] = useState<Thumbnail | null>(null)
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (!el || !canOpen) return
    let live = true
    const seen = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return
      seen.disconnect()
      // dwv comes with the drawing, in the viewer's lazy chunk
      void import('./measuredPreview')
        .then(({ measuredPreviewOf }) => measuredPreviewOf(m))
        .then((t) => live && setPreview(t))
        .catch((e: unknown) => live && setPreview({ problem: e instanceof Error ? e.message : String(e) }))
    })
    seen.observe(el)
    return () => {
      live = false
      seen.disconnect()
    }
  }, [canOpen, m])
  if (!preview || !('url' in preview)) {
    return (
      <Box ref={box} style={{ flex: 'none' }} title={preview ? `The image could not be drawn (${preview.problem})` : undefined}>
        {fallback}
      </Box>
    )
  }
  const studyDate = studies.data?.studies.find((s) => s.id === m.studyId)?.studyDate
  const { sideMm, leftMm, topMm } = previewCrop(m)
  const p = m.points
  const at = (pt: { x: number; y: number }) => ({ x: pt.x * m.spacing.column - leftMm, y: pt.y * m.spacing.row - topMm })
  const outline = [p.superiorAnterior, p.superiorMiddle, p.superiorPosterior, p.inferiorPosterior, p.inferiorMiddle, p.inferiorAnterior].map(at)
  return (
    <Box
      ref={box}
      role="img"
      aria-label={`${m.level} measured on the image of ${studyDate ? formatDate(studyDate) : 'no date'}: six points`}
      data-testid="measurement-preview"
      w={SHOWN_PX}
      h={SHOWN_PX}
      style={{ flex: 'none', position: 'relative', background: '#000', borderRadius: 4, overflow: 'hidden' }}
    >
      <img src={preview.url} alt="" width={SHOWN_PX} height={SHOWN_PX} data-testid="measurement-preview-image" style={{ display: 'block' }} />
      <svg viewBox={`0 0 ${sideMm} ${sideMm}`} width={SHOWN_PX} height={SHOWN_PX} aria-hidden="true" style={{ position: 'absolute', inset: 0 }} data-testid="measurement-preview-points">
        <polygon points={outline.map((o) => `${o.x},${o.y}`).join(' ')} fill="none" stroke="#3bc9db" strokeWidth={sideMm * 0.012} />
        {SIX_POINT_NAMES.map((n) => at(p[n])).map((o, i) => (
          <circle key={i} cx={o.x} cy={o.y} r={sideMm * 0.025} fill="#ffd43b" stroke="#000" strokeWidth={sideMm * 0.006} />
        ))}
      </svg>
    </Box>
  )
}
