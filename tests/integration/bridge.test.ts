import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../electron/bridge/server'
import { openClinic, type Clinic } from './harness'

/** A raw HTTP request, so that Host and Origin can be set as a hostile local program would. */
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

let clinic: Clinic
let bridge: Bridge
let token: string

beforeEach(async () => {
  clinic = await openClinic()
  const staticDir = join(clinic.dir, 'renderer')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head></head><body>app</body></html>')
  bridge = await startBridge({ router: clinic.router, staticDir, key: 'k-123' })
  const page = await send(`${bridge.url}/?key=k-123`)
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
    expect((await send(`${bridge.url}/?key=k-123`)).body).toContain('clinic-bridge-token')
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
    const second = /clinic-bridge-token" content="([^"]+)"/.exec((await send(`${bridge.url}/?key=k-123`)).body)![1]!
    const signIn = JSON.stringify({ channel: 'session.signIn', input: { username: 'admin', password: 'admin-password-1' } })
    expect(JSON.parse((await rpc({ authorization: `Bearer ${token}`, origin: bridge.url }, signIn)).body).ok).toBe(true)
    const state = JSON.parse((await rpc({ authorization: `Bearer ${second}`, origin: bridge.url })).body)
    expect(state.value.user).toBeNull()
  })

  it('refuses a body that is not JSON, naming it', async () => {
    const r = await rpc({ authorization: `Bearer ${token}`, origin: bridge.url }, '{not json')
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { body: 'is not JSON' } } })
  })
})
