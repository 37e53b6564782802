/**
 * Per-window backoff for password attempts (sign-in, unlock, the password asked again when signing a record,
 * changing one's own password). A window's first few wrong passwords cost nothing; after that each further try
 * must wait twice as long as the one before (1 s, 2 s, 4 s ... up to 5 minutes), counted from the last failure.
 * A right password clears the window's count. A refused try is not a failure (it is not even checked), so
 * waiting out the delay is the only way on.
 *
 * Why per window and not per account: a count per account lets anyone who can type a user name lock that
 * person out, the only administrator included (services/session.ts keeps an account lockout for everyone
 * else, see there). A window slowing down only slows the person (or program) at it. In the Electron app a
 * window is the app's one window; on the development bridge every page load is a new window, so there the
 * account lockout is what limits a program that keeps opening pages (it needs the run's key to do so).
 */
export const FREE_FAILURES = 3
export const MAX_DELAY_MS = 5 * 60_000
/** A window's failures are forgotten an hour after its last one. */
const FORGET_AFTER_MS = 60 * 60_000

interface Entry {
  failures: number
  lastFailure: number
}

export function delayAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_DELAY_MS)
}

export class WindowBackoff {
  private readonly byWindow = new Map<string, Entry>()

  /** Milliseconds this window must still wait before it may try a password again (0: it may now). */
  waitMs(windowId: string, nowMs: number): number {
    const e = this.byWindow.get(windowId)
    if (!e) return 0
    return Math.max(0, e.lastFailure + delayAfter(e.failures) - nowMs)
  }

  failed(windowId: string, nowMs: number): void {
    for (const [k, e] of this.byWindow) if (nowMs - e.lastFailure > FORGET_AFTER_MS) this.byWindow.delete(k)
    const e = this.byWindow.get(windowId)
    this.byWindow.set(windowId, { failures: (e?.failures ?? 0) + 1, lastFailure: nowMs })
  }

  succeeded(windowId: string): void {
    this.byWindow.delete(windowId)
  }

  /** A reloaded page (the development bridge's new page token) keeps its predecessor's count. */
  transfer(fromWindow: string, toWindow: string): void {
    const e = this.byWindow.get(fromWindow)
    if (!e) return
    this.byWindow.delete(fromWindow)
    this.byWindow.set(toWindow, e)
  }
}
