/**
 * What a folder (a CD's mount point, a USB stick, a copied folder) holds, before anything is stored: its DICOMDIR
 * where it has one (the disc's own index: nothing else is opened), otherwise every file's header. The result keeps
 * one small entry per file (its path and UIDs), never a file's bytes: a CD of thousands of images is read one
 * header at a time.
 */
import { constants as fsConstants, type Dirent } from 'node:fs'
import { access, open, readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { AppError } from '../../../shared/result'
import type { SkippedFile } from '../../../shared/schemas/imaging'
import { readDicomdir } from './dicomdir'
import { DicomFileProblem, parseDicom, readHeader, type DicomHeader } from './dicomFile'

/** A folder with more files than this is not a disc (the whole drive chosen by mistake): refused, not walked. */
export const MAX_FILES = 100_000
/** The header of almost any image fits here; a file whose header does not is read whole. */
const HEADER_BYTES = 256 * 1024

export interface ScannedFile {
  /** absolute path */
  path: string
  /** the path inside the folder, shown to the user */
  rel: string
  sopInstanceUid: string
  studyInstanceUid: string
  seriesInstanceUid: string
}

export interface ScannedSeries {
  seriesInstanceUid: string
  seriesNumber: number | null
  modality: string
  description: string
  images: number
}

export interface ScannedStudy {
  studyInstanceUid: string
  patientName: string
  patientId: string
  patientBirthDate: string | null
  studyDate: string | null
  description: string
  accessionNumber: string
  series: Map<string, ScannedSeries>
  images: number
}

export interface FolderScan {
  folder: string
  source: 'dicomdir' | 'walk'
  files: ScannedFile[]
  studies: Map<string, ScannedStudy>
  skipped: SkippedFile[]
}

const invalidFolder = (message: string) => new AppError('invalid_input', `Please correct: Folder ${message}.`, { folder: message })

/**
 * The folder the user named, checked by the main process (exists, is a folder, can be read). Absolute only: a
 * relative path would be resolved against wherever the app happened to start.
 */
export async function checkFolder(folder: string): Promise<string> {
  if (!path.isAbsolute(folder)) throw invalidFolder('must be a full path (for example /media/cdrom or D:\\)')
  const resolved = path.resolve(folder)
  // the whole system or its virtual folders are never a disc (and some of their files block when read); /run is
  // not refused: udisks mounts CDs and USB sticks under /run/media
  if (process.platform !== 'win32' && (resolved === '/' || /^\/(proc|sys|dev)(\/|$)/.test(resolved))) throw invalidFolder(`is a system folder, not a disc (${resolved})`)
  let st
  try {
    st = await stat(resolved)
  } catch {
    throw invalidFolder(`does not exist (${resolved})`)
  }
  if (!st.isDirectory()) throw invalidFolder(`is a file, not a folder (${resolved})`)
  try {
    await access(resolved, fsConstants.R_OK | fsConstants.X_OK)
  } catch {
    throw invalidFolder(`cannot be read (permission denied: ${resolved})`)
  }
  return resolved
}

/** The first bytes of a file (its header), or the whole file when it is smaller. */
async function readStart(file: string, bytes: number): Promise<{ head: Buffer; size: number }> {
  const fh = await open(file, 'r')
  try {
    const { size } = await fh.stat()
    const buf = Buffer.alloc(Math.min(size, bytes))
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
    return { head: buf.subarray(0, bytesRead), size }
  } finally {
    await fh.close()
  }
}

/** One file's header; a header longer than HEADER_BYTES is read from the whole file. */
export async function readFileHeader(file: string): Promise<DicomHeader> {
  const { head, size } = await readStart(file, HEADER_BYTES)
  try {
    return readHeader(parseDicom(head, { headerOnly: true }))
  } catch (err) {
    if (!(err instanceof DicomFileProblem) || err.kind !== 'damaged' || size <= head.length) throw err
    return readHeader(parseDicom(await readFile(file), { headerOnly: true }))
  }
}

export function fileProblemReason(err: unknown): string {
  if (err instanceof DicomFileProblem) return err.message
  const code = (err as { code?: string })?.code
  if (code === 'ENOENT') return 'was removed while the folder was read'
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)'
  if (code === 'EIO') return 'cannot be read (the disc or drive reported an error)'
  return `cannot be read (${(err as Error)?.message ?? String(err)})`
}

/** Every regular file under the folder, sorted; links are not followed (a link could lead out of the disc, or round in a loop). */
async function walk(folder: string): Promise<string[]> {
  const out: string[] = []
  const dirs = [folder]
  while (dirs.length > 0) {
    const dir = dirs.pop()!
    let entries: Dirent[]
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      continue
    }
    for (const e of entries) {
      const full = path.join(dir, e.name)
      if (e.isDirectory()) dirs.push(full)
      else if (e.isFile() && e.name.toUpperCase() !== 'DICOMDIR') out.push(full)
      if (out.length > MAX_FILES) throw invalidFolder(`holds more than ${MAX_FILES.toLocaleString('en-US')} files: choose the disc's own folder`)
    }
  }
  return out.sort()
}

/** Finds a DICOMDIR path component by component, ignoring case (a disc's names are upper case; a copy may not be). */
class CaseInsensitiveLookup {
  private listings = new Map<string, Map<string, string> | null>()
  constructor(private readonly root: string) {}

  private async listing(dir: string): Promise<Map<string, string> | null> {
    if (!this.listings.has(dir)) {
      try {
        const names = await readdir(dir)
        this.listings.set(dir, new Map(names.map((n) => [n.toUpperCase(), n])))
      } catch {
        this.listings.set(dir, null)
      }
    }
    return this.listings.get(dir)!
  }

  async find(components: string[]): Promise<string | null> {
    let dir = this.root
    for (const c of components) {
      // a DICOMDIR names files inside the disc: never a way out of it
      if (c === '.' || c === '..' || c.includes('/') || c.includes('\\') || c.includes('\u0000')) return null
      const actual = (await this.listing(dir))?.get(c.toUpperCase())
      if (!actual) return null
      dir = path.join(dir, actual)
    }
    return dir
  }
}

/** What places a file in its study and series: the same in a file's header and in a DICOMDIR's records. */
type Placement = Pick<
  DicomHeader,
  | 'sopInstanceUid'
  | 'studyInstanceUid'
  | 'seriesInstanceUid'
  | 'patientName'
  | 'patientId'
  | 'patientBirthDate'
  | 'studyDate'
  | 'studyDescription'
  | 'accessionNumber'
  | 'modality'
  | 'seriesNumber'
  | 'seriesDescription'
>

function addToStudies(studies: Map<string, ScannedStudy>, h: Placement): void {
  let study = studies.get(h.studyInstanceUid)
  if (!study) {
    study = {
      studyInstanceUid: h.studyInstanceUid,
      patientName: h.patientName,
      patientId: h.patientId,
      patientBirthDate: h.patientBirthDate,
      studyDate: h.studyDate,
      description: h.studyDescription,
      accessionNumber: h.accessionNumber,
      series: new Map(),
      images: 0,
    }
    studies.set(h.studyInstanceUid, study)
  }
  study.images++
  let series = study.series.get(h.seriesInstanceUid)
  if (!series) {
    series = { seriesInstanceUid: h.seriesInstanceUid, seriesNumber: h.seriesNumber, modality: h.modality, description: h.seriesDescription, images: 0 }
    study.series.set(h.seriesInstanceUid, series)
  }
  series.images++
}

async function findDicomdir(folder: string): Promise<string | null> {
  const names = await readdir(folder)
  const name = names.find((n) => n.toUpperCase() === 'DICOMDIR')
  return name ? path.join(folder, name) : null
}

export interface ScanOptions {
  signal?: AbortSignal
  onFile?: (done: number) => void
}

/** Reads the folder's DICOMDIR, or walks it when it has none (or one that cannot be read, which is listed). */
export async function scanFolder(folder: string, opts: ScanOptions = {}): Promise<FolderScan> {
  const root = await checkFolder(folder)
  const skipped: SkippedFile[] = []
  const studies = new Map<string, ScannedStudy>()
  const files: ScannedFile[] = []
  const seen = new Map<string, string>()
  const rel = (p: string) => path.relative(root, p) || path.basename(p)
  const add = (file: string, h: Placement) => {
    const first = seen.get(h.sopInstanceUid)
    if (first) {
      skipped.push({ file: rel(file), reason: `the same image as ${first} (same SOP Instance UID)` })
      return
    }
    seen.set(h.sopInstanceUid, rel(file))
    files.push({ path: file, rel: rel(file), sopInstanceUid: h.sopInstanceUid, studyInstanceUid: h.studyInstanceUid, seriesInstanceUid: h.seriesInstanceUid })
    addToStudies(studies, h)
  }

  const dicomdir = await findDicomdir(root)
  if (dicomdir) {
    try {
      const entries = readDicomdir(await readFile(dicomdir))
      if (entries.length === 0) throw new DicomFileProblem('incomplete', 'DICOMDIR lists no images')
      const lookup = new CaseInsensitiveLookup(root)
      for (const [i, e] of entries.entries()) {
        if (opts.signal?.aborted) break
        const file = await lookup.find(e.fileId)
        if (!file) {
          skipped.push({ file: e.fileId.join('/'), reason: 'listed in the DICOMDIR but not on the disc' })
          continue
        }
        if (e.sopInstanceUid && e.studyInstanceUid && e.seriesInstanceUid) {
          add(file, e)
        } else {
          // a record without the UIDs: the file's own header says them
          try {
            add(file, await readFileHeader(file))
          } catch (err) {
            skipped.push({ file: rel(file), reason: fileProblemReason(err) })
          }
        }
        opts.onFile?.(i + 1)
      }
      return { folder: root, source: 'dicomdir', files, studies, skipped }
    } catch (err) {
      if (!(err instanceof DicomFileProblem)) throw err
      skipped.push({ file: rel(dicomdir), reason: `${err.message}: the disc's index could not be used, every file was read instead` })
    }
  }

  const all = await walk(root)
  for (const [i, file] of all.entries()) {
    if (opts.signal?.aborted) break
    try {
      add(file, await readFileHeader(file))
    } catch (err) {
      skipped.push({ file: rel(file), reason: fileProblemReason(err) })
    }
    opts.onFile?.(i + 1)
  }
  return { folder: root, source: 'walk', files, studies, skipped }
}
