import { z } from 'zod'

export const BackupResult = z.object({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  schema: z.string(),
})
export type BackupResult = z.infer<typeof BackupResult>

/**
 * The administrator's Backups screen: where backups go, when the daily one runs and what the rotation
 * keeps, and the backups in the folder. A PostgreSQL clinic gets `engine: 'postgres'`, no backups and the
 * reason (pg_dump is the tool there).
 */
export const BackupList = z.object({
  engine: z.enum(['sqlite', 'postgres']),
  /** The folder backups go to ('' for PostgreSQL). */
  folder: z.string(),
  /** true: no folder was chosen in Settings, so backups go next to the database. */
  folderIsDefault: z.boolean(),
  backupTime: z.string(),
  timeZone: z.string(),
  rotation: z.object({ daily: z.number().int(), weekly: z.number().int(), monthly: z.number().int() }),
  /** Why there are no backups here (PostgreSQL); null otherwise. */
  message: z.string().nullable(),
  backups: z.array(
    z.object({
      name: z.string(),
      at: z.string(),
      kind: z.enum(['daily', 'manual', 'pre-migrate']),
      bytes: z.number().int().nonnegative(),
      /** A manifest was written beside it when it was made (a restore checks the file against it). */
      hasManifest: z.boolean(),
    }),
  ),
})
export type BackupList = z.infer<typeof BackupList>

/** A backup in the backup folder, by its file name (never a path: restores come from the folder only). */
export const RestoreBackup = z.object({
  name: z
    .string({ message: 'is required' })
    .max(120, { message: 'is not a backup name' })
    .regex(/^clinic-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-(daily|manual|pre-migrate)\.sqlite$/, { message: 'is not a backup name' }),
  /**
   * The administrator's second confirmation for a file that does not match a manifest written when it was
   * made (a copy put in the folder by hand, a backup from a version before manifests): restore it anyway,
   * its integrity, version and audit chain checked.
   */
  outsideFile: z.boolean().optional(),
})

export const RestoreResult = z.object({
  restoredFrom: z.string(),
  /** Where the database that was replaced was kept. */
  keptAsideAs: z.string().nullable(),
  backupSchema: z.string(),
  /** Schema steps applied to the restored copy (it came from an older version). */
  migrated: z.array(z.string()),
  /** 'manifest': the file matched its manifest; 'outside file': the administrator confirmed it. */
  accepted: z.enum(['manifest', 'outside file']),
})
export type RestoreResult = z.infer<typeof RestoreResult>

/**
 * The app's latest check of the audit log against its anchors (at start, before each scheduled backup, after
 * a restore): `failed` means the log no longer matches what was recorded of it outside the database.
 */
export const AuditCheckStatus = z.object({
  state: z.enum(['ok', 'failed', 'notChecked']),
  checkedAt: z.string().nullable(),
  /** Why it ran: start, backup or restore. */
  reason: z.string().nullable(),
  summary: z.string(),
  problems: z.array(z.string()),
  anchorFile: z.string().nullable(),
})
export type AuditCheckStatus = z.infer<typeof AuditCheckStatus>
