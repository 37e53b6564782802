import { AppError } from '../../shared/result'
import type { SessionUser } from '../../shared/schemas/session'
import type { CreateUser, UpdateUser, User } from '../../shared/schemas/users'
import type { Tx } from '../db/tx'
import type { UserRow } from '../db/types'
import type { ServiceContext } from './context'
import { nowIso, requireActor } from './context'
import { hashPassword } from './passwords'

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

/** Inserts a user; shared by first-run setup and the administrator's screen. */
export async function insertUser(db: Tx, input: CreateUser, at: string): Promise<UserRow> {
  const taken = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst()
  if (taken) throw new AppError('conflict', `The user name "${input.username}" is already taken.`, { username: 'is already taken' })
  return db
    .insertInto('users')
    .values({
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      password_hash: await hashPassword(input.password),
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

export async function createUser(ctx: ServiceContext, input: CreateUser): Promise<User> {
  const row = await insertUser(ctx.db, input, nowIso(ctx))
  await ctx.audit({ action: 'user.create', entity: 'user', entityId: row.id, details: { username: row.username, role: row.role } })
  return toUser(row)
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
    throw new AppError('conflict', `${before.display_name} was changed by someone else since you opened it. Reload and try again.`, undefined, {
      current: toUser(before),
    })
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
  const row = await ctx.db
    .updateTable('users')
    .set({ display_name: input.displayName, role: input.role, active: input.active ? 1 : 0, updated_at: nowIso(ctx), version: before.version + 1 })
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({
    action: 'user.update',
    entity: 'user',
    entityId: row.id,
    details: { role: [before.role, row.role], active: [before.active === 1, row.active === 1], displayName: row.display_name },
  })
  // A deactivated user is signed out everywhere; a changed role takes effect on the next call.
  if (!input.active) ctx.sessions.signOutUser(row.id)
  else ctx.sessions.updateUser(toSessionUser(row))
  return toUser(row)
}

/** Sets a new password and lifts a lockout. */
export async function resetPassword(ctx: ServiceContext, input: { id: number; password: string }): Promise<User> {
  const before = await getRow(ctx.db, input.id)
  const row = await ctx.db
    .updateTable('users')
    .set({
      password_hash: await hashPassword(input.password),
      failed_attempts: 0,
      locked_until: null,
      updated_at: nowIso(ctx),
      version: before.version + 1,
    })
    .where('id', '=', input.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  await ctx.audit({ action: 'user.resetPassword', entity: 'user', entityId: row.id, details: { username: row.username } })
  return toUser(row)
}
