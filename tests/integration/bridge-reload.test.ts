/**
 * A reload through the development bridge: the new page (a new token) takes over the session of the page it
 * replaced, locked, when it presents that page's token; nothing else can take a session over.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../electron/bridge/server'
import { openClinic, PASSWORD, type Clinic } from './harness'

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

beforeEach(async () => {
  clinic = await openClinic()
  const staticDir = join(clinic.dir, 'renderer')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><head></head><body>app</body></html>')
  bridge = await startBridge({ router: clinic.router, staticDir, key: 'k-123-a-test-key-of-32-characters' })
})
afterEach(async () => {
  await bridge.close()
  await clinic.close()
})

async function openPage(): Promise<string> {
  const page = await send(`${bridge.url}/?key=k-123-a-test-key-of-32-characters`)
  return /clinic-bridge-token" content="([^"]+)"/.exec(page.body)![1]!
}

const post = (path: string, token: string, body: unknown, headers: Record<string, string> = { origin: '' }) =>
  send(`${bridge.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: bridge.url, ...headers },
    body: JSON.stringify(body),
  }).then((r) => ({ status: r.status, json: r.status === 200 ? (JSON.parse(r.body) as { ok: boolean; value?: any; error?: any }) : null }))

const rpc = (token: string, channel: string, input: unknown = {}) => post('/rpc', token, { channel, input }, {})

describe('development bridge: reloading a page', () => {
  it('keeps the user signed in to a locked screen; the old page token stops working', async () => {
    await clinic.as('physician', 'doc-bridge')
    const first = await openPage()
    expect((await rpc(first, 'session.signIn', { username: 'doc-bridge', password: PASSWORD })).json?.ok).toBe(true)
    expect((await rpc(first, 'drafts.save', { key: 'consultation:1', screen: '/consultations/1', json: '{"values":{"text":"typed"}}' })).json?.ok).toBe(true)

    const second = await openPage()
    expect((await rpc(second, 'session.state')).json?.value).toMatchObject({ user: null })
    expect((await post('/resume', second, { previous: first }, {})).json).toEqual({ ok: true, value: { resumed: true } })
    expect((await rpc(second, 'session.state')).json?.value).toMatchObject({ user: { username: 'doc-bridge' }, locked: true })
    expect((await rpc(first, 'session.state')).status).toBe(401)

    // the password, not a new sign-in, continues; the draft is there
    expect((await rpc(second, 'drafts.get', { key: 'consultation:1' })).json?.error).toMatchObject({ code: 'unauthenticated' })
    expect((await rpc(second, 'session.unlock', { password: PASSWORD })).json?.ok).toBe(true)
    expect((await rpc(second, 'drafts.get', { key: 'consultation:1' })).json?.value).toMatchObject({ json: '{"values":{"text":"typed"}}' })
  })

  it('takes over nothing without the old page token, from another origin, or twice', async () => {
    await clinic.as('physician', 'doc-bridge')
    const first = await openPage()
    await rpc(first, 'session.signIn', { username: 'doc-bridge', password: PASSWORD })
    const other = await openPage()
    expect((await post('/resume', other, { previous: 'guessed-token' }, {})).json?.value).toEqual({ resumed: false })
    expect((await post('/resume', other, { previous: other }, {})).json?.value).toEqual({ resumed: false })
    expect((await post('/resume', other, { previous: first }, { origin: 'http://evil.example' })).status).toBe(403)
    expect((await post('/resume', 'not-a-token', { previous: first }, {})).status).toBe(401)
    expect((await rpc(first, 'session.state')).json?.value).toMatchObject({ user: { username: 'doc-bridge' }, locked: false })
    expect((await rpc(other, 'session.state')).json?.value).toMatchObject({ user: null })

    // a page with no session hands nothing on, and its token is spent all the same
    const blank = await openPage()
    const next = await openPage()
    expect((await post('/resume', next, { previous: blank }, {})).json?.value).toEqual({ resumed: false })
    expect((await rpc(blank, 'session.state')).status).toBe(401)
  })
})
