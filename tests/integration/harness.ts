/** A real clinic database in a temp folder, driven through the real router. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract'
import type { RpcResult } from '../../shared/result'
import type { Role } from '../../shared/roles'
import pg from 'pg'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { findPostgres } from '../../scripts/pg-throwaway.mjs'
import { fieldName } from '../../shared/fieldNames'
import { openDatabase, type AppDatabase, type DbTarget, type OpenOptions } from '../../electron/db/connect'
import { connectionHost, type ConnectionHost } from '../../electron/db/connectionSettings'
import { NO_KEYSTORE, type SecretStore } from '../../electron/db/secretStore'
import { migrateToLatest } from '../../electron/db/migrate'
import { createRouter, type Router, type RouterOptions } from '../../electron/rpc'
import { allExportsSettled } from '../../electron/services/outcomes/exportJobs'
import { setScryptCostForTests } from '../../electron/services/passwords'

// Hundreds of users are created and signed in here: hashed at a low cost (electron/services/passwords.ts says
// why; the unit tests, the bundled app and the browser tests hash at OWASP's).
setScryptCostForTests({ N: 2 ** 12, r: 8, p: 1 })

export const ADMIN = { displayName: 'Ada Admin', username: 'admin', password: 'admin-password-1' }
export const PASSWORD = 'correct-horse-1'

export interface Clinic {
  database: AppDatabase
  router: Router
  dir: string
  clock: { now: Date }
  /** The Database screen's view of this clinic: settings folder `dir/config`, no OS keystore unless given. */
  connection: ConnectionHost
  call<C extends Channel>(windowId: string, channel: C, input?: ChannelInput<C>): Promise<RpcResult<ChannelOutput<C>>>
  /** Calls and unwraps; fails the test with the error's message otherwise. */
  ok<C extends Channel>(windowId: string, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>>
  /** Signs a new window in as a fresh user with that role; returns the window id. */
  as(role: Role, username?: string): Promise<string>
  close(): Promise<void>
}

let windowSeq = 0
export const newWindow = () => `w${++windowSeq}`

export type TestEngine = 'sqlite' | 'postgres'

/** PostgreSQL is tested when a server is given (`npm test` starts a throwaway one when it can); SQLite always. */
export const PG_URL = process.env.CLINIC_TEST_PG_URL
export const ENGINES: TestEngine[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite']

/** Why the PostgreSQL variants do not run here ('' when they do). */
export const PG_SKIP_REASON = PG_URL ? '' : pgSkipReason()

function pgSkipReason(): string {
  const found = findPostgres()
  return found.bin
    ? `CLINIC_TEST_PG_URL is not set (npm test sets it to a throwaway cluster of the PostgreSQL ${found.version} installed here)`
    : `CLINIC_TEST_PG_URL is not set and ${found.reason} (apt-get install -y postgresql)`
}

/**
 * The name of a block or test that runs on PostgreSQL only: where no server is given, it says so and why, so
 * that a run without PostgreSQL reports its PostgreSQL tests as skipped with the reason, never silently absent.
 */
export const onPostgres = (name: string) => (PG_URL ? name : `PostgreSQL not available: ${PG_SKIP_REASON}: ${name}`)

/**
 * `describe.each(ENGINES)(name, fn)`, and where no PostgreSQL server is given the PostgreSQL variant is still
 * collected, as skipped, under a name that gives the reason (its tests are listed; none of its hooks run).
 */
export function describeEachEngine(name: string, fn: (engine: TestEngine) => void): void {
  describe.each(ENGINES)(name, fn)
  if (!PG_URL) describe.skip(onPostgres(name.replace('%s', 'postgres')), () => fn('postgres'))
}

/** `it.each(ENGINES)(name, fn)`, with the PostgreSQL variant reported as skipped where no server is given. */
export function itEachEngine(name: string, fn: (engine: TestEngine) => Promise<void>, timeout?: number): void {
  it.each(ENGINES)(name, fn, timeout)
  if (!PG_URL) it.skip(onPostgres(name.replace('%s', 'postgres')), () => fn('postgres'))
}

/** A fresh database on the server for one test; dropped again by `close()`. */
async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `clinic_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(PG_URL!)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

export async function openTestDatabase(engine: TestEngine, dir: string): Promise<{ target: DbTarget; drop(): Promise<void> }> {
  if (engine === 'sqlite') return { target: { engine: 'sqlite', file: join(dir, 'clinic.sqlite') }, drop: async () => {} }
  const db = await createPgDatabase()
  return { target: { engine: 'postgres', url: db.url }, drop: db.drop }
}

export async function openClinic(
  opts: { setup?: boolean; engine?: TestEngine; secrets?: SecretStore; onQuery?: OpenOptions['onQuery']; chooseFolder?: RouterOptions['chooseFolder'] } = {},
): Promise<Clinic> {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-test-'))
  const testDb = await openTestDatabase(opts.engine ?? 'sqlite', dir)
  const database = openDatabase(testDb.target, opts.onQuery ? { onQuery: opts.onQuery } : {})
  await migrateToLatest(database)
  const clock = { now: new Date('2026-11-30T14:00:00.000Z') }
  const connection = connectionHost({
    configDir: join(dir, 'config'),
    secrets: opts.secrets ?? NO_KEYSTORE,
    defaultFile: join(dir, 'config', 'clinic.sqlite'),
    inEffect: { target: testDb.target, source: 'command-line' },
  })
  const router = createRouter({ database, now: () => clock.now, workstation: 'test-ws', log: () => {}, connection, chooseFolder: opts.chooseFolder })
  // as a person at the window makes them (the idle lock counts them as activity: rpc.ts CallMeta)
  const call = (<C extends Channel>(w: string, ch: C, input?: ChannelInput<C>) =>
    router.call(w, ch, input ?? {}, { idleMs: 0 })) as Clinic['call']
  const ok = (async (w: string, ch: Channel, input?: unknown) => {
    const r = await router.call(w, ch, input ?? {}, { idleMs: 0 })
    if (!r.ok) throw new Error(`${ch} failed: ${r.error.code} ${r.error.message} ${JSON.stringify(r.error.fields ?? {})}`)
    return r.value
  }) as Clinic['ok']
  const adminWindow = newWindow()
  if (opts.setup !== false) await ok(adminWindow, 'setup.complete', { clinicName: 'Test Spine Clinic', admin: ADMIN })
  const as = async (role: Role, username = `${role.toLowerCase()}${++windowSeq}`) => {
    await ok(adminWindow, 'users.create', { displayName: `${role} ${username}`, username, role, password: PASSWORD })
    // a user who has since chosen PASSWORD as their own (an administrator-set one must be changed first)
    await database.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', username).execute()
    const w = newWindow()
    await ok(w, 'session.signIn', { username, password: PASSWORD })
    return w
  }
  return {
    database,
    router,
    dir,
    clock,
    connection,
    call,
    ok,
    as,
    async close() {
      await database.close()
      await testDb.drop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export const SAMPLE_PATIENT = {
  firstName: 'María José',
  lastName: 'Núñez-García',
  dateOfBirth: '1948-02-29',
  sex: 'female' as const,
  phone: '(555) 201-3344',
  email: 'mj.nunez@example.org',
  address: '12 Elm Street, Springfield',
  referringPhysician: 'Dr. Okafor',
  notes: '',
}

/** Row counts of every table: "the database is unchanged" means these are equal. */
export async function tableCounts(database: AppDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of ['users', 'patients', 'settings', 'counters', 'audit_log'] as const) {
    const r = await database.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    out[t] = Number(r.n)
  }
  return out
}

/** Row counts of every table the database has (including ones added by later migrations). */
const tableNames = new WeakMap<AppDatabase, Promise<string[]>>()

export async function allTableCounts(database: AppDatabase): Promise<Record<string, number>> {
  // Exports started from a screen finish in the background; count once they have.
  await allExportsSettled()
  // The tables are looked up once per database (PostgreSQL's catalogue is slow to ask) and counted in one
  // statement: the hostile-input suite counts before and after thousands of calls.
  let names = tableNames.get(database)
  if (!names) tableNames.set(database, (names = database.db.introspection.getTables().then((ts) => ts.map((t) => t.name).sort())))
  const quoted = (await names).map((n) => `"${n.replace(/"/g, '""')}"`)
  const row = (await sql.raw<Record<string, number | string>>(`SELECT ${quoted.map((q, i) => `(SELECT count(*) FROM ${q}) AS c${i}`).join(', ')}`).execute(database.db)).rows[0]!
  return Object.fromEntries((await names).map((n, i) => [n, Number(row[`c${i}`])]))
}

/**
 * A refused call, with its code; with `field`, the field map names it and an invalid input's sentence names it in
 * words ("Finding 2, imaging date"), never by its path.
 */
export function expectError(r: { ok: boolean; error?: { code: string; fields?: Record<string, string>; message: string } }, code: string, field?: string) {
  expect(r.ok, JSON.stringify(r)).toBe(false)
  expect(r.error!.code, JSON.stringify(r.error)).toBe(code)
  if (field) {
    expect(Object.keys(r.error!.fields ?? {}), JSON.stringify(r.error)).toContain(field)
    if (code === 'invalid_input') expect(r.error!.message).toContain(fieldName(field))
  }
}
