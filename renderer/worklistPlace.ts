/**
 * A worklist keeps its place (issue 23 point 4): its filters live in the address's query
 * (`#/follow-ups?physician=3&band=overdue`), so Back, a reload or the return from the booking form finds them
 * as they were; and where the list was scrolled is remembered when the person leaves it to book, and restored
 * when they come back to the same address.
 */
import { useCallback, useLayoutEffect, useMemo } from 'react'
import { useRoute } from './routing'

const placeKey = (route: string) => `worklist-place:${route}`

/**
 * The address's query, and a setter that changes some of it in place: a filter change replaces the history
 * entry rather than adding one, so Back leaves the list instead of stepping through every filter tried.
 */
export function useHashQuery(): [URLSearchParams, (changes: Record<string, string | null>) => void] {
  const route = useRoute()
  const query = route.split('?')[1] ?? ''
  const params = useMemo(() => new URLSearchParams(query), [query])
  const set = useCallback((changes: Record<string, string | null>) => {
    // from the address as it is now, not as the last render saw it, so two quick changes both stick
    const [path, now] = window.location.hash.replace(/^#/, '').split('?')
    const q = new URLSearchParams(now ?? '')
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') q.delete(k)
      else q.set(k, v)
    }
    const text = q.toString()
    window.location.replace(`#${path ?? '/'}${text ? `?${text}` : ''}`)
  }, [])
  return [params, set]
}

/**
 * Called as the person leaves the list for the booking form: remembers how far the list was scrolled, and gives
 * the address to come back to (the list with its filters), which the booking form returns to when it closes.
 */
export function leaveWorklist(): string {
  const route = window.location.hash.replace(/^#/, '') || '/'
  try {
    window.sessionStorage.setItem(placeKey(route), String(Math.round(window.scrollY)))
  } catch {
    // storage refused (private mode): the list still returns with its filters, at the top
  }
  return route
}

/** Scrolls back to where the list was left, once its rows are drawn (`ready`); only once per return. */
export function useRestoreWorklistPlace(ready: boolean): void {
  const route = useRoute()
  useLayoutEffect(() => {
    if (!ready) return
    let y: string | null = null
    try {
      y = window.sessionStorage.getItem(placeKey(route))
      window.sessionStorage.removeItem(placeKey(route))
    } catch {
      return
    }
    if (y !== null && Number.isFinite(Number(y))) window.scrollTo({ top: Number(y), behavior: 'instant' })
  }, [ready, route])
}
