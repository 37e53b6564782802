/** Vertebral levels C1..S5 in cranio-caudal order, with their region. */
export const VERTEBRAL_LEVELS = [
  'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'C7',
  'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12',
  'L1', 'L2', 'L3', 'L4', 'L5',
  'S1', 'S2', 'S3', 'S4', 'S5',
] as const
export type VertebralLevel = (typeof VERTEBRAL_LEVELS)[number]

export const SPINE_REGIONS = ['cervical', 'thoracic', 'lumbar', 'sacral'] as const
export type SpineRegion = (typeof SPINE_REGIONS)[number]

const REGION_BY_LETTER: Record<string, SpineRegion> = { C: 'cervical', T: 'thoracic', L: 'lumbar', S: 'sacral' }

export function isVertebralLevel(s: unknown): s is VertebralLevel {
  return typeof s === 'string' && (VERTEBRAL_LEVELS as readonly string[]).includes(s)
}

export function levelRegion(level: VertebralLevel): SpineRegion {
  return REGION_BY_LETTER[level[0]!]!
}

/** 0 for C1 .. 28 for S5. */
export function levelIndex(level: VertebralLevel): number {
  return VERTEBRAL_LEVELS.indexOf(level)
}

export function compareLevels(a: VertebralLevel, b: VertebralLevel): number {
  return levelIndex(a) - levelIndex(b)
}

/** Distinct levels, cranial first. */
export function sortLevels(levels: readonly VertebralLevel[]): VertebralLevel[] {
  return [...new Set(levels)].sort(compareLevels)
}

/** Levels at which vertebroplasty and kyphoplasty are usually done (T1 to L5). */
export function isUsualAugmentationLevel(level: VertebralLevel): boolean {
  const r = levelRegion(level)
  return r === 'thoracic' || r === 'lumbar'
}

/** 'T12, L1' */
export function formatLevels(levels: readonly VertebralLevel[]): string {
  return sortLevels(levels).join(', ')
}
