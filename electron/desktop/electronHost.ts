/**
 * The Electron calls behind the desktop behaviours (menu, right-click menu, spellchecker, window size and
 * place, a page that crashes or hangs, the OS locking or sleeping). Imported by main.ts only: the decisions
 * are the pure functions beside this file (menu.ts, contextMenu.ts, windowState.ts, rendererRecovery.ts,
 * powerLock.ts), which the unit tests check; this file only connects them to Electron.
 */
import { BrowserWindow, Menu, powerMonitor, screen, session } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { contextMenuTemplate, spellcheckEnabled } from './contextMenu'
import { applicationMenuTemplate, type MenuActions, type MenuFacts } from './menu'
import { LOCKING_POWER_EVENTS, lockReasonFor, type PowerLockReason } from './powerLock'
import { recoveryFor, UNRESPONSIVE_GRACE_MS, type Recovery, type RendererTrouble } from './rendererRecovery'
import { MIN_SIZE, placeWindow, readWindowState, WINDOW_STATE_FILE, writeWindowState, type WindowState } from './windowState'

/** What these functions report to the app's log (core's AppLog has this shape). */
export interface HostLog {
  info(message: string): void
  warn(message: string, err?: unknown): void
  error(message: string, err?: unknown): void
}

export function installApplicationMenu(facts: MenuFacts, actions: MenuActions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(facts, actions)))
}

/**
 * The spellchecker's settings, before any window opens (see spellcheckEnabled for the reasons by platform).
 * Chromium would download a Hunspell dictionary it lacks from Google's CDN; the download address is a folder
 * inside the app instead, where none is bundled, so nothing is ever fetched. Returns whether it is on.
 */
export function configureSpellcheck(appDir: string): boolean {
  const ses = session.defaultSession
  ses.setSpellCheckerDictionaryDownloadURL(`${pathToFileURL(join(appDir, 'dictionaries')).href}/`)
  const enabled = spellcheckEnabled(process.platform)
  ses.setSpellCheckerEnabled(enabled)
  return enabled
}

export function attachContextMenu(win: BrowserWindow, spellcheck: boolean): void {
  win.webContents.on('context-menu', (_event, params) => {
    const template = contextMenuTemplate(params, { replaceMisspelling: (word) => win.webContents.replaceMisspelling(word) }, spellcheck)
    if (template.length > 0) Menu.buildFromTemplate(template).popup({ window: win })
  })
}

/** Where the main window opens: the saved place fitted to today's displays, or the default. */
export function windowPlacement(dataDir: string, log: HostLog): WindowState & { minWidth: number; minHeight: number } {
  const { state, problem } = readWindowState(join(dataDir, WINDOW_STATE_FILE))
  if (problem) log.warn(problem)
  const placed = placeWindow(
    state,
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
  )
  return { ...placed, minWidth: MIN_SIZE.width, minHeight: MIN_SIZE.height }
}

/** Saves the window's size and place (its normal bounds, and whether it is maximized) as it closes. */
export function rememberWindowState(win: BrowserWindow, dataDir: string, log: HostLog): void {
  win.on('close', () => {
    try {
      writeWindowState(join(dataDir, WINDOW_STATE_FILE), { bounds: win.getNormalBounds(), maximized: win.isMaximized() })
    } catch (err) {
      log.warn('the window size and position could not be saved', err)
    }
  })
}

/**
 * A window's page that dies or hangs: the decision is recoveryFor's; this carries it out. `lock` locks the
 * window's session (and must not throw); `giveUp` tells the person and ends the app.
 */
export function watchRenderer(win: BrowserWindow, hooks: { lock(): Promise<void>; log: HostLog; giveUp(message: string): void }): void {
  const contents = win.webContents
  const reloadsAt: number[] = []
  let stuck: NodeJS.Timeout | undefined
  const act = async (trouble: RendererTrouble) => {
    if (win.isDestroyed()) return
    const r: Recovery = recoveryFor(trouble, reloadsAt, Date.now())
    hooks.log[r.level](`window ${contents.id}: ${r.message}`)
    if (r.lock) await hooks.lock()
    if (win.isDestroyed()) return
    if (r.action === 'reload') {
      reloadsAt.push(Date.now())
      contents.reload()
    } else if (r.action === 'end-page') contents.forcefullyCrashRenderer()
    else if (r.action === 'give-up') hooks.giveUp(r.message)
  }
  contents.on('render-process-gone', (_event, details) => {
    clearTimeout(stuck)
    void act({ kind: 'gone', reason: details.reason, exitCode: details.exitCode })
  })
  win.on('unresponsive', () => {
    void act({ kind: 'unresponsive' })
    clearTimeout(stuck)
    stuck = setTimeout(() => void act({ kind: 'still-unresponsive' }), UNRESPONSIVE_GRACE_MS)
  })
  win.on('responsive', () => {
    if (!stuck) return
    clearTimeout(stuck)
    stuck = undefined
    void act({ kind: 'responsive' })
  })
  win.on('closed', () => clearTimeout(stuck))
}

/** Calls `onLock` when the OS locks the screen, sleeps, or switches to another user (powerLock.ts). */
export function watchPowerEvents(onLock: (reason: PowerLockReason, event: string) => void): void {
  for (const event of LOCKING_POWER_EVENTS) {
    const reason = lockReasonFor(event)!
    ;(powerMonitor.on as (event: string, listener: () => void) => void).call(powerMonitor, event, () => onLock(reason, event))
  }
}
