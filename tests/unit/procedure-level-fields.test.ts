/**
 * Issue 17 point 7, the note's per-level fields and the visit's RMDQ at their boundaries: the angle after
 * (-90..90, the consultation's range), the lot and device texts' lengths, the leak locations (new) beside the old
 * classification (read, labelled), a symptomatic leak blocking a same-day discharge at every location, and the
 * biopsy result's values.
 */
import { describe, expect, it } from 'vitest'
import { sameDayDischargeBlockers, type SameDayFacts } from '../../shared/clinical/discharge'
import { FollowUpVisitFields } from '../../shared/schemas/outcomes'
import {
  BIOPSY_RESULTS,
  CEMENT_LOT_MAX,
  DEVICE_IDS_MAX,
  isLegacyLeak,
  LEAK_LOCATIONS,
  LEAKAGE_LABELS,
  LEAKAGE_VALUES,
  LEGACY_LEAK_TYPES,
  LevelFields,
  RecordBiopsyResult,
  STORED_LEAKAGE_VALUES,
} from '../../shared/schemas/procedures'

const issues = (input: Record<string, unknown>) => {
  const r = LevelFields.safeParse({ level: 'T12', ...input })
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'))
}

describe('a level of the procedure note', () => {
  it('takes a kyphotic angle after of -90 to 90 degrees, or none', () => {
    for (const ok of [-90, -89.5, 0, 12.5, 90, null]) expect(issues({ kyphoticAngleAfter: ok }), String(ok)).toEqual([])
    for (const bad of [-91, -90.1, 90.1, 91, '10']) expect(issues({ kyphoticAngleAfter: bad }), String(bad)).toEqual(['kyphoticAngleAfter'])
    expect(LevelFields.parse({ level: 'T12' }).kyphoticAngleAfter).toBeNull()
  })

  it('takes a cement lot and device identifiers up to their lengths, trimmed', () => {
    expect(issues({ cementLot: 'x'.repeat(CEMENT_LOT_MAX) })).toEqual([])
    expect(issues({ cementLot: 'x'.repeat(CEMENT_LOT_MAX + 1) })).toEqual(['cementLot'])
    expect(issues({ deviceIds: 'x'.repeat(DEVICE_IDS_MAX) })).toEqual([])
    expect(issues({ deviceIds: 'x'.repeat(DEVICE_IDS_MAX + 1) })).toEqual(['deviceIds'])
    expect(LevelFields.parse({ level: 'T12', cementLot: '  KX-1  ' }).cementLot).toBe('KX-1')
    expect(LevelFields.parse({ level: 'T12' })).toMatchObject({ cementLot: '', deviceIds: '', biopsyTaken: null })
  })

  it('says yes or no to a biopsy', () => {
    expect(issues({ biopsyTaken: true })).toEqual([])
    expect(issues({ biopsyTaken: 'yes' })).toEqual(['biopsyTaken'])
  })

  it('offers the SIR/CIRSE leak locations, and still reads the old classification with its labels', () => {
    expect(LEAKAGE_VALUES).toEqual(['none', 'epidural', 'foraminal', 'paravertebral', 'venous', 'disc'])
    for (const v of LEAKAGE_VALUES) expect(issues({ leakage: [v] }), v).toEqual([])
    // old notes hold these: readable (the router's view schema is this one); a new value is refused by the service
    for (const v of LEGACY_LEAK_TYPES) {
      expect(issues({ leakage: [v] }), v).toEqual([])
      expect(isLegacyLeak(v)).toBe(true)
    }
    for (const v of LEAKAGE_VALUES) expect(isLegacyLeak(v)).toBe(false)
    for (const v of STORED_LEAKAGE_VALUES) expect(LEAKAGE_LABELS[v]).toMatch(/^[A-Z]/)
    expect(LEAKAGE_LABELS.segmentalVein).toBe('Segmental vein')
    expect(issues({ leakage: ['subdural'] })).toEqual(['leakage.0'])
    expect(issues({ leakage: ['none', 'epidural'] })).toEqual(['leakage'])
    // stored order, whatever order they were ticked in
    expect(LevelFields.parse({ level: 'T12', leakage: ['disc', 'segmentalVein', 'epidural'] }).leakage).toEqual(['epidural', 'disc', 'segmentalVein'])
  })

  it('a symptomatic leak refuses a same-day discharge at every location, old or new; an asymptomatic one does not', () => {
    const facts = (levels: SameDayFacts['levels']): SameDayFacts => ({
      arrivedAt: null,
      checks: [],
      schedule: null,
      checklist: [],
      timeFlags: [],
      sedation: { scale: 'aldrete', dischargeScore: 9 },
      levels,
      timeZone: 'America/New_York',
    })
    for (const location of [...LEAK_LOCATIONS, ...LEGACY_LEAK_TYPES]) {
      const blockers = (symptomatic: boolean) => sameDayDischargeBlockers(facts([{ level: 'L1', leakage: [location], leakageSymptomatic: symptomatic }])).filter((b) => b.rule === 'symptomaticLeak')
      expect(blockers(true), location).toHaveLength(1)
      expect(blockers(false), location).toHaveLength(0)
    }
  })
})

describe('a biopsy result', () => {
  it('is one of the pathology answers, with an optional report text', () => {
    for (const result of BIOPSY_RESULTS) expect(RecordBiopsyResult.safeParse({ procedureId: 1, level: 'T12', result }).success).toBe(true)
    expect(RecordBiopsyResult.safeParse({ procedureId: 1, level: 'T12', result: 'tumour' }).success).toBe(false)
    expect(RecordBiopsyResult.safeParse({ procedureId: 1, level: 'X1', result: 'benign' }).success).toBe(false)
    expect(RecordBiopsyResult.safeParse({ procedureId: 1, level: 'T12', result: 'benign', text: 'x'.repeat(4001) }).success).toBe(false)
  })
})

describe('Roland-Morris at a follow-up visit', () => {
  const visit = (rmdqAnswers: unknown) => FollowUpVisitFields.safeParse({ visitDate: '2026-12-14', rmdqAnswers })
  it('takes all 24 statements or none', () => {
    expect(visit(Array(24).fill(false)).success).toBe(true)
    expect(visit(null).success).toBe(true)
    expect(FollowUpVisitFields.parse({ visitDate: '2026-12-14' }).rmdqAnswers).toBeNull()
    for (const bad of [Array(23).fill(true), Array(25).fill(true), Array(24).fill(1)]) {
      const r = visit(bad)
      expect(r.success).toBe(false)
      if (!r.success) expect(r.error.issues[0]!.path[0]).toBe('rmdqAnswers')
    }
  })
})
