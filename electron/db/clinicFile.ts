/**
 * Before the app opens a SQLite clinic file: a missing file is a new clinic only when nothing says a clinic
 * was here. A network drive that is not mounted, a USB disk that is not plugged in, or a file deleted by
 * mistake must not turn into an empty clinic and a first-run screen that a hurried person completes (the
 * next backup would then rotate out the real clinic's backups).
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { defaultBackupFolder } from '../paths'

export class ClinicFileMissingError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ClinicFileMissingError'
  }
}

export interface ClinicFileChecks {
  /** The folder may be created (the app's own data folder on a first start); elsewhere it must exist. */
  createFolder: boolean
  /** Evidence that a clinic used this file before (e.g. this computer's audit anchors for it), if any. */
  formerlyUsed?: () => string | null
}

/** Throws ClinicFileMissingError, naming what it found and what to do, when a missing file must not be created. */
export function checkClinicFile(file: string, checks: ClinicFileChecks): void {
  if (existsSync(file)) return
  const folder = path.dirname(path.resolve(file))
  if (!existsSync(folder)) {
    if (checks.createFolder) return
    throw new ClinicFileMissingError(
      `The folder of the clinic's database is not there: ${folder}. If it is on a network drive or a USB disk, connect it and start again. Nothing was created.`,
    )
  }
  const backups = backupsIn(defaultBackupFolder(file))
  const used = checks.formerlyUsed?.() ?? null
  if (backups.length === 0 && !used) return
  const evidence = backups.length > 0 ? `${backups.length} backup${backups.length === 1 ? '' : 's'} of it in ${defaultBackupFolder(file)}` : used
  throw new ClinicFileMissingError(
    `The clinic's database ${file} is missing, but a clinic was kept there (${evidence}). The app will not start an empty clinic in its place. ` +
      `If the file is on a drive that is not connected, connect it and start again; otherwise restore the newest backup ("Spine Clinic" --admin restore --from BACKUP --db "${file}").`,
  )
}

function backupsIn(folder: string): string[] {
  try {
    return readdirSync(folder).filter((n) => /\.sqlite$/i.test(n))
  } catch {
    return []
  }
}
