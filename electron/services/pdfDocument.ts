/**
 * The app's PDFs (discharge summaries, letters to referrers, reminder letters) start the same way: US letter, the
 * app named as creator, the record's own time as the creation and modification dates (so that the same record gives
 * the same bytes, which the signature checks rely on), and the bytes collected until the document ends.
 */
import PDFDocument from 'pdfkit'

export interface PdfMeta {
  title: string
  author: string
  subject?: string
  /** ISO instant: the record's creation, never "now" */
  createdAt: string
  /** points; 72 is an inch */
  margin: number
}

export function startPdf(meta: PdfMeta): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: meta.margin,
    info: {
      Title: meta.title,
      Author: meta.author,
      ...(meta.subject !== undefined ? { Subject: meta.subject } : {}),
      Creator: 'Spine Clinic',
      Producer: 'Spine Clinic (pdfkit)',
      CreationDate: new Date(meta.createdAt),
      ModDate: new Date(meta.createdAt),
    },
  })
  const chunks: Buffer[] = []
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => chunks.push(b))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  return { doc, bytes }
}
