/**
 * Evidence that cannot be trimmed: the running app (openClinicApp) anchors its audit log's head in a file
 * outside the database, every backup records the head in its manifest, and `admin verify` checks the log
 * against every anchor it can find. The two attacks a hash chain alone cannot see, on a real database with the
 * append-only triggers dropped:
 *
 * - the newest audit rows deleted: the chain that is left is intact;
 * - a middle row rewritten and every later row re-hashed: the chain is intact again.
 *
 * Both pass the chain check and fail the anchors, naming the gap; the app finds them at its next start and
 * shows administrators (backup.auditCheck), and audits that it found them. On SQLite, and on PostgreSQL when
 * CLINIC_TEST_PG_URL is set.
 */
import { sql } from 'kysely'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openClinicApp, type ClinicApp } from '../../electron/app'
import { openDatabase, type AppDatabase, type DbTarget } from '../../electron/db/connect'
import { auditRowHash } from '../../electron/services/audit'
import { anchorFileFor, databaseIdentity } from '../../electron/services/auditAnchors'
import { auditWatchFor } from '../../electron/services/auditWatch'
import { backupFileName } from '../../electron/services/backupRotation'
import { createBackupScheduler } from '../../electron/services/backupScheduler'
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract'
import { admin } from './cliHarness'
import { ADMIN, ENGINES, newWindow, openTestDatabase, PASSWORD, type TestEngine } from './harness'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

interface World {
  engine: TestEngine
  target: DbTarget
  dir: string
  anchors: string
  /** The database's selection for the admin command line. */
  dbArgs: string[]
  /** The app on this database; `anchors: false` runs it without anchoring (as a computer that never did). */
  open(opts?: { anchors?: false }): Promise<ClinicApp>
}

async function world(engine: TestEngine): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'clinic-evidence-'))
  const db = await openTestDatabase(engine, dir)
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cleanups.push(() => db.drop())
  const anchors = join(dir, 'anchors') // outside the database's folder is the app's default; any folder here
  const target = db.target
  return {
    engine,
    target,
    dir,
    anchors,
    dbArgs: target.engine === 'sqlite' ? ['--db', target.file] : ['--db-url', target.url],
    async open(opts = {}) {
      const app = await openClinicApp(target, { backups: false, anchors: opts.anchors === false ? false : { dir: anchors } })
      let closed = false
      cleanups.push(async () => {
        if (!closed) await app.close()
      })
      const close = app.close.bind(app)
      app.close = async () => {
        closed = true
        await close()
      }
      return app
    },
  }
}

function caller(app: ClinicApp) {
  return async <C extends Channel>(w: string, ch: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const r = await app.router.call(w, ch, input ?? {})
    if (!r.ok) throw new Error(`${ch} failed: ${r.error.code} ${r.error.message}`)
    return r.value as ChannelOutput<C>
  }
}

/** A clinic used over two sittings: set up, users added, settings changed; the app closed after each. */
async function clinicWithHistory(w: World, opts: { anchors?: false } = {}): Promise<void> {
  let app = await w.open(opts)
  let ok = caller(app)
  const a = newWindow()
  await ok(a, 'setup.complete', { clinicName: 'Evidence Clinic', admin: ADMIN })
  for (const name of ['desk1', 'desk2', 'doc1']) await ok(a, 'users.create', { displayName: name, username: name, role: name.startsWith('doc') ? 'physician' : 'frontDesk', password: PASSWORD })
  await app.close()
  app = await w.open(opts)
  ok = caller(app)
  const b = newWindow()
  await ok(b, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
  for (const name of ['desk3', 'doc2', 'mgr1']) await ok(b, 'users.create', { displayName: name, username: name, role: name.startsWith('doc') ? 'physician' : name.startsWith('mgr') ? 'manager' : 'frontDesk', password: PASSWORD })
  const s = await ok(b, 'settings.get')
  await ok(b, 'settings.update', { version: s.version, settings: { ...s.settings, clinicName: 'Evidence Spine Clinic' } })
  await app.close()
}

/** A connection of the tamperer's own, with the append-only triggers dropped. */
async function tamperer(w: World): Promise<AppDatabase> {
  const db = openDatabase(w.target)
  cleanups.push(() => db.close())
  if (w.engine === 'sqlite') {
    await sql`DROP TRIGGER audit_log_no_update`.execute(db.db)
    await sql`DROP TRIGGER audit_log_no_delete`.execute(db.db)
  } else {
    await sql`DROP TRIGGER audit_log_no_change ON audit_log`.execute(db.db)
  }
  return db
}

async function auditIds(db: AppDatabase): Promise<number[]> {
  return (await db.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id)
}

/** Rewrites one row (who did it) and re-hashes every row after it, so that the chain holds again. */
async function rewriteAndRehash(db: AppDatabase, id: number): Promise<void> {
  const rows = await db.db.selectFrom('audit_log').selectAll().where('id', '>=', id).orderBy('id').execute()
  let prev = rows[0]!.prev_hash
  for (const [i, row] of rows.entries()) {
    const next = { ...row, username: i === 0 ? 'somebody-else' : row.username, prev_hash: prev }
    next.hash = auditRowHash(next)
    await db.db.updateTable('audit_log').set({ username: next.username, prev_hash: next.prev_hash, hash: next.hash }).where('id', '=', row.id).execute()
    prev = next.hash
  }
}

function anchorLines(w: World): { kind: string; count: number; headId: number; at: string }[] {
  const file = anchorFileFor(w.anchors, databaseIdentity(w.target))
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
}

describe.each(ENGINES)('audit anchors on %s', (engine) => {
  it('the app anchors the log outside the database (append-only lines, owner-only file) and verify finds them all in agreement', async () => {
    const w = await world(engine)
    await clinicWithHistory(w)
    const file = anchorFileFor(w.anchors, databaseIdentity(w.target))
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    const lines = anchorLines(w)
    // a start and a shutdown checkpoint per sitting (the first start had no rows yet)
    expect(lines.map((l) => l.kind)).toEqual(['checkpoint', 'checkpoint', 'checkpoint'])
    expect(lines.map((l) => l.count)).toEqual([...lines.map((l) => l.count)].sort((a, b) => a - b))
    const v = await admin(['verify', ...w.dbArgs, '--anchors', w.anchors])
    expect(v.code, v.out).toBe(0)
    expect(v.out).toMatch(/OK +audit log hash chain: \d+ row\(s\), chain intact/)
    expect(v.out).toMatch(/OK +audit log anchors: 3 anchor\(s\) \(3 in anchor files, 0 in backup manifests; the newest from [0-9T:.-]+Z\) agree with the log/)
  })

  it('Done when: verify fails, naming the gap, after the newest audit rows are deleted with the triggers dropped', async () => {
    const w = await world(engine)
    await clinicWithHistory(w)
    const last = anchorLines(w).at(-1)!
    const db = await tamperer(w)
    const ids = await auditIds(db)
    expect(ids.length).toBe(last.count)
    await db.db.deleteFrom('audit_log').where('id', 'in', ids.slice(-4)).execute()
    await db.close()

    const v = await admin(['verify', ...w.dbArgs, '--anchors', w.anchors])
    expect(v.code).toBe(1)
    // the chain that is left is intact: only the anchors show the trim
    expect(v.out).toMatch(/OK +audit log hash chain/)
    expect(v.out).toMatch(/FAILED audit log anchors: 1 of 3 anchor\(s\) .* disagree with the log: it was trimmed or rewritten outside the app/)
    expect(v.out).toContain(
      `the audit log has ${last.count - 4} rows but the anchor written at ${last.at} (${anchorFileFor(w.anchors, databaseIdentity(w.target)).split(/[/\\]/).at(-1)} line 3) recorded ${last.count} rows (rows ${last.count - 3}..${last.count} are missing; the last row it recorded, id ${last.headId}, is gone)`,
    )
    expect(v.out).toMatch(/Verification FAILED/)
  })

  it('Done when: verify fails, naming the row, after a middle row is rewritten and every later row re-hashed', async () => {
    const w = await world(engine)
    await clinicWithHistory(w)
    const lines = anchorLines(w)
    const db = await tamperer(w)
    const ids = await auditIds(db)
    // a row from the second sitting: after the first sitting's anchors, before the last one
    const victim = ids.find((id) => id > lines[0]!.headId)!
    await rewriteAndRehash(db, victim)
    await db.close()

    const v = await admin(['verify', ...w.dbArgs, '--anchors', w.anchors])
    expect(v.code).toBe(1)
    expect(v.out).toMatch(/OK +audit log hash chain: \d+ row\(s\), chain intact/) // the re-hash fooled the chain
    expect(v.out).toMatch(/FAILED audit log anchors: 2 of 3 anchor\(s\)/)
    expect(v.out).toContain(`row ${lines[2]!.headId}'s hash differs from the anchor written at ${lines[2]!.at}`)
    expect(v.out).toContain(`row ${lines[1]!.headId}'s hash differs from the anchor written at ${lines[1]!.at}`)
    // the anchor that still matches bounds where the rewrite is
    expect(v.out).toContain(`the rewritten row is after row ${lines[0]!.headId} (which still matches its anchor) and at or before row ${lines[1]!.headId}`)
    expect(v.out).not.toContain(`row ${lines[0]!.headId}'s hash differs`)
  })

  it('at its next start the app finds the trim, audits it, shows administrators only, and keeps the disagreeing anchors last', async () => {
    const w = await world(engine)
    await clinicWithHistory(w)
    const before = anchorLines(w)
    const db = await tamperer(w)
    const ids = await auditIds(db)
    await db.db.deleteFrom('audit_log').where('id', 'in', ids.slice(-2)).execute()
    await db.close()

    const app = await w.open()
    const ok = caller(app)
    const adminWindow = newWindow()
    await ok(adminWindow, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    const status = await ok(adminWindow, 'backup.auditCheck')
    expect(status).toMatchObject({ state: 'failed', reason: 'start', summary: expect.stringContaining('changed outside Spine Clinic') })
    expect(status.problems).toEqual(expect.arrayContaining([expect.stringContaining(`the audit log has ${before.at(-1)!.count - 2} rows but the anchor written at ${before.at(-1)!.at}`)]))
    // the finding is in the log, by the app's own check
    const found = await app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'audit.verifyFailed').execute()
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ username: 'audit-check' })
    expect(JSON.parse(found[0]!.details)).toMatchObject({ reason: 'start', problems: expect.arrayContaining([expect.stringContaining('are missing')]) })
    // only administrators see it
    await ok(adminWindow, 'users.create', { displayName: 'Desk', username: 'deskx', role: 'frontDesk', password: PASSWORD })
    const desk = newWindow()
    await app.router.call(desk, 'session.signIn', { username: 'deskx', password: PASSWORD })
    expect(await app.router.call(desk, 'backup.auditCheck', {})).toMatchObject({ ok: false })
    await app.close()
    // no checkpoint blessed the trimmed log: the next start finds the same disagreement
    expect(anchorLines(w)).toEqual(before)
    const again = await w.open()
    const w2 = newWindow()
    await caller(again)(w2, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    expect(await caller(again)(w2, 'backup.auditCheck')).toMatchObject({ state: 'failed', reason: 'start' })
  })

  it('an untouched log is checked at start and reported as matching', async () => {
    const w = await world(engine)
    await clinicWithHistory(w)
    const app = await w.open()
    const a = newWindow()
    await caller(app)(a, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    const status = await caller(app)(a, 'backup.auditCheck')
    expect(status).toMatchObject({ state: 'ok', reason: 'start', problems: [] })
    expect(status.summary).toMatch(/matches the 3 newest anchor\(s\) on this computer/)
  })

  it('a deleted anchor file is named as missing evidence, by the app at start and by verify', async () => {
    const w = await world(engine)
    await clinicWithHistory(w)
    const file = anchorFileFor(w.anchors, databaseIdentity(w.target))
    rmSync(file)
    const v = await admin(['verify', ...w.dbArgs, '--anchors', w.anchors])
    expect(v.code).toBe(1)
    expect(v.out).toMatch(new RegExp(`the anchor file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, which this computer has written since .*, is missing`))
    const app = await w.open()
    const a = newWindow()
    await caller(app)(a, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    expect(await caller(app)(a, 'backup.auditCheck')).toMatchObject({ state: 'failed', problems: [expect.stringContaining('is missing')] })
  })
})

describe('audit anchors: backups (SQLite)', () => {
  it('every backup records the head in its manifest and the anchor file; the manifest alone still catches a trim', async () => {
    const w = await world('sqlite')
    await clinicWithHistory(w)
    const app = await w.open()
    const a = newWindow()
    await caller(app)(a, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    const made = await caller(app)(a, 'backup.run')
    await app.close()
    const manifest = JSON.parse(readFileSync(`${made.file}.manifest.json`, 'utf8'))
    expect(manifest).toMatchObject({ file: made.file.split(/[/\\]/).at(-1), sha256: made.sha256, bytes: made.bytes, schema: made.schema, database: databaseIdentity(w.target) })
    expect(anchorLines(w).filter((l) => l.kind === 'backup')).toEqual([expect.objectContaining({ count: manifest.audit.count, headId: manifest.audit.headId })])

    // Without this computer's anchor file (verify run elsewhere, or the file lost), the manifest still names the trim.
    rmSync(w.anchors, { recursive: true, force: true })
    const db = await tamperer(w)
    await db.db.deleteFrom('audit_log').where('id', '>=', manifest.audit.headId).execute()
    await db.close()
    const v = await admin(['verify', ...w.dbArgs, '--anchors', join(w.dir, 'elsewhere')])
    expect(v.code).toBe(1)
    expect(v.out).toContain(`the manifest of backup ${manifest.file} (made ${manifest.madeAt}) recorded ${manifest.audit.count} rows`)
  })

  it('before the daily backup the log is checked again: a trimmed log is still backed up, but the rotation keeps every older backup', async () => {
    const w = await world('sqlite')
    await clinicWithHistory(w)
    // a month of daily backups that the rotation would thin out
    const folder = join(w.dir, 'backups')
    mkdirSync(folder, { recursive: true })
    const file = (w.target as { file: string }).file
    for (let d = 1; d <= 30; d++) copyFileSync(file, join(folder, backupFileName(new Date(Date.UTC(2026, 9, d, 23)), 'daily')))
    const app = await w.open()
    const db = await tamperer(w)
    const ids = await auditIds(db)
    await db.db.deleteFrom('audit_log').where('id', 'in', ids.slice(-2)).execute()
    await db.close()
    // the scheduler as the app starts it (app.ts): its beforeBackup is the app's check of the log's tail
    const scheduler = createBackupScheduler({
      database: app.database,
      now: () => new Date('2026-12-01T12:00:00.000Z'),
      log: () => {},
      beforeBackup: async () => {
        const s = await auditWatchFor(w.target)!.check('backup')
        return { ok: s.state !== 'failed', summary: s.summary }
      },
    })
    const tick = await scheduler.tick()
    expect(tick).toMatchObject({ status: 'backed-up', removed: [], auditCheckFailed: expect.stringContaining('changed outside Spine Clinic') })
    expect(readdirSync(folder).filter((f) => f.endsWith('-daily.sqlite'))).toHaveLength(31)
    const rows = await app.database.db.selectFrom('audit_log').select(['action', 'details']).where('action', 'in', ['audit.verifyFailed', 'backup.rotateSkipped']).execute()
    expect(rows.map((r) => r.action)).toEqual(['audit.verifyFailed', 'backup.rotateSkipped'])
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ reason: 'backup' })
    const a = newWindow()
    await caller(app)(a, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    expect(await caller(app)(a, 'backup.auditCheck')).toMatchObject({ state: 'failed', reason: 'backup' })
  })

  it('without any anchor a trim cannot be seen, and verify says so instead of vouching for the log', async () => {
    const w = await world('sqlite')
    // a database no computer ever anchored (the README says what that leaves open)
    await clinicWithHistory(w, { anchors: false })
    const db = await tamperer(w)
    const ids = await auditIds(db)
    await db.db.deleteFrom('audit_log').where('id', 'in', ids.slice(-3)).execute()
    await db.close()
    const v = await admin(['verify', ...w.dbArgs, '--anchors', w.anchors])
    expect(v.code).toBe(0)
    expect(v.out).toMatch(/OK +audit log anchors: no anchors of this database found \(looked in .*\): only the chain's own links were checked, which cannot show a removed tail or a re-hashed log/)
    expect(existsSync(w.anchors)).toBe(false) // verify only reads
  })
})
