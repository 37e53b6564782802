/**
 * The Electron main process: one hardened window, the IPC bridge to the router, and nothing else.
 * Everything it calls (router, services, database) also runs under plain Node, where it is tested.
 */
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, type WebContents } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { AppEvent } from '../shared/contract'
import { openClinicApp, type ClinicApp } from './app'
import { connectionHost, resolveStartupTarget } from './db/connectionSettings'
import { keystoreSecretStore } from './db/secretStore'
import { allowNavigation, CONTENT_SECURITY_POLICY, isTrustedSender } from './security'

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

if (!app.requestSingleInstanceLock()) {
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
