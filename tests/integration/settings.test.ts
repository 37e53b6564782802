/**
 * The clinic's settings through the router (the Settings screen's calls) and the administrator's command line
 * (`admin settings show|set`): every setting is saved, validated with the field named, audited, and used.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackupScheduler } from '../../electron/services/backupScheduler'
import { ClinicSettings } from '../../shared/schemas/settings'
import { bundleDirOrFail } from './bundleDir'
import { admin } from './cliHarness'
import { allTableCounts, itEachEngine, openClinic, type Clinic } from './harness'

let clinic: Clinic | undefined
const dirs: string[] = []
afterEach(async () => {
  await clinic?.close()
  clinic = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clinic-settings-'))
  dirs.push(d)
  return d
}

async function lastSettingsAudit(c: Clinic) {
  const row = await c.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.update').orderBy('id', 'desc').executeTakeFirstOrThrow()
  return { ...row, details: JSON.parse(row.details) as { changed: string[]; values: Record<string, { from: unknown; to: unknown }>; confirmedBackupFolderOnSameDisk?: boolean } }
}

describe('settings.update: every group of the Settings screen', () => {
  itEachEngine('saves the procedure-day, follow-up, template and backup settings together, and audits each change', async (engine) => {
    clinic = await openClinic({ engine })
    const adminWindow = await clinic.as('admin', 'itboss')
    const s = await clinic.ok(adminWindow, 'settings.get')
    const changed = {
      ...s.settings,
      overnightBeds: 4,
      observationPhases: [{ everyMinutes: 10, forMinutes: 30 }, { everyMinutes: 30, forMinutes: 90 }],
      observationGraceMinutes: 10,
      followUpIntervals: [{ label: '10 days', days: 10 }, { label: '3 months', months: 3 }],
      dischargeWarningSigns: 'Call 911 for chest pain.',
      backupRotation: { daily: 14, weekly: 8, monthly: 6 },
    }
    const saved = await clinic.ok(adminWindow, 'settings.update', { version: s.version, settings: changed })
    expect(saved.version).toBe(s.version + 1)
    expect((await clinic.ok(await clinic.as('physician'), 'settings.get')).settings).toEqual(changed)

    const audit = await lastSettingsAudit(clinic)
    expect(audit.username).toBe('itboss')
    expect(audit.details.changed.sort()).toEqual(['backupRotation', 'dischargeWarningSigns', 'followUpIntervals', 'observationGraceMinutes', 'observationPhases', 'overnightBeds'])
    expect(audit.details.values.overnightBeds).toEqual({ from: 2, to: 4 })
    expect(audit.details.values.backupRotation).toEqual({ from: { daily: 7, weekly: 4, monthly: 12 }, to: { daily: 14, weekly: 8, monthly: 6 } })
    // a short text's old and new wording is in the row too (a long one is only named in "changed")
    expect(audit.details.values.dischargeWarningSigns?.to).toBe('Call 911 for chest pain.')
  })

  itEachEngine('refuses a value out of range naming the field, and changes nothing', async (engine) => {
    clinic = await openClinic({ engine })
    const adminWindow = await clinic.as('admin')
    const s = await clinic.ok(adminWindow, 'settings.get')
    const before = await allTableCounts(clinic.database)
    const cases: [Record<string, unknown>, string, string][] = [
      [{ overnightBeds: 51 }, 'settings.overnightBeds', 'must be 0 to 50'],
      [{ observationPhases: [{ everyMinutes: 30, forMinutes: 15 }] }, 'settings.observationPhases.0.forMinutes', 'must last at least one interval'],
      [{ followUpIntervals: [{ label: '2 years', months: 25 }] }, 'settings.followUpIntervals.0.months', 'must be 1 to 24'],
      [{ backupRotation: { daily: 0, weekly: 4, monthly: 12 } }, 'settings.backupRotation.daily', 'must be 1 to 90 days'],
      [{ dischargeActivityGuidelines: '   ' }, 'settings.dischargeActivityGuidelines', 'is required'],
    ]
    for (const [patch, field, message] of cases) {
      const r = await clinic.call(adminWindow, 'settings.update', { version: s.version, settings: { ...s.settings, ...patch } as typeof s.settings })
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { [field]: message } } })
    }
    expect(await clinic.ok(adminWindow, 'settings.get')).toEqual(s)
    expect(await allTableCounts(clinic.database)).toEqual(before)
  })

  it('settings saved before a setting existed read with its default (no migration needed)', async () => {
    clinic = await openClinic()
    const adminWindow = await clinic.as('admin')
    const { backupRotation: _dropped, ...older } = (await clinic.ok(adminWindow, 'settings.get')).settings
    await clinic.database.db.updateTable('settings').set({ value: JSON.stringify(older) }).where('key', '=', 'clinic').execute()
    expect((await clinic.ok(adminWindow, 'settings.get')).settings.backupRotation).toEqual({ daily: 7, weekly: 4, monthly: 12 })
  })
})

describe('settings: the backup folder', () => {
  it('asks for a confirmation before backups go inside the database\'s own folder on the same disk, and audits the confirmation', async () => {
    clinic = await openClinic()
    const adminWindow = await clinic.as('admin')
    const s = await clinic.ok(adminWindow, 'settings.get')
    const inside = join(clinic.dir, 'copies')
    const refused = await clinic.call(adminWindow, 'settings.update', { version: s.version, settings: { ...s.settings, backupFolder: inside } })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'conflict', fields: { 'settings.backupFolder': "is inside the database's folder on the same disk" }, detail: { backupFolderOnSameDisk: true } },
    })
    expect(refused.ok ? '' : refused.error.message).toMatch(/if that disk fails, the backups are lost with the database/)
    expect((await clinic.ok(adminWindow, 'settings.get')).version).toBe(s.version)

    await clinic.ok(adminWindow, 'settings.update', { version: s.version, settings: { ...s.settings, backupFolder: inside }, confirmBackupFolderOnSameDisk: true })
    expect((await lastSettingsAudit(clinic)).details).toMatchObject({ changed: ['backupFolder'], confirmedBackupFolderOnSameDisk: true, values: { backupFolder: { from: '', to: inside } } })
    expect((await clinic.ok(adminWindow, 'backup.run')).file.startsWith(inside)).toBe(true)
  })

  it('takes a folder elsewhere without asking, and refuses one that cannot be written, naming the setting', async () => {
    clinic = await openClinic()
    const adminWindow = await clinic.as('admin')
    const s = await clinic.ok(adminWindow, 'settings.get')
    const elsewhere = tempDir()
    const aFile = join(elsewhere, 'not-a-folder')
    writeFileSync(aFile, 'x')
    const r = await clinic.call(adminWindow, 'settings.update', { version: s.version, settings: { ...s.settings, backupFolder: join(aFile, 'backups') } })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { 'settings.backupFolder': expect.stringMatching(/^cannot be written: .*is a file/) } } })
    await clinic.ok(adminWindow, 'settings.update', { version: s.version, settings: { ...s.settings, backupFolder: join(elsewhere, 'nas', 'clinic') } })
    // not made until the first backup goes there
    expect(readdirSync(elsewhere)).toEqual(['not-a-folder'])
  })

  it('opens the system folder dialog where the app has one; the browser bridge says to type the path', async () => {
    const asked: { windowId: string; title: string; defaultPath?: string }[] = []
    clinic = await openClinic({ chooseFolder: async (windowId, opts) => (asked.push({ windowId, ...opts }), '/srv/chosen') })
    const adminWindow = await clinic.as('admin')
    expect(await clinic.ok(adminWindow, 'settings.chooseBackupFolder')).toEqual({ available: true, folder: '/srv/chosen' })
    expect(asked).toEqual([{ windowId: adminWindow, title: 'Choose the backup folder' }])
    // only an administrator's window may open it
    expect(await clinic.call(await clinic.as('frontDesk'), 'settings.chooseBackupFolder')).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    await clinic.close()

    clinic = await openClinic()
    expect(await clinic.ok(await clinic.as('admin'), 'settings.chooseBackupFolder')).toEqual({ available: false, folder: null })
  })

  it('the daily rotation keeps what the setting says', async () => {
    clinic = await openClinic()
    const c = clinic
    const adminWindow = await c.as('admin')
    const folder = join(tempDir(), 'daily')
    const s = await c.ok(adminWindow, 'settings.get')
    await c.ok(adminWindow, 'settings.update', { version: s.version, settings: { ...s.settings, backupFolder: folder, timeZone: 'UTC', backupRotation: { daily: 2, weekly: 0, monthly: 0 } } })
    expect((await c.ok(adminWindow, 'backup.list')).rotation).toEqual({ daily: 2, weekly: 0, monthly: 0 })
    const scheduler = createBackupScheduler({ database: c.database, workstation: 'front-pc', now: () => c.clock.now })
    for (let day = 1; day <= 5; day++) {
      c.clock.now = new Date(Date.UTC(2026, 11, day, 19, 5))
      expect((await scheduler.tick()).status).toBe('backed-up')
    }
    expect(readdirSync(folder).filter((f) => f.endsWith('.sqlite'))).toEqual(['clinic-2026-12-04T19-05-00-000Z-daily.sqlite', 'clinic-2026-12-05T19-05-00-000Z-daily.sqlite'])
  })
})

describe('admin settings show|set', () => {
  async function clinicFile() {
    clinic = await openClinic()
    await clinic.as('admin')
    return join(clinic.dir, 'clinic.sqlite')
  }

  it('show prints every setting with its value as JSON; set changes one, audited as admin-cli', async () => {
    const file = await clinicFile()
    const shown = await admin(['settings', 'show', '--db', file])
    expect(shown.code, shown.err).toBe(0)
    const all = JSON.parse(shown.out) as Record<string, unknown>
    expect(Object.keys(all).sort()).toEqual(Object.keys(ClinicSettings.shape).sort())
    expect(all).toMatchObject({ clinicName: 'Test Spine Clinic', overnightBeds: 2, backupRotation: { daily: 7, weekly: 4, monthly: 12 } })

    const set = await admin(['settings', 'set', 'overnightBeds', '4', '--db', file])
    expect(set).toMatchObject({ code: 0, out: 'overnightBeds: 2 -> 4\n' })
    expect(JSON.parse((await admin(['settings', 'show', 'overnightBeds', '--db', file])).out)).toBe(4)
    const audit = await lastSettingsAudit(clinic!)
    expect(audit).toMatchObject({ username: 'admin-cli', user_id: null, workstation: hostname() })
    expect(audit.details).toMatchObject({ changed: ['overnightBeds'], values: { overnightBeds: { from: 2, to: 4 } } })
    // a text setting takes the words as typed; a list is JSON
    expect((await admin(['settings', 'set', 'clinicName', 'Springfield Spine', '--db', file])).code).toBe(0)
    expect((await admin(['settings', 'set', 'backupRotation', '{"daily":3,"weekly":2,"monthly":1}', '--db', file])).code).toBe(0)
    expect((await clinic!.ok(await clinic!.as('admin'), 'settings.get')).settings).toMatchObject({ clinicName: 'Springfield Spine', backupRotation: { daily: 3, weekly: 2, monthly: 1 } })
    expect((await admin(['verify', '--db', file])).code).toBe(0)
  })

  it('an invalid value, an unknown setting or a malformed value exits 2 naming the field, and changes nothing', async () => {
    const file = await clinicFile()
    const before = await allTableCounts(clinic!.database)
    const cases: [string[], RegExp][] = [
      [['settings', 'set', 'overnightBeds', '51'], /^overnightBeds must be 0 to 50\. Nothing was changed\./],
      [['settings', 'set', 'overnightBeds', 'four'], /^overnightBeds: "four" is not a value for this setting/],
      [['settings', 'set', 'backupRotation', '{"daily":0,"weekly":1,"monthly":1}'], /^backupRotation\.daily must be 1 to 90 days/],
      [['settings', 'set', 'bedsOvernight', '4'], /There is no setting "bedsOvernight"\. The settings are: clinicName, /],
      [['settings', 'set', 'overnightBeds'], /settings set overnightBeds needs a value/],
      [['settings', 'change', 'overnightBeds', '4'], /Unknown action "change"/],
      [['settings', 'set', 'backupFolder', 'relative/dir'], /^backupFolder must be a full folder path/],
    ]
    for (const [args, message] of cases) {
      const r = await admin([...args, '--db', file])
      expect(r.code, `${args.join(' ')}: ${r.out}${r.err}`).toBe(2)
      expect(r.err).toMatch(message)
    }
    expect(await allTableCounts(clinic!.database)).toEqual(before)
    expect(JSON.parse((await admin(['settings', 'show', 'overnightBeds', '--db', file])).out)).toBe(2)
  })

  it('a backup folder beside the database needs --confirm-same-disk', async () => {
    const file = await clinicFile()
    const inside = join(clinic!.dir, 'copies')
    mkdirSync(inside)
    const refused = await admin(['settings', 'set', 'backupFolder', inside, '--db', file])
    expect(refused.code).toBe(2)
    expect(refused.err).toMatch(/inside the database's own folder, on the same disk.*Add --confirm-same-disk to keep it\. Nothing was changed\./s)
    const kept = await admin(['settings', 'set', 'backupFolder', inside, '--confirm-same-disk', '--db', file])
    expect(kept.code, kept.err).toBe(0)
  })

  it('the built command line (dist-electron/admin.cjs) prints the settings', async () => {
    const file = await clinicFile()
    const out = await new Promise<{ code: number; out: string; err: string }>((resolve) =>
      execFile(process.execPath, [join(bundleDirOrFail(), 'admin.cjs'), 'settings', 'show', '--db', file], (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr }),
      ),
    )
    expect(out.code, out.err).toBe(0)
    expect(JSON.parse(out.out)).toMatchObject({ clinicName: 'Test Spine Clinic', timeZone: expect.any(String) })
  })
})
