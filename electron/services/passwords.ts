import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * scrypt's cost. OWASP's Password Storage Cheat Sheet
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html, "scrypt"): "use scrypt with
 * a minimum CPU/memory cost parameter of (2^17), a minimum block size of 8 (1024 bytes), and a parallelization
 * parameter of 1". That is what a new hash gets: 128 MiB and a few hundred milliseconds per hash, which is why
 * no password is hashed inside a write transaction (services/session.ts, services/users.ts) and at most two are
 * hashed at once (`derive`).
 */
export const OWASP_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const
const KEYLEN = 32

export interface ScryptCost {
  N: number
  r: number
  p: number
}

let current: ScryptCost = OWASP_SCRYPT

/**
 * Lowers the cost of new hashes, for the integration tests only (tests/integration/harness.ts): they create
 * and sign in hundreds of users, and at the real cost each one takes a few hundred milliseconds of CPU. It is a
 * function, not an environment switch, so no installed app can be talked into weaker hashes; the unit tests,
 * the bundled app the browser tests run and the benchmarks hash at the real cost.
 */
export function setScryptCostForTests(cost: ScryptCost | null): void {
  current = cost ?? OWASP_SCRYPT
  dummy = undefined
}

/** The cost new hashes get (and below which a stored hash is rehashed at the next sign-in). */
export function currentScryptCost(): ScryptCost {
  return current
}

// Each derivation holds 128 * N * r bytes (128 MiB at the OWASP cost) in libuv's thread pool; two at a time
// keeps a burst of sign-ins from taking half a gigabyte, and leaves the pool's other threads for file work.
const MAX_PARALLEL = 2
let running = 0
const waiting: (() => void)[] = []

async function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  while (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve))
  running++
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scrypt(password.normalize('NFC'), salt, KEYLEN, { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r + 16 * 1024 * 1024 }, (err, key) =>
        err ? reject(err) : resolve(key),
      ),
    )
  } finally {
    running--
    waiting.shift()?.()
  }
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so an older hash still verifies after they rise. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, current)
  return ['scrypt', current.N, current.r, current.p, salt.toString('base64'), key.toString('base64')].join('$')
}

interface ParsedHash {
  cost: ScryptCost
  salt: Buffer
  hash: Buffer
}

/** The stored hash's parts, or null when it is not one this app wrote (or its cost is out of any sane range). */
export function parseHash(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, hash, extra] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash || extra !== undefined) return null
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  const power = Math.log2(cost.N)
  if (!Number.isInteger(power) || power < 10 || power > 22 || !Number.isInteger(cost.r) || cost.r < 1 || cost.r > 32 || !Number.isInteger(cost.p) || cost.p < 1 || cost.p > 16) return null
  return { cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') }
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const actual = await derive(password, parsed.salt, parsed.cost)
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash)
}

/** True when the hash was made at a lower cost than new hashes get: the next successful sign-in rehashes it. */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const { N, r, p } = parsed.cost
  return N < current.N || r < current.r || p < current.p
}

let dummy: string | undefined

/**
 * Spent on an unknown or inactive user name, or a locked account, so that its answer takes as long as a wrong
 * password's: a hash at the current cost (made once, of a random password nobody knows).
 */
export async function dummyHash(): Promise<string> {
  dummy ??= await hashPassword(randomBytes(16).toString('base64'))
  return dummy
}
