/**
 * A letter to the referrer as a PDF: the letterhead (the clinic's name and its lines), the date, the recipient's
 * name and address for the envelope window, the clinic's template filled in, and the physician's signature (name,
 * credentials, signed at). Drawn in the clinic's embedded Unicode fonts (../pdfFonts.ts), as the discharge summary.
 * The same content and signing time always give the same bytes (creation date and file ID from the signing time),
 * so a stored letter can be made again and compared.
 */
import { formatClinicDateTime } from '../../../shared/clinicClock'
import { formatTypedDate } from '../../../shared/dates'
import type { LetterContent } from '../../../shared/schemas/letters'
import { startPdf } from '../pdfDocument'
import { PdfTypesetter } from '../pdfFonts'

export interface LetterPdfOptions {
  /** when the physician signed it; null for a draft to read before signing */
  signedAt: string | null
  /** the document's creation time: the signing time, or the draft's */
  createdAt: string
  /** a line across the top: 'DRAFT - NOT SIGNED', 'ENTERED IN ERROR: reason' */
  banner?: string
}

export function makeLetterPdf(c: LetterContent, opts: LetterPdfOptions): Promise<Buffer> {
  const { doc, bytes: done } = startPdf({ title: `Letter - ${c.patient.name} - ${c.letterDate}`, author: c.clinicName, subject: `To ${c.recipient.name}`, createdAt: opts.createdAt, margin: 72 })
  const type = new PdfTypesetter(doc)
  const body = { weight: 'regular', size: 11 } as const
  const lines = (text: string, size = 11) => {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') doc.moveDown(0.6)
      else type.text(line, { weight: 'regular', size }, { lineGap: 2 })
    }
  }

  if (opts.banner) {
    doc.fillColor('#b00020')
    type.text(opts.banner, { weight: 'bold', size: 13 }, { align: 'center' })
    doc.moveDown(0.5).fillColor('#000')
  }
  type.text(c.clinicName, { weight: 'bold', size: 15 })
  if (c.letterhead.trim()) lines(c.letterhead.trim(), 9.5)
  doc.moveDown(1.5)
  type.text(formatTypedDate(c.letterDate), body)
  doc.moveDown(1)
  type.text(c.recipient.name, body)
  if (c.recipient.practice) type.text(c.recipient.practice, body)
  for (const line of c.recipient.address.split(/\r?\n/)) if (line.trim()) type.text(line.trim(), body)
  doc.moveDown(1.5)
  lines(c.body)
  doc.moveDown(2)
  type.text(c.signer.name, { weight: 'bold', size: 11 })
  if (c.signer.credentials) type.text(c.signer.credentials, body)
  type.text(
    opts.signedAt ? `Electronically signed on ${formatClinicDateTime(opts.signedAt, c.timeZone, { style: 'numeric', withZone: true })}` : 'Not signed.',
    { weight: 'regular', size: 9.5 },
  )
  doc.end()
  return done
}
