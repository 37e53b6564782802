import { Preferences, PreferenceSet, SetPreference } from '../schemas/preferences'
import { ALL_STAFF, Empty, type ChannelDef } from './define'

/**
 * The signed-in user's own preferences (shared/schemas/preferences.ts): how the schedule is shown to them. Every
 * role has them, and reaches only its own: neither channel takes a user id; the main process uses the window's
 * session (electron/services/preferences.ts). They belong to one user, like drafts, so a change is announced to
 * no other window or workstation ('preferences' is a local area); a screen that reads them refreshes here.
 */
export const preferenceChannels = {
  'me.preferences.get': { input: Empty, output: Preferences, access: ALL_STAFF, reads: ['preferences'] },
  'me.preferences.set': { input: SetPreference, output: PreferenceSet, access: ALL_STAFF, mutates: true, changes: ['preferences'] },
} as const satisfies Record<string, ChannelDef>
