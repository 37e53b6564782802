/**
 * Backup file names and the rotation rule (pure functions, no file system).
 *
 * A backup is one self-contained SQLite file named `clinic-<UTC time>-<kind>.sqlite`, so the folder
 * sorts by age and the rotation needs nothing but the names. Only the scheduler's daily backups are
 * rotated; manual and pre-migration backups stay until the administrator removes them.
 */
import { clinicDateOf } from '../../shared/clinicClock'
import { DEFAULT_BACKUP_ROTATION } from '../../shared/schemas/backupSettings'

export const BACKUP_KINDS = ['daily', 'manual', 'pre-migrate'] as const
export type BackupKind = (typeof BACKUP_KINDS)[number]

export interface RotationPolicy {
  daily: number
  weekly: number
  monthly: number
}
/** The clinic's default (Settings > Backups changes it: `backupRotation`). */
export const DEFAULT_ROTATION: RotationPolicy = DEFAULT_BACKUP_ROTATION

const NAME = /^clinic-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-(daily|manual|pre-migrate)\.sqlite$/

export function backupFileName(at: Date, kind: BackupKind): string {
  return `clinic-${at.toISOString().replace(/:/g, '-').replace('.', '-')}-${kind}.sqlite`
}

export function parseBackupFileName(name: string): { at: Date; kind: BackupKind } | null {
  const m = NAME.exec(name)
  if (!m) return null
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`)
  if (Number.isNaN(at.getTime())) return null
  return { at, kind: m[8] as BackupKind }
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = make()))
  return f
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone (the clinic's clock, shared/clinicClock.ts). */
export function localDate(at: Date, timeZone: string): string {
  return clinicDateOf(at, timeZone)
}

/** ISO-8601 week of a calendar date, e.g. 2026-W49 (weeks start on Monday). */
export function isoWeek(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d))
  const day = t.getUTCDay() || 7
  t.setUTCDate(t.getUTCDate() + 4 - day) // the Thursday of this week decides the year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1)
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7)
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}

/**
 * Which backups the rotation removes: it keeps the newest backup of each of the last `daily` days that
 * have one, of the last `weekly` weeks and of the last `monthly` months (days in the clinic's time zone),
 * and removes the rest. The newest backup is always kept.
 */
export function backupsToDelete<T extends { name: string; at: Date }>(backups: T[], policy: RotationPolicy = DEFAULT_ROTATION, timeZone = 'UTC'): T[] {
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : -1))
  const keep = new Set<T>()
  const bucket = (count: number, key: (b: T) => string) => {
    const seen = new Set<string>()
    for (const b of newestFirst) {
      const k = key(b)
      if (seen.has(k)) continue
      if (seen.size >= count) break
      seen.add(k)
      keep.add(b)
    }
  }
  bucket(policy.daily, (b) => localDate(b.at, timeZone))
  bucket(policy.weekly, (b) => isoWeek(localDate(b.at, timeZone)))
  bucket(policy.monthly, (b) => localDate(b.at, timeZone).slice(0, 7))
  if (newestFirst[0]) keep.add(newestFirst[0])
  return newestFirst.filter((b) => !keep.has(b))
}

/** Minutes east of UTC of a time zone at an instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = formatter(
    `t|${timeZone}`,
    () => new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }),
  ).formatToParts(at)
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'))
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000)
}

/** The instant when the clock in `timeZone` shows `date` `hh:mm` (the later reading in a DST gap). */
export function zonedTime(date: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number]
  const guess = Date.UTC(y, m - 1, d, hh, mm)
  const first = guess - offsetMinutes(new Date(guess), timeZone) * 60_000
  const second = guess - offsetMinutes(new Date(first), timeZone) * 60_000
  return new Date(second)
}

/** The most recent moment, at or before `now`, when the daily backup was due. */
export function lastDueInstant(now: Date, hhmm: string, timeZone: string): Date {
  const today = localDate(now, timeZone)
  const due = zonedTime(today, hhmm, timeZone)
  if (due.getTime() <= now.getTime()) return due
  const [y, m, d] = today.split('-').map(Number) as [number, number, number]
  const yesterday = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10)
  return zonedTime(yesterday, hhmm, timeZone)
}
