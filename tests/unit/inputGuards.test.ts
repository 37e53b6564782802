import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkInputStrings } from '../../electron/inputGuards'

describe('the router\'s guard on every input', () => {
  it('names the field holding a NUL character', () => {
    expect(checkInputStrings({ a: 'ok', notes: 'x\u0000y' })).toEqual({ ok: false, field: 'notes', message: 'must not contain a NUL character' })
    expect(checkInputStrings({ findings: [{ level: 'T12' }, { notes: '\u0000' }] })).toMatchObject({ ok: false, field: 'findings.1.notes' })
    expect(checkInputStrings('\u0000')).toMatchObject({ ok: false, field: 'input' })
  })

  it('lets everything else through, including cycles and deep nesting, without blowing the stack', () => {
    const cyclic: Record<string, unknown> = { a: 'x' }
    cyclic.self = cyclic
    expect(checkInputStrings(cyclic)).toEqual({ ok: true })
    let deep: unknown = 'bottom'
    for (let i = 0; i < 50_000; i++) deep = { a: deep }
    expect(checkInputStrings(deep)).toEqual({ ok: true })
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const values = (x: unknown): string[] => (typeof x === 'string' ? [x] : x && typeof x === 'object' ? Object.values(x).flatMap(values) : [])
      const hasNul = values(v).some((t) => t.includes('\u0000'))
      expect(checkInputStrings(v).ok).toBe(!hasNul)
    }))
  })

  it('refuses an absurdly large input', () => {
    expect(checkInputStrings({ list: Array.from({ length: 200_000 }, () => 1) })).toEqual({ ok: false, field: 'input', message: 'is too large' })
  })
})
