/**
 * Every channel of the contract (iterated from CHANNELS, so a new channel is covered without touching
 * this file) against hostile callers:
 *
 * - the authorization matrix: every channel x every role, a signed-out window and a locked screen,
 *   compared with the channel's `access`; a refused call changes nothing but the audit log's
 *   `access.denied` row (compared by a digest of every table's content, digest.ts: a partial UPDATE leaves
 *   the row counts equal);
 * - property-based hostile input (fast-check): wrong types, huge strings, SQL and HTML fragments,
 *   prototype-pollution keys, invalid dates, NaN, deeply nested objects; never an `internal` error,
 *   never a partial write, and `invalid_input` naming a field whenever the input does not match the
 *   channel's schema.
 */
import fc from 'fast-check'
import { z } from 'zod'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CHANNELS, contract, type Channel, type ChannelDef } from '../../shared/contract'
import type { RpcResult } from '../../shared/result'
import { ROLES, type Role } from '../../shared/roles'
import type { SessionUser } from '../../shared/schemas/session'
import { channelSamples } from './channelSamples'
import { auditRowsAfter, changedTables, databaseDigest, type DatabaseDigest } from './digest'
import { describeEachEngine, newWindow, openClinic, SAMPLE_PATIENT, type Clinic, type TestEngine } from './harness'
import { fieldName } from '../../shared/fieldNames'

interface World {
  clinic: Clinic
  users: Record<Role, SessionUser>
  sample(channel: Channel): Promise<unknown>
}

async function makeWorld(engine: TestEngine): Promise<World> {
  const clinic = await openClinic({ engine })
  const users = {} as Record<Role, SessionUser>
  for (const role of ROLES) users[role] = clinic.router.sessions.get(await clinic.as(role))!.user
  const desk = newWindow()
  clinic.router.sessions.signIn(desk, users.frontDesk, clinic.clock.now.getTime(), { sessionVersion: await sessionVersion(clinic, users.frontDesk.id) })
  const patient = await clinic.ok(desk, 'patients.register', SAMPLE_PATIENT)
  const samples = channelSamples({
    deskUsername: users.frontDesk.username,
    deskId: users.frontDesk.id,
    patientId: patient.id,
    settingsVersion: async () => (await clinic.database.db.selectFrom('settings').select('version').executeTakeFirstOrThrow()).version,
  })
  return { clinic, users, sample: async (c) => (samples[c] ? await samples[c]!() : {}) }
}

type Caller = { label: string; role?: Role; locked?: boolean }
const CALLERS: Caller[] = [
  ...ROLES.map((role) => ({ label: role, role })),
  { label: 'signed-out window' },
  ...ROLES.map((role) => ({ label: `${role} with the screen locked`, role, locked: true })),
]

/** The user's session version now (a sample may have reset the front desk's password, which raises it). */
async function sessionVersion(clinic: Clinic, userId: number): Promise<number> {
  return (await clinic.database.db.selectFrom('users').select('session_version').where('id', '=', userId).executeTakeFirstOrThrow()).session_version
}

/** A fresh window for the caller (sessions are put in place directly: no password hashing per call). */
async function windowFor(world: World, caller: Caller): Promise<string> {
  const w = newWindow()
  if (caller.role) {
    const user = world.users[caller.role]
    world.clinic.router.sessions.signIn(w, user, world.clinic.clock.now.getTime(), { sessionVersion: await sessionVersion(world.clinic, user.id) })
    if (caller.locked) world.clinic.router.sessions.get(w)!.locked = true
  }
  return w
}

type Expected = 'allowed' | 'unauthenticated' | 'forbidden'
function expectedFor(channel: Channel, caller: Caller): Expected {
  const access = contract[channel].access
  if (access === 'public') return 'allowed'
  if (!caller.role) return 'unauthenticated'
  if (access === 'session') return 'allowed'
  if (caller.locked) return 'unauthenticated'
  return (access as readonly Role[]).includes(caller.role) ? 'allowed' : 'forbidden'
}

/** A refusal by the router's authorization step (as opposed to a service saying no for a domain reason). */
function isAuthRefusal(r: RpcResult<unknown>): boolean {
  if (r.ok) return false
  return (r.error.code === 'unauthenticated' && /Please sign in|screen is locked/.test(r.error.message)) || (r.error.code === 'forbidden' && /may not do this/.test(r.error.message))
}

describeEachEngine('authorization matrix on %s (every channel x every role, signed out, locked)', (engine) => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld(engine)
  }, 60_000)
  afterAll(async () => world?.clinic.close())

  for (const channel of CHANNELS) {
    it(`${channel} (${JSON.stringify(contract[channel].access)})`, async () => {
      for (const caller of CALLERS) {
        const expected = expectedFor(channel, caller)
        const w = await windowFor(world, caller)
        const before = await snapshot(world)
        const r = await world.clinic.router.call(w, channel, await world.sample(channel))
        const what = `${channel} as ${caller.label}`
        if (expected === 'allowed') {
          expect(isAuthRefusal(r), `${what} was refused: ${JSON.stringify(r)}`).toBe(false)
          continue
        }
        expect(r.ok, `${what} succeeded`).toBe(false)
        if (r.ok) continue
        expect(r.error.code, what).toBe(expected)
        // A refusal leaves no trace (no table's content changed) but, for a signed-in user, the audit row saying so.
        expect(await changedBy(world, before, false), what).toEqual({ tables: [], auditRows: expected === 'forbidden' ? 1 : 0 })
        if (expected === 'forbidden') {
          const row = await world.clinic.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
          expect(row).toMatchObject({ action: 'access.denied', user_id: world.users[caller.role!].id })
          expect(JSON.parse(row.details)).toEqual({ channel })
        }
      }
    })
  }

  it('covers every channel of the contract', () => {
    expect(CHANNELS.length).toBe(Object.keys(contract).length)
    expect(CHANNELS.length).toBeGreaterThan(10)
  })
})

// ---------------------------------------------------------------------------------------------------
// Hostile input

const NASTY_STRINGS = [
  "'; DROP TABLE patients; --",
  "1' OR '1'='1",
  '" OR ""="',
  "admin'--",
  'Robert"); DELETE FROM audit_log; --',
  '%',
  '_%_',
  '\\',
  '*',
  '"*"',
  'NEAR(a b)',
  'a AND OR NOT',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7}',
  '\u0000',
  'a\u0000b',
  '\uFFFF',
  '\uD800',
  '\u202Eevil',
  '🦴🦴',
  'İıǅ',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '1948-02-29T00:00:00Z',
  '9999-12-31T25:61:61.000Z',
  '-0001-01-01',
  '1e309',
  '-1',
  '0',
  '',
  ' ',
  '\n\r\t',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  'C:\\Windows\\System32',
  '/dev/null',
  'x'.repeat(5_000),
  'é'.repeat(100_001),
]
const NASTY_NUMBERS = [NaN, Infinity, -Infinity, -0, 0, -1, 1, 1.5, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, -(2 ** 63), 1e308, Number.MIN_VALUE]
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', '__defineGetter__', 'toString', 'valueOf']

function deep(depth: number, kind: 'object' | 'array'): unknown {
  let v: unknown = 'bottom'
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { a: v } : [v]
  return v
}

/** An object with own properties named as given, including __proto__ (as JSON.parse would make it). */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  return o
}

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 1, arbitrary: fc.bigInt() },
  { weight: 1, arbitrary: fc.constantFrom(deep(3000, 'object'), deep(3000, 'array'), JSON.parse('{"__proto__":{"polluted":true}}'), new Map([['a', 1]]), new Uint8Array(4)) },
)

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...POLLUTION_KEYS, 'a', 'id'), leaf), { maxLength: 3 }).map(objectOf) },
)

function shapeKeys(channel: Channel): string[] {
  const schema = contract[channel].input
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
}

/** Random objects over the channel's own field names (plus pollution keys), or anything at all. */
function randomInput(channel: Channel): fc.Arbitrary<unknown> {
  const keys = [...shapeKeys(channel), ...POLLUTION_KEYS]
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 8 }).map(objectOf) },
    { weight: 1, arbitrary: value },
    { weight: 1, arbitrary: fc.constantFrom(JSON.parse('{"__proto__":{"polluted":true}}'), JSON.parse('{"constructor":{"prototype":{"polluted":true}}}')) },
  )
}

/** The channel's sample with one to three fields replaced, removed, or joined by unexpected keys. */
function mutatedSample(world: World, channel: Channel): fc.Arbitrary<() => Promise<unknown>> {
  const keys = shapeKeys(channel)
  const edit = fc.tuple(fc.constantFrom(...(keys.length ? keys : ['x']), ...POLLUTION_KEYS), fc.oneof(value, fc.constant(Symbol.for('remove'))))
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => async () => {
    const base = await world.sample(channel)
    if (typeof base !== 'object' || base === null) return base
    const entries = Object.entries(base as Record<string, unknown>)
    for (const [k, v] of edits) {
      const i = entries.findIndex(([key]) => key === k)
      if (i >= 0) entries.splice(i, 1)
      if (v !== Symbol.for('remove')) entries.push([k, v])
    }
    return objectOf(entries)
  })
}

/** The input, short enough for a failure message. */
function preview(v: unknown): string {
  try {
    const text = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x))
    return text === undefined ? String(v) : text.length > 300 ? `${text.slice(0, 300)}...` : text
  } catch {
    return Object.prototype.toString.call(v)
  }
}

/** A wrong password is counted on the account on purpose: a refused sign-in compares `users` without those columns. */
const WRONG_PASSWORD_COLUMNS = { users: ['failed_attempts', 'locked_until'] } as const

/** Every table's content before a call (digest.ts). */
const snapshot = (world: World) => databaseDigest(world.clinic.database, { alsoWithout: WRONG_PASSWORD_COLUMNS })

/**
 * What a call changed since `before`: the tables whose content differs (nothing but the wrong-password count of
 * an `audited` refusal may), and how many audit rows it added.
 */
async function changedBy(world: World, before: DatabaseDigest, audited: boolean, passwordAsked = false): Promise<{ tables: string[]; auditRows: number }> {
  const after = await databaseDigest(world.clinic.database, { auditThrough: before.auditMaxId, alsoWithout: WRONG_PASSWORD_COLUMNS })
  // the right password, asked again, clears the count an earlier wrong one left (then the call may still be refused)
  return { tables: changedTables(before, after, audited || passwordAsked ? { except: ['users'] } : {}), auditRows: await auditRowsAfter(world.clinic.database, before) }
}

/** Channels that check the caller's password: a right one resets the account's count of wrong ones. */
const asksPassword = (channel: Channel) =>
  channel === 'session.signIn' || channel === 'session.unlock' || channel === 'session.changePassword' || (contract[channel] as ChannelDef).reauthenticate === true

/**
 * Wrong passwords are recorded on purpose (sign-in, unlock, changing one's password, the password asked again
 * when signing a record): the refusal keeps its audit row and the account's count of wrong passwords.
 */
function auditedRefusal(channel: Channel, r: RpcResult<unknown>): boolean {
  return !r.ok && r.error.code === 'unauthenticated' && asksPassword(channel)
}

describeEachEngine('hostile input on every channel on %s', (engine) => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld(engine)
  }, 60_000)
  afterAll(async () => world?.clinic.close())

  for (const channel of CHANNELS) {
    it(`${channel}: no crash, no partial write, invalid_input names a field`, async () => {
      const access = contract[channel].access
      const roles: Role[] = Array.isArray(access) ? [...(access as readonly Role[])] : [...ROLES]
      const caller = fc.constantFrom<Caller>(...roles.map((role) => ({ label: role, role })), ...(access === 'public' ? [{ label: 'signed-out window' }] : []))
      const input = fc.oneof(randomInput(channel).map((v) => async () => v), mutatedSample(world, channel))
      await fc.assert(
        fc.asyncProperty(caller, input, async (who, makeInput) => {
          const raw = await makeInput()
          const w = await windowFor(world, who)
          const before = await snapshot(world)
          const r = await world.clinic.router.call(w, channel, raw)
          const label = `${channel} as ${who.label} with ${preview(raw)}: ${r.ok ? 'ok' : `${r.error.code} ${r.error.message}`}`
          if (r.ok) return
          expect(r.error.code, label).not.toBe('internal')
          const audited = auditedRefusal(channel, r)
          const changed = await changedBy(world, before, audited, asksPassword(channel))
          expect(changed.tables, label).toEqual([])
          if (!audited) expect(changed.auditRows, label).toBe(0)

          let valid: boolean
          try {
            valid = contract[channel].input.safeParse(raw === undefined ? {} : raw).success
          } catch {
            valid = false
          }
          if (!valid) {
            expect(r.error.code, label).toBe('invalid_input')
            const fields = Object.keys(r.error.fields ?? {})
            expect(fields.length, label).toBeGreaterThan(0)
            // named in words ("Finding 1, level"), never by its path
            expect(r.error.message, label).toContain(fieldName(fields[0]!))
          }
          expect(({} as Record<string, unknown>).polluted, 'Object.prototype was polluted').toBeUndefined()
        }),
        { numRuns: 40, endOnFailure: true },
      )
      expect(Object.prototype).not.toHaveProperty('polluted')
    }, 60_000)
  }

  it('every field of every sample, one hostile value at a time: no crash, no partial write', async () => {
    const strings = ['\u0000', 'a\u0000b', '\uD800', '\u202Eevil', "'; DROP TABLE patients; --", '%_\\', '<script>alert(1)</script>', 'é'.repeat(100_001), '']
    const numbers = [2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, -0, 0.5, 1e308]
    for (const channel of CHANNELS) {
      const base = await world.sample(channel)
      if (!base || typeof base !== 'object' || Object.keys(base).length === 0) continue
      const access = contract[channel].access
      const role: Role = Array.isArray(access) ? (access as readonly Role[])[0]! : 'frontDesk'
      for (const [key, original] of Object.entries(base)) {
        const values = typeof original === 'number' ? numbers : typeof original === 'string' ? strings : [...strings.slice(0, 2), ...numbers.slice(0, 2)]
        for (const v of values) {
          const input = { ...(await world.sample(channel) as Record<string, unknown>), [key]: v }
          const before = await snapshot(world)
          const r = await world.clinic.router.call(await windowFor(world, { label: role, role }), channel, input)
          const label = `${channel}.${key} = ${preview(v)}: ${r.ok ? 'ok' : `${r.error.code} ${r.error.message}`}`
          if (r.ok) continue
          expect(r.error.code, label).not.toBe('internal')
          const audited = auditedRefusal(channel, r)
          const changed = await changedBy(world, before, audited, asksPassword(channel))
          expect(changed.tables, label).toEqual([])
          if (!audited) expect(changed.auditRows, label).toBe(0)
        }
      }
    }
  }, 120_000)

  it('the router refuses unknown and malicious channel names as invalid input', async () => {
    const w = await windowFor(world, { label: 'admin', role: 'admin' })
    for (const name of ['__proto__', 'constructor', 'toString', 'patients.search ', 'PATIENTS.SEARCH', '', null, 42, {}, ['patients.search']]) {
      const r = await world.clinic.router.call(w, name, {})
      expect(r, String(name)).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { channel: expect.any(String) } } })
    }
  })
})
