/**
 * The one place that speaks to dwv (a kept DICOM viewer library that draws on a 2D canvas, so it draws in a
 * headless Chromium without WebGL as well as in the app): one stored image at a time, window/level, zoom and pan,
 * and the mapping between a point on the screen and a point on the image in pixels (what a measurement stores).
 * Loaded only with the viewer (a lazy chunk), never in the first bundle.
 */
import { App, AppOptions, Point2D, ToolConfig, ViewConfig, WindowLevel } from 'dwv'

export type StageTool = 'WindowLevel' | 'ZoomAndPan'

/** A stored image's bytes as imaging.instances.content gives them (base64: the development bridge speaks JSON). */
export function decodeBase64(text: string): Uint8Array {
  const bin = atob(text)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

const asBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

/** Where the image sits in its container: image pixel (x, y) is at left + x * scale, top + y * scale (CSS px). */
export interface Placement {
  left: number
  top: number
  scaleX: number
  scaleY: number
}

export class DwvStage {
  private readonly app = new App()
  private listeners: (() => void)[] = []
  private pendingWindow: { center: number; width: number } | null = null
  private loaded = false

  constructor(
    divId: string,
    private readonly events: { onLoaded: () => void; onError: (message: string) => void; onView: () => void },
  ) {
    const options = new AppOptions({ '*': [new ViewConfig(divId)] })
    options.tools = { WindowLevel: new ToolConfig(), ZoomAndPan: new ToolConfig() }
    this.app.init(options)
    const on = (type: string, fn: (e: unknown) => void) => {
      this.app.addEventListener(type, fn)
      this.listeners.push(() => this.app.removeEventListener(type, fn))
    }
    on('load', () => {
      this.loaded = true
      if (this.pendingWindow) this.applyWindow(this.pendingWindow)
      this.events.onLoaded()
    })
    on('error', (e) => this.events.onError(String((e as { error?: { message?: string } }).error?.message ?? 'the image could not be read')))
    for (const t of ['zoomchange', 'offsetchange', 'wlchange']) on(t, () => this.events.onView())
  }

  /** Shows one DICOM file (the previous image goes). */
  show(bytes: Uint8Array, tool: StageTool, window: { center: number; width: number } | null): void {
    this.app.reset()
    this.loaded = false
    this.pendingWindow = window
    this.app.loadImageObject([{ name: 'image', filename: 'image.dcm', data: asBuffer(bytes) }])
    this.setTool(tool)
  }

  /** Whether the image last given to `show` has been drawn. */
  isLoaded(): boolean {
    return this.loaded
  }

  setTool(tool: StageTool): void {
    try {
      this.app.setTool(tool)
    } catch {
      // before the first image is drawn there is no layer to bind the tool to; `show` sets it again
    }
  }

  private viewLayer() {
    return this.app.getActiveLayerGroup()?.getActiveViewLayer()
  }

  applyWindow(w: { center: number; width: number }): void {
    this.pendingWindow = w
    this.viewLayer()?.getViewController().setWindowLevel(new WindowLevel(w.center, w.width))
  }

  /** The image's own window (the file's first, else its data range). */
  resetWindow(): void {
    this.pendingWindow = null
    const vc = this.viewLayer()?.getViewController() as unknown as { setWindowLevelPresetById?: (id: number) => void } | undefined
    vc?.setWindowLevelPresetById?.(0)
  }

  zoom(step: number): void {
    const group = this.app.getActiveLayerGroup()
    const layer = this.viewLayer()
    if (!group || !layer) return
    const vc = layer.getViewController()
    const size = this.containerSize()
    const centre = vc.getPositionFromPlanePoint(layer.displayToPlanePos(new Point2D(size.width / 2, size.height / 2)))
    group.addScale(step, centre.get3D())
    group.draw()
    this.events.onView()
  }

  resetZoomPan(): void {
    this.app.resetZoomPan()
    this.events.onView()
  }

  private containerSize(): { width: number; height: number } {
    const id = this.app.getActiveLayerGroup()?.getDivId()
    const el = id ? document.getElementById(id) : null
    return { width: el?.clientWidth ?? 0, height: el?.clientHeight ?? 0 }
  }

  resize(): void {
    this.app.onResize()
  }

  /** Null before an image is drawn. */
  placement(): Placement | null {
    const layer = this.viewLayer()
    if (!layer) return null
    const origin = layer.displayToPlanePos(new Point2D(0, 0))
    const unit = layer.displayToPlanePos(new Point2D(100, 100))
    const scaleX = 100 / (unit.getX() - origin.getX())
    const scaleY = 100 / (unit.getY() - origin.getY())
    if (!Number.isFinite(scaleX) || !Number.isFinite(scaleY)) return null
    return { left: -origin.getX() * scaleX, top: -origin.getY() * scaleY, scaleX, scaleY }
  }

  destroy(): void {
    for (const off of this.listeners) off()
    this.listeners = []
    this.app.abortAllLoads()
    this.app.reset()
  }
}

let thumbnails = 0

/** A part of an image, in image pixels (it may reach past the image's edges: that is drawn black). */
export interface ImageCrop {
  x: number
  y: number
  width: number
  height: number
}

/** The box a cropped picture's image is drawn in off the screen (the crop is taken from it). */
const CROP_BOX_PX = 1024

/** Where `crop` is on dwv's canvas, in its pixels (dwv fits the image in its box and the canvas may be scaled by CSS). */
function cropOnCanvas(app: App, host: HTMLElement, canvas: HTMLCanvasElement, crop: ImageCrop): ImageCrop | null {
  const layer = app.getActiveLayerGroup()?.getActiveViewLayer()
  if (!layer) return null
  const origin = layer.displayToPlanePos(new Point2D(0, 0))
  const unit = layer.displayToPlanePos(new Point2D(100, 100))
  const scaleX = 100 / (unit.getX() - origin.getX())
  const scaleY = 100 / (unit.getY() - origin.getY())
  if (!Number.isFinite(scaleX) || !Number.isFinite(scaleY)) return null
  const hostBox = host.getBoundingClientRect()
  const canvasBox = canvas.getBoundingClientRect()
  if (!canvasBox.width || !canvasBox.height) return null
  // image pixel -> CSS pixel of the host (as DwvStage.placement) -> pixel of the canvas
  const toX = (x: number) => ((x - origin.getX()) * scaleX - (canvasBox.left - hostBox.left)) * (canvas.width / canvasBox.width)
  const toY = (y: number) => ((y - origin.getY()) * scaleY - (canvasBox.top - hostBox.top)) * (canvas.height / canvasBox.height)
  const x = toX(crop.x)
  const y = toY(crop.y)
  return { x, y, width: toX(crop.x + crop.width) - x, height: toY(crop.y + crop.height) - y }
}
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()))

/**
 * A small picture of one DICOM image (a series' thumbnail) as a PNG data URL: drawn by a dwv App of its own in a
 * `size` x `size` box off the screen, so that every transfer syntax the viewer decodes (compressed ones in dwv's
 * workers) and the file's own window come out as in the viewer, with non-square pixels kept, on a black square.
 * Rejects with dwv's reason, or when nothing was drawn within `waitMs` (a decoder that cannot run ends silently).
 * With `crop` (in image pixels, square in millimetres) only that part is drawn into the square: the image is drawn
 * in a box of CROP_BOX_PX first, so that a vertebra of a large radiograph keeps enough pixels to be seen.
 */
export function renderThumbnail(bytes: Uint8Array, size: number, waitMs: number, crop?: ImageCrop): Promise<string> {
  const box = crop ? Math.max(CROP_BOX_PX, size) : size
  const host = document.createElement('div')
  host.id = `dwv-thumbnail-${++thumbnails}`
  host.setAttribute('aria-hidden', 'true')
  // laid out (dwv fits the image to its box's size) but off the screen and out of the way
  Object.assign(host.style, { position: 'fixed', left: '-10000px', top: '0', width: `${box}px`, height: `${box}px`, overflow: 'hidden', pointerEvents: 'none' })
  document.body.appendChild(host)
  const app = new App()
  app.init(new AppOptions({ '*': [new ViewConfig(host.id)] }))
  return new Promise<string>((resolve, reject) => {
    let settled = false
    const finish = (outcome: () => void) => {
      if (settled) return
      settled = true
      window.clearTimeout(timer)
      try {
        app.abortAllLoads()
        app.reset()
      } catch {
        // an App that failed half-way may not reset cleanly; it is dropped with its box either way
      }
      host.remove()
      outcome()
    }
    const timer = window.setTimeout(() => finish(() => reject(new Error(`not drawn within ${waitMs / 1000} seconds`))), waitMs)
    app.addEventListener('load', () => {
      // drawn in the frame after dwv's 'load' at the latest
      void nextFrame()
        .then(nextFrame)
        .then(() => {
          const drawn = host.querySelector('canvas')
          if (!drawn || !drawn.width || !drawn.height) return finish(() => reject(new Error('nothing was drawn')))
          const out = document.createElement('canvas')
          out.width = size
          out.height = size
          const ctx = out.getContext('2d')!
          ctx.fillStyle = '#000'
          ctx.fillRect(0, 0, size, size)
          if (!crop) ctx.drawImage(drawn, 0, 0, size, size)
          else {
            const from = cropOnCanvas(app, host, drawn, crop)
            if (!from) return finish(() => reject(new Error('the image was drawn without a position')))
            ctx.drawImage(drawn, from.x, from.y, from.width, from.height, 0, 0, size, size)
          }
          finish(() => resolve(out.toDataURL('image/png')))
        })
        .catch((e: unknown) => finish(() => reject(e instanceof Error ? e : new Error(String(e)))))
    })
    app.addEventListener('error', (e: unknown) => finish(() => reject(new Error(String((e as { error?: { message?: string } }).error?.message ?? 'the image could not be read')))))
    try {
      app.loadImageObject([{ name: 'thumbnail', filename: 'thumbnail.dcm', data: asBuffer(bytes) }])
    } catch (e) {
      finish(() => reject(e instanceof Error ? e : new Error(String(e))))
    }
  })
}
