/**
 * The Electron adapter: one hardened window, the IPC bridge to the router, the OS's keystore, the menus, the
 * log, and the OS's lock and sleep, and nothing else. Everything it calls (router, services, database, PDFs,
 * admin commands) is in ./core, which the build keeps as its own bundle (dist-electron/core.cjs) and which the
 * tests and the development bridge run under plain Node. The desktop behaviours' decisions are pure functions
 * in ./desktop (unit-tested); ./desktop/electronHost.ts connects them to Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell, type WebContents } from 'electron'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { AppEvent } from '../shared/contract'
import {
  aboutDatabase,
  allowNavigation,
  connectionHost,
  CONTENT_SECURITY_POLICY,
  isTrustedSender,
  keystoreSecretStore,
  LATEST_MIGRATION,
  lockWindows,
  openAppLog,
  openClinicApp,
  ownerOnlyNewFiles,
  processIo,
  resolveStartupTarget,
  runAdmin,
  useSqliteNativeBinding,
  type AppLog,
  type ClinicApp,
} from './core'
import { adminArgsOf } from './desktop/adminArgs'
import { desktopEnv } from './desktop/devSwitches'
import { attachContextMenu, configureSpellcheck, installApplicationMenu, rememberWindowState, watchPowerEvents, watchRenderer, windowPlacement } from './desktop/electronHost'
import { aboutText, shortcutsText } from './desktop/menu'

// Before anything reads the environment: the installed app drops the development switches
// (desktop/devSwitches.ts), so a variable left on a workstation cannot load another SQLite library into it
// or move its settings; an unpackaged build (npm start) honours them.
const { env, ignored: ignoredSwitches } = desktopEnv(process.env, app.isPackaged)
for (const name of ignoredSwitches) delete process.env[name]
useSqliteNativeBinding(env.CLINIC_SQLITE_NATIVE_BINDING)

const APP_NAME = 'Spine Clinic'

// Before anything is written: the database, backups, exports and logs are the owner's only.
ownerOnlyNewFiles()

const RENDERER_INDEX = join(__dirname, '..', 'dist', 'renderer', 'index.html')
const APP_URL = pathToFileURL(RENDERER_INDEX).href

let clinic: ClinicApp | undefined
let mainWindow: BrowserWindow | undefined
let log: AppLog
/** This computer's settings folder: the app's data folder (or CLINIC_CONFIG_DIR, unpackaged only). */
let configDir = ''
let spellcheck = false

function broadcast(event: AppEvent) {
  for (const w of BrowserWindow.getAllWindows()) w.webContents.send('clinic:event', event)
}

function windowId(contents: WebContents): string {
  return `webcontents-${contents.id}`
}

/** The system's folder dialog, attached to the window that asked (Settings > Backups > Choose…; an imaging import's Choose folder…). */
async function chooseFolderOver(id: string, opts: { title: string; defaultPath?: string }): Promise<string | null> {
  const win = BrowserWindow.getAllWindows().find((w) => windowId(w.webContents) === id)
  const options = { title: opts.title, defaultPath: opts.defaultPath, properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] }
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
  return r.canceled ? null : (r.filePaths[0] ?? null)
}

/**
 * Locks these windows' sessions (the OS locked or slept, the Lock Screen menu item, a page that crashed) and
 * tells their screens, which show the lock at once (the renderer asks for the session on 'sessionChanged').
 */
async function lockAndTell(windows: BrowserWindow[], reason: string): Promise<void> {
  if (clinic) {
    try {
      const users = await lockWindows(clinic.router, windows.map((w) => windowId(w.webContents)), reason, { log: (m, e) => log.error(m, e) })
      if (users.length > 0) log.info(`locked ${users.length} window(s) (${reason}): user ${users.join(', ')}`)
    } catch (err) {
      log.error(`the windows could not be locked (${reason})`, err)
    }
  }
  for (const w of windows) if (!w.isDestroyed()) w.webContents.send('clinic:event', { type: 'sessionChanged' } satisfies AppEvent)
}

let closing: Promise<void> | undefined
function closeClinic(): Promise<void> {
  if (!closing) {
    log.info(`${APP_NAME} closes`)
    closing = clinic ? clinic.close() : Promise.resolve()
  }
  return closing
}

/** An error with no better place to go: logged with a reference that the person is shown. */
function reportUnexpected(what: string, err: unknown) {
  const ref = randomBytes(4).toString('hex').slice(0, 6)
  log.error(`${what} ref=${ref}`, err)
  dialog.showErrorBox(APP_NAME, `Something went wrong in the app (reference ${ref}). The details are in the log: ${log.file}`)
}

async function showAbout() {
  let database = { database: '(could not be read)', engine: 'sqlite' as 'sqlite' | 'postgres', schemaVersion: undefined as string | null | undefined }
  try {
    if (clinic) database = await aboutDatabase(clinic)
  } catch (err) {
    log.warn('the About box could not read the database', err)
  }
  const text = aboutText({ appName: APP_NAME, version: app.getVersion(), ...database, latestSchemaVersion: LATEST_MIGRATION, logFile: log.file, versions: process.versions })
  await dialog.showMessageBox({ type: 'info', title: `About ${APP_NAME}`, message: text.message, detail: text.detail })
}

function installMenu() {
  const facts = { packaged: app.isPackaged, platform: process.platform, appName: APP_NAME }
  installApplicationMenu(facts, {
    lockScreen: () => {
      const w = BrowserWindow.getFocusedWindow()
      if (w) void lockAndTell([w], 'user')
    },
    showShortcuts: () => void dialog.showMessageBox({ type: 'info', title: 'Keyboard shortcuts', message: 'Keyboard shortcuts', detail: shortcutsText(facts) }),
    showAbout: () => void showAbout(),
    openLogFolder: () => void shell.openPath(dirname(log.file)),
  })
}

function createWindow() {
  // The size and place it had when it last closed, fitted to the displays there are now.
  const place = windowPlacement(configDir, log)
  mainWindow = new BrowserWindow({
    ...place.bounds,
    minWidth: place.minWidth,
    minHeight: place.minHeight,
    title: APP_NAME,
    show: false,
    // Written out (not spread) so that electronegativity can read them; tests/unit/security.test.ts
    // checks that they are exactly WEB_PREFERENCES.
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      disableBlinkFeatures: 'Auxclick',
      preload: join(__dirname, 'preload.cjs'),
    },
  })
  const win = mainWindow
  const id = windowId(win.webContents)
  if (place.maximized) win.maximize()
  win.once('ready-to-show', () => win.show())
  rememberWindowState(win, configDir, log)
  attachContextMenu(win, spellcheck)
  // A page that crashed or hangs: its session is locked, then it is reloaded (desktop/rendererRecovery.ts).
  watchRenderer(win, {
    lock: () => lockAndTell([win], 'page-failed'),
    log,
    giveUp: (message) => {
      dialog.showErrorBox(APP_NAME, `The app's window keeps failing, so the app closes now; start it again. What you typed is kept as drafts. The details are in the log: ${log.file}`)
      log.error(`giving up: ${message}`)
      app.quit()
    },
  })
  mainWindow.on('closed', () => {
    clinic?.router.closeWindow(id)
    mainWindow = undefined
  })
  void mainWindow.loadURL(APP_URL)
}

function harden() {
  // No camera, microphone, notifications, geolocation…: the app asks for none of them.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  // The OS's spellchecker on Windows and macOS, none on Linux; never a dictionary downloaded (desktop/contextMenu.ts).
  spellcheck = configureSpellcheck(join(__dirname, '..'))
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(url, APP_URL)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!allowNavigation(url, APP_URL)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}

async function start() {
  configDir = env.CLINIC_CONFIG_DIR || app.getPath('userData')
  // The log: <data folder>/logs/clinic.log (README, "Desktop app").
  log = openAppLog({ dir: join(configDir, 'logs'), console: !app.isPackaged })
  log.info(`${APP_NAME} ${app.getVersion()} starts (${app.isPackaged ? 'installed' : 'development'} build, Electron ${process.versions.electron}, ${process.platform})`)
  if (ignoredSwitches.length > 0) log.warn(`the installed app ignores these development settings: ${ignoredSwitches.join(', ')}`)
  process.on('uncaughtException', (err) => reportUnexpected('uncaught exception in the main process', err))
  process.on('unhandledRejection', (err) => log.error('unhandled promise rejection in the main process', err))
  harden()
  // CLINIC_DB_URL > CLINIC_DB_FILE > the connection saved on the Database screen > the app's own file.
  const defaultFile = join(app.getPath('userData'), 'clinic.sqlite')
  const secrets = keystoreSecretStore(safeStorage)
  try {
    const inEffect = await resolveStartupTarget({ env, configDir, secrets, defaultFile })
    clinic = await openClinicApp(inEffect.target, {
      emit: broadcast,
      connection: connectionHost({ configDir, secrets, defaultFile, inEffect }),
      log: (message, err, context) => log.error(message, err, context),
      // the app's own data folder may be made; a chosen file's folder must exist (a drive not connected)
      createFolder: inEffect.target.engine === 'sqlite' && inEffect.target.file === defaultFile,
      chooseFolder: chooseFolderOver,
    })
    const about = await aboutDatabase(clinic)
    log.info(`database ${about.database} (${about.engine}), schema ${about.schemaVersion ?? 'none'} (${inEffect.source})`)
  } catch (err) {
    log.error('the database could not be opened', err)
    dialog.showErrorBox('Spine Clinic cannot open its database', err instanceof Error ? err.message : String(err))
    app.exit(1)
    return
  }
  installMenu()
  // The OS locked the screen, went to sleep or switched user: every window locks, as after the idle time.
  watchPowerEvents((reason, event) => {
    log.info(`the operating system reported ${event}`)
    void lockAndTell(BrowserWindow.getAllWindows(), reason)
  })
  ipcMain.handle('clinic:invoke', async (event, channel: unknown, input: unknown, meta: unknown) => {
    if (!isTrustedSender(event.senderFrame, APP_URL)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the app’s own window.' } }
    }
    return clinic!.router.call(windowId(event.sender), channel, input, meta && typeof meta === 'object' ? (meta as { idleMs?: unknown }) : undefined)
  })
  createWindow()
}

const adminArgs = adminArgsOf(process.argv)
if (adminArgs) {
  // An administrator's command: no window, no single-instance lock (the clinic may be open meanwhile;
  // the database handles that), the command's own exit status.
  void app
    .whenReady()
    .then(() => runAdmin(adminArgs, processIo()))
    .then(
      (code) => app.exit(code),
      (err: unknown) => {
        console.error(err)
        app.exit(1)
      },
    )
} else if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore()
      mainWindow.focus()
    }
  })
  app.on('window-all-closed', () => {
    void closeClinic().finally(() => app.quit())
  })
  // Exit in the menu, Cmd+Q, or the give-up after repeated crashes quit without 'window-all-closed': the clinic
  // (its database, change feed, backups and audit checkpoint) is closed first there too.
  app.on('will-quit', (event) => {
    if (!clinic || closing) return
    event.preventDefault()
    void closeClinic().finally(() => app.quit())
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && clinic) createWindow()
  })
  void app.whenReady().then(start)
}
