/**
 * CPT codes for a vertebral augmentation session (CPT is licensed by the AMA; these six codes are the
 * ones DOMAIN.md names, checked against the Medicare LCD billing articles):
 *   vertebroplasty  22510 first level cervicothoracic, 22511 first level lumbosacral, 22512 each additional level
 *   kyphoplasty     22513 first level thoracic, 22514 first level lumbar, 22515 each additional thoracic or lumbar level
 * The primary code is reported once per session, for the first level treated; every further level is
 * the add-on code, whatever its region (T12 then L1 by kyphoplasty: 22513 + 22515).
 * Not derived here, and reported as problems instead: kyphoplasty at a cervical level (no specific code),
 * and any sacral level (sacral augmentation, sacroplasty, has its own Category III codes).
 */
import { isVertebralLevel, levelRegion, type VertebralLevel } from './levels'

export const PROCEDURE_KINDS = ['vertebroplasty', 'kyphoplasty'] as const
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number]

export const CPT_DESCRIPTIONS: Record<string, string> = {
  '22510': 'Percutaneous vertebroplasty, first level, cervicothoracic',
  '22511': 'Percutaneous vertebroplasty, first level, lumbosacral',
  '22512': 'Percutaneous vertebroplasty, each additional level',
  '22513': 'Percutaneous vertebral augmentation (kyphoplasty), first level, thoracic',
  '22514': 'Percutaneous vertebral augmentation (kyphoplasty), first level, lumbar',
  '22515': 'Percutaneous vertebral augmentation (kyphoplasty), each additional thoracic or lumbar level',
}

export interface CptLine {
  level: VertebralLevel
  code: string
  /** true for the one primary code of the session; false for add-on codes */
  primary: boolean
}

export interface CptDerivation {
  /** one line per codable level, in the order treated */
  lines: CptLine[]
  /** codes with their units, primary first: [{ code: '22513', units: 1 }, { code: '22515', units: 2 }] */
  summary: { code: string; units: number }[]
  /** levels that could not be coded, with the reason */
  problems: { level: VertebralLevel | null; message: string }[]
}

function primaryCode(kind: ProcedureKind, level: VertebralLevel): string | { problem: string } {
  const region = levelRegion(level)
  if (region === 'sacral') return { problem: `${level} is sacral: sacral augmentation (sacroplasty) has its own codes, not 22510-22515` }
  if (kind === 'vertebroplasty') return region === 'lumbar' ? '22511' : '22510'
  if (region === 'cervical') return { problem: `${level}: kyphoplasty has no code for a cervical level (22513 is thoracic, 22514 lumbar)` }
  return region === 'lumbar' ? '22514' : '22513'
}

/**
 * Codes for one session. `levelsInOrder` is the order the levels were treated; the first codable one
 * carries the primary code. A level listed twice is a problem, not a second line.
 */
export function deriveCptCodes(kind: ProcedureKind, levelsInOrder: readonly VertebralLevel[]): CptDerivation {
  const lines: CptLine[] = []
  const problems: CptDerivation['problems'] = []
  const seen = new Set<VertebralLevel>()
  const addOn = kind === 'vertebroplasty' ? '22512' : '22515'
  for (const level of levelsInOrder) {
    if (!isVertebralLevel(level)) {
      problems.push({ level: null, message: `${String(level)} is not a vertebral level` })
      continue
    }
    if (seen.has(level)) {
      problems.push({ level, message: `${level} is listed twice; a level is coded once per session` })
      continue
    }
    seen.add(level)
    const primary = primaryCode(kind, level)
    if (typeof primary !== 'string') {
      problems.push({ level, message: primary.problem })
      continue
    }
    if (lines.length === 0) lines.push({ level, code: primary, primary: true })
    else lines.push({ level, code: addOn, primary: false })
  }
  if (levelsInOrder.length === 0) problems.push({ level: null, message: 'no level was treated' })
  const summary: CptDerivation['summary'] = []
  for (const l of lines) {
    const s = summary.find((x) => x.code === l.code)
    if (s) s.units++
    else summary.push({ code: l.code, units: 1 })
  }
  return { lines, summary, problems }
}
