/**
 * What a file attached to the chart really is, judged by its first bytes (its "magic number"), never by its name
 * or the type the system claims: a renamed program must not reach a workstation that opens the chart. Pure, so the
 * renderer can say the same thing before sending and the main process (which decides) after receiving.
 *
 * Signatures: PDF "%PDF-" (ISO 32000-1 §7.5.2), JPEG FF D8 FF (JFIF/Exif SOI marker), PNG 89 50 4E 47 0D 0A 1A 0A
 * (PNG spec §5.2), TIFF "II*\0" / "MM\0*" (TIFF 6.0 §2), plain text: valid UTF-8 without NUL bytes. Programs:
 * Windows "MZ", ELF 7F "ELF", Mach-O FEEDFACE/FEEDFACF (either byte order) and universal CAFEBABE, scripts "#!".
 */

export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'text/plain'] as const
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number]

export const MEDIA_TYPE_WORDS: Record<DocumentMediaType, string> = {
  'application/pdf': 'a PDF',
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/tiff': 'a TIFF image',
  'text/plain': 'a plain text file',
}

/** The file name endings each type may carry; a name with none of these endings (or no ending) goes by content. */
const EXTENSIONS: Record<string, DocumentMediaType> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jfif: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain',
  text: 'text/plain',
}

/** The accept list for a file input: the types and their endings. */
export const DOCUMENT_ACCEPT = [...DOCUMENT_MEDIA_TYPES, ...Object.keys(EXTENSIONS).map((e) => `.${e}`)].join(',')

export type Sniffed = { ok: true; mediaType: DocumentMediaType } | { ok: false; reason: 'empty' | 'executable' | 'unsupported' | 'mismatch'; message: string }

const startsWith = (b: Uint8Array, sig: readonly number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x)

const PROGRAMS: { sig: number[]; words: string }[] = [
  { sig: [0x4d, 0x5a], words: 'a Windows program (MZ)' },
  { sig: [0x7f, 0x45, 0x4c, 0x46], words: 'a Linux program (ELF)' },
  { sig: [0xfe, 0xed, 0xfa, 0xce], words: 'a macOS program (Mach-O)' },
  { sig: [0xfe, 0xed, 0xfa, 0xcf], words: 'a macOS program (Mach-O)' },
  { sig: [0xce, 0xfa, 0xed, 0xfe], words: 'a macOS program (Mach-O)' },
  { sig: [0xcf, 0xfa, 0xed, 0xfe], words: 'a macOS program (Mach-O)' },
  { sig: [0xca, 0xfe, 0xba, 0xbe], words: 'a macOS or Java program' },
  { sig: [0x23, 0x21], words: 'a script (#!)' },
]

/** The program kind the bytes start as, or null. */
export function programKind(bytes: Uint8Array): string | null {
  return PROGRAMS.find((p) => startsWith(bytes, p.sig))?.words ?? null
}

/** The type the content is, by its first bytes; null when it is none of the five. */
export function contentType(bytes: Uint8Array): DocumentMediaType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff'
  if (isUtf8Text(bytes)) return 'text/plain'
  return null
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** The type a file's name claims by its ending, or null (no ending, or one this list does not know). */
export function nameType(fileName: string): { ext: string; type: DocumentMediaType | null } | null {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(fileName.trim())
  if (!m) return null
  const ext = m[1]!.toLowerCase()
  return { ext, type: EXTENSIONS[ext] ?? null }
}

/** Whether this file may be attached, and as what; the refusal's message names the file. */
export function sniffDocument(fileName: string, bytes: Uint8Array): Sniffed {
  const name = `"${fileName}"`
  if (bytes.byteLength === 0) return { ok: false, reason: 'empty', message: `${name} is empty (0 bytes): there is nothing to attach.` }
  const program = programKind(bytes)
  if (program) return { ok: false, reason: 'executable', message: `${name} is ${program}, not a document: programs are never attached to a chart.` }
  const claimed = nameType(fileName)
  if (claimed && claimed.type === null) {
    return { ok: false, reason: 'unsupported', message: `${name} is a .${claimed.ext} file: only PDF, JPEG, PNG, TIFF and plain text files can be attached.` }
  }
  const actual = contentType(bytes)
  if (!actual) {
    return {
      ok: false,
      reason: claimed ? 'mismatch' : 'unsupported',
      message: claimed
        ? `${name} is named as ${MEDIA_TYPE_WORDS[claimed.type!]} but its content is not one (it may be damaged or renamed).`
        : `${name} is not a PDF, JPEG, PNG, TIFF or plain text file.`,
    }
  }
  if (claimed && claimed.type !== actual) {
    return { ok: false, reason: 'mismatch', message: `${name} is named as ${MEDIA_TYPE_WORDS[claimed.type!]} but its content is ${MEDIA_TYPE_WORDS[actual]}: rename it or attach the right file.` }
  }
  return { ok: true, mediaType: actual }
}

/** A title from a file name: its ending and underscores gone ("MRI_report_2026.pdf" -> "MRI report 2026"). */
export function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]{1,10}$/, '')
  return base.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200)
}
