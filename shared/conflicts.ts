/**
 * What a `conflict` for a stale version carries (issue 23 point 1): who saved the record since it was read,
 * when, and (where the service has it at hand) the record's current values, so that the screen can say
 * "Not saved: Dr Ana Ruiz changed this at 10:04" and offer to reload theirs or compare them with what was typed.
 */
export interface StaleVersionDetail {
  /** the display name of whoever saved the version that is stored now; null when the row does not say */
  changedBy: string | null
  /** when that was (ISO instant); null when the row does not say */
  changedAt: string | null
  /** the record's current values, in the shape the screen reads it (optional) */
  current?: unknown
}

/** The stale-version detail of a refused call's `detail`, or null when it has none. */
export function staleVersionDetail(detail: unknown): StaleVersionDetail | null {
  if (!detail || typeof detail !== 'object') return null
  const d = detail as Record<string, unknown>
  if (!('changedBy' in d) && !('changedAt' in d)) return null
  return {
    changedBy: typeof d.changedBy === 'string' ? d.changedBy : null,
    changedAt: typeof d.changedAt === 'string' ? d.changedAt : null,
    ...('current' in d ? { current: d.current } : {}),
  }
}
