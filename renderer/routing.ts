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
