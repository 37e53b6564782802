/**
 * SQLite file trouble, for real: a disk that fills up (a 4 MB tmpfs), a drive made read-only (the same tmpfs
 * remounted read-only), and a database file that is missing at start. Each call that cannot be saved fails
 * with words a person understands, nothing is half-written, and the app answers again once the trouble is over.
 * Mounting needs root (CI and these machines run as root); elsewhere the disk tests say so and skip.
 */
import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openClinicApp, type ClinicApp } from '../../electron/app'
import { appendAnchor, anchorLine } from '../../electron/services/auditAnchors'
import { ADMIN, newWindow, PASSWORD, SAMPLE_PATIENT } from './harness'

function canMount(): string | null {
  if (process.getuid?.() !== 0) return 'mounting a small disk needs root'
  const probe = mkdtempSync(join(tmpdir(), 'clinic-mount-probe-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' })
    execFileSync('umount', [probe], { stdio: 'ignore' })
    return null
  } catch {
    return 'this machine does not allow mounting a tmpfs'
  } finally {
    rmSync(probe, { recursive: true, force: true })
  }
}
const noMount = canMount()

describe('a missing database file at start', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'clinic-missing-'))
    dirs.push(d)
    return d
  }

  it('is a new clinic where nothing says a clinic was there', async () => {
    const d = dir()
    const app = await openClinicApp({ engine: 'sqlite', file: join(d, 'clinic.sqlite') }, { backups: false, anchors: { dir: join(d, 'anchors') } })
    const state = await app.router.call(newWindow(), 'session.state', {})
    await app.close()
    expect(state).toMatchObject({ ok: true, value: { needsSetup: true } })
  })

  it('is refused, and nothing created, where backups of a clinic are beside it', async () => {
    const d = dir()
    mkdirSync(join(d, 'backups'))
    writeFileSync(join(d, 'backups', 'clinic-2026-12-05.sqlite'), 'a backup')
    const file = join(d, 'clinic.sqlite')
    await expect(openClinicApp({ engine: 'sqlite', file }, { backups: false, anchors: false })).rejects.toThrow(/missing, but a clinic was kept there \(1 backup of it in .*backups\).*restore the newest backup/)
    expect(existsSync(file)).toBe(false)
  })

  it('is refused where this computer holds audit anchors for it', async () => {
    const d = dir()
    const file = join(d, 'clinic.sqlite')
    const anchors = join(d, 'anchors')
    appendAnchor(anchors, anchorLine('checkpoint', { engine: 'sqlite', file }, { count: 3, headId: 3, headHash: 'a'.repeat(64) }, new Date()))
    await expect(openClinicApp({ engine: 'sqlite', file }, { backups: false, anchors: { dir: anchors } })).rejects.toThrow(/audit anchors/)
    expect(existsSync(file)).toBe(false)
  })

  it('is refused where its folder is gone (a drive not connected), and the folder is not made', async () => {
    const d = dir()
    const file = join(d, 'share', 'clinic', 'clinic.sqlite')
    await expect(openClinicApp({ engine: 'sqlite', file }, { backups: false, anchors: false })).rejects.toThrow(/folder of the clinic's database is not there/)
    expect(existsSync(join(d, 'share'))).toBe(false)
  })
})

describe.skipIf(noMount !== null)(`a disk that fills up or turns read-only${noMount ? ` (skipped: ${noMount})` : ''}`, () => {
  let mount: string
  let app: ClinicApp
  let desk: string
  const file = () => join(mount, 'clinic.sqlite')
  const logged: unknown[] = []
  const open = () => openClinicApp({ engine: 'sqlite', file: file() }, { backups: false, anchors: false, log: (_m, e) => void logged.push(e) })
  const OWN_PASSWORD = 'desk-own-password-1'
  const signIn = async () => {
    desk = newWindow()
    expect(await app.router.call(desk, 'session.signIn', { username: 'desk', password: OWN_PASSWORD })).toMatchObject({ ok: true })
  }

  beforeAll(async () => {
    mount = mkdtempSync(join(tmpdir(), 'clinic-small-disk-'))
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount])
    app = await open()
    const admin = newWindow()
    expect(await app.router.call(admin, 'setup.complete', { clinicName: 'Small Disk Clinic', admin: ADMIN })).toMatchObject({ ok: true })
    expect(await app.router.call(admin, 'users.create', { displayName: 'Desk', username: 'desk', role: 'frontDesk', password: PASSWORD })).toMatchObject({ ok: true })
    // An administrator-set password is changed at the first sign-in.
    desk = newWindow()
    expect(await app.router.call(desk, 'session.signIn', { username: 'desk', password: PASSWORD })).toMatchObject({ ok: true })
    expect(await app.router.call(desk, 'session.changePassword', { currentPassword: PASSWORD, newPassword: OWN_PASSWORD })).toMatchObject({ ok: true })
  }, 60_000)

  afterAll(async () => {
    await app?.close()
    try {
      execFileSync('umount', [mount])
    } catch {
      execFileSync('umount', ['-l', mount])
    }
    rmSync(mount, { recursive: true, force: true })
  })

  afterEach(() => rmSync(join(mount, 'filler'), { force: true }))

  const patients = () => new Database(file(), { readonly: true, fileMustExist: true })
  const count = () => {
    const db = patients()
    try {
      return (db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n
    } finally {
      db.close()
    }
  }
  const register = (lastName: string) => app.router.call(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: lastName, lastName, acknowledgeDuplicate: true })

  it('full: the save is refused in words, nothing is half-written, and the next save after space is freed works', async () => {
    const first = await register('Before')
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true })
    const before = count()
    // Fill every free block of the small disk.
    const fd = openSync(join(mount, 'filler'), 'w')
    try {
      for (const size of [64 * 1024, 4096, 512, 1]) {
        const block = Buffer.alloc(size)
        try {
          for (;;) writeSync(fd, block)
        } catch (err) {
          expect((err as { code?: string }).code).toBe('ENOSPC')
        }
      }
    } finally {
      closeSync(fd)
    }
    const longNotes = { notes: 'x'.repeat(4000) }
    const refused = await app.router.call(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: 'During', lastName: 'DuringFull', acknowledgeDuplicate: true, ...longNotes })
    expect(refused, String(logged.map((e) => `${(e as Error).message} ${(e as { code?: string }).code}`))).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/disk that holds the clinic's database is full, so nothing was saved/) } })
    rmSync(join(mount, 'filler'))
    const db = patients()
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
    expect(count()).toBe(before)
    expect((await register('After')).ok).toBe(true)
    expect(count()).toBe(before + 1)
  })

  it('read-only: the app does not start on it, says why in words, and starts with every record once it is writable', async () => {
    // An open file stays writable through a chmod or a remount (the kernel refuses to remount a disk read-only
    // under a writer), so a drive turns read-only for the app when it next opens the file.
    const before = count()
    await app.close()
    execFileSync('mount', ['-o', 'remount,ro', mount])
    try {
      await expect(open()).rejects.toThrow(/can only be read just now/)
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mount])
    }
    app = await open()
    await signIn()
    expect(count()).toBe(before)
    expect((await register('Writable')).ok).toBe(true)
    expect(count()).toBe(before + 1)
  })
})
