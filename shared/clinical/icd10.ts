/**
 * ICD-10-CM codes as a physician attaches them to a procedure: letter, two characters, then up to four after
 * the dot (M80.08XA, M48.56XA, S22.080A). The format is checked; whether the code exists is not (the code
 * set is published yearly by CMS and is not bundled here).
 */
const ICD10CM = /^([A-Z][0-9][0-9AB])(?:\.?([0-9A-Z]{1,4}))?$/

/** 'm8008xa' -> 'M80.08XA'; null when it is not an ICD-10-CM code's shape. */
export function normalizeIcd10Cm(input: string): string | null {
  const m = ICD10CM.exec(input.trim().toUpperCase())
  if (!m) return null
  return m[2] ? `${m[1]}.${m[2]}` : m[1]!
}

/** The 7th character of an injury or fracture code: A initial, D subsequent, S sequela. */
export function icd10Encounter(code: string): 'initial' | 'subsequent' | 'sequela' | null {
  const n = normalizeIcd10Cm(code)
  if (!n || n.replace('.', '').length !== 7) return null
  return ({ A: 'initial', D: 'subsequent', S: 'sequela' } as const)[n.at(-1) as 'A' | 'D' | 'S'] ?? null
}
