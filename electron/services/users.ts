import { AppError } from '../../shared/result'
import type { SessionUser } from '../../shared/schemas/session'
import type { CreateUser, UpdateUser, User } from '../../shared/schemas/users'
import type { Tx } from '../db/tx'
import type { UserRow } from '../db/types'
import type { ServiceContext } from './context'
import { inWrite, nowIso, requireActor } from './context'
import { hashPassword } from './passwords'
import { staleDetailFromAudit } from './records/conflicts'

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as User['role'],
    active: row.active === 1,
    lockedUntil: row.locked_until,
    version: row.version,
  }
}

export function toSessionUser(row: UserRow): SessionUser {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role as SessionUser['role'] }
}

export async function countUsers(db: Tx): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

async function getRow(db: Tx, id: number): Promise<UserRow> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('not_found', `There is no user with id ${id}.`, { id: 'no such user' })
  return row
}

/** What a new user's row needs: the password already hashed (outside any transaction: it is slow on purpose). */
export interface NewUser extends Omit<CreateUser, 'password'> {
  passwordHash: string
  /** true when an administrator chose the password: the user must choose their own at first sign-in */
  mustChangePassword: boolean
}

/** Inserts a user; shared by first-run setup and the administrator's screen. */
export async function insertUser(db: Tx, input: NewUser, at: string): Promise<UserRow> {
  const taken = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst()
  if (taken) throw new AppError('conflict', `The user name "${input.username}" is already taken.`, { username: 'is already taken' })
  return db
    .insertInto('users')
    .values({
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      password_hash: input.passwordHash,
      must_change_password: input.mustChangePassword ? 1 : 0,
      active: 1,
      failed_attempts: 0,
      locked_until: null,
      created_at: at,
      updated_at: at,
      version: 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function listUsers(ctx: ServiceContext): Promise<User[]> {
  const rows = await ctx.db.selectFrom('users').selectAll().orderBy('display_name').execute()
  return rows.map(toUser)
}

/** An administrator adds a user, with a password the user must replace by their own at first sign-in. */
export async function createUser(ctx: ServiceContext, input: CreateUser): Promise<User> {
  const { password, ...rest } = input
  const passwordHash = await hashPassword(password)
  return inWrite(ctx, async (w) => {
    const row = await insertUser(w.db, { ...rest, passwordHash, mustChangePassword: true }, nowIso(w))
    await w.audit({ action: 'user.create', entity: 'user', entityId: row.id, details: { username: row.username, role: row.role } })
    return toUser(row)
  })
}

async function activeAdminCount(db: Tx): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function updateUser(ctx: ServiceContext, input: UpdateUser): Promise<User> {
  const actor = requireActor(ctx)
  const before = await getRow(ctx.db, input.id)
  if (before.version !== input.version) {
    const detail = await staleDetailFromAudit(ctx.db, { action: 'user.update', entity: 'user', entityId: before.id }, before.updated_at, toUser(before))
    throw new AppError('conflict', `${detail.changedBy ?? 'Someone else'} changed ${before.display_name}'s account since you opened it. Reload and try again.`, undefined, detail)
  }
  const losesAdmin = before.role === 'admin' && before.active === 1 && (input.role !== 'admin' || !input.active)
  if (losesAdmin && input.id === actor.id) {
    throw new AppError('conflict', 'You cannot remove your own administrator access; ask another administrator.', {
      role: 'cannot remove your own administrator access',
    })
  }
  if (losesAdmin && (await activeAdminCount(ctx.db)) <= 1) {
    throw new AppError('conflict', 'The clinic must keep at least one active administrator.', { role: 'last active administrator' })
  }
  // Deactivating or changing the role ends the user's sessions on every workstation at their next call.
  const revokes = before.role !== input.role || (before.active === 1 && !input.active)
  const row = await ctx.db
    .updateTable('users')
    .set({
      display_name: input.displayName,
      role: input.role,
      active: input.active ? 1 : 0,
      updated_at: nowIso(ctx),
      version: before.version + 1,
      ...(revokes ? { session_version: before.session_version + 1 } : {}),
    })
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'user.update',
    entity: 'user',
    entityId: row.id,
    details: { role: [before.role, row.role], active: [before.active === 1, row.active === 1], displayName: row.display_name },
  })
  // A deactivated user, or one whose role changed, signs in again: their windows here end now, the other
  // workstations' at their next call (the router compares `session_version`). A new name shows at once.
  if (revokes) ctx.sessions.signOutUser(row.id)
  else ctx.sessions.updateUser(toSessionUser(row))
  return toUser(row)
}

/**
 * An administrator sets a new password: it lifts a lockout, the user must replace it by their own at their next
 * sign-in, and every session of the user ends (here now, on other workstations at their next call).
 */
export async function resetPassword(ctx: ServiceContext, input: { id: number; password: string }): Promise<User> {
  await getRow(ctx.db, input.id)
  const passwordHash = await hashPassword(input.password)
  const row = await inWrite(ctx, async (w) => {
    const before = await getRow(w.db, input.id)
    const next = await w.db
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        must_change_password: 1,
        failed_attempts: 0,
        locked_until: null,
        session_version: before.session_version + 1,
        updated_at: nowIso(w),
        version: before.version + 1,
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await w.audit({ action: 'user.resetPassword', entity: 'user', entityId: next.id, details: { username: next.username } })
    return next
  })
  ctx.sessions.signOutUser(row.id)
  return toUser(row)
}
