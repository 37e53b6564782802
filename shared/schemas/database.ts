import { z } from 'zod'

/**
 * Which database this workstation uses, as the administrator chooses it on the Database screen: the
 * app's SQLite file (one workstation) or the clinic's PostgreSQL server (several). One schema for the
 * form and the router; the password is never part of what is shown back or stored in plain text.
 */

export const DEFAULT_POSTGRES_PORT = 5432

/** '' (the app's own file) or a full path: the main process checks it against its own platform too. */
export const SqliteConnection = z.object({
  engine: z.literal('sqlite'),
  file: z
    .string({ message: 'must be text' })
    .trim()
    .max(1000, { message: 'must be at most 1000 characters' })
    .refine((f) => f === '' || /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(f), { message: 'must be a full file path, such as /srv/clinic/clinic.sqlite, or empty for the app’s own file' })
    .default(''),
})

const name = (what: string) =>
  z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(63, { message: 'must be at most 63 characters' })
    .regex(/^[A-Za-z0-9_.$@-]+$/, { message: `must be the ${what}: letters, digits and _ . $ @ - only` })

export const PostgresConnection = z.object({
  engine: z.literal('postgres'),
  host: z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(253, { message: 'must be at most 253 characters' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, { message: 'must be a server name or IP address, such as db.clinic.local or 192.168.1.20' }),
  port: z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be from 1 to 65535' })
    .max(65535, { message: 'must be from 1 to 65535' })
    .default(DEFAULT_POSTGRES_PORT),
  database: name('database name'),
  user: name('user name'),
  /** '' = no password here: the server trusts this computer, or ~/.pgpass (pgpass.conf on Windows) holds it. */
  password: z.string({ message: 'must be text' }).max(200, { message: 'must be at most 200 characters' }).default(''),
  tls: z.boolean({ message: 'must be on or off' }).default(true),
  /** Check the server's certificate against the trusted authorities (and its name against the host). */
  verifyCertificate: z.boolean({ message: 'must be on or off' }).default(true),
})

export const DbConnectionInput = z.discriminatedUnion('engine', [SqliteConnection, PostgresConnection], { message: 'must be sqlite or postgres' })
export type DbConnectionInput = z.infer<typeof DbConnectionInput>
export type PostgresConnection = z.infer<typeof PostgresConnection>

/** What the test found. Only empty, current and older can be saved. */
export const DB_TEST_OUTCOMES = ['empty', 'current', 'older', 'newer', 'foreign', 'failed'] as const
export const DbTestResult = z.object({
  ok: z.boolean(),
  outcome: z.enum(DB_TEST_OUTCOMES),
  /** e.g. "PostgreSQL 15.8" or "SQLite 3.46.1"; null when the connection failed. */
  serverVersion: z.string().nullable(),
  message: z.string(),
  /** A password was given that this computer cannot store (no OS keystore): saving it will be refused. */
  passwordNotStorable: z.boolean(),
})
export type DbTestResult = z.infer<typeof DbTestResult>

/** Where the connection in effect came from, strongest first. */
export const DB_SOURCES = ['command-line', 'CLINIC_DB_URL', 'CLINIC_DB_FILE', 'saved', 'default'] as const
export type DbSource = (typeof DB_SOURCES)[number]

export const SavedConnection = z.discriminatedUnion('engine', [
  SqliteConnection.extend({ file: z.string() }),
  PostgresConnection.omit({ password: true }).extend({ passwordSaved: z.boolean() }),
])
export type SavedConnection = z.infer<typeof SavedConnection>

export const DbConnectionView = z.object({
  inEffect: z.object({
    engine: z.enum(['sqlite', 'postgres']),
    /** The file, or postgres://user@host:port/db with no password. */
    description: z.string(),
    source: z.enum(DB_SOURCES),
    explanation: z.string(),
  }),
  saved: SavedConnection.nullable(),
  savedAt: z.string().nullable(),
  savedBy: z.string().nullable(),
  /** The saved setting changed since this app started: it applies on the next start. */
  restartNeeded: z.boolean(),
  defaultSqliteFile: z.string(),
  settingsFile: z.string(),
  passwordStorage: z.object({ available: z.boolean(), message: z.string() }),
})
export type DbConnectionView = z.infer<typeof DbConnectionView>
