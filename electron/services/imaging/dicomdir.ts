/**
 * A disc's DICOMDIR (PS3.10 and PS3.3 F.3): the index of its files, patient > study > series > image records,
 * read so that the preview can say what the disc holds without opening thousands of files.
 *
 * The hierarchy is followed by the records' offsets (0004,1200 the root's first record, 0004,1400 the next
 * record at the same level, 0004,1420 the first record one level down), as the standard defines it. Writers that
 * leave the offsets zero or wrong exist; then the records are read in the order they are stored, which is the
 * depth-first order (patient, its studies, each study's series, each series' images) writers use in practice.
 * Records marked not in use (0004,1410 = 0) are skipped.
 */
import type { DataSet, Element } from 'dicom-parser'
import { alphabeticName, dicomDate, parseDicom, textDecoder, DicomFileProblem } from './dicomFile'

const T = {
  rootFirst: 'x00041200',
  records: 'x00041220',
  next: 'x00041400',
  inUse: 'x00041410',
  lower: 'x00041420',
  type: 'x00041430',
  fileId: 'x00041500',
  refSopInstance: 'x00041511',
} as const

/** One file the DICOMDIR lists, with what its patient, study and series records say. */
export interface DicomdirEntry {
  /** the path inside the disc, as components ("IMAGES", "IM0001") */
  fileId: string[]
  sopInstanceUid: string
  studyInstanceUid: string
  seriesInstanceUid: string
  patientName: string
  patientId: string
  patientBirthDate: string | null
  studyDate: string | null
  studyDescription: string
  accessionNumber: string
  modality: string
  seriesNumber: number | null
  seriesDescription: string
}

interface Ctx {
  patient?: DataSet
  study?: DataSet
  series?: DataSet
}

function recordType(ds: DataSet): string {
  return (ds.string(T.type) ?? '').trim().toUpperCase()
}

/** Reads the DICOMDIR's bytes; a file that is not one (or is damaged) throws DicomFileProblem. */
export function readDicomdir(bytes: Uint8Array): DicomdirEntry[] {
  const root = parseDicom(bytes, { headerOnly: false })
  const seq = root.elements[T.records]
  if (!seq?.items) throw new DicomFileProblem('incomplete', 'DICOMDIR without a directory record sequence')
  const text = textDecoder(root)
  const items = seq.items.filter((i): i is Element & { dataSet: DataSet } => i.dataSet !== undefined)
  const entries: DicomdirEntry[] = []
  const uid = (ds: DataSet | undefined, tag: string) => (ds?.string(tag) ?? '').replace(/[^0-9.]/g, '')

  const visit = (ds: DataSet, ctx: Ctx): Ctx => {
    if (ds.uint16(T.inUse) === 0) return ctx
    const type = recordType(ds)
    if (type === 'PATIENT') return { patient: ds }
    if (type === 'STUDY') return { patient: ctx.patient, study: ds }
    if (type === 'SERIES') return { ...ctx, series: ds }
    const fileIdRaw = ds.string(T.fileId)
    if (fileIdRaw && ctx.series) {
      const { patient, study, series } = ctx
      entries.push({
        fileId: fileIdRaw.split('\\').map((c) => c.trim()).filter((c) => c !== ''),
        sopInstanceUid: uid(ds, T.refSopInstance),
        studyInstanceUid: uid(study, 'x0020000d'),
        seriesInstanceUid: uid(series, 'x0020000e'),
        patientName: patient ? alphabeticName(text(patient, 'x00100010')) : '',
        patientId: patient ? text(patient, 'x00100020') : '',
        patientBirthDate: dicomDate(patient?.string('x00100030')),
        studyDate: dicomDate(study?.string('x00080020')),
        studyDescription: study ? text(study, 'x00081030') : '',
        accessionNumber: study ? text(study, 'x00080050') : '',
        modality: (series.string('x00080060') ?? '').trim().toUpperCase(),
        seriesNumber: intOrNull(series.intString('x00200011')),
        seriesDescription: text(series, 'x0008103e'),
      })
    }
    return ctx
  }

  // By offsets: an item's offset is where its Item tag starts, 8 bytes before its data.
  const byOffset = new Map(items.map((i) => [i.dataOffset - 8, i.dataSet]))
  const first = root.uint32(T.rootFirst)
  if (first !== undefined && byOffset.has(first)) {
    const seen = new Set<number>()
    const walk = (offset: number | undefined, ctx: Ctx): void => {
      while (offset !== undefined && offset !== 0 && !seen.has(offset)) {
        const ds = byOffset.get(offset)
        if (!ds) return
        seen.add(offset)
        const inner = visit(ds, ctx)
        walk(ds.uint32(T.lower), inner)
        offset = ds.uint32(T.next)
      }
    }
    walk(first, {})
    if (entries.length > 0) return entries
  }

  // In stored order (depth first).
  let ctx: Ctx = {}
  for (const i of items) {
    const type = recordType(i.dataSet)
    const inner = visit(i.dataSet, ctx)
    if (type === 'PATIENT' || type === 'STUDY' || type === 'SERIES') ctx = inner
  }
  return entries
}

function intOrNull(v: number | undefined): number | null {
  return v === undefined || !Number.isInteger(v) ? null : v
}
