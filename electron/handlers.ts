/** One handler per channel of the contract; TypeScript refuses a missing or mistyped one. */
import type { Channel, ChannelOutput, ChannelParsedInput } from '../shared/contract'
import { listAudit } from './services/auditLog'
import type { ServiceContext } from './services/context'
import * as patients from './services/patients'
import * as session from './services/session'
import { requireSettings, updateSettings } from './services/settings'
import * as users from './services/users'

export type Handlers = {
  [C in Channel]: (ctx: ServiceContext, input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>>
}

export const handlers: Handlers = {
  'session.state': (ctx) => session.sessionState(ctx),
  'setup.complete': (ctx, input) => session.completeSetup(ctx, input),
  'session.signIn': (ctx, input) => session.signIn(ctx, input),
  'session.signOut': (ctx) => session.signOut(ctx),
  'session.lock': (ctx) => session.lock(ctx, 'user'),
  'session.unlock': (ctx, input) => session.unlock(ctx, input),

  'settings.get': (ctx) => requireSettings(ctx.db),
  'settings.update': (ctx, input) => updateSettings(ctx, input),

  'users.list': (ctx) => users.listUsers(ctx),
  'users.create': (ctx, input) => users.createUser(ctx, input),
  'users.update': (ctx, input) => users.updateUser(ctx, input),
  'users.resetPassword': (ctx, input) => users.resetPassword(ctx, input),

  'patients.search': (ctx, input) => patients.searchPatients(ctx, input),
  'patients.get': (ctx, input) => patients.getPatient(ctx, input),
  'patients.findDuplicates': (ctx, input) => patients.findDuplicates(ctx, input),
  'patients.register': (ctx, input) => patients.registerPatient(ctx, input),
  'patients.update': (ctx, input) => patients.updatePatient(ctx, input),

  'audit.list': (ctx, input) => listAudit(ctx, input),
}
