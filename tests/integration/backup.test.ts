import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkBackupFile, listBackups } from '../../electron/services/backupFiles'
import { createBackupScheduler, startBackupScheduler } from '../../electron/services/backupScheduler'
import { dumpTables } from './cliHarness'
import { openClinic, SAMPLE_PATIENT, type Clinic } from './harness'

let clinic: Clinic | undefined
const dirs: string[] = []
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clinic-backups-'))
  dirs.push(d)
  return d
}

async function setFolder(c: Clinic, adminWindow: string, patch: Record<string, unknown>) {
  const current = await c.ok(adminWindow, 'settings.get')
  await c.ok(adminWindow, 'settings.update', { version: current.version, settings: { ...current.settings, ...patch } })
}

describe('backup.run (the administrator\'s "Back up now")', () => {
  it('writes a sound backup to the backup folder, lists it, and audits who made it', async () => {
    clinic = await openClinic()
    const admin = await clinic.as('admin', 'itboss')
    const r = await clinic.ok(admin, 'backup.run')
    expect(r.file).toMatch(/backups[/\\]clinic-2026-11-30T14-00-00-000Z-manual\.sqlite$/)
    expect(r.file.startsWith(clinic.dir)).toBe(true)
    expect(await checkBackupFile(r.file)).toMatchObject({ ok: true, problems: [] })
    const list = await clinic.ok(admin, 'backup.list')
    expect(list.backups).toEqual([{ name: 'clinic-2026-11-30T14-00-00-000Z-manual.sqlite', at: '2026-11-30T14:00:00.000Z', kind: 'manual', bytes: r.bytes, hasManifest: true }])
    const audit = await clinic.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'backup.create').executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ username: 'itboss', workstation: 'test-ws' })
    expect(JSON.parse(audit.details)).toMatchObject({ file: r.file, sha256: r.sha256, kind: 'manual' })
    // A second click in the same millisecond gets its own file.
    const again = await clinic.ok(admin, 'backup.run')
    expect(again.file).not.toBe(r.file)
  })

  it('goes to the folder the administrator chose', async () => {
    clinic = await openClinic()
    const admin = await clinic.as('admin')
    const folder = join(tempDir(), 'nas', 'clinic')
    await setFolder(clinic, admin, { backupFolder: folder })
    const r = await clinic.ok(admin, 'backup.run')
    const name = r.file.slice(folder.length + 1)
    // the backup, and the manifest written beside it (its hash, size, schema and audit head)
    expect(readdirSync(folder).sort()).toEqual([name, `${name}.manifest.json`])
  })

  it('refuses a backup folder that is not a full path, naming the setting', async () => {
    clinic = await openClinic()
    const admin = await clinic.as('admin')
    const current = await clinic.ok(admin, 'settings.get')
    for (const [patch, field] of [
      [{ backupFolder: 'relative/dir' }, 'settings.backupFolder'],
      [{ backupTime: '25:00' }, 'settings.backupTime'],
      [{ backupTime: '7pm' }, 'settings.backupTime'],
    ] as const) {
      const r = await clinic.call(admin, 'settings.update', { version: current.version, settings: { ...current.settings, ...patch } })
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { [field]: expect.any(String) } } })
    }
    expect(current.settings).toMatchObject({ backupFolder: '', backupTime: '19:00' })
  })

  it('is a consistent moment even while others keep writing', async () => {
    clinic = await openClinic()
    const admin = await clinic.as('admin')
    const desk = await clinic.as('frontDesk')
    for (let i = 0; i < 50; i++) await clinic.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: `Before${i}`, acknowledgeDuplicate: true })
    const writes = (async () => {
      for (let i = 0; i < 40; i++) await clinic!.ok(desk, 'patients.register', { ...SAMPLE_PATIENT, firstName: `During${i}`, acknowledgeDuplicate: true })
    })()
    const [r] = await Promise.all([clinic.ok(admin, 'backup.run'), writes])
    const saved = dumpTables(r.file)
    const creates = saved.audit_log!.filter((a) => (a as { action: string }).action === 'patient.create').length
    expect(saved.patients!.length).toBeGreaterThanOrEqual(50)
    expect(creates).toBe(saved.patients!.length)
    expect((saved.counters as { name: string; value: number }[]).find((c) => c.name === 'mrn')!.value).toBe(saved.patients!.length)
  })
})

describe('the daily backup scheduler', () => {
  it('catches up a missed backup at start, then backs up once a day at the set time and rotates', async () => {
    clinic = await openClinic()
    const c = clinic
    const admin = await c.as('admin')
    const folder = join(tempDir(), 'daily')
    await setFolder(c, admin, { backupFolder: folder, backupTime: '19:00', timeZone: 'America/New_York' })
    const scheduler = createBackupScheduler({ database: c.database, workstation: 'front-pc', now: () => c.clock.now })

    // 09:00 in New York: yesterday's 19:00 backup never happened (the computer was off), so it runs now.
    expect(await scheduler.tick()).toMatchObject({ status: 'backed-up' })
    expect(await scheduler.tick()).toMatchObject({ status: 'up-to-date' })
    c.clock.now = new Date('2026-11-30T23:59:00.000Z') // 18:59
    expect(await scheduler.tick()).toMatchObject({ status: 'up-to-date' })
    c.clock.now = new Date('2026-12-01T00:00:30.000Z') // 19:00:30
    expect(await scheduler.tick()).toMatchObject({ status: 'backed-up' })
    // Both were on 30 November in New York: the rotation keeps that day's later one.
    // (a backup's manifest goes with it)
    expect(readdirSync(folder)).toEqual(['clinic-2026-12-01T00-00-30-000Z-daily.sqlite', 'clinic-2026-12-01T00-00-30-000Z-daily.sqlite.manifest.json'])

    // Ten weeks of evenings: the folder keeps 7 daily, 4 weekly and the monthly ones.
    for (let day = 1; day <= 70; day++) {
      c.clock.now = new Date(Date.UTC(2026, 11, 1 + day, 0, 5))
      expect((await scheduler.tick()).status).toBe('backed-up')
    }
    const all = readdirSync(folder).sort()
    const files = all.filter((f) => f.endsWith('.sqlite'))
    expect(all.filter((f) => f.endsWith('.manifest.json'))).toEqual(files.map((f) => `${f}.manifest.json`))
    expect(files.length).toBeLessThanOrEqual(7 + 4 + 12)
    expect(files.length).toBeGreaterThanOrEqual(10)
    expect(files.at(-1)).toBe('clinic-2027-02-09T00-05-00-000Z-daily.sqlite')
    const actions = await c.database.db.selectFrom('audit_log').select(['action', 'username', 'workstation']).where('action', 'like', 'backup.%').execute()
    expect(actions.filter((a) => a.action === 'backup.create')).toHaveLength(72)
    expect(actions.filter((a) => a.action === 'backup.rotate').length).toBeGreaterThan(0)
    expect(actions[0]).toMatchObject({ username: 'backup-scheduler', workstation: 'front-pc' })
  })

  it('audits a failed backup and retries later instead of every minute', async () => {
    clinic = await openClinic()
    const c = clinic
    const admin = await c.as('admin')
    // A folder that was fine when chosen (Settings refuses one that cannot be written) and is not any more:
    // a file now stands where the folder would be made.
    const notAFolder = join(tempDir(), 'nas')
    await setFolder(c, admin, { backupFolder: notAFolder })
    writeFileSync(notAFolder, 'x')
    const scheduler = createBackupScheduler({ database: c.database, now: () => c.clock.now, retryMs: 30 * 60_000, log: () => {} })
    expect(await scheduler.tick()).toMatchObject({ status: 'failed' })
    expect(await scheduler.tick()).toMatchObject({ status: 'waiting' })
    const failed = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'backup.failed').execute()
    expect(failed).toHaveLength(1)
    // The administrator fixes the folder; the next try after the pause succeeds.
    await setFolder(c, admin, { backupFolder: join(tempDir(), 'fixed') })
    c.clock.now = new Date(c.clock.now.getTime() + 31 * 60_000)
    expect(await scheduler.tick()).toMatchObject({ status: 'backed-up' })
  })

  it('waits for first-run setup, and runs by itself once started', async () => {
    clinic = await openClinic({ setup: false })
    const idle = createBackupScheduler({ database: clinic.database })
    expect(await idle.tick()).toMatchObject({ status: 'not-applicable' })
    await clinic.close()

    clinic = await openClinic()
    const scheduler = startBackupScheduler({ database: clinic.database, firstCheckMs: 5, intervalMs: 20, log: () => {} })
    try {
      const folder = join(clinic.dir, 'backups')
      for (let i = 0; i < 200 && listBackups(folder).length === 0; i++) await new Promise((r) => setTimeout(r, 25))
      await new Promise((r) => setTimeout(r, 100)) // a few more ticks: they find today's backup made
    } finally {
      await scheduler.stop()
    }
    expect(readdirSync(join(clinic.dir, 'backups')).sort()).toEqual([expect.stringMatching(/^clinic-.*-daily\.sqlite$/), expect.stringMatching(/^clinic-.*-daily\.sqlite\.manifest\.json$/)])
  })
})

describe('starting the app (electron/app.ts, used by Electron and the bridge)', () => {
  it('backs up a database that holds data before a new schema step, and stops its scheduler on close', async () => {
    const { openClinicApp } = await import('../../electron/app')
    const { MIGRATIONS } = await import('../../migrations')
    clinic = await openClinic()
    const c = clinic
    await c.as('physician')
    await c.database.close()
    const file = join(c.dir, 'clinic.sqlite')
    const name = '9992_test_scratch'
    MIGRATIONS[name] = { up: async (db) => void (await db.schema.createTable('scratch3').addColumn('id', 'integer').execute()) }
    try {
      const app = await openClinicApp({ engine: 'sqlite', file })
      await app.close()
      const backups = readdirSync(join(c.dir, 'backups')).filter((f) => f.endsWith('.sqlite'))
      expect(backups).toEqual([expect.stringMatching(/-pre-migrate\.sqlite$/)])
      expect(dumpTables(join(c.dir, 'backups', backups[0]!)).users!.length).toBe(2)
      expect(dumpTables(file).scratch3).toEqual([])
    } finally {
      delete MIGRATIONS[name]
      const { openDatabase } = await import('../../electron/db/connect')
      c.database = openDatabase({ engine: 'sqlite', file })
    }
  })
})
