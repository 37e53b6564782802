/**
 * The built main process, loaded as the installed app loads it: dist-electron/*.cjs from `npm run build:main`
 * (tests/setup/buildBundle.ts builds them for this run), never the TypeScript sources. A library that breaks
 * when bundled into CommonJS (pdfkit did: "TypeError: Invalid URL" at load) or a file left out of the bundle
 * fails here instead of at the clinic's first start.
 */
import Database from 'better-sqlite3'
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
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

describe('main.cjs: the desktop behaviours under the stand-in (menu, log, window place, the OS lock, development switches)', () => {
  const main = () => join(bundleDir, 'main.cjs')
  type MenuSummary = { label: string; items: string[] }[]
  const menuOf = (records: StandIn['records']) => records.find((r) => r.what === 'Menu.setApplicationMenu')!.args[0] as MenuSummary
  const mode = (f: string) => statSync(f).mode & 0o777
  const DEV_ONLY = ['reload', 'forceReload', 'toggleDevTools']

  it('an unpackaged build: the menu with the developer items, the log in the data folder, the window placed on a display that exists, the OS lock locking the session', async () => {
    const userData = tempDir()
    // The window was last on a second monitor that is no longer attached.
    writeFileSync(join(userData, 'window-state.json'), JSON.stringify({ bounds: { x: 3000, y: 100, width: 1600, height: 1000 }, maximized: false }))
    const run = await node(['-r', STAND_IN, main()], { STANDIN_USER_DATA: userData, STANDIN_SCENARIO: 'lock', CLINIC_CONFIG_DIR: '', CLINIC_DB_URL: '', CLINIC_DB_FILE: '' })
    const { code, records } = standInRecords(run)
    expect(code, run.err).toBe(0)

    const menu = menuOf(records)
    expect(menu.map((m) => m.label)).toEqual(process.platform === 'darwin' ? ['Spine Clinic', 'File', 'Edit', 'View', 'Window', 'Help'] : ['File', 'Edit', 'View', 'Window', 'Help'])
    expect(menu.find((m) => m.label === 'View')!.items).toEqual(expect.arrayContaining(DEV_ONLY))
    expect(menu.find((m) => m.label === 'Help')!.items).toEqual(expect.arrayContaining(['Keyboard Shortcuts', 'About Spine Clinic']))
    expect(menu.find((m) => m.label === 'Edit')!.items).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']))

    // Spellchecking never downloads: the download address is a local folder, and on Linux it is off.
    expect(String(records.find((r) => r.what === 'session.setSpellCheckerDictionaryDownloadURL')!.args[0])).toMatch(/^file:\/\/.*\/dictionaries\/$/)
    expect(records.find((r) => r.what === 'session.setSpellCheckerEnabled')!.args[0]).toBe(process.platform !== 'linux')

    // Centred on the one display there is, at the default size, instead of off screen.
    expect(records.find((r) => r.what === 'new BrowserWindow')!.args[0]).toMatchObject({ x: 260, y: 70, width: 1400, height: 900, minWidth: 1000, minHeight: 640 })
    // ... and saved as it closed.
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({ bounds: { x: 260, y: 70, width: 1400, height: 900 }, maximized: false })

    // The OS locked the screen: the signed-in window's session is locked, its screen told, the lock audited.
    expect(records.filter((r) => r.what === 'powerMonitor.on').map((r) => r.args[0])).toEqual(expect.arrayContaining(['lock-screen', 'suspend', 'user-did-resign-active']))
    expect(records.find((r) => r.what === 'setup')!.args[0]).toMatchObject({ ok: true, value: { locked: false } })
    expect(records.find((r) => r.what === 'session after lock')!.args[0]).toMatchObject({ ok: true, value: { locked: true, user: { username: 'admin' } } })
    expect(records.find((r) => r.what === 'a call after lock')!.args[0]).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    expect(records.some((r) => r.what === 'webContents.send' && (r.args[1] as { type?: string })?.type === 'sessionChanged')).toBe(true)
    const db = new Database(join(userData, 'clinic.sqlite'), { readonly: true })
    try {
      const locks = db.prepare("SELECT details FROM audit_log WHERE action = 'session.lock'").all() as { details: string }[]
      expect(locks.map((l) => JSON.parse(l.details))).toEqual([{ reason: 'screen-locked' }])
    } finally {
      db.close()
    }

    // The log: in the data folder, the owner's only, saying what happened.
    const logFile = join(userData, 'logs', 'clinic.log')
    const log = readFileSync(logFile, 'utf8')
    expect(log).toContain('Spine Clinic 0.0.0-standin starts (development build')
    expect(log).toContain('the operating system reported lock-screen')
    expect(log).toMatch(/locked 1 window\(s\) \(screen-locked\): user \d+/)
    expect(log).toContain('Spine Clinic closes')
    if (process.platform !== 'win32') expect(mode(logFile)).toBe(0o600)
  })

  it('a page that crashes: its session is locked first, then the page is reloaded, and the log says so', async () => {
    const userData = tempDir()
    const run = await node(['-r', STAND_IN, main()], { STANDIN_USER_DATA: userData, STANDIN_SCENARIO: 'crash', CLINIC_CONFIG_DIR: '', CLINIC_DB_URL: '', CLINIC_DB_FILE: '' })
    const { code, records } = standInRecords(run)
    expect(code, run.err).toBe(0)
    expect(records.find((r) => r.what === 'setup')!.args[0]).toMatchObject({ ok: true, value: { locked: false } })
    const whats = records.map((r) => r.what)
    expect(whats).toContain('webContents.reload')
    // the reloaded page finds the same user, locked
    expect(records.find((r) => r.what === 'session after crash')!.args[0]).toMatchObject({ ok: true, value: { locked: true, user: { username: 'admin' } } })
    expect(records.find((r) => r.what === 'a call after crash')!.args[0]).toMatchObject({ ok: false, error: { code: 'unauthenticated' } })
    const log = readFileSync(join(userData, 'logs', 'clinic.log'), 'utf8')
    expect(log).toMatch(/\[error\] +window 1: the window's page stopped \(crashed, exit code 139\); the session is locked and the page reloaded/)
    expect(log).toMatch(/locked 1 window\(s\) \(page-failed\): user \d+/)
  })

  it('a second instance opens no window and quits (the first one is focused)', async () => {
    const run = await node(['-r', STAND_IN, main()], { STANDIN_USER_DATA: tempDir(), STANDIN_SECOND_INSTANCE: '1' })
    const { code, records } = standInRecords(run)
    expect(code).toBe(0)
    expect(records.some((r) => r.what === 'app.quit')).toBe(true)
    expect(records.some((r) => r.what === 'new BrowserWindow')).toBe(false)
  })

  it('the installed app: no developer menu items, and the development switches are ignored', async () => {
    const userData = tempDir()
    const elsewhere = tempDir()
    const run = await node(['-r', STAND_IN, main()], {
      STANDIN_USER_DATA: userData,
      STANDIN_PACKAGED: '1',
      CLINIC_CONFIG_DIR: elsewhere,
      CLINIC_SQLITE_NATIVE_BINDING: join(elsewhere, 'not-a-library.node'),
      CLINIC_DB_URL: '',
      CLINIC_DB_FILE: '',
    })
    const { code, records } = standInRecords(run)
    expect(records.find((r) => r.what === 'dialog.showErrorBox'), run.out).toBeUndefined()
    expect(code, run.err).toBe(0)
    const items = menuOf(records).flatMap((m) => m.items)
    for (const role of DEV_ONLY) expect(items, role).not.toContain(role)
    expect(items).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']))
    // The native library named was not loaded (the database opened), and the settings stayed in the data folder.
    expect(existsSync(join(userData, 'clinic.sqlite'))).toBe(true)
    expect(existsSync(join(elsewhere, 'logs'))).toBe(false)
    const log = readFileSync(join(userData, 'logs', 'clinic.log'), 'utf8')
    expect(log).toContain('(installed build')
    const ignored = /the installed app ignores these development settings: (.*)/.exec(log)?.[1]?.split(', ')
    expect(ignored).toEqual(expect.arrayContaining(['CLINIC_CONFIG_DIR', 'CLINIC_SQLITE_NATIVE_BINDING']))
    expect(log).not.toContain(elsewhere)
  })

  it('an unpackaged build honours them: a native library that is not there stops the start, said in a dialog and in the log', async () => {
    const userData = tempDir()
    const run = await node(['-r', STAND_IN, main()], { STANDIN_USER_DATA: userData, CLINIC_CONFIG_DIR: '', CLINIC_SQLITE_NATIVE_BINDING: join(userData, 'not-a-library.node'), CLINIC_DB_URL: '', CLINIC_DB_FILE: '' })
    const { code, records } = standInRecords(run)
    expect(code).toBe(1)
    expect(records.find((r) => r.what === 'dialog.showErrorBox')!.args[0]).toBe('Spine Clinic cannot open its database')
    expect(readFileSync(join(userData, 'logs', 'clinic.log'), 'utf8')).toMatch(/\[error\] +the database could not be opened\n.*not-a-library\.node/)
  })
})

/** Starts the built bridge on a new file in `dir`, with a stand-in renderer; resolves once it serves. */
async function startBridgeBundle(dir: string) {
  const statics = join(dir, 'renderer')
  mkdirSync(statics)
  writeFileSync(join(statics, 'index.html'), '<!doctype html><title>stand-in</title>')
  const child = spawn(process.execPath, [join(bundleDir, 'bridge.cjs'), '--db', join(dir, 'clinic.sqlite'), '--static', statics, '--port', '0'], {
    env: { ...process.env, CLINIC_CONFIG_DIR: join(dir, 'settings'), CLINIC_DB_URL: '', CLINIC_DB_FILE: '' },
  })
  const output = { text: '' }
  child.stderr.on('data', (d: Buffer) => (output.text += d.toString()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output.text += d.toString()
      if (output.text.includes('is running in your browser')) resolve()
    })
    child.on('exit', (c) => reject(new Error(`the bridge ended (${c}) before it started:\n${output.text}`)))
  })
  const ended = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output, ended }
}

describe('bridge.cjs keeps the same log, in its settings folder', () => {
  it('writes clinic.log there as it starts', async () => {
    const dir = tempDir()
    const { child } = await startBridgeBundle(dir)
    child.kill('SIGTERM')
    const logFile = join(dir, 'settings', 'logs', 'clinic.log')
    expect(readFileSync(logFile, 'utf8')).toContain(`the development bridge starts on ${join(dir, 'clinic.sqlite')} (command-line)`)
    if (process.platform !== 'win32') expect(statSync(logFile).mode & 0o777).toBe(0o600)
  })
})

describe('bridge.cjs stops when asked, whatever happened to its folder', () => {
  it('ends on SIGTERM with exit 0 after its database folder (and settings in it) was deleted under it', async () => {
    const dir = tempDir()
    const { child, ended } = await startBridgeBundle(dir)
    rmSync(dir, { recursive: true, force: true })
    child.kill('SIGTERM')
    const code = await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r('still running after 15 s'), 15_000))])
    if (code === 'still running after 15 s') child.kill('SIGKILL')
    expect(code).toBe(0)
  })
})
