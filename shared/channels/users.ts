import { z } from 'zod'
import { AuditEntry, AuditQuery } from '../schemas/audit'
import { CreateUser, ResetPassword, UpdateUser, User } from '../schemas/users'
import { Empty, type ChannelDef } from './define'

export const userChannels = {
  'users.list': { input: Empty, output: z.array(User), access: ['admin'] },
  'users.create': { input: CreateUser, output: User, access: ['admin'], mutates: true },
  'users.update': { input: UpdateUser, output: User, access: ['admin'], mutates: true },
  'users.resetPassword': { input: ResetPassword, output: User, access: ['admin'], mutates: true },

  'audit.list': { input: AuditQuery, output: z.array(AuditEntry), access: ['manager', 'admin'] },
} as const satisfies Record<string, ChannelDef>
