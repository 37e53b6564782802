/**
 * Reading one DICOM Part 10 file's header with dicom-parser.
 *
 * Why dicom-parser (1.8.21) in the main process and not dcmjs (0.51.1): it only reads, which is all the import
 * does; it has no dependencies (dcmjs brings lodash, ndarray, pako, gl-matrix, adm-zip and Babel's runtime into the
 * main bundle); it ships its own TypeScript types; it can stop before the pixel data (`untilTag`), and it reads
 * values lazily from the bytes instead of copying every element into objects, so a header costs little whatever
 * the image's size. It is also the parser Cornerstone's loaders use, should the viewer (point 2) take Cornerstone3D.
 * dcmjs stays in the tests, which need to WRITE studies.
 *
 * Text: DICOM strings are ASCII unless Specific Character Set (0008,0005) says otherwise; ISO_IR 192 is UTF-8
 * (what dcmjs and most modern writers use), ISO_IR 100 Latin-1. Other character sets (Japanese, Chinese, Greek...)
 * are read as Latin-1: the UIDs, dates and numbers the import relies on are ASCII anyway, and a name read wrongly
 * shows as a difference from the chart, which the user must confirm, never as a silent match.
 */
import * as dicomParserModule from 'dicom-parser'
import type { DataSet } from 'dicom-parser'

// The package is a webpack UMD build: Node's own loader (the tests) shows it as a default export, esbuild's
// bundle as named exports.
const dicomParser: typeof dicomParserModule = (dicomParserModule as { default?: typeof dicomParserModule }).default ?? dicomParserModule

export const TAG = {
  transferSyntax: 'x00020010',
  charset: 'x00080005',
  sopClass: 'x00080016',
  sopInstance: 'x00080018',
  studyDate: 'x00080020',
  accession: 'x00080050',
  modality: 'x00080060',
  studyDescription: 'x00081030',
  seriesDescription: 'x0008103e',
  patientName: 'x00100010',
  patientId: 'x00100020',
  patientBirthDate: 'x00100030',
  bodyPart: 'x00180015',
  imagerPixelSpacing: 'x00181164',
  studyInstance: 'x0020000d',
  seriesInstance: 'x0020000e',
  seriesNumber: 'x00200011',
  instanceNumber: 'x00200013',
  sliceLocation: 'x00201041',
  frames: 'x00280008',
  rows: 'x00280010',
  columns: 'x00280011',
  pixelSpacing: 'x00280030',
  windowCenter: 'x00281050',
  windowWidth: 'x00281051',
  pixelData: 'x7fe00010',
} as const

/** The patient, study, series and instance facts the import groups, compares and stores. */
export interface DicomHeader {
  sopInstanceUid: string
  sopClassUid: string
  studyInstanceUid: string
  seriesInstanceUid: string
  transferSyntaxUid: string
  /** DICOM's Family^Given^Middle^Prefix^Suffix (alphabetic group only) */
  patientName: string
  patientId: string
  /** YYYY-MM-DD or null */
  patientBirthDate: string | null
  studyDate: string | null
  studyDescription: string
  accessionNumber: string
  modality: string
  seriesDescription: string
  seriesNumber: number | null
  bodyPart: string
  instanceNumber: number | null
  rows: number | null
  columns: number | null
  frames: number
  pixelSpacing: { row: number; column: number } | null
  imagerPixelSpacing: { row: number; column: number } | null
  windowCenter: number | null
  windowWidth: number | null
  sliceLocation: number | null
  hasPixelData: boolean
}

/** Why a file is not imported; `kind` separates "not DICOM at all" from "DICOM, but damaged or incomplete". */
export class DicomFileProblem extends Error {
  constructor(
    readonly kind: 'notDicom' | 'damaged' | 'incomplete',
    message: string,
  ) {
    super(message)
    this.name = 'DicomFileProblem'
  }
}

const MAGIC: [string, number[]][] = [
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['a TIFF image', [0x49, 0x49, 0x2a, 0x00]],
  ['a TIFF image', [0x4d, 0x4d, 0x00, 0x2a]],
  ['a Windows program', [0x4d, 0x5a]],
  ['an HTML page', [0x3c, 0x21, 0x44, 0x4f, 0x43]],
]

/** The 128-byte preamble and "DICM" of a Part 10 file (PS3.10 7.1). */
export function isDicomPart10(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
}

/** "not a DICOM file (a JPEG image)": what a refused file seems to be, from its first bytes. */
export function notDicomReason(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty file'
  const seems = MAGIC.find(([, m]) => m.every((b, i) => bytes[i] === b))?.[0]
  return `not a DICOM file${seems ? ` (${seems})` : ''}`
}

function parserMessage(err: unknown): string {
  const e = (err as { exception?: unknown })?.exception ?? err
  const text = typeof e === 'string' ? e : e instanceof Error ? e.message : String(e)
  // "dicomParser:parseDicomDataSetExplicit: buffer overrun" -> "buffer overrun"
  return text.replace(/^dicomParser[.:][A-Za-z0-9]+:\s*/, '')
}

/**
 * Parses a Part 10 file. `headerOnly` stops at the pixel data (the scan); otherwise the whole file is walked, so a
 * file cut short (a scratched CD, a copy interrupted) is refused instead of stored.
 */
export function parseDicom(bytes: Uint8Array, opts: { headerOnly: boolean }): DataSet {
  if (!isDicomPart10(bytes)) throw new DicomFileProblem('notDicom', notDicomReason(bytes))
  try {
    return dicomParser.parseDicom(bytes, opts.headerOnly ? { untilTag: TAG.pixelData } : {})
  } catch (err) {
    throw new DicomFileProblem('damaged', `damaged DICOM file (${parserMessage(err)})`)
  }
}

/** The decoder for the data set's character set (see the module's note). */
export function textDecoder(ds: DataSet, inherited?: string): (ds: DataSet, tag: string) => string {
  const charset = (ds.string(TAG.charset) ?? inherited ?? '').toUpperCase()
  const encoding: BufferEncoding = charset.includes('ISO_IR 192') ? 'utf8' : 'latin1'
  return (set, tag) => {
    const el = set.elements[tag]
    if (!el || el.length === 0) return ''
    const raw = set.byteArray.subarray(el.dataOffset, el.dataOffset + el.length)
    const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString(encoding)
    // NUL padding and control characters never belong in a value (and PostgreSQL's text refuses NUL)
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  }
}

/** DICOM DA "YYYYMMDD" (or the old "YYYY.MM.DD") as YYYY-MM-DD; null when absent or not a real date. */
export function dicomDate(value: string | undefined): string | null {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec((value ?? '').trim())
  if (!m) return null
  const iso = `${m[1]}-${m[2]}-${m[3]}`
  const d = new Date(`${iso}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso
}

function num(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value
}

function int(ds: DataSet, tag: string): number | null {
  const el = ds.elements[tag]
  if (!el || el.length === 0) return null
  // US (rows, columns) is binary; IS (instance number, frames) is text
  const v = el.vr === 'US' || (el.vr === undefined && el.length === 2 && (tag === TAG.rows || tag === TAG.columns)) ? ds.uint16(tag) : ds.intString(tag)
  return v === undefined || !Number.isInteger(v) ? null : v
}

/** The index-th value of a decimal string; null when absent (dicom-parser throws on an index past the last value). */
function decimal(ds: DataSet, tag: string, index = 0): number | null {
  try {
    return num(ds.floatString(tag, index))
  } catch {
    return null
  }
}

function spacing(ds: DataSet, tag: string): { row: number; column: number } | null {
  const row = decimal(ds, tag, 0)
  const column = decimal(ds, tag, 1)
  return row !== null && column !== null && row > 0 && column > 0 ? { row, column } : null
}

/** The alphabetic group of a Person Name ("Yamada^Tarou=山田^太郎" -> "Yamada^Tarou"), trailing carets dropped. */
export function alphabeticName(pn: string): string {
  return (pn.split('=')[0] ?? '').replace(/\^+$/, '').trim()
}

/** The header's facts; a file without the three UIDs that place it (study, series, instance) is refused. */
export function readHeader(ds: DataSet): DicomHeader {
  const text = textDecoder(ds)
  const uid = (tag: string) => (ds.string(tag) ?? '').replace(/[^0-9.]/g, '')
  const header: DicomHeader = {
    sopInstanceUid: uid(TAG.sopInstance),
    sopClassUid: uid(TAG.sopClass),
    studyInstanceUid: uid(TAG.studyInstance),
    seriesInstanceUid: uid(TAG.seriesInstance),
    transferSyntaxUid: uid(TAG.transferSyntax),
    patientName: alphabeticName(text(ds, TAG.patientName)),
    patientId: text(ds, TAG.patientId),
    patientBirthDate: dicomDate(ds.string(TAG.patientBirthDate)),
    studyDate: dicomDate(ds.string(TAG.studyDate)),
    studyDescription: text(ds, TAG.studyDescription),
    accessionNumber: text(ds, TAG.accession),
    modality: (ds.string(TAG.modality) ?? '').trim().toUpperCase(),
    seriesDescription: text(ds, TAG.seriesDescription),
    seriesNumber: int(ds, TAG.seriesNumber),
    bodyPart: text(ds, TAG.bodyPart),
    instanceNumber: int(ds, TAG.instanceNumber),
    rows: int(ds, TAG.rows),
    columns: int(ds, TAG.columns),
    frames: Math.max(1, int(ds, TAG.frames) ?? 1),
    pixelSpacing: spacing(ds, TAG.pixelSpacing),
    imagerPixelSpacing: spacing(ds, TAG.imagerPixelSpacing),
    windowCenter: decimal(ds, TAG.windowCenter),
    windowWidth: decimal(ds, TAG.windowWidth),
    sliceLocation: decimal(ds, TAG.sliceLocation),
    hasPixelData: ds.elements[TAG.pixelData] !== undefined,
  }
  const missing = [
    ['SOP Instance UID', header.sopInstanceUid],
    ['Study Instance UID', header.studyInstanceUid],
    ['Series Instance UID', header.seriesInstanceUid],
  ].filter(([, v]) => !v || v.length > 64)
  if (missing.length > 0) throw new DicomFileProblem('incomplete', `DICOM file without a usable ${missing.map(([n]) => n).join(', ')}`)
  return header
}

/**
 * The pixel data's bytes must all be in the file: a file cut short inside the pixel data still parses when its
 * length is read but not its content, so the full parse is checked here too.
 */
export function checkPixelDataWhole(ds: DataSet, fileLength: number): void {
  const el = ds.elements[TAG.pixelData]
  if (!el) return
  if (el.hadUndefinedLength) return // encapsulated: the parser walked every fragment to its delimiter
  if (el.dataOffset + el.length > fileLength) throw new DicomFileProblem('damaged', 'damaged DICOM file (the image data is cut short)')
}
