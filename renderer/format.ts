import { ageOn, todayIso } from '../shared/dates'

export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' })
}

export function formatDob(iso: string): string {
  return `${formatDate(iso)} (${ageOn(iso, todayIso())} y)`
}

export function formatInstant(iso: string, timeZone?: string): string {
  return new Date(iso).toLocaleString('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' })
}
