import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'Spine Clinic'

/**
 * The folder Electron's app.getPath('userData') gives for our product name, computed without
 * Electron so that the development bridge and the admin command line find the same database.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), PRODUCT_NAME)
}

export function defaultDatabaseFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), 'clinic.sqlite')
}
