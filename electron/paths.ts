import { homedir } from 'node:os'
import path from 'node:path'

export const PRODUCT_NAME = 'Spine Clinic'
export const DATABASE_FILE_NAME = 'clinic.sqlite'

function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix
}

/**
 * The folder Electron's app.getPath('userData') gives for our product name, computed without
 * Electron so that the development bridge and the admin command line find the same database.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const p = pathFor(platform)
  if (platform === 'win32') return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', PRODUCT_NAME)
  return p.join(env.XDG_CONFIG_HOME || p.join(home, '.config'), PRODUCT_NAME)
}

export function defaultDatabaseFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  return pathFor(platform).join(userDataDir(env, platform, home), DATABASE_FILE_NAME)
}

/**
 * This computer's settings folder for the app (the saved database connection): the user-data folder, or
 * CLINIC_CONFIG_DIR when set (the browser tests point it at a throwaway folder).
 */
export function settingsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  return env.CLINIC_CONFIG_DIR || userDataDir(env, platform, home)
}

/**
 * Where this computer writes the audit log's anchors (its head written down outside the database; see
 * services/auditAnchors.ts): CLINIC_ANCHOR_DIR when set; `audit-anchors` in CLINIC_CONFIG_DIR when that is
 * set (development and the browser tests); otherwise a folder beside the app's data folder, "Spine Clinic
 * Anchors" (`~/.config/Spine Clinic Anchors` on Linux), so that it is never the folder of the app's own
 * database: whoever copies, replaces or trims that folder does not take the anchors with it.
 */
export function anchorDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.CLINIC_ANCHOR_DIR) return env.CLINIC_ANCHOR_DIR
  const p = pathFor(platform)
  if (env.CLINIC_CONFIG_DIR) return p.join(env.CLINIC_CONFIG_DIR, 'audit-anchors')
  const data = userDataDir(env, platform, home)
  return p.join(p.dirname(data), `${PRODUCT_NAME} Anchors`)
}

/** Where backups go when the administrator has not chosen a folder: `backups` next to the database. */
export function defaultBackupFolder(databaseFile: string): string {
  return path.join(path.dirname(path.resolve(databaseFile)), 'backups')
}
