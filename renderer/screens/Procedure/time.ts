/**
 * Times on the procedure day are typed as HH:MM on this workstation's clock and stored as UTC instants.
 * The day is the procedure's date; a time before the procedure's start is taken as after midnight.
 */
const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/

/** '13:05' on '2026-11-30' (local) -> ISO instant; '' -> null; anything else -> the text itself (the schema names it). */
export function instantOf(date: string, hhmm: string, notBefore?: string | null): string | null {
  const t = hhmm.trim()
  if (t === '') return null
  const m = HHMM.exec(t)
  if (!m) return t
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const at = new Date(y, mo - 1, d, Number(m[1]), Number(m[2]))
  if (Number.isNaN(at.getTime())) return t
  if (notBefore && at.toISOString() < notBefore) at.setDate(at.getDate() + 1)
  return at.toISOString()
}

/** ISO instant -> 'HH:MM' on this workstation's clock; null -> ''. */
export function hhmmOf(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

export const nowHhmm = () => hhmmOf(new Date().toISOString())

export const timeError = 'Must be a time as HH:MM (24 hours)'
export const isTimeText = (s: string) => s.trim() === '' || HHMM.test(s.trim())
