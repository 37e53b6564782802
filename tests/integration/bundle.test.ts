/**
 * The built main process, loaded as the installed app loads it: dist-electron/*.cjs from `npm run build:main`
 * (tests/setup/buildBundle.ts builds them for this run), never the TypeScript sources. A library that breaks
 * when bundled into CommonJS (pdfkit did: "TypeError: Invalid URL" at load) or a file left out of the bundle
 * fails here instead of at the clinic's first start.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bundleDirOrFail } from './bundleDir'

const bundleDir = bundleDirOrFail()
const STAND_IN = join(process.cwd(), 'tests', 'fixtures', 'electronStandIn.cjs')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clinic-bundle-'))
  dirs.push(d)
  return d
}

interface Run {
  code: number
  out: string
  err: string
}

function node(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (error, out, err) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }),
    )
  })
}

interface StandIn {
  code: number
  records: { what: string; args: unknown[] }[]
}

function standInRecords(run: Run): StandIn {
  const line = run.out.split('\n').find((l) => l.startsWith('STANDIN '))
  if (!line) throw new Error(`the stand-in printed no records (exit ${run.code}):\n${run.out}\n${run.err}`)
  return JSON.parse(line.slice('STANDIN '.length)) as StandIn
}

describe('the built bundles', () => {
  it('core.cjs loads under plain Node and keeps Electron out of it', async () => {
    const r = await node(['-e', `const core = require(${JSON.stringify(join(bundleDir, 'core.cjs'))}); console.log(Object.keys(core).sort().join(','))`])
    expect(r.err).toBe('')
    expect(r.out).toContain('openClinicApp')
    expect(r.out).toContain('runAdmin')
    expect(readFileSync(join(bundleDir, 'core.cjs'), 'utf8')).not.toMatch(/require\(["']electron["']\)/)
  })

  it('the thin entries load the one core bundle instead of carrying a copy of it', () => {
    for (const entry of ['main.cjs', 'admin.cjs', 'bridge.cjs']) {
      const text = readFileSync(join(bundleDir, entry), 'utf8')
      expect(text, entry).toContain('require("./core.cjs")')
      expect(text.length, entry).toBeLessThan(64_000)
    }
  })
})

describe('admin.cjs: the files it writes are the owner\'s only', () => {
  it.skipIf(process.platform === 'win32')('the database, its backup and an export are created 0600, in folders of 0700 where it makes them', async () => {
    const dir = tempDir()
    const file = join(dir, 'clinic', 'clinic.sqlite')
    const admin = (...args: string[]) => node([join(bundleDir, 'admin.cjs'), ...args])
    const seeded = await admin('seed', '--db', file, '--patients', '3', '--no-verify')
    expect(seeded.code, seeded.err).toBe(0)
    const backup = await admin('backup', '--db', file, '--out', join(dir, 'copies', 'clinic-backup.sqlite'))
    expect(backup.code, backup.err).toBe(0)
    mkdirSync(join(dir, 'out')) // an export goes into a folder the administrator names (made here by the test)
    const exported = await admin('export', 'outcomes', '--db', file, '--from', '2000-01-01', '--to', '2030-12-31', '--format', 'csv', '--out', join(dir, 'out', 'outcomes.csv'))
    expect(exported.code, exported.err).toBe(0)
    const mode = (f: string) => statSync(f).mode & 0o777
    expect(mode(file)).toBe(0o600)
    expect(mode(join(dir, 'copies', 'clinic-backup.sqlite'))).toBe(0o600)
    expect(mode(join(dir, 'out', 'outcomes.csv'))).toBe(0o600)
    for (const folder of ['clinic', 'copies']) expect(mode(join(dir, folder)), folder).toBe(0o700)
  })
})

describe('main.cjs under a recording stand-in for electron (a module-graph check, not an Electron test)', () => {
  it('opens the clinic database, one sandboxed window on the built renderer, and answers IPC only from it', async () => {
    const userData = tempDir()
    const run = await node(['-r', STAND_IN, join(bundleDir, 'main.cjs')], { STANDIN_USER_DATA: userData, CLINIC_CONFIG_DIR: '', CLINIC_DB_URL: '', CLINIC_DB_FILE: '' })
    const { code, records } = standInRecords(run)
    expect(records.find((r) => r.what === 'dialog.showErrorBox'), run.out).toBeUndefined()
    expect(code, run.err).toBe(0)
    // The database was created and migrated in the app's data folder.
    expect(existsSync(join(userData, 'clinic.sqlite'))).toBe(true)
    // ... readable by the account that runs the app only (Linux and macOS)
    if (process.platform !== 'win32') expect(statSync(join(userData, 'clinic.sqlite')).mode & 0o777).toBe(0o600)
    const win = records.find((r) => r.what === 'new BrowserWindow')!.args[0] as { webPreferences: Record<string, unknown> }
    expect(win.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
    expect(String(win.webPreferences.preload)).toMatch(/preload\.cjs$/)
    const url = records.find((r) => r.what === 'BrowserWindow.loadURL')!.args[0] as string
    expect(url).toMatch(/^file:\/\/.*\/dist\/renderer\/index\.html$/)
    // A new clinic: the router answers through IPC that first-run setup is needed ...
    const fromApp = records.find((r) => r.what === 'invoke from the app page')!.args[0] as { ok: boolean; value: { needsSetup?: boolean } }
    expect(fromApp.ok).toBe(true)
    expect(fromApp.value).toMatchObject({ needsSetup: true, user: null })
    // ... and refuses the same call from any other page.
    const fromElsewhere = records.find((r) => r.what === 'invoke from another page')!.args[0]
    expect(fromElsewhere).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('`--admin <command>` runs the command with its exit status and opens no window', async () => {
    const userData = tempDir()
    const file = join(userData, 'other.sqlite')
    const help = await node(['-r', STAND_IN, join(bundleDir, 'main.cjs'), '--admin', '--help'], { STANDIN_USER_DATA: userData })
    expect(help.out).toContain('Spine Clinic administration')
    expect(standInRecords(help).code).toBe(0)
    const migrate = await node(['-r', STAND_IN, join(bundleDir, 'main.cjs'), '--admin', 'migrate', '--db', file], { STANDIN_USER_DATA: userData })
    const result = standInRecords(migrate)
    expect(result.code, migrate.err).toBe(0)
    expect(existsSync(file)).toBe(true)
    const wrong = await node(['-r', STAND_IN, join(bundleDir, 'main.cjs'), '--admin', 'verify', '--db', file, '--bogus'], { STANDIN_USER_DATA: userData })
    expect(standInRecords(wrong).code).toBe(2)
    expect(wrong.err).toContain('Unknown option --bogus')
    for (const r of [help, migrate, wrong]) expect(standInRecords(r).records.some((x) => x.what === 'new BrowserWindow')).toBe(false)
  })
})
