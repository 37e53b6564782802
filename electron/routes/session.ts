import type { sessionChannels } from '../../shared/channels/session'
import * as session from '../services/session'
import { chooseBackupFolder, requireSettings, updateSettings } from '../services/settings'
import type { RouteTable } from './types'

export const sessionRoutes: RouteTable<keyof typeof sessionChannels> = {
  'session.state': (ctx) => session.sessionState(ctx),
  'setup.complete': (ctx, input) => session.completeSetup(ctx, input),
  'session.signIn': (ctx, input) => session.signIn(ctx, input),
  'session.signOut': (ctx) => session.signOut(ctx),
  'session.lock': (ctx, input) => session.lock(ctx, input.reason ?? 'user'),
  'session.unlock': (ctx, input) => session.unlock(ctx, input),
  'session.changePassword': (ctx, input) => session.changePassword(ctx, input),
  'settings.get': (ctx) => requireSettings(ctx.db),
  'settings.update': (ctx, input) => updateSettings(ctx, input),
  'settings.chooseBackupFolder': (ctx) => chooseBackupFolder(ctx),
}
