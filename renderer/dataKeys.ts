/**
 * The part of the data layer (renderer/data.ts) the sign-in screens need, without the contract: the session's
 * query key, forgetting the previous user's records, and refreshing the session. Kept apart so that the first
 * screen loads without every channel's schemas (scripts/check-bundle.mjs holds the initial JavaScript to its
 * budget); data.ts builds on it.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query'

/** The session state's query key: a channel's key is the channel, then its input (data.ts, channelKey). */
export const SESSION_KEY: QueryKey = ['session.state']

/** Forgets every record on screen (another user signs in, sessions ended), keeping only the session itself. */
export function forgetRecords(qc: QueryClient): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] })
}

/** Reads the session again (signed out, or told the session ended). */
export function refreshSession(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ queryKey: SESSION_KEY })
}
