import { z } from 'zod'
import { isValidIsoDate } from '../dates'

/** Ids and versions are database integers (32-bit on PostgreSQL): a larger number is no record of ours. */
export const MAX_DB_INT = 2_147_483_647
export const Id = z.number({ message: 'must be a number' }).int().positive().max(MAX_DB_INT, { message: 'is out of range' })
export const Version = z.number({ message: 'must be a number' }).int().nonnegative().max(MAX_DB_INT, { message: 'is out of range' })

/** A required line of text: trimmed, not empty, bounded. */
export const requiredText = (max: number) =>
  z
    .string({ message: 'is required' })
    .trim()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` })

/** An optional line of text: trimmed, '' when absent. */
export const optionalText = (max: number) =>
  z
    .string({ message: 'must be text' })
    .trim()
    .max(max, { message: `must be at most ${max} characters` })
    .default('')

export const IsoDate = z
  .string({ message: 'is required' })
  .refine(isValidIsoDate, { message: 'must be a real date (MM/DD/YYYY)' })

export const IsoInstant = z.string().datetime({ message: 'must be an ISO-8601 UTC time' })
