/** The backup rotation's clinic setting: how many daily, weekly and monthly backups the folder keeps. */
import { z } from 'zod'

const keep = (min: number, max: number, what: string) =>
  z
    .number({ message: 'must be a number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be ${min} to ${max} ${what}` })
    .max(max, { message: `must be ${min} to ${max} ${what}` })

export const DEFAULT_BACKUP_ROTATION = { daily: 7, weekly: 4, monthly: 12 } as const

export const BackupRotation = z
  .object(
    {
      // at least one day: the backup just made is never the one the rotation removes
      daily: keep(1, 90, 'days'),
      weekly: keep(0, 104, 'weeks'),
      monthly: keep(0, 120, 'months'),
    },
    { message: 'must give the days, weeks and months to keep' },
  )
  .strict()
  .default({ ...DEFAULT_BACKUP_ROTATION })
export type BackupRotation = z.infer<typeof BackupRotation>
