/**
 * The Electron adapter: one hardened window, the IPC bridge to the router, the OS's keystore, and nothing
 * else. Everything it calls (router, services, database, PDFs, admin commands) is in ./core, which the build
 * keeps as its own bundle (dist-electron/core.cjs) and which the tests and the development bridge run under
 * plain Node.
 */
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, type WebContents } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { AppEvent } from '../shared/contract'
import {
  allowNavigation,
  connectionHost,
  CONTENT_SECURITY_POLICY,
  isTrustedSender,
  keystoreSecretStore,
  openClinicApp,
  ownerOnlyNewFiles,
  processIo,
  resolveStartupTarget,
  runAdmin,
  type ClinicApp,
} from './core'
import { adminArgsOf } from './desktop/adminArgs'

// Before anything is written: the database, backups, exports and logs are the owner's only.
ownerOnlyNewFiles()

const RENDERER_INDEX = join(__dirname, '..', 'dist', 'renderer', 'index.html')
const APP_URL = pathToFileURL(RENDERER_INDEX).href

let clinic: ClinicApp | undefined
let mainWindow: BrowserWindow | undefined

function broadcast(event: AppEvent) {
  for (const w of BrowserWindow.getAllWindows()) w.webContents.send('clinic:event', event)
}

function windowId(contents: WebContents): string {
  return `webcontents-${contents.id}`
}

function createWindow() {
  mainWindow = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 1000,
    minHeight: 640,
    title: 'Spine Clinic',
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
  const id = windowId(mainWindow.webContents)
  mainWindow.once('ready-to-show', () => mainWindow?.show())
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
  harden()
  // CLINIC_DB_URL > CLINIC_DB_FILE > the connection saved on the Database screen > the app's own file.
  const configDir = process.env.CLINIC_CONFIG_DIR || app.getPath('userData')
  const defaultFile = join(app.getPath('userData'), 'clinic.sqlite')
  const secrets = keystoreSecretStore(safeStorage)
  try {
    const inEffect = await resolveStartupTarget({ env: process.env, configDir, secrets, defaultFile })
    clinic = await openClinicApp(inEffect.target, { emit: broadcast, connection: connectionHost({ configDir, secrets, defaultFile, inEffect }) })
  } catch (err) {
    dialog.showErrorBox('Spine Clinic cannot open its database', err instanceof Error ? err.message : String(err))
    app.exit(1)
    return
  }
  ipcMain.handle('clinic:invoke', async (event, channel: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame, APP_URL)) {
      return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the app’s own window.' } }
    }
    return clinic!.router.call(windowId(event.sender), channel, input)
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
    void clinic?.close().finally(() => app.quit())
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && clinic) createWindow()
  })
  void app.whenReady().then(start)
}
