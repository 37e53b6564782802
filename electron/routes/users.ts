import type { userChannels } from '../../shared/channels/users'
import { auditFilterOptions, auditPatientLookup, exportAudit, listAudit } from '../services/auditLog'
import * as users from '../services/users'
import type { RouteTable } from './types'

export const userRoutes: RouteTable<keyof typeof userChannels> = {
  'users.list': (ctx) => users.listUsers(ctx),
  'users.create': (ctx, input) => users.createUser(ctx, input),
  'users.update': (ctx, input) => users.updateUser(ctx, input),
  'users.resetPassword': (ctx, input) => users.resetPassword(ctx, input),
  'audit.list': (ctx, input) => listAudit(ctx, input),
  'audit.filterOptions': (ctx) => auditFilterOptions(ctx),
  'audit.findPatients': (ctx, input) => auditPatientLookup(ctx, input),
  'audit.export': (ctx, input) => exportAudit(ctx, input),
}
