/**
 * The database connection saved on the Database screen: `database.json` in this computer's settings folder
 * (next to the default SQLite file), and how the app picks its database at start:
 *
 *   command line (--db-url / --db) > CLINIC_DB_URL > CLINIC_DB_FILE > the saved setting > the app's own SQLite file
 *
 * The file holds no password in plain text: only the keystore's encrypted form, or none at all.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { PostgresConnection, SqliteConnection, type DbSource, type SavedConnection } from '../../shared/schemas/database'
import { parseDbTarget, type DbTarget } from './connect'
import type { SecretStore } from './secretStore'

export const CONNECTION_FILE_NAME = 'database.json'

/** The file's shape; `password` is the keystore's encrypted text (base64), or null. */
export const StoredConnection = z.object({
  format: z.literal(1),
  connection: z.discriminatedUnion('engine', [
    SqliteConnection.extend({ file: z.string() }),
    PostgresConnection.omit({ password: true }).extend({ password: z.object({ keystore: z.string().min(1) }).nullable() }),
  ]),
  savedAt: z.string(),
  savedBy: z.string(),
})
export type StoredConnection = z.infer<typeof StoredConnection>

export function connectionFile(configDir: string): string {
  return path.join(configDir, CONNECTION_FILE_NAME)
}

/** The saved connection, or null when none was saved. A damaged file is an error that says which file. */
export function readStoredConnection(configDir: string): StoredConnection | null {
  const file = connectionFile(configDir)
  if (!existsSync(file)) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    throw new Error(`The database setting in ${file} is not readable JSON. Delete the file to use the app's own SQLite file, or fix it.`)
  }
  const r = StoredConnection.safeParse(parsed)
  if (!r.success) throw new Error(`The database setting in ${file} is not valid (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}). Delete the file, or save the connection again.`)
  return r.data
}

/** The raw text of the file (to tell whether it changed since the app started), '' when there is none. */
export function storedConnectionText(configDir: string): string {
  try {
    return readFileSync(connectionFile(configDir), 'utf8')
  } catch {
    return ''
  }
}

/** Written whole to a temporary file and renamed over the old one; readable by this user only. */
export function writeStoredConnection(configDir: string, stored: StoredConnection): void {
  mkdirSync(configDir, { recursive: true })
  const file = connectionFile(configDir)
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, JSON.stringify(StoredConnection.parse(stored), null, 2) + '\n', { mode: 0o600 })
  renameSync(tmp, file)
}

/** The view of a saved connection: never the password, only whether one is saved. */
export function savedView(stored: StoredConnection): SavedConnection {
  const c = stored.connection
  if (c.engine === 'sqlite') return c
  const { password, ...rest } = c
  return { ...rest, passwordSaved: password !== null }
}

type PostgresSettings = Omit<z.infer<typeof PostgresConnection>, 'password'>

/**
 * A postgres:// URL node-postgres understands. sslmode: disable (TLS off), verify-full (TLS, certificate
 * and host name checked against the trusted authorities) or no-verify (TLS without checking).
 * Without a password node-postgres reads PGPASSWORD or ~/.pgpass, as libpq does.
 */
export function postgresUrl(c: PostgresSettings, password = ''): string {
  const host = c.host.includes(':') ? `[${c.host}]` : c.host
  const auth = encodeURIComponent(c.user) + (password ? `:${encodeURIComponent(password)}` : '')
  const sslmode = !c.tls ? 'disable' : c.verifyCertificate ? 'verify-full' : 'no-verify'
  return `postgres://${auth}@${host}:${c.port}/${encodeURIComponent(c.database)}?sslmode=${sslmode}`
}

/** A target for display: the file, or the URL without its password. */
export function describeDbTarget(target: DbTarget): string {
  if (target.engine === 'sqlite') return target.file
  try {
    const u = new URL(target.url)
    if (u.password) u.password = ''
    return u.toString().replace(/^(postgres(ql)?:\/\/[^@/]*):@/, '$1@')
  } catch {
    return 'postgres://(an address that could not be read)'
  }
}

export async function storedTarget(stored: StoredConnection, secrets: SecretStore, defaultFile: string): Promise<DbTarget> {
  const c = stored.connection
  if (c.engine === 'sqlite') return { engine: 'sqlite', file: c.file || defaultFile }
  const password = c.password ? await secrets.decrypt(c.password.keystore) : ''
  return { engine: 'postgres', url: postgresUrl(c, password) }
}

export interface ResolvedDbTarget {
  target: DbTarget
  source: DbSource
}

export interface StartupChoice {
  /** --db-url and --db of the process's own command line. */
  cliDbUrl?: string
  cliDb?: string
  env: NodeJS.ProcessEnv
  configDir: string
  secrets: SecretStore
  defaultFile: string
}

/** Which database this start uses, and why (the Database screen shows both). */
export async function resolveStartupTarget(choice: StartupChoice): Promise<ResolvedDbTarget> {
  if (choice.cliDbUrl) return { target: parseDbTarget(choice.cliDbUrl), source: 'command-line' }
  if (choice.cliDb) return { target: { engine: 'sqlite', file: path.resolve(choice.cliDb) }, source: 'command-line' }
  const url = choice.env.CLINIC_DB_URL
  if (url) return { target: parseDbTarget(url), source: 'CLINIC_DB_URL' }
  const file = choice.env.CLINIC_DB_FILE
  if (file) return { target: { engine: 'sqlite', file: path.resolve(file) }, source: 'CLINIC_DB_FILE' }
  const stored = readStoredConnection(choice.configDir)
  if (stored) return { target: await storedTarget(stored, choice.secrets, choice.defaultFile), source: 'saved' }
  return { target: { engine: 'sqlite', file: choice.defaultFile }, source: 'default' }
}

export const SOURCE_EXPLANATIONS: Record<DbSource, string> = {
  'command-line': 'Given on the command line (--db-url or --db) when this app was started; that wins over CLINIC_DB_URL and over the setting saved here.',
  CLINIC_DB_URL: 'The CLINIC_DB_URL environment variable is set on this computer; it wins over the setting saved here (remove it to use the saved setting).',
  CLINIC_DB_FILE: 'The CLINIC_DB_FILE environment variable is set on this computer; it wins over the setting saved here (remove it to use the saved setting).',
  saved: 'The connection saved on this screen.',
  default: 'Nothing else was chosen, so this is the app’s own SQLite file on this computer (one workstation).',
}

/** What the running app knows about its own connection, for the Database screen's channels. */
export interface ConnectionHost {
  configDir: string
  secrets: SecretStore
  defaultFile: string
  inEffect: ResolvedDbTarget
  /** The settings file's text when the app started ('' = none): a different text now needs a restart. */
  startupText: string
}

export function connectionHost(opts: Omit<ConnectionHost, 'startupText'>): ConnectionHost {
  return { ...opts, startupText: storedConnectionText(opts.configDir) }
}
