import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { contextMenuTemplate, spellcheckEnabled, type ContextMenuInput } from '../../electron/desktop/contextMenu'
import { aboutText, applicationMenuTemplate, keyboardShortcuts, type MenuActions } from '../../electron/desktop/menu'

const actions = (): MenuActions => ({ lockScreen: vi.fn(), showShortcuts: vi.fn(), showAbout: vi.fn(), openLogFolder: vi.fn() })

/** Every item of a template, submenus included. */
function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])])
}
const roles = (template: MenuItemConstructorOptions[]) => items(template).map((i) => i.role).filter(Boolean)
const labels = (template: MenuItemConstructorOptions[]) => template.map((i) => i.label)
const menu = (template: MenuItemConstructorOptions[], label: string) => template.find((i) => i.label === label)!.submenu as MenuItemConstructorOptions[]

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help on Windows and Linux, with the standard editing roles', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const t = applicationMenuTemplate({ packaged: true, platform, appName: 'Spine Clinic' }, actions())
      expect(labels(t)).toEqual(['File', 'Edit', 'View', 'Window', 'Help'])
      expect(roles(menu(t, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll'])
      expect(roles(menu(t, 'File'))).toEqual(['quit'])
    }
  })

  it('on macOS starts with the app menu (About, Hide, Quit) and File closes the window', () => {
    const t = applicationMenuTemplate({ packaged: true, platform: 'darwin', appName: 'Spine Clinic' }, actions())
    expect(labels(t)).toEqual(['Spine Clinic', 'File', 'Edit', 'View', 'Window', 'Help'])
    expect(roles(menu(t, 'Spine Clinic'))).toEqual(expect.arrayContaining(['hide', 'quit']))
    expect(roles(menu(t, 'File'))).toEqual(['close'])
    expect(roles(menu(t, 'Edit'))).toContain('pasteAndMatchStyle')
  })

  it('offers Reload, Force Reload and Developer Tools only in an unpackaged build', () => {
    for (const platform of ['win32', 'darwin', 'linux'] as const) {
      const installed = roles(applicationMenuTemplate({ packaged: true, platform, appName: 'Spine Clinic' }, actions()))
      const development = roles(applicationMenuTemplate({ packaged: false, platform, appName: 'Spine Clinic' }, actions()))
      for (const role of ['reload', 'forceReload', 'toggleDevTools']) {
        expect(installed, `${platform} ${role}`).not.toContain(role)
        expect(development, `${platform} ${role}`).toContain(role)
      }
      // both can zoom and go full screen
      expect(installed).toEqual(expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']))
    }
  })

  it('Help lists the keyboard shortcuts and shows About; File locks the screen with Ctrl+L', () => {
    const a = actions()
    const t = applicationMenuTemplate({ packaged: true, platform: 'win32', appName: 'Spine Clinic' }, a)
    const help = menu(t, 'Help')
    expect(help.map((i) => i.label).filter(Boolean)).toEqual(['Keyboard Shortcuts', 'Open Log Folder', 'About Spine Clinic'])
    ;(help.find((i) => i.label === 'About Spine Clinic')!.click as () => void)()
    ;(help.find((i) => i.label === 'Keyboard Shortcuts')!.click as () => void)()
    const lock = menu(t, 'File').find((i) => i.label === 'Lock Screen')!
    expect(lock.accelerator).toBe('CmdOrCtrl+L')
    ;(lock.click as () => void)()
    expect(a.showAbout).toHaveBeenCalledOnce()
    expect(a.showShortcuts).toHaveBeenCalledOnce()
    expect(a.lockScreen).toHaveBeenCalledOnce()
  })

  it('the shortcut list names the app’s own keys, Cmd on macOS, and the developer keys only unpackaged', () => {
    const win = keyboardShortcuts({ packaged: true, platform: 'win32' })
    expect(win.map((s) => s.keys)).toEqual(expect.arrayContaining(['Ctrl+K', 'Ctrl+S', 'Ctrl+L']))
    expect(win.some((s) => /Developer/.test(s.does))).toBe(false)
    expect(keyboardShortcuts({ packaged: true, platform: 'darwin' }).map((s) => s.keys)).toContain('Cmd+K')
    expect(keyboardShortcuts({ packaged: false, platform: 'linux' }).some((s) => /Developer/.test(s.does))).toBe(true)
  })

  it('About shows the version, the database in use and its schema version', () => {
    const base = { appName: 'Spine Clinic', version: '1.2.3', engine: 'postgres' as const, database: 'postgres://clinic@db.example:5432/clinic', latestSchemaVersion: '0013_drafts', logFile: '/x/logs/clinic.log', versions: { electron: '45.5.0' } }
    const current = aboutText({ ...base, schemaVersion: '0013_drafts' })
    expect(current.message).toBe('Spine Clinic 1.2.3')
    expect(current.detail).toContain('Version: 1.2.3')
    expect(current.detail).toContain('Database: postgres://clinic@db.example:5432/clinic (PostgreSQL)')
    expect(current.detail).toContain('Database schema: 0013_drafts (up to date)')
    expect(current.detail).toContain('Log: /x/logs/clinic.log')
    expect(aboutText({ ...base, schemaVersion: '0012_audit_one_successor_pg' }).detail).toContain("0012_audit_one_successor_pg (this version's newest is 0013_drafts)")
    expect(aboutText({ ...base, schemaVersion: undefined }).detail).toContain('Database schema: (could not be read)')
  })
})

const field = (over: Partial<ContextMenuInput> = {}): ContextMenuInput => ({
  isEditable: true,
  selectionText: '',
  misspelledWord: '',
  dictionarySuggestions: [],
  editFlags: { canCut: false, canCopy: false, canPaste: true, canSelectAll: true },
  ...over,
})

describe('the right-click menu', () => {
  it('in a text field: cut, copy, paste and select all, enabled as the field allows', () => {
    const t = contextMenuTemplate(field(), { replaceMisspelling: vi.fn() }, true)
    expect(t.filter((i) => i.role).map((i) => [i.role, i.enabled])).toEqual([
      ['cut', false],
      ['copy', false],
      ['paste', true],
      ['selectAll', true],
    ])
  })

  it('puts spelling suggestions first, and a click replaces the word; no "Add to dictionary" (names would leave the database)', () => {
    const replace = vi.fn()
    const t = contextMenuTemplate(field({ misspelledWord: 'vertebroplsty', dictionarySuggestions: ['vertebroplasty', 'a', 'b', 'c', 'd', 'e', 'f'] }), { replaceMisspelling: replace }, true)
    expect(t[0]!.label).toBe('vertebroplasty')
    expect(t.filter((i) => i.click).length).toBe(6) // at most six suggestions
    ;(t[0]!.click as () => void)()
    expect(replace).toHaveBeenCalledWith('vertebroplasty')
    expect(t.some((i) => /dictionary/i.test(i.label ?? ''))).toBe(false)
    const none = contextMenuTemplate(field({ misspelledWord: 'Wiśniewski' }), { replaceMisspelling: replace }, true)
    expect(none[0]).toMatchObject({ label: 'No spelling suggestions', enabled: false })
  })

  it('without the spellchecker (Linux), offers no suggestions', () => {
    const t = contextMenuTemplate(field({ misspelledWord: 'teh', dictionarySuggestions: ['the'] }), { replaceMisspelling: vi.fn() }, false)
    expect(t[0]!.role).toBe('cut')
  })

  it('outside a field: copy for selected text, nothing at all otherwise', () => {
    expect(contextMenuTemplate(field({ isEditable: false, selectionText: 'L1 wedge', editFlags: { canCut: false, canCopy: true, canPaste: false, canSelectAll: true } }), { replaceMisspelling: vi.fn() }, true)).toEqual([
      { role: 'copy', enabled: true },
    ])
    expect(contextMenuTemplate(field({ isEditable: false }), { replaceMisspelling: vi.fn() }, true)).toEqual([])
  })

  it('uses the OS spellchecker on Windows and macOS and turns it off on Linux, where Electron would download dictionaries', () => {
    expect(spellcheckEnabled('win32')).toBe(true)
    expect(spellcheckEnabled('darwin')).toBe(true)
    expect(spellcheckEnabled('linux')).toBe(false)
  })
})
