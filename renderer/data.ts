/**
 * The renderer's one data module: every screen reads, writes and asks "may I" through these, and all three
 * come from the contract (shared/channels/*.ts), never from names a screen spells.
 *
 * - `useChannel(channel, input)`: a query keyed `[channel, input]`. Which writes refresh it follows from the
 *   channel's `reads` areas (the key's first element is the channel, so the areas are found from the key).
 * - `useWrite(channel)`: a mutation that, once the call succeeded, refreshes every open query reading an area
 *   the channel `changes`. Other windows and workstations hear of the same areas from the router
 *   (AppEvent `dataChanged`), and `useDataEvents` (in the shell) refreshes them there.
 * - `useCan(channel)`: whether the signed-in user's role may call the channel (its `access`).
 */
import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
  type UseMutationOptions,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query'
import { useEffect } from 'react'
import { contract, isChannel, type Area, type Channel, type ChannelDef, type ChannelInput, type ChannelOutput, type Contract } from '../shared/contract'
import type { Role } from '../shared/roles'
import type { SessionState } from '../shared/schemas/session'
import { ApiError, call, onAppEvent } from './api'

/** Channels that only read (a screen's queries). */
export type ReadChannel = { [C in Channel]: Contract[C] extends { mutates: true } ? never : Contract[C] extends { changes: readonly Area[] } ? never : C }[Channel]
/** Channels that change something the contract names. */
export type WriteChannel = { [C in Channel]: Contract[C] extends { changes: readonly Area[] } ? C : never }[Channel]

const defOf = (channel: Channel): ChannelDef => contract[channel]

/** Calls a channel and returns its value, or throws an ApiError (the code and the fields' messages). */
export async function run<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await call(channel, input)
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}

/** The query key of a channel's call: the channel first, so the areas it reads are known from the key alone. */
export function channelKey<C extends Channel>(channel: C, input?: ChannelInput<C>): QueryKey {
  return input === undefined ? [channel] : [channel, input]
}

/** The areas the query under this key shows (none for a key that is not a channel's). */
function areasRead(key: QueryKey): readonly Area[] {
  const channel = key[0]
  return isChannel(channel) ? (defOf(channel).reads ?? []) : []
}

/** Refetches the open queries that show any of these areas ('*': all of them), and marks the others stale. */
export function refreshAreas(qc: QueryClient, areas: readonly Area[] | '*'): Promise<void> {
  if (areas === '*') return qc.invalidateQueries()
  if (areas.length === 0) return Promise.resolve()
  return qc.invalidateQueries({ predicate: (q) => areasRead(q.queryKey).some((a) => areas.includes(a)) })
}

import { SESSION_KEY } from './dataKeys'
export { forgetRecords, SESSION_KEY } from './dataKeys'

type ChannelQueryOptions<C extends Channel, TData> = Omit<UseQueryOptions<ChannelOutput<C>, ApiError, TData>, 'queryKey' | 'queryFn'>

/** A read channel's result for this input, refreshed whenever a write (here or elsewhere) changes what it reads. */
export function useChannel<C extends ReadChannel, TData = ChannelOutput<C>>(
  channel: C,
  input: ChannelInput<C>,
  options?: ChannelQueryOptions<C, TData>,
): UseQueryResult<TData, ApiError> {
  return useQuery({ ...options, queryKey: channelKey(channel, input), queryFn: () => run(channel, input) })
}

/** A read channel's query (key and function), for asking ahead of the screen that shows it (prefetchQuery). */
export function channelQuery<C extends ReadChannel>(channel: C, input: ChannelInput<C>) {
  return { queryKey: channelKey(channel, input), queryFn: () => run(channel, input) }
}

/** Puts a call's known result in place (a write returned the record a query shows), without a fetch. */
export function useSetChannelData() {
  const qc = useQueryClient()
  return <C extends ReadChannel>(channel: C, input: ChannelInput<C>, value: ChannelOutput<C>) => {
    qc.setQueryData(channelKey(channel, input), value)
  }
}

type WriteOptions<C extends Channel> = Omit<UseMutationOptions<ChannelOutput<C>, ApiError, ChannelInput<C>>, 'mutationFn'>

/**
 * A write. On success the areas the contract says it changes are refreshed (awaited, so that what follows, such
 * as closing a form, sees fresh lists), then the screen's own `onSuccess` runs.
 */
export function useWrite<C extends WriteChannel>(channel: C, options?: WriteOptions<C>) {
  const qc = useQueryClient()
  const { onSuccess, ...rest } = options ?? {}
  return useMutation<ChannelOutput<C>, ApiError, ChannelInput<C>>({
    ...rest,
    mutationFn: (input) => run(channel, input),
    onSuccess: async (...args) => {
      await refreshAreas(qc, defOf(channel).changes ?? [])
      await onSuccess?.(...args)
    },
  })
}

/**
 * For a screen that makes several calls as one step (an editor saving its parts in turn, then the record as a
 * whole): refreshes what the named channel changes, once, when the step is over.
 */
export function useRefreshAfter() {
  const qc = useQueryClient()
  return (channel: WriteChannel) => refreshAreas(qc, defOf(channel).changes ?? [])
}

/** Whether a role may call the channel (its `access` in the contract). */
export function roleCan(role: Role | null | undefined, channel: Channel): boolean {
  const access = defOf(channel).access
  if (access === 'public') return true
  if (!role) return false
  return access === 'session' || access.includes(role)
}

/** Whether the signed-in user may call the channel: what a screen shows a button for. */
export function useCan(channel: Channel): boolean {
  // reads the session the app has loaded (renderer/session.ts fetches it); this observer never fetches
  const role = useQuery<SessionState, ApiError, Role | undefined>({ queryKey: SESSION_KEY, enabled: false, select: (s) => s.user?.role }).data
  return roleCan(role, channel)
}

/** In the shell: another window or workstation changed something, so the open queries reading it refetch. */
export function useDataEvents(onSessionsEnded: () => void): void {
  const qc = useQueryClient()
  useEffect(
    () =>
      onAppEvent((e) => {
        if (e.type === 'dataChanged') void refreshAreas(qc, e.areas)
        if (e.type === 'sessionChanged') onSessionsEnded()
      }),
    [qc, onSessionsEnded],
  )
}
