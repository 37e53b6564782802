/**
 * The development bridge: the same router over HTTP on 127.0.0.1, for machines where Electron cannot
 * run and for the browser tests. It serves the built renderer only to a caller that presents the
 * per-run key (printed in the address), mints a token per page load that acts as that page's window
 * id, and accepts calls only with a valid token, from its own origin and its own Host name.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import type { AppEvent } from '../../shared/contract'
import type { Router } from '../rpc'
import { CONTENT_SECURITY_POLICY } from '../contentSecurityPolicy'
import { MAX_BASE64_LENGTH } from '../../shared/schemas/documents'

export interface BridgeOptions {
  router: Router
  /** Folder of the built renderer (index.html and assets/). */
  staticDir: string
  port?: number
  /** The per-run secret; random unless given (tests pass one; at least MIN_KEY_LENGTH characters). */
  key?: string
  /** The clock page tokens expire by (tests move it). */
  now?: () => number
}

/** A given key shorter than this is refused: the random one is 32 characters (24 bytes). */
export const MIN_KEY_LENGTH = 32
/** A page token expires when unused for longer than the clinic's idle-lock time and this. */
export const TOKEN_MARGIN_MS = 5 * 60_000

export interface Bridge {
  url: string
  /** The address to open: carries the key. */
  openUrl: string
  key: string
  emit(event: AppEvent): void
  close(): Promise<void>
}

// A document attached on the chart travels as base64 in the call's JSON (shared/schemas/documents.ts): the body may
// be as large as the largest file the size limit's setting allows. Read only after the page's token is checked.
const MAX_BODY = MAX_BASE64_LENGTH + 64 * 1024
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  // PDF.js's worker (a module worker: served with any other type, the browser refuses to start it)
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  })
  res.end(body)
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error('too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  if (process.versions.electron) throw new Error('The development bridge is never started inside the packaged app.')
  // An empty or short key (a CLINIC_BRIDGE_KEY set to "" or to a word) would let any local program guess its way in.
  if (options.key !== undefined && options.key.length < MIN_KEY_LENGTH) {
    throw new Error(`The bridge key must be at least ${MIN_KEY_LENGTH} characters (CLINIC_BRIDGE_KEY is ${options.key.length === 0 ? 'empty' : `${options.key.length} characters`}); leave it unset for a random one.`)
  }
  const key = options.key ?? randomBytes(24).toString('base64url')
  const now = options.now ?? Date.now
  /** Page token -> when it was last used. */
  const tokens = new Map<string, number>()
  let keyCookie = ''
  const listeners = new Map<string, ServerResponse>()
  let origin = ''
  let hosts: string[] = []

  function hostAllowed(req: IncomingMessage): boolean {
    return hosts.includes(req.headers.host ?? '')
  }

  function originAllowed(req: IncomingMessage): boolean {
    const o = req.headers.origin
    return o === undefined ? req.headers['sec-fetch-site'] === 'same-origin' : o === origin || o === origin.replace('127.0.0.1', 'localhost')
  }

  /**
   * Whether a page token is one this run minted and was used within the idle-lock time and a margin: a page left
   * that long is locked anyway, and a token of a page long closed (or copied out of one) stops working. Expired
   * tokens are forgotten.
   */
  async function live(t: string): Promise<boolean> {
    const used = tokens.get(t)
    if (used === undefined) return false
    const limit = (await options.router.idleLockMs()) + TOKEN_MARGIN_MS
    if (now() - used <= limit) return true
    for (const [k, at] of tokens) if (now() - at > limit) tokens.delete(k)
    listeners.get(t)?.end()
    return false
  }

  async function tokenOf(req: IncomingMessage, url: URL): Promise<string | null> {
    const auth = req.headers.authorization ?? ''
    const t = auth.startsWith('Bearer ') ? auth.slice(7) : url.searchParams.get('token') ?? ''
    if (!(await live(t))) return null
    tokens.set(t, now())
    return t
  }

  /** The key in the address, or the cookie the first keyed load set (a reload: the address no longer has it). */
  function keyPresented(req: IncomingMessage, url: URL): boolean {
    const given = url.searchParams.get('key')
    if (given !== null) return safeEqual(given, key)
    const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${keyCookie}=`))
    return cookie !== undefined && safeEqual(cookie.slice(keyCookie.length + 1), key)
  }

  async function serveIndex(res: ServerResponse) {
    const token = randomBytes(24).toString('base64url')
    tokens.set(token, now())
    // The page takes the key out of its address (renderer/api.ts); a reload presents it from this cookie, which
    // page scripts cannot read and other sites' pages do not send. Named per port: cookies ignore the port.
    res.setHeader('set-cookie', `${keyCookie}=${key}; HttpOnly; SameSite=Strict; Path=/`)
    const html = await readFile(join(options.staticDir, 'index.html'), 'utf8')
    const withToken = html.replace('<head>', `<head>\n    <meta name="clinic-bridge-token" content="${token}" />`)
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY)
    res.setHeader('x-frame-options', 'DENY')
    send(res, 200, withToken, TYPES['.html'])
  }

  async function serveStatic(res: ServerResponse, pathname: string) {
    const file = normalize(join(options.staticDir, decodeURIComponent(pathname)))
    if (!file.startsWith(normalize(options.staticDir) + sep)) return send(res, 404, 'Not found')
    try {
      const body = await readFile(file)
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' })
      res.end(body)
    } catch {
      send(res, 404, 'Not found')
    }
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, token: string) {
    let payload: { channel?: unknown; input?: unknown }
    try {
      payload = JSON.parse(await readBody(req)) as typeof payload
    } catch {
      return send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid_input', message: 'The request body is not JSON.', fields: { body: 'is not JSON' } } }), 'application/json')
    }
    // idleMs: the person's idle time the page reports (the idle lock counts only that: rpc.ts CallMeta)
    const result = await options.router.call(token, payload?.channel, payload?.input, { idleMs: (payload as { idleMs?: unknown })?.idleMs })
    send(res, 200, JSON.stringify(result), 'application/json')
  }

  /**
   * A reload of a page: the new page (its own new token) names the token of the page it replaced, which the tab
   * kept in its sessionStorage. The session moves to the new token, locked (the same user enters their password
   * to continue instead of signing in again), and the old token stops working. Both tokens must be ones this
   * run minted, so nothing can be resumed without having held the old page's token.
   */
  async function handleResume(req: IncomingMessage, res: ServerResponse, token: string) {
    let previous: unknown
    try {
      previous = (JSON.parse(await readBody(req)) as { previous?: unknown })?.previous
    } catch {
      return send(res, 400, JSON.stringify({ ok: false, error: { code: 'invalid_input', message: 'The request body is not JSON.', fields: { body: 'is not JSON' } } }), 'application/json')
    }
    if (typeof previous !== 'string' || previous === token || !(await live(previous))) {
      return send(res, 200, JSON.stringify({ ok: true, value: { resumed: false } }), 'application/json')
    }
    const resumed = await options.router.reopenWindow(previous, token)
    tokens.delete(previous)
    listeners.get(previous)?.end()
    listeners.delete(previous)
    send(res, 200, JSON.stringify({ ok: true, value: { resumed } }), 'application/json')
  }

  function handleEvents(res: ServerResponse, token: string) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write(': connected\n\n')
    listeners.set(token, res)
    res.on('close', () => listeners.delete(token))
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://bridge.invalid')
      if (!hostAllowed(req)) return send(res, 403, 'Forbidden: unexpected Host header.')
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
        if (!keyPresented(req, url)) {
          return send(res, 403, 'Forbidden: open the address printed by `npm start` (it carries this run\'s key).')
        }
        return serveIndex(res)
      }
      if (url.pathname === '/rpc' || url.pathname === '/events' || url.pathname === '/resume') {
        if (!originAllowed(req)) return send(res, 403, 'Forbidden: calls are accepted only from the app\'s own page.')
        const token = await tokenOf(req, url)
        if (!token) return send(res, 401, 'Unauthorized: missing, unknown or expired page token (reload the page).')
        if (url.pathname === '/rpc' && req.method === 'POST') return handleRpc(req, res, token)
        if (url.pathname === '/resume' && req.method === 'POST') return handleResume(req, res, token)
        if (url.pathname === '/events' && req.method === 'GET') return handleEvents(res, token)
        return send(res, 405, 'Method not allowed')
      }
      if (req.method === 'GET' && url.pathname.startsWith('/assets/')) return serveStatic(res, url.pathname)
      if (req.method === 'GET' && url.pathname === '/favicon.ico') return send(res, 404, 'Not found')
      return send(res, 404, 'Not found')
    })().catch((err) => {
      console.error('[bridge]', err)
      if (!res.headersSent) send(res, 500, 'Internal error')
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`]
  keyCookie = `clinic_bridge_key_${port}`

  return {
    url: origin,
    openUrl: `${origin}/?key=${key}`,
    key,
    emit(event) {
      const data = `data: ${JSON.stringify(event)}\n\n`
      for (const res of listeners.values()) res.write(data)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of listeners.values()) res.end()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
