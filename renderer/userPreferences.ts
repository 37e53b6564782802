/**
 * The signed-in user's own preferences (the schedule's zoom, its lanes, the lane of the per-lane week), kept by
 * the main process (`me.preferences.get` / `me.preferences.set`, shared/schemas/preferences.ts), so that they
 * follow the person to any workstation and survive signing out and in, a reload and a restart.
 *
 *   const [zoom, setZoom] = useUserPreference('schedule.zoom', 'normal')
 *
 * Setting one changes the screen at once (the value is put in the query's data before the call is made), then
 * saves it; a save that fails puts back what the main process holds. Saves are sent one after another, so the
 * last choice is the one kept even when the person clicks faster than the calls return.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { PreferenceKey, PreferenceValue, Preferences, SetPreference } from '../shared/schemas/preferences'
import { contract } from '../shared/contract'
import { channelKey, refreshAreas, run, useChannel } from './data'

const KEY = channelKey('me.preferences.get', {})

/**
 * Values set and not yet saved. They win over what a read returns meanwhile (a screen opened while a save is
 * on its way would otherwise read the value from before it, and show it until the next read).
 */
const unsaved = new Map<PreferenceKey, unknown>()
let saving: Promise<unknown> = Promise.resolve()

function putInPlace(qc: QueryClient, key: PreferenceKey, value: unknown): void {
  qc.setQueryData<Preferences>(KEY, (old) => ({ ...(old ?? {}), [key]: value }))
}

/**
 * One preference of the signed-in user, and a function that sets it. `fallback` is shown until the user's
 * preferences are read, and whenever the user has never set this one.
 */
export function useUserPreference<K extends PreferenceKey>(key: K, fallback: PreferenceValue<K>): [PreferenceValue<K>, (v: PreferenceValue<K>) => void] {
  const qc = useQueryClient()
  const { data } = useChannel('me.preferences.get', {})
  const stored = unsaved.has(key) ? (unsaved.get(key) as PreferenceValue<K>) : (data?.[key] as PreferenceValue<K> | undefined)

  const set = useCallback(
    (value: PreferenceValue<K>) => {
      unsaved.set(key, value)
      // a read on its way would put the old value back when it lands
      void qc.cancelQueries({ queryKey: KEY })
      putInPlace(qc, key, value)
      saving = saving
        .catch(() => undefined)
        .then(() => run('me.preferences.set', { key, value } as SetPreference))
        .then(
          () => {
            if (unsaved.get(key) !== value) return
            unsaved.delete(key)
            putInPlace(qc, key, value)
          },
          () => {
            // not saved (the database is not answering, the session ended): show what is kept, not what was chosen
            if (unsaved.get(key) === value) unsaved.delete(key)
            return refreshAreas(qc, contract['me.preferences.set'].changes)
          },
        )
    },
    [qc, key],
  )
  return [stored ?? fallback, set]
}
