/**
 * The app's log file (electron/appLog.ts) with the real router on a real SQLite file: an internal error's
 * reference, as the person sees it, leads to the error's stack in the log, and what the person typed does not
 * reach the log.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openAppLog } from '../../electron/appLog'
import { createRouter } from '../../electron/rpc'
import { openClinic, SAMPLE_PATIENT, type Clinic } from './harness'

const dirs: string[] = []
let clinic: Clinic | undefined
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clinic-desktop-log-'))
  dirs.push(d)
  return d
}
const mode = (f: string) => statSync(f).mode & 0o777

describe('the log file', () => {
  it('holds every internal error’s reference with its stack, and none of the failing call’s patient data', async () => {
    clinic = await openClinic()
    const logDir = join(tempDir(), 'logs')
    const log = openAppLog({ dir: logDir, console: false })
    // The app's router over the test clinic's database and sessions, logging as the app does.
    const router = createRouter({ database: clinic.database, sessions: clinic.router.sessions, now: () => clinic!.clock.now, workstation: 'test-ws', log: (m, e, c) => log.error(m, e, c) })
    const w = await clinic.as('frontDesk')
    const userId = clinic.router.sessions.get(w)!.user.id
    // A database that refuses the row and quotes it back in its message, as PostgreSQL does for a value it
    // cannot read: the worst case for a log.
    clinic.database.sqlite!.exec(`CREATE TRIGGER refuse_patient BEFORE INSERT ON patients BEGIN SELECT RAISE(ABORT, 'refused ' || NEW.last_name || ', ' || NEW.first_name || ' born ' || NEW.date_of_birth); END`)

    const r = await router.call(w, 'patients.register', SAMPLE_PATIENT)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('internal')
    const ref = /reference ([a-z0-9]+)/.exec(r.error.message)?.[1]
    expect(ref, r.error.message).toBeTruthy()

    const text = readFileSync(log.file, 'utf8')
    expect(text).toContain(`internal error ref=${ref} (patients.register, user ${userId})`)
    // the error and where it came from
    expect(text).toMatch(/SqliteError: refused \[input\], \[input\] born \[input\]/)
    expect(text).toMatch(/\n\s+at .*registerPatient .+\.ts:\d+/)
    expect(text).toContain('code: SQLITE_CONSTRAINT_TRIGGER')
    // and nothing the person typed
    for (const typed of ['Núñez', 'García', 'María', 'José', '1948-02-29', '201-3344', 'mj.nunez', 'Elm Street']) expect(text, typed).not.toContain(typed)
    if (process.platform !== 'win32') {
      expect(mode(log.file)).toBe(0o600)
      expect(mode(logDir)).toBe(0o700)
    }
  })

  it('rotates: past its size the file moves to clinic.old.log and a new one begins, so the log never takes more than twice the size', () => {
    const dir = tempDir()
    const log = openAppLog({ dir, console: false, maxSize: 4_000 })
    for (let i = 0; i < 200; i++) log.info(`entry ${i} ${'x'.repeat(40)}`)
    const old = join(dir, 'clinic.old.log')
    expect(existsSync(old)).toBe(true)
    expect(statSync(log.file).size).toBeLessThanOrEqual(4_000 + 200)
    expect(statSync(old).size).toBeLessThanOrEqual(4_000 + 200)
    expect(readFileSync(log.file, 'utf8')).toContain('entry 199 ')
    if (process.platform !== 'win32') {
      expect(mode(log.file)).toBe(0o600)
      expect(mode(old)).toBe(0o600)
    }
  })

  it('lines carry the time in UTC and the level', () => {
    const log = openAppLog({ dir: tempDir(), console: false })
    log.warn('the window size and position could not be saved', new Error('EACCES'))
    expect(readFileSync(log.file, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[warn\] +the window size and position could not be saved\nError: EACCES\n\s+at /)
  })
})
