/**
 * Genant semi-quantitative grade of a vertebral compression fracture from its height loss:
 * grade 0 under 20%; 1 (mild) 20% up to 25%; 2 (moderate) 25% up to and including 40%;
 * 3 (severe) over 40%. A value exactly on a boundary takes the higher grade at 20 and 25,
 * and grade 2 at 40 ("over 40%" is grade 3).
 */
export const GENANT_GRADES = [0, 1, 2, 3] as const
export type GenantGrade = (typeof GENANT_GRADES)[number]

export const GENANT_LABELS: Record<GenantGrade, string> = {
  0: 'Grade 0 (normal, under 20%)',
  1: 'Grade 1 mild (20-25%)',
  2: 'Grade 2 moderate (25-40%)',
  3: 'Grade 3 severe (over 40%)',
}

export function genantGrade(heightLossPercent: number): GenantGrade {
  if (!Number.isFinite(heightLossPercent) || heightLossPercent < 0 || heightLossPercent > 100) {
    throw new RangeError(`height loss must be 0 to 100 percent, got ${heightLossPercent}`)
  }
  if (heightLossPercent < 20) return 0
  if (heightLossPercent < 25) return 1
  if (heightLossPercent <= 40) return 2
  return 3
}
