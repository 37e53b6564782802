import type { databaseChannels } from '../../shared/channels/database'
import { connectionView, saveConnection, testConnection } from '../services/databaseConnection'
import type { RouteTable } from './types'

export const databaseRoutes: RouteTable<keyof typeof databaseChannels> = {
  'database.connection': (ctx) => connectionView(ctx),
  'database.test': (ctx, input) => testConnection(ctx, input),
  'database.save': (ctx, input) => saveConnection(ctx, input),
}
