/**
 * When the operating system says the person has left the computer, every window of the app locks, as the
 * idle lock does: the screen was locked, the computer went to sleep, or (macOS) another user took over the
 * screen by fast user switching. Waking, unlocking and power changes lock nothing; the person unlocks the
 * app with their password as after the idle lock.
 */

/** powerMonitor's events that lock, with the reason the audit log gives for the lock. */
const LOCKING = {
  'lock-screen': 'screen-locked',
  suspend: 'sleep',
  'user-did-resign-active': 'user-switched',
} as const

export type PowerLockReason = (typeof LOCKING)[keyof typeof LOCKING]

/** The powerMonitor events the adapter listens to (user-did-resign-active is emitted on macOS only). */
export const LOCKING_POWER_EVENTS = Object.keys(LOCKING) as (keyof typeof LOCKING)[]

/** The lock reason for a powerMonitor event, or null when the event locks nothing. */
export function lockReasonFor(event: string): PowerLockReason | null {
  return Object.hasOwn(LOCKING, event) ? LOCKING[event as keyof typeof LOCKING] : null
}
