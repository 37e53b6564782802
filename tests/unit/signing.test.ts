import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, sha256, stillMatches } from '../../electron/services/signing'

describe('signed content', () => {
  it('canonical JSON sorts keys at every depth, so the same content always hashes the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}')
    expect(sha256(canonicalJson({ a: 1, b: 2 }))).toBe(sha256(canonicalJson({ b: 2, a: 1 })))
  })

  it('a signed snapshot still matches when a later version adds a field, not when a value changes', () => {
    const signed = { fields: { painNrs: 8, notes: 'x' }, findings: [{ level: 'T12' }] }
    expect(stillMatches(signed, { fields: { painNrs: 8, notes: 'x', newField: 1 }, findings: [{ level: 'T12', extra: true }] })).toBe(true)
    expect(stillMatches(signed, { fields: { painNrs: 7, notes: 'x' }, findings: [{ level: 'T12' }] })).toBe(false)
    expect(stillMatches(signed, { fields: { painNrs: 8, notes: 'x' }, findings: [] })).toBe(false)
    expect(stillMatches(signed, { fields: { painNrs: 8 }, findings: [{ level: 'T12' }] })).toBe(false)
    expect(stillMatches({ a: null }, { a: null })).toBe(true)
    expect(stillMatches({ a: null }, { a: 0 })).toBe(false)
  })

  it('property: content matches itself after a JSON round trip, and its hash is stable', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v)
        return stillMatches(JSON.parse(text), JSON.parse(text)) && sha256(canonicalJson(JSON.parse(text))) === sha256(text)
      }),
    )
  })
})
