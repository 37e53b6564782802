/**
 * `admin seed` writes thousands of invented patients and audit rows that nobody could tell apart from a real
 * clinic's: it goes into a new database only. Without --db it refuses (it never defaults to the clinic's own
 * file), it refuses the clinic's own file when named, and it refuses any database that already holds
 * something, changing nothing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { admin, dumpTables } from './cliHarness'
import { openClinic, SAMPLE_PATIENT } from './harness'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clinic-evidence-seed-'))
  dirs.push(d)
  return d
}

describe('admin seed refuses anything but a new database', () => {
  it('without --db it refuses (exit 2) and creates nothing, not even the clinic\'s own file', async () => {
    const home = tempDir()
    const r = await admin(['seed', '--patients', '5'], { env: { XDG_CONFIG_HOME: home } })
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/--db is required: seed writes a synthetic clinic into a new file, never into the clinic's own database/)
    expect(existsSync(join(home, 'Spine Clinic', 'clinic.sqlite'))).toBe(false)
  })

  it('refuses the clinic\'s own file even when named with --db (exit 2)', async () => {
    const home = tempDir()
    const own = join(home, 'Spine Clinic', 'clinic.sqlite')
    const r = await admin(['seed', '--db', own, '--patients', '5'], { env: { XDG_CONFIG_HOME: home } })
    expect(r.code).toBe(2)
    expect(r.err).toContain(`--db: ${own} is the clinic's own database file; seed a new file elsewhere.`)
    expect(existsSync(own)).toBe(false)
  })

  it('refuses a database that holds data (exit 1), changing nothing', async () => {
    const clinic = await openClinic()
    try {
      const desk = await clinic.as('frontDesk')
      await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
      const file = join(clinic.dir, 'clinic.sqlite')
      const before = dumpTables(file)
      const r = await admin(['seed', '--db', file, '--patients', '5', '--no-verify'])
      expect(r.code).toBe(1)
      expect(r.err).toContain(`Seed refused: ${file} is not a new database (it holds users, patients, settings, audit_log). Nothing was changed.`)
      expect(dumpTables(file)).toEqual(before)
    } finally {
      await clinic.close()
    }
  })

  it('seeds a new file, and refuses to seed it a second time', async () => {
    const file = join(tempDir(), 'demo.sqlite')
    const first = await admin(['seed', '--db', file, '--patients', '3', '--patients-only', '--no-verify', '--today', '2026-11-29'])
    expect(first.code, first.err).toBe(0)
    const before = dumpTables(file)
    const second = await admin(['seed', '--db', file, '--patients', '3', '--patients-only', '--no-verify', '--today', '2026-11-29'])
    expect(second.code).toBe(1)
    expect(second.err).toMatch(/Seed refused: .* is not a new database/)
    expect(dumpTables(file)).toEqual(before)
  }, 60_000)
})
