import { ChangePassword, LockScreen, SessionState, SignIn, Unlock } from '../schemas/session'
import { ChooseFolderResult, SettingsView, UpdateSettings } from '../schemas/settings'
import { CompleteSetup } from '../schemas/setup'
import { ALL_STAFF, Empty, Ok, type ChannelDef } from './define'

export const sessionChannels = {
  'session.state': { input: Empty, output: SessionState, access: 'public', reads: ['session'] },
  'setup.complete': { input: CompleteSetup, output: SessionState, access: 'public', mutates: true, hashesPassword: true, changes: ['session'] },
  'session.signIn': { input: SignIn, output: SessionState, access: 'public', mutates: true, hashesPassword: true, changes: ['session'] },
  'session.signOut': { input: Empty, output: Ok, access: 'session', mutates: true, changes: ['session'] },
  'session.lock': { input: LockScreen, output: Ok, access: 'session', mutates: true, changes: ['session'] },
  'session.unlock': { input: Unlock, output: SessionState, access: 'session', mutates: true, hashesPassword: true, changes: ['session'] },
  /** The signed-in user chooses a new password (at first sign-in after an administrator set one, or any time). */
  'session.changePassword': { input: ChangePassword, output: SessionState, access: 'session', mutates: true, hashesPassword: true, changes: ['session'] },

  'settings.get': { input: Empty, output: SettingsView, access: ALL_STAFF, reads: ['settings'] },
  'settings.update': { input: UpdateSettings, output: SettingsView, access: ['admin'], mutates: true, changes: ['settings', 'session'] },
  /** Opens the system's folder dialog over the caller's window (the desktop app); the screen saves the choice with settings.update. */
  'settings.chooseBackupFolder': { input: Empty, output: ChooseFolderResult, access: ['admin'] },
} as const satisfies Record<string, ChannelDef>
