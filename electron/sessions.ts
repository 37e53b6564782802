import type { SessionUser } from '../shared/schemas/session'
import { WindowBackoff } from './backoff'

export interface WindowSession {
  user: SessionUser
  signedInAt: number
  lastActivity: number
  locked: boolean
  /** When the screen last locked (a draft's autosave fired as it locks is still accepted for a moment). */
  lockedAt?: number
  /**
   * The user's `session_version` at sign-in. An administrator who deactivates the user, changes their role or
   * resets their password raises it in the database; the router compares it on every call, so the session
   * ends at its next call on every workstation, not only in the process that made the change.
   */
  sessionVersion: number
  /** Signed in with a password an administrator set: nothing but choosing their own is allowed. */
  mustChangePassword: boolean
}

export interface SessionAccess {
  sessionVersion: number
  mustChangePassword?: boolean
}

/**
 * Who is signed in, per window. The key is chosen by the main process (an Electron webContents id,
 * or a bridge page token), never by the renderer, so a window cannot act as another user.
 */
export class SessionStore {
  private readonly byWindow = new Map<string, WindowSession>()
  /** Wrong passwords per window (sign-in, unlock, signing, changing one's password): see backoff.ts. */
  readonly backoff = new WindowBackoff()

  get(windowId: string): WindowSession | undefined {
    return this.byWindow.get(windowId)
  }

  signIn(windowId: string, user: SessionUser, nowMs: number, access: SessionAccess): void {
    this.byWindow.set(windowId, { user, signedInAt: nowMs, lastActivity: nowMs, locked: false, sessionVersion: access.sessionVersion, mustChangePassword: access.mustChangePassword ?? false })
  }

  signOut(windowId: string): void {
    this.byWindow.delete(windowId)
  }

  /** Signs a user out of every window, e.g. when an administrator deactivates them. */
  signOutUser(userId: number): void {
    for (const [k, s] of this.byWindow) if (s.user.id === userId) this.byWindow.delete(k)
  }

  /** Ends every window's session (after a restore: everyone signs in again, against the restored users). */
  signOutAll(): void {
    this.byWindow.clear()
  }

  /**
   * Hands a window's session to the window that replaced it (the development bridge's page after a reload: a
   * new page token for the same tab), locked: the same user, who enters their password to continue. Returns
   * the session moved, or undefined when the old window had none.
   */
  transfer(fromWindow: string, toWindow: string, nowMs: number): WindowSession | undefined {
    // a reload does not clear the window's wrong-password count (backoff.ts)
    if (fromWindow !== toWindow) this.backoff.transfer(fromWindow, toWindow)
    const session = this.byWindow.get(fromWindow)
    if (!session || fromWindow === toWindow) return undefined
    this.byWindow.delete(fromWindow)
    if (!session.locked) Object.assign(session, { locked: true, lockedAt: nowMs })
    this.byWindow.set(toWindow, session)
    return session
  }

  updateUser(user: SessionUser): void {
    for (const s of this.byWindow.values()) if (s.user.id === user.id) s.user = user
  }
}
