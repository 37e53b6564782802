import type { preferenceChannels } from '../../shared/channels/preferences'
import * as preferences from '../services/preferences'
import type { RouteTable } from './types'

export const preferenceRoutes: RouteTable<keyof typeof preferenceChannels> = {
  'me.preferences.get': (ctx) => preferences.getPreferences(ctx),
  'me.preferences.set': (ctx, input) => preferences.setPreference(ctx, input),
}
