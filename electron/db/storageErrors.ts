/**
 * A SQLite file whose storage failed under it: the disk is full, the file or its drive became read-only, or
 * the drive went away (a network share unmounted, a USB disk pulled). The transaction was rolled back, so
 * nothing was half-written; the person is told what happened in words and keeps what they typed.
 * better-sqlite3 reports SQLite's extended result codes as `err.code` (SQLITE_FULL, SQLITE_READONLY_DBMOVED,
 * SQLITE_IOERR_WRITE, ...); https://www.sqlite.org/rescode.html
 */
import { accessSync, constants, existsSync } from 'node:fs'
import path from 'node:path'

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK)
    return true
  } catch {
    return false
  }
}

type Trouble = 'full' | 'readOnly' | 'unreachable'

function troubleOf(err: unknown): Trouble | null {
  const code = (err as { code?: unknown })?.code
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_NOSPC') return 'full'
  if (code.startsWith('SQLITE_READONLY')) return 'readOnly'
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) return 'unreachable'
  return null
}

const ON_SAVE: Record<Trouble, string> = {
  full: "The disk that holds the clinic's database is full, so nothing was saved; your work is kept on screen. Free some space on that disk (or ask your IT person) and save again.",
  readOnly:
    "The clinic's database can only be read just now (its file or drive was made read-only), so nothing was saved; your work is kept on screen. Ask your IT person to make it writable again, then save again.",
  unreachable:
    "The clinic's database file could not be reached (a network drive or USB disk may have been disconnected), so nothing was saved; your work is kept on screen. Reconnect it and save again.",
}

/** What to tell the person whose call failed this way, or null when the error is not a storage failure. */
export function storageProblem(err: unknown): string | null {
  const t = troubleOf(err)
  return t ? ON_SAVE[t] : null
}

/** The same at start (the app cannot open the file): an Error whose message names the file and what to do. */
export function storageProblemAtStart(err: unknown, file: string): Error | null {
  let t = troubleOf(err)
  if (!t) return null
  // SQLite cannot open (CANTOPEN) a WAL database on a read-only drive: it must create the -shm file beside it.
  if (t === 'unreachable' && existsSync(file) && !writable(path.dirname(file))) t = 'readOnly'
  const what = {
    full: `The disk that holds the clinic's database (${file}) is full, so the app cannot start on it. Free some space on that disk and start again.`,
    readOnly: `The clinic's database ${file} can only be read just now (its file or drive is read-only), so the app cannot start on it. Ask your IT person to make it writable again, then start again.`,
    unreachable: `The clinic's database ${file} could not be reached (a network drive or USB disk may be disconnected). Reconnect it and start again.`,
  }[t]
  return new Error(what, { cause: err })
}
