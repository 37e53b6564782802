import { z } from 'zod'
import { ROLES } from '../roles'
import { Id, IsoInstant, requiredText, Version } from './common'

export const RoleSchema = z.enum(ROLES, { message: 'must be one of: front desk, physician, manager, administrator' })

export const Username = z
  .string({ message: 'is required' })
  .trim()
  .toLowerCase()
  .min(3, { message: 'must be at least 3 characters' })
  .max(40, { message: 'must be at most 40 characters' })
  .regex(/^[a-z0-9._-]+$/, { message: 'may use letters, digits, dot, dash and underscore only' })

export const Password = z
  .string({ message: 'is required' })
  .min(10, { message: 'must be at least 10 characters' })
  .max(200, { message: 'must be at most 200 characters' })

export const DisplayName = requiredText(100)

export const CreateUser = z.object({
  displayName: DisplayName,
  username: Username,
  role: RoleSchema,
  password: Password,
})
export type CreateUser = z.infer<typeof CreateUser>

export const UpdateUser = z.object({
  id: Id,
  version: Version,
  displayName: DisplayName,
  role: RoleSchema,
  active: z.boolean(),
})
export type UpdateUser = z.infer<typeof UpdateUser>

export const ResetPassword = z.object({ id: Id, password: Password })

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  active: z.boolean(),
  lockedUntil: IsoInstant.nullable(),
  version: Version,
})
export type User = z.infer<typeof User>
