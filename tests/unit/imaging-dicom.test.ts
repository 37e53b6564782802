/**
 * The imaging import's pure parts: a DICOM file's header as the import reads it (dicom-parser, on files dcmjs wrote
 * here), a DICOMDIR read by its offsets or in stored order, what a refused file is said to be, and the patient on
 * the disc compared with the chart's.
 */
import { describe, expect, it } from 'vitest'
import { readDicomdir } from '../../electron/services/imaging/dicomdir'
import { checkPixelDataWhole, dicomDate, DicomFileProblem, notDicomReason, parseDicom, readHeader } from '../../electron/services/imaging/dicomFile'
import { compareIdentity, displayDicomName, nameAgrees } from '../../electron/services/imaging/identity'
import { dicomdir, JPEG_BYTES, lateralSpine, mrSeries, newStudy, type TestPatient } from '../fixtures/dicomStudies'

const PATIENT: TestPatient = { name: 'Núñez-García^María José', birthDate: '19480229', id: 'IMG-1' }

describe('a DICOM file header', () => {
  it('gives the UIDs, the patient (UTF-8 names), the study and the image facts', () => {
    const study = newStudy()
    const cr = lateralSpine(PATIENT, study, { spacing: [0.15, 0.2], imagerSpacing: [0.17, 0.17] })
    const h = readHeader(parseDicom(cr.bytes, { headerOnly: true }))
    expect(h).toMatchObject({
      sopInstanceUid: cr.sopInstanceUid,
      studyInstanceUid: study.studyInstanceUid,
      seriesInstanceUid: cr.seriesInstanceUid,
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      patientName: 'Núñez-García^María José',
      patientBirthDate: '1948-02-29',
      studyDate: '2026-11-02',
      modality: 'CR',
      rows: 400,
      columns: 200,
      frames: 1,
      pixelSpacing: { row: 0.15, column: 0.2 },
      imagerPixelSpacing: { row: 0.17, column: 0.17 },
      windowCenter: 110,
      windowWidth: 220,
      instanceNumber: 1,
      hasPixelData: true,
    })
  })
  it('has no spacing when the image has none', () => {
    const h = readHeader(parseDicom(lateralSpine(PATIENT, newStudy(), { noSpacing: true }).bytes, { headerOnly: true }))
    expect([h.pixelSpacing, h.imagerPixelSpacing]).toEqual([null, null])
  })
  it('says what a refused file is: not DICOM (and what it seems to be), or damaged', () => {
    expect(() => parseDicom(JPEG_BYTES, { headerOnly: true })).toThrow('not a DICOM file (a JPEG image)')
    expect(notDicomReason(new TextEncoder().encode('Viewer: run VIEWER.EXE'))).toBe('not a DICOM file')
    expect(notDicomReason(new Uint8Array())).toBe('empty file')
    const garbage = new Uint8Array(400).fill(7)
    garbage.set([0x44, 0x49, 0x43, 0x4d], 128)
    expect(() => parseDicom(garbage, { headerOnly: true })).toThrow(DicomFileProblem)
    expect(() => parseDicom(garbage, { headerOnly: true })).toThrow(/^damaged DICOM file/)
  })
  it('reads the header of a file cut short in its image data, and refuses the whole file', () => {
    const mr = mrSeries(PATIENT, newStudy(), 1)[0]!
    const cut = mr.bytes.subarray(0, mr.bytes.length - 3000)
    expect(readHeader(parseDicom(cut, { headerOnly: true })).sopInstanceUid).toBe(mr.sopInstanceUid)
    expect(() => {
      const ds = parseDicom(cut, { headerOnly: false })
      checkPixelDataWhole(ds, cut.length)
    }).toThrow(/^damaged DICOM file/)
  })
  it('reads DICOM dates, refusing ones that do not exist', () => {
    expect([dicomDate('19480229'), dicomDate('1948.02.29'), dicomDate('19490229'), dicomDate(''), dicomDate(undefined), dicomDate('2026')]).toEqual(['1948-02-29', '1948-02-29', null, null, null, null])
  })
})

describe('a DICOMDIR', () => {
  const studies = [newStudy({ studyDate: '20261102' }), newStudy({ studyDate: '20261104', description: 'MRI' })]
  const cr = lateralSpine(PATIENT, studies[0]!)
  const mr = mrSeries(PATIENT, studies[1]!, 3)
  const files = [cr, ...mr].map((instance, i) => ({ fileId: ['IMAGES', `IM${i + 1}`], instance }))

  it('lists each file with its patient, study and series, by the records offsets or in stored order alike', () => {
    const byOffsets = readDicomdir(dicomdir(PATIENT, studies, files))
    const inOrder = readDicomdir(dicomdir(PATIENT, studies, files, { offsets: false }))
    expect(byOffsets).toEqual(inOrder)
    expect(byOffsets.map((e) => [e.fileId.join('/'), e.sopInstanceUid, e.studyInstanceUid, e.modality])).toEqual(
      files.map((f) => [f.fileId.join('/'), f.instance.sopInstanceUid, f.instance.studyInstanceUid, f.instance.modality]),
    )
    expect(byOffsets[0]).toMatchObject({ patientName: 'Núñez-García^María José', patientBirthDate: '1948-02-29', studyDate: '2026-11-02', patientId: 'IMG-1' })
  })
  it('refuses an image that is not a DICOMDIR', () => {
    expect(() => readDicomdir(cr.bytes)).toThrow(/without a directory record sequence/)
  })
})

describe('the patient on the disc against the chart', () => {
  const chart = { firstName: 'María José', lastName: 'Núñez-García', dateOfBirth: '1948-02-29' }
  it('matches whatever the case, accents and punctuation, and more or fewer given names', () => {
    for (const pn of ['NUNEZ-GARCIA^MARIA JOSE', 'Núñez García^María', 'nunez garcia^maria jose^', 'MARIA JOSE NUNEZ GARCIA']) {
      expect(nameAgrees(chart, pn), pn).toBe(true)
    }
    expect(compareIdentity(chart, { patientName: 'NUNEZ-GARCIA^MARIA JOSE', patientBirthDate: '1948-02-29' })).toEqual({ matches: true, differences: [] })
  })
  it('differs on another family name, another given name, another or a missing birth date, a missing name', () => {
    expect(nameAgrees(chart, 'NUNEZ^MARIA')).toBe(false)
    expect(nameAgrees(chart, 'NUNEZ-GARCIA^JOSE')).toBe(false)
    expect(nameAgrees(chart, 'NUNEZ-GARCIA')).toBe(false)
    expect(compareIdentity(chart, { patientName: 'NUNEZ-GARCIA^MARIA', patientBirthDate: '1948-03-01' }).differences).toEqual(["Birth date on the disc is 03/01/1948, the chart's is 02/29/1948"])
    expect(compareIdentity(chart, { patientName: '', patientBirthDate: null }).differences).toEqual([
      "No patient name on the disc (the chart's is Núñez-García, María José)",
      "No birth date on the disc (the chart's is 02/29/1948)",
    ])
  })
  it('shows a DICOM name as the clinic writes one', () => {
    expect([displayDicomName('NUNEZ^MARIA^JOSE^DR'), displayDicomName('NUNEZ'), displayDicomName('^MARIA')]).toEqual(['NUNEZ, DR MARIA JOSE', 'NUNEZ', 'MARIA'])
  })
})
