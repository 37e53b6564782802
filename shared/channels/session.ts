import { ChangePassword, LockScreen, SessionState, SignIn, Unlock } from '../schemas/session'
import { SettingsView, UpdateSettings } from '../schemas/settings'
import { CompleteSetup } from '../schemas/setup'
import { ALL_STAFF, Empty, Ok, type ChannelDef } from './define'

export const sessionChannels = {
  'session.state': { input: Empty, output: SessionState, access: 'public' },
  'setup.complete': { input: CompleteSetup, output: SessionState, access: 'public', mutates: true, hashesPassword: true },
  'session.signIn': { input: SignIn, output: SessionState, access: 'public', mutates: true, hashesPassword: true },
  'session.signOut': { input: Empty, output: Ok, access: 'session', mutates: true },
  'session.lock': { input: LockScreen, output: Ok, access: 'session', mutates: true },
  'session.unlock': { input: Unlock, output: SessionState, access: 'session', mutates: true, hashesPassword: true },
  /** The signed-in user chooses a new password (at first sign-in after an administrator set one, or any time). */
  'session.changePassword': { input: ChangePassword, output: SessionState, access: 'session', mutates: true, hashesPassword: true },

  'settings.get': { input: Empty, output: SettingsView, access: ALL_STAFF },
  'settings.update': { input: UpdateSettings, output: SettingsView, access: ['admin'], mutates: true },
} as const satisfies Record<string, ChannelDef>
