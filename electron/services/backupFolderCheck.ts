/**
 * Checks a backup folder the administrator chooses (Settings, `admin settings set backupFolder`) before it is
 * saved: the daily backup at 19:00 must not be the first to find out that the folder cannot be written.
 * Nothing is created here: backupToFolder makes the folder when it first writes a backup.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import path from 'node:path'

export interface BackupFolderCheck {
  /** why backups cannot be written there, in words, or null */
  problem: string | null
  /**
   * The folder is the database's folder or inside it, on the same disk: one failing disk (or one deleted
   * folder) would take the backups with the database. Allowed only when the administrator confirms it.
   */
  insideDatabaseFolderOnSameDisk: boolean
}

/** The folder itself if it exists, else its nearest existing parent (where it would be created). */
function nearestExisting(folder: string): string {
  let at = folder
  while (!existsSync(at)) {
    const up = path.dirname(at)
    if (up === at) break
    at = up
  }
  return at
}

export function checkBackupFolder(folder: string, databaseFile: string): BackupFolderCheck {
  const resolved = path.resolve(folder)
  const existing = nearestExisting(resolved)
  let problem: string | null = null
  try {
    const st = statSync(existing)
    if (!st.isDirectory()) problem = existing === resolved ? `${resolved} is a file, not a folder.` : `${existing} is a file, so ${resolved} cannot be made under it.`
    else accessSync(existing, constants.W_OK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    problem = code === 'EACCES' || code === 'EPERM' ? `this computer's account may not write in ${existing}.` : `${existing} cannot be read (${code ?? String(err)}).`
  }
  const databaseFolder = path.dirname(path.resolve(databaseFile))
  const rel = path.relative(databaseFolder, resolved)
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
  let sameDisk = false
  if (inside && !problem) {
    try {
      sameDisk = statSync(existing).dev === statSync(databaseFolder).dev
    } catch {
      sameDisk = true // cannot tell: ask, as for the same disk
    }
  }
  return { problem, insideDatabaseFolderOnSameDisk: inside && sameDisk }
}
