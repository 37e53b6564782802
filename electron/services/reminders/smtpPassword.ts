/**
 * The SMTP password, kept as the database password is (electron/db/secretStore.ts): encrypted with this computer's
 * keystore (the desktop app's safeStorage) in `smtp-password.json` in the app's settings folder, never in the
 * database, the settings document or the audit log. Where no keystore exists (the development bridge, the admin
 * command line, tests) it is refused with advice; a process may instead be given `CLINIC_SMTP_PASSWORD` in its
 * environment (the server's scheduled `admin reminders run`), which wins over the saved one.
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import type { SecretStore } from '../../db/secretStore'

export const SMTP_PASSWORD_FILE = 'smtp-password.json'
export const SMTP_PASSWORD_ENV = 'CLINIC_SMTP_PASSWORD'

export const NO_KEYSTORE_SMTP_ADVICE =
  'Leave the SMTP password empty if the clinic\'s server takes mail from this network without signing in, or send from the ' +
  `server's scheduled task (npm run admin -- reminders run) with the password in its ${SMTP_PASSWORD_ENV} environment variable.`

export interface SmtpPasswordSource {
  configDir?: string
  secrets?: SecretStore
  env?: Record<string, string | undefined>
}

export type SmtpPasswordState = { source: 'env' | 'saved' | 'none'; password: string } | { source: 'unreadable'; password: ''; problem: string }

/** The password this process would sign in with, and where it comes from. */
export async function readSmtpPassword(src: SmtpPasswordSource): Promise<SmtpPasswordState> {
  const env = src.env?.[SMTP_PASSWORD_ENV]
  if (env) return { source: 'env', password: env }
  if (!src.configDir) return { source: 'none', password: '' }
  const file = path.join(src.configDir, SMTP_PASSWORD_FILE)
  if (!existsSync(file)) return { source: 'none', password: '' }
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { keystore?: string }
    if (!stored.keystore || !src.secrets) throw new Error('no keystore')
    return { source: 'saved', password: await src.secrets.decrypt(stored.keystore) }
  } catch {
    return {
      source: 'unreadable',
      password: '',
      problem: `The SMTP password saved on this computer cannot be read here (was it saved by another user or computer, or by the desktop app while this is the command line?). Save it again in Settings > Reminders, or set ${SMTP_PASSWORD_ENV}.`,
    }
  }
}

/** Saves (or with '' removes) the password on this computer; refuses where no keystore can protect it. */
export async function saveSmtpPassword(configDir: string, secrets: SecretStore, password: string): Promise<void> {
  const file = path.join(configDir, SMTP_PASSWORD_FILE)
  if (password === '') {
    rmSync(file, { force: true })
    return
  }
  const reason = await secrets.unavailableReason()
  if (reason) throw new Error(`${reason.split('. ')[0]}. ${NO_KEYSTORE_SMTP_ADVICE}`)
  mkdirSync(configDir, { recursive: true, mode: 0o700 })
  writeFileSync(file, JSON.stringify({ keystore: await secrets.encrypt(password) }), { mode: 0o600 })
}
