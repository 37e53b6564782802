/**
 * PDF.js, loaded only when a PDF is opened (the viewer imports this module dynamically), so the renderer's first
 * load does not carry it (scripts/check-bundle.mjs). The worker is Vite's own asset URL of PDF.js's worker: a file
 * of the app, allowed by the Content-Security-Policy's script-src 'self'.
 */
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'

GlobalWorkerOptions.workerSrc = workerUrl

export interface PdfPage {
  /** 1-based */
  number: number
  /** the page's text, for the screen reader and for finding words (a scanned page has none) */
  text: string
}

export interface LoadedPdf {
  pageCount: number
  /** Draws page `number` into the canvas at `scale` (1 = 72 dpi CSS size); resolves with its text. */
  render(number: number, canvas: HTMLCanvasElement, scale: number): Promise<PdfPage>
  close(): Promise<void>
}

export async function loadPdf(bytes: Uint8Array): Promise<LoadedPdf> {
  // eval is off: the Content-Security-Policy forbids it, and a document from outside must not run code
  const doc: PDFDocumentProxy = await getDocument({ data: bytes, isEvalSupported: false, enableXfa: false }).promise
  return {
    pageCount: doc.numPages,
    async render(number, canvas, scale) {
      const page = await doc.getPage(number)
      const viewport = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) })
      canvas.width = Math.floor(viewport.width)
      canvas.height = Math.floor(viewport.height)
      canvas.style.width = `${Math.floor(viewport.width / (window.devicePixelRatio || 1))}px`
      canvas.style.height = `${Math.floor(viewport.height / (window.devicePixelRatio || 1))}px`
      await page.render({ canvas, viewport }).promise
      const content = await page.getTextContent()
      const text = content.items.map((i) => ('str' in i ? `${i.str}${i.hasEOL ? '\n' : ''}` : '')).join('')
      return { number, text }
    },
    close: () => doc.destroy(),
  }
}
