import { z } from 'zod'
import { AuditEntry, AuditExport, AuditFilter, AuditFilterOptions, AuditPatientLookup, AuditPatientOption, AuditQuery } from '../schemas/audit'
import { CreateUser, ResetPassword, UpdateUser, User } from '../schemas/users'
import { Empty, type ChannelDef } from './define'

export const userChannels = {
  'users.list': { input: Empty, output: z.array(User), access: ['admin'], reads: ['users'] },
  'users.create': { input: CreateUser, output: User, access: ['admin'], mutates: true, hashesPassword: true, changes: ['users', 'scheduleSetup'] },
  'users.update': { input: UpdateUser, output: User, access: ['admin'], mutates: true, changes: ['users', 'scheduleSetup'] },
  'users.resetPassword': { input: ResetPassword, output: User, access: ['admin'], mutates: true, hashesPassword: true, changes: ['users'] },

  'audit.list': { input: AuditQuery, output: z.array(AuditEntry), access: ['manager', 'admin'] },
  'audit.filterOptions': { input: Empty, output: AuditFilterOptions, access: ['manager', 'admin'] },
  'audit.findPatients': { input: AuditPatientLookup, output: z.array(AuditPatientOption), access: ['manager', 'admin'] },
  'audit.export': { input: AuditFilter, output: AuditExport, access: ['manager', 'admin'] },
} as const satisfies Record<string, ChannelDef>
