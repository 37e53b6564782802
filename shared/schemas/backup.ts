import { z } from 'zod'

export const BackupResult = z.object({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  schema: z.string(),
})
export type BackupResult = z.infer<typeof BackupResult>

export const BackupList = z.object({
  folder: z.string(),
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
