/**
 * The document viewer (issue 19 point 3): a PDF drawn page by page into canvases with PDF.js (loaded only now,
 * see pdfRender.ts), with each page's text beside it for the screen reader; an image with zoom (a TIFF drawn into a
 * canvas by UTIF, loaded only now too, see tiffRender.ts, one page at a time); plain text as text.
 * Print prints only the document (the rest of the app is hidden from the printer while it prints); Save a copy
 * downloads the file. Opening, printing and saving are audited by the main process (documents.open with its use,
 * documents.printed).
 */
import { Alert, Button, Group, Loader, Modal, Stack, Text, VisuallyHidden } from '@mantine/core'
import { useEffect, useRef, useState } from 'react'
import { DOCUMENT_KIND_LABELS, type DocumentView } from '../../../shared/schemas/documents'
import { ApiError } from '../../api'
import { run } from '../../data'
import { base64Bytes, saveFile } from '../../download'
import { formatDate } from '../../format'
import { showApiError } from '../../forms'
import type { LoadedPdf } from './pdfRender'
import type { LoadedTiff } from './tiffRender'

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3]

/** While printing a document, only its area is visible to the printer (it sits in a portal, so visibility, not display). */
const PRINT_CSS = `@media print {
  body[data-printing='document'] * { visibility: hidden !important; }
  body[data-printing='document'] .document-print-area, body[data-printing='document'] .document-print-area * { visibility: visible !important; }
  body[data-printing='document'] .document-print-area { position: absolute; inset: 0 auto auto 0; overflow: visible !important; max-height: none !important; }
  body[data-printing='document'] .document-print-area canvas, body[data-printing='document'] .document-print-area img { break-after: page; max-width: 100%; }
}`

export function DocumentViewer({ document: doc, onClose }: { document: DocumentView | null; onClose: () => void }) {
  return (
    <Modal opened={doc !== null} onClose={onClose} size="xl" title={doc ? `${DOCUMENT_KIND_LABELS[doc.kind]}: ${doc.title}` : ''}>
      {doc && <Viewer doc={doc} />}
    </Modal>
  )
}

function Viewer({ doc }: { doc: DocumentView }) {
  const [bytes, setBytes] = useState<Uint8Array<ArrayBuffer> | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [zoom, setZoom] = useState(1)
  const [ready, setReady] = useState(false)

  useEffect(() => {
    let live = true
    run('documents.open', { id: doc.id, use: 'view' }).then(
      (r) => live && setBytes(base64Bytes(r.content)),
      (err: unknown) => live && setError(err instanceof ApiError ? err.message : String(err)),
    )
    return () => {
      live = false
    }
  }, [doc.id])

  async function print() {
    document.body.dataset.printing = 'document'
    try {
      window.print()
      await run('documents.printed', { id: doc.id })
    } catch (err) {
      showApiError(err)
    } finally {
      delete document.body.dataset.printing
    }
  }

  async function saveCopy() {
    try {
      const r = await run('documents.open', { id: doc.id, use: 'export' })
      saveFile(base64Bytes(r.content), doc.fileName, doc.mediaType)
    } catch (err) {
      showApiError(err)
    }
  }

  const zoomable = doc.mediaType !== 'text/plain'
  const at = ZOOMS.indexOf(zoom)
  return (
    <Stack gap="sm">
      <style>{PRINT_CSS}</style>
      <Text size="sm" c="gray.8" id="document-viewer-about">
        {formatDate(doc.documentDate)} · {doc.fileName} · attached by {doc.createdBy}
        {doc.enteredInError ? ` · ENTERED IN ERROR: ${doc.enteredInError.reason}` : ''}
      </Text>
      <Group gap="xs">
        {zoomable && (
          <>
            <Button size="xs" variant="default" disabled={at <= 0} onClick={() => setZoom(ZOOMS[at - 1]!)} aria-label="Zoom out">
              −
            </Button>
            <Text size="sm" aria-live="polite" data-testid="document-zoom">
              {Math.round(zoom * 100)}%
            </Text>
            <Button size="xs" variant="default" disabled={at >= ZOOMS.length - 1} onClick={() => setZoom(ZOOMS[at + 1]!)} aria-label="Zoom in">
              +
            </Button>
          </>
        )}
        <Button size="xs" variant="default" disabled={!ready} onClick={() => void print()}>
          Print
        </Button>
        <Button size="xs" variant="default" onClick={() => void saveCopy()}>
          Save a copy
        </Button>
      </Group>
      {error && <Alert color="red" role="alert">{error}</Alert>}
      {!bytes && !error && <Loader aria-label="Opening the document" />}
      {/* focusable so the keyboard scrolls a long document (arrow keys, Page Down) */}
      <div className="document-print-area" tabIndex={0} role="region" aria-label={`${doc.title}, the document`} style={{ maxHeight: '70vh', overflow: 'auto', background: 'var(--mantine-color-gray-1)', padding: 8 }} data-testid="document-view">
        {bytes && doc.mediaType === 'application/pdf' && <PdfPages bytes={bytes} zoom={zoom} onReady={() => setReady(true)} />}
        {bytes && (doc.mediaType === 'image/jpeg' || doc.mediaType === 'image/png') && <ImageView bytes={bytes} doc={doc} zoom={zoom} onReady={() => setReady(true)} />}
        {bytes && doc.mediaType === 'image/tiff' && <TiffView bytes={bytes} doc={doc} zoom={zoom} onReady={() => setReady(true)} />}
        {bytes && doc.mediaType === 'text/plain' && <TextView bytes={bytes} onReady={() => setReady(true)} />}
      </div>
    </Stack>
  )
}

function PdfPages({ bytes, zoom, onReady }: { bytes: Uint8Array<ArrayBuffer>; zoom: number; onReady: () => void }) {
  const [pdf, setPdf] = useState<LoadedPdf | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    let loaded: LoadedPdf | null = null
    // PDF.js takes the buffer over (it moves it to its worker): a copy, so a re-render can load again
    import('./pdfRender')
      .then((m) => m.loadPdf(bytes.slice()))
      .then(
        (p) => {
          loaded = p
          if (live) setPdf(p)
          else void p.close()
        },
        (err: unknown) => live && setError(`This PDF could not be opened: ${err instanceof Error ? err.message : String(err)}. Use Save a copy to open it elsewhere.`),
      )
    return () => {
      live = false
      void loaded?.close()
    }
  }, [bytes])
  if (error) return <Alert color="red" role="alert">{error}</Alert>
  if (!pdf) return <Loader aria-label="Drawing the pages" />
  return (
    <Stack gap="sm" align="center">
      <Text size="sm" data-testid="pdf-page-count">
        {pdf.pageCount === 1 ? '1 page' : `${pdf.pageCount} pages`}
      </Text>
      {Array.from({ length: pdf.pageCount }, (_, i) => (
        <PdfPageCanvas key={i} pdf={pdf} number={i + 1} zoom={zoom} onDrawn={i === 0 ? onReady : undefined} />
      ))}
    </Stack>
  )
}

function PdfPageCanvas({ pdf, number, zoom, onDrawn }: { pdf: LoadedPdf; number: number; zoom: number; onDrawn?: () => void }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const [text, setText] = useState<string | null>(null)
  useEffect(() => {
    if (!canvas.current) return
    let live = true
    pdf.render(number, canvas.current, zoom * 1.25).then(
      (p) => {
        if (!live) return
        setText(p.text)
        onDrawn?.()
      },
      () => live && setText(''),
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pdf, number, zoom])
  return (
    <figure style={{ margin: 0 }} aria-label={`Page ${number} of ${pdf.pageCount}`} data-testid={`pdf-page-${number}`}>
      <canvas ref={canvas} style={{ background: 'white', boxShadow: '0 1px 4px rgba(0,0,0,.3)' }} aria-hidden />
      <VisuallyHidden>
        <figcaption data-testid={`pdf-page-${number}-text`}>{text === null ? `Page ${number}` : text || `Page ${number} has no text (a scanned image)`}</figcaption>
      </VisuallyHidden>
    </figure>
  )
}

function ImageView({ bytes, doc, zoom, onReady }: { bytes: Uint8Array<ArrayBuffer>; doc: DocumentView; zoom: number; onReady: () => void }) {
  const [url, setUrl] = useState<string | null>(null)
  const [width, setWidth] = useState<number | null>(null)
  useEffect(() => {
    const u = URL.createObjectURL(new Blob([bytes], { type: doc.mediaType }))
    setUrl(u)
    return () => URL.revokeObjectURL(u)
  }, [bytes, doc.mediaType])
  if (!url) return null
  return (
    <img
      src={url}
      alt={doc.title}
      data-testid="document-image"
      onLoad={(e) => {
        setWidth(e.currentTarget.naturalWidth)
        onReady()
      }}
      style={{ width: width ? width * zoom : undefined, maxWidth: zoom <= 1 ? '100%' : undefined, display: 'block', margin: '0 auto' }}
    />
  )
}

function TiffView({ bytes, doc, zoom, onReady }: { bytes: Uint8Array<ArrayBuffer>; doc: DocumentView; zoom: number; onReady: () => void }) {
  const [tiff, setTiff] = useState<LoadedTiff | null>(null)
  const [page, setPage] = useState(0)
  const [width, setWidth] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    let live = true
    import('./tiffRender')
      .then((m) => m.loadTiff(bytes))
      .then(
        (t) => live && setTiff(t),
        (err: unknown) => live && setError(`This TIFF could not be opened: ${err instanceof Error ? err.message : String(err)}. Use Save a copy to open it elsewhere.`),
      )
    return () => {
      live = false
    }
  }, [bytes])
  useEffect(() => {
    if (!tiff || !canvas.current) return
    try {
      setWidth(tiff.draw(page, canvas.current).width)
      onReady()
    } catch (err) {
      setError(`Page ${page + 1} of this TIFF could not be drawn: ${err instanceof Error ? err.message : String(err)}. Use Save a copy to open it elsewhere.`)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tiff, page])
  if (error) return <Alert color="red" role="alert">{error}</Alert>
  if (!tiff) return <Loader aria-label="Drawing the image" />
  const pages = tiff.pageCount
  return (
    <Stack gap="xs">
      {pages > 1 && (
        <Group gap="xs" justify="center">
          <Button size="xs" variant="default" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous page
          </Button>
          <Text size="sm" aria-live="polite" data-testid="tiff-page">
            Page {page + 1} of {pages}
          </Text>
          <Button size="xs" variant="default" disabled={page === pages - 1} onClick={() => setPage(page + 1)}>
            Next page
          </Button>
        </Group>
      )}
      {/* the same sizing as ImageView: the picture's own width times the zoom, fitted to the viewer up to 100% */}
      <canvas
        ref={canvas}
        role="img"
        aria-label={pages > 1 ? `${doc.title}, page ${page + 1} of ${pages}` : doc.title}
        data-testid="document-tiff"
        style={{ width: width ? width * zoom : undefined, height: 'auto', maxWidth: zoom <= 1 ? '100%' : undefined, display: 'block', margin: '0 auto', background: 'white' }}
      />
    </Stack>
  )
}

function TextView({ bytes, onReady }: { bytes: Uint8Array<ArrayBuffer>; onReady: () => void }) {
  const text = new TextDecoder('utf-8').decode(bytes)
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => onReady(), [])
  return (
    <pre data-testid="document-text" style={{ whiteSpace: 'pre-wrap', background: 'white', padding: 12, margin: 0, fontSize: 14 }}>
      {text}
    </pre>
  )
}
