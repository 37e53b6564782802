import type { backupChannels } from '../../shared/channels/backup'
import { auditCheckStatus } from '../services/auditWatch'
import { listFolderBackups, restoreFromBackup, runManualBackup } from '../services/backup'
import type { RouteTable } from './types'

export const backupRoutes: RouteTable<keyof typeof backupChannels> = {
  'backup.run': (ctx) => runManualBackup(ctx),
  'backup.list': (ctx) => listFolderBackups(ctx),
  'backup.restore': (ctx, input) => restoreFromBackup(ctx, input),
  'backup.auditCheck': async (ctx) => auditCheckStatus(ctx),
}
