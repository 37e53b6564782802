/**
 * Signing in and out, the screen lock, choosing one's own password, and the password asked again when a record
 * is signed.
 *
 * Passwords are checked before any write transaction opens (the channels are `hashesPassword`: scrypt at
 * OWASP's cost takes a few hundred milliseconds, and a transaction held meanwhile would make every other
 * window's writes wait); the outcome is then written in a short transaction that reads again what it relies on.
 *
 * Wrong passwords, two limits:
 * - per window (backoff.ts): after three, each further try waits 1 s, 2 s, 4 s ... up to 5 minutes;
 * - per account: five wrong passwords in a row, from any window, lock the account for 15 minutes (an
 *   administrator's reset lifts it), except an administrator's account when no other active administrator
 *   could sign in to lift it: someone typing the only administrator's name must not be able to lock the clinic
 *   out of its own administration. That account is only ever slowed, per window.
 * Sign-in answers an unknown user, an inactive one, a wrong password and a locked account with the same
 * message, after the same work (a hash is checked either way), so it does not tell who has an account.
 */
import { AppError } from '../../shared/result'
import type { ChangePassword, SessionState } from '../../shared/schemas/session'
import type { CompleteSetup } from '../../shared/schemas/setup'
import { ClinicSettings } from '../../shared/schemas/settings'
import type { Tx } from '../db/tx'
import type { UserRow } from '../db/types'
import { clinicTimeText } from './clinicTime'
import type { ServiceContext } from './context'
import { inWrite, nowIso } from './context'
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords'
import { createSettings, readSettings } from './settings'
import { countUsers, insertUser, toSessionUser } from './users'

export const MAX_FAILED_SIGN_INS = 5
export const LOCKOUT_MINUTES = 15

export async function sessionState(ctx: ServiceContext): Promise<SessionState> {
  const settings = await readSettings(ctx.db)
  const session = ctx.sessions.get(ctx.windowId)
  return {
    needsSetup: settings === null,
    clinicName: settings?.settings.clinicName ?? '',
    user: session?.user ?? null,
    locked: session?.locked ?? false,
    idleLockSeconds: settings?.settings.idleLockSeconds ?? 600,
    timeZone: settings?.settings.timeZone ?? 'UTC',
    mustChangePassword: session?.mustChangePassword ?? false,
  }
}

async function alreadySetUp(db: Tx): Promise<boolean> {
  return (await readSettings(db)) !== null || (await countUsers(db)) > 0
}

/** First run only: names the clinic and creates the first administrator (who chose their own password), then signs them in. */
export async function completeSetup(ctx: ServiceContext, input: CompleteSetup): Promise<SessionState> {
  const refuse = () => new AppError('forbidden', 'The clinic is already set up. Sign in instead.')
  if (await alreadySetUp(ctx.db)) throw refuse()
  const passwordHash = await hashPassword(input.admin.password)
  const admin = await inWrite(ctx, async (w) => {
    if (await alreadySetUp(w.db)) throw refuse()
    const at = nowIso(w)
    await createSettings(w.db, ClinicSettings.parse({ clinicName: input.clinicName }), at)
    await w.db.insertInto('counters').values({ name: 'mrn', value: 0 }).execute()
    const row = await insertUser(w.db, { ...input.admin, role: 'admin', passwordHash, mustChangePassword: false }, at)
    w.actor = toSessionUser(row)
    await w.audit({ action: 'setup.complete', entity: 'settings', entityId: 'clinic', details: { clinicName: input.clinicName } })
    await w.audit({ action: 'user.create', entity: 'user', entityId: row.id, details: { username: row.username, role: 'admin' } })
    await w.audit({ action: 'session.signIn', entity: 'user', entityId: row.id })
    return row
  })
  ctx.actor = toSessionUser(admin)
  ctx.sessions.signIn(ctx.windowId, toSessionUser(admin), ctx.now().getTime(), { sessionVersion: admin.session_version })
  return sessionState(ctx)
}

/** The one answer to a refused sign-in, whatever the reason: it must not tell who has an account. */
export const SIGN_IN_REFUSED = 'The user name or password is wrong, or the account is locked for a while after repeated failed sign-ins.'

/** The time is the clinic's, with its zone ('until 09:15 EST'), as the screens show times. */
async function lockedMessage(db: Tx, until: string): Promise<string> {
  return `This account is locked after ${MAX_FAILED_SIGN_INS} wrong passwords until ${await clinicTimeText(db, until)}. Wait, or ask an administrator to reset the password.`
}

/** Refused before the password is even looked at: this window has been getting it wrong (backoff.ts). */
function checkBackoff(ctx: ServiceContext, field: string): void {
  const waitMs = ctx.sessions.backoff.waitMs(ctx.windowId, ctx.now().getTime())
  if (waitMs <= 0) return
  const s = Math.ceil(waitMs / 1000)
  const wait = `${s} second${s === 1 ? '' : 's'}`
  throw new AppError('unauthenticated', `Too many wrong passwords from this window. Try again in ${wait}.`, { [field]: `try again in ${wait}` }, { retryAfter: s })
}

const isLocked = (row: Pick<UserRow, 'locked_until'>, at: string) => !!row.locked_until && row.locked_until > at

/** Whether an active administrator other than `userId` could sign in now (to reset a locked account). */
async function anotherAdminCanSignIn(db: Tx, userId: number, at: string): Promise<boolean> {
  const other = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .executeTakeFirst()
  return !!other
}

/**
 * Counts a wrong password against the account, in the caller's short write transaction (re-reading the count:
 * another workstation may have counted meanwhile). Returns when the account is now locked until, or null.
 */
async function countFailure(w: ServiceContext, userId: number): Promise<{ lockedUntil: string | null; attempt: number; withheld: boolean }> {
  const at = nowIso(w)
  const row = await w.db.selectFrom('users').select(['failed_attempts', 'role', 'locked_until']).where('id', '=', userId).executeTakeFirstOrThrow()
  const attempt = row.failed_attempts + 1
  if (attempt < MAX_FAILED_SIGN_INS) {
    await w.db.updateTable('users').set({ failed_attempts: attempt }).where('id', '=', userId).execute()
    return { lockedUntil: null, attempt, withheld: false }
  }
  if (row.role === 'admin' && !(await anotherAdminCanSignIn(w.db, userId, at))) {
    // the only administrator who could lift a lockout: never locked, only slowed per window
    await w.db.updateTable('users').set({ failed_attempts: attempt }).where('id', '=', userId).execute()
    return { lockedUntil: null, attempt, withheld: true }
  }
  const lockedUntil = new Date(w.now().getTime() + LOCKOUT_MINUTES * 60_000).toISOString()
  await w.db.updateTable('users').set({ failed_attempts: 0, locked_until: lockedUntil }).where('id', '=', userId).execute()
  await w.audit({ action: 'user.lockout', entity: 'user', entityId: userId, details: { until: lockedUntil } })
  return { lockedUntil, attempt, withheld: false }
}

/** A right password: clears the account's count of wrong ones, and rehashes a hash made at a lower cost. */
async function recordSuccess(w: ServiceContext, verified: UserRow, rehash: string | null): Promise<UserRow> {
  const fresh = await w.db.selectFrom('users').selectAll().where('id', '=', verified.id).executeTakeFirst()
  // Deactivated, locked or given a new password by someone else while the hash was being checked.
  if (!fresh || fresh.active !== 1 || fresh.password_hash !== verified.password_hash || isLocked(fresh, nowIso(w))) {
    throw new AppError('unauthenticated', SIGN_IN_REFUSED, { password: 'is wrong' })
  }
  if (fresh.failed_attempts > 0 || fresh.locked_until || rehash) {
    await w.db
      .updateTable('users')
      .set({ failed_attempts: 0, locked_until: null, ...(rehash ? { password_hash: rehash } : {}) })
      .where('id', '=', fresh.id)
      .execute()
  }
  return fresh
}

export async function signIn(ctx: ServiceContext, input: { username: string; password: string }): Promise<SessionState> {
  checkBackoff(ctx, 'password')
  const at = nowIso(ctx)
  const row = await ctx.db.selectFrom('users').selectAll().where('username', '=', input.username).executeTakeFirst()
  const usable = !!row && row.active === 1 && !isLocked(row, at)
  // the same scrypt work whether or not the account exists or may sign in
  const right = await verifyPassword(input.password, usable ? row.password_hash : await dummyHash())
  if (!usable || !right) {
    ctx.sessions.backoff.failed(ctx.windowId, ctx.now().getTime())
    await inWrite(ctx, async (w) => {
      if (!row) return w.audit({ action: 'session.signInFailed', details: { username: input.username, reason: 'unknown user' } })
      const reason = row.active !== 1 ? 'inactive' : isLocked(row, at) ? 'account locked' : 'wrong password'
      const counted = reason === 'wrong password' ? await countFailure(w, row.id) : null
      await w.audit({
        action: 'session.signInFailed',
        entity: 'user',
        entityId: row.id,
        details: { userId: row.id, username: row.username, reason, ...(counted ? { attempt: counted.attempt } : {}), ...(counted?.withheld ? { lockout: 'withheld: no other administrator could lift it' } : {}) },
      })
    })
    throw new AppError('unauthenticated', SIGN_IN_REFUSED, { password: 'is wrong' })
  }
  const rehash = needsRehash(row.password_hash) ? await hashPassword(input.password) : null
  const user = await inWrite(ctx, async (w) => {
    const fresh = await recordSuccess(w, row, rehash)
    w.actor = toSessionUser(fresh)
    await w.audit({ action: 'session.signIn', entity: 'user', entityId: fresh.id, ...(rehash ? { details: { passwordRehashed: true } } : {}) })
    return fresh
  })
  ctx.sessions.backoff.succeeded(ctx.windowId)
  ctx.actor = toSessionUser(user)
  ctx.sessions.signIn(ctx.windowId, toSessionUser(user), ctx.now().getTime(), {
    sessionVersion: user.session_version,
    mustChangePassword: user.must_change_password === 1,
  })
  return sessionState(ctx)
}

export async function signOut(ctx: ServiceContext): Promise<{ ok: true }> {
  await ctx.audit({ action: 'session.signOut', entity: 'user', entityId: ctx.actor?.id })
  ctx.sessions.signOut(ctx.windowId)
  return { ok: true }
}

export async function lock(ctx: ServiceContext, reason: 'idle' | 'user' | 'reload'): Promise<{ ok: true }> {
  const session = ctx.sessions.get(ctx.windowId)
  if (session && !session.locked) {
    session.locked = true
    session.lockedAt = ctx.now().getTime()
    await ctx.audit({ action: 'session.lock', entity: 'user', entityId: session.user.id, details: { reason } })
  }
  return { ok: true }
}

/**
 * Checks the signed-in user's own password (unlock, signing a record, changing the password). A wrong one is
 * counted for the window and the account and audited as `failAction`; when that locks the account, this
 * window's session ends too (its user could not unlock it). Returns the row as checked.
 */
async function checkOwnPassword(ctx: ServiceContext, password: string, field: string, failAction: string, details: Record<string, unknown> = {}): Promise<UserRow> {
  const session = ctx.sessions.get(ctx.windowId)
  if (!session) throw new AppError('unauthenticated', 'Sign in first.')
  checkBackoff(ctx, field)
  const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', session.user.id).executeTakeFirstOrThrow()
  if (row.active !== 1) {
    ctx.sessions.signOut(ctx.windowId)
    throw new AppError('unauthenticated', 'This account has been deactivated.')
  }
  if (isLocked(row, nowIso(ctx))) {
    ctx.sessions.signOut(ctx.windowId)
    throw new AppError('unauthenticated', await lockedMessage(ctx.db, row.locked_until!), { [field]: 'account locked' })
  }
  if (await verifyPassword(password, row.password_hash)) {
    ctx.sessions.backoff.succeeded(ctx.windowId)
    return row
  }
  ctx.sessions.backoff.failed(ctx.windowId, ctx.now().getTime())
  const counted = await inWrite(ctx, async (w) => {
    const c = await countFailure(w, row.id)
    await w.audit({ action: failAction, entity: 'user', entityId: row.id, details: { ...details, attempt: c.attempt } })
    return c
  })
  if (counted.lockedUntil) {
    ctx.sessions.signOut(ctx.windowId)
    throw new AppError('unauthenticated', await lockedMessage(ctx.db, counted.lockedUntil), { [field]: 'too many wrong passwords' })
  }
  throw new AppError('unauthenticated', 'The password is wrong.', { [field]: 'is wrong' })
}

export async function unlock(ctx: ServiceContext, input: { password: string }): Promise<SessionState> {
  const session = ctx.sessions.get(ctx.windowId)
  if (!session) throw new AppError('unauthenticated', 'Sign in first.')
  const row = await checkOwnPassword(ctx, input.password, 'password', 'session.unlockFailed')
  await inWrite(ctx, async (w) => {
    await recordSuccess(w, row, null)
    await w.audit({ action: 'session.unlock', entity: 'user', entityId: row.id })
  })
  session.locked = false
  session.lastActivity = ctx.now().getTime()
  return sessionState(ctx)
}

/**
 * The router's check before a record is signed in the user's name (`reauthenticate` channels): the signed-in
 * user's own password, typed again. Nothing is written when it is right.
 */
export async function confirmSigner(ctx: ServiceContext, password: string, channel: string): Promise<void> {
  const row = await checkOwnPassword(ctx, password, 'password', 'session.reauthFailed', { channel })
  if (row.failed_attempts > 0) await inWrite(ctx, (w) => recordSuccess(w, row, null))
}

/**
 * The signed-in user chooses a new password: at the first sign-in after an administrator set one (nothing else
 * is allowed until then), or any time from the user menu. Every other session of the user, on every
 * workstation, ends at its next call (the session version rises); this window stays signed in.
 */
export async function changePassword(ctx: ServiceContext, input: ChangePassword): Promise<SessionState> {
  const session = ctx.sessions.get(ctx.windowId)
  if (!session) throw new AppError('unauthenticated', 'Sign in first.')
  if (session.locked) throw new AppError('unauthenticated', 'Unlock the screen first, then change your password.', undefined, { locked: true })
  if (input.newPassword === input.currentPassword) {
    throw new AppError('invalid_input', 'The new password must differ from the current one.', { newPassword: 'must differ from the current password' })
  }
  const row = await checkOwnPassword(ctx, input.currentPassword, 'currentPassword', 'user.changePasswordFailed')
  const passwordHash = await hashPassword(input.newPassword)
  const forced = row.must_change_password === 1
  const updated = await inWrite(ctx, async (w) => {
    const fresh = await w.db.selectFrom('users').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow()
    if (fresh.password_hash !== row.password_hash || fresh.session_version !== session.sessionVersion) {
      throw new AppError('conflict', 'Your password or access was changed elsewhere meanwhile. Sign in again.')
    }
    const next = await w.db
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        must_change_password: 0,
        failed_attempts: 0,
        locked_until: null,
        session_version: fresh.session_version + 1,
        updated_at: nowIso(w),
        version: fresh.version + 1,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await w.audit({ action: 'user.changePassword', entity: 'user', entityId: row.id, details: { username: row.username, forced } })
    return next
  })
  session.sessionVersion = updated.session_version
  session.mustChangePassword = false
  return sessionState(ctx)
}
