/** Lower-case, accents stripped, spaces collapsed: how names are compared. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** Key used to warn about a second registration of the same person. */
export function nameKey(firstName: string, lastName: string): string {
  return `${foldText(lastName)}|${foldText(firstName)}`
}

export function digitsOnly(s: string): string {
  return s.replace(/\D+/g, '')
}

/**
 * Marks that join the parts of one name: apostrophes (straight, curly, modifier letter, backtick) and
 * hyphens. The search index holds each part and the parts joined ("O'Brien": o, brien, obrien;
 * "Smith-Jones": smith, jones, smithjones), so "obrien", "o brien", "o'brien", "O’Brien", "smith jones",
 * "smith-jones" and "smithjones" all find them. Migration 0007 builds the index
 * with these marks and the hyphens -‐‑ (keep them in step).
 */
export const NAME_APOSTROPHES = "'’‘ʼ`"
const APOSTROPHE_RE = new RegExp(`[${NAME_APOSTROPHES}]`, 'g')

/** Digits with the marks people type between them in a phone number. */
const PHONE_TYPED = /^[\d\s()+.-]+$/

/**
 * Splits what the user typed into search words. Single letters are too common to look up on their own
 * (at 100k patients "s" starts a word of a fifth of the names), so they only narrow what the longer words
 * find: some word of the name must start with that letter. A query of single letters only is not searched. An apostrophe inside a word
 * joins it ("o'brien", "o’brien": "obrien"); a hyphen splits ("smith-jones": "smith", "jones"), and the
 * index has both forms of a name (see NAME_APOSTROPHES).
 */
export function searchWords(q: string): { words: string[]; initials: string[] } {
  // a phone number typed in groups ("555 418 7720", "(555) 418-7720") is one number, not three words
  if (PHONE_TYPED.test(q) && /\d.*\s.*\d/.test(q.trim())) return { words: [digitsOnly(q)], initials: [] }
  const all = q
    .split(/\s+/)
    // an apostrophe joins ("o'brien" is the word "obrien"); other marks split (a hyphen: "smith-jones", "sc-000001")
    .map((t) => (PHONE_TYPED.test(t) ? digitsOnly(t) : foldText(t).replace(APOSTROPHE_RE, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim()))
    .flatMap((t) => t.split(' '))
    .filter((t) => t.length > 0)
  return { words: all.filter((t) => t.length > 1), initials: all.filter((t) => t.length === 1) }
}

/** True when the query has something to look up (see searchWords). */
export function isSearchable(q: string): boolean {
  return searchWords(q).words.length > 0 || q.trim() === ''
}

/**
 * An MRN as typed, whole or its beginning ("sc-0001", "SC-000123"): the clinic's letters, a hyphen and
 * digits. Every MRN shares the letters, so the search looks up the digits and checks the prefix after.
 */
export function mrnQuery(q: string): { prefix: string; digits: string } | null {
  const m = /^([a-z]{1,6})-(\d{2,})$/i.exec(q.trim())
  return m ? { prefix: `${m[1]!.toUpperCase()}-${m[2]}`, digits: m[2]! } : null
}
