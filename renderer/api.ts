/**
 * The typed client for the main process. In Electron it uses the preload bridge (IPC); in a browser
 * it uses the loopback development bridge with the page token the bridge handed to this page.
 */
import type { AppEvent, Channel, ChannelInput, ChannelOutput } from '../shared/contract'
import type { ErrorCode, RpcError, RpcResult } from '../shared/result'

/** What the window says about a call besides its input (electron/rpc.ts `CallMeta`). */
export interface CallMeta {
  /** Milliseconds since the person at this window last pressed a key, clicked, touched or moved the pointer. */
  idleMs: number
}

interface ClinicBridge {
  invoke(channel: string, input: unknown, meta?: CallMeta): Promise<RpcResult<unknown>>
  on(listener: (event: AppEvent) => void): () => void
}

declare global {
  interface Window {
    clinic?: ClinicBridge
  }
}

export class ApiError extends Error {
  readonly code: ErrorCode
  readonly fields: Record<string, string>
  readonly detail: unknown
  constructor(error: RpcError) {
    super(error.message)
    this.name = 'ApiError'
    this.code = error.code
    this.fields = error.fields ?? {}
    this.detail = error.detail
  }
}

/**
 * The idle lock counts only what a person does (electron/rpc.ts `CallMeta`): every call carries how long ago the
 * person last gave this window input, so that a screen refreshing itself (on an interval, after another
 * workstation's change) does not keep the lock away. Scrolling is left out: a screen scrolls itself too.
 */
let lastInput = Date.now()
// (guarded: the pure helpers of screens are unit-tested under Node, where this module loads without a window)
if (typeof window !== 'undefined') {
  for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const) {
    window.addEventListener(type, () => (lastInput = Date.now()), { capture: true, passive: true })
  }
}
const callMeta = (): CallMeta => ({ idleMs: Math.max(0, Date.now() - lastInput) })

/**
 * The development bridge's address carries this run's key (`?key=`). Once the page is served the key is not
 * needed in the address (the bridge keeps it in a cookie for reloads), so it is taken out of the address bar and
 * the history entry: it is not shown on a shared screen, copied with a link, or kept in the browser's history.
 */
if (typeof window !== 'undefined' && !window.clinic && new URLSearchParams(window.location.search).has('key')) {
  const url = new URL(window.location.href)
  url.searchParams.delete('key')
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`)
}

function pageToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="clinic-bridge-token"]')?.content ?? ''
}

/** Where the tab keeps its page token across a reload (sessionStorage: this tab only, gone with it). */
const TAB_TOKEN = 'clinic-bridge-previous-token'
let resumed: Promise<void> | null = null

/**
 * After a reload the bridge hands this page a new token; the page asks it to move the session of the page it
 * replaced (whose token this tab kept) to the new one, so the user meets the lock screen rather than the sign-in
 * screen. The bridge locks it (the password continues) and retires the old token. Once per page, before its
 * first call.
 */
function resumeAfterReload(): Promise<void> {
  resumed ??= (async () => {
    const token = pageToken()
    let previous: string | null = null
    try {
      previous = window.sessionStorage.getItem(TAB_TOKEN)
      window.sessionStorage.setItem(TAB_TOKEN, token)
    } catch {
      return // storage refused (a locked-down browser): a reload signs out, as before
    }
    if (!previous || previous === token) return
    await fetch('./resume', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ previous }),
    }).catch(() => undefined)
  })()
  return resumed
}

const httpBridge: ClinicBridge = {
  async invoke(channel, input, meta) {
    await resumeAfterReload()
    let res: Response
    try {
      const body = JSON.stringify({ channel, input, ...meta })
      res = await fetch('./rpc', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${pageToken()}` },
        body,
        // A draft saved as the page unloads (a reload, the tab closed) must outlive the page; the browser
        // carries at most 64 KB of such requests, and the autosave before it has kept all but the last second.
        keepalive: channel === 'drafts.save' && body.length < 60_000,
      })
    } catch {
      return { ok: false, error: { code: 'internal', message: 'Cannot reach the clinic server. Is `npm start` still running?' } }
    }
    if (res.status === 401 || res.status === 403) {
      // an unknown or expired page token (a page left unused for longer than the idle lock), or another run's page
      return { ok: false, error: { code: 'unauthenticated', message: 'This page is no longer connected to the server. Reload the page, or open the address `npm start` printed.' } }
    }
    return (await res.json()) as RpcResult<unknown>
  },
  on(listener) {
    void resumeAfterReload()
    const source = new EventSource(`./events?token=${encodeURIComponent(pageToken())}`)
    source.onmessage = (e) => listener(JSON.parse(e.data as string) as AppEvent)
    return () => source.close()
  },
}

const bridge = (): ClinicBridge => window.clinic ?? httpBridge

type AuthListener = () => void
const authListeners = new Set<AuthListener>()
/** Called when any call reports that the window is signed out or locked, so the app can show the right screen. */
export function onAuthLost(listener: AuthListener): () => void {
  authListeners.add(listener)
  return () => authListeners.delete(listener)
}

export async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<RpcResult<ChannelOutput<C>>> {
  const result = (await bridge().invoke(channel, input, callMeta())) as RpcResult<ChannelOutput<C>>
  if (!result.ok && result.error.code === 'unauthenticated' && !channel.startsWith('session.') && channel !== 'setup.complete') {
    authListeners.forEach((l) => l())
  }
  return result
}

/** Calls and returns the value, or throws an ApiError carrying the code and field messages. */
// The input may be left out when every field of it is optional.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export async function api<C extends Channel>(channel: C, ...[input]: {} extends ChannelInput<C> ? [ChannelInput<C>?] : [ChannelInput<C>]): Promise<ChannelOutput<C>> {
  const result = await call(channel, (input ?? {}) as ChannelInput<C>)
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}

export function onAppEvent(listener: (event: AppEvent) => void): () => void {
  return bridge().on(listener)
}
