import type { confirmationChannels } from '../../shared/channels/confirmations'
import * as confirmations from '../services/confirmations'
import type { RouteTable } from './types'

export const confirmationRoutes: RouteTable<keyof typeof confirmationChannels> = {
  'confirmations.list': (ctx, input) => confirmations.listConfirmations(ctx, input),
  'confirmations.logAttempt': (ctx, input) => confirmations.logAttempt(ctx, input),
  'outcomes.attendance': (ctx, input) => confirmations.attendance(ctx, input),
}
