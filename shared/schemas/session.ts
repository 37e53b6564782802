import { z } from 'zod'
import { RoleSchema } from './users'
import { Id } from './common'

export const SignIn = z.object({
  username: z.string({ message: 'is required' }).trim().toLowerCase().min(1, { message: 'is required' }).max(40),
  password: z.string({ message: 'is required' }).min(1, { message: 'is required' }).max(200),
})

export const Unlock = z.object({ password: z.string({ message: 'is required' }).min(1, { message: 'is required' }).max(200) })

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
})
export type SessionState = z.infer<typeof SessionState>
