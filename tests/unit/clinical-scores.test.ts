import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { genantGrade } from '../../shared/clinical/genant'
import { describeOdi, odiBand, scoreOdi, scoreRmdq } from '../../shared/clinical/scores'

const skipped = (answers: (number | null)[]) => answers

describe('Oswestry Disability Index', () => {
  it('scores a complete questionnaire as sum / 50 x 100', () => {
    expect(scoreOdi([0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual({ score: 0, band: 'minimal', sum: 0, answered: 10, notScored: null })
    expect(scoreOdi([5, 5, 5, 5, 5, 5, 5, 5, 5, 5])).toEqual({ score: 100, band: 'bedBound', sum: 50, answered: 10, notScored: null })
    expect(scoreOdi([3, 2, 4, 1, 3, 2, 2, 0, 3, 2])).toMatchObject({ score: 44, band: 'severe', sum: 22 })
  })

  it('drops a skipped section from the denominator, not just the sum', () => {
    // 22 of 45 (nine sections): 48.9%, not 44% as if the skipped section were 0
    expect(scoreOdi(skipped([3, 2, 4, 1, 3, 2, 2, null, 3, 2]))).toMatchObject({ score: 48.9, sum: 22, answered: 9 })
    // two skipped (the most allowed): 16 of 40
    expect(scoreOdi(skipped([2, 2, 2, 2, 2, 2, 2, 2, null, null]))).toMatchObject({ score: 40, band: 'moderate', answered: 8, notScored: null })
  })

  it('is not scored with more than two sections unanswered (ODI_MAX_UNANSWERED), or none answered', () => {
    expect(scoreOdi(skipped([2, 2, 2, 2, 2, 2, 2, null, null, null]))).toEqual({ score: null, band: null, sum: 14, answered: 7, notScored: 'tooManyUnanswered' })
    expect(scoreOdi(skipped([5, null, null, null, null, null, null, null, null, null]))).toMatchObject({ score: null, notScored: 'tooManyUnanswered' })
    expect(scoreOdi(Array(10).fill(null))).toEqual({ score: null, band: null, sum: 0, answered: 0, notScored: 'noAnswers' })
  })

  it('says the score, or why there is none', () => {
    expect(describeOdi(scoreOdi([3, 2, 4, 1, 3, 2, 2, null, 3, 2]))).toBe('ODI 48.9% · Severe disability (41-60%) · 9 of 10 sections answered')
    expect(describeOdi(scoreOdi([2, 2, 2, 2, 2, 2, 2, null, null, null]))).toBe('ODI not scored: 3 of 10 sections unanswered (at most 2 may be left out)')
    expect(describeOdi(scoreOdi(Array(10).fill(null)))).toBe('ODI: no section answered yet')
  })

  it('refuses the wrong number of sections or out-of-range answers', () => {
    expect(() => scoreOdi([1, 2, 3])).toThrow(/10 sections/)
    expect(() => scoreOdi([6, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow(/0 to 5/)
    expect(() => scoreOdi([1.5, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow(/0 to 5/)
  })

  it('bands at the published boundaries', () => {
    expect([0, 20, 20.5, 21, 40, 41, 60, 61, 80, 81, 100].map(odiBand)).toEqual([
      'minimal', 'minimal', 'moderate', 'moderate', 'moderate', 'severe', 'severe', 'crippling', 'crippling', 'bedBound', 'bedBound',
    ])
    // 10/50 = 20% exactly is minimal, 11/50 = 22% moderate
    expect(scoreOdi([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]).band).toBe('minimal')
    expect(scoreOdi([2, 1, 1, 1, 1, 1, 1, 1, 1, 1]).band).toBe('moderate')
  })

  const answers = fc.array(fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), { minLength: 10, maxLength: 10 })

  it('property: the score is between 0 and 100 and equals the mean answer x 20', () => {
    fc.assert(
      fc.property(answers, (a) => {
        const r = scoreOdi(a)
        const given = a.filter((x): x is number => x !== null)
        if (10 - given.length > 2) return r.score === null && r.answered === given.length
        const mean = given.reduce((s, x) => s + x, 0) / given.length
        return r.score! >= 0 && r.score! <= 100 && Math.abs(r.score! - mean * 20) <= 0.05 && r.answered === given.length
      }),
    )
  })

  it('property: skipping a section never changes the score of the others relative to the answered ones', () => {
    fc.assert(
      fc.property(answers, fc.integer({ min: 0, max: 9 }), (a, i) => {
        const full = a.map((x) => x ?? 0)
        const withSkip: (number | null)[] = [...full]
        withSkip[i] = null
        const others = full.filter((_, j) => j !== i)
        const r = scoreOdi(withSkip)
        return Math.abs(r.score! - (others.reduce((s, x) => s + x, 0) / (5 * 9)) * 100) <= 0.05
      }),
    )
  })

  it('property: answering one section higher never lowers the score', () => {
    fc.assert(
      fc.property(answers, fc.integer({ min: 0, max: 9 }), (a, i) => {
        const b = [...a]
        if (b[i] === null || b[i] === 5) return true
        b[i] = b[i]! + 1
        if (scoreOdi(a).score === null) return scoreOdi(b).score === null
        return scoreOdi(b).score! >= scoreOdi(a).score!
      }),
    )
  })
})

describe('Roland-Morris Disability Questionnaire', () => {
  it('counts the ticked statements', () => {
    expect(scoreRmdq(Array(24).fill(false))).toBe(0)
    expect(scoreRmdq(Array(24).fill(true))).toBe(24)
    expect(scoreRmdq(Array.from({ length: 24 }, (_, i) => i % 3 === 0))).toBe(8)
  })
  it('refuses a questionnaire without 24 items', () => {
    expect(() => scoreRmdq(Array(23).fill(true))).toThrow(/24 items/)
  })
  it('property: 0..24, and ticking one more adds one', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), fc.integer({ min: 0, max: 23 }), (t, i) => {
        const s = scoreRmdq(t)
        const more = [...t]
        more[i] = true
        return s >= 0 && s <= 24 && scoreRmdq(more) === s + (t[i] ? 0 : 1)
      }),
    )
  })
})

describe('Genant grade', () => {
  it('grades at the 20 / 25 / 40 % boundaries', () => {
    const cases: [number, number][] = [
      [0, 0], [19.9, 0], [19.999, 0], [20, 1], [22, 1], [24.99, 1], [25, 2], [30, 2], [40, 2], [40.01, 3], [75, 3], [100, 3],
    ]
    for (const [loss, grade] of cases) expect(genantGrade(loss), `${loss}%`).toBe(grade)
  })
  it('refuses a height loss outside 0..100 %', () => {
    for (const bad of [-1, 100.1, NaN, Infinity]) expect(() => genantGrade(bad)).toThrow(RangeError)
  })
  it('property: the grade never falls as the height loss grows', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        return genantGrade(lo) <= genantGrade(hi)
      }),
    )
  })
})
