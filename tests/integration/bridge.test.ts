import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBridge, TOKEN_MARGIN_MS, type Bridge } from '../../electron/bridge/server'
import { openClinic, PASSWORD, type Clinic } from './harness'

/** A raw HTTP request, so that Host and Origin can be set as a hostile local program would. */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string; setCookie: string[] }>((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, setCookie: res.headers['set-cookie'] ?? [] }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

let clinic: Clinic
let bridge: Bridge
let token: string
const clock = { ms: Date.now() }

beforeEach(async () => {
  clinic = await openClinic()
  const staticDir = join(clinic.dir, 'renderer')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head></head><body>app</body></html>')
  bridge = await startBridge({ router: clinic.router, staticDir, key: 'k-123-a-test-key-of-32-characters', now: () => clock.ms })
  const page = await send(`${bridge.url}/?key=k-123-a-test-key-of-32-characters`)
  token = /clinic-bridge-token" content="([^"]+)"/.exec(page.body)![1]!
})
afterEach(async () => {
  await bridge.close()
  await clinic.close()
})

const rpc = (headers: Record<string, string>, body = JSON.stringify({ channel: 'session.state', input: {} })) =>
  send(`${bridge.url}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

describe('development bridge', () => {
  it('listens on the loopback address only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('serves the app only with the per-run key, and with a Content-Security-Policy', async () => {
    expect((await send(`${bridge.url}/`)).status).toBe(403)
    expect((await send(`${bridge.url}/?key=wrong`)).status).toBe(403)
    expect((await send(`${bridge.url}/?key=k-123-a-test-key-of-32-characters`)).body).toContain('clinic-bridge-token')
  })

  it('answers a call with a valid page token from its own origin', async () => {
    const r = await rpc({ authorization: `Bearer ${token}`, origin: bridge.url })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { needsSetup: false } })
  })

  it('refuses a call without a token, with an unknown token, from another origin, or to another Host name', async () => {
    expect((await rpc({ origin: bridge.url })).status).toBe(401)
    expect((await rpc({ authorization: 'Bearer forged', origin: bridge.url })).status).toBe(401)
    expect((await rpc({ authorization: `Bearer ${token}`, origin: 'http://evil.example' })).status).toBe(403)
    expect((await rpc({ authorization: `Bearer ${token}`, origin: bridge.url, host: 'evil.example' })).status).toBe(403)
  })

  it('keeps each page signed in separately: a second page token is a different window', async () => {
    const second = /clinic-bridge-token" content="([^"]+)"/.exec((await send(`${bridge.url}/?key=k-123-a-test-key-of-32-characters`)).body)![1]!
    const signIn = JSON.stringify({ channel: 'session.signIn', input: { username: 'admin', password: 'admin-password-1' } })
    expect(JSON.parse((await rpc({ authorization: `Bearer ${token}`, origin: bridge.url }, signIn)).body).ok).toBe(true)
    const state = JSON.parse((await rpc({ authorization: `Bearer ${second}`, origin: bridge.url })).body)
    expect(state.value.user).toBeNull()
  })

  it('refuses a body that is not JSON, naming it', async () => {
    const r = await rpc({ authorization: `Bearer ${token}`, origin: bridge.url }, '{not json')
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { body: 'is not JSON' } } })
  })

  it('refuses to start with an empty or short key', async () => {
    const staticDir = join(clinic.dir, 'renderer')
    for (const key of ['', 'e2e-test-key-not-secret', 'x'.repeat(31)]) {
      await expect(startBridge({ router: clinic.router, staticDir, key }), JSON.stringify(key)).rejects.toThrow(/at least 32 characters/)
    }
    const fine = await startBridge({ router: clinic.router, staticDir, key: 'x'.repeat(32) })
    await fine.close()
    const random = await startBridge({ router: clinic.router, staticDir })
    expect(random.key.length).toBeGreaterThanOrEqual(32)
    await random.close()
  })

  it('serves a reload without the key in the address from its HttpOnly, same-site cookie, and nothing with a wrong one', async () => {
    const first = await send(`${bridge.url}/?key=k-123-a-test-key-of-32-characters`)
    const cookie = first.setCookie.find((c) => c.startsWith('clinic_bridge_key_'))!
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict; Path=\//)
    const pair = cookie.split(';')[0]!
    expect((await send(`${bridge.url}/`, { headers: { cookie: pair } })).body).toContain('clinic-bridge-token')
    expect((await send(`${bridge.url}/`, { headers: { cookie: `${pair.split('=')[0]}=wrong` } })).status).toBe(403)
    expect((await send(`${bridge.url}/`, { headers: { cookie: 'clinic_bridge_key_1=k-123-a-test-key-of-32-characters' } })).status).toBe(403)
  })

  it('expires a page token unused for longer than the idle-lock time and a margin; use keeps it alive', async () => {
    const idleMs = await clinic.router.idleLockMs()
    const state = () => rpc({ authorization: `Bearer ${token}`, origin: bridge.url })
    clock.ms += idleMs + TOKEN_MARGIN_MS - 1000
    expect((await state()).status).toBe(200)
    clock.ms += idleMs + TOKEN_MARGIN_MS - 1000
    expect((await state()).status).toBe(200)
    clock.ms += idleMs + TOKEN_MARGIN_MS + 1
    expect((await state()).status).toBe(401)
    // and stays expired
    clock.ms += 1
    expect((await state()).status).toBe(401)
  })

  it("passes the page's report of the person's idle time to the router: input keeps it unlocked, refreshes alone do not", async () => {
    await clinic.as('frontDesk', 'desk-bridge')
    const call = (channel: string, input: unknown, idleMs?: number) =>
      rpc({ authorization: `Bearer ${token}`, origin: bridge.url }, JSON.stringify({ channel, input, idleMs })).then((r) => JSON.parse(r.body) as { ok: boolean; error?: { detail?: unknown } })
    expect((await call('session.signIn', { username: 'desk-bridge', password: PASSWORD }, 0)).ok).toBe(true)
    const start = clinic.clock.now.getTime()
    // the person clicked just now (5 minutes in), then again at 11 minutes: not idle for 10 minutes
    clinic.clock.now = new Date(start + 5 * 60_000)
    expect((await call('patients.search', { q: 'x' }, 0)).ok).toBe(true)
    clinic.clock.now = new Date(start + 11 * 60_000)
    expect((await call('patients.search', { q: 'x' }, 0)).ok).toBe(true)
    // then only refreshes, for 11 minutes
    clinic.clock.now = new Date(start + 22 * 60_000)
    expect(await call('patients.search', { q: 'x' }, 11 * 60_000)).toMatchObject({ ok: false, error: { detail: { locked: true } } })
  })
})
