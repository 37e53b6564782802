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
