/**
 * The discharge summary as a PDF, made in the main process with pdfkit, in embedded Unicode fonts (../pdfFonts.ts)
 * so that every patient's and clinician's name comes out as written.
 * The same data, signature and time always give the same bytes (the creation date and the file ID come from
 * the signing time), so a stored PDF can be made again from the data it was made from and compared.
 */
import { formatClinicDateTime, labelClinicWallTime } from '../../../shared/clinicClock'
import type { DischargeContent } from '../../../shared/schemas/discharge'
import { startPdf } from '../pdfDocument'
import { PdfTypesetter, type PdfFontMode } from '../pdfFonts'

export interface PdfSignature {
  signerName: string
  signedAt: string
  contentHash: string
}

export interface PdfOptions {
  signature: PdfSignature | null
  /** a line across the top: 'DRAFT - NOT SIGNED', 'ENTERED IN ERROR: reason' */
  banner?: string
  /** the document's creation time (the signing time for a signed summary) */
  createdAt: string
  /** 'standard': pdfkit's Helvetica, as summaries signed before embedded fonts were made (to check those) */
  fonts?: PdfFontMode
}

/**
 * A time on the summary: in the clinic's time zone, named ('2026-12-06 19:40 (America/New_York, UTC-05:00)').
 * A summary signed before its content named the zone showed UTC; it is made again the same way.
 */
const clinicTime = (iso: string, zone: string | undefined) => (zone ? formatClinicDateTime(iso, zone, { style: 'numeric', withZone: true }) : `${iso.slice(0, 16).replace('T', ' ')} UTC`)

export function makeDischargePdf(c: DischargeContent, opts: PdfOptions): Promise<Buffer> {
  const { doc, bytes: done } = startPdf({ title: `Discharge summary - ${c.patient.name} - ${c.procedure.date}`, author: c.clinicName, subject: `${c.procedure.kindLabel} ${c.procedure.date}`, createdAt: opts.createdAt, margin: 54 })

  const type = new PdfTypesetter(doc, opts.fonts ?? 'embedded')
  const body = { weight: 'regular', size: 10.5 } as const
  const heading = (text: string) => {
    doc.moveDown(0.8).fillColor('#000')
    type.text(text, { weight: 'bold', size: 12 })
    doc.moveDown(0.2)
  }
  const para = (text: string) => type.text(text || '-', body, { lineGap: 2 })
  const lines = (text: string) => {
    const list = text.split('\n').map((l) => l.trim()).filter(Boolean)
    if (list.length === 0) para('-')
    else type.list(list, body, { bulletRadius: 1.5, lineGap: 2 })
  }

  if (opts.banner) {
    doc.fillColor('#b00020')
    type.text(opts.banner, { weight: 'bold', size: 13 }, { align: 'center' })
    doc.moveDown(0.5).fillColor('#000')
  }
  type.text(c.clinicName, { weight: 'bold', size: 16 })
  type.text('Discharge summary', { weight: 'regular', size: 13 })
  doc.moveDown(0.5)
  para(`Patient: ${c.patient.name}    MRN: ${c.patient.mrn}    Date of birth: ${c.patient.dateOfBirth}`)
  para(`Procedure: ${c.procedure.kindLabel} on ${c.procedure.date}    Physician: ${c.procedure.physician}`)

  heading('Levels treated')
  if (c.levels.length === 0) para('No level recorded')
  for (const l of c.levels) {
    para(`${l.level}: ${l.approach}, cement ${l.cementType || 'type not recorded'}, ${l.cementVolumeMl === null ? 'volume not recorded' : `${l.cementVolumeMl} mL`}; cement leakage: ${l.leakage}`)
  }
  para(`Total cement: ${c.totalCementMl} mL`)

  heading('Complications')
  if (c.complications.length === 0) para('None recorded')
  else lines(c.complications.join('\n'))

  heading('Disposition')
  if (!c.disposition) para('Not decided')
  else {
    para(`${c.disposition.label}${c.disposition.reasons ? `. Reason: ${c.disposition.reasons}` : ''}`)
    para(`Decided by ${c.disposition.decidedBy} at ${clinicTime(c.disposition.decidedAt, c.timeZone)}`)
    // a same-day discharge against the recovery record (content signed before it was recorded has no `override`)
    if (c.disposition.override) {
      para(`Same-day discharge against the recovery record. Override reason: ${c.disposition.override.reason}`)
      para('What the recovery record showed:')
      lines(c.disposition.override.blockers.join('\n'))
    }
  }

  // the observation stay's flags; content signed before they were recorded, or a stay kept to the minimums, prints none
  if (c.observationFlags && c.observationFlags.length > 0) {
    heading('Observation stay')
    lines(c.observationFlags.join('\n'))
  }

  heading('Medications at discharge')
  lines(c.medications)
  // from the pre-procedure checklist; content signed before it was recorded, or with no drug held, prints none
  if (c.antithromboticRestarts && c.antithromboticRestarts.length > 0) {
    para('Anticoagulants and antiplatelets held for the procedure:')
    lines(c.antithromboticRestarts.map((r) => `${r.drug}: ${r.restartOn ? `restart on ${r.restartOn}` : 'restart date not recorded: ask the clinic'}`).join('\n'))
  }

  heading('Activity guidelines')
  lines(c.activityGuidelines)

  heading('Warning signs: call the clinic or 911')
  lines(c.warningSigns)

  heading('Follow-up appointments')
  if (c.followUps.length === 0) para('None planned')
  for (const f of c.followUps) para(`${f.label}: around ${f.targetDate}${f.appointment ? `, booked ${c.timeZone ? labelClinicWallTime(f.appointment, c.timeZone) : f.appointment}` : ', to be booked by the front desk'}`)

  doc.moveDown(1.5)
  if (opts.signature) {
    para(`Electronically signed by ${opts.signature.signerName} on ${clinicTime(opts.signature.signedAt, c.timeZone)}`)
    doc.font('Courier').fontSize(8).text(`Content SHA-256 ${opts.signature.contentHash}`)
  } else {
    para('Not signed.')
  }
  doc.end()
  return done
}
