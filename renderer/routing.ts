import { useSyncExternalStore } from 'react'

/** A hash route such as `#/patients/12`: works the same from file:// in Electron and over http. */
function current(): string {
  return window.location.hash.replace(/^#/, '') || '/'
}

function subscribe(cb: () => void) {
  window.addEventListener('hashchange', cb)
  return () => window.removeEventListener('hashchange', cb)
}

export function useRoute(): string {
  return useSyncExternalStore(subscribe, current)
}

export function navigate(path: string): void {
  window.location.hash = path
}

/**
 * Asked before the address changes, however it changes (a link, navigate(), Back, Ctrl+K's jump to a patient):
 * true keeps the screen as it is. A form with unsaved input asks the user first (renderer/drafts.tsx). The
 * listener is installed when this module loads, ahead of every screen's subscription (useRoute), so a kept
 * screen never sees the change: the address is put back before anything re-renders.
 */
type LeaveGuard = (to: string) => boolean
let leaveGuard: LeaveGuard | null = null
let unguarded: string | null = null

export function setLeaveGuard(guard: LeaveGuard | null): void {
  leaveGuard = guard
}

/** Goes to `path` without asking (the user has just answered). */
export function navigateUnguarded(path: string): void {
  if (current() === path) return
  unguarded = path
  window.location.hash = path
}

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', (e) => {
    const to = new URL(e.newURL).hash.replace(/^#/, '') || '/'
    if (unguarded !== null) {
      const passing = unguarded === to
      unguarded = null
      if (passing) return
    }
    if (!leaveGuard?.(to)) return
    e.stopImmediatePropagation()
    window.history.replaceState(window.history.state, '', e.oldURL)
  })
}

/** Matches `/patients/:id` style patterns; returns the parameters or null. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/')
  const a = path.split('?')[0]!.split('/')
  if (p.length !== a.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(a[i]!)
    else if (p[i] !== a[i]) return null
  }
  return params
}
