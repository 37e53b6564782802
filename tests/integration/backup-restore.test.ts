/**
 * Restore from the administrator's screen, through the router of the running app (openClinicApp) on a real
 * file: the calls in progress finish first, later ones wait and find their session ended, the database is
 * the backup's afterwards (the replaced one kept aside), and a damaged, newer-version or in-use case changes
 * nothing and says why. PostgreSQL clinics are told to use pg_dump.
 */
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openClinicApp, type ClinicApp } from '../../electron/app'
import type { AppEvent, Channel, ChannelInput, ChannelOutput } from '../../shared/contract'
import { integrityProblems } from '../../electron/services/backupFiles'
import { dumpTables } from './cliHarness'
import { ADMIN, newWindow, onPostgres, openClinic, PASSWORD, PG_URL, SAMPLE_PATIENT } from './harness'

let app: ClinicApp | undefined
let dir: string | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

async function openApp() {
  dir = mkdtempSync(join(tmpdir(), 'clinic-restore-'))
  const file = join(dir, 'clinic.sqlite')
  const events: AppEvent[] = []
  app = await openClinicApp({ engine: 'sqlite', file }, { backups: false, emit: (e) => events.push(e) })
  const a = app
  const call = <C extends Channel>(w: string, ch: C, input?: ChannelInput<C>) => a.router.call(w, ch, input ?? {})
  const ok = async <C extends Channel>(w: string, ch: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const r = await call(w, ch, input)
    if (!r.ok) throw new Error(`${ch} failed: ${r.error.code} ${r.error.message}`)
    return r.value as ChannelOutput<C>
  }
  const admin = newWindow()
  await ok(admin, 'setup.complete', { clinicName: 'Restore Clinic', admin: ADMIN })
  await ok(admin, 'users.create', { displayName: 'Desk', username: 'desk', role: 'frontDesk', password: PASSWORD })
  // as the harness does: the desk user has chosen their own password already (tested in the session tests)
  await a.database.db.updateTable('users').set({ must_change_password: 0 }).where('username', '=', 'desk').execute()
  const desk = newWindow()
  await ok(desk, 'session.signIn', { username: 'desk', password: PASSWORD })
  const names = async (w: string) => (await ok(w, 'patients.search', { q: '' })).map((p) => p.firstName).sort()
  return { file, events, call, ok, admin, desk, names }
}

const register = (firstName: string) => ({ ...SAMPLE_PATIENT, firstName, acknowledgeDuplicate: true })

describe('backup.restore from the administrator\'s screen (SQLite)', () => {
  it('restores a backup in the running app: the backup\'s data, the replaced file kept aside, everyone signs in again, audited', async () => {
    const c = await openApp()
    await c.ok(c.desk, 'patients.register', register('Before'))
    const backup = await c.ok(c.admin, 'backup.run')
    const name = backup.file.split(/[/\\]/).at(-1)!
    await c.ok(c.desk, 'patients.register', register('After'))
    expect(await c.names(c.desk)).toEqual(['After', 'Before'])
    expect((await c.ok(c.admin, 'backup.list')).backups.map((b) => b.name)).toEqual([name])

    const r = await c.ok(c.admin, 'backup.restore', { name })
    expect(r).toMatchObject({ restoredFrom: name, migrated: [] })
    expect(r.keptAsideAs).toMatch(/clinic\.replaced-.*\.sqlite$/)
    // the replaced database, with the patient registered after the backup, is kept whole
    expect((dumpTables(r.keptAsideAs!).patients as { first_name: string }[]).map((p) => p.first_name).sort()).toEqual(['After', 'Before'])

    // every window signs in again; the data is the backup's
    for (const w of [c.admin, c.desk]) expect(await c.call(w, 'patients.search', { q: '' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(c.events).toEqual(expect.arrayContaining([{ type: 'sessionChanged' }]))
    await c.ok(c.desk, 'session.signIn', { username: 'desk', password: PASSWORD })
    expect(await c.names(c.desk)).toEqual(['Before'])
    // the app works on the restored file: writes land there, and its log says who restored what
    await c.ok(c.desk, 'patients.register', register('Later'))
    expect((dumpTables(c.file).patients as { first_name: string }[]).map((p) => p.first_name).sort()).toEqual(['Before', 'Later'])
    const audit = (dumpTables(c.file).audit_log as { action: string; username: string; entity_id: string; details: string }[]).find((a) => a.action === 'backup.restore')!
    expect(audit).toMatchObject({ username: ADMIN.username, entity_id: name })
    expect(JSON.parse(audit.details)).toMatchObject({ keptAsideAs: r.keptAsideAs })
    const check = await c.ok(c.admin, 'session.signIn', { username: ADMIN.username, password: ADMIN.password }).then(() => c.call(c.admin, 'backup.list'))
    expect(check.ok).toBe(true)
  })

  it('lets calls in progress finish and holds the ones that reach it later: none runs against a half-swapped file', async () => {
    const c = await openApp()
    await c.ok(c.desk, 'patients.register', register('Base'))
    const { file: backupFile } = await c.ok(c.admin, 'backup.run')
    const name = backupFile.split(/[/\\]/).at(-1)!
    // A burst of registrations around the restore.
    const burst = Array.from({ length: 30 }, (_, i) => c.call(c.desk, 'patients.register', register(`Burst${i}`)))
    const restore = c.call(c.admin, 'backup.restore', { name })
    const late = Array.from({ length: 10 }, (_, i) => c.call(c.desk, 'patients.register', register(`Late${i}`)))
    const results = await Promise.all([...burst, ...late])
    const restored = await restore
    expect(restored.ok, JSON.stringify(restored)).toBe(true)
    const keptAside = (restored as { value: { keptAsideAs: string } }).value.keptAsideAs
    // every call either finished before the swap (its patient is in the replaced file) or was refused after it
    const before = new Set((dumpTables(keptAside).patients as { first_name: string }[]).map((p) => p.first_name))
    results.forEach((res, i) => {
      const who = i < 30 ? `Burst${i}` : `Late${i - 30}`
      if (res.ok) expect(before.has(who), who).toBe(true)
      else expect(res.error.code, who).toBe('unauthenticated')
    })
    // (A call sent just after the restore may still run before it: the restore is authorized as an ordinary call
    // before it takes the exclusive gate, so that an unauthorized caller cannot make everyone wait (issue 16,
    // point 11). What matters holds above: none ran against a half-swapped file, and none after the swap.)
    expect((dumpTables(c.file).patients as { first_name: string }[]).map((p) => p.first_name)).toEqual(['Base'])
    for (const f of [c.file, keptAside]) {
      const h = new Database(f, { readonly: true })
      expect(integrityProblems(h)).toEqual([])
      h.close()
    }
  })

  it('refuses a damaged backup or one from a newer version, and leaves the data and sessions as they were', async () => {
    const c = await openApp()
    await c.ok(c.desk, 'patients.register', register('Kept'))
    const { file: good } = await c.ok(c.admin, 'backup.run')
    const folder = join(good, '..')
    // a damaged file with a backup's name
    const damaged = 'clinic-2026-11-01T10-00-00-000Z-manual.sqlite'
    writeFileSync(join(folder, damaged), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0x5a)]))
    // a backup made by a newer version (a schema step this one does not know)
    const newer = 'clinic-2026-11-02T10-00-00-000Z-manual.sqlite'
    const src = new Database(good, { readonly: true })
    await src.backup(join(folder, newer))
    src.close()
    const n = new Database(join(folder, newer))
    n.prepare(`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_the_future', '2027-01-01T00:00:00.000Z')`).run()
    n.close()

    const before = dumpTables(c.file)
    const bad = await c.call(c.admin, 'backup.restore', { name: damaged })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { name: 'cannot be restored' } } })
    expect((bad as { error: { message: string } }).error.message).toMatch(/nothing was changed.*(damaged|not a readable SQLite database)/i)
    const tooNew = await c.call(c.admin, 'backup.restore', { name: newer })
    expect(tooNew).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect((tooNew as { error: { message: string } }).error.message).toMatch(/newer version of Spine Clinic.*9999_from_the_future/)
    const missing = await c.call(c.admin, 'backup.restore', { name: 'clinic-2020-01-01T00-00-00-000Z-daily.sqlite' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', fields: { name: expect.any(String) } } })
    const path = await c.call(c.admin, 'backup.restore', { name: '../clinic.sqlite' })
    expect(path).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { name: 'is not a backup name' } } })

    expect(dumpTables(c.file)).toEqual(before)
    expect(await c.names(c.desk)).toEqual(['Kept'])
  })

  it('refuses while another program holds the database, reopens it, and everyone stays signed in', async () => {
    const c = await openApp()
    await c.ok(c.desk, 'patients.register', register('Kept'))
    const { file } = await c.ok(c.admin, 'backup.run')
    await c.ok(c.desk, 'patients.register', register('Newer'))
    // another program (the admin command line, a viewer) in the middle of reading
    const other = new Database(c.file)
    other.prepare('BEGIN').run()
    other.prepare('SELECT count(*) FROM patients').get()
    try {
      const r = await c.call(c.admin, 'backup.restore', { name: file.split(/[/\\]/).at(-1)! })
      expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/in use.*Nothing was changed/) } })
    } finally {
      other.prepare('COMMIT').run()
      other.close()
    }
    expect(await c.names(c.desk)).toEqual(['Kept', 'Newer'])
    expect(existsSync(c.file)).toBe(true)
  })
})

describe.skipIf(!PG_URL).each(['postgres' as const])(onPostgres('backups on %s'), (engine) => {
  it('says that pg_dump is the tool, and restores nothing', async () => {
    expect(PG_URL).toBeTruthy()
    const clinic = await openClinic({ engine })
    try {
      const admin = await clinic.as('admin')
      expect(await clinic.ok(admin, 'backup.list')).toMatchObject({ engine: 'postgres', backups: [], message: expect.stringContaining('pg_dump') })
      const r = await clinic.call(admin, 'backup.restore', { name: 'clinic-2026-11-01T10-00-00-000Z-manual.sqlite' })
      expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('pg_dump') } })
    } finally {
      await clinic.close()
    }
  })
})
