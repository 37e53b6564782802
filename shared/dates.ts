/** Calendar dates are 'YYYY-MM-DD' strings; these helpers never go through local time. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export function isValidIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1) return false
  return d <= daysInMonth(y, mo)
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Age in whole years on `onDate`; someone born on 29 February turns a year older on 1 March in common years. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = ymd(birthDate)
  const [y, m, d] = ymd(onDate)
  let age = y - by
  if (m < bm || (m === bm && d < bd)) age -= 1
  return age
}

/** Year, month, day of 'YYYY-MM-DD' (read digit by digit: the outcome export asks this of every row). */
function ymd(iso: string): [number, number, number] {
  if (iso.length !== 10) return iso.split('-').map(Number) as [number, number, number]
  // '0' is 48: each digit's code minus 48, summed by place (48 * 1111 = 53328, 48 * 11 = 528)
  return [
    iso.charCodeAt(0) * 1000 + iso.charCodeAt(1) * 100 + iso.charCodeAt(2) * 10 + iso.charCodeAt(3) - 53328,
    iso.charCodeAt(5) * 10 + iso.charCodeAt(6) - 528,
    iso.charCodeAt(8) * 10 + iso.charCodeAt(9) - 528,
  ]
}

/**
 * A date as a person types it, to 'YYYY-MM-DD', or null when it is not a real date. The clinic's locale is US, so
 * slashes, dashes or dots between numbers read month first ('2/29/1948', '02-29-1948'); 'YYYY-MM-DD' is accepted
 * too (pasted from a letter or a file). The year must have four digits: '2/29/48' could be 1948 or 2048.
 */
export function parseTypedDate(typed: string): string | null {
  const s = typed.trim()
  if (ISO_DATE.test(s)) return isValidIsoDate(s) ? s : null
  const us = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(s)
  if (!us) return null
  const iso = `${us[4]}-${us[1]!.padStart(2, '0')}-${us[3]!.padStart(2, '0')}`
  return isValidIsoDate(iso) ? iso : null
}

/** 'YYYY-MM-DD' as the clinic types it, 'MM/DD/YYYY'. */
export function formatTypedDate(iso: string): string {
  const m = ISO_DATE.exec(iso)
  return m ? `${m[2]}/${m[3]}/${m[1]}` : iso
}

/** Patient search reads a date the way the date fields do. */
export const parseDateQuery = parseTypedDate
