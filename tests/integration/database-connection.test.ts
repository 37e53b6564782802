/**
 * The Database screen's channels on real databases: testing good, bad and unreachable PostgreSQL
 * connections (the dev/CI server), what a test says about the schema (empty, current, older, newer),
 * saving only after a successful test of exactly those values, the password never in the settings file
 * or the audit log, and the order in which the app picks its database at start.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LATEST_MIGRATION } from '../../migrations'
import { openDatabase } from '../../electron/db/connect'
import { connectionFile, readStoredConnection, resolveStartupTarget, writeStoredConnection } from '../../electron/db/connectionSettings'
import { migrateToLatest } from '../../electron/db/migrate'
import { keystoreSecretStore, NO_KEYSTORE } from '../../electron/db/secretStore'
import type { DbConnectionInput } from '../../shared/schemas/database'
import { fakeKeystore } from '../fixtures/fakeKeystore'
import { describeEachEngine, onPostgres, openClinic, openTestDatabase, PG_URL, type Clinic } from './harness'

const SECRET = 'Pa55-w0rd-never-in-a-file'

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** The dev server's coordinates as the form would hold them (the dev server trusts local connections). */
function pgForm(url: string, over: Partial<Extract<DbConnectionInput, { engine: 'postgres' }>> = {}): DbConnectionInput {
  const u = new URL(url)
  return { engine: 'postgres', host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username), password: '', tls: false, verifyCertificate: true, ...over }
}

async function auditRows(clinic: Clinic, prefix = 'database.') {
  return clinic.database.db.selectFrom('audit_log').selectAll().where('action', 'like', `${prefix}%`).orderBy('id').execute()
}

describeEachEngine('Database screen channels (the clinic itself on %s)', (engine) => {
  let clinic: Clinic
  let admin: string
  beforeAll(async () => {
    clinic = await openClinic({ engine })
    admin = await clinic.as('admin')
  })
  afterAll(async () => clinic?.close())

  it('shows what is in effect, why, and that nothing is saved yet', async () => {
    const view = await clinic.ok(admin, 'database.connection')
    expect(view.inEffect).toMatchObject({ engine, source: 'command-line' })
    expect(view.inEffect.explanation).toMatch(/wins over CLINIC_DB_URL and over the setting saved here/)
    expect(view.inEffect.description).not.toMatch(/:[^/@]*@/) // no password in the address
    expect(view.saved).toBeNull()
    expect(view.restartNeeded).toBe(false)
    expect(view.passwordStorage.available).toBe(false)
    expect(view.passwordStorage.message).toMatch(/~\/\.pgpass/)
  })

  it('is for administrators only', async () => {
    const desk = await clinic.as('frontDesk')
    for (const ch of ['database.connection', 'database.test', 'database.save'] as const) {
      const r = await clinic.call(desk, ch, ch === 'database.connection' ? {} : { engine: 'sqlite', file: '' })
      expect(r.ok ? 'ok' : r.error.code, ch).toBe('forbidden')
    }
  })

  it('a SQLite file: the app’s own database is current, a missing one will be created, anything else is refused with the reason', async () => {
    if (engine === 'sqlite') {
      const own = await clinic.ok(admin, 'database.test', { engine: 'sqlite', file: (clinic.database.target as { file: string }).file })
      expect(own).toMatchObject({ ok: true, outcome: 'current' })
      expect(own.message).toContain(LATEST_MIGRATION)
      expect(own.serverVersion).toMatch(/^SQLite 3\./)
    }
    const missing = join(clinic.dir, 'new-place', 'clinic.sqlite')
    expect(await clinic.ok(admin, 'database.test', { engine: 'sqlite', file: missing })).toMatchObject({ ok: true, outcome: 'empty' })
    expect(existsSync(missing)).toBe(false)

    const notDb = join(clinic.dir, 'notes.txt')
    writeFileSync(notDb, 'x'.repeat(4096))
    expect(await clinic.ok(admin, 'database.test', { engine: 'sqlite', file: notDb })).toMatchObject({ ok: false, outcome: 'failed', message: `${notDb} is not a SQLite database.` })
    expect((await clinic.ok(admin, 'database.test', { engine: 'sqlite', file: clinic.dir })).message).toMatch(/is not a database file/)

    const relative = await clinic.call(admin, 'database.test', { engine: 'sqlite', file: 'clinic.sqlite' })
    expect(!relative.ok && relative.error).toMatchObject({ code: 'invalid_input', fields: { file: expect.stringMatching(/full file path/) } })
  })

  it('Save is refused without a successful test of exactly those values, and works after one (on restart)', async () => {
    const file = join(clinic.dir, 'elsewhere', 'clinic.sqlite')
    const untested = await clinic.call(admin, 'database.save', { engine: 'sqlite', file })
    expect(!untested.ok && untested.error.code).toBe('conflict')
    expect(!untested.ok && untested.error.message).toMatch(/test the connection with exactly these values first/)
    expect(existsSync(connectionFile(clinic.connection.configDir))).toBe(false)

    await clinic.ok(admin, 'database.test', { engine: 'sqlite', file })
    // Another window's test does not count, nor does a test of other values.
    const other = await clinic.as('admin')
    expect((await clinic.call(other, 'database.save', { engine: 'sqlite', file })).ok).toBe(false)
    expect((await clinic.call(admin, 'database.save', { engine: 'sqlite', file: `${file}2` })).ok).toBe(false)
    // A failed test since then withdraws the earlier success.
    await clinic.ok(admin, 'database.test', { engine: 'sqlite', file: clinic.dir })
    expect((await clinic.call(admin, 'database.save', { engine: 'sqlite', file })).ok).toBe(false)
    expect(existsSync(connectionFile(clinic.connection.configDir))).toBe(false)

    await clinic.ok(admin, 'database.test', { engine: 'sqlite', file })
    const saved = await clinic.ok(admin, 'database.save', { engine: 'sqlite', file })
    expect(saved.saved).toEqual({ engine: 'sqlite', file })
    expect(saved.restartNeeded).toBe(true)
    expect(saved.inEffect.engine).toBe(engine) // unchanged until the app restarts
    expect(readStoredConnection(clinic.connection.configDir)?.connection).toEqual({ engine: 'sqlite', file })
    // One test, one save: saving again needs another test.
    expect((await clinic.call(admin, 'database.save', { engine: 'sqlite', file })).ok).toBe(false)

    const rows = await auditRows(clinic)
    expect(rows.filter((r) => r.action === 'database.save')).toHaveLength(1) // refusals leave no row
    expect(JSON.parse(rows.at(-1)!.details)).toMatchObject({ engine: 'sqlite', file, passwordStored: false })
  })
})

describe.skipIf(!PG_URL)(onPostgres('testing PostgreSQL connections on a real server'), () => {
  let clinic: Clinic
  let admin: string
  let target: Awaited<ReturnType<typeof openTestDatabase>>
  let url: string
  beforeAll(async () => {
    clinic = await openClinic()
    admin = await clinic.as('admin')
    target = await openTestDatabase('postgres', clinic.dir)
    url = (target.target as { url: string }).url
  })
  afterAll(async () => {
    await target?.drop()
    await clinic?.close()
  })

  it('reads the server version and the schema: empty, current, older, newer (refused)', async () => {
    const empty = await clinic.ok(admin, 'database.test', pgForm(url))
    expect(empty).toMatchObject({ ok: true, outcome: 'empty', serverVersion: expect.stringMatching(/^PostgreSQL 1\d/) })
    expect(empty.message).toMatch(/empty: the app will create its tables/)

    const db = openDatabase(target.target)
    try {
      await migrateToLatest(db)
      expect(await clinic.ok(admin, 'database.test', pgForm(url))).toMatchObject({ ok: true, outcome: 'current' })
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      try {
        await c.query('DELETE FROM kysely_migration WHERE name = $1', [LATEST_MIGRATION])
        const older = await clinic.ok(admin, 'database.test', pgForm(url))
        expect(older).toMatchObject({ ok: true, outcome: 'older' })
        expect(older.message).toMatch(/older version of the app .* updates it when it next starts/)
        await c.query("INSERT INTO kysely_migration (name, timestamp) VALUES ($1, $2), ('9999_from_the_future', $2)", [LATEST_MIGRATION, new Date().toISOString()])
        const newer = await clinic.ok(admin, 'database.test', pgForm(url))
        expect(newer).toMatchObject({ ok: false, outcome: 'newer' })
        expect(newer.message).toMatch(/newer version of Spine Clinic .*9999_from_the_future/)
        expect((await clinic.call(admin, 'database.save', pgForm(url))).ok).toBe(false)
        await c.query("DELETE FROM kysely_migration WHERE name = '9999_from_the_future'")
      } finally {
        await c.end()
      }
    } finally {
      await db.close()
    }
  })

  it('bad and unreachable connections fail with a message that says what to fix', async () => {
    const noDb = await clinic.ok(admin, 'database.test', pgForm(url, { database: 'no_such_clinic_db' }))
    expect(noDb).toMatchObject({ ok: false, outcome: 'failed', serverVersion: null })
    expect(noDb.message).toMatch(/There is no database "no_such_clinic_db"/)

    const noRole = await clinic.ok(admin, 'database.test', pgForm(url, { user: 'no_such_role' }))
    expect(noRole.ok).toBe(false)
    expect(noRole.message).toMatch(/no_such_role/)

    const port = await closedPort()
    const refused = await clinic.ok(admin, 'database.test', pgForm(url, { port }))
    expect(refused.message).toBe(`Nothing answers at 127.0.0.1:${port} (connection refused). Is PostgreSQL running there, listening on that address (listen_addresses) and port, with no firewall in the way?`)

    const unknownHost = await clinic.ok(admin, 'database.test', pgForm(url, { host: 'clinic-db.invalid' }))
    expect(unknownHost.ok).toBe(false)
    expect(unknownHost.message).toMatch(/clinic-db\.invalid/)

    // The dev server speaks no TLS: TLS on is refused with the way out.
    const tls = await clinic.ok(admin, 'database.test', pgForm(url, { tls: true }))
    expect(tls.ok).toBe(false)
    expect(tls.message).toMatch(/does not accept TLS connections/)

    // Every test is audited, with its outcome and without any password.
    const rows = await auditRows(clinic, 'database.test')
    expect(rows.length).toBeGreaterThanOrEqual(5)
    expect(JSON.parse(rows.at(-1)!.details)).toMatchObject({ engine: 'postgres', host: '127.0.0.1', tls: true, outcome: 'failed', passwordGiven: false })
  })

  it('without a keystore (the bridge) a password is refused with the alternatives; without one the setting is saved', async () => {
    const withPw = pgForm(url, { password: SECRET })
    const tested = await clinic.ok(admin, 'database.test', withPw)
    expect(tested).toMatchObject({ ok: true, passwordNotStorable: true })
    expect(tested.message).toMatch(/cannot store the password/)
    const refused = await clinic.call(admin, 'database.save', withPw)
    expect(!refused.ok && refused.error).toMatchObject({ code: 'invalid_input', fields: { password: expect.stringMatching(/~\/\.pgpass/) } })
    expect(existsSync(connectionFile(clinic.connection.configDir))).toBe(false)

    await clinic.ok(admin, 'database.test', pgForm(url))
    const saved = await clinic.ok(admin, 'database.save', pgForm(url))
    expect(saved.saved).toMatchObject({ engine: 'postgres', host: '127.0.0.1', passwordSaved: false, tls: false })
    const text = readFileSync(connectionFile(clinic.connection.configDir), 'utf8')
    expect(JSON.parse(text).connection.password).toBeNull()

    // At the next start the saved setting is the database (no override set), and it works.
    const next = await resolveStartupTarget({ env: {}, configDir: clinic.connection.configDir, secrets: NO_KEYSTORE, defaultFile: '/nowhere.sqlite' })
    expect(next.source).toBe('saved')
    const db = openDatabase(next.target)
    try {
      expect((await db.db.selectFrom('kysely_migration' as 'users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBeGreaterThan(0)
    } finally {
      await db.close()
    }
  })

  it('with a keystore the password is stored encrypted: never in the file, never in the audit log', async () => {
    const secured = await openClinic({ secrets: keystoreSecretStore(fakeKeystore(), 'darwin') })
    try {
      const a = await secured.as('admin')
      const form = pgForm(url, { password: SECRET })
      expect(await secured.ok(a, 'database.test', form)).toMatchObject({ ok: true, passwordNotStorable: false })
      const view = await secured.ok(a, 'database.save', form)
      expect(view.saved).toMatchObject({ passwordSaved: true })
      expect(JSON.stringify(view)).not.toContain(SECRET)

      const text = readFileSync(connectionFile(secured.connection.configDir), 'utf8')
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64'))
      expect(JSON.parse(text).connection.password.keystore).toEqual(expect.any(String))
      const audit = await secured.database.db.selectFrom('audit_log').select(['action', 'details']).execute()
      expect(audit.some((r) => r.action === 'database.save')).toBe(true)
      expect(JSON.stringify(audit)).not.toContain(SECRET)

      // The app decrypts it at start, with the same keystore.
      const next = await resolveStartupTarget({ env: {}, configDir: secured.connection.configDir, secrets: secured.connection.secrets, defaultFile: '/x' })
      expect(next.target).toMatchObject({ engine: 'postgres', url: expect.stringContaining(`:${encodeURIComponent(SECRET)}@`) })
      // The bridge cannot, and says what to do instead.
      await expect(resolveStartupTarget({ env: {}, configDir: secured.connection.configDir, secrets: NO_KEYSTORE, defaultFile: '/x' })).rejects.toThrow(/CLINIC_DB_URL/)
    } finally {
      await secured.close()
    }
  })
})

describe('which database the app opens at start', () => {
  const dir = join(process.env.TMPDIR ?? '/tmp', `clinic-precedence-${process.pid}`)
  const defaultFile = join(dir, 'clinic.sqlite')
  const saved = { format: 1 as const, connection: { engine: 'sqlite' as const, file: join(dir, 'saved.sqlite') }, savedAt: '2026-11-30T14:00:00.000Z', savedBy: 'admin' }
  const base = { configDir: dir, secrets: NO_KEYSTORE, defaultFile }
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('command line > CLINIC_DB_URL > CLINIC_DB_FILE > the saved setting > the default file', async () => {
    mkdirSync(dir, { recursive: true })
    expect(await resolveStartupTarget({ ...base, env: {} })).toEqual({ source: 'default', target: { engine: 'sqlite', file: defaultFile } })
    writeStoredConnection(dir, saved)
    expect(await resolveStartupTarget({ ...base, env: {} })).toEqual({ source: 'saved', target: { engine: 'sqlite', file: saved.connection.file } })
    expect(await resolveStartupTarget({ ...base, env: { CLINIC_DB_FILE: '/a/b.sqlite' } })).toEqual({ source: 'CLINIC_DB_FILE', target: { engine: 'sqlite', file: '/a/b.sqlite' } })
    const env = { CLINIC_DB_URL: 'postgres://clinic@db.example:5432/clinic', CLINIC_DB_FILE: '/a/b.sqlite' }
    expect(await resolveStartupTarget({ ...base, env })).toEqual({ source: 'CLINIC_DB_URL', target: { engine: 'postgres', url: env.CLINIC_DB_URL } })
    expect(await resolveStartupTarget({ ...base, env, cliDb: '/c/d.sqlite' })).toEqual({ source: 'command-line', target: { engine: 'sqlite', file: '/c/d.sqlite' } })
  })

  it('a damaged settings file stops the start with the file named, rather than opening some other database', async () => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(connectionFile(dir), '{"format":1,"connection":{"engine":"oracle"}}')
    await expect(resolveStartupTarget({ ...base, env: {} })).rejects.toThrow(connectionFile(dir))
    // An override still works (the administrator can start the app and save a good setting).
    expect((await resolveStartupTarget({ ...base, env: { CLINIC_DB_FILE: '/a/b.sqlite' } })).source).toBe('CLINIC_DB_FILE')
  })
})
