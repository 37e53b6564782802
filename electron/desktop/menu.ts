/**
 * The application menu and the Help texts, as plain data built from what they depend on (packaged or not,
 * the platform, the version, the database in use), so tests can check them without Electron. main.ts hands
 * the template to Menu.buildFromTemplate.
 *
 * Reload, Force Reload and Developer Tools are for developers only: in the installed app a reload is a
 * needless lock of the screen, and the developer tools would let anyone at the workstation run script in the
 * page (the router still checks every call, but the page's data would be in reach).
 */
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuFacts {
  packaged: boolean
  platform: NodeJS.Platform
  appName: string
}

export interface MenuActions {
  lockScreen(): void
  showShortcuts(): void
  showAbout(): void
  openLogFolder(): void
}

const sep: MenuItemConstructorOptions = { type: 'separator' }

export function applicationMenuTemplate(facts: MenuFacts, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = facts.platform === 'darwin'
  const about: MenuItemConstructorOptions = { label: `About ${facts.appName}`, click: () => actions.showAbout() }
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [{ label: facts.appName, submenu: [about, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }] }]
    : []
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [{ label: 'Lock Screen', accelerator: 'CmdOrCtrl+L', click: () => actions.lockScreen() }, sep, mac ? { role: 'close' } : { role: 'quit', label: 'Exit' }],
  }
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      sep,
      { role: 'selectAll' },
    ],
  }
  const developer: MenuItemConstructorOptions[] = facts.packaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, sep]
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [...developer, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, sep, { role: 'togglefullscreen' }],
  }
  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  }
  const help: MenuItemConstructorOptions = {
    label: 'Help',
    role: 'help',
    submenu: [{ label: 'Keyboard Shortcuts', accelerator: 'F1', click: () => actions.showShortcuts() }, { label: 'Open Log Folder', click: () => actions.openLogFolder() }, sep, about],
  }
  return [...appMenu, file, edit, view, windowMenu, help]
}

/** The keyboard shortcuts Help lists: the app's own, the menu's, and (unpackaged only) the developer's. */
export function keyboardShortcuts(facts: Pick<MenuFacts, 'packaged' | 'platform'>): { keys: string; does: string }[] {
  const mod = facts.platform === 'darwin' ? 'Cmd' : 'Ctrl'
  return [
    { keys: `${mod}+K`, does: 'Find a patient (from any screen)' },
    { keys: `${mod}+S`, does: 'Save the note or form you are editing' },
    { keys: `${mod}+Enter`, does: 'Add the addendum you have typed' },
    { keys: `${mod}+L`, does: 'Lock the screen' },
    { keys: `${mod}+Z, ${mod}+Shift+Z`, does: 'Undo, redo typing' },
    { keys: `${mod}+X, ${mod}+C, ${mod}+V`, does: 'Cut, copy, paste' },
    { keys: `${mod}+A`, does: 'Select all' },
    { keys: `${mod}+Plus, ${mod}+Minus, ${mod}+0`, does: 'Larger, smaller, actual size' },
    { keys: facts.platform === 'darwin' ? 'Ctrl+Cmd+F' : 'F11', does: 'Full screen' },
    { keys: 'F1', does: 'This list' },
    ...(facts.packaged
      ? []
      : [
          { keys: `${mod}+R, ${mod}+Shift+R`, does: 'Reload, force reload (development builds only)' },
          { keys: facts.platform === 'darwin' ? 'Alt+Cmd+I' : 'Ctrl+Shift+I', does: 'Developer tools (development builds only)' },
        ]),
  ]
}

export function shortcutsText(facts: Pick<MenuFacts, 'packaged' | 'platform'>): string {
  return keyboardShortcuts(facts)
    .map((s) => `${s.keys}  —  ${s.does}`)
    .join('\n')
}

export interface AboutFacts {
  appName: string
  version: string
  /** The database in use, as the Database screen names it (a file, or a server address without its password). */
  database: string
  engine: 'sqlite' | 'postgres'
  /** The newest schema step recorded in that database (null: none yet; undefined: it could not be read), and the newest this version knows. */
  schemaVersion: string | null | undefined
  latestSchemaVersion: string
  logFile: string
  versions: { electron?: string; chrome?: string; node?: string }
}

/** The About box: its heading and the lines under it. */
export function aboutText(f: AboutFacts): { message: string; detail: string } {
  const schema =
    f.schemaVersion === undefined ? '(could not be read)' : f.schemaVersion === null ? 'none (a new database)' : f.schemaVersion === f.latestSchemaVersion ? `${f.schemaVersion} (up to date)` : `${f.schemaVersion} (this version's newest is ${f.latestSchemaVersion})`
  const runtime = [f.versions.electron && `Electron ${f.versions.electron}`, f.versions.chrome && `Chromium ${f.versions.chrome}`, f.versions.node && `Node ${f.versions.node}`].filter(Boolean).join(', ')
  return {
    message: `${f.appName} ${f.version}`,
    detail: [
      `Version: ${f.version}`,
      `Database: ${f.database} (${f.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'})`,
      `Database schema: ${schema}`,
      `Log: ${f.logFile}`,
      ...(runtime ? [runtime] : []),
    ].join('\n'),
  }
}
