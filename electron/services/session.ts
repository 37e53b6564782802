import { AppError } from '../../shared/result'
import type { SessionState } from '../../shared/schemas/session'
import type { CompleteSetup } from '../../shared/schemas/setup'
import { ClinicSettings } from '../../shared/schemas/settings'
import type { UserRow } from '../db/types'
import type { ServiceContext } from './context'
import { nowIso } from './context'
import { DUMMY_HASH, verifyPassword } from './passwords'
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
  }
}

/** First run only: names the clinic and creates the first administrator, who is then signed in. */
export async function completeSetup(ctx: ServiceContext, input: CompleteSetup): Promise<SessionState> {
  if ((await readSettings(ctx.db)) !== null || (await countUsers(ctx.db)) > 0) {
    throw new AppError('forbidden', 'The clinic is already set up. Sign in instead.')
  }
  const at = nowIso(ctx)
  await createSettings(ctx.db, ClinicSettings.parse({ clinicName: input.clinicName }), at)
  await ctx.db.insertInto('counters').values({ name: 'mrn', value: 0 }).execute()
  const admin = await insertUser(ctx.db, { ...input.admin, role: 'admin' }, at)
  ctx.actor = toSessionUser(admin)
  await ctx.audit({ action: 'setup.complete', entity: 'settings', entityId: 'clinic', details: { clinicName: input.clinicName } })
  await ctx.audit({ action: 'user.create', entity: 'user', entityId: admin.id, details: { username: admin.username, role: 'admin' } })
  ctx.sessions.signIn(ctx.windowId, toSessionUser(admin), ctx.now().getTime())
  await ctx.audit({ action: 'session.signIn', entity: 'user', entityId: admin.id })
  return sessionState(ctx)
}

const WRONG = 'The user name or password is wrong.'

function lockedMessage(until: string): string {
  return `This account is locked after ${MAX_FAILED_SIGN_INS} failed sign-ins until ${until.slice(11, 16)} UTC. Wait, or ask an administrator to reset the password.`
}

/**
 * Counts a failed password. The error it returns keeps its changes (the counter, the lockout and the
 * audit row must survive the refusal), which the router honours.
 */
async function recordFailure(ctx: ServiceContext, row: UserRow, action: string): Promise<AppError> {
  const attempts = row.failed_attempts + 1
  const lock = attempts >= MAX_FAILED_SIGN_INS
  const lockedUntil = lock ? new Date(ctx.now().getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null
  await ctx.db
    .updateTable('users')
    .set({ failed_attempts: lock ? 0 : attempts, locked_until: lockedUntil })
    .where('id', '=', row.id)
    .execute()
  const actor = { userId: row.id, username: row.username }
  await ctx.audit({ action, entity: 'user', entityId: row.id, details: { ...actor, attempt: attempts } })
  if (lock) {
    await ctx.audit({ action: 'user.lockout', entity: 'user', entityId: row.id, details: { until: lockedUntil } })
    ctx.sessions.signOutUser(row.id)
    return new AppError('unauthenticated', lockedMessage(lockedUntil!), { password: 'too many failed attempts' }, undefined, true)
  }
  const left = MAX_FAILED_SIGN_INS - attempts
  return new AppError('unauthenticated', `${WRONG} ${left} attempt${left === 1 ? '' : 's'} left before the account locks.`, { password: 'is wrong' }, undefined, true)
}

async function checkPassword(ctx: ServiceContext, row: UserRow, password: string, failAction: string): Promise<void> {
  if (row.locked_until && row.locked_until > nowIso(ctx)) {
    await ctx.audit({ action: failAction, entity: 'user', entityId: row.id, details: { reason: 'account locked' } })
    throw new AppError('unauthenticated', lockedMessage(row.locked_until), { username: 'account locked' }, undefined, true)
  }
  if (!(await verifyPassword(password, row.password_hash))) throw await recordFailure(ctx, row, failAction)
  if (row.failed_attempts > 0 || row.locked_until) {
    await ctx.db.updateTable('users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', row.id).execute()
  }
}

export async function signIn(ctx: ServiceContext, input: { username: string; password: string }): Promise<SessionState> {
  const row = await ctx.db.selectFrom('users').selectAll().where('username', '=', input.username).executeTakeFirst()
  if (!row || row.active !== 1) {
    await verifyPassword(input.password, DUMMY_HASH)
    await ctx.audit({ action: 'session.signInFailed', details: { username: input.username, reason: row ? 'inactive' : 'unknown user' } })
    throw new AppError('unauthenticated', WRONG, { password: 'is wrong' }, undefined, true)
  }
  await checkPassword(ctx, row, input.password, 'session.signInFailed')
  const user = toSessionUser(row)
  ctx.actor = user
  ctx.sessions.signIn(ctx.windowId, user, ctx.now().getTime())
  await ctx.audit({ action: 'session.signIn', entity: 'user', entityId: row.id })
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

export async function unlock(ctx: ServiceContext, input: { password: string }): Promise<SessionState> {
  const session = ctx.sessions.get(ctx.windowId)
  if (!session) throw new AppError('unauthenticated', 'Sign in first.')
  const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', session.user.id).executeTakeFirstOrThrow()
  if (row.active !== 1) {
    ctx.sessions.signOut(ctx.windowId)
    throw new AppError('unauthenticated', 'This account has been deactivated.')
  }
  await checkPassword(ctx, row, input.password, 'session.unlockFailed')
  session.locked = false
  session.lastActivity = ctx.now().getTime()
  await ctx.audit({ action: 'session.unlock', entity: 'user', entityId: row.id })
  return sessionState(ctx)
}
