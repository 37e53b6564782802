/**
 * A printed reminder letter (a patient without e-mail, or who asked for letters): one page, in the clinic's
 * Unicode font (../pdfFonts.ts), with the clinic's name, the date, the patient's name and postal address for the
 * envelope window, and the same clinic template as the e-mail. Nothing clinical.
 */
import { startPdf } from '../pdfDocument'
import { PdfTypesetter } from '../pdfFonts'
import type { ReminderContent } from './content'

export interface LetterFacts {
  clinicName: string
  clinicAddress: string
  patientName: string
  patientAddress: string
  /** the letter's date line (clinic's calendar) */
  letterDate: string
  /** the document's creation time: the same row gives the same bytes */
  createdAt: string
}

export function makeReminderLetterPdf(content: ReminderContent, facts: LetterFacts): Promise<Buffer> {
  const { doc, bytes: done } = startPdf({ title: `Appointment reminder - ${content.values.date}`, author: facts.clinicName, createdAt: facts.createdAt, margin: 72 })
  const type = new PdfTypesetter(doc)
  type.text(facts.clinicName, { weight: 'bold', size: 14 })
  if (facts.clinicAddress) type.text(facts.clinicAddress, { weight: 'regular', size: 10 })
  doc.moveDown(2)
  type.text(facts.patientName, { weight: 'regular', size: 11 })
  for (const line of facts.patientAddress.split(/\r?\n/)) if (line.trim()) type.text(line.trim(), { weight: 'regular', size: 11 })
  doc.moveDown(2)
  type.text(facts.letterDate, { weight: 'regular', size: 11 })
  doc.moveDown(1)
  type.text(content.subject, { weight: 'bold', size: 12 })
  doc.moveDown(0.8)
  for (const para of content.text.split(/\r?\n/)) {
    if (para.trim() === '') doc.moveDown(0.6)
    else type.text(para, { weight: 'regular', size: 11 }, { lineGap: 2 })
  }
  doc.end()
  return done
}
