import { BackupList, BackupResult } from '../schemas/backup'
import { Empty, type ChannelDef } from './define'

/**
 * Not `mutates`: a backup must not run inside a write transaction (it would hold the write lock for the
 * whole copy). Its audit row is written by the router right after it, like a view's.
 */
export const backupChannels = {
  'backup.run': { input: Empty, output: BackupResult, access: ['admin'] },
  'backup.list': { input: Empty, output: BackupList, access: ['admin'] },
} as const satisfies Record<string, ChannelDef>
