import { describe, expect, it } from 'vitest'
import { delayAfter, FREE_FAILURES, MAX_DELAY_MS, WindowBackoff } from '../../electron/backoff'
import { currentScryptCost, hashPassword, needsRehash, OWASP_SCRYPT, parseHash, verifyPassword } from '../../electron/services/passwords'

describe('password hashes', () => {
  it('are made at OWASP’s scrypt minimum (N=2^17, r=8, p=1) or above, with the cost stored beside the hash', async () => {
    expect(OWASP_SCRYPT.N).toBeGreaterThanOrEqual(2 ** 17)
    expect(OWASP_SCRYPT.r).toBeGreaterThanOrEqual(8)
    expect(OWASP_SCRYPT.p).toBeGreaterThanOrEqual(1)
    expect(currentScryptCost()).toEqual(OWASP_SCRYPT)
    const stored = await hashPassword('a-real-password-1')
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/)
    expect(await verifyPassword('a-real-password-1', stored)).toBe(true)
    expect(await verifyPassword('a-real-password-2', stored)).toBe(false)
    expect(needsRehash(stored)).toBe(false)
  }, 30_000)

  it('verifies a hash made at an older, lower cost, and says it needs rehashing', async () => {
    // made by the app before this change: scrypt N=2^14 (its stored form), of "old-password-1"
    const { scryptSync, randomBytes } = await import('node:crypto')
    const salt = randomBytes(16)
    const key = scryptSync('old-password-1', salt, 32, { N: 16384, r: 8, p: 1 })
    const old = ['scrypt', 16384, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')
    expect(await verifyPassword('old-password-1', old)).toBe(true)
    expect(needsRehash(old)).toBe(true)
  })

  it('refuses stored values that are not its own hashes, or whose cost is out of range, without hashing', async () => {
    for (const bad of ['', 'plain-text', 'bcrypt$10$x$y', 'scrypt$16384$8$1$c2FsdA==', 'scrypt$3$8$1$c2FsdA==$aGFzaA==', 'scrypt$1073741824$8$1$c2FsdA==$aGFzaA==', 'scrypt$16384$8$1$c2FsdA==$aGFzaA==$extra']) {
      expect(parseHash(bad), bad).toBeNull()
      expect(await verifyPassword('x', bad), bad).toBe(false)
      expect(needsRehash(bad), bad).toBe(false)
    }
  })
})

describe('per-window backoff', () => {
  it('lets a window get a few wrong, then doubles its wait up to five minutes', () => {
    expect(Array.from({ length: FREE_FAILURES }, (_, i) => delayAfter(i))).toEqual([0, 0, 0])
    expect([3, 4, 5, 6, 11, 12, 40].map(delayAfter)).toEqual([1000, 2000, 4000, 8000, 256_000, MAX_DELAY_MS, MAX_DELAY_MS])
  })

  it('counts per window, from the last failure; success clears it; a reloaded page keeps it', () => {
    const b = new WindowBackoff()
    for (let i = 0; i < 4; i++) b.failed('w1', 10_000)
    expect(b.waitMs('w1', 10_000)).toBe(2000)
    expect(b.waitMs('w1', 11_500)).toBe(500)
    expect(b.waitMs('w1', 12_000)).toBe(0)
    expect(b.waitMs('w2', 10_000)).toBe(0)
    b.transfer('w1', 'w1-reloaded')
    expect(b.waitMs('w1-reloaded', 10_000)).toBe(2000)
    expect(b.waitMs('w1', 10_000)).toBe(0)
    b.succeeded('w1-reloaded')
    expect(b.waitMs('w1-reloaded', 10_000)).toBe(0)
  })

  it('forgets windows an hour after their last failure', () => {
    const b = new WindowBackoff()
    for (let i = 0; i < 10; i++) b.failed('old', 0)
    b.failed('new', 3_600_001)
    expect(b.waitMs('old', 3_600_001)).toBe(0)
  })
})
