/**
 * The router: every call from a window goes through here. It looks the channel up in the contract,
 * checks who is signed in for that window and their role, validates the input, runs the service in
 * a transaction together with its audit rows, validates the output, and maps errors to data.
 */
import { hostname } from 'node:os'
import type { z } from 'zod'
import { announcedAreas, contract, isChannel, type AppEvent, type Channel, type ChannelDef } from '../shared/contract'
import { describeFields } from '../shared/fieldNames'
import { AppError, type RpcError, type RpcResult } from '../shared/result'
import type { ChangeFeed } from './db/changeFeed'
import { isConnectionLost, onceMoreIfLost, openDatabase, type AppDatabase } from './db/connect'
import type { ConnectionHost } from './db/connectionSettings'
import { engineOf } from './db/engine'
import { storageProblem } from './db/storageErrors'
import { ONE_SUCCESSOR, withWriteTransaction, type Tx } from './db/tx'
import { handlers } from './handlers'
import { checkInputStrings } from './inputGuards'
import { appendAudit, appendAuditAlone, type AuditInput } from './services/audit'
import type { FolderDialogOptions, ServiceContext } from './services/context'
import { confirmSigner } from './services/session'
import { readSettings } from './services/settings'
import { SessionStore, type WindowSession } from './sessions'

export interface RouterOptions {
  database: AppDatabase
  sessions?: SessionStore
  now?: () => Date
  workstation?: string
  /** Pushes events (data changed, session changed) to open windows. */
  emit?: (event: AppEvent) => void
  /**
   * Writes to the app's log (electron/appLog.ts). A failed call's context gives its channel and user id, and its
   * input only so that the log can blank the input's values out of the error (no patient data in the log).
   */
  log?: (message: string, err?: unknown, context?: { channel?: string; userId?: number | null; input?: unknown }) => void
  /** Announces committed changes to other workstations. */
  changeFeed?: Pick<ChangeFeed, 'publish'>
  /** Which database this workstation uses and where its choice is saved (the Database screen). */
  connection?: ConnectionHost
  /**
   * What else holds the database (the change feed, the backup scheduler): stopped before an exclusive
   * call replaces the database file, started again on the reopened database after it.
   */
  lifecycle?: {
    suspend(): Promise<void>
    resume(database: AppDatabase): Promise<void>
  }
  /** The system's folder dialog over a window (the desktop app; absent in the development bridge and the tests' routers). */
  chooseFolder?: (windowId: string, opts: FolderDialogOptions) => Promise<string | null>
}

/**
 * What the window says about the call besides its input. `idleMs`: how long ago the person at the window last
 * pressed a key, clicked, touched or moved the pointer (renderer/api.ts measures it). Only that counts as
 * activity that keeps the idle lock away: a call a screen makes by itself (a refresh on an interval, after
 * another workstation's change) carries the time since the person's last input, which grows, so a screen that
 * only refreshes itself locks on time. The router cannot check what a renderer says: one that lies (always 0)
 * keeps only its own window unlocked, which it could do anyway by sending itself fake clicks; it cannot unlock a
 * locked window, sign in or reach another window's session. A call without it is not activity.
 */
export interface CallMeta {
  idleMs?: unknown
}

export interface Router {
  call(windowId: string, channel: unknown, input: unknown, meta?: CallMeta): Promise<RpcResult<unknown>>
  /**
   * A window was replaced by a new page of the same tab (the development bridge's reload: a new page token):
   * the session moves to the new window, locked, so the same user continues with their password instead of
   * signing in again. The lock is audited. False when the old window had no session.
   */
  reopenWindow(previousId: string, windowId: string): Promise<boolean>
  sessions: SessionStore
  /** The open database (a restore replaces it). */
  database(): AppDatabase
  /** Forgets a closed window's session. */
  closeWindow(windowId: string): void
  /** The clinic's idle-lock time now (the development bridge expires page tokens idle for longer). */
  idleLockMs(): Promise<number>
}

/** The session ended because an administrator changed the user's access, here or on another workstation. */
export const REVOKED_MESSAGE = 'Your access was changed by an administrator (deactivated, new role or password reset). Please sign in again.'
export const MUST_CHANGE_MESSAGE = 'Choose your own password first: the one you signed in with was set by an administrator.'

/** The person's idle time the window reported, or null when it reported none (then the call is not activity). */
function reportedIdleMs(meta: CallMeta | undefined): number | null {
  const v = meta?.idleMs
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null
}

/** Turns zod issues into { field path: message }; the first issue per field wins. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || 'input'
    fields[path] ??= issue.message
  }
  return fields
}

/** How long after a window locks its background calls (a draft's autosave) are still accepted. */
export const LOCK_GRACE_MS = 10_000

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505'
}

/** Contention, not a duplicate: a serialization failure, or an audit row that kept losing the chain's head to others. */
function isBusy(err: unknown): boolean {
  const { code, constraint } = (err as { code?: string; constraint?: string } | undefined) ?? {}
  return code === 'SQLITE_BUSY' || code === '40001' || code === '40P01' || constraint === ONE_SUCCESSOR
}

export const UNAVAILABLE_MESSAGE = "The clinic's database server is not answering; your work is kept."

/**
 * Reads that act outside the database too (a backup file, an export job, the saved connection settings):
 * never run twice on their own (see `readWithOneRetry`).
 */
const NOT_RETRIED = new Set<string>(['backup.run', 'database.test', 'database.save', 'exports.start', 'exports.cancel'])

/**
 * A read whose connection the server dropped (a restart that is already over, a connection a firewall ended
 * while it sat idle) is run once more, a moment later, on a fresh connection: the pool has discarded the dead
 * one, and a read changes nothing, so running it twice is harmless and the screen gets its data instead of an
 * error. Writes are never retried: when a connection dies around COMMIT nobody can tell whether the server
 * committed, and a second run could book the same slot or sign the same note twice. The person sees
 * `unavailable` with their form as they left it, checks, and sends it again.
 */
async function readWithOneRetry<T>(channel: string, read: () => Promise<T>, beforeRetry: () => void): Promise<T> {
  return NOT_RETRIED.has(channel) ? read() : onceMoreIfLost(read, beforeRetry)
}

function toRpcError(err: unknown, log: RouterOptions['log']): RpcError {
  if (err instanceof AppError) {
    return { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}), ...(err.detail !== undefined ? { detail: err.detail } : {}) }
  }
  if (isBusy(err)) return { code: 'conflict', message: 'The database was busy with another workstation; nothing was changed. Please try again.' }
  if (isUniqueViolation(err)) return { code: 'conflict', message: 'That record already exists (another workstation may have just saved it). Nothing was changed.' }
  // The server restarted or the network dropped the connection. PostgreSQL rolls back a transaction whose
  // connection ends before COMMIT, so a write left nothing behind; the screen keeps what the person typed.
  if (isConnectionLost(err)) {
    log?.('the database server is not answering', err)
    return { code: 'unavailable', message: UNAVAILABLE_MESSAGE }
  }
  const storage = storageProblem(err)
  if (storage) {
    log?.('the database file could not be written', err)
    return { code: 'unavailable', message: storage }
  }
  const ref = Math.random().toString(36).slice(2, 8)
  log?.(`internal error ref=${ref}`, err)
  return { code: 'internal', message: `Something went wrong and nothing was saved (reference ${ref}).` }
}

/**
 * Admits calls: any number together, or one exclusive call alone. An exclusive call waits for the calls in
 * progress to finish; calls that arrive meanwhile wait until it is done.
 */
export class CallGate {
  private active = 0
  private barrier: Promise<void> | null = null
  private idle: (() => void)[] = []

  async enter(): Promise<void> {
    while (this.barrier) await this.barrier
    this.active++
  }

  leave(): void {
    this.active--
    if (this.active === 0) this.idle.splice(0).forEach((wake) => wake())
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.barrier) await this.barrier
    let open!: () => void
    this.barrier = new Promise<void>((resolve) => (open = resolve))
    try {
      if (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve))
      return await fn()
    } finally {
      this.barrier = null
      open()
    }
  }
}

/**
 * What the router's steps share. An exclusive call (a restore) replaces the open database, so each step reads
 * `state.database` when it runs instead of keeping one of its own.
 */
interface RouterState {
  database: AppDatabase
  readonly options: RouterOptions
  readonly gate: CallGate
  readonly sessions: SessionStore
  readonly now: () => Date
  readonly workstation: string
  readonly log: NonNullable<RouterOptions['log']>
  /** The idle limit is read at most every few seconds: it is checked on every call, and rarely changes. */
  idleLimit: { ms: number; readAt: number }
}

export function createRouter(options: RouterOptions): Router {
  const state: RouterState = {
    database: options.database,
    options,
    gate: new CallGate(),
    sessions: options.sessions ?? new SessionStore(),
    now: options.now ?? (() => new Date()),
    workstation: options.workstation ?? hostname(),
    log: options.log ?? ((m, e) => console.error(`[rpc] ${m}`, e)),
    idleLimit: { ms: 600_000, readAt: -Infinity },
  }
  return {
    call: (windowId, channel, input, meta) => callThroughGate(state, windowId, channel, input, meta),
    reopenWindow: (previousId, windowId) => reopenWindow(state, previousId, windowId),
    sessions: state.sessions,
    database: () => state.database,
    closeWindow: (id) => state.sessions.signOut(id),
    idleLockMs: () => idleLimitMs(state),
  }
}

/**
 * Every call passes the gate: an exclusive channel (a restore) runs alone from the moment it is asked for,
 * after the calls in progress; others run together.
 */
function callThroughGate(state: RouterState, windowId: string, channelName: unknown, rawInput: unknown, meta?: CallMeta): Promise<RpcResult<unknown>> {
  const { gate } = state
  const enter = <T>(fn: () => Promise<T>) => gate.enter().then(() => fn().finally(() => gate.leave()))
  if (isChannel(channelName) && (contract[channelName] as ChannelDef).exclusive) {
    // Authorized and validated first, as an ordinary call: a caller who may not run it (or sends nonsense)
    // is refused without ever holding the gate, so it cannot make everyone else's calls wait.
    return enter(() => preflight(state, windowId, channelName, rawInput)).then((refused) => refused ?? gate.exclusive(() => admitted(state, windowId, channelName, rawInput, meta)))
  }
  return enter(() => admitted(state, windowId, channelName, rawInput, meta))
}

async function preflight(state: RouterState, windowId: string, channel: Channel, rawInput: unknown): Promise<RpcResult<unknown> | null> {
  try {
    const def: ChannelDef = contract[channel]
    await authorize(state, windowId, channel, def)
    validate(def, rawInput)
    return null
  } catch (err) {
    return { ok: false, error: toRpcError(err, state.log) }
  }
}

/** A call the gate let in, step by step. Whatever goes wrong comes back as data (toRpcError). */
async function admitted(state: RouterState, windowId: string, channelName: unknown, rawInput: unknown, meta?: CallMeta): Promise<RpcResult<unknown>> {
  try {
    const channel = lookUp(channelName)
    const def: ChannelDef = contract[channel]
    await authorize(state, windowId, channel, def)
    const input = validate(def, rawInput)
    const session = state.sessions.get(windowId)
    noteActivity(state, session, channel, def, meta)
    const value = await run(state, { windowId, channel, def, session }, input)
    return { ok: true, value: checkOutput(state, channel, def, value) }
  } catch (err) {
    const context = { channel: isChannel(channelName) ? channelName : undefined, userId: state.sessions.get(windowId)?.user.id ?? null, input: rawInput }
    return { ok: false, error: toRpcError(err, (message, e) => state.log(message, e, context)) }
  }
}

function lookUp(channelName: unknown): Channel {
  if (!isChannel(channelName)) {
    throw new AppError('invalid_input', `Unknown call "${String(channelName).slice(0, 60)}".`, { channel: 'is not a known channel' })
  }
  return channelName
}

function validate(def: ChannelDef, rawInput: unknown): unknown {
  const guard = checkInputStrings(rawInput)
  if (!guard.ok) throw new AppError('invalid_input', describeFields({ [guard.field]: guard.message }), { [guard.field]: guard.message })
  const parsed = def.input.safeParse(rawInput === undefined ? {} : rawInput)
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error)
    throw new AppError('invalid_input', describeFields(fields), fields)
  }
  return parsed.data
}

/**
 * A background call (a draft's autosave) is not the person's activity: it must not keep the idle lock away.
 * Nor is any call a screen makes by itself: the activity is the person's last input the window reports.
 */
function noteActivity(state: RouterState, session: WindowSession | undefined, channel: Channel, def: ChannelDef, meta: CallMeta | undefined): void {
  const { now } = state
  const idleMs = reportedIdleMs(meta)
  if (session && channel !== 'session.state' && !def.background && idleMs !== null) {
    session.lastActivity = Math.max(session.lastActivity, Math.min(now().getTime(), now().getTime() - idleMs))
  }
}

/** What `run` needs to know of an admitted call besides its input. */
interface AdmittedCall {
  windowId: string
  channel: Channel
  def: ChannelDef
  session: WindowSession | undefined
}

/**
 * Runs the channel's service. A call that hashes a password first writes in short transactions of its own
 * (`ctx.write`); a write runs in one transaction with its audit rows and its announcement; a read runs on the
 * open database (once more if the connection was lost), and its audit rows are written after it.
 */
async function run(state: RouterState, call: AdmittedCall, input: unknown): Promise<unknown> {
  const { windowId, channel, def, session } = call
  const { options, now } = state
  const pending: AuditInput[] = []
  // In a transaction the audit rows go into it; outside one they are written after the call (auditNow).
  const makeCtx = (db: Tx, inTransaction = !!def.mutates && !def.hashesPassword): ServiceContext => {
    const ctx: ServiceContext = {
      db,
      database: state.database,
      sessions: state.sessions,
      windowId,
      workstation: state.workstation,
      actor: session?.user ?? null,
      now,
      connection: options.connection,
      ...(options.chooseFolder ? { chooseFolder: (opts: FolderDialogOptions) => options.chooseFolder!(windowId, opts) } : {}),
      audit: async (entry) => {
        if (inTransaction) await writeAudit(state, db, ctx.actor?.id ?? null, ctx.actor?.username ?? null, [entry])
        else pending.push(entry)
      },
      ...(def.exclusive ? { replaceDatabase: <T>(work: () => Promise<T>) => replaceDatabase(state, work) } : {}),
      ...(def.hashesPassword ? { write: (work) => shortWrite(work, sharedChange) } : {}),
    }
    return ctx
  }
  const handler = handlers[channel] as (ctx: ServiceContext, input: unknown) => Promise<unknown>
  // What the contract says this call changes (sign-in, lock and drafts change one window's state: nothing).
  const areas = announcedAreas(def)
  const sharedChange = areas.length > 0

  /** `ctx.write`: the writes of a call that hashed a password first, in one short transaction. */
  async function shortWrite<T>(work: (ctx: ServiceContext) => Promise<T>, announce: boolean): Promise<T> {
    const result = await withWriteTransaction(state.database, async (trx) => {
      const r = await work(makeCtx(trx, true))
      if (announce) await options.changeFeed?.publish(trx, areas)
      return r
    })
    if (announce) options.emit?.({ type: 'dataChanged', areas })
    return result
  }

  if (def.reauthenticate) {
    // The signer's password, asked again, checked before the signing transaction opens; it goes no further.
    // A wrong one is counted and audited in a short transaction of its own (no change to announce).
    const { password, ...rest } = input as { password: string }
    await confirmSigner({ ...makeCtx(state.database.db, false), write: (work) => shortWrite(work, false) }, password, channel)
    input = rest
  }

  let value: unknown
  if (def.hashesPassword) {
    value = await handler(makeCtx(state.database.db), input)
    await auditNow(state, session?.user.id ?? null, session?.user.username ?? null, pending)
  } else if (def.mutates) {
    let kept: AppError | undefined
    value = await withWriteTransaction(state.database, async (trx) => {
      try {
        const result = await handler(makeCtx(trx), input)
        if (sharedChange) await options.changeFeed?.publish(trx, areas)
        return result
      } catch (err) {
        if (err instanceof AppError && err.keepChanges) {
          kept = err
          return undefined
        }
        throw err
      }
    })
    if (kept) throw kept
    if (channel === 'settings.update') state.idleLimit = { ms: 0, readAt: -Infinity }
    if (sharedChange) options.emit?.({ type: 'dataChanged', areas })
  } else {
    // the first attempt's audit entries are dropped: the retry records its own
    value = await readWithOneRetry(channel, () => handler(makeCtx(state.database.db), input), () => (pending.length = 0))
    await auditNow(state, session?.user.id ?? null, session?.user.username ?? null, pending)
    // A call outside a write transaction that still changes something (a backup file made): this machine's windows.
    if (sharedChange) options.emit?.({ type: 'dataChanged', areas })
  }
  return value
}

function checkOutput(state: RouterState, channel: Channel, def: ChannelDef, value: unknown): unknown {
  const out = def.output.safeParse(value)
  if (!out.success) {
    state.log(`output of ${channel} does not match the contract`, out.error)
    throw new Error(`output of ${channel} does not match the contract`)
  }
  return out.data
}

async function authorize(state: RouterState, windowId: string, channel: Channel, def: ChannelDef): Promise<void> {
  const revoked = await endRevokedSession(state, windowId)
  if (def.access === 'public') return
  if (revoked) throw new AppError('unauthenticated', REVOKED_MESSAGE, undefined, { revoked: true })
  await enforceIdleLock(state, windowId)
  const session = state.sessions.get(windowId)
  if (!session) throw new AppError('unauthenticated', 'Please sign in.')
  if (def.access === 'session') return
  if (session.mustChangePassword) throw new AppError('unauthenticated', MUST_CHANGE_MESSAGE, undefined, { mustChangePassword: true })
  if (session.locked && !(def.background && withinLockGrace(state, session))) throw new AppError('unauthenticated', 'The screen is locked. Enter your password to continue.', undefined, { locked: true })
  if (!def.access.includes(session.user.role)) {
    await auditNow(state, session.user.id, session.user.username, [{ action: 'access.denied', details: { channel } }])
    throw new AppError('forbidden', `Your role (${session.user.role}) may not do this (${channel}).`)
  }
}

/**
 * Ends the window's session when the user's `session_version` moved on since sign-in (an administrator
 * deactivated them, changed their role or reset their password, on any workstation). One read by primary key
 * per call. True when it ended one.
 */
async function endRevokedSession(state: RouterState, windowId: string): Promise<boolean> {
  const { sessions } = state
  const session = sessions.get(windowId)
  if (!session) return false
  // (before every call, so a connection that died idle is not worth an `unavailable`: once more, see onceMoreIfLost)
  const row = await onceMoreIfLost(() => state.database.db.selectFrom('users').select('session_version').where('id', '=', session.user.id).executeTakeFirst())
  if (row && row.session_version === session.sessionVersion) return false
  if (sessions.get(windowId) !== session) return false
  sessions.signOut(windowId)
  await auditNow(state, session.user.id, session.user.username, [{ action: 'session.revoked', entity: 'user', entityId: session.user.id }])
  return true
}

/** Locks a window whose user has been idle longer than the clinic allows, even if the screen missed it. */
async function enforceIdleLock(state: RouterState, windowId: string): Promise<void> {
  const { now } = state
  const session = state.sessions.get(windowId)
  if (!session || session.locked) return
  const limitMs = await idleLimitMs(state)
  if (now().getTime() - session.lastActivity > limitMs) {
    session.locked = true
    session.lockedAt = now().getTime()
    await auditNow(state, session.user.id, session.user.username, [{ action: 'session.lock', entity: 'user', entityId: session.user.id, details: { reason: 'idle' } }])
  }
}

async function idleLimitMs(state: RouterState): Promise<number> {
  const t = state.now().getTime()
  if (t - state.idleLimit.readAt > 5_000 || t < state.idleLimit.readAt) {
    const settings = await onceMoreIfLost(() => readSettings(state.database.db))
    state.idleLimit = { ms: (settings?.settings.idleLockSeconds ?? 600) * 1000, readAt: t }
  }
  return state.idleLimit.ms
}

/**
 * The autosave fired as the screen locks (the renderer saves its drafts before it asks to lock, and again as
 * the form gives way to the lock screen; the router may have locked the window on that very call, when the
 * idle time ran out) must land, so a background call is accepted for a few seconds after the lock. Only into
 * the signed-in user's own drafts, and nothing can be read back until the password is entered again.
 */
function withinLockGrace(state: RouterState, session: { lockedAt?: number }): boolean {
  return session.lockedAt !== undefined && state.now().getTime() - session.lockedAt <= LOCK_GRACE_MS
}

async function writeAudit(state: RouterState, db: Tx, actorId: number | null, actorName: string | null, entries: AuditInput[]) {
  const at = state.now().toISOString()
  for (const e of entries) await appendAudit(db, { userId: actorId, username: actorName, workstation: state.workstation }, at, e)
}

/** The audit rows of a call that changed nothing (a record read, an access refused). */
async function auditNow(state: RouterState, userId: number | null, username: string | null, entries: AuditInput[]) {
  if (entries.length === 0) return
  const { database, workstation } = state
  if (engineOf(database).appendsAuditAlone) {
    // one statement a row instead of a transaction's four round trips (appendAuditAlone)
    const at = state.now().toISOString()
    for (const e of entries) await appendAuditAlone(database.db, { userId, username, workstation }, at, e)
    return
  }
  await withWriteTransaction(database, (trx) => writeAudit(state, trx, userId, username, entries))
}

/** An exclusive call's database swap: nothing else is running (the gate sees to that). */
async function replaceDatabase<T>(state: RouterState, work: () => Promise<T>): Promise<T> {
  const { options } = state
  const target = state.database.target
  await options.lifecycle?.suspend()
  await state.database.close()
  let result: T
  try {
    result = await work()
  } finally {
    state.database = openDatabase(target)
    state.idleLimit = { ms: 0, readAt: -Infinity }
    await options.lifecycle?.resume(state.database)
  }
  state.sessions.signOutAll()
  options.emit?.({ type: 'sessionChanged' })
  options.emit?.({ type: 'dataChanged', areas: '*' })
  return result
}

async function reopenWindow(state: RouterState, previousId: string, windowId: string): Promise<boolean> {
  const wasLocked = state.sessions.get(previousId)?.locked ?? true
  const session = state.sessions.transfer(previousId, windowId, state.now().getTime())
  if (!session) return false
  if (!wasLocked) await auditNow(state, session.user.id, session.user.username, [{ action: 'session.lock', entity: 'user', entityId: session.user.id, details: { reason: 'reload' } }])
  return true
}
