import { AuditCheckStatus, BackupList, BackupResult, RestoreBackup, RestoreResult } from '../schemas/backup'
import { Empty, type ChannelDef } from './define'

/**
 * Not `mutates`: a backup must not run inside a write transaction (it would hold the write lock for the
 * whole copy). Its audit row is written by the router right after it, like a view's.
 */
export const backupChannels = {
  'backup.run': { input: Empty, output: BackupResult, access: ['admin'], changes: ['backups'] },
  'backup.list': { input: Empty, output: BackupList, access: ['admin'], reads: ['backups'] },
  /**
   * Exclusive: calls in progress finish first and new ones wait; the database is closed, the file replaced
   * (the current one kept aside), reopened, and every session ended. Refused, with nothing changed, for a
   * damaged backup or one from a newer version.
   */
  'backup.restore': { input: RestoreBackup, output: RestoreResult, access: ['admin'], exclusive: true },
  /** The app's latest check of the audit log against its anchors: administrators see a failure (a banner). */
  'backup.auditCheck': { input: Empty, output: AuditCheckStatus, access: ['admin'], reads: ['backups'] },
} as const satisfies Record<string, ChannelDef>
