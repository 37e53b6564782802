/**
 * Restore takes only real backups: a file must still match the manifest written beside it when it was made
 * (its SHA-256, size, schema and audit head), or an administrator confirms it as an outside file, and then
 * its integrity, version and audit hash chain are checked first. A restore never leaves a moment in which the
 * database's path holds nothing (where anyone, this app or another process, would see first-run setup), and
 * the audit anchors follow the restored log, so that verify passes after an honest restore.
 * Admin command line and the administrator's screen (through the running app's router), on real files.
 */
import Database from 'better-sqlite3'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { openClinicApp, type ClinicApp } from '../../electron/app'
import { MIGRATIONS } from '../../migrations'
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/contract'
import { admin, dumpTables } from './cliHarness'
import { ADMIN, newWindow, PASSWORD } from './harness'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clinic-evidence-restore-'))
  cleanups.push(() => rmSync(d, { recursive: true, force: true }))
  return d
}

function rawSql(file: string, statements: string): void {
  const db = new Database(file)
  try {
    db.exec(statements)
  } finally {
    db.close()
  }
}

/** The running app on a file in a temp folder, its anchors in their own folder, signed in as the administrator. */
async function runningApp() {
  const dir = tempDir()
  const file = join(dir, 'clinic.sqlite')
  const anchors = join(tempDir(), 'anchors')
  const app: ClinicApp = await openClinicApp({ engine: 'sqlite', file }, { backups: false, anchors: { dir: anchors } })
  let open = true
  cleanups.push(async () => {
    if (open) await app.close()
  })
  const call = <C extends Channel>(w: string, ch: C, input?: ChannelInput<C>) => app.router.call(w, ch, input ?? {})
  const ok = async <C extends Channel>(w: string, ch: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const r = await call(w, ch, input)
    if (!r.ok) throw new Error(`${ch} failed: ${r.error.code} ${r.error.message}`)
    return r.value as ChannelOutput<C>
  }
  const w = newWindow()
  await ok(w, 'setup.complete', { clinicName: 'Restore Evidence Clinic', admin: ADMIN })
  const users = async () => (await ok(w, 'users.list')).map((u) => u.username).sort()
  const signInAgain = () => ok(w, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
  return {
    app,
    file,
    dir,
    anchors,
    w,
    call,
    ok,
    users,
    signInAgain,
    async close() {
      open = false
      await app.close()
    },
  }
}

const addUser = (username: string) => ({ displayName: username, username, role: 'frontDesk' as const, password: PASSWORD })

describe('admin restore: real backups only (command line)', () => {
  async function clinicAndBackup() {
    const c = await runningApp()
    await c.ok(c.w, 'users.create', addUser('before'))
    await c.close()
    const out = join(c.dir, 'usb', 'monday.sqlite')
    const b = await admin(['backup', '--db', c.file, '--out', out], { env: { CLINIC_ANCHOR_DIR: c.anchors } })
    expect(b.code, b.err).toBe(0)
    expect(b.out).toContain(`manifest ${out}.manifest.json`)
    return { ...c, out }
  }

  it('restores a backup that matches its manifest, and says so', async () => {
    const c = await clinicAndBackup()
    const r = await admin(['restore', '--db', c.file, '--from', c.out], { env: { CLINIC_ANCHOR_DIR: c.anchors } })
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('matches its manifest')
  })

  it('refuses a file without a manifest unless confirmed as an outside file; then checks it and records that', async () => {
    const c = await clinicAndBackup()
    const copy = join(c.dir, 'usb', 'copied-by-hand.sqlite')
    copyFileSync(c.out, copy)
    const before = dumpTables(c.file)
    const refused = await admin(['restore', '--db', c.file, '--from', copy], { env: { CLINIC_ANCHOR_DIR: c.anchors } })
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/^Restore refused: Nothing was changed: copied-by-hand\.sqlite has no manifest/)
    expect(refused.err).toContain('checked: SQLite integrity_check: the file is sound; schema version: ')
    expect(refused.err).toMatch(/audit log: \d+ row\(s\), hash chain intact/)
    expect(refused.err).toContain('run the same command with --outside-file')
    expect(dumpTables(c.file)).toEqual(before)
    expect(readdirSync(c.dir).filter((f) => f.includes('replaced'))).toEqual([])

    const r = await admin(['restore', '--db', c.file, '--from', copy, '--outside-file'], { env: { CLINIC_ANCHOR_DIR: c.anchors } })
    expect(r.code, r.err).toBe(0)
    expect(r.out).toContain('an outside file you confirmed')
    const row = (dumpTables(c.file).audit_log as { action: string; details: string }[]).find((a) => a.action === 'backup.restore')!
    expect(JSON.parse(row.details)).toMatchObject({ accepted: 'outside file', outsideFile: { reason: expect.stringContaining('has no manifest'), checked: expect.any(Array) } })
  })

  it('refuses a backup changed after it was made, and a manifest that belongs to another backup, naming what differs', async () => {
    const c = await clinicAndBackup()
    const edited = join(c.dir, 'usb', 'edited.sqlite')
    copyFileSync(c.out, edited)
    copyFileSync(`${c.out}.manifest.json`, `${edited}.manifest.json`) // the other backup's manifest
    let r = await admin(['restore', '--db', c.file, '--from', edited])
    expect(r.code).toBe(1)
    expect(r.err).toContain('does not match the manifest written when it was made (the manifest is for monday.sqlite)')

    // the real backup, one row changed after it was made
    rawSql(c.out, `UPDATE users SET display_name = 'Someone Else' WHERE username = 'before'`)
    r = await admin(['restore', '--db', c.file, '--from', c.out])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/monday\.sqlite does not match the manifest written when it was made \(.*its SHA-256 differs from the manifest's/)
  })

  it('refuses an outside file whose audit chain is broken, even when confirmed', async () => {
    const c = await clinicAndBackup()
    const forged = join(c.dir, 'usb', 'forged.sqlite')
    copyFileSync(c.out, forged)
    rawSql(forged, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET username = 'nobody' WHERE id = 2;`)
    const before = dumpTables(c.file)
    const r = await admin(['restore', '--db', c.file, '--from', forged, '--outside-file'])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/its audit log's hash chain is broken \(\d+ break\(s\); row 2 content does not match its hash/)
    expect(dumpTables(c.file)).toEqual(before)
  })

  it('after an honest restore the anchors follow the restored log: verify passes and the app finds its log in order', async () => {
    const c = await clinicAndBackup()
    // work goes on after the backup, anchored at the next start and shutdown
    const again = await openClinicApp({ engine: 'sqlite', file: c.file }, { backups: false, anchors: { dir: c.anchors } })
    const w = newWindow()
    const r0 = await again.router.call(w, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    expect(r0.ok).toBe(true)
    await again.router.call(w, 'users.create', addUser('after'))
    await again.close()
    const r = await admin(['restore', '--db', c.file, '--from', c.out], { env: { CLINIC_ANCHOR_DIR: c.anchors } })
    expect(r.code, r.err).toBe(0)
    // the log went back to the backup's head: the anchors written since describe the database the restore replaced
    const v = await admin(['verify', '--db', c.file, '--anchors', c.anchors])
    expect(v.code, v.out).toBe(0)
    expect(v.out).toMatch(/OK +audit log anchors: \d+ anchor\(s\)/)
    const lines = readFileSync(join(c.anchors, readdirSync(c.anchors)[0]!), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.at(-1)).toMatchObject({ kind: 'restore', reason: 'monday.sqlite' })
    const app = await openClinicApp({ engine: 'sqlite', file: c.file }, { backups: false, anchors: { dir: c.anchors } })
    cleanups.push(() => app.close())
    await app.router.call(w, 'session.signIn', { username: ADMIN.username, password: ADMIN.password })
    expect(await app.router.call(w, 'backup.auditCheck', {})).toMatchObject({ ok: true, value: { state: 'ok', reason: 'start' } })
  })
})

describe('backup.restore from the administrator\'s screen: real backups only', () => {
  it('a file in the folder without a manifest is refused naming what was checked; the second confirmation restores it', async () => {
    const c = await runningApp()
    await c.ok(c.w, 'users.create', addUser('kept'))
    const made = await c.ok(c.w, 'backup.run')
    const folder = join(made.file, '..')
    const stranger = 'clinic-2026-01-01T10-00-00-000Z-manual.sqlite'
    copyFileSync(made.file, join(folder, stranger))
    await c.ok(c.w, 'users.create', addUser('later'))
    const list = await c.ok(c.w, 'backup.list')
    expect(list.backups.map((b) => [b.name, b.hasManifest])).toEqual(expect.arrayContaining([[stranger, false], [made.file.split(/[/\\]/).at(-1), true]]))

    const refused = await c.call(c.w, 'backup.restore', { name: stranger })
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        fields: { name: 'does not match a manifest written when it was made' },
        detail: { outsideFile: { reason: expect.stringContaining('has no manifest'), checked: [expect.stringContaining('integrity_check'), expect.stringContaining('schema version'), expect.stringMatching(/audit log: \d+ row\(s\), hash chain intact/)] } },
      },
    })
    // nothing changed, nobody was signed out
    expect(await c.users()).toEqual(['admin', 'kept', 'later'])

    const r = await c.ok(c.w, 'backup.restore', { name: stranger, outsideFile: true })
    expect(r).toMatchObject({ restoredFrom: stranger, accepted: 'outside file' })
    await c.signInAgain()
    expect(await c.users()).toEqual(['admin', 'kept'])
    // and the app, checking the restored log against its anchors, finds it in order
    expect(await c.ok(c.w, 'backup.auditCheck')).toMatchObject({ state: 'ok', reason: 'restore' })
  })

  it('a backup of the folder that matches its manifest restores at once, and the anchors follow it', async () => {
    const c = await runningApp()
    const made = await c.ok(c.w, 'backup.run')
    await c.ok(c.w, 'users.create', addUser('gone'))
    const r = await c.ok(c.w, 'backup.restore', { name: made.file.split(/[/\\]/).at(-1)! })
    expect(r.accepted).toBe('manifest')
    await c.signInAgain()
    expect(await c.users()).toEqual(['admin'])
    expect(await c.ok(c.w, 'backup.auditCheck')).toMatchObject({ state: 'ok', reason: 'restore' })
    await c.close()
    const v = await admin(['verify', '--db', c.file, '--anchors', c.anchors])
    expect(v.code, v.out).toBe(0)
  })
})

describe('the moment of the swap: never first-run setup', () => {
  /** Polls the database's path from another thread as fast as it can: is there a SQLite database there? */
  function watchPath(file: string): { stop(): Promise<{ looks: number; missing: number }> } {
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads')
       const fs = require('node:fs')
       let looks = 0, missing = 0, stop = false
       parentPort.on('message', () => { stop = true })
       const buf = Buffer.alloc(16)
       function look() {
         for (let i = 0; i < 200; i++) {
           looks++
           try {
             const fd = fs.openSync(workerData, 'r')
             const n = fs.readSync(fd, buf, 0, 16, 0)
             fs.closeSync(fd)
             if (n < 16 || buf.toString('latin1') !== 'SQLite format 3\\u0000') missing++
           } catch { missing++ }
         }
         if (stop) parentPort.postMessage({ looks, missing })
         else setImmediate(look)
       }
       look()`,
      { eval: true, workerData: file },
    )
    return {
      stop: () =>
        new Promise((resolve) => {
          worker.once('message', (m) => {
            void worker.terminate()
            resolve(m)
          })
          worker.postMessage('stop')
        }),
    }
  }

  it('while the screen restores a backup, the path always holds a database and every session.state says the clinic is set up', async () => {
    const c = await runningApp()
    // a backup big enough that copying it takes a while (the old way left the path empty for that long)
    c.app.database.sqlite!.exec(`CREATE TABLE padding (b BLOB); INSERT INTO padding SELECT randomblob(1024 * 1024) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) SELECT i FROM n);`)
    const made = await c.ok(c.w, 'backup.run')
    const watcher = watchPath(c.file)
    const states: boolean[] = []
    let done = false
    const restore = c.ok(c.w, 'backup.restore', { name: made.file.split(/[/\\]/).at(-1)! }).finally(() => (done = true))
    // every window that asks meanwhile (a reload, a new window) waits for the restore and then sees the clinic
    const askers = Array.from({ length: 5 }, async () => {
      while (!done) {
        const r = await c.call(newWindow(), 'session.state')
        if (r.ok) states.push((r.value as { needsSetup: boolean }).needsSetup)
        await new Promise((res) => setTimeout(res, 1))
      }
    })
    await restore
    await Promise.all(askers)
    const seen = await watcher.stop()
    expect(states.length).toBeGreaterThan(0)
    expect(states.every((needsSetup) => needsSetup === false)).toBe(true)
    expect(seen.looks).toBeGreaterThan(100)
    expect(seen.missing).toBe(0)
  }, 60_000)

  it('a restore that fails after the swap puts the old database back in one step, and nobody sees first-run setup', async () => {
    const c = await runningApp()
    await c.ok(c.w, 'users.create', addUser('kept'))
    const made = await c.ok(c.w, 'backup.run')
    await c.ok(c.w, 'users.create', addUser('also-kept'))
    const name = '9994_test_fails_on_restore'
    MIGRATIONS[name] = {
      up: async () => {
        throw new Error('this schema step fails')
      },
    }
    const watcher = watchPath(c.file)
    const states: boolean[] = []
    let done = false
    let refused: unknown
    try {
      const restore = c.call(c.w, 'backup.restore', { name: made.file.split(/[/\\]/).at(-1)! }).finally(() => (done = true))
      const asker = (async () => {
        while (!done) {
          const r = await c.call(newWindow(), 'session.state')
          if (r.ok) states.push((r.value as { needsSetup: boolean }).needsSetup)
        }
      })()
      refused = await restore
      await asker
    } finally {
      delete MIGRATIONS[name]
    }
    const seen = await watcher.stop()
    expect(refused).toMatchObject({ ok: false })
    expect(states.every((needsSetup) => needsSetup === false)).toBe(true)
    expect(seen.missing).toBe(0)
    // the data is the live database's, whole
    await c.signInAgain().catch(() => undefined)
    expect(await c.users()).toEqual(['admin', 'also-kept', 'kept'])
    expect(readdirSync(c.dir).filter((f) => f.includes('replaced'))).toEqual([])
  })
})
