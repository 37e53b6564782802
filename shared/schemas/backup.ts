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
})

export const RestoreResult = z.object({
  restoredFrom: z.string(),
  /** Where the database that was replaced was kept. */
  keptAsideAs: z.string().nullable(),
  backupSchema: z.string(),
  /** Schema steps applied to the restored copy (it came from an older version). */
  migrated: z.array(z.string()),
})
export type RestoreResult = z.infer<typeof RestoreResult>
