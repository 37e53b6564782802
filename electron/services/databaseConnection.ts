/**
 * The Database screen: which database this workstation uses, testing a connection, and saving it for the
 * next start. A test connects, reads the server's version and the schema steps the database holds, and
 * says in words what it found; only a successful test of exactly the values being saved lets them be
 * saved (remembered per window for a quarter of an hour). The password is never shown back, logged or
 * audited, and is stored only encrypted by the OS keystore.
 */
import Database from 'better-sqlite3'
import { createHmac, randomBytes } from 'node:crypto'
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { LATEST_MIGRATION, MIGRATIONS } from '../../migrations'
import { AppError } from '../../shared/result'
import type { DbConnectionInput, DbConnectionView, DbTestResult, PostgresConnection } from '../../shared/schemas/database'
import {
  connectionFile,
  describeDbTarget,
  readStoredConnection,
  savedView,
  SOURCE_EXPLANATIONS,
  storedConnectionText,
  writeStoredConnection,
  type ConnectionHost,
} from '../db/connectionSettings'
import { sqliteLibraryOptions } from '../db/connect'
import type { ServiceContext } from './context'
import { requireActor } from './context'

/** The oldest PostgreSQL the app is tested on (README: 15 or newer, with pg_trgm and unaccent). */
export const MIN_POSTGRES_VERSION_NUM = 150000
const CONNECT_TIMEOUT_MS = 5000
const TEST_VALID_MS = 15 * 60_000

type Probe = Omit<DbTestResult, 'passwordNotStorable'>

function requireHost(ctx: ServiceContext): ConnectionHost {
  if (!ctx.connection) throw new AppError('conflict', 'This process was started without a settings folder, so its database connection cannot be changed here.')
  return ctx.connection
}

const failed = (message: string, serverVersion: string | null = null): Probe => ({ ok: false, outcome: 'failed', serverVersion, message })

/** What the schema steps recorded in a database mean for this version of the app. */
function classify(applied: string[], otherTables: number, serverVersion: string): Probe {
  const unknown = applied.filter((n) => !(n in MIGRATIONS))
  const prefix = `Connected to ${serverVersion}.`
  if (unknown.length > 0) {
    return {
      ok: false,
      outcome: 'newer',
      serverVersion,
      message: `${prefix} This database was written by a newer version of Spine Clinic (schema steps ${unknown.join(', ')} are unknown to this one), so this version must not use it. Install the newer version on this workstation first.`,
    }
  }
  if (applied.length === 0 && otherTables > 0) {
    return {
      ok: false,
      outcome: 'foreign',
      serverVersion,
      message: `${prefix} The database is not empty but holds no Spine Clinic data (${otherTables} other table${otherTables === 1 ? '' : 's'}). Choose an empty database or the clinic's own.`,
    }
  }
  if (applied.length === 0) return { ok: true, outcome: 'empty', serverVersion, message: `${prefix} The database is empty: the app will create its tables when it next starts, and the clinic's first-run setup will follow.` }
  const last = applied.at(-1)!
  if (last === LATEST_MIGRATION && applied.length === Object.keys(MIGRATIONS).length) {
    return { ok: true, outcome: 'current', serverVersion, message: `${prefix} The database is up to date for this version of the app (schema step ${last}).` }
  }
  return {
    ok: true,
    outcome: 'older',
    serverVersion,
    message: `${prefix} The database is from an older version of the app (schema step ${last}; this version brings it to ${LATEST_MIGRATION}). The app updates it when it next starts (a SQLite file is backed up first; back up a PostgreSQL database with pg_dump before).`,
  }
}

function sqliteLibraryVersion(): string {
  const mem = new Database(':memory:', sqliteLibraryOptions())
  try {
    return `SQLite ${(mem.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v}`
  } finally {
    mem.close()
  }
}

function nearestExistingFolder(file: string): string | null {
  let dir = path.dirname(file)
  for (;;) {
    if (existsSync(dir)) return statSync(dir).isDirectory() ? dir : null
    const up = path.dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

function probeSqlite(file: string): Probe {
  if (!path.isAbsolute(file)) throw new AppError('invalid_input', 'The database file must be a full path on this computer.', { file: 'must be a full path on this computer' })
  const version = sqliteLibraryVersion()
  if (!existsSync(file)) {
    const folder = nearestExistingFolder(file)
    if (!folder) return failed(`There is no folder to create ${file} in.`, version)
    try {
      accessSync(folder, constants.W_OK)
    } catch {
      return failed(`The app may not write in ${folder}, so it cannot create ${file} there.`, version)
    }
    return { ok: true, outcome: 'empty', serverVersion: version, message: `${version}. There is no file at ${file} yet: the app will create a new, empty clinic database there when it next starts.` }
  }
  if (!statSync(file).isFile()) return failed(`${file} is not a database file (it is a folder or a device).`, version)
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, ...sqliteLibraryOptions() })
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name)
    const applied = tables.includes('kysely_migration')
      ? (db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name)
      : []
    return classify(applied, applied.length ? 0 : tables.length, version)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'SQLITE_NOTADB') return failed(`${file} is not a SQLite database.`, version)
    return failed(`${file} could not be read: ${(err as Error).message}.`, version)
  } finally {
    db?.close()
  }
}

const TLS_CERT_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/

/** The failure in words an administrator can act on. The password never appears (pg does not put it in messages; it is masked anyway). */
function describePgFailure(err: unknown, c: PostgresConnection): string {
  const e = err as { code?: string; message?: string }
  const where = `${c.host}:${c.port}`
  const raw = (e.message ?? String(err)).split(c.password || '\u0000').join('***')
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Nothing answers at ${where} (connection refused). Is PostgreSQL running there, listening on that address (listen_addresses) and port, with no firewall in the way?`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The server name "${c.host}" is not known on this network. Check the spelling, or use the server's IP address.`
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this computer (${e.code}). Check the address and the network.`
    case '28P01':
      return `The server refused the user name or password (${raw}).`
    case '28000':
      return `The server does not let this computer or user connect (${raw}). The server's pg_hba.conf must allow it.`
    case '3D000':
      return `There is no database "${c.database}" on ${where}. Create it first (README: "Several workstations").`
  }
  if (/timeout/i.test(raw)) return `No answer from ${where} within ${CONNECT_TIMEOUT_MS / 1000} seconds. Check the address, the port and the network (a firewall may be dropping the connection).`
  if (/does not support SSL/i.test(raw)) return `The server at ${where} does not accept TLS connections. Turn TLS on at the server (ssl = on), or turn TLS off here if the network between them is trusted.`
  if (e.code && TLS_CERT_CODES.test(e.code)) {
    return `The server's TLS certificate could not be verified (${e.code}: ${raw}). Give the server a certificate from an authority this computer trusts, for the name "${c.host}"; turn off "Verify the server's certificate" only on a network you trust.`
  }
  if (/client password must be a string|password authentication|no password/i.test(raw)) {
    return `The server asks for a password, and none was given here or found in this computer's ~/.pgpass file.`
  }
  return `Could not connect to ${where}: ${raw}`
}

async function probePostgres(c: PostgresConnection): Promise<Probe> {
  const client = new pg.Client({
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    ...(c.password ? { password: c.password } : {}),
    ssl: c.tls ? { rejectUnauthorized: c.verifyCertificate } : false,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: CONNECT_TIMEOUT_MS,
    application_name: 'Spine Clinic connection test',
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (err) {
    await client.end().catch(() => undefined)
    return failed(describePgFailure(err, c))
  }
  try {
    const v = await client.query<{ num: string; version: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version")
    const num = Number(v.rows[0]!.num)
    const serverVersion = `PostgreSQL ${v.rows[0]!.version.split(' ')[0]}`
    if (num < MIN_POSTGRES_VERSION_NUM) return failed(`${serverVersion} is too old: the app needs PostgreSQL 15 or newer.`, serverVersion)
    const reg = await client.query<{ has: boolean }>("SELECT to_regclass('public.kysely_migration') IS NOT NULL AS has")
    const applied = reg.rows[0]!.has ? (await client.query<{ name: string }>('SELECT name FROM public.kysely_migration ORDER BY name')).rows.map((r) => r.name) : []
    const others = applied.length
      ? 0
      : Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0]!.n)
    const result = classify(applied, others, serverVersion)
    if (result.ok && result.outcome !== 'current') {
      // The schema steps need the contrib extensions pg_trgm and unaccent.
      const ext = await client.query<{ name: string }>("SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')")
      const missing = ['pg_trgm', 'unaccent'].filter((n) => !ext.rows.some((r) => r.name === n))
      if (missing.length) return failed(`${result.message} But the server lacks the extension${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} (PostgreSQL's contrib package), which the app needs.`, serverVersion)
    }
    return result
  } catch (err) {
    return failed(`Connected, but the database could not be read: ${describePgFailure(err, c)}`)
  } finally {
    await client.end().catch(() => undefined)
  }
}

const FINGERPRINT_KEY = randomBytes(32)
/** Exactly these values (the password included), without keeping them: a keyed hash. */
function fingerprint(input: DbConnectionInput): string {
  const canonical = input.engine === 'sqlite' ? ['sqlite', input.file] : ['postgres', input.host, input.port, input.database, input.user, input.password, input.tls, input.verifyCertificate]
  return createHmac('sha256', FINGERPRINT_KEY).update(JSON.stringify(canonical)).digest('hex')
}

/** What the audit log records about a connection: never the password, only whether one was given. */
function auditDetails(input: DbConnectionInput): Record<string, unknown> {
  if (input.engine === 'sqlite') return { engine: 'sqlite', file: input.file || '(the app’s own file)' }
  const { password, ...rest } = input
  return { ...rest, passwordGiven: password !== '' }
}

const tested = new WeakMap<ConnectionHost, Map<string, { fingerprint: string; at: number }>>()
function testedBy(host: ConnectionHost) {
  let m = tested.get(host)
  if (!m) tested.set(host, (m = new Map()))
  return m
}

export async function connectionView(ctx: ServiceContext): Promise<DbConnectionView> {
  const host = requireHost(ctx)
  let stored
  try {
    stored = readStoredConnection(host.configDir)
  } catch (err) {
    throw new AppError('conflict', (err as Error).message)
  }
  const reason = await host.secrets.unavailableReason()
  const { target, source } = host.inEffect
  return {
    inEffect: { engine: target.engine, description: describeDbTarget(target), source, explanation: SOURCE_EXPLANATIONS[source] },
    saved: stored ? savedView(stored) : null,
    savedAt: stored?.savedAt ?? null,
    savedBy: stored?.savedBy ?? null,
    restartNeeded: storedConnectionText(host.configDir) !== host.startupText,
    defaultSqliteFile: host.defaultFile,
    settingsFile: connectionFile(host.configDir),
    passwordStorage: reason ? { available: false, message: reason } : { available: true, message: 'A password is stored encrypted with this computer’s keystore, never in plain text.' },
  }
}

export async function testConnection(ctx: ServiceContext, input: DbConnectionInput): Promise<DbTestResult> {
  const host = requireHost(ctx)
  const probe = input.engine === 'sqlite' ? probeSqlite(input.file || host.defaultFile) : await probePostgres(input)
  const reason = input.engine === 'postgres' && input.password !== '' ? await host.secrets.unavailableReason() : null
  const result: DbTestResult = {
    ...probe,
    message: probe.ok && reason ? `${probe.message} But this computer cannot store the password: ${reason}` : probe.message,
    passwordNotStorable: reason !== null,
  }
  if (result.ok) testedBy(host).set(ctx.windowId, { fingerprint: fingerprint(input), at: ctx.now().getTime() })
  else testedBy(host).delete(ctx.windowId)
  await ctx.audit({ action: 'database.test', entity: 'database', details: { ...auditDetails(input), outcome: result.outcome, serverVersion: result.serverVersion } })
  return result
}

export async function saveConnection(ctx: ServiceContext, input: DbConnectionInput): Promise<DbConnectionView> {
  const host = requireHost(ctx)
  const actor = requireActor(ctx)
  const last = testedBy(host).get(ctx.windowId)
  if (!last || last.fingerprint !== fingerprint(input) || ctx.now().getTime() - last.at > TEST_VALID_MS) {
    throw new AppError(
      'conflict',
      'Not saved: test the connection with exactly these values first. Saving is possible only after a successful test, within 15 minutes, of the same values.',
    )
  }
  let password: { keystore: string } | null = null
  if (input.engine === 'postgres' && input.password !== '') {
    const reason = await host.secrets.unavailableReason()
    if (reason) throw new AppError('invalid_input', `Not saved: the password cannot be stored on this computer. ${reason}`, { password: 'cannot be stored on this computer: leave it empty and use ~/.pgpass, or CLINIC_DB_URL' })
    password = { keystore: await host.secrets.encrypt(input.password) }
  }
  const savedAt = ctx.now().toISOString()
  const savedBy = actor.username
  if (input.engine === 'sqlite') {
    writeStoredConnection(host.configDir, { format: 1, connection: { engine: 'sqlite', file: input.file }, savedAt, savedBy })
  } else {
    const { password: _plain, ...rest } = input
    writeStoredConnection(host.configDir, { format: 1, connection: { ...rest, password }, savedAt, savedBy })
  }
  testedBy(host).delete(ctx.windowId)
  await ctx.audit({ action: 'database.save', entity: 'database', details: { ...auditDetails(input), passwordStored: password !== null } })
  return connectionView(ctx)
}
