/**
 * A measurement's preview on its record (renderer/components/imaging/measuredPreview.ts, previewCrop.ts): the crop
 * is a square in millimetres around the six points with 40% of their span on each side (so non-square pixels keep
 * their shape and the neighbouring endplates show), and the preview is made in the series thumbnails' queue: held
 * while a viewer stage loads, once per measurement. The server and dwv are stood in for; imaging-measure.spec draws
 * a real preview in Chromium.
 */
import { describe, expect, it, vi } from 'vitest'

const log: string[] = []

vi.mock('../../renderer/api', () => ({
  api: async (_channel: string, input: { instanceId: number }) => {
    log.push(`fetch ${input.instanceId}`)
    return { instanceId: input.instanceId, sopInstanceUid: '1.2', content: String(input.instanceId) }
  },
}))
vi.mock('../../renderer/components/imaging/dwvStage', () => ({
  decodeBase64: (text: string) => new TextEncoder().encode(text),
  renderThumbnail: async (bytes: Uint8Array, size: number, _wait: number, crop?: { x: number; y: number; width: number; height: number }) => {
    log.push(`draw ${new TextDecoder().decode(bytes)} ${size} ${crop ? [crop.x, crop.y, crop.width, crop.height].map((v) => Math.round(v)).join(',') : 'whole'}`)
    return 'data:image/png;base64,x'
  },
}))

const { holdThumbnails, thumbnailOf } = await import('../../renderer/components/imaging/seriesThumbnails')
const { measuredPreviewOf } = await import('../../renderer/components/imaging/measuredPreview')
const { previewCrop } = await import('../../renderer/components/imaging/previewCrop')
const settle = () => new Promise((resolve) => setTimeout(resolve, 5))

/** imaging-measure.spec's L1: a wedge 100 px wide, 66/80/100 px high, its top at row 150. */
const L1 = {
  superiorAnterior: { x: 50, y: 150 },
  superiorMiddle: { x: 100, y: 150 },
  superiorPosterior: { x: 150, y: 150 },
  inferiorAnterior: { x: 50, y: 216 },
  inferiorMiddle: { x: 100, y: 230 },
  inferiorPosterior: { x: 150, y: 250 },
}

describe('measured image preview', () => {
  it("crops the points' box and 40% of its span on each side", () => {
    const { crop, sideMm, leftMm, topMm } = previewCrop({ points: L1, spacing: { row: 0.2, column: 0.2 } })
    expect(crop).toEqual({ x: 10, y: 110, width: 180, height: 180 })
    expect(sideMm).toBeCloseTo(36)
    expect(leftMm).toBeCloseTo(2)
    expect(topMm).toBeCloseTo(22)
  })

  it('keeps the crop square in millimetres when rows and columns are spaced differently', () => {
    // columns 0.4 mm apart: the body is 40 mm wide and 20 mm high, so the square is 72 mm, 180 columns by 360 rows
    const { crop, sideMm } = previewCrop({ points: L1, spacing: { row: 0.2, column: 0.4 } })
    expect(sideMm).toBeCloseTo(72)
    expect(crop.width * 0.4).toBeCloseTo(72)
    expect(crop.height * 0.2).toBeCloseTo(72)
    expect(crop.x + crop.width / 2).toBeCloseTo(100)
    expect(crop.y + crop.height / 2).toBeCloseTo(200)
  })

  it("waits while a stage loads, queues behind the series' thumbnails and is made once per measurement", async () => {
    const release = holdThumbnails()
    const thumb = thumbnailOf(7)
    const a = measuredPreviewOf({ id: 1, instanceId: 7, points: L1, spacing: { row: 0.2, column: 0.2 } })
    const again = measuredPreviewOf({ id: 1, instanceId: 7, points: L1, spacing: { row: 0.2, column: 0.2 } })
    await settle()
    expect(log.filter((l) => l.startsWith('draw'))).toEqual([])
    release()
    expect(await thumb).toEqual({ url: 'data:image/png;base64,x' })
    expect(await a).toEqual({ url: 'data:image/png;base64,x' })
    expect(await again).toEqual(await a)
    expect(log.filter((l) => l.startsWith('draw'))).toEqual(['draw 7 96 whole', 'draw 7 224 10,110,180,180'])
  })
})
