/**
 * The optimistic version rule for every editable row: an update names the version it read; a stale one is a
 * `conflict` naming the field (so the screen can say "reload"), and the write itself is guarded by the same
 * version (WHERE version = read), so two workstations that read the same version cannot both write.
 */
import { AppError } from '../../../shared/result'

/**
 * Refuses a change made against a version that is no longer the stored one. The message may be worked out only
 * when it is needed (it names when the row was changed, which costs a read of the clinic's zone).
 */
export async function assertVersion(
  stored: number,
  read: number,
  message: string | (() => Promise<string>),
  opts: { field?: string; detail?: unknown } = {},
): Promise<void> {
  if (stored === read) return
  const text = typeof message === 'string' ? message : await message()
  throw new AppError('conflict', text, { [opts.field ?? 'version']: 'is out of date' }, opts.detail)
}

/** The version a change writes. */
export const nextVersion = (read: number): number => read + 1

/**
 * After the guarded write (WHERE version = read, RETURNING): nothing returned means another write got in
 * between the read and this one.
 */
export function assertWritten<T>(row: T | undefined, message: string, field = 'version'): T {
  if (row === undefined) throw new AppError('conflict', message, { [field]: 'is out of date' })
  return row
}
