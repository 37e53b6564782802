/**
 * Files the app creates (the database and its WAL, backups and their manifests, exports, logs, the audit
 * anchor) hold patient data or evidence: readable by the account that runs the app only (0600, folders
 * 0700) on Linux and macOS. Setting the process's umask once at start covers every file any module or
 * library creates afterwards (SQLite gives its -wal and -shm files the database file's mode). Windows has no
 * umask; there the files inherit the ACL of the user's profile folder, which is already private.
 */
import { chmodSync, existsSync } from 'node:fs'

export function ownerOnlyNewFiles(): void {
  if (process.platform !== 'win32') process.umask(0o077)
}

/** A database file made by an older version (or copied in) is narrowed to the owner when the app opens it. */
export function narrowToOwner(file: string): void {
  if (process.platform === 'win32') return
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (existsSync(f)) chmodSync(f, 0o600)
    } catch {
      // not ours to change (another account's file opened read-write through a group): leave it as it is
    }
  }
}
