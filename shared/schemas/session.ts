import { z } from 'zod'
import { Password, RoleSchema } from './users'
import { Id } from './common'

export const SignIn = z.object({
  username: z.string({ message: 'is required' }).trim().toLowerCase().min(1, { message: 'is required' }).max(40),
  password: z.string({ message: 'is required' }).min(1, { message: 'is required' }).max(200),
})

/** Why the window asks to be locked: the Lock button, its idle timer, or a reload of a signed-in window. */
export const LockScreen = z.object({ reason: z.enum(['user', 'idle', 'reload'], { message: 'must be user, idle or reload' }).optional() }).strict()

export const Unlock = z.object({ password: z.string({ message: 'is required' }).min(1, { message: 'is required' }).max(200) })

/** A user choosing their own password: the one they have now, and the new one (the same rules as any password). */
export const ChangePassword = z.object({
  currentPassword: z.string({ message: 'is required' }).min(1, { message: 'is required' }).max(200),
  newPassword: Password,
})
export type ChangePassword = z.infer<typeof ChangePassword>

export const SessionUser = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
})
export type SessionUser = z.infer<typeof SessionUser>

export const SessionState = z.object({
  needsSetup: z.boolean(),
  clinicName: z.string(),
  user: SessionUser.nullable(),
  locked: z.boolean(),
  idleLockSeconds: z.number(),
  /** The clinic's time zone (a setting): every screen shows dates and times, and decides "today", in it. */
  timeZone: z.string(),
  /** The password is one an administrator set: the window may do nothing but choose a new one (or sign out). */
  mustChangePassword: z.boolean(),
})
export type SessionState = z.infer<typeof SessionState>
