import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../migrations'
import { openDatabase } from '../../electron/db/connect'
import { migrateToLatest } from '../../electron/db/migrate'
import { contentHashChecker } from '../../electron/services/signedRecordCheckers'
import { registerSignedRecordChecker } from '../../electron/services/integrity'
import { bundleDirOrFail } from './bundleDir'
import { admin, dumpSchema, dumpTables } from './cliHarness'
import { allTableCounts, newWindow, openClinic, PASSWORD, SAMPLE_PATIENT, type Clinic } from './harness'

let clinic: Clinic | undefined
const dirs: string[] = []
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clinic-cli-'))
  dirs.push(d)
  return d
}

/** A set-up clinic with a few patients, on a real file; returns the clinic and its file. */
async function populatedClinic(patients = 3): Promise<{ clinic: Clinic; file: string }> {
  const c = await openClinic()
  clinic = c
  const desk = await c.as('frontDesk')
  for (let i = 0; i < patients; i++) await c.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: `Pat${i}`, dateOfBirth: `1950-01-${String(i + 1).padStart(2, '0')}` })
  return { clinic: c, file: join(c.dir, 'clinic.sqlite') }
}

function rawSql(file: string, statements: string): void {
  const db = new Database(file)
  try {
    db.exec(statements)
  } finally {
    db.close()
  }
}

describe('admin CLI: arguments', () => {
  it('prints help for the whole CLI and for each command', async () => {
    const all = await admin(['--help'])
    expect(all.code).toBe(0)
    for (const c of ['migrate', 'create-user', 'verify', 'backup', 'restore']) {
      expect(all.out).toContain(c)
      const one = await admin([c, '--help'])
      expect(one.code, c).toBe(0)
      expect(one.out).toContain(`npm run admin -- ${c}`)
      expect(one.out).toContain('--db FILE')
    }
    expect((await admin(['help', 'backup'])).out).toContain('--out FILE')
  })

  it('refuses bad arguments with exit code 2, a message naming the option, and changes nothing', async () => {
    const { clinic: c, file } = await populatedClinic(1)
    const before = await allTableCounts(c.database)
    const cases: [string[], RegExp][] = [
      [[], /Which command/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['backup', '--db', file], /--out is required/],
      [['backup', '--db', file, '--out'], /--out needs a value/],
      [['backup', '--db', file, '--outt', 'x'], /Unknown option --outt/],
      [['backup', '--db', file, '--out', file], /--out: .* already exists/],
      [['restore', '--db', file], /--from is required/],
      [['restore', '--db', file, '--from', join(c.dir, 'missing.sqlite')], /--from: there is no file/],
      [['verify', '--db', file, '--db-url', 'postgres://x@localhost/db'], /either --db or --db-url/],
      [['verify', '--db-url', 'mysql://x'], /--db-url must start with postgres:\/\//],
      [['migrate-to-postgres', '--db', file, '--db-url', 'postgres://x@127.0.0.1:1/a', '--to', 'postgres://x@127.0.0.1:1/b'], /--to and --db-url name two different databases/],
      [['migrate-to-postgres', '--db', file], /--db-url is required/],
      [['migrate-to-postgres', '--db-url', 'postgres://x@127.0.0.1:1/a'], /--db is required/],
      [['backup', '--db-url', 'postgres://x@127.0.0.1:1/db', '--out', join(c.dir, 'pg.sqlite')], /pg_dump/],
      [['restore', '--db-url', 'postgres://x@127.0.0.1:1/db', '--from', file], /pg_restore/],
      [['verify', '--db', join(c.dir, 'nope.sqlite')], /--db: there is no database/],
      [['verify', '--db', file, 'extra'], /Unexpected argument "extra"/],
      [['create-user', '--db', file, '--username', 'bob', '--role', 'surgeon', '--name', 'Bob'], /--role must be one of/],
      [['create-user', '--db', file, '--username', 'b', '--role', 'physician', '--name', 'Bob'], /--username must be at least 3/],
      [['create-user', '--db', file, '--role', 'physician', '--name', 'Bob'], /--username is required/],
      [['create-user', '--db', file, '--username', 'bob', '--role', 'physician', '--name', 'Bob', '--password', 'secret-secret'], /never given as arguments/],
      [['create-user', '--db', file, '--username', 'bob', '--role', 'physician', '--name', 'Bob', '--password=secret-secret'], /never given as arguments/],
    ]
    for (const [args, message] of cases) {
      const r = await admin(args, { stdin: 'a-fine-password\n' })
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.err, args.join(' ')).toMatch(message)
    }
    // A too-short password on stdin names the password, and nothing is created.
    const short = await admin(['create-user', '--db', file, '--username', 'bob', '--role', 'physician', '--name', 'Bob'], { stdin: 'short\n' })
    expect(short).toMatchObject({ code: 2 })
    expect(short.err).toMatch(/the password must be at least 10 characters/)
    expect(await allTableCounts(c.database)).toEqual(before)
    expect(existsSync(join(c.dir, 'nope.sqlite'))).toBe(false)
    expect(existsSync(join(c.dir, 'x'))).toBe(false)
  })

  it('uses the app\'s own database file by default, under XDG_CONFIG_HOME', async () => {
    const home = tempDir()
    const r = await admin(['migrate'], { env: { XDG_CONFIG_HOME: home } })
    if (process.platform === 'linux') {
      expect(r.code).toBe(0)
      expect(existsSync(join(home, 'Spine Clinic', 'clinic.sqlite'))).toBe(true)
    }
  })
})

describe('admin CLI: migrate', () => {
  it('creates a new database and prints what it applied, then reports it up to date', async () => {
    const file = join(tempDir(), 'new', 'clinic.sqlite')
    const first = await admin(['migrate', '--db', file])
    expect(first.code).toBe(0)
    expect(first.out).toContain('0001_init')
    expect(first.out).toMatch(/Applied \d+ schema step/)
    const again = await admin(['migrate', '--db', file])
    expect(again.out).toMatch(/already up to date/)
  })

  it('backs up a database that holds data before applying a new schema step, and audits it', async () => {
    const { clinic: c, file } = await populatedClinic(2)
    const folder = join(tempDir(), 'pre')
    // A schema step this test adds for the duration of the test: the database now lags behind the app.
    const name = '9990_test_scratch'
    MIGRATIONS[name] = { up: async (db) => void (await db.schema.createTable('scratch').addColumn('id', 'integer', (col) => col.primaryKey()).execute()) }
    try {
      const r = await admin(['migrate', '--db', file, '--backup-folder', folder])
      expect(r.code, r.err).toBe(0)
      expect(r.out).toContain(name)
      const backups = readdirSync(folder).filter((f) => !f.endsWith('.manifest.json'))
      expect(backups).toHaveLength(1)
      expect(backups[0]).toMatch(/^clinic-.*-pre-migrate\.sqlite$/)
      // The backup holds the data as it was before the step, without the step.
      const saved = dumpTables(join(folder, backups[0]!))
      expect(saved.patients).toHaveLength(2)
      expect(saved.scratch).toBeUndefined()
      const row = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'backup.create').executeTakeFirstOrThrow()
      expect(row).toMatchObject({ username: 'admin-cli', workstation: hostname(), user_id: null })
      expect(JSON.parse(row.details)).toMatchObject({ kind: 'pre-migrate', pending: [name] })
    } finally {
      delete MIGRATIONS[name]
    }
  })

  it('refuses a database written by a newer version of the app', async () => {
    const { clinic: c, file } = await populatedClinic(0)
    await c.database.close()
    rawSql(file, `INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`)
    const r = await admin(['migrate', '--db', file])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/newer version of Spine Clinic/)
    c.database = openDatabase({ engine: 'sqlite', file })
  })
})

describe('admin CLI: create-user', () => {
  it('creates a user through the users service, audited as admin-cli on this workstation, who can then sign in', async () => {
    const { clinic: c, file } = await populatedClinic(0)
    const r = await admin(['create-user', '--db', file, '--username', 'DrNew', '--role', 'physician', '--name', 'Dr New'], { stdin: `${PASSWORD}\n` })
    expect(r.code, r.err).toBe(0)
    expect(r.out).toMatch(/Created user drnew \(physician, "Dr New"\) with id \d+/)
    const audit = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.create').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ username: 'admin-cli', user_id: null, workstation: hostname(), entity: 'user' })
    expect(JSON.parse(audit.details)).toEqual({ username: 'drnew', role: 'physician' })
    const w = newWindow()
    expect((await c.ok(w, 'session.signIn', { username: 'drnew', password: PASSWORD })).user?.role).toBe('physician')
    // The chain still verifies with the CLI's row in it.
    expect((await admin(['verify', '--db', file])).code).toBe(0)
  })

  it('prompts twice without echo on a terminal, and refuses a taken user name naming --username', async () => {
    const { clinic: c, file } = await populatedClinic(0)
    const ok = await admin(['create-user', '--db', file, '--username', 'frontdesk9', '--role', 'frontDesk', '--name', 'Desk'], { tty: true, stdin: PASSWORD })
    expect(ok.code, ok.err).toBe(0)
    const before = await allTableCounts(c.database)
    const taken = await admin(['create-user', '--db', file, '--username', 'frontdesk9', '--role', 'manager', '--name', 'Other'], { stdin: PASSWORD })
    expect(taken.code).toBe(2)
    expect(taken.err).toMatch(/--username: The user name "frontdesk9" is already taken/)
    expect(await allTableCounts(c.database)).toEqual(before)
  })

  it('refuses before first-run setup, changing nothing', async () => {
    const file = join(tempDir(), 'clinic.sqlite')
    await admin(['migrate', '--db', file])
    const r = await admin(['create-user', '--db', file, '--username', 'early', '--role', 'admin', '--name', 'Early'], { stdin: PASSWORD })
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/not been set up/)
    expect(dumpTables(file).users).toHaveLength(0)
  })
})

describe('admin CLI: verify', () => {
  it('passes on a healthy database', async () => {
    const { file } = await populatedClinic(2)
    const r = await admin(['verify', '--db', file])
    expect(r.code, r.out).toBe(0)
    expect(r.out).toMatch(/OK +audit log hash chain: \d+ row\(s\), chain intact/)
    expect(r.out).toMatch(/OK +SQLite integrity_check/)
  })

  it('names the audit row a tamperer edited after dropping the append-only triggers', async () => {
    const { clinic: c, file } = await populatedClinic(2)
    const victim = await c.database.db.selectFrom('audit_log').select('id').where('action', '=', 'patient.create').orderBy('id').executeTakeFirstOrThrow()
    rawSql(
      file,
      `DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
       UPDATE audit_log SET username = 'somebody-else' WHERE id = ${victim.id};`,
    )
    const r = await admin(['verify', '--db', file])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/FAILED audit log hash chain/)
    expect(r.out).toContain(`audit_log row ${victim.id}: content does not match its hash`)
    expect(r.out).toMatch(/Verification FAILED/)
    const json = JSON.parse((await admin(['verify', '--db', file, '--json'])).out)
    expect(json.ok).toBe(false)
    expect(json.checks.find((x: { name: string }) => x.name === 'audit log hash chain').problems).toEqual([
      { table: 'audit_log', rowId: victim.id, problem: expect.stringContaining('edited') },
    ])
  })

  it('names the row after one that was deleted', async () => {
    const { clinic: c, file } = await populatedClinic(2)
    const rows = await c.database.db.selectFrom('audit_log').select('id').orderBy('id').execute()
    const gone = rows[3]!.id
    rawSql(file, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ${gone};`)
    const r = await admin(['verify', '--db', file])
    expect(r.code).toBe(1)
    expect(r.out).toContain(`audit_log row ${rows[4]!.id}: does not link to the row before it`)
  })

  it('runs every registered signed-record checker and names a record changed after signing', async () => {
    const { clinic: c, file } = await populatedClinic(0)
    // A stand-in for a signing module: rows that carry the hash of their content.
    const { createHash } = await import('node:crypto')
    const hash = (row: Record<string, unknown>) => createHash('sha256').update(String(row.body)).digest('hex')
    const good = hash({ body: 'L1 kyphoplasty, 4 mL cement' })
    rawSql(
      file,
      `CREATE TABLE signed_things (id INTEGER PRIMARY KEY, body TEXT NOT NULL, signed_at TEXT, content_hash TEXT);
       INSERT INTO signed_things VALUES (1, 'L1 kyphoplasty, 4 mL cement', '2026-11-30', '${good}');
       INSERT INTO signed_things VALUES (2, 'L1 kyphoplasty, 4 mL cement', '2026-11-30', '${good}');
       INSERT INTO signed_things VALUES (3, 'draft, unsigned', NULL, NULL);`,
    )
    const unregister = registerSignedRecordChecker(
      contentHashChecker({ name: 'signed things', table: 'signed_things', hashColumn: 'content_hash', computeHash: hash, signedOnly: (q) => q.where('signed_at', 'is not', null) }),
    )
    try {
      expect((await admin(['verify', '--db', file])).out).toMatch(/OK +signed things: 2 signed record\(s\), all match/)
      rawSql(file, `UPDATE signed_things SET body = 'L1 kyphoplasty, 2 mL cement' WHERE id = 2`)
      const r = await admin(['verify', '--db', file])
      expect(r.code).toBe(1)
      expect(r.out).toContain('signed_things row 2: content does not match the hash it was signed with')
      expect(r.out).not.toContain('signed_things row 1')
    } finally {
      unregister()
    }
    void c
  })

  it('names integrity_check failures of a damaged file', async () => {
    const { clinic: c, file } = await populatedClinic(30)
    await c.database.close()
    // Scribble over an index's page, as a failing disk would.
    const db = new Database(file)
    const page = (db.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'patients_dob'`).get() as { rootpage: number }).rootpage
    const pageSize = db.pragma('page_size', { simple: true }) as number
    db.close()
    const { openSync, writeSync, closeSync } = await import('node:fs')
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(64, 0x5a), 0, 64, (page - 1) * pageSize)
    closeSync(fd)
    const r = await admin(['verify', '--db', file])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/FAILED SQLite integrity_check: \d+ problem\(s\): the file is damaged/)
    expect(r.out).toMatch(/malformed|page/)
    // The rest of the report still ran.
    expect(r.out).toMatch(/OK +audit log hash chain/)
    c.database = openDatabase({ engine: 'sqlite', file: join(c.dir, 'other.sqlite') })
  })
})

describe('admin CLI: backup and restore', () => {
  it('a backup restores to an identical database; the replaced one is kept aside; both are audited', async () => {
    const { clinic: c, file } = await populatedClinic(5)
    const out = join(tempDir(), 'monday.sqlite')
    const b = await admin(['backup', '--db', file, '--out', out])
    expect(b.code, b.err).toBe(0)
    expect(b.out).toMatch(/sha256 [0-9a-f]{64}/)
    const backedUp = dumpTables(out)
    expect(backedUp.patients).toHaveLength(5)
    // The backup's audit row went to the live database after the copy was taken.
    const liveAudit = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'backup.create').execute()
    expect(liveAudit).toHaveLength(1)
    expect(JSON.parse(liveAudit[0]!.details)).toMatchObject({ file: out, kind: 'manual' })

    // Work continues after the backup, then the live database is closed and the backup restored.
    const desk = await c.as('frontDesk')
    await c.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'After', dateOfBirth: '1960-06-06' })
    await c.database.close()
    const r = await admin(['restore', '--db', file, '--from', out], { now: new Date('2026-12-01T09:30:00.000Z') })
    expect(r.code, r.err).toBe(0)
    const aside = join(c.dir, 'clinic.replaced-2026-12-01T09-30-00-000Z.sqlite')
    expect(r.out).toContain(aside)
    expect(dumpTables(aside).patients).toHaveLength(6)

    const restored = dumpTables(file)
    expect(dumpSchema(file)).toEqual(dumpSchema(out))
    for (const table of Object.keys(backedUp)) {
      if (table === 'audit_log' || table === 'sqlite_sequence') continue
      expect(restored[table], table).toEqual(backedUp[table])
    }
    // The audit log is the backup's, plus one row recording the restore.
    expect(restored.audit_log!.slice(0, backedUp.audit_log!.length)).toEqual(backedUp.audit_log)
    expect(restored.audit_log!.slice(backedUp.audit_log!.length)).toEqual([
      expect.objectContaining({ action: 'backup.restore', username: 'admin-cli', workstation: hostname() }),
    ])
    expect((await admin(['verify', '--db', file])).code).toBe(0)
    c.database = openDatabase({ engine: 'sqlite', file })
  })

  it('refuses a backup from a newer version of the app, a damaged file and a foreign file, changing nothing', async () => {
    const { clinic: c, file } = await populatedClinic(2)
    const dir = tempDir()
    const newer = join(dir, 'newer.sqlite')
    expect((await admin(['backup', '--db', file, '--out', newer])).code).toBe(0)
    rawSql(newer, `INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`)
    const junk = join(dir, 'junk.sqlite')
    writeFileSync(junk, Buffer.alloc(8192, 7))
    const foreign = join(dir, 'foreign.sqlite')
    rawSql(foreign, 'CREATE TABLE t (x); INSERT INTO t VALUES (1);')
    await c.database.close()
    const before = dumpTables(file)
    const cases: [string, RegExp][] = [
      [newer, /comes from a newer version of Spine Clinic.*9999_from_the_future/s],
      [junk, /not a readable SQLite database/],
      [foreign, /not a Spine Clinic database/],
    ]
    for (const [from, message] of cases) {
      const r = await admin(['restore', '--db', file, '--from', from])
      expect(r.code, from).toBe(1)
      expect(r.err, from).toMatch(/^Restore refused/)
      expect(r.err, from).toMatch(message)
    }
    expect(dumpTables(file)).toEqual(before)
    expect(readdirSync(c.dir).filter((f) => f.includes('replaced'))).toEqual([])
    c.database = openDatabase({ engine: 'sqlite', file })
  })

  it('refuses to restore over a database that is still open', async () => {
    const { clinic: c, file } = await populatedClinic(1)
    const out = join(tempDir(), 'b.sqlite')
    await admin(['backup', '--db', file, '--out', out])
    const r = await admin(['restore', '--db', file, '--from', out])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/in use/)
    // The app's connection still works and still sees its data.
    expect(await allTableCounts(c.database)).toMatchObject({ patients: 1 })
  })

  it('puts the replaced database back when the restored copy cannot be brought up to date', async () => {
    const { clinic: c, file } = await populatedClinic(1)
    const out = join(tempDir(), 'b.sqlite')
    expect((await admin(['backup', '--db', file, '--out', out])).code).toBe(0)
    const desk = await c.as('frontDesk')
    await c.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'Later', dateOfBirth: '1970-01-01' })
    await c.database.close()
    const before = dumpTables(file)
    const name = '9993_test_broken'
    MIGRATIONS[name] = {
      up: async () => {
        throw new Error('this schema step fails')
      },
    }
    try {
      const r = await admin(['restore', '--db', file, '--from', out])
      expect(r.code).toBe(1)
      expect(r.err).toMatch(/this schema step fails/)
    } finally {
      delete MIGRATIONS[name]
    }
    expect(dumpTables(file)).toEqual(before)
    expect(readdirSync(c.dir).filter((f) => f.includes('replaced'))).toEqual([])
    c.database = openDatabase({ engine: 'sqlite', file })
  })

  it('restores a backup of an older schema and brings it up to date', async () => {
    const dir = tempDir()
    const file = join(dir, 'clinic.sqlite')
    const database = openDatabase({ engine: 'sqlite', file })
    await migrateToLatest(database)
    await database.close()
    const old = join(dir, 'old.sqlite')
    expect((await admin(['backup', '--db', file, '--out', old])).code).toBe(0)
    const name = '9991_test_scratch'
    MIGRATIONS[name] = { up: async (db) => void (await db.schema.createTable('scratch2').addColumn('id', 'integer').execute()) }
    try {
      expect((await admin(['migrate', '--db', file])).code).toBe(0)
      const r = await admin(['restore', '--db', file, '--from', old])
      expect(r.code, r.err).toBe(0)
      expect(r.out).toContain(`brought up to date: ${name}`)
      expect(dumpTables(file).scratch2).toEqual([])
    } finally {
      delete MIGRATIONS[name]
    }
  })
})

describe('node dist-electron/admin.cjs (the built command, a real process)', () => {
  it('exits 1 and 2 as documented', async () => {
    const { execFile } = await import('node:child_process')
    const run = (args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        execFile(process.execPath, [join(bundleDirOrFail(), 'admin.cjs'), ...args], { cwd: process.cwd() }, (error, out, err) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }),
        )
      })
    const { clinic: c, file } = await populatedClinic(1)
    const row = await c.database.db.selectFrom('audit_log').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
    rawSql(file, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = '{}' WHERE id = ${row.id};`)
    // (Exit status 0 is covered in-process above and in bundle.test.ts.)
    const [bad, tampered] = await Promise.all([run(['verify', '--db', file, '--bogus']), run(['verify', '--db', file])])
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('Unknown option --bogus') })
    expect(tampered).toMatchObject({ code: 1, out: expect.stringContaining(`audit_log row ${row.id}`) })
  })
})
