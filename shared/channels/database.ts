import { DbConnectionInput, DbConnectionView, DbTestResult } from '../schemas/database'
import { Empty, type ChannelDef } from './define'

/**
 * The administrator's choice of database for this workstation. Not `mutates`: testing connects to
 * another database, and saving writes a small file in this computer's settings folder, not the clinic's
 * data; their audit rows are written by the router right after them (a refused save leaves none).
 */
export const databaseChannels = {
  'database.connection': { input: Empty, output: DbConnectionView, access: ['admin'] },
  'database.test': { input: DbConnectionInput, output: DbTestResult, access: ['admin'] },
  'database.save': { input: DbConnectionInput, output: DbConnectionView, access: ['admin'] },
} as const satisfies Record<string, ChannelDef>
