/**
 * The right-click menu (webContents 'context-menu'): spelling suggestions for a misspelled word, then cut,
 * copy and paste in a text field, or copy for selected text elsewhere. Built as plain data so tests can check it.
 *
 * There is no "Add to dictionary": the words typed here are patients' names and clinical notes, and a word added
 * goes to a dictionary file outside the database (Chromium's "Custom Dictionary.txt" in the user's profile, or the
 * OS's), where it would sit unencrypted and outside the audit log.
 */
import type { MenuItemConstructorOptions } from 'electron'

/** The part of Electron's ContextMenuParams the menu depends on. */
export interface ContextMenuInput {
  isEditable: boolean
  selectionText: string
  misspelledWord: string
  dictionarySuggestions: string[]
  editFlags: { canCut: boolean; canCopy: boolean; canPaste: boolean; canSelectAll: boolean }
}

export interface ContextMenuActions {
  replaceMisspelling(word: string): void
}

export const MAX_SUGGESTIONS = 6

/** The menu's items; empty when there is nothing to offer (then no menu opens). */
export function contextMenuTemplate(p: ContextMenuInput, actions: ContextMenuActions, spellcheck: boolean): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = []
  if (spellcheck && p.isEditable && p.misspelledWord) {
    const suggestions = p.dictionarySuggestions.slice(0, MAX_SUGGESTIONS)
    if (suggestions.length === 0) items.push({ label: 'No spelling suggestions', enabled: false })
    for (const word of suggestions) items.push({ label: word, click: () => actions.replaceMisspelling(word) })
    items.push({ type: 'separator' })
  }
  if (p.isEditable) {
    items.push(
      { role: 'cut', enabled: p.editFlags.canCut },
      { role: 'copy', enabled: p.editFlags.canCopy },
      { role: 'paste', enabled: p.editFlags.canPaste },
      { type: 'separator' },
      { role: 'selectAll', enabled: p.editFlags.canSelectAll },
    )
  } else if (p.selectionText.trim() !== '') {
    items.push({ role: 'copy', enabled: p.editFlags.canCopy })
  }
  return items
}

/**
 * Whether the spellchecker is on, by platform. No dictionary is ever downloaded:
 * - macOS uses the OS spellchecker (Electron downloads nothing there).
 * - Windows uses the OS spellchecker (Windows' Spell Checking API); Chromium would still fetch a Hunspell
 *   dictionary from Google's CDN for a language Windows lacks, so main.ts points the download at a folder inside
 *   the app (there is none bundled: such a language simply goes unchecked).
 * - Linux has no OS spellchecker, so Electron would download Hunspell dictionaries at run time: off there (a clinic
 *   workstation may have no internet access, and should not ask Google for dictionaries). Bundling dictionaries
 *   would need Chromium's .bdic files for every language a clinic may type, which no kept package provides.
 */
export function spellcheckEnabled(platform: NodeJS.Platform): boolean {
  return platform !== 'linux'
}
